"""`mandaat whatif`, `compare`, `flips` and `timeline`: the what-if questions."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..analysis.changes import requested_changes
from ..analysis.flips import flips as find_flips
from ..analysis.timeline import evaluate_timeline
from ..analysis.whatif import compare as compare_scenarios
from ..analysis.whatif import whatif as run_whatif
from ..model.errors import UsageError
from ..model.rulebook import Rulebook
from ..model.words import word
from ..pipeline import Options, isolated, options_from
from ..read.files import expand_folders, in_order, read_all
from ..read.scenario import read_scenario
from ..render.blocks import Block
from ..render.flips import flips_blocks, render_flips_json, render_flips_text
from ..render.formats import choose_format
from ..render.page import page
from ..render.progress import Progress
from ..render.svg import png_converter, render_svg
from ..render.timeline import render_timeline_json, render_timeline_text, timeline_blocks
from ..render.whatif import (
    compare_blocks,
    render_compare_json,
    render_compare_text,
    render_whatif_json,
    render_whatif_text,
    whatif_blocks,
)
from .console import Console

PAGE_FORMATS = ("text", "markdown", "html", "json")


def _page(
    fmt: str,
    title: str,
    lang: str,
    book: Rulebook,
    as_json: Callable[[], str],
    as_text: Callable[[], str],
    as_blocks: Callable[[], list[Block]],
) -> str:
    """The result as JSON, as text, or as a page of blocks in Markdown or HTML under ``title``."""
    if fmt == "json":
        return as_json()
    if fmt == "text":
        return as_text()
    return page(fmt, word(title, lang), "", as_blocks(), lang, book)


def whatif(
    book: Rulebook,
    console: Console,
    file: Path,
    sets: tuple[str, ...] = (),
    judgments: tuple[str, ...] = (),
    theory: str | None = None,
    params: tuple[str, ...] = (),
    fmt: str | None = None,
    lang: str = "nl",
    output: Path | None = None,
    force: bool = False,
    allow_outside: tuple[Path, ...] = (),
) -> int:
    """The scenario now and with the changes; the base keeps its own theory and parameters."""
    fmt = choose_format(fmt, output, PAGE_FORMATS)
    changed = options_from(book, lang, theory, params)
    inputs: list[Path] = []
    scenario = read_scenario(file, book, allow_outside=allow_outside, inputs=inputs)
    changes = requested_changes(book, scenario, sets, judgments, theory, changed.params)
    result = isolated(run_whatif, scenario, book, changes, Options(lang=lang))
    text = _page(
        fmt,
        "page_whatif",
        lang,
        book,
        lambda: render_whatif_json(result, book, lang),
        lambda: render_whatif_text(result, book, lang),
        lambda: whatif_blocks(result, book, lang),
    )
    console.emit(text, output, force, inputs, book, lang)
    return 0


def compare(
    book: Rulebook,
    console: Console,
    files: tuple[Path, ...],
    theory: str | None = None,
    params: tuple[str, ...] = (),
    fmt: str | None = None,
    lang: str = "nl",
    output: Path | None = None,
    force: bool = False,
    allow_outside: tuple[Path, ...] = (),
) -> int:
    """Several scenarios side by side."""
    fmt = choose_format(fmt, output, PAGE_FORMATS)
    options = options_from(book, lang, theory, params)
    inputs: list[Path] = []
    paths = in_order(files)
    scenarios = read_all(paths, book, allow_outside, inputs)
    result = isolated(compare_scenarios, scenarios, book, options)
    as_json, as_text = lambda: render_compare_json(result, book), lambda: render_compare_text(result, book, lang)
    text = _page(fmt, "page_compare", lang, book, as_json, as_text, lambda: compare_blocks(result, book, lang))
    console.emit(text, output, force, inputs, book, lang)
    return 0


def flips(
    book: Rulebook,
    console: Console,
    file: Path,
    theory: str | None = None,
    params: tuple[str, ...] = (),
    fmt: str | None = None,
    lang: str = "nl",
    output: Path | None = None,
    force: bool = False,
    allow_outside: tuple[Path, ...] = (),
) -> int:
    """The tipping points of a scenario."""
    fmt = choose_format(fmt, output, PAGE_FORMATS)
    options = options_from(book, lang, theory, params)
    inputs: list[Path] = []
    scenario = read_scenario(file, book, allow_outside=allow_outside, inputs=inputs)
    result = isolated(find_flips, scenario, book, options, Progress(word("flips_progress", lang), stream=console.err))
    text = _page(
        fmt,
        "page_flips",
        lang,
        book,
        lambda: render_flips_json(result, book, lang),
        lambda: render_flips_text(result, book, lang),
        lambda: flips_blocks(result, book, lang),
    )
    console.emit(text, output, force, inputs, book, lang)
    return 0


def timeline(
    book: Rulebook,
    console: Console,
    files: tuple[Path, ...],
    chart: Path | None = None,
    fmt: str | None = None,
    lang: str = "nl",
    output: Path | None = None,
    force: bool = False,
    allow_outside: tuple[Path, ...] = (),
) -> int:
    """Assessments at different dates as one series, with an optional SVG or PNG chart (embedded in HTML).
    The chart is written first, so that a chart that cannot be written stops the command before the table."""
    fmt = choose_format(fmt, output, PAGE_FORMATS)
    suffix = chart.suffix.lower() if chart is not None else ".svg"
    if suffix not in (".svg", ".png"):
        raise UsageError(word("chart_format", lang).format(path=chart))
    to_png = png_converter(str(chart), lang) if suffix == ".png" else None
    paths = expand_folders(list(files))
    inputs: list[Path] = []
    scenarios = read_all(paths, book, allow_outside, inputs)
    line = isolated(evaluate_timeline, scenarios, book, Options(lang=lang))
    if chart is not None:
        svg = render_svg(line, book, lang)
        console.emit(to_png(svg) if to_png else svg, chart, force, inputs, book, lang, "chart")
    if fmt == "json":
        text = render_timeline_json(line)
    else:
        svg_page = render_svg(line, book, lang) if fmt == "html" else None
        text = render_timeline_text(line, book, lang) if fmt == "text" else ""
        text = page(fmt, word("page_timeline", lang), text, timeline_blocks(line, book, lang), lang, book, svg_page)
    console.emit(text, output, force, inputs, book, lang)
    return 0
