"""Several scenario files at once: folders expanded, every file read, all problems reported together."""

from __future__ import annotations

from pathlib import Path

from ..model.errors import InputError, Problem
from ..model.rulebook import Rulebook
from ..model.scenario import Scenario
from .scenario import read_scenario


def expand_folders(files: list[Path]) -> list[Path]:
    """The files given, with each folder replaced by the ``*.yaml`` files in it; sorted, each once."""
    return sorted({p for f in files for p in (sorted(f.glob("*.yaml")) if f.is_dir() else [f])})


def read_all(files: list[Path], book: Rulebook) -> list[Scenario]:
    """Every file read and validated; InputError with the problems of all of them."""
    scenarios: list[Scenario] = []
    problems: list[Problem] = []
    for file in files:
        try:
            scenarios.append(read_scenario(file, book))
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems)
    return scenarios
