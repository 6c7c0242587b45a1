"""The studio's connections, in front of uvicorn's HTTP protocol (h11).

uvicorn alone keeps a half-sent request open for ever and accepts connections until the process runs out
of descriptors, after which asyncio reports every failed accept on stderr. Any local process could do
that, token or not. Here:

- at most :data:`MAX_CONNECTIONS` are open at once: a new one beyond that closes the oldest that is
  waiting for its client (idle, or with its request half sent), so a page that sends its requests
  whole is still served; when every one is busy with a request, the new one is closed;
- every request must arrive whole, head and body, within :data:`REQUEST_SECONDS` of its first byte
  (or of the connection's opening), else its connection is closed;
- the first time connections are closed for the cap, that is said once, in the user's language.

The server's listening backlog is kept small as well (:data:`BACKLOG`), so that asyncio never takes
more connections at once than the cap can close.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

MAX_CONNECTIONS = 64
REQUEST_SECONDS = 10.0
BACKLOG = 64
_RECEIVED = (h11.DONE, h11.MUST_CLOSE, h11.CLOSED, h11.ERROR)  # the client has sent its request whole


def guarded_protocol(said_once: Callable[[], None]) -> type[asyncio.Protocol]:
    """uvicorn's h11 protocol with the cap and the deadline; ``said_once`` is called the first time the
    cap closes a connection."""
    told: list[bool] = []

    class Guarded(H11Protocol):
        _deadline: asyncio.TimerHandle | None = None
        _waiting_since = 0.0
        _refused = False

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            if len(self.connections) >= MAX_CONNECTIONS:
                if not told:
                    told.append(True)
                    said_once()
                if not _close_oldest_waiting(self.connections):
                    self._refused = True
                    transport.abort()
                    return
            super().connection_made(transport)
            self._watch()

        def connection_lost(self, exc: Exception | None) -> None:
            self._unwatch()
            if not self._refused:
                super().connection_lost(exc)

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            self._watch()

        def waiting(self) -> bool:
            """Whether the connection waits for its client (nothing asked, or a request not yet whole)."""
            return self.conn.their_state not in _RECEIVED

        def _watch(self) -> None:
            if not self.waiting():
                self._unwatch()
            elif self._deadline is None:
                self._waiting_since = time.monotonic()
                self._deadline = self.loop.call_later(REQUEST_SECONDS, self._expire)

        def _unwatch(self) -> None:
            if self._deadline is not None:
                self._deadline.cancel()
                self._deadline = None

        def _expire(self) -> None:
            self._deadline = None
            if self.waiting() and not self.transport.is_closing():
                self.transport.abort()

    return Guarded


def _close_oldest_waiting(connections: set[Any]) -> bool:
    """Close the connection that has waited longest for its client; False when none waits."""
    waiting = [c for c in connections if getattr(c, "waiting", None) and c.waiting()]
    if not waiting:
        return False
    oldest = min(waiting, key=lambda c: c._waiting_since)
    oldest._unwatch()
    oldest.transport.abort()
    connections.discard(oldest)
    return True
