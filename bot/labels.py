"""Words the coach shows agents on every platform: category names and due moments."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.review.model import LLMStatus

CATEGORY_NAMES = {
    "nl": {
        "empty_promise": "loze belofte", "no_deadline": "geen termijn", "condescension": "kleinerend",
        "blame_shifting": "schuld afschuiven", "invalidating_empathy": "relativerende empathie",
        "humor_in_complaint": "grap bij een klacht", "bureaucratic": "ambtelijke taal",
        "commercial_pitch": "verkooppraatje", "missing_apology": "geen excuses",
        "missing_empathy": "geen empathie", "missing_next_step": "geen vervolgstap",
        "public_personal_data": "persoonsgegevens in het openbaar", "inconsistent_address": "u en je door elkaar",
        "impersonal": "onpersoonlijk", "shouting": "schreeuwerig", "too_long": "te lang", "other": "overig",
    },
    "en": {
        "empty_promise": "empty promise", "no_deadline": "no deadline", "condescension": "condescending",
        "blame_shifting": "blame shifting", "invalidating_empathy": "invalidating empathy",
        "humor_in_complaint": "joke in a complaint", "bureaucratic": "officialese",
        "commercial_pitch": "sales pitch", "missing_apology": "no apology",
        "missing_empathy": "no empathy", "missing_next_step": "no next step",
        "public_personal_data": "personal data in public", "inconsistent_address": "mixed formal and informal address",
        "impersonal": "impersonal", "shouting": "shouting", "too_long": "too long", "other": "other",
    },
}

# Labels of a review and of guideline lookups, the same on every platform (plain text).
LABELS = {
    "nl": {
        "all": "Alle richtlijnen ({n})",
        "better": "Beter",
        "by_model": "taalmodel",
        "clipped": "ingekort",
        "complaint": "klacht",
        "due": "uiterlijk",
        "error": "Fouten",
        "guideline": "Richtlijn",
        "helpful": "👍 Klopt",
        "howto_feedback": "Klopt een bevinding wel of niet? Zeg het met 👍 of 👎 onder de bevinding.",
        "howto_title": "Zo werkt de Webcare Coach",
        "length": "lengte",
        "llm_failed": "Alleen regels: het taalmodel gaf geen antwoord ({error})",
        "llm_used": "Met taalmodel ({model})",
        "more": "en nog {n} bevindingen",
        "no_time": "geen tijd genoemd",
        "nothing": "Niets gevonden voor ‘{q}’. Probeer bijvoorbeeld: beloftes, excuses, grapjes, DM, empathie.",
        "ok": "✅ Klaar om te posten",
        "pending": "Taalmodel denkt nog mee…",
        "promises": "Beloftes",
        "question": "vraag",
        "revise": "⚠️ Aanpassen voor je post",
        "rewrite": "Voorstel",
        "rules_only": "Alleen regels",
        "searched": "Gezocht: {q}",
        "suggestion": "Suggesties",
        "summary": "Kern",
        "truncated": "alleen het begin ({n} tekens) is beoordeeld",
        "warning": "Waarschuwingen",
        "whole": "hele concept",
        "wrong": "👎 Klopt niet",
    },
    "en": {
        "all": "All guidelines ({n})",
        "better": "Better",
        "by_model": "language model",
        "clipped": "shortened",
        "complaint": "complaint",
        "due": "by",
        "error": "Errors",
        "guideline": "Guideline",
        "helpful": "👍 Right",
        "howto_feedback": "Is a finding right or not? Say so with 👍 or 👎 below it.",
        "howto_title": "How Webcare Coach works",
        "length": "length",
        "llm_failed": "Rules only: the language model gave no answer ({error})",
        "llm_used": "With language model ({model})",
        "more": "and {n} more findings",
        "no_time": "no time given",
        "nothing": "Nothing found for ‘{q}’. Try for example: promises, apology, jokes, DM, empathy.",
        "ok": "✅ Ready to post",
        "pending": "The language model is still thinking…",
        "promises": "Promises",
        "question": "question",
        "revise": "⚠️ Revise before you post",
        "rewrite": "Suggested reply",
        "rules_only": "Rules only",
        "searched": "Searched: {q}",
        "suggestion": "Suggestions",
        "summary": "In short",
        "truncated": "only the first {n} characters were reviewed",
        "warning": "Warnings",
        "whole": "whole draft",
        "wrong": "👎 Not right",
    },
}
WEEKDAYS = {"nl": ("ma", "di", "wo", "do", "vr", "za", "zo"), "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")}


def language_of(language: str) -> str:
    """The team's language, Dutch unless it is English."""
    return "en" if language == "en" else "nl"


def category_name(category: str, language: str) -> str:
    return CATEGORY_NAMES[language_of(language)].get(category, category.replace("_", " "))


def due_text(due: datetime, language: str) -> str:
    """"vr 27-11 17:00" (in the time zone `due` carries)."""
    return f"{WEEKDAYS[language_of(language)][due.weekday()]} {due:%d-%m %H:%M}"


def llm_status(llm: LLMStatus, language: str, pending: bool, shorten: Callable[[str, int], str]) -> str:
    """The closing line of a chat review: what the language model added. `shorten(value, limit)`
    makes the model name or error safe for the platform's markup."""
    t = LABELS[language_of(language)]
    if pending:
        return t["pending"]
    if llm.used:
        return t["llm_used"].format(model=shorten(llm.model or "?", 200))
    if llm.error:
        return t["llm_failed"].format(error=shorten(llm.error, 500))
    return t["rules_only"]
