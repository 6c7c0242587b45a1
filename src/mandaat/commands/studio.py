"""`mandaat studio`: serve the studio on 127.0.0.1 until Ctrl-C or SIGTERM."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import stat
import webbrowser
from pathlib import Path
from typing import Any

from ..model.errors import InputError, MandaatError, safe
from ..model.rulebook import Rulebook
from ..model.words import word
from ..read.scenario import read_scenario
from ..read.source import os_problem
from ..studio.app import Studio, create_app
from ..studio.folder import Folder
from .console import Console

HOST = "127.0.0.1"


def listen(port: int, lang: str) -> socket.socket:
    """A listening socket on 127.0.0.1:``port`` (0: any free port)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((HOST, port))
        sock.listen(64)
    except OSError as exc:
        sock.close()
        raise MandaatError(word("studio_port_taken", lang).format(port=port, error=exc.strerror or exc)) from None
    return sock


def serve(app: Any, sock: socket.socket) -> None:
    """Run the server on ``sock`` until Ctrl-C or SIGTERM, then shut it down cleanly."""
    import uvicorn

    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        lifespan="off",
        server_header=False,
        date_header=False,
        timeout_graceful_shutdown=3,  # a browser's open connections must not keep a stopped studio alive
    )
    server = uvicorn.Server(config)
    stops: list[int] = []
    # The server stops on either signal and raises it again afterwards: let that land here, quietly.
    previous = {sig: signal.signal(sig, lambda number, _frame: stops.append(number)) for sig in _SIGNALS}
    try:
        if not stops:
            server.run(sockets=[sock])
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        sock.close()


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
        read_scenario(file, book)  # a scenario to fix is reported now, located
        folder, opened = Folder(file.parent), file.name
    sock = listen(port, lang)
    bound = sock.getsockname()[1]
    token = secrets.token_urlsafe(24)
    state = Studio(folder, book, lang, token, bound, opened)
    state.warm()
    url = f"http://{HOST}:{bound}/?token={token}"
    console.product(word("studio_serving", lang).format(url=url) + "\n")
    console.note(safe(word("studio_stop_hint", lang).format(folder=folder.root)))
    if browser:
        webbrowser.open(url)
    serve(create_app(state), sock)
    console.note(word("studio_stopped", lang))
    return 0
