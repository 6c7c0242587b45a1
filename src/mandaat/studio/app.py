"""The studio's web application (Starlette): the page, its two static files, and the calls its script
makes. Every call that touches the engine runs in a forked child (:mod:`.jobs`), so a crash there is an
error on the page and the server lives on, and the server's one thread only waits for it: a long
computation (tipping points, the map) never holds up the verdict of the next change. A call whose page
has gone away (or asked again) has its child stopped.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
import unicodedata
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from ..model.errors import MandaatError, UsageError, said
from ..model.words import word
from ..read.jsonsafe import loads
from ..read.scenario import read_scenario
from ..render.failure import describe_failure
from .draft import Draft, draft_of, read_draft, scenario_of, variant_text
from .export import export, export_formats
from .grid import axis, grid
from .guard import MAX_BODY, Guard
from .marks import marks
from .page import ASSETS, asset, outcome_css, page_data, render_page
from .panel import render_panel
from .state import Studio

__all__ = ["Studio", "create_app"]

Handler = Callable[[Studio, Any], Awaitable[dict[str, Any]]]


def _error(exc: Exception, lang: str) -> tuple[str, int]:
    """What the page shows for an error, in ``lang``, and the HTTP status."""
    lines, _code = describe_failure(exc, lang)
    status = 500 if not isinstance(exc, MandaatError) or exc.exit_code >= 70 else 422
    return "\n".join(line.removeprefix(f"{word('error', lang)}: ") for line in lines), status


class _TooLarge(Exception):
    pass


async def _body(request: Request) -> bytes:
    """The request's body, counted as it arrives: refused once it passes MAX_BODY, whatever its
    Content-Length said or did not say (a chunked body has none)."""
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise _TooLarge
        chunks.append(chunk)
    return b"".join(chunks)


async def _gone(request: Request) -> None:
    """Return when the page has closed the request's connection (it asked again, or went away)."""
    while (await request.receive())["type"] != "http.disconnect":
        pass


async def _answer(studio: Studio, handler: Handler, body: bytes) -> tuple[dict[str, Any], int]:
    try:
        try:
            payload = loads(body)
        except ValueError:
            raise UsageError(said("request_not_json")) from None
        return await handler(studio, payload), 200
    except Exception as exc:
        text, status = _error(exc, studio.lang)
        return {"error": text}, status


