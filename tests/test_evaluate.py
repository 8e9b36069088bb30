"""The project's own scorer: each matching rule of FORMAT.md, agreement with score.py, and `kg evaluate`."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kg.errors import ConfigError
from kg.evaluate.gold import GoldSet, load_gold
from kg.evaluate.match import score_facts
from kg.evaluate.metrics import Scores
from kg.evaluate.run import evaluate
from kg.export.facts import load_facts, read_facts
from kg.store.graphs import KgStore
from kg.text.fold import name_key
from tests.conftest import PROJECT_ROOT

SHARED_SCORER = PROJECT_ROOT.parent / "shared" / "eval" / "score.py"
GOLD = PROJECT_ROOT / "examples" / "gold"
EXAMPLES = PROJECT_ROOT / "examples" / "corpus"


def doc(file: str = "a.txt", **parts: Any) -> dict[str, Any]:
    """A gold document with only the given parts."""
    return {"file": file, "entities": [], "events": [], "relations": [], **parts}


def entity(name: str, type: str = "ArmedGroup", **extra: Any) -> dict[str, Any]:
    return {"name": name, "type": type, "mentions": extra.pop("mentions", [name]), **extra}


def event(type: str, date: str | None, place: str | None, **extra: Any) -> dict[str, Any]:
    return {"type": type, "date": date, "place": place, **extra}


def score(
    gold_docs: list[dict[str, Any]], predicted: list[dict[str, Any]], corpus: dict[str, Any] | None = None
) -> Scores:
    return score_facts(GoldSet.from_json(gold_docs, corpus), {"documents": predicted})


def counts(scores: Scores, part: str) -> tuple[int, int, int]:
    found = getattr(scores.documents[0], part).counts
    return found.tp, found.fp, found.fn


# --- names --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, folded",
    [
        ("JNIM", "jnim"),
        ("Tillabéri", "tillaberi"),
        ("the Islamic State's", "islamic state"),
        ("Jama’at Nusrat al-Islam", "jama at nusrat al islam"),
        ("L'Armée", "armee"),
        ("  «Le Sahel»  ", "sahel"),
        (None, ""),
    ],
)
def test_fold_drops_case_accents_quotes_articles_and_possessives(raw: str | None, folded: str) -> None:
    assert name_key(raw) == folded


def test_entity_matches_by_folded_mention_and_counts_type() -> None:
    gold = [
        doc(
            entities=[
                entity("JNIM", mentions=["Jama’at Nusrat al-Islam wal-Muslimin"]),
                entity("Tillabéri Region", "Region"),
            ]
        )
    ]
    predicted = [
        {
            "file": "a.txt",
            "entities": [
                {"id": "x:1", "name": "Jama'at Nusrat al-Islam wal-Muslimin", "type": "ArmedGroup", "mentions": []},
                {"id": "x:2", "name": "TILLABERI REGION", "type": "City", "mentions": []},
            ],
        }
    ]
    scores = score(gold, predicted)
    assert counts(scores, "entities") == (2, 0, 0)
    assert scores.type_accuracy == 0.5


def test_entity_resolves_through_its_aliases_in_events() -> None:
    """A predicted label the gold does not know resolves through the entity's KB aliases."""
    gold = [doc(entities=[entity("JNIM")], events=[event("Attack", "2024", "Djibo", perpetrators=["JNIM"])])]
    predicted = [
        {
            "file": "a.txt",
            "entities": [
                {
                    "id": "x:jnim",
                    "name": "Group for the Support of Islam and Muslims",
                    "type": "ArmedGroup",
                    "mentions": ["GSIM"],
                    "aliases": ["JNIM"],
                }
            ],
            "events": [
                {
                    "id": "e:1",
                    "type": "Attack",
                    "date": "2024-01-02",
                    "place": "Djibo",
                    "perpetrators": ["Group for the Support of Islam and Muslims"],
                }
            ],
        }
    ]
    scores = score(gold, predicted)
    assert counts(scores, "entities") == (1, 0, 0)
    assert scores.slots["perpetrators"] == 1.0


def test_optional_entities_neither_count_nor_cost() -> None:
    gold = [
        doc(entities=[entity("JNIM"), entity("Reuters", "NewsOrganization", optional=True)], optional_entities=["AFP"])
    ]
    predicted = [
        {
            "file": "a.txt",
            "entities": [
                {"id": "1", "name": "JNIM", "type": "ArmedGroup", "mentions": []},
                {"id": "2", "name": "Reuters", "type": "NewsOrganization", "mentions": []},
                {"id": "3", "name": "Agence", "type": "Other", "mentions": ["AFP"]},
                {"id": "4", "name": "Bamako", "type": "City", "mentions": []},
            ],
        }
    ]
    scores = score(gold, predicted)
    assert counts(scores, "entities") == (1, 1, 0)
    assert scores.documents[0].entities.spurious == ["Bamako"]


