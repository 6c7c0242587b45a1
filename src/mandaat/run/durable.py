"""The durable-rules adapter: the only module that imports durable.

durable-rules 2.0.28 is unmaintained and has traps (see docs/engine.md). This adapter:
- keeps one Host per process, never touches ``durable.lang``, and switches the Host's timer threads off;
- registers each distinct ruleset once and evaluates every scenario in one fixed session id, deleting
  that session afterwards (durable caps live sessions at 1,024 and matches them by a 32-bit hash);
- asserts the base facts as one batch, in the canonical order :mod:`mandaat.run.facts` gives, then opens
  each stage with a gate fact so that negations only see complete stages;
- runs the agenda itself, synchronously, right after each assertion (``Host.assert_facts`` is overridden):
  one JSON text in per batch or derived fact, one out per firing, and none of the stock per-firing state
  re-serialisation; the stock Python layer would defer a batch's actions to a timer thread instead;
- records every firing on the Python side and raises any exception from an action (the stock layer would
  swallow it into the session state);
- refuses to be entered from two threads at once (a shared C engine segfaults).
It computes firings; it writes no prose and draws no conclusions.
"""

from __future__ import annotations

import gc
import json
import threading
from collections.abc import Callable
from typing import Any

from durable import engine as _durable
from durable.engine import Host, MessageObservedException

from ..model.errors import EngineError
from ..model.firing import Firing
from ..model.rulebook import STAGES, Rule, Rulebook, constants
from .actions import ENGINE_KEYS, derived_fact
from .compile import compile_rulebook, gate_fact

SESSION = "mandaat"
_C = _durable.durable_rules_engine  # the C extension durable.engine itself drives
_OBSERVED = 2  # durable's result code for "already known" (1, "no rule uses it", needs nothing done)
_DECODER: Any = json.decoder.JSONDecoder()
_scan: Callable[[str, int], tuple[Any, int]] = _DECODER.scan_once  # durable's messages are compact JSON


def _loads(text: str) -> Any:
    return _scan(text, 0)[0]


def _json_encoder() -> Callable[[Any], str]:
    """Compact ``json.dumps(value, ensure_ascii=False)``, with the C encoder made once, not on every call."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # pragma: no cover - CPython always has it
        return json.JSONEncoder(ensure_ascii=False, check_circular=False, separators=(",", ":")).encode
    encode = make(None, None, json.encoder.encode_basestring, None, ":", ",", False, False, True)
    return lambda value: "".join(encode(value, 0))


_dumps = _json_encoder()

# The gate facts that open each stage after the first (made once).
_GATES = [[{**gate_fact(number), "sid": SESSION}] for number in range(1, len(STAGES))]

Fire = Callable[[int, str, dict[str, dict[str, Any]]], None]


class _ActionFailed(Exception):
    """An exception raised while running a rule's action (carried out of the agenda loop)."""


def _never(c: Any) -> None:  # pragma: no cover - the adapter runs the agenda itself
    raise EngineError("an action ran outside the adapter's agenda")


class _QuietHost(Host):  # type: ignore[misc]
    """A Host without timer threads whose batch assertion runs the agenda synchronously, in this thread.

    Entered through the stock ``Host.assert_fact`` (a list goes to ``assert_facts``)."""

    def __init__(self, fire: Fire) -> None:
        self._fire = fire  # must exist before Host.__init__
        super().__init__()

    def _run(self) -> None:
        """Start no timer threads: every action runs synchronously inside assert_facts."""

    def get_action(self, action_name: str) -> Callable[[Any], None]:
        return _never

    def assert_facts(self, ruleset_name: str, facts: list[dict[str, Any]], complete: Any = None) -> None:
        """Assert ``facts`` in one call, then fire every rule the agenda holds, in the agenda's order."""
        if not facts:
            return
        handle = self.get_ruleset(ruleset_name)._handle
        code, offset = _C.assert_facts(handle, _dumps(facts))
        if code == _OBSERVED:
            raise MessageObservedException(facts)
        started = _C.start_action_for_state(handle, offset)
        if started is None:
            return
        message: str | None = started[1]
        try:
            while message is not None:
                ((name, matched),) = _loads(message).items()
                try:
                    self._fire(handle, name, matched)
                except Exception as exc:
                    raise _ActionFailed(exc) from exc
                message = _C.complete_and_start_action(handle, offset)
        except BaseException:
            _C.abandon_action(handle, offset)
            raise


