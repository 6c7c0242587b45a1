"""Dutch throughout: every command's output in Dutch, on every shipped scenario, holds no English word
from a deny-list.

Exempt are what a user types or reads as a name: identifiers (anything with `_`, `-` or a digit, such as
`attacks_from_syria_per_week`, `E1-met`, observation ids), text in `backticks`, rule ids in [brackets],
and quotes from sources (between « and », and a rule's pinpoint into an English source). The test is
generic over the renderers: it reads what the commands print, whatever module prints it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from mandaat.cli import main
from mandaat.model.words import catalogue
from mandaat.pipeline import rulebook

from .conftest import ROOT, THOROUGH

SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
TIMELINE = ROOT / "scenarios" / "timeline-2018"
SHIPPED = SCENARIOS + sorted(TIMELINE.glob("*.yaml"))
RULES = ["--rules", str(ROOT / "rules")]

DENY = {
    "now",
    "below",
    "above",
    "evidence",
    "relied",
    "judgment",
    "judgments",
    "observation",
    "observations",
    "written",
    "weakening",
    "unknown",
    "syria",
    "iraq",
    "the",
    "and",
    "not",
    "holds",
    "risk",
    "lapsed",
    "undetermined",
    "stale",
    "unconfirmed",
    "theory",
    "proportionality",
    "evaluations",
    "every",
    "flip",
    "change",
    "changes",
    "what",
    "chart",
    "warning",
    "attacks",
    "attack",
    "closest",
    "edge",
    "combinations",
    "none",
    "found",
    "moves",
    "assessed",
    "design",
    "choice",
    "verdict",
    "verdicts",
    "elements",
    "conditions",
    "source",
    "positive",
    "negative",
    "becomes",
    "graded",
    "policy",
    "confirmed",
    "date",
    "with",
    "without",
    "missing",
    "fill",
    "recorded",
    "files",
    "problems",
}
# "met" is also a Dutch word ("met de aanvallen"); as an English status it stands alone after an arrow,
# a colon or "not", or at the end of a cell.
MET = re.compile(r"(?:->|:|\bnot)\s*met\s*(?:$|[.,;)*]|\s{2})", re.MULTILINE)
QUOTED = re.compile(r"«[^»]*»|`[^`]*`|\[[^\]\n]*\]")
WORD = re.compile(r"[A-Za-zÀ-ž][A-Za-zÀ-ž0-9_'’-]*")

# English a Dutch report may still print; listed here so that the list can only shrink. Empty now.
REPORT_ELSEWHERE: dict[str, str] = {}


def english(text: str) -> set[str]:
    """The deny-listed English words in ``text``, quotes and identifiers left out."""
    text = QUOTED.sub(" ", text)
    found = {"met"} if MET.search(text) else set()
    for token in WORD.findall(text):
        if re.search(r"[_\-0-9]", token):
            continue
        if token.lower() in DENY:
            found.add(token.lower())
    return found


def run(*args: str) -> str:
    result = CliRunner().invoke(main, [*RULES, *args])
    assert result.exit_code in (0, 3, 4), (args, result.output)
    return result.output


def test_the_deny_list_catches_what_it_should() -> None:
    assert english("attacks_from_syria_per_week below 3 (now 6) -> Syria rechtsgrond onder druk") == {
        "below",
        "now",
        "syria",
    }
    assert english("E1: vervuld -> met") == {"met"} and not english("stemt in met de aanvallen")
    assert not english("«the Security Council» [E1-met] `judgments:` what-if-attacks")


def _outputs(path: Path, with_flips: bool) -> Iterator[tuple[str, str]]:
    name = str(path)
    yield "whatif", run("whatif", name, "--set", "attacks_from_syria_per_week=1", "--judgment", "proportionality=false")
    yield "whatif-theory", run("whatif", name, "--theory", "no_effective_control", "--set", "border_control=absent")
    if with_flips:
        yield "flips", run("flips", name)


# flips on every shipped scenario takes a while: the default run takes a spread of them, `ci` all of them.
FLIPPED = {"2018-04-kamerbrief.yaml", "2018-09-bewijsproblemen.yaml", "2020-03-verzoek-ingetrokken.yaml"}


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_what_if_commands_speak_dutch(path: Path) -> None:
    for command, text in _outputs(path, path.name in FLIPPED or THOROUGH):
        assert not english(text), (command, english(text), text)


def test_compare_timeline_and_chart_speak_dutch(tmp_path: Path) -> None:
    chart = tmp_path / "tijdlijn.svg"
    outputs = {
        "compare": run("compare", *map(str, SCENARIOS)),
        "compare-folder": run("compare", str(TIMELINE)),
        "timeline": run("timeline", str(TIMELINE), "--chart", str(chart)),
        "timeline-all": run("timeline", *map(str, SCENARIOS)),
        "chart": re.sub(r"<[^>]*>", " ", chart.read_text(encoding="utf-8")),
    }
    for command, text in outputs.items():
        assert not english(text), (command, english(text))


def test_rules_list_validate_new_and_schema_speak_dutch(tmp_path: Path) -> None:
    skeleton = tmp_path / "nieuw.yaml"
    outputs = {
        "rules list": run("rules", "list"),
        "rules list --params": run("rules", "list", "--params"),
        "validate": run("validate", *map(str, SHIPPED)),
        "new": run("new", str(skeleton)) + _explanations(skeleton),
        "validate new": run("validate", str(skeleton)),
    }
    schema = json.loads(run("schema"))
    outputs["schema"] = "\n".join(_descriptions(schema))
    for command, text in outputs.items():
        assert not english(text), (command, english(text))


def _explanations(path: Path) -> str:
    """The notes of a skeleton: its comments, without the commented-out examples (keys a user types)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    notes = [ln.split("#", 1)[1] for ln in lines if "#" in ln and not ln.lstrip("# ").startswith(("- ", "yaml-"))]
    return "\n".join(n for n in notes if not n.startswith("   "))