def test_global_gold_names_resolve_but_still_count_as_extra() -> None:
    """A name annotated only in another document is recognised, and is an extra here."""
    gold = [doc("a.txt", entities=[entity("JNIM")]), doc("b.txt", entities=[entity("Wagner Group", "Other")])]
    predicted = [
        {
            "file": "a.txt",
            "entities": [
                {"id": "1", "name": "JNIM", "type": "ArmedGroup"},
                {"id": "2", "name": "the Wagner Group", "type": "Other"},
            ],
        }
    ]
    assert counts(score(gold, predicted), "entities") == (1, 1, 0)


# --- events -------------------------------------------------------------------------------------------------


def _one_event(gold_event: dict[str, Any], predicted_event: dict[str, Any], **gold_parts: Any) -> tuple[int, int, int]:
    gold = [doc(events=[gold_event], **gold_parts)]
    predicted = [{"file": "a.txt", "entities": [], "events": [{"id": "e:1", **predicted_event}]}]
    return counts(score(gold, predicted), "events")


@pytest.mark.parametrize(
    "predicted_type, matches",
    [
        ("Attack", True),
        ("Ambush", True),
        ("Massacre", True),
        ("HostageTaking", True),
        ("Coup", False),
        ("Statement", False),
    ],
)
def test_violent_types_match_each_other(predicted_type: str, matches: bool) -> None:
    found = _one_event(
        event("Attack", "2019-12-10", "Inates"), {"type": predicted_type, "date": "2019-12-10", "place": "Inates"}
    )
    assert found == ((1, 0, 0) if matches else (0, 1, 1))


def test_alt_types_match_outside_the_violent_family() -> None:
    gold_event = event("Closure", "2023-07-27", "Niger", alt_types=["Other"])
    assert _one_event(gold_event, {"type": "Other", "date": "2023-07-27", "place": "Niger"}) == (1, 0, 0)


@pytest.mark.parametrize(
    "gold_extra, predicted_date, matches",
    [
        ({"date": "2024-08"}, "2024-08-24", True),
        ({"date": "2024"}, "2024-08-24", True),
        ({"date": "2024-08-24"}, "2024-08", False),
        ({"date": "2024-08-24"}, None, False),
        ({"date": None}, None, True),
        ({"date": "2024-07-25", "date_end": "2024-07-27"}, "2024-07-26", True),
        ({"date": "2024-07-25", "date_end": "2024-07-27"}, "2024-07-28", False),
        ({"date": "2015-11-20", "alt_dates": ["2015"]}, "2015-03-07", True),
    ],
)
def test_date_by_prefix_span_and_alternatives(
    gold_extra: dict[str, Any], predicted_date: str | None, matches: bool
) -> None:
    gold_event = {**event("Attack", None, "Barsalogho"), **gold_extra}
    found = _one_event(gold_event, {"type": "Attack", "date": predicted_date, "place": "Barsalogho"})
    assert found == ((1, 0, 0) if matches else (0, 1, 1))


@pytest.mark.parametrize(
    "predicted, matches",
    [
        ({"place": "Bamako"}, False),
        ({"place": "Bamako", "sites": ["Radisson Blu hotel"]}, True),
        ({"place": "Radisson Blu Hotel, Bamako"}, True),
        ({"place": "Mali", "sites": []}, False),
        ({"place": "Hôtel Radisson"}, True),
        ({"place": None}, False),
    ],
)
def test_place_by_place_sites_and_alt_places(predicted: dict[str, Any], matches: bool) -> None:
    gold_event = event(
        "HostageTaking",
        "2015-11-20",
        "Radisson Blu Hotel, Bamako",
        sites=["Radisson Blu Hotel, Bamako"],
        alt_places=["Hôtel Radisson"],
    )
    gold_entities = [
        entity("Radisson Blu Hotel, Bamako", "Site", mentions=["Radisson Blu hotel"]),
        entity("Bamako", "City"),
    ]
    found = _one_event(gold_event, {"type": "Attack", "date": "2015-11-20", **predicted}, entities=gold_entities)
    assert found == ((1, 0, 0) if matches else (0, 1, 1))


