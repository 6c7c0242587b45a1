"""Hostile input, round 3: `replay` as the one command whose input is someone else's file, `sweep`'s
ranges and workers, the names `new` and `studio` are given, and the values-per-date bound in the model.

Each test is a reproducer of a finding (or a variant of one). Sizes and counts are checked, never times;
benchmarks/hostile.py prints the times.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from pydantic import ValidationError

from mandaat.analysis.sweep import parse_axis
from mandaat.analysis.workers import default_jobs
from mandaat.cli import main
from mandaat.model.errors import UsageError
from mandaat.model.rulebook import Rulebook
from mandaat.model.scenario import MAX_VALUES_PER_DATE, Scenario
from mandaat.read.jsonsafe import JsonRefusal, json_locator, loads
from mandaat.studio.app import Studio, create_app
from mandaat.studio.folder import Folder

from .conftest import BASELINE, ROOT, in_english

SECRET = "root:$6$zout$geheimehash:19000:0:99999:7:::\nwachtwoord: geheim\n"


def run(*args: str, english: bool = True) -> Result:
    """mandaat in-process (in English, unless the test reads the Dutch default)."""
    return CliRunner().invoke(main, in_english(list(args)) if english else list(args))


def located_exit(result: Result, code: int, *fragments: str) -> None:
    """Exit ``code``, no traceback, no internal error, every fragment on stderr."""
    assert result.exit_code == code, (result.exit_code, result.stderr, result.exception)
    for text in ("Traceback", "Internal error", "Interne fout"):
        assert text not in result.stderr, result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    for fragment in fragments:
        assert fragment in result.stderr, (fragment, result.stderr)


# 13.-16. `replay`: a received report is input to check ------------------------------------------------------


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project folder (rules, seeds, a scenario) with an English JSON report made in it: `report.json`."""
    root = tmp_path_factory.mktemp("project")
    for folder in ("rules", "seeds"):
        shutil.copytree(ROOT / folder, root / folder)
    (root / "scenarios").mkdir()
    shutil.copy(BASELINE, root / "scenarios" / "base.yaml")
    with contextlib.chdir(root):
        made = run("--rules", "rules", "evaluate", "scenarios/base.yaml", "--format", "json", "-o", "report.json")
    assert made.exit_code == 0, made.stderr
    return root


def received(project: Path, name: str, change: Callable[[dict[str, Any]], None]) -> str:
    """The project's report changed by ``change``, saved as ``name``.json in the project, as mandaat writes it."""
    data = json.loads((project / "report.json").read_text(encoding="utf-8"))
    change(data)
    (project / f"{name}.json").write_text(json.dumps(data, indent=2, sort_keys=True), encoding="utf-8")
    return f"{name}.json"


def replay(project: Path, *args: str) -> Result:
    """`mandaat replay` run where the report was made (the receipt's paths are from there)."""
    with contextlib.chdir(project):
        return run("replay", *args)


def line_of(project: Path, file: str, *keys: str) -> int:
    """The line of ``receipt.<keys>`` in a saved report as mandaat writes it (one key a line, sorted)."""
    lines = (project / file).read_text(encoding="utf-8").splitlines()
    at = 0
    for key in ("receipt", *keys):
        at = next(i for i, line in enumerate(lines) if i >= at and line.strip().startswith(f'"{key}"'))
    return at + 1


def test_an_untouched_report_replays_identical(project: Path) -> None:
    result = replay(project, "report.json")
    assert result.exit_code == 0 and result.stdout.startswith("identical: report.json"), result.output


