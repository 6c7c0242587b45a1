"""Hostile and broken input: fuzzers, engine-safe values, a soak run, crash isolation, safe output.

Every generated input must end in exit 0 with a report or exit 1 with FILE:LINE-located messages, never with
a traceback, a hang, a crash or another exit code. The fuzzers run in-process through click's CliRunner.
"""

from __future__ import annotations

import errno
import json
import math
import os
import random
import signal
import subprocess
import sys
import threading
import traceback
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from mandaat.cli import main
from mandaat.model.errors import InputError, OutputError
from mandaat.pipeline import Options, evaluate_scenario
from mandaat.render.output import write_atomic
from mandaat.run.facts import build_facts, settings_for

from .conftest import BASELINE, ROOT, scenario_from
from .strategies import BOOK

FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
CORPUS = sorted((ROOT / "tests" / "invalid").glob("*.yaml"))
SEEDS = [p.read_bytes() for p in CORPUS] + [BASELINE.read_bytes()]
LOCATED = "fuzz.yaml:"


class Hang(BaseException):
    """Raised by the hang guard; a BaseException so that no handler in mandaat can swallow it."""


def _hang(signum: int, frame: Any) -> None:
    raise Hang(f"no answer within {HANG_SECONDS} s")


# In-process: MANDAAT_DEBUG=1 makes `evaluate` run the evaluation here instead of in a forked child (six
# times faster per example), and lets an internal error surface as the exception it is rather than exit 70.
RUNNER = CliRunner(env={"MANDAAT_DEBUG": "1"})
HANG_SECONDS = 30


def run_file(tmp_path: Path, content: bytes) -> Any:
    """Evaluate ``content`` as a scenario file through the CLI; check the outcome is a clean one."""
    path = tmp_path / "fuzz.yaml"
    path.write_bytes(content)
    guard = hasattr(signal, "SIGALRM") and threading.current_thread() is threading.main_thread()
    if guard:  # a cheap hang guard: an alarm, not a per-example timing assertion
        previous = signal.signal(signal.SIGALRM, _hang)
        signal.alarm(HANG_SECONDS)
    try:
        result = RUNNER.invoke(main, ["evaluate", str(path), "--format", "json"], catch_exceptions=True)
    finally:
        if guard:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, previous)
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        "".join(traceback.format_exception(*result.exc_info)) if result.exc_info else repr(result.exception)
    )
    assert result.exit_code in (0, 1), (result.exit_code, result.stderr)
    assert "Traceback" not in result.stderr
    if result.exit_code == 0:
        assert json.loads(result.stdout)["verdict"]["syria"] in ("holds", "at_risk", "undetermined", "lapsed")
    else:
        assert result.stdout == ""
        lines = [line for line in result.stderr.splitlines() if line.startswith("Fout: ")]  # Dutch, the default
        assert lines, result.stderr
        for line in lines:
            assert line.startswith(f"Fout: {path}"), line
    return result


yaml_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(
        [
            "yes",
            "no",
            "2018-02-30",
            "1e400",
            ".nan",
            "~",
            "B2",
            "*x",
            "&a",
            "!!python/name:os.system",
            "2018-04-13",
            "-1",
            "1e-05",
        ]
    ),
)
yaml_values = st.recursive(
    yaml_scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=5), st.dictionaries(st.text(max_size=12), inner, max_size=5)),
    max_leaves=25,
)


@FUZZ
@given(yaml_values)
def test_fuzz_random_yaml_structures(tmp_path_factory: pytest.TempPathFactory, value: Any) -> None:
    """Any YAML structure (as a document) gets a report or located errors."""
    text = yaml.safe_dump(value, allow_unicode=True)
    run_file(tmp_path_factory.mktemp("fuzz"), text.encode("utf-8"))


