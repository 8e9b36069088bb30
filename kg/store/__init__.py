"""The on-disk Oxigraph store: graph writes in one transaction each, and the read-only snapshots the server reads."""
