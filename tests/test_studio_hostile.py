"""`mandaat studio` against a hostile local process and a careless user: the token kept out of other
processes' sight and out of cookies, connections capped and timed, bodies counted as they arrive, long
computations off the server's thread, large and edited scenarios, and a page without inline styles.

The tests that start many connections or wait out a deadline are marked `ci`.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import resource
import select
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from mandaat.model.rulebook import Rulebook
from mandaat.studio.app import Studio, create_app
from mandaat.studio.connections import MAX_CONNECTIONS, REQUEST_SECONDS
from mandaat.studio.draft import MAX_FACTS
from mandaat.studio.folder import Folder
from mandaat.studio.guard import MAX_BODY
from mandaat.studio.page import outcome_css

from .conftest import BASELINE
from .test_studio import (
    RULES,
    TOKEN,
    _asgi,
    _draft,
    _http,
    _page_data,
    _post,
    _request,
    _start,
    _stop,
    copy_scenarios,
    many,
)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return copy_scenarios(tmp_path)


@pytest.fixture
def app(book: Rulebook, folder: Path) -> Any:
    return create_app(Studio(Folder(folder), book, "en", TOKEN, 8765, BASELINE.name))


def _line(text: str, fragment: str) -> int:
    """The 1-based line of ``text`` on which ``fragment`` first appears."""
    return text[: text.index(fragment)].count("\n") + 1


# ---- the token: not in another process's command line, not in a cookie ----

FAKE_BROWSER = """#!{python}
import json, os, stat, sys
from urllib.parse import unquote, urlparse
seen = {{"argv": sys.argv}}
if sys.argv[-1].startswith("file://"):
    path = unquote(urlparse(sys.argv[-1]).path)
    page, folder = os.stat(path), os.stat(os.path.dirname(path))
    with open(path, encoding="utf-8") as handle:
        seen.update(text=handle.read(), path=path, owner=page.st_uid)
    seen.update(mode=stat.S_IMODE(page.st_mode), folder_mode=stat.S_IMODE(folder.st_mode))
with open(os.environ["FAKE_BROWSER_LOG"], "w", encoding="utf-8") as handle:
    json.dump(seen, handle)
