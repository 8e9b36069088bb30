"""Ontology hygiene: a header, every term labelled and defined, the namespace module in step."""

from __future__ import annotations

import importlib.util

import pytest
from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.namespace import SKOS

from kg.vocab.namespaces import ACLED, CK, ET, KG, REL
from tests.conftest import PROJECT_ROOT

ONTOLOGY = PROJECT_ROOT / "ontology" / "osint-kg.ttl"
OURS = ("https://w3id.org/osint-kg/",)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY)


def our_terms(g: Graph) -> set[URIRef]:
    return {
        s
        for s in g.subjects()
        if isinstance(s, URIRef) and str(s).startswith(OURS) and str(s) != "https://w3id.org/osint-kg/ontology"
    }


def test_header(ontology: Graph) -> None:
    header = URIRef("https://w3id.org/osint-kg/ontology")
    assert (header, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(header, OWL.versionIRI) is not None


def test_every_term_has_a_label_and_a_definition(ontology: Graph) -> None:
    missing = [
        t
        for t in our_terms(ontology)
        if not (ontology.value(t, RDFS.label) or ontology.value(t, SKOS.prefLabel))
        or not ontology.value(t, SKOS.definition)
    ]
    assert missing == []


def test_namespace_module_lists_the_same_terms(ontology: Graph) -> None:
    spec = importlib.util.spec_from_file_location("gen", PROJECT_ROOT / "tools" / "gen_namespaces.py")
    assert spec and spec.loader
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    assert gen.render(ontology) == (PROJECT_ROOT / "kg" / "vocab" / "namespaces.py").read_text(encoding="utf-8")


def test_namespace_rejects_typos() -> None:
    with pytest.raises(AttributeError):
        _ = KG.perpetraitor


def test_scheme_members() -> None:
    assert str(ET.Attack).endswith("/event-type/Attack")
    assert str(ACLED.Battles).endswith("/acled/Battles")
    assert str(CK.killed).endswith("/casualty-kind/killed")
    assert str(REL.A).endswith("/reliability/A")
