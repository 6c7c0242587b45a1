"""Hostile input, round 2: special files, signals, output that is never lost, escapes from the scenario
folder, terminal escapes, cost that stays linear, and dates and rulebooks at the edges.

Each test is a reproducer of a finding (or a variant of one). Sizes and counts are checked, never times;
benchmarks/hostile.py prints the times.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from mandaat.cli import main
from mandaat.model.errors import Interrupted, OutputError, Problem
from mandaat.render.escape import escape_markdown
from mandaat.render.output import write_atomic

from .conftest import BASELINE, ROOT, in_english

HEAD = "mandaat: 1\nid: {id}\ntitle: Belasting\nassessed_on: 2018-04-13\n"
OBS = "  - {{id: {id}, indicator: attacks_from_syria_per_week, value: 6, date: 2018-04-10, source: test, grade: B2}}\n"


def run(*args: str) -> Result:
    """mandaat in-process, in English (the messages these tests read)."""
    return CliRunner().invoke(main, in_english(list(args)))


def located_exit(result: Result, code: int, *fragments: str) -> None:
    """Exit ``code``, no traceback, no internal error, every fragment on stderr."""
    assert result.exit_code == code, (result.exit_code, result.stderr, result.exception)
    assert "Traceback" not in result.stderr and "Internal error" not in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    for fragment in fragments:
        assert fragment in result.stderr, (fragment, result.stderr)


def variant(folder: Path, extends: str, name: str = "variant.yaml") -> Path:
    path = folder / name
    path.write_text(f"mandaat: 1\nid: variant\ntitle: Variant\nextends: {extends}\n", encoding="utf-8")
    return path


@pytest.fixture
def base(tmp_path: Path) -> Path:
    path = tmp_path / "base.yaml"
    shutil.copy(BASELINE, path)
    return path


# 1. Special files never block or flood -------------------------------------------------------------------


@pytest.mark.parametrize("command", ["validate", "evaluate"])
def test_fifo_device_and_folder_are_refused(tmp_path: Path, command: str) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    for path in (str(fifo), "/dev/zero"):
        located_exit(run(command, path), 1, path, "not a regular file")
    if command == "evaluate":  # validate reads a folder's *.yaml files, and meets the FIFO there
        located_exit(run(command, str(tmp_path)), 1, str(tmp_path), "directory")
    else:
        located_exit(run(command, str(tmp_path)), 1, str(fifo), "not a regular file")


def test_special_file_as_base_member_or_rule_file(tmp_path: Path, base: Path) -> None:
    os.mkfifo(tmp_path / "pipe.yaml")
    located_exit(run("validate", str(variant(tmp_path, "pipe.yaml"))), 1, "variant.yaml:4 extends:", "special file")
    located_exit(run("timeline", str(tmp_path / "pipe.yaml"), str(base)), 1, "pipe.yaml", "special file")
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    (rules / "theories.yaml").unlink()
    os.mkfifo(rules / "theories.yaml")
    located_exit(run("--rules", str(rules), "validate", str(base)), 1, "theories.yaml", "special file")


# 2. Signals: the evaluation's child never outlives the parent ---------------------------------------------

SLOW_EVALUATION = """
import os, sys, time
from pathlib import Path
import mandaat.commands.report as report
def slow(*args, **kwargs):
    Path(sys.argv[1]).write_text(str(os.getpid()))
    time.sleep(120)
report.evaluate_scenario = slow
from mandaat.cli import main
main(["evaluate", sys.argv[2]], prog_name="mandaat")
"""


def _gone(pid: int) -> bool:
    """The process has ended (or is a zombie waiting for a parent that does not reap it)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return True
    return state in ("Z", "X")


