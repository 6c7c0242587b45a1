"""The command line through click's CliRunner: streams, exit codes, formats, languages, output files."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from mandaat.cli import main

from .conftest import BASELINE, ROOT

RULES = ROOT / "rules"


def run(*args: str, rules: Path = RULES) -> Any:
    """Run mandaat in-process on the checkout's rulebook (not whatever rulebook the installed package has)."""
    return CliRunner().invoke(main, ["--rules", str(rules), *args], catch_exceptions=False)


def variant(tmp_path: Path, **changes: object) -> Path:
    """A copy of the April 2018 scenario with top-level keys changed."""
    data = yaml.safe_load(BASELINE.read_text(encoding="utf-8"))
    data.update(changes)
    path = tmp_path / "variant.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_baseline_json_holds_with_a_cited_reason_for_every_element() -> None:
    """The April 2018 assessment: Syria holds, Iraq holds, each element met with a cited reason."""
    result = run("evaluate", str(BASELINE), "--format", "json")
    assert result.exit_code == 0
    assert result.stderr == ""
    report = json.loads(result.stdout)
    assert report["verdict"] == {"syria": "holds", "iraq": "holds"}
    assert report["scenario"]["id"] == "2018-04-kamerbrief"
    assert report["scenario"]["assessed_on"] == "2018-04-13"
    for name in ("E1", "E2", "E3", "E4"):
        element = report["elements"][name]
        assert element["status"] == "met"
        assert element["reasons"], name
        for reason in element["reasons"]:
            assert reason["rule"] and reason["text"] and reason["observations"]
            assert set(reason["cite"]) >= {"source", "pinpoint", "quote"}
    assert set(report["evidence"]) >= {"relied_upon", "unconfirmed", "stale", "conflicts"}
    assert "open" in report["judgments"]


def test_text_report_is_dutch_by_default_and_verdict_comes_first() -> None:
    """The default report is Dutch text with the verdict before the elements."""
    result = run("evaluate", str(BASELINE))
    assert result.exit_code == 0
    out = result.stdout
    assert "Samenvatting" in out and "RECHTSGROND BLIJFT" in out
    assert out.index("RECHTSGROND BLIJFT") < out.index("De vier elementen") < out.index("\nBewijs\n")
    assert "«Met behulp van aanvoerlijnen vanuit Syrië" in out


def test_english_and_markdown() -> None:
    """--lang en gives English; --format markdown gives Markdown headings."""
    result = run("evaluate", str(BASELINE), "--lang", "en", "--format", "markdown")
    assert result.exit_code == 0
    assert result.stdout.startswith("# mandaat: Test of the legal basis")
    assert "## Summary" in result.stdout and "BASIS HOLDS" in result.stdout


def _regime_controls_the_source_area() -> list[dict[str, Any]]:
    data = yaml.safe_load(BASELINE.read_text(encoding="utf-8"))
    for obs in data["observations"]:
        if obs["indicator"] == "regime_controls_source_area":
            obs["value"] = True
    return data["observations"]


@pytest.mark.parametrize(
    "changes, code",
    [
        ({}, 0),
        ({"judgments": []}, 3),
        ({"theory": "no_effective_control", "observations": _regime_controls_the_source_area()}, 4),
    ],
    ids=["holds", "at-risk", "lapsed"],
)
def test_exit_code_flag(tmp_path: Path, changes: dict, code: int) -> None:
    """--exit-code: 0 holds, 3 at risk or undetermined, 4 lapsed; without it always 0."""
    path = variant(tmp_path, **changes)
    assert run("evaluate", str(path), "--exit-code").exit_code == code
    assert run("evaluate", str(path)).exit_code == 0


