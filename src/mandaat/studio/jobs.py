"""The studio's evaluations, off the server's event loop.

Each runs in a forked child (the pipeline's isolated engine, :mod:`mandaat.run.isolate`) while the event
loop goes on answering: the loop only waits for the child's pipe. So a long computation (the tipping
points or the map of a large scenario, seconds to tens of seconds) never holds up a quick one (the
verdict after a slider move). The work is bounded three ways:

- two lanes, each with at most so many children at once: quick (one evaluation: the verdict, a saved
  variant, an export) and long (many evaluations: the tipping points, the map); a request waits for a
  free place in its own lane only, and the long lane's children run at a lower priority (``nice``), so
  that on a busy machine the verdict still comes first;
- a child is killed when its request is cancelled (the page asked again, or went away);
- a child is killed when it runs past its lane's time, and the request gets an error saying so.

Forks are made from the event loop's thread, the server's only one, so no fork races with a thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from ..model.errors import MandaatError, said
from ..run.isolate import fork_isolated, isolated_result, isolates

T = TypeVar("T")
QUICK_CHILDREN, QUICK_SECONDS = 4, 120.0
LONG_CHILDREN, LONG_SECONDS, LONG_NICENESS = 2, 600.0, 10
_REAP_PAUSE = 0.002  # between looks at a child that has closed its pipe and is about to exit


@dataclass
class Lane:
    """At most ``children`` at once, each stopped after ``seconds``, each ``niceness`` below the server's
    priority."""

    children: int
    seconds: float
    niceness: int = 0
    _places: asyncio.Semaphore | None = field(default=None, repr=False)

    async def run(self, func: Callable[..., T], *args: Any) -> T:
        """``func(*args)`` in a forked child, awaited without blocking the loop."""
        if self._places is None:  # made inside the running loop
            self._places = asyncio.Semaphore(self.children)
        async with self._places:
            if not isolates():
                return func(*args)
            try:
                result: T = await asyncio.wait_for(_in_child(_niced, self.niceness, func, *args), self.seconds)
            except TimeoutError:
                raise MandaatError(said("studio_took_too_long", seconds=round(self.seconds))) from None
            return result


@dataclass
class Jobs:
    """The studio's two lanes."""

    quick: Lane = field(default_factory=lambda: Lane(QUICK_CHILDREN, QUICK_SECONDS))
    long: Lane = field(default_factory=lambda: Lane(LONG_CHILDREN, LONG_SECONDS, LONG_NICENESS))


def _niced(niceness: int, func: Callable[..., T], *args: Any) -> T:
    """In the child: lower its priority by ``niceness``, then compute."""
    if niceness and hasattr(os, "nice"):
        with contextlib.suppress(OSError):
            os.nice(niceness)
    return func(*args)


async def _in_child(func: Callable[..., Any], *args: Any) -> Any:
    loop = asyncio.get_running_loop()
    pid, fd = fork_isolated(func, args, close_fds=True)  # the child holds none of the server's sockets
    chunks: list[bytes] = []
    ended: asyncio.Future[None] = loop.create_future()

    def readable() -> None:
        try:
            chunk = os.read(fd, 1 << 16)
        except BlockingIOError:
            return
        except OSError:
            chunk = b""
        if chunk:
            chunks.append(chunk)
        else:
            loop.remove_reader(fd)
            if not ended.done():
                ended.set_result(None)

    reaped = False
    try:
        os.set_blocking(fd, False)
        loop.add_reader(fd, readable)
        await ended
        status = await _reaped(pid)
        reaped = True
    finally:
        loop.remove_reader(fd)
        os.close(fd)
        if not reaped:  # cancelled, timed out or failed: the child goes
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
    return isolated_result(b"".join(chunks), status)


async def _reaped(pid: int) -> int:
    """The exit status of ``pid``, which has closed its pipe and is leaving."""
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status
        await asyncio.sleep(_REAP_PAUSE)
