"""The studio's web application (Starlette): the page, its two static files, and the calls its script
makes. Every call that touches the engine runs in the pipeline's isolated engine, so a crash there is
an error on the page and the server lives on. Handlers are coroutines that run one at a time on the
server's one thread: evaluations never share an engine and forks never race with threads.
"""

from __future__ import annotations

import re
import signal
import time
import unicodedata
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from ..model.errors import InputError, Interrupted, MandaatError, UsageError, said
from ..model.report import Report
from ..model.rulebook import Rulebook
from ..model.scenario import Scenario
from ..model.words import word
from ..pipeline import Options, evaluate_scenario, isolated
from ..read.jsonsafe import loads
from ..read.scenario import parse_scenario, read_scenario
from ..read.variants import resolve
from ..read.yamlsafe import Locator
from ..render.failure import describe_failure
from .draft import Draft, draft_of, read_draft, scenario_of, variant_text
from .export import export, export_formats
from .folder import Folder
from .grid import axis, grid
from .guard import COOKIE, MAX_BODY, Guard
from .marks import marks
from .page import ASSETS, asset, outcome_css, page_data, render_page
from .panel import render_panel

T = TypeVar("T")


def _isolated(func: Callable[..., T], *args: Any) -> T:
    """``isolated`` for a request: a stop signal that ends the evaluation is handed on to the server (the
    evaluation's own handler caught it), so that Ctrl-C or SIGTERM still stops the studio cleanly."""
    try:
        return isolated(func, *args)
    except Interrupted as exc:
        signal.raise_signal(exc.exit_code - 128)
        raise


@dataclass
class Studio:
    """What the application serves: one folder, one rulebook, one language, one token."""

    folder: Folder
    book: Rulebook
    lang: str
    token: str
    port: int
    opened: str | None = None  # the scenario the page opens without a `file` query
    warmed: bool = False

    def options(self) -> Options:
        """The options every evaluation runs with."""
        return Options(lang=self.lang)

    def base(self, name: str) -> dict[str, Any]:
        """The resolved data of scenario ``name`` in the folder (a variant's bases resolved)."""
        data, _locator = resolve(self.folder.existing(name), name)
        if not isinstance(data, dict):
            raise InputError([_locator.problem((), said("scenario_not_mapping"))])
        return data

    def scenario(self, draft: Draft) -> Scenario:
        """The validated scenario the page's draft stands for."""
        return scenario_of(self.base(draft.file), draft, self.book, self.lang)

    def warm(self) -> None:
        """Evaluate the opened scenario before the first request (see :meth:`evaluate`)."""
        if self.opened:
            try:
                self.evaluate(parse_scenario(self.base(self.opened), Locator(self.opened), self.book))
            except Exception:
                return  # the page reports it on its first request

    def evaluate(self, scenario: Scenario) -> Report:
        """The report on ``scenario``, from the isolated engine. After the first one has run there, the
        engine is loaded in the server too (once), so that every later evaluation forks from a loaded
        engine instead of loading it again."""
        report = _isolated(evaluate_scenario, scenario, self.book, self.options())
        if not self.warmed:
            self.warmed = True
            evaluate_scenario(scenario, self.book, self.options())
        return report


Handler = Callable[[Studio, Any], dict[str, Any]]


def _error(exc: Exception, lang: str) -> tuple[str, int]:
    """What the page shows for an error, in ``lang``, and the HTTP status."""
    lines, _code = describe_failure(exc, lang)
    status = 500 if not isinstance(exc, MandaatError) or exc.exit_code >= 70 else 422
    return "\n".join(line.removeprefix(f"{word('error', lang)}: ") for line in lines), status


