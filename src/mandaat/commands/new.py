"""`mandaat new`: a commented scenario skeleton to fill in, or a variant of an existing scenario."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from ..model.errors import InputError, UsageError, safe
from ..model.rulebook import Rulebook
from ..model.words import word
from ..read.scenario import read_scenario
from ..read.source import os_problem
from ..render.output import write_atomic
from ..render.skeleton import render_skeleton, render_variant
from .console import Console


def _check_new(file: Path, lang: str) -> None:
    """Refuse a name that exists (misuse), or that the system cannot use, too long say (a located error,
    as `evaluate` gives it)."""
    try:
        os.lstat(file)
    except FileNotFoundError:
        return
    except (OSError, ValueError) as exc:
        raise InputError([os_problem(str(file), exc)]) from None
    raise UsageError(word("new_exists", lang).format(file=file))


def new(
    book: Rulebook, console: Console, file: Path, base: Path | None = None, lang: str = "nl", today: date | None = None
) -> int:
    """Write a new scenario to ``file`` (never over an existing file): a skeleton, or a variant of ``base``."""
    _check_new(file, lang)
    if base is not None:
        scenario = read_scenario(base, book)
        extends = Path(os.path.relpath(base.resolve(), file.resolve().parent)).as_posix()
        text = render_variant(book, lang, str(file), file.stem, scenario, extends)
    else:
        text = render_skeleton(book, lang, str(file), file.stem, today or date.today())
    protect = [book.root, book.root.parent / "seeds"]
    write_atomic(file, text, force=False, protected_files=[base] if base else [], protected_dirs=protect)
    console.note(safe(word("new_written", lang).format(file=file)))
    if base is not None and not base.resolve().is_relative_to(file.resolve().parent):
        console.note(safe(word("new_base_outside", lang).format(folder=base.resolve().parent)))
    return 0