@st.composite
def mutated_bytes(draw: st.DrawFn) -> bytes:
    """A file from the broken corpus or the baseline, with random byte-level edits."""
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(0, 4))):
        if not data:
            break
        where = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(["flip", "delete", "insert", "duplicate-line"]))
        if action == "flip":
            data[where] = draw(st.integers(0, 255))
        elif action == "delete":
            del data[where : where + draw(st.integers(1, 20))]
        elif action == "insert":
            data[where:where] = draw(
                st.sampled_from(
                    [
                        b": ",
                        b"\n- ",
                        b"\t",
                        b"'",
                        b"{",
                        b"&a ",
                        b"*a",
                        b"!!",
                        b"\xff",
                        b"\n  extra: 1",
                        b"1e400",
                        b"null",
                    ]
                )
            )
        else:
            end = data.find(b"\n", where)
            start = data.rfind(b"\n", 0, where) + 1
            if end > start:
                data[end:end] = b"\n" + data[start:end]
    return bytes(data)


@FUZZ
@given(mutated_bytes())
def test_fuzz_mutated_corpus_files(tmp_path_factory: pytest.TempPathFactory, content: bytes) -> None:
    """Byte-level mutations of the broken corpus and the baseline get a report or located errors."""
    run_file(tmp_path_factory.mktemp("fuzz"), content)


BAD_VALUES = [
    None,
    math.nan,
    math.inf,
    -math.inf,
    1e400,
    1e-05,
    1e16,
    2**53 + 1,
    10**30,
    -1,
    "6",
    "yes",
    "",
    "x" * 100_000,
    "\u0000",
    "\u202e",
    [],
    {},
    [1, 2],
    {"a": 1},
    True,
    0.1 + 0.2,
    "2018-02-30",
    3.14159265,
]
FIELDS = ["mandaat", "id", "title", "assessed_on", "theory", "params", "observations", "judgments", "description"]
OBS_FIELDS = ["id", "indicator", "value", "date", "period", "source", "grade", "quote", "note"]


@st.composite
def mutated_scenarios(draw: st.DrawFn) -> dict[str, Any]:
    """The baseline scenario with one field given a hostile value, removed, added, or turned into a list."""
    data = yaml.safe_load(BASELINE.read_text(encoding="utf-8"))
    data["assessed_on"] = str(data["assessed_on"])
    for obs in data["observations"]:
        obs["date"] = str(obs["date"])
    for judgment in data["judgments"]:
        judgment["date"] = str(judgment["date"])
    mode = draw(st.sampled_from(["top", "observation", "judgment", "remove", "unknown-key", "mapping-for-list"]))
    value = draw(st.one_of(st.sampled_from(BAD_VALUES), yaml_scalars))
    if mode == "top":
        data[draw(st.sampled_from(FIELDS))] = value
    elif mode == "observation":
        obs = draw(st.sampled_from(data["observations"]))
        obs[draw(st.sampled_from(OBS_FIELDS))] = value
    elif mode == "judgment":
        data["judgments"][0][draw(st.sampled_from(["term", "holds", "by", "date", "rationale"]))] = value
    elif mode == "remove":
        data.pop(draw(st.sampled_from(FIELDS)), None)
    elif mode == "unknown-key":
        draw(st.sampled_from(data["observations"]))[draw(st.text(min_size=1, max_size=10))] = value
    else:
        data["observations"] = {"first": data["observations"][0]}
    return data


@FUZZ
@given(mutated_scenarios())
# Regression: found by this fuzzer, `id: {}` made validation lose the error (internal error, exit 70).
@example({"mandaat": 1, "id": {}, "title": "t", "assessed_on": "2018-04-13"})
@example(
    {
        "mandaat": 1,
        "id": "x",
        "title": "t",
        "assessed_on": "2018-04-13",
        "observations": [
            {
                "id": "a",
                "indicator": "attacks_from_syria_per_week",
                "value": 1e-05,
                "date": "2018-04-13",
                "source": "s",
                "grade": "B2",
            }
        ],
    }
)
def test_fuzz_mutated_valid_scenarios(tmp_path_factory: pytest.TempPathFactory, data: dict[str, Any]) -> None:
    """A valid scenario with one field mutated gets a report or located errors."""
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**6)
    run_file(tmp_path_factory.mktemp("fuzz"), text.encode("utf-8"))


