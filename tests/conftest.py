"""Shared fixtures: the project's rulebook and helpers to build scenarios in tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from mandaat.pipeline import rulebook
from mandaat.model.rulebook import Rulebook
from mandaat.model.scenario import Scenario
from mandaat.read.scenario import parse_scenario
from mandaat.read.yamlsafe import load_text

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
BASELINE = SCENARIOS / "2018-04-kamerbrief.yaml"


@pytest.fixture(scope="session")
def book() -> Rulebook:
    """The project's rulebook, loaded once."""
    return rulebook(ROOT / "rules")


def scenario_from(data: dict[str, Any], book: Rulebook) -> Scenario:
    """A validated scenario from plain data, read the way a file would be."""
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    parsed, locator = load_text(text, "test.yaml")
    return parse_scenario(parsed, locator, book)
