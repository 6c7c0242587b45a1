"""`mandaat evaluate`, `validate` and `schema`: one scenario's report, checking files, the format's schema."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from ..model.errors import InputError
from ..model.report import Report
from ..model.rulebook import Rulebook
from ..pipeline import Options, evaluate_scenario, exit_code, isolated, options_from, with_receipt
from ..read.scenario import read_scenario
from ..read.schema import scenario_schema
from ..render.formats import choose_format
from ..render.report import REPORT_FORMATS, render_report
from .console import Console


def evaluate_with_receipt(book: Rulebook, file: Path, options: Options) -> Report:
    """Read and evaluate ``file`` (the engine isolated) and attach the receipt of what produced it."""
    scenario = read_scenario(file, book)
    return with_receipt(isolated(evaluate_scenario, scenario, book, options), book, scenario, file, options)


def evaluate(
    book: Rulebook,
    console: Console,
    file: Path,
    fmt: str | None = None,
    lang: str = "nl",
    theory: str | None = None,
    params: tuple[str, ...] = (),
    as_of: date | None = None,
    output: Path | None = None,
    force: bool = False,
    engine: str = "durable",
    use_exit_code: bool = False,
    brief: bool = False,
    show_rules: bool = False,
) -> int:
    """Evaluate ``file`` and write the report; the exit code (with ``use_exit_code``, by verdict)."""
    chosen = choose_format(fmt, output, REPORT_FORMATS)
    options = options_from(book, lang, theory, params, as_of=as_of, engine=engine)
    report = evaluate_with_receipt(book, file, options)
    console.emit(render_report(report, book, chosen, brief, show_rules), output, force, [file], book)
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


def schema(book: Rulebook, console: Console) -> int:
    """The JSON Schema of scenario format 1."""
    console.product(json.dumps(scenario_schema(book), ensure_ascii=False, indent=2) + "\n")
    return 0