def test_pairs_are_one_to_one_and_optional_events_absorb_predictions() -> None:
    gold = [
        doc(
            events=[
                event("Attack", "2024-08-24", "Barsalogho"),
                event("ClaimOfResponsibility", "2024-08-25", None, optional=True),
            ]
        )
    ]
    predicted = [
        {
            "file": "a.txt",
            "events": [
                {"id": "1", "type": "Massacre", "date": "2024-08-24", "place": "Barsalogho"},
                {"id": "2", "type": "Attack", "date": "2024-08-24", "place": "Barsalogho"},
                {"id": "3", "type": "ClaimOfResponsibility", "date": "2024-08-25", "place": None},
            ],
        }
    ]
    scores = score(gold, predicted)
    assert counts(scores, "events") == (1, 1, 0)
    assert scores.documents[0].events.missing == []


def test_missing_events_are_named() -> None:
    gold = [doc(events=[event("Coup", "2023-07-26", "Niamey")])]
    scores = score(gold, [{"file": "a.txt"}])
    assert scores.documents[0].events.missing == ["Coup 2023-07-26 Niamey"]


def test_slots_scored_on_matched_pairs() -> None:
    gold_event = event(
        "Attack",
        "2024-08-24",
        "Barsalogho",
        perpetrators=["JNIM"],
        claimed_by=["JNIM"],
        sites=[],
        casualties=[
            {"kind": "killed", "count": 300, "according_to": "JNIM"},
            {"kind": "killed", "count": 400, "according_to": "Justice pour Barsalogho"},
            {"kind": "injured", "count": 2, "according_to": "the article"},
            {"kind": "killed", "count": None, "according_to": None},
        ],
    )
    gold = [doc(entities=[entity("JNIM"), entity("Justice pour Barsalogho", "Other")], events=[gold_event])]
    predicted = [
        {
            "file": "a.txt",
            "entities": [{"id": "1", "name": "JNIM", "type": "ArmedGroup"}],
            "events": [
                {
                    "id": "e",
                    "type": "Massacre",
                    "date": "2024-08-24",
                    "place": "Barsalogho",
                    "perpetrators": ["JNIM", "Islamic State"],
                    "claimed_by": [],
                    "sites": ["Barsalogho market"],
                    "casualties": [
                        {"kind": "killed", "count": 300, "according_to": "JNIM"},
                        {"kind": "killed", "count": 400, "according_to": None},
                    ],
                }
            ],
        }
    ]
    slots = score(gold, predicted).slots
    assert slots["perpetrators"] == pytest.approx(2 / 3)
    assert slots["claimed_by"] == 0.0
    assert slots["sites"] is None  # the text names no site: not scored
    assert slots["casualty_figures"] == pytest.approx(2 / 3)
    assert slots["casualty_attribution"] == 0.5


# --- relations ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "predicted, found",
    [
        ({"subject": "JNIM", "predicate": "affiliatedWith", "object": "al-Qaeda"}, (1, 0, 0)),
        ({"subject": "JNIM", "predicate": "memberOf", "object": "al-Qaeda"}, (1, 0, 0)),
        ({"subject": "JNIM", "predicate": "affiliatedWith", "object": "AQIM"}, (1, 0, 0)),
        ({"subject": "JNIM", "predicate": "alliedWith", "object": "al-Qaeda"}, (0, 1, 1)),
        ({"subject": "Ansar Dine", "predicate": "partOf", "object": "JNIM"}, (0, 0, 1)),
    ],
)
def test_relations_with_alternatives_and_optional_ones(predicted: dict[str, str], found: tuple[int, int, int]) -> None:
    gold = [
        doc(
            entities=[entity("JNIM"), entity("al-Qaeda"), entity("al-Qaeda in the Islamic Maghreb", mentions=["AQIM"])],
            relations=[
                {
                    "subject": "JNIM",
                    "predicate": "affiliatedWith",
                    "object": "al-Qaeda",
                    "alt_predicates": ["memberOf"],
                    "alt_objects": ["al-Qaeda in the Islamic Maghreb"],
                },
                {"subject": "Ansar Dine", "predicate": "partOf", "object": "JNIM", "optional": True},
            ],
        )
    ]
    assert counts(score(gold, [{"file": "a.txt", "relations": [predicted]}]), "relations") == found