def _start_slow(tmp_path: Path) -> tuple[subprocess.Popen[str], int]:
    marker = tmp_path / "child.pid"
    proc = subprocess.Popen(
        [sys.executable, "-c", SLOW_EVALUATION, str(marker), str(BASELINE)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not (marker.exists() and marker.read_text()):
        assert time.monotonic() < deadline and proc.poll() is None, proc.communicate()
        time.sleep(0.05)
    return proc, int(marker.read_text())


def _wait_gone(pid: int) -> None:
    deadline = time.monotonic() + 10
    while not _gone(pid):
        assert time.monotonic() < deadline, f"process {pid} is still running"
        time.sleep(0.05)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_signal_to_the_parent_ends_the_child_and_exits_128_plus_n(tmp_path: Path, number: int) -> None:
    proc, child = _start_slow(tmp_path)
    assert child != proc.pid
    proc.send_signal(number)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 128 + number, (proc.returncode, err)
    assert out == "" and len(err.strip().splitlines()) == 1 and signal.Signals(number).name in err, err
    _wait_gone(child)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_parent_killed_outright_leaves_no_child(tmp_path: Path) -> None:
    proc, child = _start_slow(tmp_path)
    proc.kill()
    proc.communicate(timeout=30)
    _wait_gone(child)


# 3. and 8. Output never destroys an input and is never lost ------------------------------------------------


def test_output_never_overwrites_a_base_even_with_force(tmp_path: Path, base: Path) -> None:
    scenario = variant(tmp_path, "base.yaml")
    before = base.read_bytes()
    (tmp_path / "link.txt").symlink_to(base)
    for target in (base, tmp_path / "link.txt"):
        for command in (["evaluate"], ["whatif"], ["flips"], ["compare", str(BASELINE)]):
            result = run(*command, str(scenario), "--format", "text", "-o", str(target), "--force")
            located_exit(result, 1, "refusing to overwrite", str(base), "--force does not change this")
    shutil.copy(base, tmp_path / "base.svg")
    svg_variant = variant(tmp_path, "base.svg", "svg-variant.yaml")
    result = run("timeline", str(svg_variant), "--chart", str(tmp_path / "base.svg"), "--force")
    located_exit(result, 1, "refusing to overwrite", "base.svg")
    assert result.stdout == "" and base.read_bytes() == before


def test_output_never_overwrites_rules_or_seeds(tmp_path: Path) -> None:
    for protected in (ROOT / "rules" / "outcomes.yaml", ROOT / "seeds" / "un-charter-article-51.txt"):
        result = run("evaluate", str(BASELINE), "--format", "text", "-o", str(protected), "--force")
        located_exit(result, 1, "refusing to write over")


def test_devices_and_pipes_are_never_written_even_with_force(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    for target in ("/dev/null", str(fifo)):
        located_exit(run("evaluate", str(BASELINE), "-o", target, "--force"), 1, "regular files only")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode) and stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_of_many_concurrent_writers_exactly_one_wins(tmp_path: Path) -> None:
    target = tmp_path / "race.txt"
    barrier = threading.Barrier(30)
    outcomes: list[str] = []

    def write(number: int) -> None:
        barrier.wait()
        try:
            write_atomic(target, f"report {number}\n")
            outcomes.append("won")
        except OutputError as exc:
            outcomes.append("already exists" if "already exists" in str(exc) else str(exc))

    threads = [threading.Thread(target=write, args=(n,)) for n in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(set(outcomes)) == ["already exists", "won"] and outcomes.count("won") == 1
    assert target.read_text().startswith("report ") and [p.name for p in tmp_path.iterdir()] == ["race.txt"]


def test_a_signal_during_a_write_leaves_no_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "report.txt"
    target.write_text("old", encoding="utf-8")
    monkeypatch.setattr(os, "fsync", lambda fd: os.kill(os.getpid(), signal.SIGTERM))
    with pytest.raises(Interrupted) as caught:
        write_atomic(target, "new", force=True)
    assert caught.value.exit_code == 128 + signal.SIGTERM
    assert target.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["report.txt"]


STDOUT_CASES = {
    "closed": ({}, "exec >&-; "),
    "full": ({}, "exec >/dev/full; "),
    "latin-1": ({"PYTHONIOENCODING": "latin-1"}, "exec >/dev/null; "),
}


@pytest.mark.parametrize("case", sorted(STDOUT_CASES))
@pytest.mark.parametrize("command", ["evaluate", "validate"])
def test_a_stdout_that_cannot_take_the_report_is_exit_1(case: str, command: str) -> None:
    env, redirect = STDOUT_CASES[case]
    if command == "validate" and case == "latin-1":
        pytest.skip("validate prints only ASCII")
    script = f"{redirect}exec {sys.executable} -m mandaat {command} {BASELINE}"
    done = subprocess.run(["sh", "-c", script], env={**os.environ, **env}, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, (done.returncode, done.stderr)
    assert len(done.stderr.strip().splitlines()) == 1 and "standaarduitvoer" in done.stderr, done.stderr


# 4. and 5. OS errors on paths are located problems; `extends` stays in its folder --------------------------


def test_bad_extends_names_are_located(tmp_path: Path) -> None:
    (tmp_path / "loop1").symlink_to("loop2")
    (tmp_path / "loop2").symlink_to("loop1")
    for extends, fragment in (('"a\\0b"', "no path can hold"), ("loop1", "symbolic links"), ("x" * 300, "too long")):
        located_exit(run("validate", str(variant(tmp_path, extends))), 1, "variant.yaml:4 extends:", fragment)


def test_bad_output_names_are_located(tmp_path: Path) -> None:
    (tmp_path / "loop.svg").symlink_to("loop.svg")
    (tmp_path / "loop.txt").symlink_to("loop.txt")
    for target in (tmp_path / "loop.txt", tmp_path / ("x" * 300)):
        located_exit(run("evaluate", str(BASELINE), "-o", str(target)), 1, str(target))
    result = run("timeline", str(BASELINE), "--chart", str(tmp_path / "loop.svg"))
    located_exit(result, 1, "loop.svg")
    assert result.stdout == ""  # the chart is checked before the table is printed


def test_validate_checks_every_file_whatever_happens_to_one(tmp_path: Path) -> None:
    (tmp_path / "loop.yaml").symlink_to("loop.yaml")
    files = (str(variant(tmp_path, '"a\\0b"')), str(tmp_path / "loop.yaml"), "x" * 300 + ".yaml", str(BASELINE))
    result = run("validate", *files)
    located_exit(result, 1, "variant.yaml:4", "loop.yaml: cannot open", "too long", "3 of 4 files have problems")
    assert result.stdout.strip().endswith("2018-04-kamerbrief.yaml: ok")


def test_an_over_long_number_param_is_a_usage_error() -> None:
    located_exit(run("evaluate", str(BASELINE), "--param", "e1_met_min_attacks_per_week=" + "9" * 5000), 2, "at most")


def test_extends_outside_the_folder_is_refused_and_shows_nothing(tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.write_text("wachtwoord:*:20228:0:99999:7:::\nvalue: geheim\n", encoding="utf-8")
    inner = tmp_path / "inner"
    inner.mkdir()
    for extends in ("/etc/passwd", "../../../../../../etc/passwd", "../secret"):
        result = run("validate", str(variant(inner, extends)))
        located_exit(result, 1, "variant.yaml:4 extends:", "leaves the scenario's folder", "--allow-outside")
    result = run("validate", str(variant(inner, "../secret")), "--allow-outside", str(tmp_path))
    located_exit(result, 1, "variant.yaml:4 extends:", "'../secret' is not a scenario file")
    shutil.copy(secret, inner / "elsewhere")
    result = run("validate", str(variant(inner, "elsewhere")))
    located_exit(result, 1, "is not a scenario file")
    assert "wachtwoord" not in result.stderr and "geheim" not in result.stderr and result.stderr.count("Error:") == 1
    shutil.copy(BASELINE, tmp_path / "outside.yaml")
    assert run("validate", str(variant(inner, "../outside.yaml"))).exit_code == 1
    assert run("validate", str(variant(inner, "../outside.yaml")), "--allow-outside", str(tmp_path)).exit_code == 0


# 6. and 9. Nothing a user wrote acts on a terminal or forges a report ---------------------------------------


def test_problems_show_controls_and_bidi_overrides_escaped() -> None:
    line = Problem("a\x1b.yaml", 3, "k\x9b", "unknown key '\u202e'", "h\x07").render()
    assert line == "a\\x1b.yaml:3 k\\x9b: unknown key '\\u202e' (h\\x07)"


def test_markdown_quotes_user_text_as_text(tmp_path: Path) -> None:
    text = BASELINE.read_text(encoding="utf-8")
    text = text.replace(
        "title: Voortgangsbrief strijd tegen ISIS, april 2018",
        'title: "<script>x</script> [klik](javascript:alert(1))"',
    )
    text = text.replace(
        "source: {name: Kabinet (Kamerbrief 13 april 2018), origin: national}",
        "source: {name: '<img src=x onerror=alert(1)>', origin: national}",
        1,
    )
    path = tmp_path / "md.yaml"
    path.write_text(text, encoding="utf-8")
    result = run("evaluate", str(path), "--format", "markdown")
    assert result.exit_code == 0, result.stderr
    assert not re.search(r"(?<!\\)<", result.stdout) and "](javascript:" not in result.stdout
    assert "\\<script\\>" in result.stdout and "\\[klik\\]" in result.stdout
    assert escape_markdown("# kop\n- lijst") == "\\# kop - lijst"


# 7. Cost stays bounded: output sizes and counts -------------------------------------------------------------


def test_twenty_thousand_null_keys_give_a_bounded_report(tmp_path: Path) -> None:
    path = tmp_path / "nulls.yaml"
    path.write_text(HEAD.format(id="nulls") + "".join(f"k{i}:\n" for i in range(20_000)), encoding="utf-8")
    result = run("validate", str(path))
    located_exit(result, 1, "nulls.yaml:5 k0: has no value", "more problems not shown")
    assert len(result.stderr) < 100_000 and result.stderr.count("Error:") == 51


def test_removing_ten_thousand_unknown_ids_gives_under_100_kb(tmp_path: Path) -> None:
    (tmp_path / "base.yaml").write_text(
        HEAD.format(id="base") + "observations:\n" + "".join(OBS.format(id=f"o{i}") for i in range(5000))
    )
    path = tmp_path / "remove.yaml"
    path.write_text(
        "mandaat: 1\nid: remove\ntitle: Weg\nextends: base.yaml\nremove:\n"
        + "".join(f"  - x{i}\n" for i in range(10_000))
    )
    result = run("evaluate", str(path))
    located_exit(result, 1, "remove.yaml:6 remove[0]: no observation 'x0' to remove", "the base has 5000 observations")
    assert len(result.stderr) < 100_000 and result.stderr.count("Error:") == 51


def test_a_chain_over_the_limits_is_refused_at_its_first_link(tmp_path: Path) -> None:
    many = "".join(OBS.format(id=f"n{i}") for i in range(7000))
    for level in range(3):
        extends = (
            f"extends: level-{level + 1}.yaml\nadd:\n" if level < 2 else "assessed_on: 2018-04-13\nobservations:\n"
        )
        (tmp_path / f"level-{level}.yaml").write_text(
            f"mandaat: 1\nid: l{level}\ntitle: L\n{extends}{many.replace('n', f'l{level}-')}"
        )
    result = run("validate", str(tmp_path / "level-0.yaml"))
    located_exit(result, 1, "level-1.yaml:4 extends:", "14000 observations; at most 12000")
    deep = tmp_path / "deep"
    deep.mkdir()
    (deep / "d20.yaml").write_text(HEAD.format(id="d") + "observations:\n" + OBS.format(id="first"))
    for level in range(20):
        (deep / f"d{level}.yaml").write_text(
            f"mandaat: 1\nid: d\ntitle: D\nextends: d{level + 1}.yaml\nadd:\n"
            + OBS.format(id=f"a{level}").replace("B2", "Z9" if level == 19 else "B2")
        )
    located_exit(run("validate", str(deep / "d0.yaml")), 1, "d19.yaml:6 add[0].grade", "'Z9'")


# 10. Dates, rulebooks and encodings at the edges -------------------------------------------------------------


@pytest.mark.parametrize("command", ["evaluate", "compare", "timeline", "whatif", "flips"])
def test_dates_at_the_calendar_edges_are_refused_at_read_time(tmp_path: Path, command: str) -> None:
    text = BASELINE.read_text(encoding="utf-8")
    for day in ("9999-12-01", "0001-01-01"):
        path = tmp_path / f"{day}.yaml"
        path.write_text(text.replace("assessed_on: 2018-04-13", f"assessed_on: {day}"), encoding="utf-8")
        located_exit(run(command, str(path)), 1, f"{day}.yaml:7 assessed_on", "outside the years 1900 to 2200")
    located_exit(run("evaluate", str(BASELINE), "--as-of", "9999-12-01"), 2, "--as-of", "outside the years")


def _rulebook_copy(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "rules", tmp_path / "rules")
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    return tmp_path / "rules"


def test_a_test_too_large_for_the_engine_is_a_rulebook_error(tmp_path: Path) -> None:
    """A table over many indicators would compile into a rule per combination of their readings: refused,
    located, before anything is compiled."""
    rules = _rulebook_copy(tmp_path)
    path = rules / "elements.yaml"
    many = ", ".join(
        f"{name}: true"
        for name in (
            "coordinated_attacks",
            "physical_hq_in_syria",
            "regime_stops_attacks",
            "regime_controls_source_area",
            "syria_consents_to_strikes",
            "iraq_request_in_force",
            "iraq_sd_request_in_force",
            "iraq_request_questioned",
            "art51_report_filed",
        )
    )
    old = "        - when: {central_command_evidence: established}\n"
    path.write_text(path.read_text(encoding="utf-8").replace(old, f"        - when: {{{many}}}\n", 1), encoding="utf-8")
    located_exit(run("rules", "check", str(rules)), 1)
    result = run("--rules", str(rules), "evaluate", str(BASELINE))
    located_exit(result, 1, "elements.yaml:", "E2", "combinations of readings", "at most 512")


def test_a_seed_that_is_not_utf8_is_a_located_rulebook_error(tmp_path: Path) -> None:
    rules = _rulebook_copy(tmp_path)
    with open(tmp_path / "seeds" / "un-charter-article-51.txt", "ab") as seed:
        seed.write(b"caf\xe9\n")
    located_exit(run("rules", "check", str(rules)), 1)
    result = run("--rules", str(rules), "evaluate", str(BASELINE))
    located_exit(result, 1, "un-charter-article-51.txt cannot be read", "0xe9", "UTF-8")


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + BASELINE.read_bytes())
    assert run("validate", str(path)).exit_code == 0
    with_bom = json.loads(run("evaluate", str(path), "--format", "json").stdout)
    original = json.loads(run("evaluate", str(BASELINE), "--format", "json").stdout)
    for report in (with_bom, original):  # the receipt names the file and its bytes; the report is the same
        report.pop("receipt")
    assert with_bom == original


def test_unsafe_characters_are_each_located_on_their_real_line(tmp_path: Path) -> None:
    text = textwrap.dedent("""\
        mandaat: 1
        id: tekens
        title: "Tekens\u2029"
        assessed_on: 2018-04-13
        description: "a\x85b\x9bc"
        """)
    path = tmp_path / "tekens.yaml"
    path.write_text(text, encoding="utf-8")
    result = run("validate", str(path))
    located_exit(
        result,
        1,
        "tekens.yaml:3: invisible line separator U+2029",
        "tekens.yaml:5: invisible line separator U+0085",
        "tekens.yaml:5: control character U+009B",
    )
    assert "\x85" not in result.stderr and "\x9b" not in result.stderr


def test_round_two_corpus_is_in_the_invalid_folder() -> None:
    names = {p.name for p in (ROOT / "tests" / "invalid").glob("*.yaml")}
    assert {"title-line-break.yaml", "escape-in-key.yaml", "nel-in-quote.yaml", "missing-colon.yaml"} <= names


def test_rulebook_folders_the_system_cannot_resolve_are_located(tmp_path: Path) -> None:
    (tmp_path / "loop").symlink_to("loop")
    for folder in (str(tmp_path / "loop"), "x" * 300):
        result = run("--rules", folder, "validate", str(BASELINE))
        located_exit(result, 1, folder[:50])
        # Python 3.13's Path.resolve() no longer raises on a symlink loop: the folder is then not found
        assert "cannot open the rulebook folder" in result.stderr or "rulebook directory not found" in result.stderr
        located_exit(run("rules", "check", folder), 1)


def test_rules_check_shows_a_folder_name_with_control_characters_escaped() -> None:
    from mandaat.analysis.audit import CheckReport
    from mandaat.render.check import render_check

    text = render_check(CheckReport(root="rules\x1b]0;PWNED\x07"))
    assert "\x1b" not in text and "\x07" not in text
    assert "rules\\x1b]0;PWNED\\x07" in text
