"""`mandaat validate` warns about exactly the input a verdict will lack, from the rulebook's declarations."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from mandaat.cli import main

from .conftest import BASELINE, ROOT

RULES = ["--rules", str(ROOT / "rules")]


def _validate(path: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, [*RULES, "validate", "--lang", "en", str(path)])
    return result.exit_code, result.stderr


def test_the_april_scenario_needs_nothing_more() -> None:
    """Iraq's request for assistance serves the SD request: no warning about IRQ, and none at all."""
    code, err = _validate(BASELINE)
    assert code == 0 and err == ""


def test_an_empty_skeleton_names_every_element_a_verdict_needs(tmp_path: Path) -> None:
    """E1-E4, IRQ, CON and PROP each get a warning; REP and UNSC (no effect when unknown) do not."""
    path = tmp_path / "x.yaml"
    assert CliRunner().invoke(main, [*RULES, "new", str(path), "--lang", "en"]).exit_code == 0
    code, err = _validate(path)
    assert code == 0
    named = {line.split(": ")[2].split(" ")[0] for line in err.splitlines() if line.startswith("Warning")}
    assert named == {"E1", "E2", "E3", "E4", "IRQ", "CON", "PROP"}


def test_a_standing_act_is_not_stale_but_a_weak_report_of_one_is_flagged(tmp_path: Path) -> None:
    """The 2020 parliament resolution is old but stands; a C3 press report of a withdrawal is not relied upon."""
    assert _validate(ROOT / "scenarios" / "2020-03-verzoek-ingetrokken.yaml") == (0, "")
    code, err = _validate(ROOT / "scenarios" / "2018-05-persbericht-intrekking.yaml")
    assert code == 0 and "IRQ" in err and "press-withdrawal" in err
