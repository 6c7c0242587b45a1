"""What the user is told when a command fails, and with which exit code: located problems for input to
fix (1), a plain line for misuse (2) or an engine that crashed or cannot load (70), and for a defect in
mandaat itself a line that says so, never a traceback. Whatever a user wrote is made safe for a terminal,
and a file with thousands of defects gets the first of them and a count, not megabytes of messages."""

from __future__ import annotations

from collections import Counter

from ..model.errors import EXIT_INTERNAL, InputError, MandaatError, Problem, UsageError, safe
from ..model.words import word

MAX_SHOWN = 50  # problems shown per file; the rest are counted
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports Ctrl-C


def problem_lines(problems: list[Problem], lang: str = "nl") -> list[str]:
    """``Fout: FILE:LINE ...`` for each problem in ``lang``, at most ``MAX_SHOWN`` per file, then how many more."""
    error = word("error", lang)
    shown: Counter[str] = Counter()
    lines: list[str] = []
    for problem in problems:
        shown[problem.file] += 1
        if shown[problem.file] <= MAX_SHOWN:
            lines.append(f"{error}: {problem.render(lang)}")
    for file, count in shown.items():
        if count > MAX_SHOWN:
            more = word("more_problems", lang).format(file=file, count=count - MAX_SHOWN)
            lines.append(safe(f"{error}: {more}"))
    return lines


def describe_failure(exc: BaseException, lang: str = "nl", command: str = "") -> tuple[list[str], int]:
    """The lines for stderr (in ``lang``) and the exit code for an exception that ended ``command`` (misuse
    of a command also points at its help)."""
    if isinstance(exc, KeyboardInterrupt):
        return [word("interrupted", lang)], EXIT_INTERRUPTED
    if isinstance(exc, InputError):
        lines = problem_lines(exc.problems, lang)
        if len(exc.problems) > 1:
            lines.append(word("problems_found", lang).format(count=len(exc.problems)))
        return lines, exc.exit_code
    if isinstance(exc, MandaatError):
        lines = [safe(f"{word('error', lang)}: {exc.words(lang)}")]
        if isinstance(exc, UsageError) and command:
            lines.append(word("see_help", lang).format(command=command))
        return lines, exc.exit_code
    return [safe(word("internal_error", lang).format(error=f"{type(exc).__name__}: {exc}"))], EXIT_INTERNAL
