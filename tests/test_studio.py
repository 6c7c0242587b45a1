"""`mandaat studio`: the draft and its variant file, the application's gate, a real server, and a real
browser (headless Debian chromium through chromium-driver) moving the facts.

The browser tests are marked `ci`; they run under HYPOTHESIS_PROFILE=ci, skip when chromium is absent,
and fail when it is absent under CI=true.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from mandaat.model.rulebook import Rulebook
from mandaat.read.scenario import read_scenario
from mandaat.read.variants import resolve
from mandaat.studio.app import Studio, create_app
from mandaat.studio.draft import changes, draft_of, read_draft, scenario_of
from mandaat.studio.folder import Folder

from .conftest import BASELINE, CHROMIUM_FLAGS, ROOT, SCENARIOS

RULES = str(ROOT / "rules")
TOKEN = "test-token"
ATTACKS = "attacks-from-syria"
EVIL = """mandaat: 1
id: evil
title: "<script>window.pwned = 1</script> & co"
assessed_on: 2018-04-13
description: "<img src=x onerror=alert(1)>"
observations:
  - id: attacks
    indicator: attacks_from_syria_per_week
    value: 6
    date: 2018-04-13
    source: "<b>bold</b>"
    grade: B2
    quote: "</script><script>alert(1)</script>"
"""


def copy_scenarios(target: Path) -> Path:
    """``target`` with a copy of the shipped scenarios and one whose texts hold markup."""
    for path in SCENARIOS.glob("*.yaml"):
        shutil.copy(path, target / path.name)
    (target / "evil.yaml").write_text(EVIL, encoding="utf-8")
    return target


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the shipped scenarios (the studio writes variants and memos into its folder)."""
    return copy_scenarios(tmp_path)


def many(folder: Path, count: int, name: str = "many.yaml") -> Path:
    """The April 2018 scenario with attack counts on earlier dates added, ``count`` observations in all."""
    data = yaml.safe_load(BASELINE.read_text(encoding="utf-8"))
    observations = data["observations"]
    for i in range(count - len(observations)):
        day, month, year = 1 + i % 28, 1 + (i // 28) % 3, 2017 - (i // 84) % 100
        observations.append(
            {
                "id": f"o{i}",
                "indicator": "attacks_from_syria_per_week",
                "value": 6 + i % 10,
                "date": f"{year:04d}-{month:02d}-{day:02d}",
                "source": {"name": "Kabinet", "origin": "national"},
                "grade": "B2",
            }
        )
    data["id"] = Path(name).stem
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=200)
    (folder / name).write_text(re.sub(r"'(\d{4}-\d\d-\d\d)'", r"\1", text), encoding="utf-8")
    return folder / name


def _draft(book: Rulebook, path: Path) -> Any:
    data, _ = resolve(path)
    return draft_of(path.name, data, read_scenario(path, book), book)


def test_an_unchanged_draft_is_the_scenario_itself(book: Rulebook) -> None:
    """A freshly opened draft changes nothing and stands for the scenario as read."""
    for path in sorted(SCENARIOS.glob("*.yaml")):
        data, locator = resolve(path)
        draft = _draft(book, path)
        assert changes(data, draft, book, "nl") == {}, path.name
        assert scenario_of(data, locator, draft, book, "nl") == read_scenario(path, book), path.name


def test_a_draft_reads_back_from_its_variant_file(book: Rulebook, folder: Path) -> None:
    """Every kind of change (value, grade, date, removal, addition, theory, judgment, date of assessment)
    written as a variant resolves to the very scenario the draft stands for."""
    from mandaat.studio.draft import variant_text

    draft = _draft(book, folder / BASELINE.name).model_dump()
    draft["observations"][0]["value"] = 1
    draft["observations"][1]["grade"] = "C3"
    draft["observations"][2]["date"] = "2018-04-01"
    del draft["observations"][3]
    draft["observations"].append(
        {"id": "studio-1", "indicator": "unsc_measures_taken", "value": True, "grade": "A1", "date": "2018-04-10"}
    )
    draft.update(theory="no_effective_control", proportionality=None, assessed_on="2018-04-20")
    parsed = read_draft(draft)
    data, locator = resolve(folder / BASELINE.name)
    text = variant_text(BASELINE.name, data, parsed, "what-if-1", "What if", "en", book)
    (folder / "what-if-1.yaml").write_text(text, encoding="utf-8")
    expected = scenario_of(data, locator, parsed, book, "en", id="what-if-1", title="What if")
    assert read_scenario(folder / "what-if-1.yaml", book) == expected
    assert {"extends", "remove", "replace", "add", "theory", "judgments", "assessed_on"} <= set(
        __import__("yaml").safe_load(text)
    )


