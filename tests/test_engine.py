"""The durable-rules adapter survives the engine's traps (docs/engine.md)."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest

from mandaat.model.errors import EngineError
from mandaat.model.rulebook import Rulebook
from mandaat.pipeline import Options, evaluate_scenario
from mandaat.read.scenario import read_scenario
from mandaat.run import actions
from mandaat.run.durable import SESSION, engine

from .conftest import BASELINE, ROOT


def test_no_timer_threads_and_one_host(book: Rulebook) -> None:
    """Evaluations start no threads (the stock Host starts two per instance) and reuse one host."""
    scenario = read_scenario(BASELINE, book)
    evaluate_scenario(scenario, book)
    before = threading.active_count()
    first = engine()
    for _ in range(20):
        evaluate_scenario(scenario, book)
    assert threading.active_count() == before
    assert engine() is first


def test_session_is_deleted_after_each_evaluation(book: Rulebook) -> None:
    """The session is deleted after an evaluation, so the next one starts empty."""
    scenario = read_scenario(BASELINE, book)
    evaluate_scenario(scenario, book)
    eng = engine()
    name = next(iter(eng._rulesets))
    with pytest.raises(Exception, match="309"):  # durable's "state not found"
        eng._host.get_state(name, SESSION)


def test_an_exception_inside_an_action_is_raised_not_swallowed(book: Rulebook, monkeypatch: pytest.MonkeyPatch) -> None:
    """durable stores action exceptions in the session state; the adapter raises them as EngineError."""
    scenario = read_scenario(BASELINE, book)

    def broken(rule, matched):
        raise RuntimeError("boom in action")

    monkeypatch.setattr("mandaat.run.durable.derived_fact", broken)
    with pytest.raises(EngineError, match="boom in action"):
        evaluate_scenario(scenario, book)
    monkeypatch.setattr("mandaat.run.durable.derived_fact", actions.derived_fact)
    report = evaluate_scenario(scenario, book)  # the engine is usable again afterwards
    assert report.verdict["syria"] == "holds"


def test_the_engine_refuses_a_second_thread(book: Rulebook) -> None:
    """Two threads must never share the C engine: a second concurrent evaluation is refused."""
    scenario = read_scenario(BASELINE, book)
    eng = engine()
    errors: list[BaseException] = []
    eng._lock.acquire()
    try:
        thread = threading.Thread(target=lambda: _capture(errors, evaluate_scenario, scenario, book))
        thread.start()
        thread.join(10)
    finally:
        eng._lock.release()
    assert errors and isinstance(errors[0], EngineError)


def _capture(errors: list[BaseException], func, *args) -> None:
    try:
        func(*args)
    except BaseException as exc:
        errors.append(exc)


@pytest.mark.ci
def test_many_evaluations_keep_memory_flat(book: Rulebook) -> None:
    """2,000 evaluations in one process grow resident memory by less than 10 MB (the soak test in
    test_hostile_input.py runs 10,000)."""
    scenario = read_scenario(BASELINE, book)
    for _ in range(50):
        evaluate_scenario(scenario, book, Options(lang="en"))
    start = _rss_mb()
    for _ in range(2000):
        evaluate_scenario(scenario, book, Options(lang="en"))
    assert _rss_mb() - start < 10


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    pytest.skip("no /proc on this system")
    return 0.0


IMPORTS_DURABLE = re.compile(r"^\s*(import durable\b|from durable\b)", re.MULTILINE)
IMPORTS_CLICK = re.compile(r"^\s*(import click\b|from click\b)", re.MULTILINE)


def test_only_engine_imports_durable_and_only_cli_imports_click() -> None:
    """The import contract, over every module under src/mandaat: only run/durable.py imports durable-rules
    and only cli.py imports click."""
    src = ROOT / "src" / "mandaat"
    modules = sorted(src.rglob("*.py"))
    assert src / "run" / "durable.py" in modules and src / "cli.py" in modules
    durable = [p.relative_to(src).as_posix() for p in modules if IMPORTS_DURABLE.search(p.read_text(encoding="utf-8"))]
    click = [p.relative_to(src).as_posix() for p in modules if IMPORTS_CLICK.search(p.read_text(encoding="utf-8"))]
    assert durable == ["run/durable.py"]
    assert click == ["cli.py"]
