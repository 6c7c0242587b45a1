"""The message catalogue: every word of the user interface in Dutch and English (labels, headings,
what-if output). No legal content lives here: statuses, verdicts, bases, reasons and their citations
come from the rulebook."""

from __future__ import annotations

_WORDS: dict[str, dict[str, str]] = {
    "title": {"nl": "Juridische toets van het mandaat", "en": "Legal test of the mandate"},
    "scenario": {"nl": "Scenario", "en": "Scenario"},
    "assessed_on": {"nl": "beoordeeld op", "en": "assessed on"},
    "theory": {"nl": "leer van noodzakelijkheid", "en": "theory of necessity"},
    "verdict": {"nl": "OORDEEL", "en": "VERDICT"},
    "elements": {"nl": "DE VIER ELEMENTEN", "en": "THE FOUR ELEMENTS"},
    "conditions": {"nl": "VOORWAARDEN", "en": "CONDITIONS"},
    "open_judgments": {"nl": "OPEN OORDELEN", "en": "OPEN JUDGMENTS"},
    "evidence_problems": {"nl": "BEWIJS EN BEWIJSPROBLEMEN", "en": "EVIDENCE AND EVIDENCE PROBLEMS"},
    "why": {"nl": "Waarom", "en": "Why"},
    "source": {"nl": "Bron", "en": "Source"},
    "evidence": {"nl": "Bewijs", "en": "Evidence"},
    "context": {"nl": "Context", "en": "Context"},
    "relied_upon": {"nl": "Waarop wordt gesteund", "en": "Relied upon"},
    "superseded": {"nl": "Vervangen door nieuwer of beter bewijs", "en": "Superseded by newer or better evidence"},
    "conflicts": {"nl": "Tegenstrijdig (beslecht tegen het mandaat)", "en": "Conflicting (resolved against the mandate)"},
    "unconfirmed": {"nl": "Onbevestigd (beoordeling onder het bewijsbeleid)", "en": "Unconfirmed (grade below the evidence policy)"},
    "stale": {"nl": "Verouderd", "en": "Stale"},
    "after_assessment": {"nl": "Na de beoordelingsdatum (niet meegenomen)", "en": "After the assessment date (left out)"},
    "none": {"nl": "geen", "en": "none"},
    "hypothetical": {"nl": "[HYPOTHETISCH]", "en": "[HYPOTHETICAL]"},
    "valid_until": {"nl": "Vooralsnog: dit oordeel steunt op bewijs dat tot en met {date} actueel is. Toets daarna opnieuw.",
                    "en": "For now: this verdict rests on evidence that is current up to and including {date}. Test again after that."},
    "params_overridden": {"nl": "Afwijkende parameters", "en": "Parameters changed"},
    "no_open": {"nl": "Geen.", "en": "None."},
    "yes": {"nl": "ja", "en": "yes"},
    "no": {"nl": "nee", "en": "no"},
    "counts": {"nl": "telt mee", "en": "counts"},
    "not_counted": {"nl": "telt niet mee", "en": "does not count"},
    "judgment_open_missing": {"nl": "Er is geen oordeel over proportionaliteit vastgelegd; een adviseur moet het geven.",
                              "en": "No proportionality judgment is recorded; an adviser must make it."},
    "judgment_open_negative": {"nl": "Het geldende oordeel over proportionaliteit is negatief; heroverweeg de inzet.",
                               "en": "The proportionality judgment that counts is negative; reconsider the action."},
    "judgments": {"nl": "Vastgelegde oordelen", "en": "Recorded judgments"},
    # what-if, compare, flips and timeline
    "no_change": {"nl": "Geen verandering.", "en": "No change."},
    "evidence_made_difference": {"nl": "Bewijs dat het verschil maakt", "en": "Evidence that made the difference"},
    "col_now": {"nl": "nu", "en": "now"},
    "col_what_if": {"nl": "wat als", "en": "what if"},
    "what_if": {"nl": "Wat als", "en": "What if"},
    "no_change_given": {"nl": "geen wijziging", "en": "no change"},
    "what_changes": {"nl": "Wat er verandert:", "en": "What changes:"},
    "tipping_points": {"nl": "Kantelpunten", "en": "Tipping points"},
    "closest_to_edge": {"nl": "Het dichtst bij de rand", "en": "Closest to the edge"},
    "per_element": {"nl": "Per element (kleinste enkele wijziging per uitkomst):",
                    "en": "Per element (smallest single change per outcome):"},
    "no_single_change": {"nl": "geen enkele wijziging verandert dit", "en": "no single change moves it"},
    "per_basis": {"nl": "Per rechtsgrond:", "en": "Per basis:"},
    "combinations": {"nl": "Kleinste combinaties (tot twee wijzigingen):",
                     "en": "Smallest combinations (up to two changes):"},
    "none_found": {"nl": "geen gevonden", "en": "none found"},
    "not_confirmed": {"nl": " (NOT CONFIRMED on re-evaluation)", "en": " (NOT CONFIRMED on re-evaluation)"},
    "flips_footer": {"nl": "({evaluations} evaluations, {seconds:.2f} s; every flip above was evaluated again)",
                     "en": "({evaluations} evaluations, {seconds:.2f} s; every flip above was evaluated again)"},
    "date": {"nl": "datum", "en": "date"},
    "moves": {"nl": "Bewegingen:", "en": "Moves:"},
    "footer": {"nl": "Opgesteld met mandaat {version}. Regels: {rules} regels gevuurd. Een rechtsgrond is nodig, maar niet voldoende: het politieke besluit tot inzet valt buiten deze toets.",
               "en": "Prepared with mandaat {version}. Rules: {rules} rules fired. A legal basis is necessary but not sufficient: the political decision to deploy is outside this test."},
}


def word(key: str, lang: str) -> str:
    """The UI word ``key`` in ``lang``."""
    return _WORDS[key][lang]


def number(value: int | float, lang: str) -> str:
    """A number as a reader of ``lang`` writes it (decimal comma in Dutch)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = f"{value}" if isinstance(value, int) else f"{value:.4f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if lang == "nl" else text
