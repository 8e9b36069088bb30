"""The ACLED-style CSV: ACLED's columns, one row per event, values from the graph."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest

from kg.config import Settings
from kg.export.acled import _interaction, _when, export_acled, fatalities
from kg.pipeline.prepare import IngestReport
from kg.store.graphs import KgStore

# ACLED's export columns, in ACLED's order (written out here, not imported, so that the test checks the module).
ACLED_COLUMNS = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
]
BASE = "https://w3id.org/osint-kg/id/"
PREFIXES = """
PREFIX kg: <https://w3id.org/osint-kg/ontology#>
PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>
PREFIX et: <https://w3id.org/osint-kg/event-type/>
PREFIX time: <http://www.w3.org/2006/time#>
PREFIX ck: <https://w3id.org/osint-kg/casualty-kind/>
"""


@pytest.fixture(scope="module")
def exported(example_build: tuple[Settings, IngestReport]) -> Iterator[tuple[str, KgStore]]:
    with KgStore(example_build[0].store) as store:
        buffer = io.BytesIO()
        export_acled(store, buffer)
        yield buffer.getvalue().decode("utf-8"), store


@pytest.fixture(scope="module")
def rows(exported: tuple[str, KgStore]) -> dict[str, dict[str, str]]:
    """Rows by event IRI (from the tags column)."""
    records = list(csv.DictReader(io.StringIO(exported[0])))
    return {r["tags"].removeprefix("osint-kg="): r for r in records}


def _values(store: KgStore, query: str, name: str) -> list[str]:
    return [row[name].value for row in store.select(PREFIXES + query)]


@pytest.mark.slow
def test_header_is_acleds_columns(exported: tuple[str, KgStore]) -> None:
    lines = list(csv.reader(io.StringIO(exported[0])))
    assert lines[0] == ACLED_COLUMNS
    assert all(len(line) == len(ACLED_COLUMNS) for line in lines[1:])


@pytest.mark.slow
def test_one_row_per_event(exported: tuple[str, KgStore], rows: dict[str, dict[str, str]]) -> None:
    events = _values(exported[1], "SELECT DISTINCT ?e WHERE { ?e a sem:Event }", "e")
    assert len(list(csv.reader(io.StringIO(exported[0])))) - 1 == len(events) > 20
    assert set(rows) == set(events)
    assert len({r["event_id_cnty"] for r in rows.values()}) == len(events)


@pytest.mark.slow
def test_known_values_of_the_barsalogho_attack(exported: tuple[str, KgStore], rows: dict[str, dict[str, str]]) -> None:
    event = BASE + "event/violence/2024-08-24/barsalogho"
    row = rows[event]
    assert row["event_id_cnty"].startswith("BFA") and row["event_id_cnty"][3:].isdigit()
    assert (row["event_date"], row["year"], row["time_precision"]) == ("2024-08-24", "2024", "1")
    assert (row["disorder_type"], row["event_type"], row["sub_event_type"]) == (
        "Political violence",
        "Battles",
        "Armed clash",
    )
    assert (row["actor1"], row["inter1"], row["interaction"]) == ("Jama'at Nusrat al-Islam wal-Muslimin", "2", "20")
    assert (row["iso"], row["country"], row["admin1"], row["location"]) == (
        "854",
        "Burkina Faso",
        "Centre-Nord Region",
        "Barsalogho",
    )
    assert (float(row["latitude"]), float(row["longitude"])) == pytest.approx((13.41389, -1.05583), abs=1e-4)
    assert row["geo_precision"] == "1"
    killed = [
        int(v)
        for v in _values(
            exported[1],
            f"""
        SELECT ?count WHERE {{ ?f kg:figureFor <{event}> ; kg:casualtyKind ck:killed ; kg:count ?count }}""",
            "count",
        )
    ]
    assert len(set(killed)) > 1
    assert min(killed) <= int(row["fatalities"]) < max(killed)
    assert len(row["source"].split("; ")) >= 2
    assert "Barsalogho" in row["notes"] and row["region"] == "" and row["source_scale"] == ""
    assert int(row["timestamp"]) > 0


@pytest.mark.slow
def test_coarse_dates_go_to_the_middle_of_the_period(
    exported: tuple[str, KgStore], rows: dict[str, dict[str, str]]
) -> None:
    for unit, suffix in (("unitMonth", "-15"), ("unitYear", "-07-01")):
        events = _values(exported[1], f"SELECT ?e WHERE {{ ?e a sem:Event ; kg:datePrecision time:{unit} }}", "e")
        assert events, unit
        for event in events:
            assert rows[event]["time_precision"] == "3" and rows[event]["event_date"].endswith(suffix)


@pytest.mark.slow
def test_types_follow_the_ontology_alignment(exported: tuple[str, KgStore], rows: dict[str, dict[str, str]]) -> None:
    massacres = _values(exported[1], "SELECT ?e WHERE { ?e sem:eventType et:Massacre }", "e")
    statements = _values(exported[1], "SELECT ?e WHERE { ?e sem:eventType et:Condemnation }", "e")
    coups = _values(exported[1], "SELECT ?e WHERE { ?e sem:eventType et:Coup }", "e")
    assert massacres and statements and coups
    for event in massacres:
        assert (rows[event]["event_type"], rows[event]["sub_event_type"], rows[event]["civilian_targeting"]) == (
            "Violence against civilians",
            "Attack",
            "Civilian targeting",
        )
    for event in statements:
        assert rows[event]["event_type"] == rows[event]["disorder_type"] == ""
    for event in coups:
        assert (rows[event]["event_type"], rows[event]["disorder_type"], rows[event]["sub_event_type"]) == (
            "Strategic developments",
            "Strategic developments",
            "",
        )


@pytest.mark.parametrize(
    ("date", "precision", "expected"),
    [
        ("2024-08-24", "http://www.w3.org/2006/time#unitDay", ("2024-08-24", "2024", "1")),
        ("2022-09", "http://www.w3.org/2006/time#unitMonth", ("2022-09-15", "2022", "3")),
        ("2012", "http://www.w3.org/2006/time#unitYear", ("2012-07-01", "2012", "3")),
    ],
)
def test_dates_by_precision(date: str, precision: str, expected: tuple[str, str, str]) -> None:
    assert _when(date, precision) == expected


def test_fatalities_are_the_lowest_of_the_sources_totals() -> None:
    killed = {("graph/1", ""): [27, 6], ("graph/1", "actor/army"): [21], ("graph/2", ""): [30]}
    assert fatalities(killed) == 21
    assert fatalities({("graph/1", ""): [2, 40]}) == 40
    assert fatalities({}) is None


@pytest.mark.parametrize(
    ("inter1", "inter2", "expected"), [(2, 1, "12"), (1, 8, "18"), (2, None, "20"), (None, 1, ""), (None, None, "")]
)
def test_interaction_codes(inter1: int | None, inter2: int | None, expected: str) -> None:
    assert _interaction(inter1, inter2) == expected
