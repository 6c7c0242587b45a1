"""Legal cases: scenarios with the statuses and verdicts docs/legal-model.md implies for them.

Every ``tests/cases/*.yaml`` holds a list of cases (the format is described at the top of
``tests/cases/2018-04-kamerbrief.yaml``). A case names a scenario file under ``scenarios/`` or writes one
``inline:``, may set evaluation options, and states the expected verdicts, element and condition statuses
and evidence lists. The expectations are derived from the documented model, not copied from the tool.
"""

from __future__ import annotations

import functools
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from mandaat.model.report import Report
from mandaat.pipeline import Options, evaluate_file, evaluate_scenario, rulebook
from mandaat.read.scenario import parse_scenario
from mandaat.read.yamlsafe import load_text
from mandaat.render.text import render_text

ROOT = Path(__file__).resolve().parent.parent
CASES_DIR = ROOT / "tests" / "cases"
SCENARIOS_DIR = ROOT / "scenarios"

ELEMENTS = tuple(rulebook().element_ids("element"))
CONDITIONS = tuple(rulebook().element_ids("condition"))
STATUSES = tuple(rulebook().statuses)
BASES = tuple(rulebook().bases)
VERDICTS = tuple(rulebook().verdicts)
EVIDENCE_LISTS = ("relied_upon", "superseded", "conflicts", "unconfirmed", "stale", "after_assessment")
CASE_KEYS = {"name", "scenario", "inline", "options", "expect"}
OPTION_KEYS = {"theory", "lang", "params", "as_of"}
# `phrases`: words the text report (in the case's language) must contain; `absent`: words it must not.
EXPECT_KEYS = {"verdict", "elements", "conditions", "evidence", "valid_until", "phrases", "absent"}


def _reachable() -> set[tuple[str, str]]:
    """(element, status) for every status a status rule can establish (E4 has no `weakening` in model 2)."""
    return {(r.element, str(r.establishes)) for r in rulebook().rules if r.action == "status" and r.element in ELEMENTS}


