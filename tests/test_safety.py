"""The SERVICE/LOAD check: which outside hosts a query would call, read from its parse tree."""

from __future__ import annotations

import pytest

from kg.sparql.safety import UNREADABLE, outside_calls, refused_calls

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
        ("SELECT * { ?s ?p ?o.SERVICE <http://evil.example/> {} }", "http://evil.example/"),
        (
            "PREFIX e: <http://e/> SELECT * { BIND(e:a\\' AS ?x) SERVICE <http://evil.example/> {} }",
            "http://evil.example/",
        ),
        ("PREFIX e: <http://> SELECT * { SERVICE e:evil.example\\/x {} }", "http://evil.example/x"),
        (
            "SELECT * { OPTIONAL { FILTER EXISTS { { SELECT * { SERVICE <http://evil.example/> {} } } } } }",
            "http://evil.example/",
        ),
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
        "PREFIX ex: <http://e/> SELECT * { ?s <http://example.org/SERVICE> ?service . ?s ex:SERVICE ?o }",
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


@pytest.mark.parametrize(
    "query",
    [
        r"SELECT * { SERVICE <http://evil\u002eexample/> {} }",  # valid for Oxigraph, not readable here
        "SELECT * { SERVICE <http://evil.example/> { ?s ?p } }",  # not SPARQL at all
    ],
)
def test_a_text_that_mentions_service_but_does_not_parse_is_refused(query: str) -> None:
    calls = refused_calls(query, ALLOW)
    assert [call.written for call in calls] == [UNREADABLE]


def test_the_allowlist_matches_host_and_port() -> None:
    query = "SELECT * { SERVICE <http://h.example:8080/> {} SERVICE <https://h.example/> {} }"
    assert [call.iri for call in refused_calls(query, ["h.example"])] == ["http://h.example:8080/"]
    assert [call.iri for call in refused_calls(query, ["h.example:8080"])] == ["https://h.example/"]
    assert refused_calls(query, ["h.example:8080", "h.example:443"]) == []
