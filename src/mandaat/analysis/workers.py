"""A pool of forked worker processes for searches that evaluate many cells (``mandaat sweep``).

durable-rules is not thread-safe, so parallel work uses processes, each with its own engine. Every worker
gets a list of cells, computes them in order and reports each one as soon as it is done. When a worker
dies (the C engine crashed), the first cell it had not reported is the one it died on: that cell is marked
crashed and a new worker takes over the rest, so no cell is lost and none is reported twice. An exception
inside a cell is that cell's problem, reported as text. On systems without ``os.fork`` the cells are
computed in this process.
"""

from __future__ import annotations

import os
import pickle
import selectors
import signal
import struct
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

_HEADER = struct.Struct("!I")


@dataclass
class Done:
    """What became of one cell: its value, or the problem that stopped it."""

    value: Any = None
    problem: str | None = None  # an error text, or why the worker died
    crashed: bool = False  # the engine crashed or failed (not a problem of the input)


Classify = Callable[[BaseException], tuple[str, bool]]


def _default_classify(exc: BaseException) -> tuple[str, bool]:
    return f"{type(exc).__name__}: {exc}", True


def _compute(func: Callable[[Any], Any], item: Any, classify: Classify) -> Done:
    try:
        return Done(func(item))
    except Exception as exc:
        problem, crashed = classify(exc)
        return Done(problem=problem, crashed=crashed)


def _child(
    write_fd: int, func: Callable[[Any], Any], items: Sequence[Any], order: list[int], classify: Classify
) -> None:
    code = 0
    try:
        with os.fdopen(write_fd, "wb") as pipe:
            for index in order:
                data = pickle.dumps((index, _compute(func, items[index], classify)))
                pipe.write(_HEADER.pack(len(data)) + data)
                pipe.flush()
    except BaseException:
        code = 1
    finally:
        os._exit(code)


class _Worker:
    def __init__(self, func: Callable[[Any], Any], items: Sequence[Any], order: list[int], classify: Classify) -> None:
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child leaves through os._exit
            os.close(read_fd)
            _child(write_fd, func, items, order, classify)
        os.close(write_fd)
        self.pid, self.fd, self.pending, self.buffer = pid, read_fd, list(order), b""

    def frames(self, chunk: bytes) -> list[tuple[int, Done]]:
        self.buffer += chunk
        found: list[tuple[int, Done]] = []
        while len(self.buffer) >= _HEADER.size:
            (size,) = _HEADER.unpack_from(self.buffer)
            if len(self.buffer) < _HEADER.size + size:
                break
            found.append(pickle.loads(self.buffer[_HEADER.size : _HEADER.size + size]))
            self.buffer = self.buffer[_HEADER.size + size :]
        for index, _ in found:
            self.pending.remove(index)
        return found

    def death(self) -> str:
        os.close(self.fd)
        _, status = os.waitpid(self.pid, 0)
        if os.WIFSIGNALED(status):
            number = os.WTERMSIG(status)
            name = signal.Signals(number).name if number in signal.Signals._value2member_map_ else str(number)
            return f"the rule engine crashed ({name})"
        return f"the worker ended early (exit status {os.WEXITSTATUS(status)})"


def default_jobs() -> int:
    """One worker per processor this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def run_cells(
    func: Callable[[Any], Any],
    items: Sequence[Any],
    jobs: int,
    progress: Callable[[int, int], None] | None = None,
    classify: Classify = _default_classify,
) -> list[Done]:
    """``func`` over ``items`` in ``jobs`` worker processes (0: in this process), in item order."""
    total = len(items)
    results: list[Done | None] = [None] * total
    done = 0

    def record(index: int, result: Done) -> None:
        nonlocal done
        results[index] = result
        done += 1
        if progress:
            progress(done, total)

    if jobs <= 0 or not hasattr(os, "fork") or os.environ.get("MANDAAT_DEBUG"):
        for index, item in enumerate(items):
            record(index, _compute(func, item, classify))
        return [r for r in results if r is not None]
    selector = selectors.DefaultSelector()
    for w in range(min(jobs, total)):
        worker = _Worker(func, items, list(range(w, total, jobs)), classify)
        selector.register(worker.fd, selectors.EVENT_READ, worker)
    while selector.get_map():
        for key, _ in selector.select():
            worker = key.data
            chunk = os.read(worker.fd, 1 << 16)
            for index, result in worker.frames(chunk):
                record(index, result)
            if chunk:
                continue
            selector.unregister(worker.fd)
            reason = worker.death()
            if worker.pending:  # it died on its first unreported cell; a new worker does the rest
                record(worker.pending[0], Done(problem=reason, crashed=True))
                if worker.pending[1:]:
                    fresh = _Worker(func, items, worker.pending[1:], classify)
                    selector.register(fresh.fd, selectors.EVENT_READ, fresh)
    selector.close()
    return [r for r in results if r is not None]