# --- fusion and leaks ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("second_id, fused", [("ev:1", 2), ("ev:2", 1)])
def test_fusion_counts_sources_sharing_one_iri(second_id: str, fused: int) -> None:
    corpus = {
        "fused_events": [
            {"type": "Massacre", "date": "2024-08-24", "place": "Barsalogho", "sources": ["a.txt", "b.txt", "c.txt"]}
        ]
    }
    predicted = [
        {"file": "a.txt", "events": [{"id": "ev:1", "type": "Attack", "date": "2024-08-24", "place": "Barsalogho"}]},
        {
            "file": "b.txt",
            "events": [{"id": second_id, "type": "Massacre", "date": "2024-08-24", "place": "Barsalogho"}],
        },
        {"file": "c.txt", "events": [{"id": "ev:3", "type": "Coup", "date": "2024-08-24", "place": "Barsalogho"}]},
    ]
    barsalogho = [entity("Barsalogho", "City")]
    scores = score([doc("a.txt", entities=barsalogho), doc("b.txt"), doc("c.txt")], predicted, corpus)
    (only,) = scores.fusion
    assert (only.sources, only.found_in, only.fused) == (3, 2, fused)
    assert f"fusion {fused}/3 |" in scores.summary_line()


def test_leaks_are_entities_from_page_furniture() -> None:
    gold = [doc(must_not_extract_entities=["Kylian Mbappé", "Paris Saint-Germain"])]
    predicted = [
        {
            "file": "a.txt",
            "entities": [
                {"id": "1", "name": "Mbappe", "type": "Person", "mentions": ["Kylian Mbappe"]},
                {"id": "2", "name": "JNIM", "type": "ArmedGroup", "mentions": ["JNIM"]},
            ],
        }
    ]
    scores = score(gold, predicted)
    assert scores.documents[0].leaks == ["Mbappe"]
    assert scores.leaks == 1


def test_summary_line_has_the_shape_of_score_py() -> None:
    gold = [doc(entities=[entity("JNIM")])]
    line = score(
        gold, [{"file": "a.txt", "entities": [{"id": "1", "name": "JNIM", "type": "ArmedGroup"}]}]
    ).summary_line()
    assert line == (
        "entities P=1.00 R=1.00 F1=1.00 types=1.00 | events P=0.00 R=0.00 F1=0.00 | "
        "relations P=0.00 R=0.00 F1=0.00 | fusion n/a | leaks 0"
    )


def test_documents_missing_from_facts_score_zero() -> None:
    scores = score([doc("a.txt", entities=[entity("JNIM")])], [])
    assert scores.missing_from_facts == ["a.txt"]
    assert counts(scores, "entities") == (0, 0, 1)


# --- errors -------------------------------------------------------------------------------------------------


def test_gold_dir_without_gold_files_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=str(tmp_path)):
        load_gold(tmp_path)


@pytest.mark.parametrize(
    "content, problem",
    [
        ('{"file": "a.txt", "entities": [', "Invalid JSON"),
        ('["not", "an", "object"]', "Input should be an object"),
        ('{"file": "a.txt", "events": [{"date": "2024"}]}', r"events\[0\]\.type: Field required"),
        ('{"file": "a.txt", "entities": [{"name": "JNIM", "mentions": "JNIM"}]}', r"entities\[0\]\.mentions"),
    ],
)
def test_a_malformed_gold_file_is_named_with_its_problem(tmp_path: Path, content: str, problem: str) -> None:
    (tmp_path / "a.txt.gold.json").write_text('{"file": "a.txt"}', encoding="utf-8")
    bad = tmp_path / "b.txt.gold.json"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=rf"^{re.escape(str(bad))}: malformed gold annotation: .*{problem}"):
        load_gold(tmp_path)


def test_a_malformed_corpus_json_is_named(tmp_path: Path) -> None:
    (tmp_path / "a.txt.gold.json").write_text('{"file": "a.txt"}', encoding="utf-8")
    corpus = tmp_path / "corpus.json"
    corpus.write_text('{"fused_events": [{"type": "Attack", "sources": "a.txt"}]}', encoding="utf-8")
    with pytest.raises(
        ConfigError, match=rf"^{re.escape(str(corpus))}: malformed gold annotation: fused_events\[0\]\.sources"
    ):
        load_gold(tmp_path)


def test_null_lists_and_flags_of_a_gold_file_are_empty(tmp_path: Path) -> None:
    (tmp_path / "a.txt.gold.json").write_text(
        '{"file": "a.txt", "entities": [{"name": "JNIM", "mentions": null, "optional": null}], "events": null}',
        encoding="utf-8",
    )
    (document,) = load_gold(tmp_path).documents.values()
    assert document.entities[0].mentions == () and not document.entities[0].optional and document.events == ()