"""


def _environment(**changes: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("BROWSER", "DISPLAY", "WAYLAND_DISPLAY")}
    return {**env, **changes}


def test_the_browser_is_given_a_private_file_not_the_token(folder: Path, tmp_path: Path) -> None:
    """The browser's command line (which `ps` shows every local user) holds the path of a file that only
    the user can read, in a folder only the user can enter; the file sends the browser on to the address
    with the token, and it is gone when the studio stops."""
    browser, log = tmp_path / "fake-browser", tmp_path / "browser.json"
    browser.write_text(FAKE_BROWSER.format(python=sys.executable), encoding="utf-8")
    browser.chmod(0o755)
    env = _environment(BROWSER=str(browser), FAKE_BROWSER_LOG=str(log))
    process, url = _start(folder, str(folder / BASELINE.name), browser=True, env=env)
    try:
        deadline = time.monotonic() + 30
        while not log.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        seen = json.loads(log.read_text(encoding="utf-8"))
        assert _http(url, "GET", "/?" + url.split("?", 1)[1])[0] == 200  # serving: it may be stopped
    finally:
        code, err = _stop(process)
    token = url.split("token=")[1]
    assert code == 0, err
    assert token not in " ".join(seen["argv"]) and seen["argv"][-1].startswith("file://")
    assert seen["mode"] == 0o600 and seen["folder_mode"] == 0o700 and seen["owner"] == os.getuid()
    assert f'content="0;url={url}"' in seen["text"] and f'href="{url}"' in seen["text"]
    assert not Path(seen["path"]).exists() and not Path(seen["path"]).parent.exists()


def test_without_a_browser_the_studio_says_so_on_stdout(folder: Path, tmp_path: Path) -> None:
    """Where no browser can be opened, stdout says so after the address (in the studio's language)."""
    empty = tmp_path / "no-programs"
    empty.mkdir()
    process, url = _start(
        folder, str(folder / BASELINE.name), browser=True, lang="nl", env=_environment(PATH=str(empty))
    )
    try:
        assert _http(url, "GET", "/?" + url.split("?", 1)[1])[0] == 200  # serving: it may be stopped
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    line = out.splitlines()[0] if out else ""
    assert line == "Er kon geen browser worden geopend; open het adres hierboven zelf in uw browser."


def test_no_cookie_carries_the_token(app: Any) -> None:
    """Cookies go to every port of 127.0.0.1, so the studio sets none and accepts none: the page is
    asked for with the token in its address, its script and styles with the token in theirs."""
    status, headers, page = _asgi(app, "GET", f"/?token={TOKEN}")
    assert status == 200 and "set-cookie" not in headers
    for name in ("studio.js", "studio.css", "outcomes.css"):
        assert f"/static/{name}?token={TOKEN}".encode() in page
        assert _asgi(app, "GET", f"/static/{name}?token={TOKEN}")[0] == 200
        assert _asgi(app, "GET", f"/static/{name}", cookie=f"mandaat_studio={TOKEN}")[0] == 403
    assert _asgi(app, "GET", "/", cookie=f"mandaat_studio={TOKEN}")[0] == 403


# ---- connections and bodies ----


def test_a_chunked_body_is_counted_as_it_arrives(app: Any) -> None:
    """A body without a length (chunked) is refused as soon as it passes the limit, not after it has
    all been read into memory: the studio stops asking for more."""
    chunk = b" " * (1 << 20)
    pulled: list[int] = []

    async def run() -> list[Any]:
        sent: list[Any] = []

        async def receive() -> dict[str, Any]:
            if len(pulled) == 200:  # 200 MB are sent: the client waits for the answer
                await asyncio.Event().wait()
            pulled.append(len(chunk))
            return {"type": "http.request", "body": chunk, "more_body": len(pulled) < 200}

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        scope = {
            "type": "http",
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": "/api/evaluate",
            "raw_path": b"/api/evaluate",
            "query_string": b"",
            "root_path": "",
            "headers": [
                (b"host", b"127.0.0.1"),
                (b"transfer-encoding", b"chunked"),
                (b"x-mandaat-token", b"test-token"),
            ],
        }
        await asyncio.wait_for(app(scope, receive, send), 30)
        return sent

    sent = asyncio.run(run())
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    assert start["status"] == 413 and json.loads(body) == {"error": "the request is too large"}
    assert (b"connection", b"close") in start["headers"]
    assert sum(pulled) <= MAX_BODY + len(chunk)


def test_a_page_gone_before_its_body_is_in_is_let_go(app: Any) -> None:
    """A client that closes its connection half-way through a body gets no answer and leaves nothing on
    stderr (no exception reaches the server)."""

    async def run() -> list[Any]:
        sent: list[Any] = []
        messages = [{"type": "http.request", "body": b'{"file"', "more_body": True}, {"type": "http.disconnect"}]

        async def receive() -> dict[str, Any]:
            return messages.pop(0) if messages else {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        scope = {
            "type": "http",
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": "/api/evaluate",
            "raw_path": b"/api/evaluate",
            "query_string": b"",
            "root_path": "",
            "headers": [(b"host", b"127.0.0.1"), (b"content-length", b"1000"), (b"x-mandaat-token", b"test-token")],
        }
        await app(scope, receive, send)
        return sent

    sent = asyncio.run(run())
    assert next(m for m in sent if m["type"] == "http.response.start")["status"] == 400


def _children() -> list[int]:
    """This process's child processes (exited but not reaped ones too)."""
    me, found = os.getpid(), []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == me:
                found.append(int(entry))
    return found


async def _until(check: Callable[[], Any], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "waited in vain"
        await asyncio.sleep(0.01)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="counts child processes through /proc")
def test_a_long_computation_does_not_hold_up_the_verdict(book: Rulebook, folder: Path) -> None:
    """On a 500-observation scenario the tipping points take seconds: while they are computed the verdict
    of a change is answered, and when the page goes away their child process is stopped."""
    path = many(folder, MAX_FACTS)
    app = create_app(Studio(Folder(folder), book, "en", TOKEN, 8765, path.name))
    draft = _draft(book, path).model_dump()
    moved = json.loads(json.dumps(draft))
    moved["observations"][0]["value"] = 1
    assert _children() == []

    async def run() -> tuple[float, bool, int, int]:
        leave = asyncio.Event()
        marks = asyncio.ensure_future(
            _request(app, "POST", "/api/marks", body=draft, leave=leave, x_mandaat_token=TOKEN)
        )
        await _until(_children, 30)  # the tipping points are being computed
        started = time.perf_counter()
        status, _, answer = await asyncio.wait_for(
            _request(app, "POST", "/api/evaluate", body=moved, x_mandaat_token=TOKEN), 60
        )
        took, computing = time.perf_counter() - started, not marks.done()
        assert status == 200 and json.loads(answer)["verdicts"]["syria"] == "at_risk"
        leave.set()  # the page goes away
        stopped = (await asyncio.wait_for(marks, 30))[0]
        await _until(lambda: not _children(), 10)
        return took, computing, status, stopped

    took, computing, status, stopped = asyncio.run(run())
    assert computing and took < 5, took
    assert stopped == 503 and _children() == []


# ---- scenarios the studio cannot open, and files changed while open ----


def test_a_scenario_over_the_limit_is_refused_in_words(app: Any, book: Rulebook, folder: Path) -> None:
    """More observations than the studio opens (valid for `evaluate`): the page and the command say the
    limit, located at the file's observations; no internal error."""
    path = many(folder, MAX_FACTS + 100)
    status, _, page = _asgi(app, "GET", f"/?token={TOKEN}&file={path.name}")
    data = _page_data(page)
    line = _line(path.read_text(encoding="utf-8"), "observations:")
    assert status == 200 and data["draft"] is None
    assert data["problem"] == (
        f"{path.name}:{line} observations: {MAX_FACTS + 100} observations: the studio opens scenarios of at "
        f"most {MAX_FACTS} observations (for this scenario use mandaat evaluate, whatif, flips or sweep on the "
        "command line)"
    )
    result = subprocess.run(
        [sys.executable, "-m", "mandaat", "--rules", RULES, "studio", str(path), "--no-browser", "--lang", "en"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1 and result.stdout == ""
    assert f"many.yaml:{line} observations: {MAX_FACTS + 100} observations" in result.stderr
    assert "Traceback" not in result.stderr and "nternal" not in result.stderr
    draft = _draft(book, folder / BASELINE.name).model_dump()
    added = {"indicator": "attacks_from_syria_per_week", "value": 1, "grade": "A1", "date": "2018-04-10"}
    draft["observations"] += [{"id": f"studio-{i}", **added} for i in range(MAX_FACTS)]
    status, answer = _post(app, "evaluate", draft)
    assert status == 422 and answer["error"] == (
        f"the studio keeps at most {MAX_FACTS} observations; remove one before you add another"
    )


def test_a_file_edited_while_open_is_reported_at_its_lines(app: Any, book: Rulebook, folder: Path) -> None:
    """The page has the April scenario open; in an editor someone leaves an empty `-` item and a
    judgment without `holds`. Every call says where, at the file's real lines; none is an internal error."""
    draft = _draft(book, folder / BASELINE.name).model_dump()
    text = BASELINE.read_text(encoding="utf-8")
    text = text.replace("observations:\n  - id: attacks-from-syria", "observations:\n  -\n  - id: attacks-from-syria")
    text = text.replace("    holds: true\n", "", 1)
    (folder / BASELINE.name).write_text(text, encoding="utf-8")
    empty, judgment = _line(text, "  -\n"), _line(text, "  - term: proportionality")
    expected = [
        f"{BASELINE.name}:{empty} observations[0]: is an empty list item (remove the lone `-`)",
        f"{BASELINE.name}:{judgment} judgments[0]: `holds` is required (add `holds: ...`)",
        "2 problems found; nothing was evaluated.",
    ]
    for name, body in (
        ("evaluate", draft),
        ("marks", draft),
        ("save", {"draft": draft, "name": "Variant"}),
        ("export", {"draft": draft, "format": "text"}),
        ("grid", {"draft": draft, "x": "attacks_from_syria_per_week", "y": "crossings_syria_to_iraq_per_week"}),
    ):
        status, answer = _post(app, name, body)
        assert status == 422 and answer["error"].splitlines() == expected, (name, answer)
    status, _, page = _asgi(app, "GET", f"/?token={TOKEN}&file={BASELINE.name}")
    assert status == 200 and _page_data(page)["problem"].splitlines() == expected
    assert not (folder / "variant.yaml").exists()


def test_a_value_the_page_changed_is_located_at_its_observation(app: Any, book: Rulebook, folder: Path) -> None:
    """A value the page sends that the scenario cannot hold is reported at the line of the observation it
    changes, with that observation's path in the file; one the page added has no line in the file."""
    draft = _draft(book, folder / BASELINE.name).model_dump()
    draft["observations"][4]["value"] = -3  # crossings, below the indicator's minimum
    draft["observations"].append(
        {"id": "studio-1", "indicator": "attacks_from_syria_per_week", "value": -1, "grade": "A1", "date": "2018-04-10"}
    )
    status, answer = _post(app, "evaluate", draft)
    text = BASELINE.read_text(encoding="utf-8")
    line = _line(text, "    value: 7\n")  # the crossings' value in the file
    lines = answer["error"].splitlines()
    added = len(draft["observations"]) - 1
    assert status == 422 and len(lines) == 3, answer
    assert lines[0].startswith(f"{BASELINE.name} observations[{added}].value: -1 is outside the range")
    assert lines[1].startswith(f"{BASELINE.name}:{line} observations[4].value: -3 is outside the range")


# ---- the content-security policy ----


def test_the_panel_colours_its_statuses_by_class(app: Any, book: Rulebook, folder: Path) -> None:
    """The page's policy (`style-src 'self'`) drops inline styles: the panel has none, and every status
    and verdict it names has its classes in the page's styles."""
    draft = _draft(book, folder / BASELINE.name).model_dump()
    draft["observations"][0]["value"] = 1
    status, answer = _post(app, "evaluate", draft)
    assert status == 200 and "style=" not in answer["panel"]
    css = outcome_css(book)
    named = set(re.findall(r'class="(?:status|swatch) ([to])-([a-z_]+)"', answer["panel"]))
    assert named and all(f".{kind}-{name}{{" in css for kind, name in named)
    assert {"at_risk", "weakening"} <= {name for _kind, name in named}


# ---- a real server under a flood of connections ----


@pytest.mark.ci
def test_half_sent_requests_do_not_freeze_the_studio(folder: Path) -> None:
    """1,100 connections that never finish their request, against a studio limited to 1,024 descriptors:
    the studio still answers at once, says once that it closes connections, and nothing floods stderr."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 1300:
        pytest.skip("this process may not open 1,300 descriptors")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, 1300), hard))
    process, url = _start(folder, str(folder / BASELINE.name))
    held: list[socket.socket] = []
    try:
        resource.prlimit(process.pid, resource.RLIMIT_NOFILE, (1024, 1024))
        port, token = int(url.split(":")[2].split("/")[0]), url.split("token=")[1]
        for _ in range(1100):
            try:
                connection = socket.create_connection(("127.0.0.1", port), timeout=5)
                held.append(connection)
                connection.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            except OSError:  # closed for the cap already, or waiting in the kernel's queue
                continue
        started = time.perf_counter()
        with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
            connection.sendall(f"GET /?token={token} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
            head = connection.recv(100)
        took = time.perf_counter() - started
    finally:
        for connection in held:
            connection.close()
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
        code, err = _stop(process)
    assert head.startswith(b"HTTP/1.1 200") and took < 5, (head, took)
    assert code == 0 and len(err) < 2000, err[:2000]
    capped = f"more than {MAX_CONNECTIONS} connections at once; the oldest waiting ones are closed (said once)."
    assert err.count(capped) == 1 and "Traceback" not in err


def _descriptors(pid: int) -> list[str]:
    found = []
    for entry in Path(f"/proc/{pid}/fd").iterdir():
        try:
            found.append(os.readlink(entry))
        except OSError:
            continue
    return found


@pytest.mark.ci
def test_the_studio_stops_at_once_during_a_long_computation(book: Rulebook, folder: Path) -> None:
    """SIGTERM while the tipping points of a 500-observation scenario are computed: the computing child,
    which holds none of the server's sockets, is stopped, and the studio ends at once, cleanly."""
    path = many(folder, MAX_FACTS)
    process, url = _start(folder, str(path))
    port, token = int(url.split(":")[2].split("/")[0]), url.split("token=")[1]
    draft = json.dumps(_draft(book, path).model_dump()).encode()
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.sendall(
            f"POST /api/marks HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Mandaat-Token: {token}\r\n"
            f"Content-Length: {len(draft)}\r\n\r\n".encode()
            + draft
        )
        deadline, children = time.monotonic() + 30, []
        while not children and time.monotonic() < deadline:
            time.sleep(0.05)
            children = [int(p) for p in Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()]
        assert len(children) == 1
        held = _descriptors(children[0])
        started = time.perf_counter()
        code, err = _stop(process)
        took = time.perf_counter() - started
        answer = connection.recv(100)
    assert not [d for d in held if d.startswith("socket:")], held
    assert code == 0 and took < 3 and err.endswith("mandaat studio has stopped.\n") and "Traceback" not in err
    assert answer.startswith(b"HTTP/1.1 503") and not Path(f"/proc/{children[0]}").exists()


@pytest.mark.ci
def test_a_request_must_arrive_whole_in_time(folder: Path) -> None:
    """A request whose head never ends, and one whose body trickles in a byte at a time, are closed once
    the deadline has passed since their first byte: trickling does not put it off."""
    process, url = _start(folder, str(folder / BASELINE.name))
    port, token = int(url.split(":")[2].split("/")[0]), url.split("token=")[1]
    closed: dict[str, float] = {}
    try:
        head = socket.create_connection(("127.0.0.1", port), timeout=5)
        head.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: ")
        body = socket.create_connection(("127.0.0.1", port), timeout=5)
        body.sendall(
            f"POST /api/evaluate HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Mandaat-Token: {token}\r\n"
            "Content-Length: 1000\r\n\r\n{".encode()
        )
        started = time.perf_counter()
        open_ = {"head": head, "body": body}
        while open_ and time.perf_counter() - started < REQUEST_SECONDS + 10:
            readable, _, _ = select.select(list(open_.values()), [], [], 0.5)
            for name, connection in list(open_.items()):
                try:
                    if connection in readable and not connection.recv(1000):
                        raise ConnectionResetError
                    connection.sendall(b"a")
                except OSError:
                    closed[name] = time.perf_counter() - started
                    connection.close()
                    del open_[name]
        for connection in open_.values():
            connection.close()
    finally:
        code, err = _stop(process)
    assert set(closed) == {"head", "body"}, closed
    assert all(REQUEST_SECONDS - 1 < took < REQUEST_SECONDS + 3 for took in closed.values()), closed
    assert code == 0, err
