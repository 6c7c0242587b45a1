"""mandaat's benchmark: prints figures, asserts nothing (it is not a test).

    .venv/bin/python benchmarks/bench.py [--memory-evaluations N]

It prints
- evaluations per second for durable-rules and for the reference evaluator over the scenarios/ set, in one
  process, and their ratio;
- the wall time of `mandaat evaluate` on the baseline scenario against a bare
  `python -c "import pydantic, click, yaml, durable.engine"`, and their ratio (median of 5 runs each);
- the resident memory after 1,000 and after N (default 100,000) evaluations in one process.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

from mandaat.pipeline import Options, evaluate_scenario, rulebook
from mandaat.read.scenario import read_scenario

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "scenarios" / "2018-04-kamerbrief.yaml"


def rss_mb() -> float:
    """Resident memory of this process in MB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def throughput(engine: str, scenarios: list, book, seconds: float = 5.0) -> float:
    """Evaluations per second over the scenario set, round robin, for about ``seconds``."""
    options = Options(lang="en", engine=engine)
    for scenario in scenarios:
        evaluate_scenario(scenario, book, options)
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        evaluate_scenario(scenarios[count % len(scenarios)], book, options)
        count += 1
    return count / (time.perf_counter() - start)


def wall(command: list[str], runs: int = 5) -> float:
    """Median wall time of a command in seconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--memory-evaluations", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=5.0, help="time per throughput measurement")
    args = parser.parse_args()
    book = rulebook(ROOT / "rules")
    scenarios = [read_scenario(p, book) for p in sorted((ROOT / "scenarios").glob("*.yaml"))]
    print(
        f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}, "
        f"{len(scenarios)} scenario files"
    )

    durable = throughput("durable", scenarios, book, args.seconds)
    ref = throughput("reference", scenarios, book, args.seconds)
    print(f"durable-rules:        {durable:8.0f} evaluations/s (parse excluded; facts, engine, explain)")
    print(f"reference evaluator:  {ref:8.0f} evaluations/s")
    print(f"ratio durable/reference: {durable / ref:.2f}")

    cli = wall([sys.executable, "-m", "mandaat", "evaluate", str(BASELINE), "--format", "json"])
    bare = wall([sys.executable, "-c", "import pydantic, click, yaml, durable.engine"])
    print(
        f"`mandaat evaluate` baseline: {cli * 1000:.0f} ms; bare imports: {bare * 1000:.0f} ms; "
        f"ratio {cli / bare:.2f} (median of 5)"
    )

    total = args.memory_evaluations
    start = time.perf_counter()
    for i in range(total):
        evaluate_scenario(scenarios[i % len(scenarios)], book, Options(lang="nl" if i % 2 else "en"))
        if i + 1 == 1000:
            after_1000 = rss_mb()
            print(f"resident memory after 1,000 evaluations: {after_1000:.1f} MB", flush=True)
    elapsed = time.perf_counter() - start
    print(
        f"resident memory after {total:,} evaluations: {rss_mb():.1f} MB "
        f"({total / elapsed:.0f} evaluations/s over the run)"
    )


if __name__ == "__main__":
    main()
