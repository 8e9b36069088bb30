"""Fail when extraction scores fall below floors: a regression gate for CI.

    python tools/check_scores.py GOLD_DIR FACTS.json [--entity-f1 0.9] [--event-f1 0.8] ...

Uses ../shared/eval/score.py (the evaluation's own scorer) when it is given with --scorer.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("gold")
    parser.add_argument("facts")
    parser.add_argument("--scorer", required=True, help="path to score.py")
    parser.add_argument("--entity-f1", type=float, default=0.0)
    parser.add_argument("--type-accuracy", type=float, default=0.0)
    parser.add_argument("--event-f1", type=float, default=0.0)
    parser.add_argument("--relation-f1", type=float, default=0.0)
    parser.add_argument("--slot-floor", type=float, default=0.0, help="floor for every event slot score")
    parser.add_argument("--max-leaks", type=int, default=1_000_000)
    parser.add_argument("--full-fusion", action="store_true", help="every fused event must be one node")
    args = parser.parse_args()
    raw = subprocess.run(
        [sys.executable, args.scorer, args.gold, args.facts, "--json"], capture_output=True, text=True, check=True
    ).stdout
    summary = json.loads(raw)
    figures = {
        "entity F1": (summary["entity_prf"][2], args.entity_f1),
        "entity type accuracy": (summary["entity_type_accuracy"], args.type_accuracy),
        "event F1": (summary["event_prf"][2], args.event_f1),
        "relation F1": (summary["relation_prf"][2], args.relation_f1),
    }
    for slot, value in summary["event_slots"].items():
        if value is not None:
            figures[f"event slot {slot}"] = (value, args.slot_floor)
    failures = [f"{name} {value:.2f} < {floor:.2f}" for name, (value, floor) in figures.items() if value < floor]
    if summary["leaks"] > args.max_leaks:
        failures.append(f"leaks {summary['leaks']} > {args.max_leaks}")
    if args.full_fusion:
        for fused in summary["corpus"].get("fused_events", []):
            if fused["fused"] < fused["sources"]:
                failures.append(f"fusion {fused['event']}: {fused['fused']}/{fused['sources']}")
    for failure in failures:
        print(f"score below floor: {failure}")
    print("scores " + ("below their floors" if failures else "at or above their floors"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