def _asgi(app: Any, method: str, path: str, host: str = "127.0.0.1", body: Any = None, **headers: str) -> Any:
    """One request to the ASGI application, in process: (status, headers, body)."""
    return asyncio.run(_request(app, method, path, host, body, **headers))


async def _request(
    app: Any,
    method: str,
    path: str,
    host: str = "127.0.0.1",
    body: Any = None,
    leave: asyncio.Event | None = None,
    **headers: str,
) -> tuple[int, dict[str, str], bytes]:
    """One request to the ASGI application in the running event loop, from a client that stays
    connected until the answer (or until ``leave`` is set): (status, headers, body)."""
    raw = b"" if body is None else json.dumps(body).encode()
    target, _, query = path.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": target,
        "raw_path": target.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [
            (b"host", host.encode()),
            (b"content-length", str(len(raw)).encode()),
            *((k.replace("_", "-").lower().encode(), v.encode()) for k, v in headers.items()),
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8765),
    }
    sent: list[dict[str, Any]] = []
    received: list[bool] = []

    async def receive() -> dict[str, Any]:
        if received:  # the body is in: the client waits for the answer, or leaves
            await (leave or asyncio.Event()).wait()
            return {"type": "http.disconnect"}
        received.append(True)
        return {"type": "http.request", "body": raw, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)
    start = next(m for m in sent if m["type"] == "http.response.start")
    data = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], {k.decode(): v.decode() for k, v in start["headers"]}, data


@pytest.fixture
def app(book: Rulebook, folder: Path) -> Any:
    return create_app(Studio(Folder(folder), book, "en", TOKEN, 8765, BASELINE.name))


def test_the_gate_refuses_foreign_hosts_and_requests_without_the_token(app: Any) -> None:
    """403 without the token, for a wrong token, for a foreign Host (DNS rebinding), and for a POST whose
    token is not in the header; the page with the token is served with a strict content policy."""
    assert _asgi(app, "GET", "/")[0] == 403
    assert _asgi(app, "GET", "/?token=wrong")[0] == 403
    assert _asgi(app, "GET", f"/?token={TOKEN}", host="evil.example")[0] == 403
    assert _asgi(app, "GET", f"/?token={TOKEN}", host="evil.example:8765")[0] == 403
    assert _asgi(app, "GET", "/static/studio.js")[0] == 403
    assert _asgi(app, "POST", f"/api/evaluate?token={TOKEN}", body={})[0] == 403
    assert _asgi(app, "POST", "/api/evaluate", body={}, cookie=f"mandaat_studio={TOKEN}")[0] == 403
    for host in ("127.0.0.1", "localhost", "127.0.0.1:8765", "localhost:8765"):
        status, headers, page = _asgi(app, "GET", f"/?token={TOKEN}", host=host)
        assert status == 200, host
    assert "default-src 'none'" in headers["content-security-policy"]
    assert b"http://" not in page and b"https://" not in page
    assert _asgi(app, "GET", f"/static/studio.js?token={TOKEN}")[0] == 200
    assert _asgi(app, "GET", "/api/save", x_mandaat_token=TOKEN)[0] == 405


def _page_data(page: bytes) -> Any:
    text = page.decode()
    start = text.index('id="studio-data">') + len('id="studio-data">')
    return json.loads(text[start : text.index("</script>", start)])


