"""`mandaat sweep`: the map of a basis over one to three indicators or parameters (and the theory)."""

from __future__ import annotations

from pathlib import Path

from ..analysis.sweep import check_axes, parse_axis, sweep, with_starts
from ..analysis.workers import default_jobs
from ..model.errors import UsageError, about, said
from ..model.rulebook import Rulebook
from ..model.words import word
from ..pipeline import isolated, options_from
from ..read.scenario import read_scenario
from ..render.formats import choose_format
from ..render.progress import Progress
from ..render.sweep import render_sweep_json, render_sweep_markdown, render_sweep_text
from ..render.sweep_svg import render_sweep_html, render_sweep_svg
from .console import Console

SWEEP_FORMATS = ("text", "markdown", "json", "html", "svg")


def run_sweep(
    book: Rulebook,
    console: Console,
    file: Path,
    vary: tuple[str, ...] = (),
    jobs: int | None = None,
    theory: str | None = None,
    params: tuple[str, ...] = (),
    fmt: str | None = None,
    lang: str = "nl",
    output: Path | None = None,
    force: bool = False,
    allow_outside: tuple[Path, ...] = (),
) -> int:
    """Evaluate the grid in worker processes and write its map."""
    fmt = choose_format(fmt, output, SWEEP_FORMATS)
    if jobs is not None and jobs < 1:
        raise UsageError(about("--jobs", said("jobs_at_least_one")))
    if not vary:
        raise UsageError(about("--vary", said("vary_needed")))
    options = options_from(book, lang, theory, params)
    axes = [parse_axis(book, text) for text in vary]
    check_axes(axes)
    inputs: list[Path] = []
    scenario = read_scenario(file, book, allow_outside=allow_outside, inputs=inputs)
    axes = isolated(with_starts, scenario, book, options, axes)
    progress = Progress(word("sweep_progress", lang), stream=console.err)
    cores = default_jobs()
    if jobs is not None and jobs > cores:  # more workers than processors only cost descriptors and memory
        console.note(word("jobs_capped", lang).format(jobs=jobs, cores=cores))
    result = sweep(scenario, book, options, axes, min(jobs or cores, cores), progress)
    renderers = {
        "text": lambda: render_sweep_text(result, book, lang),
        "markdown": lambda: render_sweep_markdown(result, book, lang),
        "json": lambda: render_sweep_json(result, book),
        "html": lambda: render_sweep_html(result, book, lang),
        "svg": lambda: render_sweep_svg(result, book, lang),
    }
    console.emit(renderers[fmt](), output, force, inputs, book, lang)
    return 0