class _NoAliasDumper(yaml.SafeDumper):
    """Write every node in full: mandaat's reader refuses YAML aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _load_cases() -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert isinstance(data, list), f"{path.name}: a case file holds a list of cases"
        for case in data:
            assert isinstance(case, dict) and "name" in case, f"{path.name}: every case is a mapping with a name"
            cases.append({**case, "_file": path.name})
    return cases


CASES = _load_cases()
CASES_BY_NAME = {case["name"]: case for case in CASES}


def _options(case: dict[str, Any]) -> Options:
    raw = case.get("options") or {}
    as_of = raw.get("as_of")
    if isinstance(as_of, str):
        as_of = date.fromisoformat(as_of)
    return Options(
        lang=raw.get("lang", "en"), theory=raw.get("theory"), params=dict(raw.get("params") or {}), as_of=as_of
    )


@functools.cache
def _report(name: str) -> Report:
    """The report for the case called ``name`` (each scenario is evaluated once per test session)."""
    case = CASES_BY_NAME[name]
    options = _options(case)
    if "scenario" in case:
        return evaluate_file(ROOT / case["scenario"], options)
    book = rulebook()
    text = yaml.dump(case["inline"], Dumper=_NoAliasDumper, allow_unicode=True, sort_keys=False)
    data, locator = load_text(text, f"inline:{name}")
    scenario = parse_scenario(data, locator, book)
    return evaluate_scenario(scenario, book, options)


def _mismatches(case: dict[str, Any], report: Report) -> list[str]:
    expect = case.get("expect") or {}
    wrong: list[str] = []
    for basis, want in (expect.get("verdict") or {}).items():
        got = report.verdict[basis]
        if got != want:
            wrong.append(f"verdict.{basis}: expected {want}, got {got}")
    for group, statuses in (("elements", report.elements), ("conditions", report.conditions)):
        for name, want in (expect.get(group) or {}).items():
            got = statuses[name].status
            if got != want:
                wrong.append(f"{group}.{name}: expected {want}, got {got}")
    if "valid_until" in expect:
        want_date = expect["valid_until"]
        want_text = want_date.isoformat() if isinstance(want_date, date) else want_date
        if report.valid_until != want_text:
            wrong.append(f"valid_until: expected {want_text}, got {report.valid_until}")
    if "phrases" in expect or "absent" in expect:
        text = " ".join(render_text(report, rulebook()).split())  # lines are wrapped
        wrong += [f"report lacks the phrase {p!r}" for p in expect.get("phrases") or [] if p not in text]
        wrong += [f"report contains the phrase {p!r}" for p in expect.get("absent") or [] if p in text]
    for list_name, want in (expect.get("evidence") or {}).items():
        got = sorted(item.observation for item in getattr(report.evidence, list_name))
        if got != sorted(want or []):
            wrong.append(f"evidence.{list_name}: expected {sorted(want or [])}, got {got}")
    return wrong


@pytest.mark.parametrize("name", [case["name"] for case in CASES], ids=[case["name"] for case in CASES])
def test_legal_case(name: str) -> None:
    """The scenario of the case gets exactly the expected verdicts, statuses and evidence lists."""
    case = CASES_BY_NAME[name]
    wrong = _mismatches(case, _report(name))
    assert not wrong, f"{case['_file']}: {name}\n  " + "\n  ".join(wrong)


def test_cases_are_well_formed() -> None:
    """Every case has a unique name, one scenario source, known keys and only documented values."""
    names = [case["name"] for case in CASES]
    assert len(names) == len(set(names)), "case names must be unique (they are the test ids)"
    problems: list[str] = []
    for case in CASES:
        where = f"{case['_file']}: {case['name']}"
        extra = set(case) - CASE_KEYS - {"_file"}
        if extra:
            problems.append(f"{where}: unknown keys {sorted(extra)}")
        if ("scenario" in case) == ("inline" in case):
            problems.append(f"{where}: give exactly one of `scenario` and `inline`")
        if "scenario" in case and not (ROOT / case["scenario"]).is_file():
            problems.append(f"{where}: no such scenario file {case['scenario']}")
        if set(case.get("options") or {}) - OPTION_KEYS:
            problems.append(f"{where}: unknown options {sorted(set(case['options']) - OPTION_KEYS)}")
        expect = case.get("expect") or {}
        if not expect or set(expect) - EXPECT_KEYS:
            problems.append(f"{where}: expect must be a non-empty mapping with keys from {sorted(EXPECT_KEYS)}")
        for basis, value in (expect.get("verdict") or {}).items():
            if basis not in BASES or value not in VERDICTS:
                problems.append(f"{where}: bad verdict {basis}: {value}")
        for group, names_ in (("elements", ELEMENTS), ("conditions", CONDITIONS)):
            for key, value in (expect.get(group) or {}).items():
                if key not in names_ or value not in STATUSES:
                    problems.append(f"{where}: bad {group} entry {key}: {value}")
        if set(expect.get("evidence") or {}) - set(EVIDENCE_LISTS):
            problems.append(f"{where}: unknown evidence lists {sorted(set(expect['evidence']) - set(EVIDENCE_LISTS))}")
    assert not problems, "\n".join(problems)


def _is_full_case(case: dict[str, Any]) -> bool:
    """A case that evaluates the file as written and states both verdicts and all four elements."""
    expect = case.get("expect") or {}
    options = case.get("options") or {}
    return (
        set(options) <= {"lang"}
        and set(expect.get("verdict") or {}) == set(BASES)
        and set(expect.get("elements") or {}) == set(ELEMENTS)
    )


def test_every_scenario_file_has_a_full_case() -> None:
    """Every scenarios/*.yaml has a case, as written, with both verdicts and all four element statuses."""
    covered = {Path(case["scenario"]).name for case in CASES if "scenario" in case and _is_full_case(case)}
    missing = sorted(path.name for path in SCENARIOS_DIR.glob("*.yaml") if path.name not in covered)
    assert not missing, f"scenario files without a full legal case: {missing}"


def test_scenario_ids_match_file_names() -> None:
    """Every scenario file's id is its file name without .yaml."""
    wrong = []
    for path in sorted(SCENARIOS_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if data.get("id") != path.stem:
            wrong.append(f"{path.name}: id {data.get('id')!r}")
    assert not wrong, wrong


def test_theory_pair_differs_only_in_theory() -> None:
    """The Albu Kamal pair has identical facts and settings but for the theory, and different Syria verdicts."""
    uou = yaml.safe_load((SCENARIOS_DIR / "2018-06-albu-kamal-uou.yaml").read_text(encoding="utf-8"))
    nec = yaml.safe_load((SCENARIOS_DIR / "2018-06-albu-kamal-nec.yaml").read_text(encoding="utf-8"))
    for key in ("assessed_on", "params", "observations", "judgments"):
        assert uou.get(key) == nec.get(key), f"the pair differs in {key}"
    assert (uou["theory"], nec["theory"]) == ("unwilling_or_unable", "no_effective_control")
    syria = {
        evaluate_file(SCENARIOS_DIR / f"2018-06-albu-kamal-{t}.yaml", Options(lang="en")).verdict["syria"]
        for t in ("uou", "nec")
    }
    assert len(syria) == 2, f"the pair should get different Syria verdicts, got {syria}"


def test_cases_cover_every_status_and_verdict() -> None:
    """The cases, as expected and as evaluated, drive every element to every status and every basis to every verdict."""
    expected: set[tuple[str, str]] = set()
    actual: set[tuple[str, str]] = set()
    for case in CASES:
        expect = case.get("expect") or {}
        expected |= {(k, v) for k, v in (expect.get("elements") or {}).items()}
        expected |= {(k, v) for k, v in (expect.get("verdict") or {}).items()}
        report = _report(case["name"])
        actual |= {(k, e.status) for k, e in report.elements.items()}
        actual |= {(basis, report.verdict[basis]) for basis in BASES}
    wanted = _reachable() | {(b, v) for b in BASES for v in VERDICTS if (b, v) != ("iraq", "other_basis")}
    assert not wanted - expected, f"no case expects: {sorted(wanted - expected)}"
    assert not wanted - actual, f"no case produces: {sorted(wanted - actual)}"


def test_scenario_files_alone_cover_every_status_and_verdict() -> None:
    """The scenario files as written (without case options) already cover every element status and verdict
    (contested readings are left to the inline cases)."""
    seen: set[tuple[str, str]] = set()
    for path in sorted(SCENARIOS_DIR.glob("*.yaml")):
        report = evaluate_file(path, Options(lang="en"))
        seen |= {(k, e.status) for k, e in report.elements.items()}
        seen |= {(basis, report.verdict[basis]) for basis in BASES}
    wanted = {(e, s) for e, s in _reachable() if s != "contested"}
    wanted |= {(b, v) for b in BASES for v in VERDICTS if (b, v) != ("iraq", "other_basis")}
    assert not wanted - seen, f"not covered by the scenario files: {sorted(wanted - seen)}"