def _post(app: Any, name: str, body: Any) -> tuple[int, dict[str, Any]]:
    status, _, data = _asgi(app, "POST", f"/api/{name}", body=body, x_mandaat_token=TOKEN)
    return status, json.loads(data)


def test_the_application_evaluates_saves_and_exports(app: Any, book: Rulebook, folder: Path) -> None:
    """A change gives the new verdict; a saved variant reads back with the same verdicts and is never
    overwritten; a memo is written as a new file; the map and the tipping points answer."""
    draft = _draft(book, folder / BASELINE.name).model_dump()
    draft["observations"][0]["value"] = 1
    status, answer = _post(app, "evaluate", draft)
    assert status == 200 and answer["verdicts"]["syria"] == "at_risk"
    assert 'data-verdict="at_risk"' in answer["panel"]
    status, saved = _post(app, "save", {"draft": draft, "name": "Minder aanvallen"})
    assert status == 200 and saved == {
        "file": "minder-aanvallen.yaml",
        "verdicts": answer["verdicts"],
        "ms": saved["ms"],
    }
    before = (folder / "minder-aanvallen.yaml").read_bytes()
    status, again = _post(app, "save", {"draft": draft, "name": "minder aanvallen"})
    assert status == 422 and "already exists" in again["error"]
    assert (folder / "minder-aanvallen.yaml").read_bytes() == before
    status, memo = _post(app, "export", {"draft": draft, "format": "markdown"})
    assert status == 200 and memo["file"] == "2018-04-kamerbrief-memo.md"
    assert (folder / memo["file"]).read_text(encoding="utf-8").startswith("# mandaat")
    status, grid = _post(
        app, "grid", {"draft": draft, "x": "attacks_from_syria_per_week", "y": "isis_fighters_estimate"}
    )
    assert status == 200 and len(grid["cells"]) == len(grid["x"]["values"]) * len(grid["y"]["values"])
    assert grid["current"]["x"] == 1 and 1 in grid["x"]["values"]
    status, marks = _post(app, "marks", draft)
    assert status == 200 and any(m["target"] == "syria" for m in marks["marks"]["attacks_from_syria_per_week"])


def test_the_studio_refuses_in_its_own_language(book: Rulebook, folder: Path) -> None:
    """A Dutch studio says what it refuses in Dutch: a request that is not JSON, a name outside its
    folder, and a variant name that is taken."""
    dutch = create_app(Studio(Folder(folder), book, "nl", TOKEN, 8765, BASELINE.name))
    status, _, data = _asgi(dutch, "POST", "/api/evaluate", body=None, x_mandaat_token=TOKEN)
    assert status == 422 and json.loads(data)["error"] == "het verzoek is geen JSON"
    draft = _draft(book, folder / BASELINE.name).model_dump()
    status, answer = _post(dutch, "evaluate", {**draft, "file": "../rules/outcomes.yaml"})
    assert status == 422 and "geen gewone bestandsnaam in de map van de studio" in answer["error"]
    assert _post(dutch, "save", {"draft": draft, "name": "Zelfde naam"})[0] == 200
    status, again = _post(dutch, "save", {"draft": draft, "name": "zelfde naam"})
    assert status == 422 and again["error"] == "zelfde-naam.yaml: bestaat al"


def test_no_path_outside_the_folder_is_read_or_written(app: Any, book: Rulebook, folder: Path) -> None:
    """Names that leave the folder are refused; a variant's name becomes a plain file name inside it."""
    draft = _draft(book, folder / BASELINE.name).model_dump()
    for name in ("../rules/outcomes.yaml", "/etc/passwd", "..", "sub/x.yaml"):
        status, answer = _post(app, "evaluate", {**draft, "file": name})
        assert status == 422 and "error" in answer, name
        status, _, page = _asgi(app, "GET", f"/?token={TOKEN}&file={name}")
        data = _page_data(page)
        assert status == 200 and data["draft"] is None and "folder" in data["problem"], name
    status, saved = _post(app, "save", {"draft": draft, "name": "../../escape"})
    assert status == 200 and saved["file"] == "escape.yaml" and (folder / "escape.yaml").is_file()
    status, answer = _post(app, "save", {"draft": draft, "name": "../.."})
    assert status == 422
    assert _post(app, "save", {"draft": draft, "name": "Eén aanval"})[1]["file"] == "een-aanval.yaml"


