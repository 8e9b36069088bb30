"""Accept parsing and format choice, without a server."""

from __future__ import annotations

import pytest

from kg.api.negotiation import (
    CSV,
    FORMATS,
    JSON_LD,
    N_TRIPLES,
    RDF_XML,
    SPARQL_JSON,
    SPARQL_XML,
    TSV,
    TURTLE,
    MediaRange,
    choose,
    parse_accept,
    pick_format,
)


def test_parse_accept_reads_q_values_and_skips_junk() -> None:
    header = "text/csv;q=0.5, application/*; charset=utf-8, *, nonsense, */json, text/tsv;q=x, image/png;q=7"
    assert parse_accept(header) == [
        MediaRange("text", "csv", 0.5),
        MediaRange("application", "*", 1.0),
        MediaRange("*", "*", 1.0),
        MediaRange("image", "png", 1.0),
    ]


@pytest.mark.parametrize("header", [None, "", "  ", "nonsense"])
def test_no_usable_accept_means_the_default(header: str | None) -> None:
    assert choose(FORMATS["solutions"], header) is SPARQL_JSON
    assert choose(FORMATS["graph"], header) is TURTLE


@pytest.mark.parametrize(
    ("media_type", "specificity"),
    [
        ("text/csv", 2),
        ("text/plain", None),
        ("image/csv", None),
    ],
)
def test_specificity_of_an_exact_range(media_type: str, specificity: int | None) -> None:
    assert MediaRange("text", "csv").specificity(media_type) == specificity


def test_specificity_of_wildcards() -> None:
    assert MediaRange("text", "*").specificity("text/csv") == 1
    assert MediaRange("*", "*").specificity("text/csv") == 0


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("text/csv", CSV),
        ("text/tab-separated-values, text/csv", CSV),  # equal q, equal specificity: server order
        ("text/csv, text/tab-separated-values", CSV),
        ("text/csv;q=0.4, application/sparql-results+xml;q=0.8", SPARQL_XML),
        ("text/*, */*;q=0.1", CSV),
        ("*/*", SPARQL_JSON),
        ("text/csv, */*", CSV),  # the exact range beats the wildcard
        ("application/json", SPARQL_JSON),
        ("application/xml", SPARQL_XML),
        ("text/*", CSV),  # not SPARQL XML through its synonym text/xml
        ("text/*;q=0.5, text/csv;q=0", TSV),  # the most specific range decides: csv is refused
        ("image/png", None),
        ("application/sparql-results+json;q=0", None),
        ("text/turtle", None),
    ],
)
def test_choose_for_select(accept: str, expected: object) -> None:
    assert choose(FORMATS["solutions"], accept) is expected


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("application/n-triples", N_TRIPLES),
        ("application/ld+json", JSON_LD),
        ("application/json", JSON_LD),
        ("application/rdf+xml;q=0.9, text/turtle;q=0.8", RDF_XML),
        ("application/sparql-results+json", None),
    ],
)
def test_choose_for_construct(accept: str, expected: object) -> None:
    assert choose(FORMATS["graph"], accept) is expected


@pytest.mark.parametrize(
    ("kind", "override", "expected"),
    [
        ("solutions", "json", SPARQL_JSON),
        ("solutions", "XML", SPARQL_XML),
        ("solutions", "text/csv", CSV),
        ("boolean", "tsv", TSV),
        ("graph", "json", JSON_LD),
        ("graph", "xml", RDF_XML),
        ("graph", "nt", N_TRIPLES),
        ("graph", "ttl", TURTLE),
        ("graph", "csv", None),
        ("solutions", "turtle", None),
    ],
)
def test_format_override_beats_accept(kind: str, override: str, expected: object) -> None:
    assert pick_format(kind, "image/png", override) is expected  # type: ignore[arg-type]


def test_no_override_falls_back_to_accept() -> None:
    assert pick_format("boolean", "application/sparql-results+xml") is SPARQL_XML
    assert pick_format("graph", None, "") is TURTLE