MIN_ATTACKS = "e1_met_min_attacks_per_week"
RECEIPT_DEFECTS = [
    ("as_of", "13-04-2018", (), "'13-04-2018' is geen datum"),
    ("as_of", "9999-12-31", (), "9999-12-31 valt buiten de jaren 1900 tot 2200"),
    ("language", "fr", (), "'fr' is niet toegestaan (verwacht een van: nl, en)"),
    ("engine", "turbo", (), "onbekende rekenkern 'turbo'"),
    ("theory_given", "unwilling", (), "onbekende theorie 'unwilling' (bedoelt u 'unwilling_or_unable'?)"),
    ("params", {MIN_ATTACKS: "veel"}, (MIN_ATTACKS,), "'veel' is geen getal"),
    ("params", {"onbekend": 3}, ("onbekend",), "onbekende parameter 'onbekend'"),
    ("params", {MIN_ATTACKS: 0}, (), f"moet kleiner zijn dan {MIN_ATTACKS} (0)"),  # the other threshold is 0 too
]


@pytest.mark.parametrize(("key", "value", "inner", "fragment"), RECEIPT_DEFECTS)
def test_a_receipt_mandaat_cannot_use_is_a_located_defect_of_the_report(
    project: Path, key: str, value: Any, inner: tuple[str, ...], fragment: str
) -> None:
    """A non-ISO or far date (which `evaluate --as-of` refuses), an unknown language, engine, theory or
    parameter: exit 1 at the receipt's line in the report file, never exit 70, never «--param» (exit 2)."""
    name = received(project, f"defect-{key}-{len(str(value))}", lambda d: d["receipt"].__setitem__(key, value))
    result = replay(project, name)
    where = f"{name}:{line_of(project, name, key, *inner)} receipt.{'.'.join((key, *inner))}:"
    located_exit(result, 1, where, fragment)
    assert "-h` voor de opties" not in result.stderr  # not misuse of the command line


def test_a_receipt_of_the_wrong_shape_is_located(project: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["receipt"]["as_of"], data["receipt"]["rules"] = 5, "alle"

    name = received(project, "shape", change)
    result = replay(project, name)
    located_exit(result, 1, f"{name}:{line_of(project, name, 'as_of')} receipt.as_of", f"{name}:")
    assert f"{name}:{line_of(project, name, 'rules')} receipt.rules:" in result.stderr


def test_json_nested_deep_or_with_an_endless_number_is_located(project: Path) -> None:
    (project / "deep.json").write_text('{"receipt":\n' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    located_exit(replay(project, "deep.json"), 1, "deep.json:2:", "dieper genest dan 64 niveaus")
    (project / "digits.json").write_text('{"receipt": {\n"as_of":\n' + "9" * 5000 + "}}", encoding="utf-8")
    located_exit(replay(project, "digits.json"), 1, "digits.json:3:", "heeft te veel cijfers")


def test_the_json_reader_refuses_depth_and_length_where_they_are() -> None:
    with pytest.raises(JsonRefusal) as deep:
        loads(b'{"a": 1,\n "b": ' + b"[" * 100_000 + b"]" * 100_000 + b"}")
    assert (deep.value.lineno, deep.value.colno) == (2, 70)
    with pytest.raises(ValueError):  # what the studio catches
        loads("[" + "1" * 5000 + "]")
    assert loads('{"a": [1, {"b": "[[[{{"}]}') == {"a": [1, {"b": "[[[{{"}]}
    locator = json_locator('{\n "a": [\n  "x",\n  {"b": 1}\n ]\n}', "f.json")
    assert [locator.line(p) for p in (("a",), ("a", 0), ("a", 1, "b"), ("a", 9))] == [2, 3, 4, 2]


def _raw_post(app: Any, path: str, body: bytes, token: str) -> int:
    """One POST with a raw body to the studio's application, in process: its status."""
    headers = [
        (b"host", b"127.0.0.1"),
        (b"content-length", str(len(body)).encode()),
        (b"x-mandaat-token", token.encode()),
    ]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8765),
    }
    sent: list[dict[str, Any]] = []
    delivered = False

    async def receive() -> dict[str, Any]:
        nonlocal delivered
        if not delivered:  # the body once; then the client stays connected, as a browser does
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.Event().wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    status: int = next(m for m in sent if m["type"] == "http.response.start")["status"]
    return status


