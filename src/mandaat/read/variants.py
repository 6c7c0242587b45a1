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

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..model.errors import InputError, Problem, Words, closest, said
from .chain import MAX_CHAIN, Chain, base_path, load_base
from .yamlsafe import Locator, PathT, format_path, load_file

VARIANT_KEYS = ("extends", "set", "add", "remove", "replace")
MAX_HINTS = 5  # unknown ids that get a "closest" hint; the others are only counted
WHAT_IF_SOURCE = "what-if"


@dataclass
class MergedLocator(Locator):
    """A locator over a document assembled from several files. Every source points at the file a value
    was read from, never at another merged locator, so a lookup costs the same at any depth of the chain."""

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

    def problem(self, path: PathT, message: Words, hint: Words = "", *, key: bool = False) -> Problem:
        locator, source_path = self._origin(path)
        # The path the reader can find in the file the problem is in (e.g. add[0].value, not observations[8]).
        return Problem(locator.file, locator.line(source_path, key=key), format_path(source_path), message, hint)


def _leaf(locator: Locator, path: PathT) -> tuple[Locator, PathT]:
    """The file's own locator and path for ``path`` of a (possibly merged) document."""
    return locator._origin(path) if isinstance(locator, MergedLocator) else (locator, path)


def _adopt(merged: MergedLocator, base: Locator, key: str) -> None:
    """Point the merged document's ``key`` (and all inside it) where the base's points."""
    merged.sources[(key,)] = _leaf(base, (key,))
    if isinstance(base, MergedLocator):
        for path, origin in base.sources.items():
            if len(path) > 1 and path[0] == key and key != "observations":
                merged.sources[path] = origin


def is_variant(data: Any) -> bool:
    """Whether parsed data is a variant (has `extends`)."""
    return isinstance(data, dict) and "extends" in data


def _record(merged: MergedLocator, data: Any, path: PathT) -> None:
    """Fill ``value_lines`` for every path of the merged document (validation looks paths up there)."""
    stack: list[tuple[Any, PathT]] = [(data, path)]
    while stack:
        value, here = stack.pop()
        merged.value_lines[here] = merged.line(here) or 1
        if isinstance(value, dict):
            stack += [(item, (*here, key)) for key, item in value.items()]
        elif isinstance(value, list):
            stack += [(item, (*here, index)) for index, item in enumerate(value)]


Entry = tuple[Any, Locator, PathT]  # an observation, the file it comes from, and its path there


def _obs_id(entry: Any) -> Any:
    return entry.get("id") if isinstance(entry, dict) else None


def _base_of(data: dict[str, Any], locator: Locator, path: Path, seen: tuple[Path, ...], chain: Chain) -> Path:
    """The base file a variant extends, checked: named, inside the allowed folders, no cycle, not too deep."""
    extends = data["extends"]
    if not isinstance(extends, str) or not extends.strip():
        raise InputError([locator.problem(("extends",), said("extends_names_base"), said("extends_example"))])
    real = base_path(extends, path, locator, chain)
    if real in seen:
        names = " -> ".join(p.name for p in (*seen, real))
        message = said("extends_cycle", names=names)
        raise InputError([locator.problem(("extends",), message, said("extends_cycle_hint"))])
    if len(seen) > MAX_CHAIN:
        raise InputError([locator.problem(("extends",), said("too_many_variants", max=MAX_CHAIN))])
    return real


def _inherit(
    base: dict[str, Any], base_locator: Locator, data: dict[str, Any], locator: Locator, merged: MergedLocator
) -> tuple[dict[str, Any], list[Entry]]:
    """The base's keys overlaid with the variant's own (params merged), and the observations to edit.
    Values are shared, not copied: nothing downstream changes the data it reads."""
    merged_data: dict[str, Any] = {}
    for key, value in base.items():
        if key not in VARIANT_KEYS and key != "observations":
            merged_data[key] = value
            _adopt(merged, base_locator, key)
    observations: list[Entry] = []
    if isinstance(base.get("observations"), list):
        observations = [(o, *_leaf(base_locator, ("observations", i))) for i, o in enumerate(base["observations"])]
    for key, value in data.items():
        if key in VARIANT_KEYS:
            continue
        if key == "params" and isinstance(value, dict) and isinstance(merged_data.get("params"), dict):
            merged_data["params"] = {**merged_data["params"], **value}
            for name in value:
                merged.sources[("params", name)] = (locator, ("params", name))
        elif key == "observations":
            observations = (
                [(o, locator, ("observations", i)) for i, o in enumerate(value)]
                if isinstance(value, list)
                else [(value, locator, (key,))]
            )
        else:
            merged_data[key] = value
            for inherited in [p for p in merged.sources if p and p[0] == key]:
                del merged.sources[inherited]
            merged.sources[(key,)] = (locator, (key,))
    return merged_data, observations


