"""The house: the layers keep their promises.

The reference evaluator never loads durable; without durable the commands that need no engine still
work and those that do exit 70 with one message; every command that evaluates survives an engine
crash; the pipeline honours every option; modules and functions stay small.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from mandaat.analysis.changes import Change, apply
from mandaat.analysis.outcome import quick_outcome
from mandaat.model.rulebook import Rulebook
from mandaat.pipeline import Options
from mandaat.read.scenario import read_scenario

from .conftest import BASELINE, ROOT

RULES = str(ROOT / "rules")

HIDE_DURABLE = """
import sys
class _Hide:
    def find_spec(self, name, path=None, target=None):
        if name == "durable" or name.startswith("durable."):
            raise ImportError(f"No module named {name!r} (hidden for this test)")
        return None
sys.meta_path.insert(0, _Hide())
from mandaat.cli import run
sys.argv = ["mandaat", *sys.argv[1:]]
run()
"""

CRASH = """
import os, sys
import durable.engine
def crash(*args, **kwargs):
    os.kill(os.getpid(), 11)
durable.engine.Host.assert_fact = crash
from mandaat.cli import run
sys.argv = ["mandaat", *sys.argv[1:]]
run()
"""


def _run(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", script, "--rules", RULES, *args], capture_output=True, text=True, timeout=120, cwd=ROOT
    )


def test_the_reference_evaluator_does_not_load_durable() -> None:
    """Importing the reference evaluator, and running it, leaves durable out of sys.modules."""
    code = (
        "import sys; import mandaat.run.reference; from mandaat.api import evaluate; "
        f"r = evaluate({str(BASELINE)!r}, engine='reference', rules={RULES!r}); "
        "print(r.verdict['syria'], any(m == 'durable' or m.startswith('durable.') for m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["holds", "False"]


@pytest.mark.parametrize(
    "args",
    [
        ["--version"],
        ["--help"],
        ["validate", str(BASELINE)],
        ["schema"],
        ["rules", "list"],
        ["rules", "show", "E1"],
        ["evaluate", str(BASELINE), "--engine", "reference", "--format", "json"],
    ],
)
def test_commands_that_need_no_engine_work_without_durable(args: list[str]) -> None:
    """--version, --help, validate, schema, rules list/show and --engine reference run without durable."""
    result = _run(HIDE_DURABLE, *args)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


def test_without_durable_an_evaluation_exits_70_with_one_message() -> None:
    """An engine that cannot load is exit 70 with the Python version, the cause and the fix."""
    result = _run(HIDE_DURABLE, "evaluate", str(BASELINE))
    assert result.returncode == 70, (result.returncode, result.stderr)
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    version = ".".join(str(n) for n in sys.version_info[:2])
    for fragment in (f"Python {version}", "durable-rules", "--engine reference"):
        assert fragment in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["whatif", str(BASELINE), "--set", "attacks_from_syria_per_week=1"],
        ["compare", str(BASELINE), str(BASELINE)],
        ["flips", str(BASELINE)],
        ["timeline", str(ROOT / "scenarios" / "timeline-2018")],
    ],
)
def test_every_evaluating_command_survives_an_engine_crash(args: list[str]) -> None:
    """A segfault inside durable-rules is exit 70 with a message and nothing on stdout."""
    result = _run(CRASH, *args)
    assert result.returncode == 70, (result.returncode, result.stderr)
    assert result.stdout == ""
    assert "crashed (SIGSEGV)" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_stale_change_honours_the_evidence_age_parameter(book: Rulebook) -> None:
    """With evidence_max_age_days raised, "becomes stale" moves the observation past the new limit."""
    scenario = read_scenario(BASELINE, book)
    observation = next(o for o in scenario.observations if o.indicator == "attacks_from_syria_per_week")
    options = Options(params={"evidence_max_age_days": 90})
    changed, changed_options = apply(scenario, book, [Change("stale", observation.id)], options)
    moved = next(o for o in changed.observations if o.id == observation.id)
    assert (changed.assessed_on - moved.as_of).days == 91
    assert quick_outcome(changed, book, changed_options).statuses["E1"] == "unknown"


def test_quick_outcomes_follow_the_chosen_evaluator_and_date(book: Rulebook) -> None:
    """The outcome of a search step uses the options' engine and as_of, as a full evaluation does."""
    scenario = read_scenario(BASELINE, book)
    later = Options(as_of=scenario.assessed_on.replace(year=scenario.assessed_on.year + 1), engine="reference")
    outcome = quick_outcome(scenario, book, later)
    assert outcome.verdicts["syria"] == "undetermined"
    assert quick_outcome(scenario, book, Options(engine="reference")).verdicts["syria"] == "holds"