@pytest.mark.parametrize("endpoint", ["evaluate", "marks", "grid", "save", "export"])
def test_the_studio_refuses_a_deeply_nested_body_without_a_server_error(
    book: Rulebook, tmp_path: Path, endpoint: str
) -> None:
    shutil.copy(BASELINE, tmp_path / BASELINE.name)
    app = create_app(Studio(Folder(tmp_path), book, "en", "t", 8765, BASELINE.name))
    assert _raw_post(app, f"/api/{endpoint}", b"[" * 100_000 + b"]" * 100_000, "t") == 422
    assert _raw_post(app, f"/api/{endpoint}", b'{"x": ' + b"9" * 5000 + b"}", "t") == 422


def test_receipt_strings_reach_the_terminal_escaped(project: Path) -> None:
    """A scenario name, a version and a rule path that clear the screen and print a green «identical»
    line are shown as escapes, on the identical line and on the differing one."""
    odd = "scenarios/a\x1b[2J\x1b[32mb.yaml"
    shutil.copy(BASELINE, project / odd)
    with contextlib.chdir(project):
        assert run("--rules", "rules", "evaluate", odd, "--format", "json", "-o", "odd.json").exit_code == 0
    same = replay(project, "odd.json")
    assert same.exit_code == 0 and "\x1b" not in same.stdout, same.stdout
    assert "scenarios/a\\x1b[2J\\x1b[32mb.yaml" in same.stdout

    def change(data: dict[str, Any]) -> None:
        data["receipt"]["mandaat_version"] = "\x1b[2J\x1b[H\x1b[32midentical\x1b[0m\x1b[8m"
        data["receipt"]["rules"][0]["path"] = "rules/\x1b]0;titel\x07\u202eevil.yaml"
        data["verdict"]["syria\x1b[2J"] = "\x1b[31mlapsed"

    result = replay(project, received(project, "escapes", change))
    assert result.exit_code == 3, result.output
    for raw in ("\x1b", "\x07", "\u202e"):
        assert raw not in result.stdout, result.stdout
    assert "mandaat \\x1b[2J\\x1b[H\\x1b[32midentical" in result.stdout
    assert "rule file removed: rules/\\x1b]0;titel\\x07\\u202eevil.yaml" in result.stdout


@pytest.mark.parametrize("key", [("scenario", "path"), ("rules_dir",)])
def test_replay_reads_nothing_outside_the_reports_folder(project: Path, key: tuple[str, ...]) -> None:
    """Absolute paths and paths that climb out are refused at their line, before anything is read."""
    outside = project.parent / f"outside-{len(key)}"
    outside.mkdir(exist_ok=True)
    (outside / "secret.yaml").write_text(SECRET, encoding="utf-8")
    (outside / "rules").mkdir(exist_ok=True)
    target = "secret.yaml" if key == ("scenario", "path") else "rules"
    for path in (str(outside / target), f"../{outside.name}/{target}", "/etc"):

        def change(data: dict[str, Any], path: str = path) -> None:
            node = data["receipt"]
            for part in key[:-1]:
                node = node[part]
            node[key[-1]] = path

        name = received(project, "outside", change)
        result = replay(project, name)
        where = f"{name}:{line_of(project, name, *key)} receipt.{'.'.join(key)}"
        located_exit(result, 1, where, "ligt buiten de map van het rapport", "--allow-outside")
        assert "geheim" not in result.stderr


def test_replay_refuses_special_files_and_quotes_nothing_of_a_file_that_is_no_scenario(project: Path) -> None:
    os.mkfifo(project / "pipe.yaml")
    (project / "shadow").write_text(SECRET, encoding="utf-8")
    for path, fragment in (("pipe.yaml", "speciaal bestand"), ("shadow", "'shadow' is geen scenariobestand")):
        name = received(project, "special", lambda d, path=path: d["receipt"]["scenario"].__setitem__("path", path))
        result = replay(project, name)
        located_exit(result, 1, f"{name}:{line_of(project, name, 'scenario', 'path')} receipt.scenario.path", fragment)
        assert "geheim" not in result.stderr and "zout" not in result.stderr and result.stderr.count("Fout:") == 1


