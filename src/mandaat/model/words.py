"""Words of the user interface in Dutch and English (labels, headings). No legal content lives here:
reasons and their citations come from the rulebook."""

from __future__ import annotations

LANGS = ("nl", "en")

_WORDS: dict[str, dict[str, str]] = {
    "met": {"nl": "vervuld", "en": "met"},
    "weakening": {"nl": "verzwakt", "en": "weakening"},
    "not_met": {"nl": "niet vervuld", "en": "not met"},
    "unknown": {"nl": "onbekend", "en": "unknown"},
    "holds": {"nl": "RECHTSGROND BLIJFT", "en": "BASIS HOLDS"},
    "at_risk": {"nl": "RECHTSGROND ONDER DRUK", "en": "BASIS AT RISK"},
    "undetermined": {"nl": "NIET VAST TE STELLEN", "en": "UNDETERMINED"},
    "lapsed": {"nl": "RECHTSGROND VERVALLEN", "en": "BASIS LAPSED"},
    "syria": {"nl": "Syrië (collectieve zelfverdediging van Irak, art. 51 VN-Handvest)",
              "en": "Syria (collective self-defence of Iraq, UN Charter art. 51)"},
    "iraq": {"nl": "Irak (verzoek van de Iraakse regering)", "en": "Iraq (request of the Iraqi government)"},
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
