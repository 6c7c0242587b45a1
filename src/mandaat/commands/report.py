"""`mandaat evaluate`, `validate` and `schema`: one scenario's report, checking files, the format's schema."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

from ..model.errors import InputError, UsageError
from ..model.report import Report
from ..model.rulebook import Rulebook
from ..model.words import word
from ..pipeline import Options, evaluate_scenario, exit_code, isolated, options_from, with_receipt
from ..read.advice import advice
from ..read.files import expand_folders
from ..read.scenario import read_scenario
from ..read.schema import scenario_schema
from ..render.formats import choose_format
from ..render.report import REPORT_FORMATS, render_report
from .console import Console

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DAY_FIRST = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")


def parse_as_of(value: str | None, lang: str = "nl") -> date | None:
    """``--as-of`` as a date: YYYY-MM-DD; a day-first date (DD-MM-YYYY) gets the ISO form as a hint."""
    if value is None:
        return None
    text = value.strip()
    iso, day_first = _ISO.match(text), _DAY_FIRST.match(text)
    try:
        if iso:
            return date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        if day_first:
            when = date(int(day_first.group(3)), int(day_first.group(2)), int(day_first.group(1)))
            raise UsageError(word("as_of_day_first", lang).format(value=value, iso=when.isoformat()))
    except ValueError:
        raise UsageError(word("as_of_invalid", lang).format(value=value)) from None
    raise UsageError(word("as_of_format", lang).format(value=value))


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
    as_of: date | str | None = None,
    output: Path | None = None,
    force: bool = False,
    engine: str = "durable",
    use_exit_code: bool = False,
    brief: bool = False,
    show_rules: bool = False,
) -> int:
    """Evaluate ``file`` and write the report; the exit code (with ``use_exit_code``, by verdict)."""
    chosen = choose_format(fmt, output, REPORT_FORMATS)
    when = as_of if isinstance(as_of, date) else parse_as_of(as_of, lang)
    options = options_from(book, lang, theory, params, as_of=when, engine=engine)
    report = evaluate_with_receipt(book, file, options)
    console.emit(render_report(report, book, chosen, brief, show_rules), output, force, [file], book)
    return exit_code(report, book) if use_exit_code else 0


def in_order(files: tuple[Path, ...] | list[Path]) -> list[Path]:
    """The files given, in the order given, each folder replaced by its ``*.yaml`` files (sorted)."""
    return [p for f in files for p in (expand_folders([f]) if f.is_dir() else [f])]


def validate(book: Rulebook, console: Console, files: tuple[Path, ...], strict: bool = False, lang: str = "nl") -> int:
    """Check every file (folders: their ``*.yaml`` files); warn about input a verdict will lack. 1 when any
    file has problems, or with ``strict`` any warning."""
    paths = in_order(files)
    if not paths:
        raise UsageError(word("no_files", lang).format(paths=", ".join(str(f) for f in files)))
    bad = warned = 0
    for file in paths:
        try:
            scenario = read_scenario(file, book)
        except InputError as exc:
            bad += 1
            for problem in exc.problems:
                console.note(f"Error: {problem.render()}")
            continue
        console.product(f"{file}: ok\n")
        for warning in advice(scenario, book):
            warned += 1
            console.note(f"{word('warning', lang)}: {file}: {warning.text(lang)}")
    if bad:
        key = "files_with_problems_one" if bad == 1 else "files_with_problems_other"
        console.note(word(key, lang).format(bad=bad, total=len(paths)))
        return 1
    if strict and warned:
        console.note(word("strict_warnings", lang).format(count=warned))
        return 1
    return 0


def schema(book: Rulebook, console: Console, lang: str = "en", draft: str = "2020-12") -> int:
    """The JSON Schema of scenario format 1, descriptions in ``lang``, as draft 2020-12 or draft-07."""
    console.product(json.dumps(scenario_schema(book, lang, draft), ensure_ascii=False, indent=2) + "\n")
    return 0
