"""Broken rulebooks: each file in tests/broken_rulebooks/ applies one defect to a copy of rules/, and
`mandaat rules check` must exit 1 naming the defect, the declaration and the file with its line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from mandaat.cli import main

from .conftest import ROOT

CASES = sorted((ROOT / "tests" / "broken_rulebooks").glob("*.yaml"))


def broken_copy(tmp_path: Path, spec: dict) -> Path:
    """A copy of rules/ and seeds/ with the spec's one defect applied."""
    shutil.copytree(ROOT / "rules", tmp_path / "rules")
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    target = tmp_path / "rules" / spec["file"]
    text = target.read_text(encoding="utf-8") if target.exists() else ""
    if "append" in spec:
        text = text.rstrip("\n") + "\n" + spec["append"]
    else:
        assert text.count(spec["old"]) == 1, f"the defect's `old` text must occur once in {spec['file']}"
        text = text.replace(spec["old"], spec["new"])
    target.write_text(text, encoding="utf-8")
    return tmp_path / "rules"


def test_there_are_at_least_ten_broken_rulebooks() -> None:
    """The corpus holds at least ten defects."""
    assert len(CASES) >= 10


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_rules_check_names_the_defect(case: Path, tmp_path: Path) -> None:
    """`rules check` exits 1 and its report contains every expected fragment."""
    spec = yaml.safe_load(case.read_text(encoding="utf-8"))
    rules = broken_copy(tmp_path, spec)
    result = CliRunner().invoke(main, ["rules", "check", str(rules)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    for fragment in spec["expect"]:
        assert fragment in result.stdout, f"missing {fragment!r} in:\n{result.stdout}"


def test_rules_check_passes_on_the_project_rulebook_with_witnesses() -> None:
    """The project's own rulebook passes every check and prints a witness for each element and status."""
    result = CliRunner().invoke(main, ["rules", "check", str(ROOT / "rules")])
    assert result.exit_code == 0, result.stdout
    assert "FAIL" not in result.stdout
    assert "E1    weakening" in result.stdout and "E4    contested" in result.stdout
    data = json.loads(CliRunner().invoke(main, ["rules", "check", str(ROOT / "rules"), "--format", "json"]).stdout)
    assert data["ok"] is True
    every = {"met", "weakening", "contested", "not_met", "unknown"}
    for element in ("E1", "E2", "E3", "IRQ", "CON"):
        assert set(data["witnesses"][element]) == every
    assert set(data["witnesses"]["E4"]) == every - {"weakening"}  # the letter's effectiveness test
    assert set(data["citations_by_kind"]) == {"quote", "reference", "design_choice"}