def test_allow_outside_opens_another_folder_for_replay(tmp_path: Path, project: Path) -> None:
    shutil.copy(BASELINE, tmp_path / "elders.yaml")
    name = received(
        project, "elsewhere", lambda d: d["receipt"]["scenario"].__setitem__("path", str(tmp_path / "elders.yaml"))
    )
    assert replay(project, name).exit_code == 1
    result = replay(project, name, "--allow-outside", str(tmp_path))
    assert result.exit_code == 0 and result.stdout.startswith("identical"), result.output


def test_a_report_edited_by_hand_shows_both_values_and_says_the_file_changed(project: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["verdict"]["syria"] = "lapsed"
        data["elements"]["E1"]["status"] = "not_met"
        del data["valid_until"]

    result = replay(project, received(project, "edited", change))
    assert result.exit_code == 3, result.output
    lines = result.stdout.splitlines()
    assert "verdict.syria: 'lapsed' in the report, 'holds' computed now" in result.stdout
    assert "elements.E1.status: 'not_met' in the report, 'met' computed now" in result.stdout
    assert "valid_until: (absent) in the report, '2018-06-12' computed now" in result.stdout
    assert lines[-1].endswith("the report file was changed after mandaat wrote it")
    assert "lies in mandaat itself" not in result.stdout


def test_a_long_list_of_differences_is_bounded(project: Path) -> None:
    name = received(project, "many", lambda d: d.__setitem__("rules_fired", [f"r{i}" for i in range(5000)]))
    result = replay(project, name)
    assert result.exit_code == 3 and len(result.stdout.splitlines()) < 30 and "more" in result.stdout


# 17. and 18. `sweep`: steps the model cannot tell apart, workers the machine cannot hold --------------------


@pytest.mark.parametrize(
    ("span", "fragment"),
    [
        ("0..10:5e-324", "5e-324 has more than 4 decimals"),  # subnormal: the count overflowed
        ("0..0.001:0.00001", "1e-05 has more than 4 decimals"),  # 101 cells, 11 different
        ("0.00001..1:0.5", "1e-05 has more than 4 decimals"),
        ("-1.7e308..1.7e308:1", "more than 100000 values"),  # STOP - START overflows
    ],
)
def test_sweep_refuses_steps_finer_than_the_model(span: str, fragment: str) -> None:
    result = run("sweep", str(BASELINE), "--vary", f"attacks_from_syria_per_week={span}")
    located_exit(result, 2, "--vary attacks_from_syria_per_week", fragment)


def test_sweep_refuses_a_step_too_small_for_numbers_that_large(book: Rulebook) -> None:
    with pytest.raises(UsageError, match="cells would coincide"):
        parse_axis(book, "attacks_from_syria_per_week=1e17..100000000000000010:1")


def test_sweep_jobs_are_capped_at_the_processors() -> None:
    result = run("sweep", str(BASELINE), "--vary", "attacks_from_syria_per_week=0..2", "--jobs", str(10**30))
    assert result.exit_code == 0, result.stderr
    assert f"this computer has {default_jobs()} processor(s)" in result.stderr


@pytest.mark.ci
def test_sweep_with_more_jobs_than_descriptors_runs(tmp_path: Path) -> None:
    """--jobs 300 under a limit of 64 + processors open files: capped, it runs."""
    limit = 64 + default_jobs()
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]

    def lower() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (limit, hard))

    command = [sys.executable, "-m", "mandaat", "sweep", str(BASELINE), "--vary", "attacks_from_syria_per_week=0..299"]
    result = subprocess.run(
        [*command, "--jobs", "300"], capture_output=True, text=True, timeout=600, preexec_fn=lower, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "300 evaluaties" in result.stdout


# 19. and 20. The names `new` and `studio` are given -----------------------------------------------------------


@pytest.mark.parametrize("command", [["new"], ["studio", "--no-browser"]])
def test_a_name_too_long_is_located_as_evaluate_locates_it(tmp_path: Path, command: list[str]) -> None:
    for name in ("x" * 300 + ".yaml", "x" * 300, f"{'x' * 300}/a.yaml"):
        path = str(tmp_path / name)
        expected = run("evaluate", path, english=False)
        located_exit(expected, 1, "file name too long")
        result = run(command[0], path, *command[1:], english=False)
        located_exit(result, 1)
        assert result.stderr == expected.stderr


def test_new_escapes_its_file_name_in_the_skeleton_and_on_the_terminal(tmp_path: Path) -> None:
    """A line break in the name stays in a comment, an escape cannot make the skeleton unreadable, and
    neither reaches the terminal raw; so too a name's bytes that are not UTF-8."""
    name = "a\ninjected: 1\n\x1b[2J\u2028b.yaml"
    result = run("new", str(tmp_path / name))
    assert result.exit_code == 0, result.stderr
    assert "\x1b" not in result.stderr and "injected: 1\n" not in result.stderr
    assert "a\\x0ainjected: 1\\x0a\\x1b[2J\\u2028b.yaml" in result.stderr
    text = (tmp_path / name).read_text(encoding="utf-8")
    assert "\ninjected" not in text and "\x1b" not in text and "\u2028" not in text
    assert run("validate", str(tmp_path / name)).exit_code == 0
    odd = os.fsdecode(bytes(tmp_path) + b"/c\xffd.yaml")
    result = run("new", odd)
    assert result.exit_code == 0 and "c\\udcffd.yaml" in result.stderr, result.output
    assert run("validate", odd).exit_code == 0


def test_studio_echoes_its_folder_escaped(tmp_path: Path) -> None:
    folder = tmp_path / "map\x1b[2J\x1b]0;titel\x07"
    folder.mkdir()
    shutil.copy(BASELINE, folder / BASELINE.name)
    process = subprocess.Popen(
        [sys.executable, "-m", "mandaat", "--rules", str(ROOT / "rules"), "studio", str(folder), "--no-browser"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        first = process.stderr.readline()
    finally:
        process.send_signal(signal.SIGTERM)
        _, rest = process.communicate(timeout=30)
    assert "\x1b" not in first + rest and "\x07" not in first + rest, first + rest
    assert "map\\x1b[2J\\x1b]0;titel\\x07" in first


# 21. The values-per-date bound holds however a scenario is made ----------------------------------------------


def _crowded(count: int) -> dict[str, Any]:
    observations = [
        {"id": f"o{i}", "indicator": "attacks_from_syria_per_week", "value": i, "date": "2018-04-10"}
        | {"source": "test", "grade": "B2"}
        for i in range(count)
    ]
    return {"mandaat": 1, "id": "druk", "title": "Druk", "assessed_on": "2018-04-13", "observations": observations}


def test_the_values_per_date_bound_holds_for_a_scenario_built_in_code() -> None:
    with pytest.raises(ValidationError) as refused:
        Scenario.model_validate(_crowded(400))
    errors = refused.value.errors()
    assert [e["loc"] for e in errors] == [("observations", MAX_VALUES_PER_DATE, "value")]
    assert f"more than {MAX_VALUES_PER_DATE} different values" in str(errors[0]["ctx"]["error"])
    assert len(Scenario.model_validate(_crowded(MAX_VALUES_PER_DATE)).observations) == MAX_VALUES_PER_DATE


def test_the_reader_locates_the_bound_the_model_keeps(tmp_path: Path) -> None:
    data = _crowded(MAX_VALUES_PER_DATE + 3)
    data["observations"].append({**data["observations"][0], "id": "later", "date": "2018-04-11", "value": 99})
    lines = ["mandaat: 1", "id: druk", "title: Druk", "assessed_on: 2018-04-13", "observations:"]
    lines += [f"  - {json.dumps(o)}" for o in data["observations"]]
    path = tmp_path / "druk.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("validate", str(path))
    located_exit(result, 1, f"druk.yaml:{6 + MAX_VALUES_PER_DATE} observations[{MAX_VALUES_PER_DATE}].value")
    assert len(re.findall("different values", result.stderr)) == 1
