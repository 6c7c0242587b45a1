"""Read JSON that comes from elsewhere (a saved report, a request of the studio's page) safely, and
locate what is found in it.

Python's json module descends once per level of nesting and refuses an integer of more than 4,300
digits, each with an error that says nothing about where in the text it is: a file nested 100,000 deep
or holding a 5,000-digit number would be an internal error. :func:`loads` scans the text first, once and
in time linear in its length, and refuses nesting deeper than ``MAX_DEPTH`` and a number longer than
``MAX_NUMBER`` characters as a :class:`JsonRefusal`: a ``json.JSONDecodeError`` (so a ``ValueError``)
with its line, column and a catalogue message. Only then does json parse the text.

:func:`json_locator` gives the line of every key, object, array and text in a document json accepted,
so that a defect found in its data can be reported ``FILE:LINE path``.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..model.errors import Said, said
from .yamlsafe import Locator, PathT

MAX_DEPTH = 64  # a report nests 7 deep, a request of the studio less
MAX_NUMBER = 100  # characters of one number; mandaat writes none longer than 25

# A text (to the end of its line if it is not closed, so that no character is scanned twice), a bracket,
# or a run of number characters longer than MAX_NUMBER.
_SCAN = re.compile(r'"(?:[^"\\\n]|\\.)*"?|[\[\]{}]|[-+0-9.eE]{' + str(MAX_NUMBER + 1) + ",}")
_LOCATE = re.compile(r'"(?:[^"\\\n]|\\.)*"?|[\[\]{},]')


class JsonRefusal(json.JSONDecodeError):
    """JSON that json could read but mandaat refuses (too deep, a number too long), at its place in the text."""

    def __init__(self, message: Said, doc: str, pos: int) -> None:
        super().__init__(str(message), doc, pos)
        self.message = message


def _check(text: str) -> None:
    """Refuse nesting deeper than MAX_DEPTH and numbers longer than MAX_NUMBER, where they are."""
    depth = 0
    for match in _SCAN.finditer(text):
        first = match.group()[0]
        if first in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise JsonRefusal(said("too_deep", depth=MAX_DEPTH), text, match.start())
        elif first in "]}":
            depth -= 1
        elif first != '"':
            raise JsonRefusal(said("number_too_many_digits", text=match.group()[:20]), text, match.start())


def loads(text: str | bytes) -> Any:
    """``json.loads(text)``, but nesting deeper than MAX_DEPTH and over-long numbers are a
    :class:`JsonRefusal`; every failure is a ``ValueError`` (a ``json.JSONDecodeError`` where it has a place)."""
    if isinstance(text, (bytes, bytearray)):
        text = text.decode(json.detect_encoding(text), "surrogatepass")
    _check(text)
    return json.loads(text)


def json_locator(text: str, file: str) -> Locator:
    """The line of every key, object, array and text of ``text`` (a document :func:`loads` accepted); a
    number, ``true``, ``false`` or ``null`` in an array has the line of the array."""
    locator = Locator(file)
    locator.value_lines[()] = 1
    stack: list[list[Any]] = []  # per open object or array: [is_object, key or index, expecting a key]
    line, counted = 1, 0
    for match in _LOCATE.finditer(text):
        line += text.count("\n", counted, match.start())
        counted = match.start()
        token = match.group()
        top = stack[-1] if stack else None
        path: PathT = tuple(entry[1] for entry in stack)
        if token in "[{":
            locator.value_lines.setdefault(path, line)
            stack.append([token == "{", None if token == "{" else 0, token == "{"])
        elif token in "]}":
            if stack:
                stack.pop()
        elif token == ",":
            if top is not None and top[0]:
                top[2] = True
            elif top is not None:
                top[1] += 1
        elif top is not None and top[0] and top[2]:  # a key
            top[1], top[2] = _key(token), False
            key_path = (*path[:-1], top[1])
            locator.key_lines.setdefault(key_path, line)
            locator.value_lines.setdefault(key_path, line)
        else:
            locator.value_lines.setdefault(path, line)
    return locator


def _key(token: str) -> str:
    try:
        key = json.loads(token)
    except ValueError:
        return token.strip('"')
    return key if isinstance(key, str) else token
