"""The curated knowledge base ``ontology/kb.ttl``: IRIs, labels, Wikidata links, relations.

No network. Checks that compare with the shared reference table
(``../shared/kb/sahel-entities.tsv``) are skipped when it is absent.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, GEO, OWL, RDF, RDFS, SKOS

from kg.vocab.iri import slug
from tests.conftest import PROJECT_ROOT

KB_PATH = PROJECT_ROOT / "ontology" / "kb.ttl"
TSV_PATH = PROJECT_ROOT.parent / "shared" / "kb" / "sahel-entities.tsv"
BASE_A = "https://w3id.org/osint-kg/id/"
BASE_B = "http://analyst.example.org/graph/"

KG = Namespace("https://w3id.org/osint-kg/ontology#")
WD = "http://www.wikidata.org/entity/"
ACTOR_CLASSES = {
    KG[name]
    for name in (
        "ArmedGroup",
        "StateForce",
        "State",
        "IntergovernmentalOrganization",
        "PrivateMilitaryCompany",
        "NewsOrganization",
        "Person",
    )
}
PLACE_CLASSES = {KG[name] for name in ("Country", "City", "Region", "Site")}
ENTITY_CLASSES = ACTOR_CLASSES | PLACE_CLASSES
DURABLE = {
    KG[name]
    for name in (
        "affiliatedWith",
        "leaderOf",
        "supportedBy",
        "alliedWith",
        "memberOf",
        "partOf",
        "locatedIn",
        "opposes",
        "successorOf",
    )
}
QID = re.compile(r"^Q[1-9][0-9]*$")
WKT_POINT = re.compile(r"^POINT\((-?\d+(?:\.\d+)?) (-?\d+(?:\.\d+)?)\)$")


@pytest.fixture(scope="module")
def kb_text() -> str:
    return KB_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def kb(kb_text: str) -> Graph:
    return Graph().parse(data=kb_text, format="turtle", publicID=BASE_A)


@pytest.fixture(scope="module")
def kb_b(kb_text: str) -> Graph:
    return Graph().parse(data=kb_text, format="turtle", publicID=BASE_B)


@pytest.fixture(scope="module")
def tsv_rows() -> list[dict[str, str]]:
    if not TSV_PATH.is_file():
        pytest.skip(f"shared reference table not available at {TSV_PATH}")
    with TSV_PATH.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def entities(graph: Graph) -> set[URIRef]:
    return {s for cls in ENTITY_CLASSES for s in graph.subjects(RDF.type, cls) if isinstance(s, URIRef)}


def pref_en(graph: Graph, node: URIRef) -> str:
    labels = [o for o in graph.objects(node, SKOS.prefLabel) if isinstance(o, Literal) and o.language == "en"]
    assert len(labels) == 1, f"{node}: {len(labels)} English prefLabels"
    return str(labels[0])


def by_label(graph: Graph, label: str) -> URIRef:
    nodes = [s for s in graph.subjects(SKOS.prefLabel, Literal(label, lang="en")) if isinstance(s, URIRef)]
    assert len(nodes) == 1, f"no single entity labelled {label!r}"
    return nodes[0]


def all_labels(graph: Graph, node: URIRef) -> list[str]:
    return [str(o) for p in (SKOS.prefLabel, SKOS.altLabel) for o in graph.objects(node, p)]


# -- file and IRIs ------------------------------------------------------------


def test_file_is_marked_generated_and_has_no_base(kb_text: str) -> None:
    head = kb_text[:1000]
    assert head.startswith("#")
    assert "tools/build_kb.py" in head and "DO NOT EDIT BY HAND" in head
    directives = [line for line in kb_text.splitlines() if re.match(r"\s*@?base\b", line, re.IGNORECASE)]
    assert not directives, directives


def test_relative_iris_resolve_against_the_parse_base(kb: Graph, kb_b: Graph) -> None:
    assert len(kb) == len(kb_b) > 0

    def ours(graph: Graph, base: str) -> set[str]:
        return {
            str(t)[len(base) :] for triple in graph for t in triple if isinstance(t, URIRef) and str(t).startswith(base)
        }

    rel_a, rel_b = ours(kb, BASE_A), ours(kb_b, BASE_B)
    assert rel_a == rel_b
    assert {r.split("/", 1)[0] for r in rel_a} == {"actor", "place", "assertion"}
    for node in entities(kb):
        assert str(node).startswith(BASE_A)
    for node in entities(kb_b):
        assert str(node).startswith(BASE_B)
    assert not any(str(t).startswith(BASE_B) for triple in kb for t in triple)


def test_entity_iri_is_base_kind_and_slug_of_english_label(kb: Graph) -> None:
    for node in entities(kb):
        classes = set(kb.objects(node, RDF.type)) & ENTITY_CLASSES
        prefix = "place/" if classes & PLACE_CLASSES else "actor/"
        assert str(node) == BASE_A + prefix + slug(pref_en(kb, node))


# -- entities and labels ------------------------------------------------------


def test_at_least_80_entities(kb: Graph) -> None:
    assert len(entities(kb)) >= 80


def test_every_entity_has_one_class_one_english_label_and_rdfs_label(kb: Graph) -> None:
    for node in entities(kb):
        classes = set(kb.objects(node, RDF.type)) & ENTITY_CLASSES
        assert len(classes) == 1, f"{node}: classes {classes}"
        label = pref_en(kb, node)
        assert list(kb.objects(node, RDFS.label)) == [Literal(label, lang="en")], node
        french = [o for o in kb.objects(node, SKOS.prefLabel) if isinstance(o, Literal) and o.language == "fr"]
        assert len(french) <= 1, node


def test_no_label_names_two_entities(kb: Graph) -> None:
    owner: dict[str, URIRef] = {}
    for node in entities(kb):
        for text in all_labels(kb, node):
            key = slug(text)
            assert owner.setdefault(key, node) == node, f"{text!r} names {owner[key]} and {node}"


def test_aliases_are_not_short_tokens_or_common_words(kb: Graph) -> None:
    """Short tokens would match ordinary words; only a few all-capital acronyms (UN) are allowed."""
    for node, alias in kb.subject_objects(SKOS.altLabel):
        text = str(alias)
        if text in {"UN"}:
            continue
        assert not re.fullmatch(r"\W*\w{1,2}\W*", text), f"{node}: alias {text!r}"
        assert not (text.isalpha() and text == text.lower() != text.upper()), f"{node}: alias {text!r}"


# -- Wikidata -----------------------------------------------------------------


def test_wikidata_ids_are_well_formed_and_match_same_as(kb: Graph) -> None:
    linked = 0
    for node in entities(kb):
        ids = [str(o) for o in kb.objects(node, KG.wikidataId)]
        same = {str(o) for o in kb.objects(node, OWL.sameAs)}
        assert len(ids) <= 1, node
        if ids:
            linked += 1
            assert QID.match(ids[0]), f"{node}: {ids[0]!r}"
            assert same == {WD + ids[0]}, node
        else:
            assert not same, f"{node}: owl:sameAs without a Wikidata ID"
    assert linked > 0


@pytest.mark.parametrize("label", ["Malian Armed Forces", "Modibo Keita International Airport", "Oumar Diarra"])
def test_unverified_entities_have_no_wikidata_id(kb: Graph, label: str) -> None:
    node = by_label(kb, label)
    assert not list(kb.objects(node, KG.wikidataId))
    assert not list(kb.objects(node, OWL.sameAs))


def test_wikidata_ids_come_only_from_verified_rows(kb: Graph, tsv_rows: list[dict[str, str]]) -> None:
    verified = {r["label_en"]: r["wikidata_qid"] for r in tsv_rows if r["verified"] == "yes"}
    for row in tsv_rows:
        if row["verified"] != "yes" and row["type"] != "Event":
            node = by_label(kb, row["label_en"])
            assert not list(kb.objects(node, KG.wikidataId)), row["label_en"]
    for node, qid in kb.subject_objects(KG.wikidataId):
        assert isinstance(node, URIRef)
        label = pref_en(kb, node)
        assert verified.get(label) == str(qid), f"{label}: {qid} is not the verified ID of a table row"


def test_every_non_event_row_of_the_table_is_an_entity(kb: Graph, tsv_rows: list[dict[str, str]]) -> None:
    labels = {pref_en(kb, node) for node in entities(kb)}
    missing = [r["label_en"] for r in tsv_rows if r["type"] != "Event" and r["label_en"] not in labels]
    assert not missing
    events = [r["label_en"] for r in tsv_rows if r["type"] == "Event"]
    assert events and not set(events) & labels


# -- places -------------------------------------------------------------------


def test_geometries_are_wkt_points_longitude_first(kb: Graph) -> None:
    points = {}
    for node, geometry in kb.subject_objects(GEO.hasGeometry):
        assert str(geometry) == f"{node}/geometry"
        assert (geometry, RDF.type, GEO.Geometry) in kb
        (wkt,) = list(kb.objects(geometry, GEO.asWKT))
        assert isinstance(wkt, Literal) and wkt.datatype == GEO.wktLiteral
        match = WKT_POINT.match(str(wkt))
        assert match, wkt
        points[node] = (float(match[1]), float(match[2]))
    lon, lat = points[by_label(kb, "Bamako")]
    assert round(lon) == -8 and round(lat) == 13  # longitude first


@pytest.mark.parametrize(
    ("city", "country"), [("Bamako", "Mali"), ("Ouagadougou", "Burkina Faso"), ("Niamey", "Niger")]
)
def test_capitals(kb: Graph, city: str, country: str) -> None:
    assert (by_label(kb, city), KG.capitalOf, by_label(kb, country)) in kb
    assert (by_label(kb, city), KG.locatedIn, by_label(kb, country)) in kb


def test_sites_have_a_kind_and_a_place(kb: Graph) -> None:
    for node in kb.subjects(RDF.type, KG.Site):
        assert len(list(kb.objects(node, KG.siteKind))) == 1, node
        assert list(kb.objects(node, KG.locatedIn)), node
    assert (by_label(kb, "Airbase 101"), KG.siteKind, Literal("military airport")) in kb
    assert (by_label(kb, "Faladié Gendarmerie School"), KG.locatedIn, by_label(kb, "Bamako")) in kb


def test_governments_and_armed_forces_point_at_countries(kb: Graph) -> None:
    mali = by_label(kb, "Mali")
    assert (by_label(kb, "Government of Mali"), KG.governmentOf, mali) in kb
    assert (by_label(kb, "Malian Armed Forces"), KG.armedForcesOf, mali) in kb
    for prop, domain in ((KG.governmentOf, KG.State), (KG.armedForcesOf, KG.StateForce), (KG.capitalOf, KG.City)):
        for subject, country in kb.subject_objects(prop):
            assert (subject, RDF.type, domain) in kb
            assert (country, RDF.type, KG.Country) in kb


def test_one_capital_army_and_government_per_country(kb: Graph) -> None:
    """'the capital', 'the army', 'the government' of a country resolve to the one entity linked to it."""
    for prop in (KG.capitalOf, KG.armedForcesOf, KG.governmentOf):
        countries = [country for _, country in kb.subject_objects(prop)]
        assert len(countries) == len(set(countries)), prop


def test_every_town_lies_in_a_country(kb: Graph) -> None:
    countries = set(kb.subjects(RDF.type, KG.Country))
    for node in kb.subjects(RDF.type, KG.City):
        assert set(kb.transitive_objects(node, KG.locatedIn)) & countries, pref_en(kb, node)


@pytest.mark.parametrize(
    ("town", "region", "country"),
    [
        ("Douentza", "Mopti Region", "Mali"),
        ("Arbinda", "Soum Province", "Burkina Faso"),
        ("Arbinda", "Sahel Region (Burkina Faso)", "Burkina Faso"),
        ("Ouallam", "Tillabéri Region", "Niger"),
        ("Porga", "Atacora Department", "Benin"),
    ],
)
def test_towns_lie_in_their_region(kb: Graph, town: str, region: str, country: str) -> None:
    assert (by_label(kb, town), KG.locatedIn, by_label(kb, region)) in kb
    assert (by_label(kb, region), KG.locatedIn, by_label(kb, country)) in kb


def test_a_corps_is_part_of_its_armed_forces_not_the_army_of_its_country(kb: Graph) -> None:
    gendarmerie, army = by_label(kb, "Malian National Gendarmerie"), by_label(kb, "Malian Armed Forces")
    assert (gendarmerie, KG.partOf, army) in kb
    assert not list(kb.objects(gendarmerie, KG.armedForcesOf))


# -- relations ------------------------------------------------------------------


def test_every_relation_assertion_has_a_source_and_its_triple(kb: Graph) -> None:
    assertions = list(kb.subjects(RDF.type, KG.RelationAssertion))
    assert assertions
    stated = set()
    for node in assertions:
        assert str(node).startswith(BASE_A + "assertion/kb/")
        sources = [str(o) for o in kb.objects(node, DCTERMS.source)]
        assert len(sources) == 1 and sources[0].strip(), node
        (s,) = kb.objects(node, RDF.subject)
        (p,) = kb.objects(node, RDF.predicate)
        (o,) = kb.objects(node, RDF.object)
        assert p in DURABLE and (s, p, o) in kb
        assert (s, p, o) not in stated, f"{node} repeats a relation"
        stated.add((s, p, o))
    direct = {(s, p, o) for p in DURABLE for s, o in kb.subject_objects(p)}
    assert direct == stated, "every durable relation is reified exactly once"


def test_relations_from_the_table(kb: Graph) -> None:
    jnim = by_label(kb, "Jama'at Nusrat al-Islam wal-Muslimin")
    assert (jnim, KG.affiliatedWith, by_label(kb, "al-Qaeda")) in kb
    assert (by_label(kb, "Oumar Diarra"), KG.leaderOf, by_label(kb, "Malian Armed Forces")) in kb
    assert (by_label(kb, "Mali"), KG.memberOf, by_label(kb, "Alliance of Sahel States")) in kb


# -- generation -------------------------------------------------------------------


def test_file_is_what_the_generator_writes(kb_text: str, tsv_rows: list[dict[str, str]]) -> None:
    from tools.build_kb import build_graph, load_entities, read_table, render

    entities_, relations = load_entities(read_table(Path(TSV_PATH)))
    assert render(build_graph(entities_, relations)) == kb_text, "kb.ttl was edited by hand or is stale"


# -- the curated input (tools/kb/*.toml) ---------------------------------------------


def _curated(tmp_path: Path, text: str):  # type: ignore[no-untyped-def]
    from tools.build_kb import load_curated

    (tmp_path / "one.toml").write_text(text, encoding="utf-8")
    return load_curated(tmp_path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[entity]]\nlabel_en = "X"\nkind = "City"\nwikidata = "Q1"\n', "unknown keys"),
        ('[[entity]]\nlabel_en = "X"\nkind = "Town"\n', "unknown kind"),
        (
            'relations = [{ subject = "A", predicate = "owns", object = "B", curated = "geography" }]\n',
            "unknown predicate",
        ),
        (
            'relations = [{ subject = "A", predicate = "partOf", object = "B", curated = "geography", row = "A" }]\n',
            "no row, quote or source",
        ),
        (
            'relations = [{ subject = "A", predicate = "partOf", object = "B", row = "A", quote = "q" }]\n',
            "no [quotes] entry",
        ),
        ('[[group]]\nkind = "City"\nmembers = []\n', "non-empty list"),
        ('[curation.X]\nlocated_in = "Mali"\n', "list of strings"),
    ],
)
def test_curated_input_is_checked(tmp_path: Path, text: str, message: str) -> None:
    from tools.build_kb import KbBuildError

    with pytest.raises(KbBuildError, match=re.escape(message)):
        _curated(tmp_path, text)


def test_group_members_share_kind_and_places(tmp_path: Path) -> None:
    curated = _curated(
        tmp_path,
        '[[group]]\nkind = "City"\nlocated_in = ["Mali"]\n'
        'members = ["Douentza", { label_en = "Timbuktu", label_fr = "Tombouctou", located_in = ["Timbuktu Region"] }]\n',
    )
    first, second = curated.additions
    assert (first.label_en, first.label_fr, first.kind, first.located_in) == ("Douentza", "Douentza", "City", ("Mali",))
    assert (second.label_fr, second.located_in) == ("Tombouctou", ("Mali", "Timbuktu Region"))


def test_a_second_army_of_one_country_fails(tmp_path: Path, tsv_rows: list[dict[str, str]]) -> None:
    from tools.build_kb import DEFAULT_CURATED, KbBuildError, load_curated, load_entities, read_table

    for source in DEFAULT_CURATED.glob("*.toml"):
        (tmp_path / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "zz.toml").write_text(
        '[[entity]]\nlabel_en = "Second Army of Mali"\nkind = "StateForce"\narmed_forces_of = "Mali"\n',
        encoding="utf-8",
    )
    with pytest.raises(KbBuildError, match="both armed_forces_of 'Mali'"):
        load_entities(read_table(TSV_PATH), load_curated(tmp_path))
