"""Several scenario files at once: folders expanded, every file read, all problems reported together."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..model.errors import InputError, Problem
from ..model.rulebook import Rulebook
from ..model.scenario import Scenario
from .scenario import read_scenario
from .source import os_problem


def _members(path: Path) -> list[Path]:
    """The ``*.yaml`` files in a folder; a file (or a name that cannot be listed) as itself, for the
    reader to accept or refuse with a located problem."""
    try:
        return sorted(path.glob("*.yaml")) if path.is_dir() else [path]
    except (OSError, ValueError):
        return [path]


def in_order(files: Iterable[Path]) -> list[Path]:
    """The files given, in the order given, each folder replaced by its ``*.yaml`` files (sorted)."""
    return [p for f in files for p in _members(f)]


def expand_folders(files: list[Path]) -> list[Path]:
    """The files given, with each folder replaced by the ``*.yaml`` files in it; sorted, each once."""
    return sorted({p for f in files for p in _members(f)})


def read_all(
    files: list[Path], book: Rulebook, allow_outside: Iterable[Path] = (), inputs: list[Path] | None = None
) -> list[Scenario]:
    """Every file read and validated; InputError with the problems of all of them. The real path of every
    file read (bases included) is added to ``inputs``."""
    scenarios: list[Scenario] = []
    problems: list[Problem] = []
    for file in files:
        try:
            scenarios.append(read_scenario(file, book, allow_outside=allow_outside, inputs=inputs))
        except InputError as exc:
            problems += exc.problems
        except (OSError, ValueError, RuntimeError) as exc:
            problems.append(os_problem(str(file), exc))
    if problems:
        raise InputError(problems)
    return scenarios