@pytest.mark.parametrize(
    "content, problem",
    [
        ('{"documents": [', "not a readable facts export"),
        (
            '{"documents": [{"file": "a.txt", "entities": [{"id": "x", "type": "City"}]}]}',
            r"documents\[0\]\.entities\[0\]\.name",
        ),
    ],
)
def test_a_malformed_facts_file_is_named_with_its_problem(tmp_path: Path, content: str, problem: str) -> None:
    bad = tmp_path / "facts.json"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=rf"^{re.escape(str(bad))}: .*{problem}"):
        load_facts(bad)


def test_corpus_dir_without_articles_is_named(tmp_path: Path) -> None:
    empty = tmp_path / "corpus"
    empty.mkdir()
    with pytest.raises(ConfigError, match="no articles"):
        evaluate(GOLD, empty)


# --- agreement with the shared scorer -----------------------------------------------------------------------


def _shared_scorer() -> Path:
    if not SHARED_SCORER.is_file():
        pytest.skip(f"{SHARED_SCORER} not present")
    return SHARED_SCORER


def _run_shared(gold_dir: Path, facts_data: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    facts_file = tmp_path / "facts.json"
    facts_file.write_text(json.dumps(facts_data, ensure_ascii=False), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(_shared_scorer()), str(gold_dir), str(facts_file), "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    figures: dict[str, Any] = json.loads(result.stdout)
    return figures


def _assert_same_figures(mine: Any, theirs: Any, where: str = "") -> None:
    """Every number, list and name of score.py's JSON, floats to 1e-9."""
    if isinstance(theirs, dict):
        assert set(mine) >= set(theirs), where
        for key, value in theirs.items():
            _assert_same_figures(mine[key], value, f"{where}/{key}")
    elif isinstance(theirs, list):
        assert len(mine) == len(theirs), where
        for i, (a, b) in enumerate(zip(mine, theirs, strict=False)):
            _assert_same_figures(a, b, f"{where}[{i}]")
    elif isinstance(theirs, float):
        assert mine == pytest.approx(theirs, abs=1e-9), where
    else:
        assert mine == theirs, where


def test_hand_written_cases_score_as_score_py_scores_them(tmp_path: Path) -> None:
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    gold_docs = [
        doc(
            "a.txt",
            entities=[entity("JNIM"), entity("Barsalogho", "City", mentions=["Barsalogho"])],
            events=[
                event(
                    "Attack",
                    "2024-08-24",
                    "Barsalogho",
                    perpetrators=["JNIM"],
                    casualties=[{"kind": "killed", "count": 300, "according_to": "JNIM"}],
                ),
                event("Statement", "2024-08-25", None, optional=True),
            ],
            relations=[{"subject": "JNIM", "predicate": "affiliatedWith", "object": "al-Qaeda"}],
            must_not_extract_entities=["PSG"],
        ),
        doc(
            "b.txt",
            entities=[entity("Wagner Group", "PrivateMilitaryCompany")],
            events=[event("Clash", "2024-07-25", "Tinzaouaten", date_end="2024-07-27")],
        ),
    ]
    corpus = {
        "fused_events": [
            {"type": "Massacre", "date": "2024-08-24", "place": "Barsalogho", "sources": ["a.txt", "b.txt"]}
        ]
    }
    for gold_doc in gold_docs:
        (gold_dir / f"{gold_doc['file']}.gold.json").write_text(json.dumps(gold_doc), encoding="utf-8")
    (gold_dir / "corpus.json").write_text(json.dumps(corpus), encoding="utf-8")
    predicted = {
        "documents": [
            {
                "file": "a.txt",
                "entities": [
                    {"id": "1", "name": "JNIM", "type": "ArmedGroup", "mentions": ["JNIM"]},
                    {"id": "2", "name": "PSG", "type": "Other", "mentions": ["PSG"]},
                ],
                "events": [
                    {
                        "id": "ev",
                        "type": "Massacre",
                        "date": "2024-08-24",
                        "place": "Barsalogho",
                        "perpetrators": ["JNIM"],
                        "casualties": [{"kind": "killed", "count": 300, "according_to": "JNIM"}],
                    },
                    {"id": "st", "type": "Statement", "date": "2024-08-25", "place": None},
                ],
                "relations": [{"subject": "JNIM", "predicate": "affiliatedWith", "object": "Al Qaeda"}],
            },
            {
                "file": "b.txt",
                "entities": [{"id": "3", "name": "Wagner", "type": "Other", "mentions": ["Wagner"]}],
                "events": [{"id": "c", "type": "Attack", "date": "2024-07-27", "place": "Tinzaouaten"}],
            },
        ]
    }
    mine = score_facts(load_gold(gold_dir), predicted).to_json()
    _assert_same_figures(mine, _run_shared(gold_dir, predicted, tmp_path))


@pytest.mark.slow
def test_own_scorer_equals_score_py_on_the_examples(example_store: KgStore, tmp_path: Path) -> None:
    shared = _shared_scorer()
    exported = read_facts(example_store).model_dump()
    theirs = _run_shared(GOLD, exported, tmp_path)
    mine = score_facts(load_gold(GOLD), exported)
    _assert_same_figures(mine.to_json(), theirs)
    facts_file = tmp_path / "facts.json"
    last_line = (
        subprocess.run(
            [sys.executable, str(shared), str(GOLD), str(facts_file)],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    assert mine.summary_line() == last_line


# --- the command --------------------------------------------------------------------------------------------


def kg(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "COLUMNS": "200", "NO_COLOR": "1"}
    env.pop("KG_STORE", None)
    return subprocess.run(
        [sys.executable, "-m", "kg.cli", *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_evaluate_help_explains(tmp_path: Path) -> None:
    result = kg("evaluate", "--help", cwd=tmp_path)
    assert result.returncode == 0
    for option in ("GOLD_DIR", "CORPUS_DIR", "--meta", "--scorer", "--json"):
        assert option in result.stdout


def test_evaluate_names_an_empty_gold_dir(tmp_path: Path) -> None:
    result = kg("evaluate", tmp_path, EXAMPLES, cwd=tmp_path)
    assert result.returncode == 1
    assert "no gold annotations" in result.stderr


@pytest.mark.slow
def test_evaluate_command_prints_documents_kinds_and_summary(tmp_path: Path) -> None:
    """Run from an empty folder: the command builds its own store and leaves no ./data/store behind."""
    result = kg("evaluate", GOLD, EXAMPLES, "--json", tmp_path / "scores.json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "== 01_radisson-blu-bamako.txt" in lines
    assert any(line.strip().startswith("entities  tp=") for line in lines)
    assert "per kind" in result.stdout
    for header in ("kind", "docs", "entity F1", "type acc", "event F1", "relation F1"):
        assert header in result.stdout
    for kind in ("report", "noisy", "french", "timeline"):
        assert any(kind in line for line in lines if "│" in line), kind
    assert lines[-1].startswith("entities P=") and "| fusion " in lines[-1] and "| leaks " in lines[-1]
    written = json.loads((tmp_path / "scores.json").read_text(encoding="utf-8"))
    assert set(written["by_kind"]) >= {"report", "noisy"}
    assert len(written["ingest"]["loaded"]) == 14
    assert not (tmp_path / "data").exists()


@pytest.mark.slow
def test_sealed_evaluation_prints_aggregates_and_no_article(tmp_path: Path) -> None:
    """A sealed test split is read by its aggregate lines only: no file name, text or per-document miss."""
    result = kg("evaluate", GOLD, EXAMPLES, "--sealed", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "sealed split: 14 articles loaded, 0 not"
    assert lines[1].startswith("slots: perpetrators=")
    assert lines[2].startswith("entities P=") and "| leaks " in lines[2]
    assert len(lines) == 3
    for path in EXAMPLES.iterdir():
        assert path.name not in result.stdout + result.stderr
        assert path.stem not in result.stdout + result.stderr
    refused = kg("evaluate", GOLD, EXAMPLES, "--sealed", "--json", tmp_path / "s.json", cwd=tmp_path)
    assert refused.returncode == 1 and "--sealed" in refused.stderr


def test_a_malformed_facts_export_is_refused_naming_the_source_and_the_field() -> None:
    gold = GoldSet.from_json([{"file": "a.txt", "entities": [], "events": [], "relations": []}])
    facts = {"documents": [{"file": "a.txt", "events": [{"id": "urn:e", "type": "Attack", "casualties": "many"}]}]}
    with pytest.raises(ConfigError, match=r"the facts export: malformed facts export: documents\[0\]\.events\[0\]"):
        score_facts(gold, facts)


def test_the_facts_export_round_trips_through_its_models(example_store: KgStore) -> None:
    exported = read_facts(example_store)
    assert exported.documents and any(d.events for d in exported.documents)
    assert type(exported).model_validate(json.loads(json.dumps(exported.model_dump()))) == exported
