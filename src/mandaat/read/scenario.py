"""Reading a scenario file (format 1) with every defect located.

Validation is strict and checks values against the indicator vocabulary in the rulebook, which is
passed in the validation context. This module decides nothing legal.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..model.errors import InputError, Problem, Said, Words, said, show, suggestion
from ..model.rulebook import Rulebook
from ..model.scenario import FORMAT_VERSION, Judgment, Observation, Scenario, SourceRef
from .parameters import RELIABILITY, parameter_value_problem
from .problems import problems_from
from .yamlsafe import Locator, PathT

_FIELDS: dict[str, list[str]] = {
    "": list(Scenario.model_fields),
    "observation": [f.alias or n for n, f in Observation.model_fields.items()],
    "judgment": [f.alias or n for n, f in Judgment.model_fields.items()],
    "source": list(SourceRef.model_fields),
    "period": ["from", "to"],
}


def _allowed_keys(path: PathT) -> list[str]:
    if not path:
        return _FIELDS[""]
    last_named = [p for p in path if isinstance(p, str)]
    tail = last_named[-1] if last_named else ""
    if tail == "observations":
        return _FIELDS["observation"]
    if tail == "judgments":
        return _FIELDS["judgment"]
    if tail in ("source", "period"):
        return _FIELDS[tail]
    return []


def _duplicate_ids(data: Any, locator: Locator) -> list[Problem]:
    problems: list[Problem] = []
    if not isinstance(data, dict) or not isinstance(data.get("observations"), list):
        return problems
    first: dict[str, int] = {}
    for i, obs in enumerate(data["observations"]):
        if isinstance(obs, dict) and isinstance(obs.get("id"), str):
            ident = obs["id"]
            if ident in first:
                line = locator.line(("observations", first[ident], "id"))
                problems.append(
                    locator.problem(
                        ("observations", i, "id"),
                        said("duplicate_observation", ident=repr(ident), line=line),
                        said("own_id"),
                    )
                )
            else:
                first[ident] = i
    return problems


def _nulls(value: Any, locator: Locator, path: PathT) -> list[Problem]:
    """Every key written without a value: format 1 has no field where null means something."""
    found: list[Problem] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if item is None:
                found.append(locator.problem((*path, key), said("null_value"), said("give_value")))
            else:
                found += _nulls(item, locator, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if item is None:
                found.append(locator.problem((*path, index), said("empty_item"), said("remove_lone_dash")))
            else:
                found += _nulls(item, locator, (*path, index))
    return found


def _check_params(data: Any, locator: Locator, book: Rulebook) -> list[Problem]:
    """Each parameter override is known and well-typed, and the thresholds stay in order."""
    params = data.get("params") if isinstance(data, dict) else None
    if not isinstance(params, dict):
        return []
    problems: list[Problem] = []
    values = {name: p.value for name, p in book.parameters.items()}
    for name, value in params.items():
        where = ("params", name)
        if name not in book.parameters:
            problems.append(
                locator.problem(
                    where,
                    said("unknown_parameter", name=repr(name)),
                    suggestion(name, book.parameters, said("see_params")),
                    key=True,
                )
            )
            continue
        if value is None:
            continue
        message = parameter_value_problem(book.parameters[name].type, value)
        if message:
            quoted = isinstance(value, str) and book.parameters[name].type in ("number", "days", "credibility")
            hint: Words = said("number_without_quotes") if quoted else ""
            problems.append(locator.problem(where, message, hint))
            continue
        values[name] = value
    if not problems:
        for name, message in threshold_order_problems(book, values):
            other = book.parameters[name].less_than or name
            where = ("params", name if name in params else other)
            problems.append(locator.problem(where, message, said("threshold_gap")))
    return problems


def threshold_order_problems(book: Rulebook, values: dict[str, Any]) -> list[tuple[str, Said]]:
    """(parameter, message) for every `less_than` relation between parameters that ``values`` break."""
    out = []
    for name, definition in book.parameters.items():
        other = definition.less_than
        if other and not _param_rank(book, name, values[name]) < _param_rank(book, other, values[other]):
            shown, other_shown = show(values[name]), show(values[other])
            out.append((name, said("threshold_order", name=name, value=shown, other=other, other_value=other_shown)))
    return out


def _param_rank(book: Rulebook, name: str, value: Any) -> float:
    if book.parameters[name].type == "reliability":
        return float(RELIABILITY.index(value) + 1)
    return float(value)


def _under_null(path: str, null_paths: set[str]) -> bool:
    """Whether ``path`` is a null key or lies under one (in time linear in the path's length)."""
    if not null_paths:
        return False
    if path in null_paths:
        return True
    return any(path[:i] in null_paths for i, char in enumerate(path) if char in ".[")


def parse_scenario(data: Any, locator: Locator, book: Rulebook) -> Scenario:
    """Validate plain data as a format-1 scenario; raise :class:`InputError` listing every defect."""
    problems: list[Problem] = []
    if not isinstance(data, dict):
        raise InputError([locator.problem((), said("scenario_not_mapping"), said("start_with_format"))])
    version = data.get("mandaat", FORMAT_VERSION)
    if type(version) is not int or version != FORMAT_VERSION:
        message = said("format_unsupported", version=show(version))
        raise InputError([locator.problem(("mandaat",), message, said("reads_format_1"))])
    try:
        scenario = Scenario.model_validate(data, context={"rulebook": book})
    except ValidationError as exc:
        problems = problems_from(exc, locator, _allowed_keys)
        scenario = None
    problems += _duplicate_ids(data, locator)
    problems += _check_params(data, locator, book)
    nulls = _nulls(data, locator, ())
    null_paths = {p.path for p in nulls}
    problems = [p for p in problems if not _under_null(p.path, null_paths)]
    problems += nulls + locator.pending
    if problems:
        problems.sort(key=lambda p: (p.file, p.line or 0, p.path))
        raise InputError(problems)
    assert scenario is not None
    return scenario


def read_scenario(
    path: Path,
    book: Rulebook,
    display: str | None = None,
    *,
    allow_outside: Iterable[Path] = (),
    inputs: list[Path] | None = None,
) -> Scenario:
    """Read and validate a scenario file; a variant (`extends`) is resolved against its bases first, which
    must lie in the file's folder tree or in ``allow_outside``. The real path of every file read (the
    file and its bases) is added to ``inputs``, so that no output overwrites one of them."""
    from .variants import resolve  # variants builds on this module's reader

    data, locator = resolve(path, display, allow_outside, inputs)
    return parse_scenario(data, locator, book)
