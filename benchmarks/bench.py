"""mandaat's benchmark: prints figures, each next to its floor, measured in the same run; asserts nothing.

    .venv/bin/python benchmarks/bench.py [--seconds S] [--runs N] [--long]

It prints
- start-up: `mandaat evaluate` on the April 2018 scenario against a bare
  `python -c "import pydantic, click, yaml, durable.engine"`, run in turn (A B A B ...), the ratio per pair;
- throughput: evaluations per CPU second (this process's CPU time, so that other load does not count) with
  full explain over the scenarios/ set in one process, against the
  durable floor (the same facts asserted into the same compiled ruleset through durable's own Host API,
  with actions that do nothing), measured in alternating slices; and the reference evaluator;
- whole-process times of `flips`, `timeline scenarios/timeline-2018` and a 3-axis x 11-value sweep
  (1,331 evaluations), each against the bare-import floor;
- resident memory after 1,000 and after 10,000 evaluations (100,000 with --long).
Figures are medians; the machine may be shared, so read the ratios. Commands run with bytecode caching on
(as an installed package does), after one warm-up run.
"""

from __future__ import annotations

import argparse
import copy
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from mandaat.pipeline import Options, evaluate_scenario, rulebook, settings
from mandaat.read.scenario import read_scenario
from mandaat.run.compile import compile_rulebook, gate_fact
from mandaat.run.facts import build_facts

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "scenarios" / "2018-04-kamerbrief.yaml"
MANDAAT = [sys.executable, "-m", "mandaat", "--rules", str(ROOT / "rules")]
FLOOR = [sys.executable, "-c", "import pydantic, click, yaml, durable.engine"]
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
SWEEP = [
    "--vary",
    "attacks_from_syria_per_week=0..10",
    "--vary",
    "crossings_syria_to_iraq_per_week=0..10",
    "--vary",
    "e1_met_min_attacks_per_week=1..11",
]


def rss_mb() -> float:
    """Resident memory of this process in MB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def timed(command: list[str]) -> tuple[float, float]:
    """Wall and CPU (user + system, the process and its children) seconds of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, cwd=ROOT, env=ENV)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def paired(command: list[str], runs: int) -> dict[str, float]:
    """``command`` and the bare-import floor in turn, after a warm-up of each: medians and pair ratios."""
    timed(command), timed(FLOOR)
    rows = [(timed(command), timed(FLOOR)) for _ in range(runs)]
    return {
        "wall": statistics.median(a[0] for a, _ in rows),
        "cpu": statistics.median(a[1] for a, _ in rows),
        "floor_wall": statistics.median(b[0] for _, b in rows),
        "floor_cpu": statistics.median(b[1] for _, b in rows),
        "ratio_wall": statistics.median(a[0] / b[0] for a, b in rows),
        "ratio_cpu": statistics.median(a[1] / b[1] for a, b in rows),
    }


def print_paired(name: str, figures: dict[str, float]) -> None:
    print(
        f"{name:<34} wall {figures['wall'] * 1000:6.0f} ms, cpu {figures['cpu'] * 1000:6.0f} ms | floor wall "
        f"{figures['floor_wall'] * 1000:4.0f} ms, cpu {figures['floor_cpu'] * 1000:4.0f} ms | ratio wall "
        f"{figures['ratio_wall']:5.2f}, cpu {figures['ratio_cpu']:5.2f}"
    )


class DurableFloor:
    """The same facts into the same compiled ruleset, through durable's stock Host, actions doing nothing."""

    def __init__(self, book: Any, scenarios: list[Any]) -> None:
        from durable.engine import Host, MessageNotHandledException

        class Floor(Host):  # type: ignore[misc]
            def _run(self) -> None:  # no timer threads
                pass

            def get_action(self, name: str) -> Any:
                def nothing(c: Any) -> None:
                    pass

                return nothing

        self.name, definition = compile_rulebook(book)
        self.host = Floor()
        self.host.register_rulesets({self.name: copy.deepcopy(definition)})
        self.ignored = MessageNotHandledException
        self.facts = [
            [{**f, "sid": "floor"} for f in build_facts(s, book, settings(s, book, Options()))] for s in scenarios
        ]
        self.gates = [{**gate_fact(n), "sid": "floor"} for n in range(1, 6)]

    def evaluate(self, index: int) -> None:
        for fact in [*self.facts[index % len(self.facts)], *self.gates]:
            try:
                self.host.assert_fact(self.name, fact)
            except self.ignored:
                pass
        self.host.delete_state(self.name, "floor")


