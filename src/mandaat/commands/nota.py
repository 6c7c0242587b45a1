"""The nota's values for `mandaat evaluate`: the command line's options over the ``[nota]`` table of the
project file (``mandaat.toml``, :mod:`mandaat.read.project`), the date and subject from the assessment
when neither gives them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..model.errors import UsageError, about, said
from ..model.report import Report
from ..model.scenario import year_problem
from ..read.project import MAX_VALUE, control_problem, project_file, read_project
from ..render.nota import Nota
from ..render.report import NOTA_FORMATS

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class NotaOptions:
    """What the command line says about the nota (None: not given)."""

    aan: str | None = None
    van: str | None = None
    datum: str | None = None
    kenmerk: str | None = None
    onderwerp: str | None = None
    rubricering: str | None = None
    project: dict[str, str] = field(default_factory=dict)

    def given(self) -> list[str]:
        """The options given, as they are typed (``--aan``)."""
        names = ("aan", "van", "datum", "kenmerk", "onderwerp", "rubricering")
        return [f"--{name}" for name in names if getattr(self, name) is not None]


def _text(name: str, value: str | None) -> str:
    if value is None:
        return ""
    if not value.strip() or "\n" in value or "\r" in value:
        raise UsageError(about(f"--{name}", said("nota_option_empty"), said("nota_option_hint")))
    if len(value) > MAX_VALUE:
        raise UsageError(about(f"--{name}", said("value_too_long", length=len(value), max=MAX_VALUE)))
    control = control_problem(value)
    if control is not None:
        raise UsageError(about(f"--{name}", *control))
    return value.strip()


def _date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        if not _ISO.match(value.strip()):
            raise ValueError(value)
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise UsageError(about("--datum", said("nota_date_format", value=value), said("nota_date_example"))) from None
    outside = year_problem(day)
    if outside is not None:
        raise UsageError(about("--datum", outside, said("check_year")))
    return day


def check_nota(options: NotaOptions, fmt: str, file: Path, inputs: list[Path]) -> NotaOptions:
    """The options checked against the format (they make a nota only), and the project file's ``[nota]``
    values read for a nota (its path joins ``inputs``, which are never overwritten)."""
    given = options.given()
    if given and fmt not in NOTA_FORMATS:
        raise UsageError(about(given[0], said("nota_options_only")))
    for name in ("aan", "van", "kenmerk", "onderwerp", "rubricering"):
        _text(name, getattr(options, name))
    _date(options.datum)
    if fmt not in NOTA_FORMATS:
        return options
    found = project_file(file)
    if found is None:
        return options
    inputs.append(found)
    return NotaOptions(
        options.aan,
        options.van,
        options.datum,
        options.kenmerk,
        options.onderwerp,
        options.rubricering,
        read_project(found),
    )


def nota_for(options: NotaOptions, report: Report) -> Nota:
    """The nota: each value from its option, else from the project file, else (date and subject) from the
    assessment."""

    def pick(name: str) -> str:
        return _text(name, getattr(options, name)) or options.project.get(name, "")

    return Nota(
        datum=_date(options.datum) or date.fromisoformat(report.scenario.assessed_on),
        onderwerp=pick("onderwerp") or report.scenario.title,
        aan=pick("aan"),
        van=pick("van"),
        kenmerk=pick("kenmerk"),
        rubricering=pick("rubricering"),
    )
