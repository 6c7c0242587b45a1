"""Broken scenario files: every defect is reported on stderr as ``Fout: FILE:LINE path: message (hint)``
(``Error: ...`` with ``--lang en``), with exit code 1, nothing on stdout and never a traceback.

The corpus is tests/invalid/ (one defect per file); tests/invalid/expected.yaml lists, per file, the
fragments its error output in English must contain. In Dutch, the default, the same errors are located on
the same lines and say nothing in English.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

import mandaat
from mandaat.cli import main

INVALID = Path(__file__).parent / "invalid"
EXPECTED_FILE = INVALID / "expected.yaml"
EXAMPLE = Path(__file__).parent.parent / "scenarios" / "2018-04-kamerbrief.yaml"
_LOCATION = re.compile(r"^[\w.-]+\.yaml:\d+$")

SMALL_VALID = """\
mandaat: 1
id: drie-fouten
title: Drie onafhankelijke fouten
assessed_on: 2018-04-13
observations:
  - id: attacks
    indicator: attacks_from_syria_per_week
    value: 6
    date: 2018-04-13
    source: {name: Kabinet, origin: national}
    grade: B2
  - id: border
    indicator: border_control
    value: weak
    date: 2018-04-13
    source: Kabinet
    grade: B2
"""


def _load_expected() -> dict[str, tuple[str, list[str]]]:
    raw = yaml.safe_load(EXPECTED_FILE.read_text(encoding="utf-8"))
    cases: dict[str, tuple[str, list[str]]] = {}
    for name, entry in raw.items():
        if isinstance(entry, dict):
            cases[name] = (entry["command"], list(entry["contains"]))
        else:
            cases[name] = ("validate", list(entry))
    return cases


EXPECTED = _load_expected()


def _run(command: str, *args: str, lang: str = "en") -> Result:
    return CliRunner().invoke(main, [command, "--lang", lang, *args])


def _assert_no_traceback(result: Result) -> None:
    assert "Traceback" not in result.stdout + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)


def _assert_contains(stderr: str, fragment: str, paths: tuple[Path, ...] = ()) -> None:
    """``fragment`` is in ``stderr``; a message fragment must not merely match a file name there."""
    if _LOCATION.match(fragment):  # FILE:LINE must not be a prefix of FILE:LINE0...
        assert re.search(re.escape(fragment) + r"(?!\d)", stderr), f"missing location {fragment!r} in:\n{stderr}"
        return
    text = stderr
    if ".yaml" not in fragment:  # e.g. `null` must not be found in the name value-null.yaml
        for path in paths:
            text = text.replace(str(path), "FILE")
    assert fragment in text, f"missing {fragment!r} in:\n{stderr}"


def _assert_rejected(result: Result, fragments: list[str], *paths: Path, error: str = "Error") -> None:
    _assert_no_traceback(result)
    assert result.exit_code == 1, f"exit {result.exit_code}; stderr:\n{result.stderr}"
    assert result.stdout == ""
    assert result.stderr.startswith(f"{error}: "), result.stderr
    for fragment in fragments:
        _assert_contains(result.stderr, fragment, paths)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_invalid_file_is_rejected(name: str) -> None:
    """Each broken file exits 1 with its located, explained error on stderr and nothing on stdout."""
    command, fragments = EXPECTED[name]
    _assert_rejected(_run(command, str(INVALID / name)), fragments, INVALID / name)


@pytest.mark.parametrize("name", sorted(n for n, (command, _) in EXPECTED.items() if command == "validate"))
def test_evaluate_rejects_invalid_file_too(name: str) -> None:
    """`evaluate` rejects every file `validate` rejects, with the same messages."""
    _, fragments = EXPECTED[name]
    _assert_rejected(_run("evaluate", str(INVALID / name)), fragments, INVALID / name)


def test_expected_lists_exactly_the_corpus() -> None:
    """Every file in tests/invalid/*.yaml is in expected.yaml and every entry there has its file."""
    on_disk = {p.name for p in INVALID.glob("*.yaml")} - {EXPECTED_FILE.name}
    assert sorted(on_disk - set(EXPECTED)) == [], "files without expectations"
    assert sorted(set(EXPECTED) - on_disk) == [], "expectations without files"
    assert len(on_disk) >= 45


def test_every_expectation_names_its_file() -> None:
    """Each entry's first fragment locates the error in that very file."""
    for name, (command, fragments) in EXPECTED.items():
        assert command in ("validate", "evaluate"), name
        assert fragments and fragments[0].startswith(f"{name}:"), name


def test_valid_example_passes() -> None:
    """The shipped example validates, so the corpus tests a working validator rather than a broken one."""
    result = _run("validate", str(EXAMPLE))
    _assert_no_traceback(result)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip().endswith(": ok")


def test_validate_directory() -> None:
    """`validate` on a folder checks every *.yaml file in it, and exits 1 when any is broken."""
    result = _run("validate", str(INVALID))
    _assert_no_traceback(result)
    assert result.exit_code == 1
    assert "grade-g4.yaml:13" in result.stderr and "boolean-yes.yaml" in result.stderr


def test_validate_missing_file(tmp_path: Path) -> None:
    """`validate` on a file that does not exist exits 1 and says so."""
    missing = tmp_path / "bestaat-niet.yaml"
    _assert_rejected(_run("validate", str(missing)), ["bestaat-niet.yaml", "not found"])


def test_validate_file_over_5_mb(tmp_path: Path) -> None:
    """A file over 5 MB is refused before it is parsed, with the limit named."""
    big = tmp_path / "te-groot.yaml"
    padding = "# " + "x" * 1000 + "\n"
    big.write_text(SMALL_VALID + padding * (5 * 1024 * 1024 // len(padding) + 10), encoding="utf-8")
    assert big.stat().st_size > 5 * 1024 * 1024
    _assert_rejected(_run("validate", str(big)), ["te-groot.yaml", "bytes", "limit"])


def test_validate_several_files_reports_all() -> None:
    """`validate A B C` reports the problems of every broken file, confirms the good one, and exits 1."""
    result = _run(
        "validate",
        str(INVALID / "grade-g4.yaml"),
        str(EXAMPLE),
        str(INVALID / "boolean-yes.yaml"),
        str(INVALID / "not-yaml.yaml"),
    )
    _assert_no_traceback(result)
    assert result.exit_code == 1
    for name in ("grade-g4.yaml", "boolean-yes.yaml", "not-yaml.yaml"):
        for fragment in EXPECTED[name][1]:
            _assert_contains(result.stderr, fragment, (INVALID / name,))
    assert "3 of 4 files have problems" in result.stderr
    assert "2018-04-kamerbrief.yaml: ok" in result.stdout
    assert "grade-g4" not in result.stdout


def test_three_independent_defects_all_reported(tmp_path: Path) -> None:
    """A file with three unrelated defects gets all three reported in one run, each at its own line."""
    text = (
        SMALL_VALID.replace("    grade: B2\n  - id: border", "    grade: G4\n  - id: border")
        .replace("value: weak", "value: weakk")
        .replace("assessed_on: 2018-04-13\n", "assessed_on: 2018-04-13\nauthor: jurist\n")
    )
    path = tmp_path / "drie-fouten.yaml"
    path.write_text(text, encoding="utf-8")
    result = _run("validate", str(path))
    _assert_rejected(
        result,
        [
            "drie-fouten.yaml:5",
            "author",
            "unknown key",
            "drie-fouten.yaml:12",
            "observations[0].grade",
            "Admiralty",
            "drie-fouten.yaml:15",
            "observations[1].value",
            "did you mean 'weak'?",
        ],
    )
    assert result.stderr.count("Error: ") == 3


def test_two_bad_parameters_both_reported(tmp_path: Path) -> None:
    """Every defective parameter override is reported, each at its own line, not only the first."""
    text = SMALL_VALID.replace(
        "observations:\n", "params:\n  evidence_min_reliability: G\n  e1_met_min_attacks_per_wek: 4\nobservations:\n"
    )
    path = tmp_path / "twee-parameters.yaml"
    path.write_text(text, encoding="utf-8")
    _assert_rejected(
        _run("validate", str(path)),
        [
            "twee-parameters.yaml:6",
            "params.evidence_min_reliability",
            "source reliability",
            "twee-parameters.yaml:7",
            "params.e1_met_min_attacks_per_wek",
            "unknown parameter",
        ],
    )


@pytest.mark.ci
def test_subprocess_exit_code_and_no_traceback() -> None:
    """`python -m mandaat validate FILE` on a broken file exits 1 with a located error and no traceback."""
    proc = subprocess.run(
        [sys.executable, "-m", "mandaat", "validate", "--lang", "en", str(INVALID / "python-tag.yaml")],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert proc.stdout == ""
    for fragment in EXPECTED["python-tag.yaml"][1]:
        _assert_contains(proc.stderr, fragment, (INVALID / "python-tag.yaml",))


# English that a Dutch error must not hold, once the file's own name is taken out: the words of the English
# messages and hints. What the user wrote (keys, values) is shown as written, and Unicode's names of
# characters (LINE SEPARATOR) are upper case.
_ENGLISH = re.compile(
    r"\b(Error|is not|should|must|write|unknown|required|allowed|valid|did you mean|expected|problems?|more than|"
    r"has no|remove|check|give|keep|outside|lies|too|line|file|found|number|character|the|an|with|and)\b"
)


def _dutch_only(stderr: str, *paths: Path) -> None:
    for path in paths:
        stderr = stderr.replace(str(path), "FILE")
    for line in stderr.splitlines():
        message = line.split(": ", 2)[-1] if line.startswith("Fout: ") else line
        message = re.sub(r"'[^']*'|`[^`]*`", "", message)  # what the user wrote, and what to type, quoted
        english = _ENGLISH.search(message)
        assert not english, f"English ({english.group()!r}) in a Dutch error: {line!r}"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_invalid_file_is_rejected_in_dutch(name: str) -> None:
    """In Dutch (the default), each broken file gets the same located errors, every word of them Dutch."""
    command, fragments = EXPECTED[name]
    path = INVALID / name
    result = CliRunner().invoke(main, [command, str(path)])
    _assert_rejected(result, [f for f in fragments if _LOCATION.match(f)], path, error="Fout")
    _dutch_only(result.stderr, path)
    english = _run(command, str(path))
    assert result.stderr.count("Fout: ") == english.stderr.count("Error: ")


@pytest.mark.parametrize(("catalogue", "frames"), [("reading", ["os_error"]), ("usage", ["about", "about_hint"])])
def test_every_error_message_is_translated(catalogue: str, frames: list[str]) -> None:
    """Each message of reading a file or using the command line says something else in Dutch than in
    English, except the bare frames around what the system or another message says."""
    path = Path(mandaat.__file__).parent / "model" / "messages" / f"{catalogue}.yaml"
    messages = yaml.safe_load(path.read_text(encoding="utf-8"))
    same = sorted(key for key, texts in messages.items() if texts["nl"] == texts["en"])
    assert same == frames


def test_every_message_the_code_names_is_in_the_catalogue() -> None:
    """Each catalogue key the code names (``said("key", ...)``, and the keys it chooses among) exists in
    both languages, so that no error turns into an internal one for want of its words."""
    from mandaat.model.words import catalogue
    from mandaat.read.problems import _SAID

    source = Path(mandaat.__file__).parent
    named = {key for path in source.rglob("*.py") for key in re.findall(r'said\(\s*"([^"]+)"', path.read_text("utf-8"))}
    chosen = {key for pair in _SAID.values() for key in pair if key}
    chosen |= {"text_bidi", "text_control", "chain_bytes", "chain_values", "list_of_ids", "list_of_observations"}
    chosen |= {"directory_not_regular", "special_not_regular", "not_reliability", "not_grade_parameter"}
    chosen |= {"not_credibility", "not_days", "not_number", "not_finite", "outside_million", "too_many_decimals"}
    chosen |= {
        f"{kind}{end}" for kind in ("line_separator", "bidi_character", "control_character") for end in ("", "_hint")
    }
    missing = sorted(key for key in named | chosen if set(catalogue().get(key, {})) != {"nl", "en"})
    assert len(named) > 150 and missing == []
