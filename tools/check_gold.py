"""Check gold annotations against their articles: ``python tools/check_gold.py DIR [DIR ...]``.

Each DIR holds a ``corpus/`` folder of articles (``.txt``, ``.html``, ``.jsonl``) with its ``meta.jsonl``
and a ``gold/`` folder of ``NAME.gold.json`` files in the shape of ``../shared/eval/FORMAT.md``. Checked for every gold file:

- it names an article that exists, and that article has a ``meta.jsonl`` line;
- every mention, ``evidence``, ``count_text`` and ``date_text`` is an exact substring of the article's text;
- entity types, event types, ACLED types, predicates and casualty kinds are from the shared vocabularies;
- dates are ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` and not after the publication date;
- every name used by an event or a relation is the name of an entity of the same gold file (or optional);
- counts are non-negative integers or null (a figure the text gives only in words, such as "dozens").

Prints one line per problem and a summary; exits 1 if any problem was found.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

ENTITY_TYPES = {
    "ArmedGroup",
    "StateForce",
    "State",
    "IntergovernmentalOrganization",
    "PrivateMilitaryCompany",
    "NewsOrganization",
    "Person",
    "Country",
    "City",
    "Site",
    "Region",
    "Other",
}
EVENT_TYPES = {
    "Attack",
    "Clash",
    "Ambush",
    "Bombing",
    "HostageTaking",
    "Massacre",
    "Coup",
    "ClaimOfResponsibility",
    "Statement",
    "Condemnation",
    "Closure",
    "Reopening",
    "Sanction",
    "Withdrawal",
    "Expulsion",
    "Other",
}
ACLED_TYPES = {
    None,
    "Battles",
    "Violence against civilians",
    "Explosions/Remote violence",
    "Strategic developments",
    "Protests",
    "Riots",
}
PREDICATES = {
    "affiliatedWith",
    "leaderOf",
    "alliedWith",
    "supportedBy",
    "memberOf",
    "partOf",
    "locatedIn",
    "opposes",
    "successorOf",
}
KINDS = {"killed", "injured", "captured", "missing", "hostages"}
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _text(path: Path) -> str:
    """The article's text as the gold's substrings are taken from (the raw file; for JSON lines, every string)."""
    raw = path.read_text(encoding="utf-8")
    if path.suffix == ".jsonl":
        parts: list[str] = []
        for line in raw.splitlines():
            if line.strip():
                parts.extend(str(v) for v in json.loads(line).values() if isinstance(v, str))
        return "\n".join(parts)
    if path.suffix in {".html", ".htm"}:
        import html

        return raw + "\n" + html.unescape(re.sub(r"<[^>]+>", " ", raw))
    return raw


def _check_date(value: Any, published: str | None, where: str, problems: list[str]) -> None:
    if value is None:
        return
    if not isinstance(value, str) or not DATE.match(value):
        problems.append(f"{where}: date {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    elif published and value > published:
        problems.append(f"{where}: date {value} is after publication ({published})")


def check_file(gold_path: Path, article_dir: Path, meta: dict[str, dict[str, Any]]) -> list[str]:
    """Every problem found in one gold file."""
    problems: list[str] = []
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    name = gold.get("file", "")
    article = article_dir / name
    if not article.is_file():
        return [f"{gold_path.name}: article {name!r} not found in {article_dir}"]
    if name not in meta:
        problems.append(f"{gold_path.name}: no meta.jsonl line for {name}")
    text = _text(article)
    published = gold.get("published") or (meta.get(name) or {}).get("published")

    def substring(value: Any, where: str) -> None:
        if value and value != "the article" and value not in text:
            problems.append(f"{gold_path.name}: {where}: {value!r} is not in the text")

    names = set(gold.get("optional_entities", []))
    for i, entity in enumerate(gold.get("entities", [])):
        names.add(entity["name"])
        if entity.get("type") not in ENTITY_TYPES:
            problems.append(f"{gold_path.name}: entity {entity['name']!r}: type {entity.get('type')!r} unknown")
        for alt in entity.get("alt_types", []):
            if alt not in ENTITY_TYPES:
                problems.append(f"{gold_path.name}: entity {entity['name']!r}: alt type {alt!r} unknown")
        if not entity.get("mentions"):
            problems.append(f"{gold_path.name}: entity {entity['name']!r} has no mentions")
        for mention in entity.get("mentions", []):
            substring(mention, f"entity {i} mention")
    for i, event in enumerate(gold.get("events", [])):
        where = f"event {i} ({event.get('type')})"
        for kind in [event.get("type"), *event.get("alt_types", [])]:
            if kind not in EVENT_TYPES:
                problems.append(f"{gold_path.name}: {where}: event type {kind!r} unknown")
        if event.get("acled_event_type") not in ACLED_TYPES:
            problems.append(f"{gold_path.name}: {where}: ACLED type {event.get('acled_event_type')!r} unknown")
        for key in ("date", "date_end"):
            _check_date(event.get(key), published, f"{gold_path.name}: {where}", problems)
        for alt in event.get("alt_dates", []):
            _check_date(alt, published, f"{gold_path.name}: {where}", problems)
        substring(event.get("evidence"), f"{where} evidence")
        for part in re.split(r"; | \.\.\. ", event.get("date_text") or ""):
            substring(part, f"{where} date_text")
        for slot in ("perpetrators", "targets", "claimed_by", "sites"):
            for value in event.get(slot, []):
                if value not in names:
                    problems.append(f"{gold_path.name}: {where}: {slot} {value!r} is not a gold entity name")
        for key in ("place", "country"):
            if event.get(key) and event[key] not in names:
                problems.append(f"{gold_path.name}: {where}: {key} {event[key]!r} is not a gold entity name")
        for figure in event.get("casualties", []):
            if figure.get("kind") not in KINDS:
                problems.append(f"{gold_path.name}: {where}: casualty kind {figure.get('kind')!r} unknown")
            count = figure.get("count")
            if count is not None and (not isinstance(count, int) or count < 0):
                problems.append(f"{gold_path.name}: {where}: count {count!r} is neither null nor a count")
            substring(figure.get("count_text"), f"{where} count_text")
    for i, relation in enumerate(gold.get("relations", [])):
        where = f"relation {i}"
        for predicate in [relation.get("predicate"), *relation.get("alt_predicates", [])]:
            if predicate not in PREDICATES:
                problems.append(f"{gold_path.name}: {where}: predicate {predicate!r} unknown")
        for key in ("subject", "object"):
            if relation.get(key) not in names:
                problems.append(f"{gold_path.name}: {where}: {key} {relation.get(key)!r} is not a gold entity name")
        substring(relation.get("evidence"), f"{where} evidence")
    return problems


def check_dir(directory: Path) -> tuple[int, list[str]]:
    """How many gold files ``directory`` holds, and every problem found in them."""
    articles = directory / "corpus"
    meta: dict[str, dict[str, Any]] = {}
    meta_path = articles / "meta.jsonl"
    if meta_path.is_file():
        for line in meta_path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                meta[record["file"]] = record
    problems: list[str] = []
    golds = sorted((directory / "gold").glob("*.gold.json"))
    for gold_path in golds:
        try:
            problems.extend(check_file(gold_path, articles, meta))
        except (json.JSONDecodeError, KeyError, TypeError) as error:
            problems.append(f"{gold_path.name}: unreadable gold ({error!r})")
    return len(golds), problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "dirs", nargs="+", type=Path, help="folders holding corpus/ (articles and meta.jsonl) and gold/"
    )
    args = parser.parse_args(argv)
    total = 0
    found: list[str] = []
    for directory in args.dirs:
        count, problems = check_dir(directory)
        total += count
        found.extend(f"{directory}: {p}" for p in problems)
    for problem in found:
        print(problem)
    print(f"{total} gold files checked, {len(found)} problems")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
