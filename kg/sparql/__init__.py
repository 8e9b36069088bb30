"""SPARQL as text, with no HTTP in sight: the safety checks, the saved queries, the datasets of updates."""
