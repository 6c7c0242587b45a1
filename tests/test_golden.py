"""Golden reports: the output of mandaat's commands on shipped scenarios, compared byte for byte with
tests/golden/.

Each case runs in-process through click's CliRunner, from the repository root (so the scenario paths in
the output are the relative ones given here) and with ``--rules`` pointing at the checkout's rules/, so
the comparison also holds on a non-editable install. What a reader does not read is masked, so that a
golden changes only when what it says changes: wall-clock times (``0.15 s``), hashes (the receipt's
SHA-256 of the rules and the scenario) and search counts (``115 evaluaties``). A comment added to a file in
rules/ changes no golden (tested below).

To refresh the files after an intended change of output: ``pytest tests/test_golden.py --update-golden``,
then review the diff of tests/golden/ before committing it.
"""

from __future__ import annotations

import difflib
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from mandaat.cli import main

from .conftest import ROOT

GOLDEN = Path(__file__).parent / "golden"
TIMING = re.compile(r"\d+[.,]\d+ s\b")
HASH = re.compile(r"\b[0-9a-f]{16,64}\b")
SEARCHES = re.compile(r"\b\d+ (evaluaties|evaluations)\b|(\"evaluations\": )\d+")


def mask(text: str) -> str:
    """``text`` with what a reader does not read masked: times, hashes, search counts."""
    text = TIMING.sub("#.## s", text)
    text = HASH.sub("<sha256>", text)
    return SEARCHES.sub(lambda m: f"# {m.group(1)}" if m.group(1) else f"{m.group(2)}#", text)


EXTENSION = {"text": "txt", "markdown": "md", "json": "json"}
EVALUATED = [
    "2018-04-kamerbrief",
    "2018-06-albu-kamal-nec",
    "2018-09-bewijsproblemen",
    "2018-11-proportionaliteit-negatief",
    "2020-03-verzoek-ingetrokken",
]
TIMELINE = [str(p.relative_to(ROOT)) for p in sorted((ROOT / "scenarios" / "timeline-2018").glob("*.yaml"))]
BASELINE = "scenarios/2018-04-kamerbrief.yaml"


def _cases() -> list[tuple[str, list[str]]]:
    cases: list[tuple[str, list[str]]] = []
    for lang in ("nl", "en"):
        for name in EVALUATED:
            for fmt, ext in EXTENSION.items():
                cases.append(
                    (
                        f"evaluate-{name}.{lang}.{ext}",
                        ["evaluate", f"scenarios/{name}.yaml", "--format", fmt, "--lang", lang],
                    )
                )
        for fmt in ("text", "json"):
            ext = EXTENSION[fmt]
            common = ["--format", fmt, "--lang", lang]
            cases += [
                (
                    f"whatif-attacks-1.{lang}.{ext}",
                    ["whatif", BASELINE, "--set", "attacks_from_syria_per_week=1", *common],
                ),
                (
                    f"compare-albu-kamal.{lang}.{ext}",
                    [
                        "compare",
                        "scenarios/2018-06-albu-kamal-uou.yaml",
                        "scenarios/2018-06-albu-kamal-nec.yaml",
                        *common,
                    ],
                ),
                (f"flips-2018-04-kamerbrief.{lang}.{ext}", ["flips", BASELINE, *common]),
                (f"timeline-2018.{lang}.{ext}", ["timeline", *TIMELINE, *common]),
            ]
    cases += [
        ("rules-list.txt", ["rules", "list"]),
        ("rules-list-params.txt", ["rules", "list", "--params"]),
        ("rules-show-E1.txt", ["rules", "show", "E1"]),
        ("rules-show-compiled-E1.txt", ["rules", "show", "--compiled", "E1"]),
        ("schema.json", ["schema"]),
    ]
    return cases


CASES = _cases()


def _compare(name: str, actual: str, update: bool) -> None:
    """``actual`` equals tests/golden/NAME byte for byte, or (with --update-golden) becomes it."""
    path = GOLDEN / name
    actual = mask(actual)
    if update:
        GOLDEN.mkdir(exist_ok=True)
        path.write_bytes(actual.encode("utf-8"))
        return
    assert path.is_file(), f"no golden file {path.name}; run pytest with --update-golden to create it"
    expected = path.read_bytes().decode("utf-8")
    if actual != expected:
        diff = difflib.unified_diff(
            expected.splitlines(keepends=True), actual.splitlines(keepends=True), f"golden/{name}", "actual output"
        )
        pytest.fail(f"output differs from tests/golden/{name}:\n" + "".join(diff), pytrace=False)


def _invoke(args: list[str], rules: Path = ROOT / "rules") -> str:
    result = CliRunner().invoke(main, ["--rules", str(rules), *args])
    assert result.exit_code == 0, (result.exit_code, result.stderr, result.exception)
    assert result.stderr == ""
    return result.stdout


@pytest.fixture
def update(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> bool:
    """Whether to rewrite the golden files; also runs the test from the repository root."""
    monkeypatch.chdir(ROOT)
    return bool(request.config.getoption("--update-golden"))


@pytest.mark.parametrize("name, args", CASES, ids=[name for name, _ in CASES])
def test_golden_output(name: str, args: list[str], update: bool) -> None:
    """The command's standard output is exactly the golden file."""
    _compare(name, _invoke(args), update)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_golden_timeline_chart(lang: str, update: bool, tmp_path: Path) -> None:
    """The SVG chart of the 2018 timeline is exactly the golden file."""
    chart = tmp_path / "timeline.svg"
    result = CliRunner().invoke(
        main, ["--rules", str(ROOT / "rules"), "timeline", *TIMELINE, "--lang", lang, "--chart", str(chart)]
    )
    assert result.exit_code == 0, (result.stderr, result.exception)
    _compare(f"timeline-2018.{lang}.svg", chart.read_text(encoding="utf-8"), update)


def test_every_golden_file_belongs_to_a_case() -> None:
    """No stale files in tests/golden/: each one is produced by a case above."""
    names = {name for name, _ in CASES} | {f"timeline-2018.{lang}.svg" for lang in ("nl", "en")}
    assert sorted(p.name for p in GOLDEN.iterdir()) == sorted(names)


def test_a_comment_in_the_rules_changes_no_golden(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A comment line added to every file of rules/ leaves every golden report as it is: the goldens hold
    what a reader reads, not the bytes of the rulebook."""
    for folder in ("rules", "seeds", "scenarios"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    for path in sorted((tmp_path / "rules").glob("*.yaml")):
        path.write_text(path.read_text(encoding="utf-8") + "# a comment that changes nothing\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    differing = []
    for name, args in CASES:
        actual = mask(_invoke(args, tmp_path / "rules"))
        if actual != (GOLDEN / name).read_text(encoding="utf-8"):
            differing.append(name)
    assert differing == []
