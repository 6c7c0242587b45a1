"""Evaluate scenarios many times in one process and print throughput and memory (a benchmark, not a test).

    python scripts/soak.py [N]        # default 10000 evaluations of every file in scenarios/
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from mandaat.pipeline import Options, evaluate_scenario, rulebook
from mandaat.scenario import read_scenario

ROOT = Path(__file__).resolve().parent.parent


def rss_mb() -> float:
    """Resident memory of this process in MB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    book = rulebook(ROOT / "rules")
    scenarios = [read_scenario(p, book) for p in sorted((ROOT / "scenarios").glob("*.yaml"))]
    for scenario in scenarios:  # warm up: compile and register the ruleset once
        evaluate_scenario(scenario, book)
    before = rss_mb()
    start = time.perf_counter()
    verdicts: dict[str, int] = {}
    for i in range(total):
        report = evaluate_scenario(scenarios[i % len(scenarios)], book, Options(lang="nl" if i % 2 else "en"))
        verdicts[report.verdict.syria] = verdicts.get(report.verdict.syria, 0) + 1
    elapsed = time.perf_counter() - start
    after = rss_mb()
    print(f"evaluations:          {total} ({len(scenarios)} scenario files, round robin)")
    print(f"wall time:            {elapsed:.2f} s")
    print(f"evaluations/second:   {total / elapsed:.0f}")
    print(f"resident memory:      {before:.1f} MB before, {after:.1f} MB after ({after - before:+.1f} MB)")
    print(f"Syria verdicts:       {dict(sorted(verdicts.items()))}")


if __name__ == "__main__":
    main()
