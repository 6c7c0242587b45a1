"""What the user is told when a command fails, and with which exit code: located problems for input to
fix (1), a plain line for misuse (2) or an engine that crashed or cannot load (70), and for a defect in
mandaat itself a line that says so, never a traceback. Whatever a user wrote is made safe for a terminal,
and a file with thousands of defects gets the first of them and a count, not megabytes of messages."""

from __future__ import annotations

from collections import Counter

from ..model.errors import EXIT_INTERNAL, InputError, MandaatError, Problem, safe

MAX_SHOWN = 50  # problems shown per file; the rest are counted


def problem_lines(problems: list[Problem]) -> list[str]:
    """``Error: FILE:LINE ...`` for each problem, at most ``MAX_SHOWN`` per file, then how many more."""
    shown: Counter[str] = Counter()
    lines: list[str] = []
    for problem in problems:
        shown[problem.file] += 1
        if shown[problem.file] <= MAX_SHOWN:
            lines.append(f"Error: {problem.render()}")
    for file, count in shown.items():
        if count > MAX_SHOWN:
            lines.append(safe(f"Error: {file}: {count - MAX_SHOWN} more problems not shown (fix these first)"))
    return lines


def describe_failure(exc: Exception) -> tuple[list[str], int]:
    """The lines for stderr and the exit code for an exception that ended a command."""
    if isinstance(exc, InputError):
        lines = problem_lines(exc.problems)
        if len(exc.problems) > 1:
            lines.append(f"{len(exc.problems)} problems found; nothing was evaluated.")
        return lines, exc.exit_code
    if isinstance(exc, MandaatError):
        return [safe(f"Error: {exc}")], exc.exit_code
    return [
        safe(
            f"Internal error: {type(exc).__name__}: {exc}. This is a defect in mandaat, not in your input; "
            "set MANDAAT_DEBUG=1 to see the details."
        )
    ], EXIT_INTERNAL
