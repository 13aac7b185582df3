"""Words the coach shows agents on every platform: category names and due moments."""

from __future__ import annotations

from datetime import datetime

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
WEEKDAYS = {"nl": ("ma", "di", "wo", "do", "vr", "za", "zo"), "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")}


def language_of(language: str) -> str:
    """The team's language, Dutch unless it is English."""
    return "en" if language == "en" else "nl"


def category_name(category: str, language: str) -> str:
    return CATEGORY_NAMES[language_of(language)].get(category, category.replace("_", " "))


def due_text(due: datetime, language: str) -> str:
    """"vr 27-11 17:00" (in the time zone `due` carries)."""
    return f"{WEEKDAYS[language_of(language)][due.weekday()]} {due:%d-%m %H:%M}"
