"""What the user is told when a command fails, and with which exit code: located problems for input to
fix (1), a plain line for misuse (2) or an engine that crashed or cannot load (70), and for a defect in
mandaat itself a line that says so, never a traceback."""

from __future__ import annotations

from ..model.errors import EXIT_INTERNAL, InputError, MandaatError


def describe_failure(exc: Exception) -> tuple[list[str], int]:
    """The lines for stderr and the exit code for an exception that ended a command."""
    if isinstance(exc, InputError):
        lines = [f"Error: {problem.render()}" for problem in exc.problems]
        if len(exc.problems) > 1:
            lines.append(f"{len(exc.problems)} problems found; nothing was evaluated.")
        return lines, exc.exit_code
    if isinstance(exc, MandaatError):
        return [f"Error: {exc}"], exc.exit_code
    return [
        f"Internal error: {type(exc).__name__}: {exc}. This is a defect in mandaat, not in your input; "
        "set MANDAAT_DEBUG=1 to see the details."
    ], EXIT_INTERNAL
