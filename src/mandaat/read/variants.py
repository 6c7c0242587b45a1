"""Variant scenarios: a format-1 file that `extends` another and changes it.

A variant needs only ``mandaat``, ``id``, ``title`` and ``extends`` of its own; every other top-level key
it leaves out is inherited from its base, resolved relative to the variant's file. It may also hold:
- ``set``: indicator -> value (or -> {value, grade, date, source, note}): the indicator's observations are
  replaced by one hypothetical observation, dated on the variant's ``assessed_on`` and graded A1 unless
  the variant says otherwise, with source "what-if";
- ``add``: observations to add; ``remove``: observation ids to drop; ``replace``: observations that
  replace the base's observation with the same id.
Variants stack. The result is plain scenario data plus a locator that points every value at the file and
line it came from, so a defect in a base is reported in the base.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..model.errors import InputError, Problem, closest
from .yamlsafe import Locator, PathT, format_path, load_file

VARIANT_KEYS = ("extends", "set", "add", "remove", "replace")
MAX_CHAIN = 20
WHAT_IF_SOURCE = "what-if"


@dataclass
class MergedLocator(Locator):
    """A locator over a document assembled from several files."""

    sources: dict[PathT, tuple[Locator, PathT]] = field(default_factory=dict)

    def _origin(self, path: PathT) -> tuple[Locator, PathT]:
        probe = tuple(path)
        while True:
            if probe in self.sources:
                locator, source_path = self.sources[probe]
                return locator, (*source_path, *path[len(probe) :])
            if not probe:
                raise KeyError(path)
            probe = probe[:-1]

    def line(self, path: PathT, *, key: bool = False) -> int | None:
        locator, source_path = self._origin(path)
        return locator.line(source_path, key=key)

    def problem(self, path: PathT, message: str, hint: str = "", *, key: bool = False) -> Problem:
        locator, source_path = self._origin(path)
        # The path the reader can find in the file the problem is in (e.g. add[0].value, not observations[8]).
        return Problem(locator.file, locator.line(source_path, key=key), format_path(source_path), message, hint)


def is_variant(data: Any) -> bool:
    """Whether parsed data is a variant (has `extends`)."""
    return isinstance(data, dict) and "extends" in data


def _record(merged: MergedLocator, data: Any, path: PathT) -> None:
    """Fill ``value_lines`` for every path of the merged document (validation looks paths up there)."""
    line = merged.line(path)
    merged.value_lines[path] = line or 1
    if isinstance(data, dict):
        for key, value in data.items():
            _record(merged, value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            _record(merged, value, (*path, index))


Entry = tuple[Any, Locator, PathT]  # an observation, the file it comes from, and its path there


def _obs_id(entry: Any) -> Any:
    return entry.get("id") if isinstance(entry, dict) else None


def _base_of(data: dict[str, Any], locator: Locator, path: Path, chain: tuple[Path, ...]) -> Path:
    """The base file a variant extends, checked: named, no cycle, not too deep, a file."""
    extends = data["extends"]
    if not isinstance(extends, str) or not extends.strip():
        raise InputError(
            [
                locator.problem(
                    ("extends",), "`extends` names the base scenario file", "e.g. extends: 2018-04-kamerbrief.yaml"
                )
            ]
        )
    base_path = (path.parent / extends).resolve()
    here = path.resolve()
    if base_path == here or base_path in chain:
        names = " -> ".join(p.name for p in (*chain, here, base_path))
        raise InputError(
            [
                locator.problem(
                    ("extends",),
                    f"`extends` makes a cycle: {names}",
                    "a variant cannot extend itself or one of its own variants",
                )
            ]
        )
    if len(chain) >= MAX_CHAIN:
        raise InputError([locator.problem(("extends",), f"more than {MAX_CHAIN} variants stacked")])
    if not base_path.is_file():
        raise InputError(
            [locator.problem(("extends",), f"base scenario {extends!r} not found", f"looked for {base_path}")]
        )
    return base_path


def _inherit(
    base: dict[str, Any], base_locator: Locator, data: dict[str, Any], locator: Locator, merged: MergedLocator
) -> tuple[dict[str, Any], list[Entry]]:
    """The base's keys overlaid with the variant's own (params merged), and the observations to edit."""
    merged_data: dict[str, Any] = {}
    for key, value in base.items():
        if key not in VARIANT_KEYS and key != "observations":
            merged_data[key] = copy.deepcopy(value)
            merged.sources[(key,)] = (base_locator, (key,))
    observations: list[Entry] = []
    if isinstance(base.get("observations"), list):
        observations = [(o, base_locator, ("observations", i)) for i, o in enumerate(base["observations"])]
    for key, value in data.items():
        if key in VARIANT_KEYS:
            continue
        if key == "params" and isinstance(value, dict) and isinstance(merged_data.get("params"), dict):
            merged_data["params"] = {**merged_data["params"], **copy.deepcopy(value)}
            for name in value:
                merged.sources[("params", name)] = (locator, ("params", name))
        elif key == "observations":
            observations = (
                [(o, locator, ("observations", i)) for i, o in enumerate(value)]
                if isinstance(value, list)
                else [(value, locator, (key,))]
            )
        else:
            merged_data[key] = copy.deepcopy(value)
            merged.sources[(key,)] = (locator, (key,))
    return merged_data, observations


def _listed(data: dict[str, Any], key: str, locator: Locator, problems: list[Problem], what: str) -> list[Any]:
    value = data.get(key, [])
    if isinstance(value, list):
        return value
    problems.append(locator.problem((key,), f"`{key}` is a list of {what}"))
    return []


def _edit(
    data: dict[str, Any], locator: Locator, observations: list[Entry], assessed: Any, problems: list[Problem]
) -> list[Entry]:
    """Apply the variant's `remove`, `replace`, `add` and `set`, in that order, in time linear in their size."""
    ids = {_obs_id(entry[0]) for entry in observations}
    removed = set()
    for i, ident in enumerate(_listed(data, "remove", locator, problems, "observation ids")):
        if not isinstance(ident, (str, int)) or ident not in ids or ident in removed:
            hint = closest(str(ident), [str(x) for x in ids if x is not None], f"the base has {len(ids)} observations")
            problems.append(locator.problem(("remove", i), f"no observation {ident!r} to remove", hint))
        else:
            removed.add(ident)
    observations = [entry for entry in observations if _obs_id(entry[0]) not in removed]
    position = {_obs_id(entry[0]): k for k, entry in reversed(list(enumerate(observations)))}
    for i, new in enumerate(_listed(data, "replace", locator, problems, "observations")):
        ident = _obs_id(new)
        if not isinstance(ident, (str, int)) or ident not in position:
            problems.append(
                locator.problem(
                    ("replace", i), f"no observation {ident!r} to replace", "use `add` for a new observation"
                )
            )
            continue
        observations[position[ident]] = (new, locator, ("replace", i))
    observations += [
        (o, locator, ("add", i)) for i, o in enumerate(_listed(data, "add", locator, problems, "observations"))
    ]
    settings = data.get("set", {})
    if not isinstance(settings, dict):
        problems.append(
            locator.problem(("set",), "`set` maps indicators to values", "e.g. set: {attacks_from_syria_per_week: 1}")
        )
        settings = {}
    if settings:
        observations = [e for e in observations if not (isinstance(e[0], dict) and e[0].get("indicator") in settings)]
        observations += [
            (hypothetical(name, spec, assessed), locator, ("set", name)) for name, spec in settings.items()
        ]
    return observations


