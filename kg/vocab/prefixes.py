"""The prefixes of osint-kg's vocabularies, and SPARQL ``PREFIX`` declarations built from them.

    QUERY = sparql_prefixes("kg", "sem") + "SELECT ?e WHERE { ?e a sem:Event }"

Every IRI comes from :mod:`kg.vocab.namespaces` or rdflib's own namespaces, so
no namespace IRI is written twice; values are bound with substitutions, never
pasted into the query text.
"""

from __future__ import annotations

from rdflib import OWL, RDF, RDFS, XSD

from kg.vocab.namespaces import ACLED, CK, ET, GEO, KG, PROV, REL, SDO, SEM, SKOS, TIME, WD

__all__ = ["PREFIXES", "sparql_prefixes"]

PREFIXES: dict[str, str] = {
    "kg": str(KG._NS),
    "et": str(ET._NS),
    "acled": str(ACLED._NS),
    "ck": str(CK._NS),
    "rel": str(REL._NS),
    "sem": str(SEM),
    "prov": str(PROV),
    "schema": str(SDO),
    "time": str(TIME),
    "skos": str(SKOS),
    "geo": str(GEO),
    "owl": str(OWL),
    "wd": str(WD),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
}
"""Prefix → namespace IRI of every vocabulary the graph uses."""


def sparql_prefixes(*names: str) -> str:
    """``PREFIX`` lines for ``names`` (each a key of :data:`PREFIXES`), one per line."""
    return "".join(f"PREFIX {name}: <{PREFIXES[name]}>\n" for name in names)