def test_theory_and_param_options_change_the_verdict(tmp_path: Path) -> None:
    """--param raises the E1 threshold above the observed 6 attacks: E1 weakens, Syria at risk."""
    result = run("evaluate", str(BASELINE), "--format", "json", "--param", "e1_met_min_attacks_per_week=7")
    report = json.loads(result.stdout)
    assert report["elements"]["E1"]["status"] == "weakening"
    assert report["verdict"]["syria"] == "at_risk"
    assert report["scenario"]["overridden"] == {"e1_met_min_attacks_per_week": "command line"}


def test_as_of_makes_evidence_stale() -> None:
    """--as-of 70 days later: all evidence is stale and the Syria basis is undetermined."""
    result = run("evaluate", str(BASELINE), "--format", "json", "--as-of", "2018-06-22")
    report = json.loads(result.stdout)
    assert report["verdict"]["syria"] == "undetermined"
    assert report["elements"]["E1"]["status"] == "unknown"
    assert "attacks-from-syria" in [i["observation"] for i in report["evidence"]["stale"]]


@pytest.mark.parametrize(
    "args",
    [
        ["evaluate", str(BASELINE), "--format", "pdf"],
        ["evaluate", str(BASELINE), "--lang", "de"],
        ["evaluate", str(BASELINE), "--param", "no_such_param=3"],
        ["evaluate", str(BASELINE), "--param", "e1_met_min_attacks_per_week"],
        ["evaluate", str(BASELINE), "--param", "evidence_min_reliability=G"],
        ["evaluate", str(BASELINE), "--as-of", "13-04-2018"],
        ["evaluate"],
        ["rules", "show", "E9-met"],
        ["frobnicate"],
    ],
)
def test_misuse_exits_2_with_a_message_on_stderr(args: list[str]) -> None:
    """Misuse of the command line exits 2, says what is wrong on stderr, and prints no report."""
    result = run(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert re.search(r"^(Error|Fout): ", result.stderr, re.M)  # click's own parsing errors are English


def test_misuse_is_said_in_the_users_language_and_points_at_help() -> None:
    """mandaat's own misuse messages: Dutch by default, English with --lang en, then where the options are."""
    nl = run("evaluate", str(BASELINE), "--theory", "unwiling_or_unable")
    en = run("evaluate", str(BASELINE), "--theory", "unwiling_or_unable", "--lang", "en")
    assert nl.exit_code == en.exit_code == 2 and nl.stdout == en.stdout == ""
    assert nl.stderr.splitlines() == [
        "Fout: --theory: onbekende theorie 'unwiling_or_unable' (bedoelt u 'unwilling_or_unable'?)",
        "Zie `main evaluate -h` voor de opties.",
    ]
    assert en.stderr.splitlines()[0] == (
        "Error: --theory: unknown theory 'unwiling_or_unable' (did you mean 'unwilling_or_unable'?)"
    )
    sweep = run("sweep", str(BASELINE), "--vary", "attacks_from_syria_per_week=5..1")
    assert "EIND mag niet onder BEGIN liggen" in sweep.stderr and sweep.exit_code == 2


def test_broken_file_exits_1_with_located_errors(tmp_path: Path) -> None:
    """Input the user can fix exits 1 with FILE:LINE on stderr, nothing on stdout."""
    path = tmp_path / "bad.yaml"
    path.write_text(BASELINE.read_text(encoding="utf-8").replace("grade: B2", "grade: G4", 1), encoding="utf-8")
    result = run("evaluate", str(path))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert f"{path}:" in result.stderr and "observations[0].grade" in result.stderr
    assert "Admiralty" in result.stderr


def test_validate_reports_ok_files_on_stdout(tmp_path: Path) -> None:
    """validate prints one line per good file and exits 0."""
    result = run("validate", str(BASELINE))
    assert result.exit_code == 0
    assert result.stdout.strip() == f"{BASELINE}: ok"


def test_output_file_is_written_atomically_and_not_clobbered(tmp_path: Path) -> None:
    """-o writes the report; an existing file needs --force; the scenario itself is never overwritten."""
    target = tmp_path / "report.json"
    assert run("evaluate", str(BASELINE), "--format", "json", "-o", str(target)).exit_code == 0
    first = target.read_text(encoding="utf-8")
    assert json.loads(first)["verdict"]["syria"] == "holds"
    again = run("evaluate", str(BASELINE), "--lang", "en", "-o", str(target))
    assert again.exit_code == 1 and "--force" in again.stderr
    assert target.read_text(encoding="utf-8") == first
    assert run("evaluate", str(BASELINE), "--lang", "en", "-o", str(target), "--force").exit_code == 0
    assert target.read_text(encoding="utf-8") != first
    scenario = variant(tmp_path)
    before = scenario.read_text(encoding="utf-8")
    clobber = run("evaluate", str(scenario), "--format", "text", "-o", str(scenario), "--force")
    assert clobber.exit_code == 1 and "een scenario dat deze opdracht leest" in clobber.stderr
    assert scenario.read_text(encoding="utf-8") == before
    assert list(tmp_path.glob(".*.tmp")) == []


def test_output_into_the_rulebook_is_refused(tmp_path: Path) -> None:
    """-o into the rulebook folder in use is refused (on a copy of rules/, never the checkout's own)."""
    shutil.copytree(ROOT / "rules", tmp_path / "rules")
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    for target in (tmp_path / "rules" / "x.txt", tmp_path / "seeds" / "x.txt"):
        refused = run("evaluate", str(BASELINE), "-o", str(target), rules=tmp_path / "rules")
        assert refused.exit_code == 1 and refused.stdout == "", refused.stderr
        assert not target.exists()
    assert sorted(p.name for p in (tmp_path / "rules").iterdir()) == sorted(p.name for p in RULES.iterdir())


def test_rules_list_show_and_schema() -> None:
    """rules list names every declaration; rules show gives a declaration with its place and the rules it
    compiles into, and --compiled those rules with their conditions and citations; schema is JSON Schema."""
    listing = run("rules", "list")
    assert (
        listing.exit_code == 0 and "Doorlopende aanvallen" in listing.stdout and "rechtsgrond blijft" in listing.stdout
    )
    shown = run("rules", "show", "E1")
    assert shown.exit_code == 0 and "rules/elements.yaml:" in shown.stdout
    assert "e1_met_min_attacks_per_week" in shown.stdout
    compiled = run("rules", "show", "--compiled", "E1")
    assert (
        compiled.exit_code == 0 and '"$gte": {"num": {"attacks_from_syria_per_week__pm": "value"}}' in compiled.stdout
    )
    assert "«Met behulp van" in compiled.stdout and "compiled from: elements.yaml › E1 › test › met" in compiled.stdout
    one = run("rules", "show", "E1/attacks_from_syria_per_week=above")
    assert one.exit_code == 0 and one.stdout.startswith("rule:        E1/attacks_from_syria_per_week=above")
    unknown = run("rules", "show", "E9")
    assert unknown.exit_code == 2 and "Traceback" not in unknown.output
    schema = json.loads(run("schema").stdout)
    assert schema["properties"]["mandaat"]["const"] == 1 or "mandaat" in schema["required"]
    assert "attacks_from_syria_per_week" in schema["$defs"]["Observation"]["properties"]["indicator"]["enum"]


def test_every_command_is_documented_in_the_readme() -> None:
    """Each CLI command appears in README.md."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in (
        "mandaat evaluate",
        "mandaat validate",
        "mandaat rules list",
        "mandaat rules show",
        "mandaat rules check",
        "mandaat schema",
        "mandaat whatif",
        "mandaat compare",
        "mandaat flips",
        "mandaat timeline",
    ):
        assert command in readme, command


@pytest.mark.ci
def test_python_dash_m_runs_and_version() -> None:
    """`python -m mandaat --version` works in a fresh process."""
    result = subprocess.run(
        [sys.executable, "-m", "mandaat", "--version"], check=False, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0 and "mandaat" in result.stdout
