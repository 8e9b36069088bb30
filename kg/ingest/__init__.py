"""Reading articles: plain text, HTML pages, JSON Lines batches and their metadata sidecars."""
