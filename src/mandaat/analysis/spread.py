"""Independent evaluations of one search spread over worker processes (durable-rules is not thread-safe,
so each worker is a forked process with its own engine). Results come back in item order, so a search
gives the same answer whatever the number of workers; an error in one item is raised here as it would
have been in this process, and a worker the engine crashed in is an engine error."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from ..model.errors import EngineError
from .workers import run_cells

T = TypeVar("T")
R = TypeVar("R")
WORTH_SPREADING = 8  # fewer items than this are evaluated here: a fork costs more than it saves
WORTH_FORKING = 0.05  # seconds of work, at least, before workers are forked for it


def _captured(func: Callable[[T], R]) -> Callable[[T], tuple[str, Any]]:
    def run(item: T) -> tuple[str, Any]:
        try:
            return "value", func(item)
        except Exception as exc:  # raised again in the parent, as the same exception
            return "error", exc

    return run


def spread(
    func: Callable[[T], R],
    items: Sequence[T],
    jobs: int,
    progress: Callable[[int, int], None] | None = None,
    seconds_each: float = 1.0,
) -> list[R]:
    """``[func(item) for item in items]``, in ``jobs`` worker processes when there is enough work (by the
    caller's estimate of the seconds each item takes) to pay for the forks, else in this process."""
    worth = jobs > 1 and len(items) >= WORTH_SPREADING and len(items) * seconds_each >= WORTH_FORKING
    out: list[R] = []
    for done in run_cells(_captured(func), items, jobs if worth else 0, progress):
        if done.problem is not None:  # a worker died: the engine crashed
            raise EngineError(done.problem)
        kind, value = done.value
        if kind == "error":
            raise value
        out.append(value)
    return out
