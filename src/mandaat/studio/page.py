"""The page: one HTML document, its words, and what its script needs to know about the rulebook.

Everything is generic over the rulebook: the indicators (their type, unit, range and values), the
theories, the statuses and verdicts with their colours, the bases. The script receives it as one JSON
block, escaped for HTML by the template.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files
from typing import Any

from ..model.rulebook import Rulebook
from ..model.words import catalogue, word
from ..read.templates import elements_of
from .draft import Draft
from .grid import map_axes, numeric_indicators
from .panel import templates

ASSETS = {"studio.js": "text/javascript; charset=utf-8", "studio.css": "text/css; charset=utf-8"}
_CLASS = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
GRADES = [f"{letter}{digit}" for letter in "ABCDEF" for digit in "123456"]


@cache
def asset(name: str) -> bytes:
    """A static file of the studio by its name (only the names in ASSETS exist)."""
    return files("mandaat.studio").joinpath("static", name).read_bytes()


def outcome_css(book: Rulebook) -> str:
    """Two classes per status and verdict, coloured as rules/outcomes.yaml declares: ``o-NAME`` in its
    colour (with text that reads on it), ``t-NAME`` in a tint of it (the memo's status in the panel)."""
    rules = []
    for name, outcome in {**book.statuses, **book.verdicts}.items():
        if _CLASS.match(name):
            colour = outcome.colour
            dark = sum(int(colour[i : i + 2], 16) * w for i, w in ((1, 299), (3, 587), (5, 114))) / 1000 < 150
            rules.append(f".o-{name}{{background-color:{colour};color:{'#fff' if dark else '#111'}}}")
            rules.append(f".t-{name}{{background-color:{colour}22}}")
    return "\n".join(rules) + "\n"


def _indicator(book: Rulebook, name: str, lang: str) -> dict[str, Any]:
    ind = book.indicators[name]
    return {
        "name": name,
        "label": ind.label.get(lang) if ind.label else name,
        "type": ind.type,
        "element": (elements_of(book).get(name) or [""])[0],
        "description": ind.description.get(lang),
        "unit": ind.unit.get(lang) if ind.unit else "",
        "minimum": ind.minimum,
        "maximum": ind.maximum,
        "values": {value: text.get(lang) for value, text in (ind.values or {}).items()},
    }


def page_words(lang: str) -> dict[str, str]:
    """Every word of the studio's page (the catalogue's `studio_` keys) in ``lang``."""
    return {key.removeprefix("studio_"): word(key, lang) for key in catalogue() if key.startswith("studio_")}


def page_data(book: Rulebook, lang: str, scenarios: list[str], draft: Draft | None) -> dict[str, Any]:
    """What the page's script needs: the rulebook's vocabulary, the folder's scenarios, the draft."""
    return {
        "lang": lang,
        "scenarios": scenarios,
        "draft": draft.model_dump() if draft else None,
        "indicators": {name: _indicator(book, name, lang) for name in book.indicators},
        "numeric": numeric_indicators(book),
        "map_axes": map_axes(book),
        "theories": {name: theory.title.get(lang) for name, theory in book.theories.items()},
        "bases": {name: basis.name.get(lang) for name, basis in book.bases.items()},
        "verdicts": {name: v.label.get(lang) for name, v in book.verdicts.items()},
        "statuses": {name: s.label.get(lang) for name, s in book.statuses.items()},
        "grades": GRADES,
        "words": page_words(lang),
    }


def render_page(book: Rulebook, lang: str, token: str, data: dict[str, Any], title: str) -> str:
    """The page's HTML."""
    return (
        templates()
        .get_template("page.html")
        .render(lang=lang, token=token, data=data, words=data["words"], title=title)
    )


def redirect_page(url: str, lang: str) -> str:
    """The file the browser is opened on: it sends the browser on to ``url``."""
    return templates().get_template("open.html").render(lang=lang, url=url, words=page_words(lang))