def test_every_scenario_text_is_escaped(app: Any, book: Rulebook, folder: Path) -> None:
    """A scenario whose texts hold markup shows them as text on the page and in the panel."""
    status, _, page = _asgi(app, "GET", f"/?token={TOKEN}&file=evil.yaml")
    assert status == 200 and b"<script>window.pwned" not in page and b"</script><script>" not in page
    draft = _draft(book, folder / "evil.yaml").model_dump()
    status, answer = _post(app, "evaluate", draft)
    assert status == 200
    assert (
        "<script>" not in answer["panel"]
        and "&lt;script&gt;window.pwned = 1&lt;/script&gt; &amp; co" in answer["panel"]
    )


# ---- a real server ----


def _start(
    folder: Path, *extra: str, script: str | None = None, lang: str = "en", browser: bool = False, **popen: Any
) -> tuple[subprocess.Popen[str], str]:
    """`mandaat studio` started on ``folder`` (with ``extra`` arguments) and serving: the process and the
    address it printed."""
    command = [sys.executable, "-m", "mandaat"] if script is None else [sys.executable, "-c", script]
    options = ["--port", "0", "--lang", lang, *([] if browser else ["--no-browser"])]
    process = subprocess.Popen(
        [*command, "--rules", RULES, "studio", *extra, *options],
        cwd=folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **popen,
    )
    ready, _, _ = select.select([process.stdout], [], [], 60)
    line = process.stdout.readline() if ready and process.stdout else ""
    if "http://127.0.0.1:" not in line:
        process.kill()
        pytest.fail(f"the studio did not start: {line!r} {process.communicate(timeout=10)}")
    return process, line.split()[-1]


def _stop(process: subprocess.Popen[str]) -> tuple[int, str]:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        _, err = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        _, err = process.communicate()
    return process.returncode, err


@pytest.fixture
def server(folder: Path) -> Iterator[str]:
    """`mandaat studio` on the copied baseline, on a free port; its URL with the token."""
    process, url = _start(folder, str(folder / BASELINE.name))
    try:
        yield url
    finally:
        code, err = _stop(process)
        assert code == 0, err
        assert "mandaat studio has stopped." in err and "Traceback" not in err


def _http(url: str, method: str, path: str, host: str | None = None, **headers: str) -> tuple[int, bytes]:
    port = int(url.split(":")[2].split("/")[0])
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.putrequest(method, path, skip_host=host is not None)
        if host is not None:
            connection.putheader("Host", host)
        for key, value in headers.items():
            connection.putheader(key, value)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_the_server_serves_on_localhost_behind_its_token_and_stops_on_sigterm(server: str) -> None:
    """The printed URL serves the page; without the token 403; Host: evil.example refused."""
    query = "/?" + server.split("?", 1)[1]
    assert _http(server, "GET", query)[0] == 200
    assert _http(server, "GET", "/")[0] == 403
    assert _http(server, "GET", query, host="evil.example")[0] == 403


CRASHING = """
import os, signal, sys
import mandaat.pipeline as pipeline
real, parent = pipeline.fire, os.getpid()
def fire(scenario, book, options):
    if os.getpid() != parent and any(o.value == 13 for o in scenario.observations):
        os.kill(os.getpid(), signal.SIGSEGV)
    return real(scenario, book, options)
pipeline.fire = fire
from mandaat.cli import run
sys.argv = ["mandaat", *sys.argv[1:]]
run()
"""


