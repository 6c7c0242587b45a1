"""`mandaat evaluate`, `validate` and `schema`: one scenario's report, checking files, the format's schema."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from ..model.errors import InputError, UsageError, about, safe, said
from ..model.report import Report
from ..model.rulebook import Rulebook
from ..model.scenario import year_problem
from ..model.words import catalogue, word
from ..pipeline import Options, evaluate_scenario, exit_code, isolated, options_from, with_receipt
from ..read.files import in_order
from ..read.scenario import read_scenario
from ..read.source import os_problem
from ..render.failure import problem_lines
from ..render.formats import choose_format
from ..render.report import REPORT_FORMATS, render_report
from .console import Console
from .nota import NotaOptions, check_nota, nota_for

T = TypeVar("T")
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


def in_child(func: Callable[..., T], *args: Any) -> T:
    """``func(*args)`` in a forked child (:func:`isolated`), the message catalogue read first: the child
    inherits it and the parent, which renders, has it too, instead of each reading it."""
    catalogue()
    return isolated(func, *args)


def evaluate_with_receipt(
    book: Rulebook, file: Path, options: Options, allow_outside: tuple[Path, ...] = (), inputs: list[Path] | None = None
) -> Report:
    """Read and evaluate ``file`` (the engine isolated) and attach the receipt of what produced it."""
    scenario = read_scenario(file, book, allow_outside=allow_outside, inputs=inputs)
    return with_receipt(in_child(evaluate_scenario, scenario, book, options), book, scenario, file, options)


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
    allow_outside: tuple[Path, ...] = (),
    aan: str | None = None,
    van: str | None = None,
    datum: str | None = None,
    kenmerk: str | None = None,
    onderwerp: str | None = None,
    rubricering: str | None = None,
) -> int:
    """Evaluate ``file`` and write the report; the exit code (with ``use_exit_code``, by verdict). ``aan`` to
    ``rubricering``: the nota's header block and marking (html, docx and pdf)."""
    chosen = choose_format(fmt, output, REPORT_FORMATS)
    inputs: list[Path] = []
    given = NotaOptions(aan, van, datum, kenmerk, onderwerp, rubricering)
    nota_options = check_nota(given, chosen, file, inputs)
    when = as_of if isinstance(as_of, date) else parse_as_of(as_of, lang)
    outside = year_problem(when) if when is not None else None
    if outside is not None:
        raise UsageError(about("--as-of", outside, said("check_year")))
    options = options_from(book, lang, theory, params, as_of=when, engine=engine)
    report = evaluate_with_receipt(book, file, options, allow_outside, inputs)
    rendered = render_report(report, book, chosen, brief, show_rules, nota_for(nota_options, report))
    console.emit(rendered, output, force, inputs, book, lang)
    return exit_code(report, book) if use_exit_code else 0


def validate(
    book: Rulebook,
    console: Console,
    files: tuple[Path, ...],
    strict: bool = False,
    lang: str = "nl",
    allow_outside: tuple[Path, ...] = (),
) -> int:
    """Check every file (folders: their ``*.yaml`` files), whatever happens to one of them; warn about input
    a verdict will lack. 1 when any file has problems, or with ``strict`` any warning."""
    from ..read.advice import advice

    paths = in_order(files)
    if not paths:
        raise UsageError(word("no_files", lang).format(paths=", ".join(str(f) for f in files)))
    bad = warned = 0
    for file in paths:
        try:
            scenario = read_scenario(file, book, allow_outside=allow_outside)
        except (InputError, OSError, ValueError, RuntimeError) as exc:
            bad += 1
            problems = exc.problems if isinstance(exc, InputError) else [os_problem(str(file), exc)]
            for line in problem_lines(problems, lang):
                console.note(line)
            continue
        console.product(safe(f"{file}: ok") + "\n")
        for warning in advice(scenario, book):
            warned += 1
            console.note(safe(f"{word('warning', lang)}: {file}: {warning.text(lang)}"))
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
    from ..read.schema import scenario_schema

    console.product(json.dumps(scenario_schema(book, lang, draft), ensure_ascii=False, indent=2) + "\n")
    return 0
