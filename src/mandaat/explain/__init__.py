"""Explaining an evaluation: engine firings and the rulebook's metadata become a report, in named steps
(reasons → collect → build). The engine only says which rules fired on which facts; no legal decision
is taken here."""

from __future__ import annotations

from ..model.firing import Firing
from ..model.report import Report
from ..model.rulebook import Rulebook
from ..model.scenario import Scenario
from ..run.facts import Settings
from .build import build_report
from .collect import collect


def explain(book: Rulebook, scenario: Scenario, settings: Settings, firings: list[Firing], lang: str) -> Report:
    """Build the report of one evaluation."""
    return build_report(book, scenario, settings, collect(book, firings, lang, settings.params), lang)
