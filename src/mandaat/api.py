"""The library API: the same answers as the command line, for an adviser's notebook.

    import mandaat
    report = mandaat.evaluate("scenarios/2018-04-kamerbrief.yaml", lang="en")
    change = mandaat.whatif("scenarios/2018-04-kamerbrief.yaml", set={"attacks_from_syria_per_week": 1})
    points = mandaat.flips("scenarios/2018-04-kamerbrief.yaml")
    table = mandaat.compare("scenarios/2018-06-albu-kamal-uou.yaml", "scenarios/2018-06-albu-kamal-nec.yaml")
    series = mandaat.timeline(*sorted(Path("scenarios/timeline-2018").glob("*.yaml")))

Scenarios may be given as paths or as :class:`~mandaat.model.scenario.Scenario` objects. Errors are raised as
:mod:`mandaat.model.errors` exceptions whose ``problems`` say where and what.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from .analysis.changes import Change, parse_set
from .analysis.flips import Flips
from .analysis.flips import flips as _flips
from .analysis.timeline import Timeline, evaluate_timeline
from .analysis.whatif import Comparison, WhatIf
from .analysis.whatif import compare as _compare
from .analysis.whatif import whatif as _whatif
from .model.errors import yaml_scalar
from .model.report import Report
from .model.rulebook import Rulebook
from .model.scenario import Scenario
from .pipeline import Options, evaluate_scenario, rulebook, with_receipt
from .read.scenario import read_scenario

ScenarioLike = str | Path | Scenario


def _load(scenario: ScenarioLike, book: Rulebook) -> Scenario:
    return scenario if isinstance(scenario, Scenario) else read_scenario(Path(scenario), book)


def _book(rules: str | Path | None) -> Rulebook:
    return rulebook(Path(rules) if rules else None)


def evaluate(
    scenario: ScenarioLike,
    *,
    lang: str = "nl",
    theory: str | None = None,
    params: dict[str, Any] | None = None,
    as_of: date | None = None,
    engine: str = "durable",
    rules: str | Path | None = None,
) -> Report:
    """The reasoned report on one scenario (with its receipt when the scenario is a file)."""
    book = _book(rules)
    options = Options(lang=lang, theory=theory, params=params or {}, as_of=as_of, engine=engine)
    loaded = _load(scenario, book)
    report = evaluate_scenario(loaded, book, options)
    if isinstance(scenario, Scenario):
        return report
    return with_receipt(report, book, loaded, Path(scenario), options)


def whatif(
    scenario: ScenarioLike,
    *,
    set: dict[str, Any] | None = None,
    judgment: bool | None = None,
    theory: str | None = None,
    params: dict[str, Any] | None = None,
    lang: str = "nl",
    rules: str | Path | None = None,
) -> WhatIf:
    """The scenario now and with hypothetical changes, and what changed."""
    book = _book(rules)
    changes = [parse_set(book, f"{name}={yaml_scalar(value)}") for name, value in (set or {}).items()]
    if judgment is not None:  # the judgment the rulebook names (proportionality)
        changes += [Change("judgment", term, judgment) for term in book.judgment_terms()[:1]]
    if theory is not None:
        changes.append(Change("theory", "theory", theory))
    changes += [Change("param", name, value) for name, value in (params or {}).items()]
    return _whatif(_load(scenario, book), book, changes, Options(lang=lang))


def compare(*scenarios: ScenarioLike, lang: str = "nl", rules: str | Path | None = None) -> Comparison:
    """Several scenarios side by side."""
    book = _book(rules)
    return _compare([_load(s, book) for s in scenarios], book, Options(lang=lang))


def flips(scenario: ScenarioLike, *, lang: str = "nl", rules: str | Path | None = None) -> Flips:
    """The tipping points of a scenario."""
    book = _book(rules)
    return _flips(_load(scenario, book), book, Options(lang=lang))


def timeline(*scenarios: ScenarioLike, lang: str = "nl", rules: str | Path | None = None) -> Timeline:
    """Assessments at different dates as one series."""
    book = _book(rules)
    return evaluate_timeline([_load(s, book) for s in scenarios], book, Options(lang=lang))