def call(studio: Studio, handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    """A POST endpoint: the JSON body to ``handler``, its answer (with the time taken) or the error. The
    work stops when the page closes the connection before the answer."""

    async def endpoint(request: Request) -> Response:
        started = time.perf_counter()
        try:
            body = await _body(request)
        except _TooLarge:
            text = _error(UsageError(said("request_too_large")), studio.lang)[0]
            return JSONResponse({"error": text}, status_code=413, headers={"connection": "close"})
        except ClientDisconnect:  # gone before its body was in: nobody to answer
            return Response(status_code=400, headers={"connection": "close"})
        work = asyncio.ensure_future(_answer(studio, handler, body))
        gone = asyncio.ensure_future(_gone(request))
        studio.running.add(work)
        try:
            await asyncio.wait({work, gone}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            studio.running.discard(work)
            for task in (work, gone):
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        if work.cancelled():  # the page went away, or the server is stopping
            return Response(status_code=503, headers={"connection": "close"})
        answer, status = work.result()
        if status == 200:
            answer["ms"] = round((time.perf_counter() - started) * 1000, 1)
        return JSONResponse(answer, status_code=status)

    return endpoint


async def on_evaluate(studio: Studio, payload: Any) -> dict[str, Any]:
    """The verdict panel for the page's draft."""
    report = await studio.evaluate(studio.scenario(read_draft(payload)))
    statuses = {name: part.status for name, part in {**report.elements, **report.conditions}.items()}
    return {
        "panel": render_panel(report, studio.book, studio.lang),
        "verdicts": dict(report.verdict),
        "statuses": statuses,
    }


async def on_marks(studio: Studio, payload: Any) -> dict[str, Any]:
    """The tipping points on the sliders for the page's draft (the long lane)."""
    scenario = studio.scenario(read_draft(payload))
    return {"marks": await studio.jobs.long.run(marks, scenario, studio.book, studio.options())}


def _current(draft: Draft, indicator: str) -> float | None:
    values = [f.value for f in draft.observations if f.indicator == indicator]
    number = values[0] if values else None
    return number if isinstance(number, (int, float)) and not isinstance(number, bool) else None


async def on_grid(studio: Studio, payload: Any) -> dict[str, Any]:
    """The map over two numeric facts, with the draft's own values among the cells (the long lane)."""
    if not isinstance(payload, dict):
        raise UsageError(said("unreadable_map"))
    draft = read_draft(payload.get("draft"))
    scenario = studio.scenario(draft)
    axes = []
    for key in ("x", "y"):
        name = payload.get(key)
        current = _current(draft, str(name))
        axes.append(axis(studio.book, str(name), max(10.0, 2 * (current or 0)), current))
    x, y = axes
    cells = await studio.jobs.long.run(grid, scenario, studio.book, x, y, studio.options())
    return {
        "x": {"indicator": x.indicator, "values": x.values},
        "y": {"indicator": y.indicator, "values": y.values},
        "cells": [cell.as_dict() for cell in cells],
        "current": {"x": _current(draft, x.indicator), "y": _current(draft, y.indicator)},
    }


def _slug(name: str) -> str:
    """A file name and scenario id from a variant's name: "Eén aanval" gives "een-aanval"."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:80].strip("-")


async def on_save(studio: Studio, payload: Any) -> dict[str, Any]:
    """Write the draft as a new variant of the opened scenario, then read it back as `evaluate` would
    and check that it is the same scenario and gives the same verdicts."""
    if not isinstance(payload, dict) or not isinstance(payload.get("name"), str):
        raise UsageError(word("studio_name_needed", studio.lang))
    draft = read_draft(payload.get("draft"))
    title, ident = payload["name"].strip(), _slug(payload["name"])
    if not ident:
        raise UsageError(word("studio_name_needed", studio.lang))
    base = studio.base(draft.file)
    # before writing:
    expected = scenario_of(base.data, base.locator, draft, studio.book, studio.lang, id=ident, title=title)
    text = variant_text(draft.file, base.data, draft, ident, title, studio.lang, studio.book)
    path = studio.folder.create(f"{ident}.yaml", text.encode("utf-8"))
    saved = read_scenario(path, studio.book, path.name)
    if saved != expected:
        path.unlink()
        raise MandaatError(f"{path.name}: the saved variant does not read back as the page's scenario")
    return {"file": path.name, "verdicts": dict((await studio.evaluate(saved)).verdict)}


async def on_export(studio: Studio, payload: Any) -> dict[str, Any]:
    """Write the memo of the draft into the folder."""
    if not isinstance(payload, dict) or payload.get("format") not in export_formats():
        raise UsageError(said("export_choose", choices=", ".join(export_formats())))
    draft = read_draft(payload.get("draft"))
    report = await studio.evaluate(studio.scenario(draft))
    stem = draft.file.rsplit(".", 1)[0]
    return {"file": export(report, studio.book, str(payload["format"]), studio.folder, stem)}


def page(studio: Studio) -> Callable[[Request], Awaitable[Response]]:
    """The page, for the scenario the `file` query names (or the one the studio was started on)."""

    async def endpoint(request: Request) -> Response:
        name = request.query_params.get("file") or studio.opened
        draft, title, problem = None, "", ""
        if name:
            try:
                base = studio.base(name)
                draft, title = draft_of(name, base.data, base.scenario, studio.book), base.scenario.title
            except Exception as exc:
                problem = _error(exc, studio.lang)[0]
        data_out = page_data(studio.book, studio.lang, studio.folder.scenarios(), draft)
        data_out["exports"] = export_formats()
        data_out["problem"] = problem
        return HTMLResponse(render_page(studio.book, studio.lang, studio.token, data_out, title))

    return endpoint


def static(studio: Studio) -> Callable[[Request], Awaitable[Response]]:
    """The page's script and styles, and the colours of the rulebook's outcomes."""

    async def endpoint(request: Request) -> Response:
        name = request.path_params["name"]
        if name == "outcomes.css":
            return Response(outcome_css(studio.book), media_type="text/css; charset=utf-8")
        if name not in ASSETS:
            return Response("", status_code=404)
        return Response(asset(name), media_type=ASSETS[name])

    return endpoint


def create_app(studio: Studio) -> Guard:
    """The application behind its guard."""
    posts = {"evaluate": on_evaluate, "marks": on_marks, "grid": on_grid, "save": on_save, "export": on_export}
    routes = [
        Route("/", page(studio), methods=["GET"]),
        Route("/static/{name}", static(studio), methods=["GET"]),
        *(Route(f"/api/{name}", call(studio, handler), methods=["POST"]) for name, handler in posts.items()),
    ]
    app = Starlette(routes=routes)
    refused, forbidden = word("studio_host_refused", studio.lang), word("studio_forbidden", studio.lang)
    return Guard(app, studio.token, studio.port, refused, forbidden)
