"""What the studio serves: one folder, one rulebook, one language, one token; the scenario files of the
folder as read now (validated, located, read again when they change); and the evaluations, each in a
forked child (:mod:`.jobs`).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..model.errors import MandaatError
from ..model.report import Report
from ..model.rulebook import Rulebook
from ..model.scenario import Scenario
from ..pipeline import Options, evaluate_scenario, isolated
from ..read.scenario import parse_scenario
from ..read.variants import resolve
from ..read.yamlsafe import Locator
from .draft import Draft, opened, scenario_of
from .folder import Folder
from .jobs import Jobs

# The smallest scenario: evaluated once before serving, so that every child forks from a loaded engine.
_WARM = {"mandaat": 1, "id": "warm", "title": "warm", "assessed_on": "2018-04-13"}
_KEPT_BASES = 8  # scenario files kept read and validated


@dataclass(frozen=True)
class Base:
    """A scenario file of the folder as read now: its data (a variant's bases resolved), where each value
    is written, and the scenario it is (validated)."""

    name: str
    data: dict[str, Any]
    locator: Locator
    scenario: Scenario
    files: tuple[Path, ...]  # every file read for it: the file and its bases
    stamp: tuple[Any, ...]  # what those files were when read


def _stamp(files: tuple[Path, ...]) -> tuple[Any, ...]:
    """What identifies the present content of ``files`` (a file replaced or written changes it)."""
    found: list[Any] = []
    for file in files:
        try:
            info = file.stat()
        except OSError:
            return (object(),)  # equal to nothing
        found.append((info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns))
    return tuple(found)


@dataclass
class Studio:
    """What the application serves: one folder, one rulebook, one language, one token."""

    folder: Folder
    book: Rulebook
    lang: str
    token: str
    port: int
    opened: str | None = None  # the scenario the page opens without a `file` query
    jobs: Jobs = field(default_factory=Jobs)
    running: set[asyncio.Task[Any]] = field(default_factory=set)  # the calls being answered
    _bases: dict[str, Base] = field(default_factory=dict, repr=False)  # read and validated, by name

    def options(self) -> Options:
        """The options every evaluation runs with."""
        return Options(lang=self.lang)

    def base(self, name: str) -> Base:
        """Scenario ``name`` of the folder, read and validated now (InputError, at the file's lines, when
        it has a defect or is larger than the studio opens). A file is read again when it or one of its
        bases has changed since; else the page's next change does not pay for reading it."""
        path = self.folder.existing(name)
        known = self._bases.get(name)
        if known is not None and _stamp(known.files) == known.stamp:
            return known
        before = _stamp((path,))
        inputs: list[Path] = []
        data, locator = resolve(path, name, inputs=inputs)
        files = tuple(inputs)
        stamp = _stamp(files)
        base = Base(name, data, locator, opened(data, locator, self.book), files, stamp)
        self._bases.pop(name, None)
        if stamp[:1] == before:  # not written while it was read (else it is read again next time)
            self._bases[name] = base
        while len(self._bases) > _KEPT_BASES:
            del self._bases[next(iter(self._bases))]
        return base

    def scenario(self, draft: Draft) -> Scenario:
        """The validated scenario the page's draft stands for."""
        base = self.base(draft.file)
        return scenario_of(base.data, base.locator, draft, self.book, self.lang)

    def warm(self) -> None:
        """Load the engine in the server before the first request, so that every child forks from a
        loaded engine instead of loading it again: the smallest scenario, evaluated in a child first (an
        engine that crashes on it crashes there), then here."""
        scenario = parse_scenario(_WARM, Locator("warm"), self.book)
        try:
            isolated(evaluate_scenario, scenario, self.book, self.options())
        except MandaatError:
            return  # every request will say what is wrong
        evaluate_scenario(scenario, self.book, self.options())

    def stop(self) -> None:
        """The server is stopping: end every call being answered (their children are killed)."""
        for task in self.running:
            task.cancel()

    async def evaluate(self, scenario: Scenario) -> Report:
        """The report on ``scenario``, from a child (the quick lane)."""
        return await self.jobs.quick.run(evaluate_scenario, scenario, self.book, self.options())
