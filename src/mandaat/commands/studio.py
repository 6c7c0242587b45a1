"""`mandaat studio`: serve the studio on 127.0.0.1 until Ctrl-C or SIGTERM."""

from __future__ import annotations

import asyncio
import errno
import os
import secrets
import shutil
import signal
import socket
import stat
import tempfile
import webbrowser
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..model.errors import InputError, MandaatError, safe
from ..model.rulebook import Rulebook
from ..model.words import word
from ..read.source import os_problem
from ..read.variants import resolve
from ..studio.app import Studio, create_app
from ..studio.connections import BACKLOG, MAX_CONNECTIONS, guarded_protocol
from ..studio.draft import opened as studio_scenario
from ..studio.folder import Folder
from ..studio.page import redirect_page
from .console import Console

HOST = "127.0.0.1"


def listen(port: int, lang: str) -> socket.socket:
    """A listening socket on 127.0.0.1:``port`` (0: any free port)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((HOST, port))
        sock.listen(BACKLOG)
    except OSError as exc:
        sock.close()
        raise MandaatError(word("studio_port_taken", lang).format(port=port, error=exc.strerror or exc)) from None
    return sock


def serve(app: Any, sock: socket.socket, stopping: Callable[[], None], note: Callable[[str], None], lang: str) -> None:
    """Run the server on ``sock`` until Ctrl-C or SIGTERM, then shut it down cleanly (``stopping`` is
    called first, to end the work in progress). Its connections are guarded (:mod:`..studio.connections`);
    what goes wrong in the event loop is said once per kind, never once per connection."""
    import uvicorn

    class Server(uvicorn.Server):
        async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
            stopping()
            await super().shutdown(sockets)

    def capped() -> None:
        note(word("studio_connections_capped", lang).format(max=MAX_CONNECTIONS))

    config = uvicorn.Config(
        app,
        http=guarded_protocol(capped),
        backlog=BACKLOG,
        log_level="error",
        access_log=False,
        lifespan="off",
        server_header=False,
        date_header=False,
        timeout_graceful_shutdown=3,  # a browser's open connections must not keep a stopped studio alive
    )
    server = Server(config)
    stops: list[int] = []
    # The server stops on either signal and raises it again afterwards: let that land here, quietly.
    previous = {sig: signal.signal(sig, lambda number, _frame: stops.append(number)) for sig in _SIGNALS}
    try:
        if not stops:
            asyncio.run(_serve(server, sock, _once(note, lang)))
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        sock.close()


async def _serve(server: Any, sock: socket.socket, handler: Callable[[Any, dict[str, Any]], None]) -> None:
    asyncio.get_running_loop().set_exception_handler(handler)
    await server.serve(sockets=[sock])


def _once(note: Callable[[str], None], lang: str) -> Callable[[Any, dict[str, Any]], None]:
    """An event-loop error handler that says each kind of trouble once (asyncio would report a failed
    accept for every waiting connection, many times a second, with its traceback)."""
    said: set[str] = set()

    def handler(_loop: Any, context: dict[str, Any]) -> None:
        exc = context.get("exception")
        if isinstance(exc, OSError) and exc.errno in (errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM):
            text = word("studio_out_of_resources", lang).format(error=exc.strerror or exc)
        else:
            text = safe(f"mandaat studio: {context.get('message') or exc}")
        if text not in said:
            said.add(text)
            note(text)

    return handler


def open_browser(url: str, lang: str, console: Console) -> Path:
    """Open the studio in the user's browser through a private file that redirects to ``url``, as
    Jupyter does: the token stays out of the browser's command line, which every local user can read
    (`ps`). The file is readable by the user alone, in a folder of the user alone; that folder is
    returned, to be removed when the studio stops. Says so on stdout when no browser could be opened."""
    folder = Path(tempfile.mkdtemp(prefix="mandaat-studio-"))  # mode 0700
    page = folder / "open.html"
    fd = os.open(page, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(redirect_page(url, lang))
    try:
        shown = webbrowser.open(page.as_uri())
    except webbrowser.Error:
        shown = False
    if not shown:
        console.product(word("studio_no_browser", lang) + "\n")
    return folder


_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def _is_folder(file: Path) -> bool:
    """Whether ``file`` is a folder; a name the system cannot use (too long, say) is a located error, as
    `evaluate` gives it, and a file that is not there is left to the reader to say so."""
    try:
        return stat.S_ISDIR(os.stat(file).st_mode)
    except FileNotFoundError:
        return False
    except (OSError, ValueError) as exc:
        raise InputError([os_problem(str(file), exc)]) from None


def studio(
    book: Rulebook, console: Console, file: Path | None, port: int = 0, lang: str = "nl", browser: bool = True
) -> int:
    """Serve the studio on the folder of ``file`` (opening it), or on ``file`` itself when it is a
    folder, or on the current folder."""
    opened = None
    if file is None:
        folder = Folder(Path.cwd())
    elif _is_folder(file):
        folder = Folder(file)
    else:
        studio_scenario(*resolve(file), book)  # a scenario to fix, or too large to open, is reported now
        folder, opened = Folder(file.parent), file.name
    sock = listen(port, lang)
    bound = sock.getsockname()[1]
    token = secrets.token_urlsafe(24)
    state = Studio(folder, book, lang, token, bound, opened)
    state.warm()
    url = f"http://{HOST}:{bound}/?token={token}"
    console.product(word("studio_serving", lang).format(url=url) + "\n")
    console.note(safe(word("studio_stop_hint", lang).format(folder=folder.root)))
    private = open_browser(url, lang, console) if browser else None
    try:
        serve(create_app(state), sock, state.stop, console.note, lang)
    finally:
        if private is not None:
            shutil.rmtree(private, ignore_errors=True)
    console.note(word("studio_stopped", lang))
    return 0
