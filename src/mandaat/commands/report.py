"""`mandaat evaluate`, `validate` and `schema`: one scenario's report, checking files, the format's schema."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from ..model.errors import InputError
from ..model.rulebook import Rulebook
from ..pipeline import evaluate_scenario, exit_code, isolated, options_from
from ..read.scenario import read_scenario
from ..read.schema import scenario_schema
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
) -> int:
    """Evaluate ``file`` and write the report; the exit code (with ``use_exit_code``, by verdict)."""
    options = options_from(book, lang, theory, params, as_of=as_of, engine=engine)
    scenario = read_scenario(file, book)
    report = isolated(evaluate_scenario, scenario, book, options)
    console.emit(render_report(report, book, fmt), output, force, [file], book)
    return exit_code(report, book) if use_exit_code else 0


def validate(book: Rulebook, console: Console, files: tuple[Path, ...]) -> int:
    """Check every file; 1 when any has problems."""
    bad = 0
    for file in files:
        try:
            read_scenario(file, book)
        except InputError as exc:
            bad += 1
            for problem in exc.problems:
                console.note(f"Error: {problem.render()}")
            continue
        console.product(f"{file}: ok\n")
    if bad:
        console.note(f"{bad} of {len(files)} files have problems.")
        return 1
    return 0


def schema(book: Rulebook, console: Console, lang: str = "en", draft: str = "2020-12") -> int:
    """The JSON Schema of scenario format 1, descriptions in ``lang``, as draft 2020-12 or draft-07."""
    console.product(json.dumps(scenario_schema(book, lang, draft), ensure_ascii=False, indent=2) + "\n")
    return 0