def test_duplicate_keys_in_a_mutated_file_are_located(tmp_path: Path) -> None:
    """A duplicated key (which PyYAML would silently keep twice) is reported with both lines."""
    text = BASELINE.read_text(encoding="utf-8").replace(
        "assessed_on: 2018-04-13", "assessed_on: 2018-04-13\nassessed_on: 2018-05-13"
    )
    result = run_file(tmp_path, text.encode("utf-8"))
    assert result.exit_code == 1 and "dubbele sleutel 'assessed_on'" in result.stderr


def _safe_for_durable(value: Any) -> bool:
    if isinstance(value, (bool, str)):
        return True
    if isinstance(value, int):
        return abs(value) < 2**53
    if isinstance(value, float):
        text = json.dumps(value)
        return math.isfinite(value) and "e" not in text.lower() and abs(value) < 2**53
    return False


@settings(deadline=None)
@given(
    st.sampled_from(sorted(BOOK.indicators)),
    st.one_of(
        st.floats(allow_nan=True, allow_infinity=True),
        st.integers(-(2**70), 2**70),
        st.text(max_size=8),
        st.none(),
        st.booleans(),
        st.sampled_from([1e-05, 1e16, 2**53 + 1, "6", "1e3", 0.30000000000000004]),
    ),
)
def test_values_durable_mishandles_never_reach_it(indicator: str, value: Any) -> None:
    """Exponent floats, integers above 2^53, text for numbers and null are refused or normalised first."""
    data = {
        "mandaat": 1,
        "id": "x",
        "title": "t",
        "assessed_on": "2018-04-13",
        "observations": [
            {"id": "a", "indicator": indicator, "value": value, "date": "2018-04-13", "source": "s", "grade": "B2"}
        ],
    }
    try:
        scenario = scenario_from(data, BOOK)
    except InputError:
        return
    facts = build_facts(scenario, BOOK, settings_for(scenario, BOOK))
    for fact in facts:
        for key, item in fact.items():
            assert item is not None, (key, fact)
            assert _safe_for_durable(item), (key, item)
        if "num" in fact:
            assert isinstance(fact["num"], (int, float)) and not isinstance(fact["num"], bool)


def _random_scenario(rnd: random.Random) -> dict[str, Any]:
    assessed = date(2018, 1, 1) + timedelta(days=rnd.randint(0, 900))
    observations = []
    for i in range(rnd.randint(0, 20)):
        name = rnd.choice(sorted(BOOK.indicators))
        ind = BOOK.indicators[name]
        if ind.type == "boolean":
            value: Any = rnd.random() < 0.5
        elif ind.type == "enum":
            value = rnd.choice(sorted(ind.values or {}))
        elif ind.type == "integer":
            value = rnd.randint(0, 50000)
        else:
            value = round(rnd.uniform(0, 12), rnd.randint(0, 4))
        observations.append(
            {
                "id": f"o{i}",
                "indicator": name,
                "value": value,
                "date": (assessed - timedelta(days=rnd.randint(-5, 90))).isoformat(),
                "source": "soak",
                "grade": rnd.choice("ABCDEF") + str(rnd.randint(1, 6)),
            }
        )
    judgments = [
        {
            "term": "proportionality",
            "holds": rnd.random() < 0.7,
            "by": "soak",
            "date": (assessed - timedelta(days=rnd.randint(-3, 40))).isoformat(),
            "rationale": "soak",
        }
        for _ in range(rnd.randint(0, 2))
    ]
    return {
        "mandaat": 1,
        "id": f"soak-{rnd.randint(0, 10**9)}",
        "title": "soak",
        "assessed_on": assessed.isoformat(),
        "theory": rnd.choice(sorted(BOOK.theories)),
        "observations": observations,
        "judgments": judgments,
    }


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


