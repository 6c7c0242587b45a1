"""Parameter values: what a value of each parameter type may be, wherever it comes from (the rulebook,
a scenario's ``params``, or ``--param`` on the command line)."""

from __future__ import annotations

import re
from typing import Any


def parameter_value_problem(kind: str, value: Any) -> str:
    """Why ``value`` is not a valid value for a parameter of type ``kind`` ('' when it is)."""
    if kind == "reliability":
        if not (isinstance(value, str) and re.fullmatch(r"[A-F]", value)):
            return f"{value!r} is not a source reliability (a letter A-F)"
    elif kind == "credibility":
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 6:
            return f"{value!r} is not an information credibility (a digit 1-6)"
    elif kind == "days":
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 36500:
            return f"{value!r} is not a number of days (a whole number from 0 to 36500)"
    elif kind == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return f"{value!r} is not a number"
        if value != value or value in (float("inf"), float("-inf")):
            return f"{value!r} is not a finite number"
        if not 0 <= value <= 1_000_000:
            return f"{value!r} is outside 0 to 1000000"
        if round(value, 4) != value:
            return f"{value!r} has more than 4 decimals"
    return ""