def _descriptions(node: object) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("description", "title") and isinstance(value, str):
                yield value
            else:
                yield from _descriptions(value)
    elif isinstance(node, list):
        for item in node:
            yield from _descriptions(item)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_the_dutch_report_has_no_english_but_what_is_listed_elsewhere(path: Path) -> None:
    found = english(run("evaluate", str(path)))
    assert found <= set(REPORT_ELSEWHERE), found - set(REPORT_ELSEWHERE)


def test_every_unit_has_its_singular() -> None:
    book = rulebook()
    units = [i.unit for i in book.indicators.values() if i.unit] + [p.unit for p in book.parameters.values() if p.unit]
    for unit in units:
        assert f"one:{unit.nl}" in catalogue(), unit.nl


def test_plurals_read_right() -> None:
    nl = run("whatif", str(SCENARIOS[0]), "--set", "attacks_from_syria_per_week=1")
    en = run("whatif", str(SCENARIOS[0]), "--set", "attacks_from_syria_per_week=1", "--lang", "en")
    assert "1 aanval per week" in nl and "1 attack per week" in en
    assert "1 aanvallen" not in nl.split("Wat er verandert")[0]


def test_a_hypothetical_judgment_says_so() -> None:
    text = run("whatif", str(SCENARIOS[0]), "--judgment", "proportionality=false")
    assert "De wat-als-vraag oordeelde" in text and "veronderstelling" in text and ": what-if" not in text


def test_indicators_show_by_their_label() -> None:
    book = rulebook()
    assert all(ind.label for ind in book.indicators.values())
    text = run("flips", str(SCENARIOS[0]))
    assert "aanvallen vanuit Syrië" in text and "attacks_from_syria_per_week" not in text


def test_a_new_scenario_validates_with_warnings_and_evaluates_undetermined(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    runner = CliRunner()
    assert runner.invoke(main, [*RULES, "new", str(path)]).exit_code == 0
    checked = runner.invoke(main, [*RULES, "validate", str(path)])
    assert checked.exit_code == 0 and "Waarschuwing" in checked.stderr and "iraq_request_in_force" in checked.stderr
    assert runner.invoke(main, [*RULES, "validate", "--strict", str(path)]).exit_code == 1
    report = runner.invoke(main, [*RULES, "evaluate", str(path), "--format", "json"])
    verdicts = set(json.loads(report.stdout)["verdict"].values())
    assert verdicts == {"undetermined"}
    again = runner.invoke(main, [*RULES, "new", str(path)])
    assert again.exit_code == 2 and "bestaat al" in again.output


def test_the_examples_in_a_new_scenario_validate_once_uncommented(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    CliRunner().invoke(main, [*RULES, "new", str(path), "--lang", "en"])
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.replace("observations: []", "observations:").replace("judgments: []", "judgments:")
        lines.append("  " + line[4:] if line.startswith(("  # - ", "  #   ")) else line)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, [*RULES, "validate", str(path)])
    assert result.exit_code == 0, result.output


def test_a_variant_from_an_existing_scenario(tmp_path: Path) -> None:
    path = tmp_path / "v.yaml"
    made = CliRunner().invoke(main, [*RULES, "new", str(path), "--from", str(SCENARIOS[0])])
    assert made.exit_code == 0
    assert "--allow-outside" in made.stderr  # the base lies outside the new file's folder
    assert "extends:" in path.read_text(encoding="utf-8")
    allow = ["--allow-outside", str(SCENARIOS[0].parent)]
    assert CliRunner().invoke(main, [*RULES, "validate", str(path), *allow]).exit_code == 0
    beside = SCENARIOS[0].parent / f"zz-test-{tmp_path.name}.yaml"
    try:
        made = CliRunner().invoke(main, [*RULES, "new", str(beside), "--from", str(SCENARIOS[0])])
        assert made.exit_code == 0 and "--allow-outside" not in made.stderr
        assert CliRunner().invoke(main, [*RULES, "validate", str(beside)]).exit_code == 0
    finally:
        beside.unlink(missing_ok=True)


@pytest.mark.parametrize("text", ["01-10-2018", "1/10/2018"])
def test_a_day_first_date_gets_a_hint(text: str) -> None:
    result = CliRunner().invoke(main, [*RULES, "evaluate", str(SCENARIOS[0]), "--as-of", text])
    assert result.exit_code == 2 and "2018-10-01" in result.output and "Traceback" not in result.output
