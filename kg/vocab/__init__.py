"""The names of things: RDF namespaces, the one place IRIs are minted, and the SPARQL prefixes built from them."""
