"""The studio's gate, an ASGI middleware in front of every request.

- Host: only ``127.0.0.1`` and ``localhost`` (with or without the studio's port) are answered, so a
  page on another site cannot reach the studio through DNS rebinding;
- token: every request carries the random token, in the ``X-Mandaat-Token`` header, or for a GET in
  the URL's ``token`` query (the page's own address and the addresses of its script and styles); a POST
  (every request that changes anything) only in the header, which another site's page cannot set. No
  cookie carries it: a browser sends the cookies of 127.0.0.1 to every port of 127.0.0.1, so any other
  local server would receive the token;
- a body announced as larger than ``MAX_BODY`` is refused before it is read (the application counts the
  bytes of a body that announces no length as they arrive);
- every answer forbids framing, sniffing, referrers, caching and anything loaded from elsewhere, and a
  refusal closes its connection.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qs

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

HEADER = b"x-mandaat-token"
MAX_BODY = 1_000_000
POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
]


def allowed_hosts(port: int) -> frozenset[str]:
    """The Host headers the studio answers."""
    names = ("127.0.0.1", "localhost")
    return frozenset([*names, *(f"{name}:{port}" for name in names)])


class Guard:
    """Refuse foreign hosts and requests without the token; add the security headers."""

    def __init__(self, app: ASGIApp, token: str, port: int, refused: str, forbidden: str) -> None:
        self.app = app
        self.token = token
        self.hosts = allowed_hosts(port)
        self.refused = refused
        self.forbidden = forbidden

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.app(scope, receive, send)
            return
        if scope["type"] != "http":  # no websockets
            return
        headers = dict(scope.get("headers") or [])
        if headers.get(b"host", b"").decode("latin-1").lower() not in self.hosts:
            await _plain(send, 403, self.refused)
            return
        if not self._authorised(scope, headers):
            await _plain(send, 403, self.forbidden)
            return
        length = headers.get(b"content-length", b"0")
        if not length.isdigit() or int(length) > MAX_BODY:
            await _plain(send, 413, "")
            return

        async def secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, secured)

    def _authorised(self, scope: Scope, headers: dict[bytes, bytes]) -> bool:
        if self._matches(headers.get(HEADER, b"").decode("latin-1")):
            return True
        if scope.get("method") != "GET":
            return False
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        return any(self._matches(value) for value in query.get("token", []))

    def _matches(self, given: str) -> bool:
        return bool(given) and secrets.compare_digest(given.encode(), self.token.encode())


async def _plain(send: Send, status: int, text: str) -> None:
    body = text.encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
                *SECURITY_HEADERS,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
