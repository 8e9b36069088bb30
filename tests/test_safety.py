"""The SERVICE/LOAD check: which outside hosts a query would call, read from its tokens."""

from __future__ import annotations

import pytest

from kg.api.safety import outside_calls, refused_calls

ALLOW = ["query.wikidata.org"]


@pytest.mark.parametrize(
    ("query", "iri"),
    [
        ("SELECT * { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }", "http://127.0.0.1:1/"),
        ("SELECT * { SERVICE SILENT <https://evil.example/sparql> { ?s ?p ?o } }", "https://evil.example/sparql"),
        ("select * { service silent <https://evil.example/> {} }", "https://evil.example/"),
        ("SELECT*{SERVICE<http://evil.example/>{}}", "http://evil.example/"),
        ("PREFIX e: <http://evil.example/> SELECT * { SERVICE e:sparql {} }", "http://evil.example/sparql"),
        ("BASE <http://evil.example/a/> SELECT * { SERVICE <sparql> {} }", "http://evil.example/a/sparql"),
        (r"SELECT * { SERVICE <http://evil\u002eexample/> {} }", "http://evil.example/"),
        ("SELECT * { # a comment\n SERVICE <http://evil.example/> {} }", "http://evil.example/"),
    ],
)
def test_service_targets_are_resolved_and_refused(query: str, iri: str) -> None:
    calls = outside_calls(query)
    assert [call.iri for call in calls] == [iri]
    assert refused_calls(query, ALLOW) == calls


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * { SERVICE ?endpoint { ?s ?p ?o } }",
        "SELECT * { SERVICE SILENT $endpoint { ?s ?p ?o } }",
        "SELECT * { SERVICE <relative> {} }",
        "SELECT * { SERVICE unknown:prefix {} }",
        "SELECT * { SERVICE <ftp://query.wikidata.org/> {} }",
        "SELECT * { SERVICE <http://query.wikidata.org.evil.example/> {} }",
    ],
)
def test_unresolvable_or_unlisted_targets_are_refused(query: str) -> None:
    assert len(refused_calls(query, ALLOW)) == 1


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * { ?s ?p ?o }",
        "SELECT * { ?s ?p 'SERVICE <http://evil.example/> {}' }",
        'SELECT * { ?s ?p """SERVICE\n<http://evil.example/>""" }',
        "SELECT * { ?s ?p ?o } # SERVICE <http://evil.example/> {}",
        "SELECT * { ?s <http://example.org/SERVICE> ?service . ?s ex:SERVICE ?o }",
    ],
)
def test_service_in_strings_comments_iris_and_names_is_not_a_call(query: str) -> None:
    assert outside_calls(query) == []


def test_allowlisted_hosts_pass() -> None:
    query = """PREFIX wd: <https://Query.Wikidata.org/>
    SELECT * { SERVICE wd:sparql { ?s ?p ?o } SERVICE SILENT <https://query.wikidata.org/bigdata> {} }"""
    assert len(outside_calls(query)) == 2
    assert refused_calls(query, ALLOW) == []


def test_relative_targets_resolve_against_the_given_base() -> None:
    query = "SELECT * { SERVICE <sparql> {} }"
    assert refused_calls(query, ALLOW, base_iri="https://query.wikidata.org/") == []
    assert len(refused_calls(query, ALLOW, base_iri="http://127.0.0.1:8000/sparql")) == 1


def test_load_is_checked_like_service() -> None:
    calls = outside_calls("LOAD SILENT <http://evil.example/data.ttl> INTO GRAPH <http://g/>")
    assert [(call.keyword, call.host) for call in calls] == [("LOAD", "evil.example")]
