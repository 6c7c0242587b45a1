"""`mandaat evaluate`, `validate` and `schema`: one scenario's report, checking files, the format's schema."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from ..model.errors import InputError, UsageError, safe
from ..model.rulebook import Rulebook
from ..model.scenario import year_problem
from ..pipeline import evaluate_scenario, exit_code, isolated, options_from
from ..read.scenario import read_scenario
from ..read.schema import scenario_schema
from ..read.source import os_problem
from ..render.failure import problem_lines
from ..render.report import render_report
from .console import Console


def evaluate(
    book: Rulebook,
    console: Console,
    file: Path,
    fmt: str = "text",
    lang: str = "nl",
    theory: str | None = None,
    params: tuple[str, ...] = (),
    as_of: date | None = None,
    output: Path | None = None,
    force: bool = False,
    engine: str = "durable",
    use_exit_code: bool = False,
    allow_outside: tuple[Path, ...] = (),
) -> int:
    """Evaluate ``file`` and write the report; the exit code (with ``use_exit_code``, by verdict)."""
    if as_of is not None and year_problem(as_of):
        raise UsageError(f"--as-of: {year_problem(as_of)}")
    options = options_from(book, lang, theory, params, as_of=as_of, engine=engine)
    inputs: list[Path] = []
    scenario = read_scenario(file, book, allow_outside=allow_outside, inputs=inputs)
    report = isolated(evaluate_scenario, scenario, book, options)
    console.emit(render_report(report, book, fmt), output, force, inputs, book)
    return exit_code(report, book) if use_exit_code else 0


def validate(book: Rulebook, console: Console, files: tuple[Path, ...], allow_outside: tuple[Path, ...] = ()) -> int:
    """Check every file, whatever happens to one of them; 1 when any has problems."""
    bad = 0
    for file in files:
        try:
            read_scenario(file, book, allow_outside=allow_outside)
        except (InputError, OSError, ValueError, RuntimeError) as exc:
            bad += 1
            problems = exc.problems if isinstance(exc, InputError) else [os_problem(str(file), exc)]
            for line in problem_lines(problems):
                console.note(line)
            continue
        console.product(safe(f"{file}: ok") + "\n")
    if bad:
        console.note(f"{bad} of {len(files)} files have problems.")
        return 1
    return 0


def schema(book: Rulebook, console: Console) -> int:
    """The JSON Schema of scenario format 1."""
    console.product(json.dumps(scenario_schema(book), ensure_ascii=False, indent=2) + "\n")
    return 0