def _listed(data: dict[str, Any], key: str, locator: Locator, problems: list[Problem], what: str) -> list[Any]:
    """``data[key]``, a list; else a problem (``what`` names the catalogue's message) and an empty list."""
    value = data.get(key, [])
    if isinstance(value, list):
        return value
    problems.append(locator.problem((key,), said(what, key=key)))
    return []


def _edit(
    data: dict[str, Any], locator: Locator, observations: list[Entry], assessed: Any, problems: list[Problem]
) -> list[Entry]:
    """Apply the variant's `remove`, `replace`, `add` and `set`, in that order, in time linear in their size."""
    ids = {_obs_id(entry[0]) for entry in observations}
    names = [str(x) for x in ids if x is not None]
    removed = set()
    for i, ident in enumerate(_listed(data, "remove", locator, problems, "list_of_ids")):
        if not isinstance(ident, (str, int)) or ident not in ids or ident in removed:
            count = said("base_count", count=len(ids))
            hint = closest(str(ident), names, count) if len(problems) < MAX_HINTS else count
            problems.append(locator.problem(("remove", i), said("nothing_to_remove", ident=repr(ident)), hint))
        else:
            removed.add(ident)
    observations = [entry for entry in observations if _obs_id(entry[0]) not in removed]
    position = {_obs_id(entry[0]): k for k, entry in reversed(list(enumerate(observations)))}
    for i, new in enumerate(_listed(data, "replace", locator, problems, "list_of_observations")):
        ident = _obs_id(new)
        if not isinstance(ident, (str, int)) or ident not in position:
            message = said("nothing_to_replace", ident=repr(ident))
            problems.append(locator.problem(("replace", i), message, said("use_add")))
            continue
        observations[position[ident]] = (new, locator, ("replace", i))
    observations += [
        (o, locator, ("add", i)) for i, o in enumerate(_listed(data, "add", locator, problems, "list_of_observations"))
    ]
    settings = data.get("set", {})
    if not isinstance(settings, dict):
        problems.append(locator.problem(("set",), said("set_maps"), said("set_example")))
        settings = {}
    if settings:
        observations = [e for e in observations if not (isinstance(e[0], dict) and e[0].get("indicator") in settings)]
        observations += [
            (hypothetical(name, spec, assessed), locator, ("set", name)) for name, spec in settings.items()
        ]
    return observations


def resolve(
    path: Path, display: str | None = None, allow_outside: Iterable[Path] = (), inputs: list[Path] | None = None
) -> tuple[Any, Locator]:
    """The scenario data of ``path`` with every `extends` resolved, and its locator. Bases must lie in
    the folder tree of ``path`` or in ``allow_outside``; the real path of every file read is added to
    ``inputs``."""
    file = display or str(path)
    chain = Chain.start(path, file, allow_outside)
    data, locator = load_file(path, display)
    chain.charge(locator, locator)
    data, locator = _resolve(data, locator, chain.files[0], file, (), chain)
    if inputs is not None:
        inputs += chain.files
    if isinstance(locator, MergedLocator):
        _record(locator, data, ())
    return data, locator


def _resolve(
    data: Any, locator: Locator, real: Path, display: str, seen: tuple[Path, ...], chain: Chain
) -> tuple[Any, Locator]:
    """One level of a chain: the base resolved first, then this variant's changes merged onto it."""
    if not is_variant(data):
        return data, locator
    base_real = _base_of(data, locator, real, (*seen, real), chain)
    if isinstance(data.get("add"), list):  # refused before any base is read
        chain.check_observations(len(data["add"]), locator)
    extends = data["extends"]
    base_display = str(Path(display).parent / extends)
    base, base_locator = load_base(base_real, base_display, extends, locator, chain)
    base, base_locator = _resolve(base, base_locator, base_real, base_display, (*seen, real), chain)
    if not isinstance(base, dict):
        raise InputError([base_locator.problem((), said("base_not_mapping"))])
    if isinstance(base.get("observations"), list):
        chain.check_observations(len(base["observations"]), locator)
    merged = MergedLocator(locator.file, pending=[*base_locator.pending, *locator.pending])
    merged.sources[()] = (locator, ())
    merged_data, observations = _inherit(base, base_locator, data, locator, merged)
    problems: list[Problem] = []
    observations = _edit(data, locator, observations, merged_data.get("assessed_on"), problems)
    if problems:
        raise InputError(problems)
    chain.check_observations(len(observations), locator)
    merged_data["observations"] = [entry[0] for entry in observations]
    for index, (_, source_locator, source_path) in enumerate(observations):
        merged.sources[("observations", index)] = (source_locator, source_path)
    if "observations" not in data and "observations" in base:
        merged.sources[("observations",)] = _leaf(base_locator, ("observations",))
    else:
        merged.sources[("observations",)] = (locator, ("observations",) if "observations" in data else ())
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
