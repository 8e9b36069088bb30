"""What leaves the store: RDF dumps, the facts read model, JSON-LD, STIX 2.1, ACLED-style tables, pushes to remote stores."""