def throughput(book: Any, scenarios: list[Any], seconds: float) -> tuple[float, float, float]:
    """Evaluations per CPU second of mandaat (with explain), of the durable floor and of the reference
    evaluator, measured in alternating slices of 0.25 s so that all see the same machine."""
    floor = DurableFloor(book, scenarios)
    durable, reference = Options(lang="en"), Options(lang="en", engine="reference")
    contenders = {
        "mandaat": lambda i: evaluate_scenario(scenarios[i % len(scenarios)], book, durable),
        "floor": floor.evaluate,
        "reference": lambda i: evaluate_scenario(scenarios[i % len(scenarios)], book, reference),
    }
    counts = {name: 0 for name in contenders}
    spent = {name: 0.0 for name in contenders}
    for run in contenders.values():  # warm-up
        for i in range(len(scenarios)):
            run(i)
    end = time.process_time() + seconds * len(contenders)
    while time.process_time() < end:
        for name, run in contenders.items():
            start = time.process_time()  # this process's CPU time: other load on the machine does not count
            while time.process_time() - start < 0.25:
                run(counts[name])
                counts[name] += 1
            spent[name] += time.process_time() - start
    rates = {name: counts[name] / spent[name] for name in contenders}
    return rates["mandaat"], rates["floor"], rates["reference"]


def memory(book: Any, scenarios: list[Any], total: int) -> None:
    start = time.perf_counter()
    for i in range(total):
        evaluate_scenario(scenarios[i % len(scenarios)], book, Options(lang="nl" if i % 2 else "en"))
        if i + 1 == 1000:
            print(f"resident memory after 1,000 evaluations: {rss_mb():.1f} MB", flush=True)
    rate = total / (time.perf_counter() - start)
    print(f"resident memory after {total:,} evaluations: {rss_mb():.1f} MB ({rate:.0f} evaluations/s over the run)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=3.0, help="time per throughput contender")
    parser.add_argument("--runs", type=int, default=7, help="runs of each whole-process figure")
    parser.add_argument("--long", action="store_true", help="memory over 100,000 evaluations (else 10,000)")
    args = parser.parse_args()
    book = rulebook(ROOT / "rules")
    scenarios = [read_scenario(p, book) for p in sorted((ROOT / "scenarios").glob("*.yaml"))]
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} processors, load {os.getloadavg()[0]:.1f}; "
        f"{platform.python_implementation()} {platform.python_version()}; {len(scenarios)} scenario files"
    )
    rate, floor, ref = throughput(book, scenarios, args.seconds)
    print(f"throughput with explain: {rate:6.0f} evaluations per CPU second")
    print(f"durable floor:           {floor:6.0f} evaluations per CPU second (same facts and ruleset, no-op actions)")
    print(f"ratio floor/mandaat:     {floor / rate:6.2f} (time per evaluation, mandaat over the floor)")
    print(f"reference evaluator:     {ref:6.0f} evaluations per CPU second")
    print("whole process, median of pairs run in turn with the bare-import floor:")
    print_paired("evaluate (start-up)", paired([*MANDAAT, "evaluate", str(BASELINE)], args.runs))
    print_paired("flips", paired([*MANDAAT, "flips", str(BASELINE)], args.runs))
    timeline = [*MANDAAT, "timeline", "scenarios/timeline-2018"]
    print_paired("timeline scenarios/timeline-2018", paired(timeline, args.runs))
    sweep = [*MANDAAT, "sweep", str(BASELINE), *SWEEP, "--format", "json"]
    print_paired("sweep 3 axes x 11 values (1,331)", paired(sweep, max(3, args.runs // 2)))
    memory(book, scenarios, 100_000 if args.long else 10_000)


if __name__ == "__main__":
    main()