def call(studio: Studio, handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    """A POST endpoint: the JSON body to ``handler``, its answer (with the time taken) or the error."""

    async def endpoint(request: Request) -> Response:
        started = time.perf_counter()
        body = await request.body()
        try:
            if len(body) > MAX_BODY:
                raise UsageError(said("request_too_large"))
            try:
                payload = loads(body)
            except ValueError:
                raise UsageError(said("request_not_json")) from None
            answer = handler(studio, payload)
        except Exception as exc:
            text, status = _error(exc, studio.lang)
            return JSONResponse({"error": text}, status_code=status)
        answer["ms"] = round((time.perf_counter() - started) * 1000, 1)
        return JSONResponse(answer)

    return endpoint


def on_evaluate(studio: Studio, payload: Any) -> dict[str, Any]:
    """The verdict panel for the page's draft."""
    report = studio.evaluate(studio.scenario(read_draft(payload)))
    statuses = {name: part.status for name, part in {**report.elements, **report.conditions}.items()}
    return {
        "panel": render_panel(report, studio.book, studio.lang),
        "verdicts": dict(report.verdict),
        "statuses": statuses,
    }


def on_marks(studio: Studio, payload: Any) -> dict[str, Any]:
    """The tipping points on the sliders for the page's draft."""
    scenario = studio.scenario(read_draft(payload))
    return {"marks": _isolated(marks, scenario, studio.book, studio.options())}


def _current(draft: Draft, indicator: str) -> float | None:
    values = [f.value for f in draft.observations if f.indicator == indicator]
    number = values[0] if values else None
    return number if isinstance(number, (int, float)) and not isinstance(number, bool) else None


def on_grid(studio: Studio, payload: Any) -> dict[str, Any]:
    """The map over two numeric facts, with the draft's own values among the cells."""
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
    cells = _isolated(grid, scenario, studio.book, x, y, studio.options())
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


def on_save(studio: Studio, payload: Any) -> dict[str, Any]:
    """Write the draft as a new variant of the opened scenario, then read it back as `evaluate` would
    and check that it is the same scenario and gives the same verdicts."""
    if not isinstance(payload, dict) or not isinstance(payload.get("name"), str):
        raise UsageError(word("studio_name_needed", studio.lang))
    draft = read_draft(payload.get("draft"))
    title, ident = payload["name"].strip(), _slug(payload["name"])
    if not ident:
        raise UsageError(word("studio_name_needed", studio.lang))
    base = studio.base(draft.file)
    expected = scenario_of(base, draft, studio.book, studio.lang, id=ident, title=title)  # before writing
    text = variant_text(draft.file, base, draft, ident, title, studio.lang, studio.book)
    path = studio.folder.create(f"{ident}.yaml", text.encode("utf-8"))
    saved = read_scenario(path, studio.book, path.name)
    if saved != expected:
        path.unlink()
        raise MandaatError(f"{path.name}: the saved variant does not read back as the page's scenario")
    return {"file": path.name, "verdicts": dict(studio.evaluate(saved).verdict)}


def on_export(studio: Studio, payload: Any) -> dict[str, Any]:
    """Write the memo of the draft into the folder."""
    if not isinstance(payload, dict) or payload.get("format") not in export_formats():
        raise UsageError(said("export_choose", choices=", ".join(export_formats())))
    draft = read_draft(payload.get("draft"))
    report = studio.evaluate(studio.scenario(draft))
    stem = draft.file.rsplit(".", 1)[0]
    return {"file": export(report, studio.book, str(payload["format"]), studio.folder, stem)}


def page(studio: Studio) -> Callable[[Request], Awaitable[Response]]:
    """The page, for the scenario the `file` query names (or the one the studio was started on)."""

    async def endpoint(request: Request) -> Response:
        name = request.query_params.get("file") or studio.opened
        draft, title, problem = None, "", ""
        if name:
            try:
                data = studio.base(name)
                scenario = parse_scenario(data, Locator(name), studio.book)
                draft, title = draft_of(name, data, scenario, studio.book), scenario.title
            except Exception as exc:
                problem = _error(exc, studio.lang)[0]
        data_out = page_data(studio.book, studio.lang, studio.folder.scenarios(), draft)
        data_out["exports"] = export_formats()
        data_out["problem"] = problem
        html = render_page(studio.book, studio.lang, studio.token, data_out, title)
        response = HTMLResponse(html)
        response.set_cookie(COOKIE, studio.token, httponly=True, samesite="strict", path="/")
        return response

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
