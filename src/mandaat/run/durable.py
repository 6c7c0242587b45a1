"""The durable-rules adapter: the only module that imports durable.

durable-rules 2.0.28 is unmaintained and has traps (see docs/engine.md). This adapter:
- keeps one Host per process, never touches ``durable.lang``, and switches the Host's timer threads off;
- registers each distinct ruleset once and evaluates every scenario in one fixed session id, deleting
  that session afterwards (durable caps live sessions at 1,024 and matches them by a 32-bit hash);
- asserts facts one at a time, in the canonical order :mod:`mandaat.facts` gives, then opens each stage
  with a gate fact so that negations only see complete stages;
- records every firing on the Python side and re-raises any exception raised inside an action, which
  durable would otherwise swallow into the session state;
- refuses to be entered from two threads at once (a shared C engine segfaults).
It computes firings; it writes no prose and draws no conclusions.
"""

from __future__ import annotations

import copy
import json
import threading
from collections.abc import Callable
from typing import Any

from durable.engine import Host, MessageNotHandledException, MessageObservedException

from ..model.errors import EngineError
from ..model.firing import Firing
from ..model.rulebook import STAGES, Rule, Rulebook
from .actions import derived_fact, strip
from .compile import compile_rulebook, gate_fact

SESSION = "mandaat"


class _Run:
    """The state of the evaluation in progress."""

    def __init__(self) -> None:
        self.firings: list[Firing] = []
        self.errors: list[BaseException] = []


class _QuietHost(Host):  # type: ignore[misc]
    """A Host without timer threads, whose actions come from a registry."""

    def __init__(self, resolve: Callable[[str], Callable[[Any], None]]) -> None:
        self._resolve = resolve  # must exist before Host.__init__ resolves action names
        super().__init__()

    def _run(self) -> None:
        """Start no timer threads: every action runs synchronously inside assert_fact."""

    def get_action(self, action_name: str) -> Callable[[Any], None]:
        return self._resolve(action_name)


class Engine:
    """Evaluates facts against compiled rulebooks on the process's single durable Host."""

    def __init__(self) -> None:
        self._host = _QuietHost(self._action_for)
        self._rulesets: dict[str, dict[str, Rule]] = {}
        self._names: dict[int, tuple[Rulebook, str]] = {}  # id(book) -> (book, ruleset name)
        self._registering: dict[str, Rule] = {}
        self._run: _Run | None = None
        self._lock = threading.Lock()

    def _action_for(self, name: str) -> Callable[[Any], None]:
        rule = self._registering[name]

        def action(c: Any) -> None:
            run = self._run
            if run is None:  # pragma: no cover - would mean durable fired outside an evaluation
                raise EngineError(f"rule {name} fired outside an evaluation")
            try:
                matched = {alias: strip(dict(fact)) for alias, fact in c._m.items()}
                run.firings.append(Firing(name, matched))
                fact = derived_fact(rule, matched)
                if fact is not None:
                    try:
                        c.assert_fact(fact)
                    except (MessageNotHandledException, MessageObservedException):
                        # No rule consumes this fact, or an identical one is already known
                        # (two rules establishing the same status): nothing to add.
                        pass
            except BaseException as exc:  # durable would swallow it into state["exception"]
                run.errors.append(exc)
                raise

        return action

    def _ruleset_for(self, book: Rulebook) -> str:
        known = self._names.get(id(book))
        if known is not None and known[0] is book:
            return known[1]
        name, definition = compile_rulebook(book)
        if name not in self._rulesets:
            rules = {rule.id: rule for rule in book.rules}
            self._registering = rules
            try:
                self._host.register_rulesets({name: copy.deepcopy(definition)})
            except Exception as exc:
                raise EngineError(f"durable-rules refused the rulebook: {exc}") from exc
            finally:
                self._registering = {}
            self._rulesets[name] = rules
        self._names[id(book)] = (book, name)
        return name

    def evaluate(self, book: Rulebook, facts: list[dict[str, Any]]) -> list[Firing]:
        """Assert ``facts`` in order, open every stage, and return the firings in order."""
        if not self._lock.acquire(blocking=False):
            raise EngineError("the rule engine is already evaluating in another thread")
        try:
            name = self._ruleset_for(book)
            run = self._run = _Run()
            try:
                for fact in facts:
                    self._assert(name, fact, run)
                for number in range(1, len(STAGES)):
                    self._assert(name, gate_fact(number), run)
                state = self._host.get_state(name, SESSION)
                if state.get("exception"):
                    raise EngineError(f"an action failed inside the engine: {state['exception']}")
                return run.firings
            finally:
                self._run = None
                try:
                    self._host.delete_state(name, SESSION)
                except Exception:  # the session may never have been created
                    pass
        finally:
            self._lock.release()

    def _assert(self, name: str, fact: dict[str, Any], run: _Run) -> None:
        try:
            self._host.assert_fact(name, {**fact, "sid": SESSION})
        except MessageNotHandledException:
            pass  # a fact no rule looks at (an unused parameter, say) is simply not stored
        except MessageObservedException as exc:
            raise EngineError(f"fact asserted twice: {json.dumps(fact)}") from exc
        except EngineError:
            raise
        except Exception as exc:
            raise EngineError(f"durable-rules failed on {json.dumps(fact, ensure_ascii=False)}: {exc}") from exc
        if run.errors:
            error = run.errors[0]
            raise EngineError(f"an action failed inside the engine: {error!r}") from error


_ENGINE: Engine | None = None


def engine() -> Engine:
    """The process's engine (one durable Host per process)."""
    global _ENGINE
    if _ENGINE is None:
        _ENGINE = Engine()
    return _ENGINE