def resolve(path: Path, display: str | None = None, chain: tuple[Path, ...] = ()) -> tuple[Any, Locator]:
    """The scenario data of ``path`` with every `extends` resolved, and its locator."""
    data, locator = load_file(path, display)
    if not is_variant(data):
        return data, locator
    base_path = _base_of(data, locator, path, chain)
    extends = data["extends"]
    base_display = str(Path(display).parent / extends) if display else str(path.parent / extends)
    base, base_locator = resolve(base_path, base_display, (*chain, path.resolve()))
    if not isinstance(base, dict):
        raise InputError([base_locator.problem((), "the base scenario holds no mapping")])
    merged = MergedLocator(locator.file)
    merged.sources[()] = (locator, ())
    merged_data, observations = _inherit(base, base_locator, data, locator, merged)
    problems: list[Problem] = []
    observations = _edit(data, locator, observations, merged_data.get("assessed_on"), problems)
    if problems:
        raise InputError(problems)
    merged_data["observations"] = [copy.deepcopy(entry[0]) for entry in observations]
    for index, (_, source_locator, source_path) in enumerate(observations):
        merged.sources[("observations", index)] = (source_locator, source_path)
    if "observations" not in data and "observations" in base:
        merged.sources[("observations",)] = (base_locator, ("observations",))
    else:
        merged.sources[("observations",)] = (locator, ("observations",) if "observations" in data else ())
    _record(merged, merged_data, ())
    return merged_data, merged


def hypothetical(indicator: str, spec: Any, assessed_on: Any) -> dict[str, Any]:
    """The hypothetical observation a `set` entry stands for."""
    fields = spec if isinstance(spec, dict) and "value" in spec else {"value": spec}
    obs: dict[str, Any] = {
        "id": f"what-if-{indicator}".replace("_", "-"),
        "indicator": indicator,
        "value": fields.get("value"),
        "date": fields.get("date", assessed_on),
        "source": fields.get("source", WHAT_IF_SOURCE),
        "grade": fields.get("grade", "A1"),
        "hypothetical": True,
    }
    if "note" in fields:
        obs["note"] = fields["note"]
    return obs
