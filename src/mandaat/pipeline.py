"""The evaluation pipeline: read → settings and facts → engine → explain. Plain steps, no I/O beyond
reading the scenario; rendering and writing are the caller's."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .run import reference
from .run.durable import engine
from .explain.explain import explain
from .run.facts import build_facts, settings_for
from .model.report import Report
from .model.rulebook import Rulebook
from .read.rulebook import cached_rulebook, default_rules_dir
from .model.scenario import Scenario
from .read.scenario import read_scenario


@dataclass(frozen=True)
class Options:
    """What a caller may change for one evaluation (the command line's what-if on the legal side)."""

    lang: str = "nl"
    theory: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    as_of: date | None = None
    engine: str = "durable"  # or "reference": the plain-Python evaluator, for diagnosis


def rulebook(rules_dir: Path | None = None) -> Rulebook:
    """The rulebook (loaded and checked once per process)."""
    return cached_rulebook((rules_dir or default_rules_dir()).resolve())


def evaluate_scenario(scenario: Scenario, book: Rulebook, options: Options = Options()) -> Report:
    """Evaluate a validated scenario into a report."""
    settings = settings_for(scenario, book, theory=options.theory, params=options.params, as_of=options.as_of)
    facts = build_facts(scenario, book, settings)
    if options.engine == "reference":
        firings = reference.evaluate(book, facts)
    else:
        firings = engine().evaluate(book, facts)
    return explain(book, scenario, settings, firings, options.lang)


def evaluate_file(path: Path, options: Options = Options(), rules_dir: Path | None = None,
                  display: str | None = None) -> Report:
    """Read, validate and evaluate one scenario file."""
    book = rulebook(rules_dir)
    scenario = read_scenario(path, book, display)
    return evaluate_scenario(scenario, book, options)