@pytest.mark.ci
def test_soak_ten_thousand_generated_scenarios_in_one_process() -> None:
    """10,000 generated valid scenarios through one process: no crash, no MemoryError, flat memory."""
    rnd = random.Random(20180413)
    scenarios = [scenario_from(_random_scenario(rnd), BOOK) for _ in range(200)]
    for scenario in scenarios:
        evaluate_scenario(scenario, BOOK)
    before = _rss_mb()
    verdicts: set[str] = set()
    for i in range(10_000):
        report = evaluate_scenario(scenarios[i % len(scenarios)], BOOK, Options(lang="nl" if i % 2 else "en"))
        verdicts.add(report.verdict["syria"])
    after = _rss_mb()
    print(f"soak: 10,000 evaluations, resident memory {before:.1f} MB before, {after:.1f} MB after")
    assert after - before < 20
    assert len(verdicts) >= 2


CRASH = """
import os, sys
import durable.engine
def crash(*args, **kwargs):
    {body}
durable.engine.Host.assert_fact = crash
from mandaat.cli import run
sys.argv = ["mandaat", "evaluate", {path!r}, "--format", "json"]
run()
"""


@pytest.mark.ci
@pytest.mark.parametrize(
    "body, fragment",
    [("os.kill(os.getpid(), 11)", "crashed (SIGSEGV)"), ("raise RuntimeError('engine corrupted')", "engine corrupted")],
)
def test_a_crash_inside_the_engine_is_an_internal_error_not_a_verdict(body: str, fragment: str) -> None:
    """A segfault or exception inside durable-rules exits 70 with a message and prints no report."""
    script = CRASH.format(body=body, path=str(BASELINE))
    result = subprocess.run([sys.executable, "-c", script], check=False, capture_output=True, text=True, timeout=120)
    assert result.returncode == 70, (result.returncode, result.stderr)
    assert result.stdout == ""
    assert fragment in result.stderr
    assert "Traceback" not in result.stderr


def test_full_disk_is_a_clear_error_and_the_old_file_survives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """ENOSPC while writing leaves the previous report intact and no temporary file behind."""
    target = tmp_path / "report.txt"
    target.write_text("old report", encoding="utf-8")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OutputError, match="No space left on device"):
        write_atomic(target, "new report", force=True)
    assert target.read_text(encoding="utf-8") == "old report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.txt"]


def test_unwritable_folder_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A folder mandaat may not write in gives a clear error and leaves the old file as it was."""
    target = tmp_path / "r.txt"
    target.write_text("old", encoding="utf-8")

    def denied(*args: Any, **kwargs: Any) -> Any:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr("tempfile.mkstemp", denied)
    with pytest.raises(OutputError, match="cannot write the report: Permission denied"):
        write_atomic(target, "new", force=True)
    assert target.read_text(encoding="utf-8") == "old"


def test_output_into_a_missing_folder_or_onto_a_directory_is_refused(tmp_path: Path) -> None:
    """-o into a folder that does not exist, or onto a directory, exits 1 with a message."""
    for target in (tmp_path / "no" / "such" / "r.txt", tmp_path):
        result = CliRunner().invoke(main, ["evaluate", str(BASELINE), "-o", str(target), "--force"])
        assert result.exit_code == 1 and result.stdout == ""
        assert str(target) in result.stderr


def test_rule_files_are_held_to_the_same_limits(tmp_path: Path) -> None:
    """A rule file with a YAML tag is refused as a located error before anything runs."""
    import shutil

    shutil.copytree(ROOT / "rules", tmp_path / "rules")
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    path = tmp_path / "rules" / "elements.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("kind: element", "kind: !!python/name:os.system", 1), encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["--rules", str(tmp_path / "rules"), "evaluate", str(BASELINE)])
    assert result.exit_code == 1
    assert "elements.yaml:" in result.stderr and "tag" in result.stderr
