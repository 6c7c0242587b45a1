"""The nota: the memo as a ministry sends it, in Word or PDF (and the HTML it is printed from).

Its header block names who it is for and from, its date, reference and subject; its security marking
(rubricering) stands in capitals at the top and the bottom of every page, and every page says «pagina X
van Y». The values come from the command line and the project file (:mod:`mandaat.read.project`); the
date defaults to the date of the assessment and the subject to the scenario's title, never to a
template's defaults. A4 with margins of 25 mm (left, for punching), 20 mm (right) and 25 mm (top and
bottom).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..model.report import Report
from ..model.words import word

PAGE_MM = (210, 297)  # A4
MARGINS_MM = {"top": 25, "right": 20, "bottom": 25, "left": 25}
EDGE_MM = 12  # from the paper's edge to the running header and footer


@dataclass(frozen=True)
class Nota:
    """What a nota says about itself: the header block and the security marking."""

    datum: date
    onderwerp: str
    aan: str = ""
    van: str = ""
    kenmerk: str = ""
    rubricering: str = ""

    def fields(self, lang: str) -> list[tuple[str, str]]:
        """The header block as (label, value) in reading order; a field without a value is left out."""
        rows = [
            ("nota_to", self.aan),
            ("nota_from", self.van),
            ("nota_date", long_date(self.datum, lang)),
            ("nota_reference", self.kenmerk),
            ("nota_subject", self.onderwerp),
        ]
        return [(word(key, lang), value) for key, value in rows if value]

    @property
    def marking(self) -> str:
        """The security marking as it is printed: in capitals (empty when none was given)."""
        return self.rubricering.upper()


def long_date(day: date, lang: str) -> str:
    """A date as a letter writes it: «13 april 2018», «13 April 2018» (Babel's locale data)."""
    from babel.dates import format_date

    return str(format_date(day, format="d MMMM y", locale=lang))


def default_nota(report: Report) -> Nota:
    """A nota with nothing given: dated on the assessment, about the scenario."""
    return Nota(date.fromisoformat(report.scenario.assessed_on), report.scenario.title)


def page_parts(lang: str) -> tuple[str, str, str]:
    """«pagina {page} van {pages}» cut around its two numbers: ("pagina ", " van ", "")."""
    text = word("nota_page", lang)
    before, _, rest = text.partition("{page}")
    middle, _, after = rest.partition("{pages}")
    return before, middle, after
