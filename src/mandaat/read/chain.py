"""Where the bases of a variant may come from, and what a chain of variants may cost in all.

A base must lie inside the folder tree of the file the user named (by real path, symbolic links
resolved), or inside a folder the user opened with ``--allow-outside``. A file that is not a scenario
(no line ``mandaat:``) is refused with one message that names it and shows none of its content. The
whole chain shares the limits of one file: bytes, values and observations, checked as each level is
read and merged, so that an oversized chain is refused early. Nothing here knows scenario semantics.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..model.errors import InputError, Problem, Words, said
from ..model.scenario import MAX_OBSERVATIONS
from .source import MAX_BYTES, TooLarge, decode, os_problem, read_bytes
from .yamlsafe import MAX_NODES, Locator, load_text

MAX_CHAIN = 20
_SCENARIO_LINE = re.compile(rb"(?m)^mandaat[ \t]*:")


def real_path(path: Path | str, file: str) -> Path:
    """The real path of ``path`` (symbolic links resolved); an OS error is a located problem."""
    try:
        return Path(os.path.realpath(path))
    except (OSError, ValueError, RuntimeError) as exc:
        raise InputError([os_problem(file, exc)]) from None


@dataclass
class Chain:
    """The folders bases may come from, the files read so far, and what they have used of the limits."""

    folders: tuple[Path, ...]
    files: list[Path] = field(default_factory=list)
    size: int = 0
    nodes: int = 0

    @classmethod
    def start(cls, path: Path, file: str, allow_outside: Iterable[Path] = ()) -> Chain:
        """The chain of the file a user named: its own folder tree, and the folders opened for it."""
        folders = [real_path(path.parent, file)]
        folders += [real_path(folder, str(folder)) for folder in allow_outside]
        return cls(tuple(folders), [real_path(path, file)])

    def allows(self, real: Path) -> bool:
        """Whether ``real`` lies inside one of the folders bases may come from."""
        return any(real == folder or real.is_relative_to(folder) for folder in self.folders)

    def charge(self, locator: Locator, where: Locator) -> None:
        """Add one file's size and values to the chain; over the limits, refuse at ``where``'s `extends`."""
        self.size += locator.size
        self.nodes += len(locator.value_lines)
        if self.size > MAX_BYTES or self.nodes > MAX_NODES:
            over = ("chain_bytes", MAX_BYTES) if self.size > MAX_BYTES else ("chain_values", MAX_NODES)
            raise InputError([chain_problem(where, said(over[0], limit=over[1]))])

    def check_observations(self, count: int, where: Locator) -> None:
        """Refuse a merged document with more observations than one scenario may hold."""
        if count > MAX_OBSERVATIONS:
            raise InputError([chain_problem(where, said("chain_observations", count=count, max=MAX_OBSERVATIONS))])


def chain_problem(where: Locator, message: Words, hint: Words | None = None) -> Problem:
    """A problem located at the `extends` line of a variant (by default: keep the chain small)."""
    return where.problem(("extends",), message, said("keep_chain_small") if hint is None else hint, key=True)


def base_path(extends: str, path: Path, locator: Locator, chain: Chain) -> Path:
    """The real path of the base ``extends`` names, relative to ``path``; refused outside the allowed tree."""
    try:
        real = real_path(path.parent / extends, locator.file)
    except InputError as exc:
        raise InputError([chain_problem(locator, exc.problems[0].message, exc.problems[0].hint)]) from None
    if not chain.allows(real):
        raise InputError(
            [
                chain_problem(
                    locator,
                    said("extends_outside", extends=repr(extends), folder=chain.folders[0]),
                    said("extends_outside_hint"),
                )
            ]
        )
    return real


def is_scenario_text(raw: bytes) -> bool:
    """Whether ``raw`` may be a scenario file (it has a line ``mandaat:``); a file that is not is refused
    without quoting any of it."""
    return _SCENARIO_LINE.search(raw) is not None


def load_base(real: Path, display: str, extends: str, where: Locator, chain: Chain) -> tuple[Any, Locator]:
    """Read a base: it must be a regular file within the chain's byte budget, and a scenario file."""
    budget = MAX_BYTES - chain.size
    try:
        raw = read_bytes(real, display, limit=budget)
    except TooLarge:
        raise InputError([chain_problem(where, said("chain_bytes", limit=MAX_BYTES))]) from None
    except InputError as exc:
        problem = exc.problems[0]
        message, hint = problem.message, problem.hint
        if problem.is_said("file_not_found"):
            message, hint = said("base_not_found", extends=repr(extends)), said("looked_for", path=real)
        raise InputError([chain_problem(where, message, hint)]) from None
    if not is_scenario_text(raw):
        message = said("base_not_scenario", extends=repr(extends))
        raise InputError([chain_problem(where, message, said("extends_names_scenario"))])
    try:
        data, locator = load_text(decode(raw, display), display, max_nodes=MAX_NODES - chain.nodes)
    except TooLarge:
        raise InputError([chain_problem(where, said("chain_values", limit=MAX_NODES))]) from None
    chain.files.append(real)
    chain.charge(locator, where)
    return data, locator
