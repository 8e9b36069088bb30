"""Extraction results as RDF: one named graph per article, with its provenance."""
