"""The evaluation pipeline, the one orchestrator: read → settings and facts → engine → explain.

It chooses the evaluator (durable-rules, or the plain-Python reference), and it runs whatever touches
the engine in a forked child (:func:`isolated`), after every input has been read and validated, so that
a crash of the C engine becomes a located internal error (exit 70), never a verdict. durable is imported
only when an evaluation needs it, so that reading, validating and inspecting the rulebook work without
it. Rendering and writing are the caller's.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from .explain import explain
from .model.errors import EngineError, Refusal, RulebookError, UsageError, about, one_of, said, suggestion
from .model.firing import Firing
from .model.report import Report
from .model.rulebook import Rulebook
from .model.scenario import Scenario
from .read.parameters import parse_param
from .read.receipt import make_receipt
from .read.rulebook_cache import cached_rulebook, default_rules_dir
from .read.scenario import read_scenario
from .read.source import os_problem
from .run import reference
from .run.facts import Settings, build_facts, settings_for
from .run.isolate import run_isolated

T = TypeVar("T")
ENGINES = ("durable", "reference")


@dataclass(frozen=True)
class Options:
    """What a caller may change for one evaluation (the command line's what-if on the legal side)."""

    lang: str = "nl"
    theory: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    as_of: date | None = None
    engine: str = "durable"  # or "reference": the plain-Python evaluator, for diagnosis

    def changed(self, theory: str | None = None, params: dict[str, Any] | None = None) -> Options:
        """These options with a hypothetical theory and extra parameter overrides."""
        return replace(self, theory=theory or self.theory, params={**self.params, **(params or {})})


def rulebook(rules_dir: Path | None = None) -> Rulebook:
    """The rulebook (loaded and checked once per process); a folder name the system cannot resolve (a
    symlink loop, a name too long) is a located rulebook error."""
    try:
        root = (rules_dir or default_rules_dir()).resolve()
    except (OSError, RuntimeError, ValueError) as exc:
        raise RulebookError([os_problem(str(rules_dir), exc, said("cannot_open_rules"))]) from None
    return cached_rulebook(root)


def options_from(
    book: Rulebook, lang: str = "nl", theory: str | None = None, params: Sequence[str] = (), **more: Any
) -> Options:
    """Options from what a user typed: ``--param NAME=VALUE`` texts read by each parameter's type."""
    parsed: dict[str, Any] = {}
    for text in params:
        try:
            name, value = parse_param(book, text)
        except Refusal as exc:
            raise UsageError(about("--param", exc.message, exc.hint)) from None
        parsed[name] = value
    options = Options(lang=lang, theory=theory, params=parsed, **more)
    check_options(book, options)
    return options


def check_options(book: Rulebook, options: Options) -> None:
    """Refuse a theory or engine the rulebook and mandaat do not know (misuse, exit 2)."""
    if options.theory is not None and options.theory not in book.theories:
        hint = suggestion(options.theory, book.theories, one_of(book.theories))
        raise UsageError(about("--theory", said("unknown_theory", name=repr(options.theory)), hint))
    if options.engine not in ENGINES:
        raise UsageError(about("--engine", said("unknown_engine", engine=repr(options.engine)), one_of(ENGINES)))


def settings(scenario: Scenario, book: Rulebook, options: Options) -> Settings:
    """The effective settings of one evaluation."""
    return settings_for(scenario, book, theory=options.theory, params=options.params, as_of=options.as_of)


def _durable_engine() -> Any:
    try:
        from .run import durable
    except ImportError as exc:
        version = ".".join(str(n) for n in sys.version_info[:3])
        raise EngineError(
            f"the rule engine (durable-rules) cannot be loaded on Python {version}: {exc}. "
            "Use `--engine reference` for the plain-Python evaluator, or reinstall mandaat with "
            "`pip install .` so that the engine is built for this Python"
        ) from None
    return durable.engine()


def fire(scenario: Scenario, book: Rulebook, options: Options) -> tuple[Settings, list[Firing]]:
    """The settings and the rule firings of one evaluation, from the evaluator the options name."""
    check_options(book, options)
    chosen = settings(scenario, book, options)
    facts = build_facts(scenario, book, chosen)
    if options.engine == "reference":
        return chosen, reference.evaluate(book, facts)
    return chosen, _durable_engine().evaluate(book, facts)


def evaluate_scenario(scenario: Scenario, book: Rulebook, options: Options = Options()) -> Report:
    """Evaluate a validated scenario into a report."""
    chosen, firings = fire(scenario, book, options)
    return explain(book, scenario, chosen, firings, options.lang)


def with_receipt(report: Report, book: Rulebook, scenario: Scenario, file: Path, options: Options) -> Report:
    """``report`` with the receipt of what produced it (for `mandaat replay`)."""
    receipt = make_receipt(
        book,
        scenario,
        file,
        theory=report.scenario.theory,
        theory_given=options.theory,
        params=options.params,
        as_of=options.as_of,
        engine=options.engine,
        lang=options.lang,
    )
    return report.model_copy(update={"receipt": receipt})


def evaluate_file(
    path: Path, options: Options = Options(), rules_dir: Path | None = None, display: str | None = None
) -> Report:
    """Read, validate and evaluate one scenario file (the engine runs in-process)."""
    book = rulebook(rules_dir)
    return evaluate_scenario(read_scenario(path, book, display), book, options)


def isolated(func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``func(*args, **kwargs)`` in a forked child: an engine crash there is an EngineError here."""
    return run_isolated(func, *args, **kwargs)


def exit_code(report: Report, book: Rulebook) -> int:
    """The exit code ``--exit-code`` asks for: the highest the verdicts declare in the rulebook."""
    return max((book.verdicts[v].exit_code or 0) for v in report.verdict.values())
