"""Shared fixtures, hypothesis profiles, the `ci` marker and the `--update-golden` option.

Hypothesis profiles, chosen with the environment variable HYPOTHESIS_PROFILE:

* ``dev`` (default): few examples, derandomized, so a local `pytest` is quick and repeatable;
* ``ci``: 1,000 examples per property, random seeds, failing examples printed as blobs;
* ``deep``: 5,000 examples per property, for an occasional long run.

Tests marked ``ci`` (soak runs, memory checks, subprocesses, heavy fuzzers) only run under ``ci`` or ``deep``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, settings

from mandaat.model.rulebook import Rulebook
from mandaat.model.scenario import Scenario
from mandaat.pipeline import rulebook
from mandaat.read.scenario import parse_scenario
from mandaat.read.yamlsafe import load_text

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
BASELINE = SCENARIOS / "2018-04-kamerbrief.yaml"
# The commands that speak Dutch or English (``--lang``); the others speak Dutch.
SPEAKING = set("evaluate validate new list whatif compare flips timeline sweep studio schema".split())


def in_english(args: list[str]) -> list[str]:
    """A command line with ``--lang en`` after its command, for a test that reads English messages (a
    ``--lang`` the test gives itself comes later and wins)."""
    for i, arg in enumerate(args):
        if arg in SPEAKING and (i == 0 or args[i - 1] != "--rules"):
            return [*args[: i + 1], "--lang", "en", *args[i + 1 :]]
    return args


_SLOW = [HealthCheck.too_slow]
settings.register_profile("dev", max_examples=25, derandomize=True, deadline=None, suppress_health_check=_SLOW)
settings.register_profile(
    "ci", max_examples=1000, derandomize=False, deadline=None, print_blob=True, suppress_health_check=_SLOW
)
settings.register_profile(
    "deep", max_examples=5000, derandomize=False, deadline=None, print_blob=True, suppress_health_check=_SLOW
)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "dev")
settings.load_profile(PROFILE)
THOROUGH = PROFILE in ("ci", "deep")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="Rewrite tests/golden/ from the current output instead of comparing against it.",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "ci: slow test (soak, memory, subprocess, heavy fuzzing); runs only when HYPOTHESIS_PROFILE is ci or deep",
    )


def pytest_report_header(config: pytest.Config) -> str:
    return f"hypothesis profile: {PROFILE}" + ("" if THOROUGH else " (tests marked `ci` are skipped)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if THOROUGH:
        return
    skip = pytest.mark.skip(reason="marked `ci`: runs with HYPOTHESIS_PROFILE=ci or deep")
    for item in items:
        if item.get_closest_marker("ci"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def book() -> Rulebook:
    """The project's rulebook, loaded once."""
    return rulebook(ROOT / "rules")


def scenario_from(data: dict[str, Any], book: Rulebook) -> Scenario:
    """A validated scenario from plain data, read the way a file would be."""
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    parsed, locator = load_text(text, "test.yaml")
    return parse_scenario(parsed, locator, book)


# Headless Debian chromium on this workplace's closed network: no first-run, background or update traffic.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
