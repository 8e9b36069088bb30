"""The SHACL gate: every article graph is checked against the shapes before it is stored."""