def test_an_engine_crash_is_reported_and_the_server_lives_on(book: Rulebook, folder: Path) -> None:
    """A segfault in the engine on one request is an error answer; the next request is served."""
    process, url = _start(folder, str(folder / BASELINE.name), script=CRASHING)
    try:
        token = url.split("token=")[1]
        draft = _draft(book, folder / BASELINE.name).model_dump()
        port = int(url.split(":")[2].split("/")[0])
        for value, expected in ((13, "crashed (SIGSEGV)"), (6, '"syria":"holds"')):
            draft["observations"][0]["value"] = value
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            body = json.dumps(draft)
            connection.request(
                "POST", "/api/evaluate", body, {"X-Mandaat-Token": token, "Content-Type": "application/json"}
            )
            assert expected in connection.getresponse().read().decode()
            connection.close()
    finally:
        code, err = _stop(process)
    assert code == 0, err


def test_a_scenario_to_fix_is_reported_before_serving(folder: Path) -> None:
    """A broken scenario is a located error and exit 1; nothing is served."""
    (folder / "broken.yaml").write_text("mandaat: 1\nid: x\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mandaat", "--rules", RULES, "studio", str(folder / "broken.yaml"), "--no-browser"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1 and "broken.yaml" in result.stderr and "Traceback" not in result.stderr


# ---- a real browser ----

FLAGS = (*CHROMIUM_FLAGS, "--window-size=1400,2000")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Headless Debian chromium through chromium-driver, with a fresh profile; skipped where chromium is
    absent, except under CI=true, where its absence fails."""
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not (chromium and driver):
        message = "Debian's chromium and chromium-driver are not installed"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (*FLAGS, f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(flag)
    session = webdriver.Chrome(service=Service(driver), options=options)
    try:
        yield session
    finally:
        session.quit()


def _wait(browser: Any, check: Any, seconds: float) -> float:
    """Seconds until ``check(browser)`` holds (fails after ``seconds``)."""
    import time

    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    started = time.perf_counter()  # a panel replaced while it is read is read again
    WebDriverWait(browser, seconds, poll_frequency=0.02, ignored_exceptions=[StaleElementReferenceException]).until(
        check
    )
    return time.perf_counter() - started


def _verdict(basis: str, verdict: str) -> Any:
    from selenium.webdriver.common.by import By

    def check(browser: Any) -> bool:
        found = browser.find_elements(By.CSS_SELECTOR, f'#basis-{basis}[data-verdict="{verdict}"]')
        return bool(found)

    return check


def _settled(browser: Any) -> bool:
    state = browser.execute_script(
        "return [document.getElementById('studio').dataset.sequence, document.getElementById('studio').dataset.marks]"
    )
    return bool(state[0]) and state[0] == state[1]


def _type(browser: Any, element_id: str, text: str) -> None:
    from selenium.webdriver.common.by import By

    field = browser.find_element(By.ID, element_id)
    field.clear()
    field.send_keys(text)


@pytest.mark.ci
def test_the_browser_moves_attacks_and_sees_the_verdict_follow(browser: Any, server: str, tmp_path: Path) -> None:
    """Attacks a week to 1: Syria at risk; to 0 on the slider: lapsed; each within a second. The tipping
    points are marked on the slider, changed reasons highlighted, and the map moves the sliders."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get(server)
    _wait(browser, _verdict("syria", "holds"), 20)
    _wait(browser, lambda b: b.find_elements(By.CSS_SELECTOR, f'#ticks-{ATTACKS} .tick[data-at="3"]'), 10)
    _type(browser, f"number-{ATTACKS}", "1")
    assert _wait(browser, _verdict("syria", "at_risk"), 5) < 1.0
    assert browser.find_elements(By.CSS_SELECTOR, "#panel .reason.changed")
    browser.find_element(By.ID, "map-button").click()
    _wait(browser, lambda b: b.find_elements(By.CSS_SELECTOR, "#grid-table td.current"), 20)
    shot = os.environ.get("MANDAAT_STUDIO_SCREENSHOT")
    _wait(browser, _settled, 20)  # the tipping points of this state are drawn: nothing is left to answer
    assert browser.find_elements(By.CSS_SELECTOR, f'#ticks-{ATTACKS} .tick[data-at="3"]')
    assert browser.save_screenshot(shot or str(tmp_path / "studio.png"))  # MANDAAT_STUDIO_SCREENSHOT=docs/...
    browser.find_element(By.ID, f"value-{ATTACKS}").send_keys(Keys.ARROW_LEFT)
    assert _wait(browser, _verdict("syria", "lapsed"), 5) < 1.0
    cell = browser.find_element(By.CSS_SELECTOR, '#grid-table td[data-verdict="holds"]')
    cell.click()
    _wait(browser, _verdict("syria", "holds"), 5)
    assert float(browser.find_element(By.ID, f"number-{ATTACKS}").get_attribute("value")) >= 3


@pytest.mark.ci
def test_the_browser_switches_the_theory_and_saves_a_variant(
    browser: Any, server: str, folder: Path, book: Rulebook
) -> None:
    """The theory switches on the page; a saved variant gives through `mandaat evaluate` the verdicts the
    page showed."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.get(server)
    _wait(browser, _verdict("syria", "holds"), 20)
    other = next(name for name in book.theories if name != book.default_theory)
    Select(browser.find_element(By.ID, "theory")).select_by_value(other)
    title = book.theories[other].title.get("en")
    _wait(browser, lambda b: title in b.find_element(By.CSS_SELECTOR, "#panel .scenario-line").text, 5)
    _type(browser, f"number-{ATTACKS}", "2")
    _wait(browser, _verdict("syria", "at_risk"), 5)
    browser.find_element(By.ID, "remove-iraq-request").click()
    _wait(browser, lambda b: not _verdict("iraq", "holds")(b), 5)
    Select(browser.find_element(By.ID, "add-indicator")).select_by_value("iraq_request_in_force")
    browser.find_element(By.ID, "add-button").click()
    browser.find_element(By.ID, "value-studio-1").click()
    _wait(browser, _verdict("iraq", "holds"), 5)
    shown = browser.execute_script(
        "const out = {}; for (const s of document.querySelectorAll('#panel section.basis'))"
        " out[s.dataset.basis] = s.dataset.verdict; return out;"
    )
    _type(browser, "save-name", "Twee aanvallen")
    browser.find_element(By.ID, "save-button").click()
    _wait(browser, lambda b: "twee-aanvallen.yaml" in b.find_element(By.ID, "message").text, 10)
    result = subprocess.run(
        [sys.executable, "-m", "mandaat", "--rules", RULES, "evaluate", str(folder / "twee-aanvallen.yaml")]
        + ["--format", "json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["verdict"] == shown and report["scenario"]["theory"] == other


@pytest.mark.ci
def test_the_browser_shows_scenario_markup_as_text(browser: Any, server: str) -> None:
    """A scenario whose title and quote hold script tags shows them as text and runs none of them."""
    from selenium.webdriver.common.by import By

    browser.get(server + "&file=evil.yaml")
    _wait(browser, lambda b: b.find_elements(By.CSS_SELECTOR, "#basis-syria[data-verdict]"), 20)
    assert "<script>window.pwned = 1</script> & co" in browser.find_element(By.CSS_SELECTOR, ".scenario-line").text
    assert browser.execute_script("return window.pwned === undefined")


@pytest.mark.ci
def test_the_browser_follows_the_private_file_to_the_studio(browser: Any, server: str, tmp_path: Path) -> None:
    """The file the studio hands the browser (instead of its address) brings a real browser to the page."""
    from mandaat.studio.page import redirect_page

    page = tmp_path / "open.html"
    page.write_text(redirect_page(server, "nl"), encoding="utf-8")
    browser.get(page.as_uri())
    _wait(browser, _verdict("syria", "holds"), 20)
    assert browser.current_url == server


_BROKEN_WORDS = """
const broken = [];
for (const el of document.querySelectorAll("#observations .fact-label")) {
  const node = el.firstChild;
  for (const part of node.textContent.matchAll(/[^ -]+-?/g)) {  // a line may break after a space or a hyphen
    const range = document.createRange();
    range.setStart(node, part.index);
    range.setEnd(node, part.index + part[0].length);
    if (range.getClientRects().length > 1) broken.push(part[0]);
  }
}
return broken;
"""


@pytest.mark.ci
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_browser_shows_the_indicators_labels(browser: Any, folder: Path, book: Rulebook, lang: str) -> None:
    """Every fact, choice and map axis is named by its indicator's label in the page's language, no word
    of it broken; no identifier shows. The map opens on the two indicators that decide the verdict."""
    from selenium.webdriver.common.by import By

    process, url = _start(folder, str(folder / BASELINE.name), lang=lang)
    try:
        browser.get(url)
        _wait(browser, _verdict("syria", "holds"), 20)
        labels = {name: ind.label.get(lang) for name, ind in book.indicators.items() if ind.label}
        rows = browser.find_elements(By.CSS_SELECTOR, "#observations .fact")
        shown = [row.find_element(By.CSS_SELECTOR, ".fact-label").text for row in rows]
        assert shown == [labels[row.get_attribute("data-indicator")] for row in rows] and len(shown) > 5
        assert browser.execute_script(_BROKEN_WORDS) == []
        for select_id in ("add-indicator", "map-x", "map-y"):
            options = browser.find_elements(By.CSS_SELECTOR, f"#{select_id} option")
            assert [o.text for o in options] == [labels[o.get_attribute("value")] for o in options], select_id
        visible = browser.execute_script(
            "return document.getElementById('facts').innerText + document.getElementById('map').innerText"
        )
        assert not [name for name in book.indicators if name in visible]
        axes = [browser.find_element(By.ID, i).get_attribute("value") for i in ("map-x", "map-y")]
        assert axes == ["attacks_from_syria_per_week", "crossings_syria_to_iraq_per_week"]
    finally:
        code, err = _stop(process)
    assert code == 0, err


@pytest.mark.ci
def test_the_browser_sees_no_content_policy_violation(browser: Any, server: str) -> None:
    """The panel's statuses are coloured by class: the page's policy blocks nothing on a change, and the
    memo's statuses have their tint."""
    from selenium.webdriver.common.by import By

    browser.get(server)
    _wait(browser, _verdict("syria", "holds"), 20)
    browser.execute_script(
        "window.violations = [];"
        "document.addEventListener('securitypolicyviolation', (e) => window.violations.push(e.violatedDirective));"
    )
    _type(browser, f"number-{ATTACKS}", "1")
    _wait(browser, _verdict("syria", "at_risk"), 5)
    _wait(browser, _settled, 20)
    assert browser.execute_script("return window.violations") == []
    status = browser.find_element(By.CSS_SELECTOR, "#panel .memo-blocks .status")
    assert status.value_of_css_property("background-color") not in ("rgba(0, 0, 0, 0)", "transparent")


@pytest.mark.ci
def test_the_browser_answers_while_the_tipping_points_are_computed(browser: Any, folder: Path) -> None:
    """On a 500-observation scenario the page says that the tipping points are still being computed, and
    meanwhile a change gets its verdict within a second or two."""
    from selenium.webdriver.common.by import By

    path = many(folder, 500)
    process, url = _start(folder, str(path))
    try:
        browser.get(url)
        _wait(browser, _verdict("syria", "holds"), 20)
        busy = "Tipping points still being computed…"
        _wait(browser, lambda b: b.find_element(By.ID, "marks-state").text == busy, 10)
        _type(browser, f"number-{ATTACKS}", "1")
        took = _wait(browser, _verdict("syria", "at_risk"), 10)
        still = browser.find_element(By.ID, "marks-state").text
    finally:
        code, err = _stop(process)
    assert took < 2.5 and still == busy, (took, still)
    assert code == 0, err


def test_the_other_commands_do_not_load_the_web_stack() -> None:
    """starlette, uvicorn, jinja2 and selenium load only for `mandaat studio`, never for the other commands."""
    code = (
        "import sys, mandaat.cli, mandaat.api; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'starlette', 'uvicorn', 'jinja2', 'selenium'}))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "[]", result.stderr