class Engine:
    """Evaluates facts against compiled rulebooks on the process's single durable Host."""

    def __init__(self) -> None:
        self._host = _QuietHost(self._fire)
        self._rulesets: dict[str, dict[str, Rule]] = {}
        self._names: dict[int, tuple[Rulebook, str]] = {}  # id(book) -> (book, ruleset name)
        self._rules: dict[str, Rule] = {}
        self._consumed: frozenset[str] | None = None
        self._firings: list[Firing] | None = None
        self._lock = threading.Lock()

    def _fire(self, handle: int, name: str, matched: dict[str, dict[str, Any]]) -> None:
        """One firing: record it, and assert the fact its rule derives (if any)."""
        firings = self._firings
        if firings is None:  # pragma: no cover - would mean durable fired outside an evaluation
            raise EngineError(f"rule {name} fired outside an evaluation")
        for seen in matched.values():
            for key in ENGINE_KEYS:
                seen.pop(key, None)
        firings.append(Firing(name, matched))
        fact = derived_fact(self._rules[name], matched)
        if fact is not None and (self._consumed is None or fact["t"] in self._consumed):
            fact["sid"] = SESSION
            # Not handled (no rule consumes it) or observed (two rules establishing the same status):
            # nothing to add either way.
            _C.assert_fact(handle, _dumps(fact))

    def _ruleset_for(self, book: Rulebook) -> str:
        known = self._names.get(id(book))
        if known is not None and known[0] is book:
            return known[1]
        name, definition = compile_rulebook(book)
        if name not in self._rulesets:
            try:
                # durable deletes each rule's "run" key (and changes nothing else): a copy of each rule will do.
                self._host.register_rulesets({name: {rule_id: dict(rule) for rule_id, rule in definition.items()}})
            except Exception as exc:
                raise EngineError(f"durable-rules refused the rulebook: {exc}") from exc
            self._rulesets[name] = {rule.id: rule for rule in book.rules}
        self._names[id(book)] = (book, name)
        return name

    def evaluate(self, book: Rulebook, facts: list[dict[str, Any]]) -> list[Firing]:
        """Assert ``facts`` (in order, as one batch), open every stage, and return the firings in order."""
        if not self._lock.acquire(blocking=False):
            raise EngineError("the rule engine is already evaluating in another thread")
        collecting = gc.isenabled()
        gc.disable()  # an evaluation makes many small acyclic dicts: no collection while it runs
        try:
            name = self._ruleset_for(book)
            self._rules = self._rulesets[name]
            self._consumed = book.derived("consumed_types", consumed_types)
            batch = [{**fact, "sid": SESSION} for fact in facts]
            _refuse_duplicates(facts)
            firings = self._firings = []
            try:
                self._assert(name, batch)
                for gate in _GATES:
                    self._assert(name, gate)
                return firings
            finally:
                self._firings = None
                try:
                    self._host.delete_state(name, SESSION)
                except Exception:  # the session may never have been created
                    pass
        finally:
            if collecting:
                gc.enable()
            self._lock.release()

    def _assert(self, name: str, facts: list[dict[str, Any]]) -> None:
        try:
            self._host.assert_fact(name, facts)  # a list: the batch path of _QuietHost.assert_facts
        except MessageObservedException as exc:
            raise EngineError(f"fact asserted twice: {_dumps(facts)}") from exc
        except _ActionFailed as failed:
            error = failed.__cause__
            raise EngineError(f"an action failed inside the engine: {error!r}") from error
        except Exception as exc:
            raise EngineError(f"durable-rules failed on {_dumps(facts)}: {exc}") from exc


def consumed_types(book: Rulebook) -> frozenset[str] | None:
    """The fact types some rule's pattern names, or None when a pattern matches facts of any type. A
    derived fact of another type (a ``superseded`` record, say) can change no match, so the adapter
    records its firing but does not assert it."""
    found: set[str] = set()
    for rule in book.rules:
        for _alias, expr in rule.patterns():
            named = constants(expr, "t")
            if not named:
                return None
            found |= {str(t) for t in named}
    return frozenset(found)


def _refuse_duplicates(facts: list[dict[str, Any]]) -> None:
    """Two identical base facts would be one fact to durable: refuse them, as asserting one by one did."""
    keys = {(fact.get("t"), fact.get("ref"), fact.get("name")) for fact in facts}
    if len(keys) == len(facts):  # no two alike even in type, reference and name
        return
    seen: set[frozenset[tuple[str, Any]]] = set()
    for fact in facts:
        key = frozenset(fact.items())
        if key in seen:
            raise EngineError(f"fact asserted twice: {_dumps(fact)}")
        seen.add(key)


_ENGINE: Engine | None = None


def engine() -> Engine:
    """The process's engine (one durable Host per process)."""
    global _ENGINE
    if _ENGINE is None:
        _ENGINE = Engine()
    return _ENGINE
