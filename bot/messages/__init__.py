"""What the coach says to people, in the team's language (`language:` in app.yaml): one catalogue,
`nl.yaml` and `en.yaml` in this folder, and dates and numbers written the way the team reads them.

    t("nl", "chat.done", id="p1")    # "✅ Gelogd: callback gedaan (p1). Er komen geen …"
    moment(due, "nl")                # "ma 7 dec 17:00"   ("Mon 7 Dec 17:00" in English)

Both files must have the same keys and every message the same {slots} in both languages (checked
when the catalogue loads). `t` raises MessageError for a key that does not exist and for a slot
that is not given (a misspelt one included), so a typo fails the first test that renders the
message; values a message does not use are ignored, so one set can fill related messages.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.config import read_yaml

if TYPE_CHECKING:
    from bot.review.model import LLMStatus

LANGUAGES = ("nl", "en")
_FOLDER = Path(__file__).parent


class MessageError(LookupError):
    """A message key or slot that the catalogue does not have: a bug, never the user's input."""


def language_of(language: str) -> str:
    """The team's language, Dutch unless it is English."""
    return "en" if language == "en" else "nl"


def _flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, str | tuple[str, ...]]:
    flat: dict[str, str | tuple[str, ...]] = {}
    for name, value in tree.items():
        key = f"{prefix}{name}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{key}."))
        elif isinstance(value, list):
            flat[key] = tuple(str(item) for item in value)
        else:
            flat[key] = str(value)
    return flat


def slots_of(template: str) -> frozenset[str]:
    """The {slots} a message has."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(template) if name is not None)


@cache
def catalogue() -> dict[str, dict[str, str | tuple[str, ...]]]:
    """Every message of every language by its dotted key, checked for matching keys and slots."""
    messages = {
        lang: _flatten(read_yaml(_FOLDER / f"{lang}.yaml"))
        for lang in LANGUAGES
    }
    first, *others = LANGUAGES
    for lang in others:
        if messages[lang].keys() != messages[first].keys():
            differ = sorted(messages[lang].keys() ^ messages[first].keys())
            raise MessageError(f"{first}.yaml and {lang}.yaml differ in keys: {', '.join(differ)}")
        for key, text in messages[first].items():
            other = messages[lang][key]
            if isinstance(text, str) != isinstance(other, str) or (
                isinstance(text, str) and slots_of(text) != slots_of(str(other))
            ):
                raise MessageError(f"{key}: not the same slots in {first}.yaml and {lang}.yaml")
    return messages


def t(language: str, key: str, **slots: object) -> str:
    """The message `key` in the team's language with its {slots} filled in."""
    text = catalogue()[language_of(language)].get(key)
    if not isinstance(text, str):
        raise MessageError(f"no message {key!r}")
    if missing := slots_of(text) - slots.keys():
        raise MessageError(f"{key} needs the slots {', '.join(sorted(missing))}")
    return text.format(**slots)


def words(language: str, key: str) -> tuple[str, ...]:
    """A list of the catalogue, such as the weekdays."""
    found = catalogue()[language_of(language)].get(key)
    if not isinstance(found, tuple):
        raise MessageError(f"no list {key!r}")
    return found


def category_name(category: str, language: str) -> str:
    """"geen excuses" for missing_apology: the name agents see, never the id."""
    return t(language, f"category.{category}")


def _month(when: datetime, language: str) -> str:
    return words(language, "date.months")[when.month - 1]


def moment(when: datetime, language: str) -> str:
    """"ma 7 dec 17:00" / "Mon 7 Dec 17:00", in the time zone `when` carries."""
    weekday = words(language, "date.weekdays")[when.weekday()]
    return t(language, "date.moment", weekday=weekday, day=when.day, month=_month(when, language),
             time=f"{when:%H:%M}")


def day(when: datetime, language: str) -> str:
    """"7 dec 2026"."""
    return t(language, "date.day", day=when.day, month=_month(when, language), year=when.year)


def day_time(when: datetime, language: str) -> str:
    """"7 dec 2026 17:00"."""
    return t(language, "date.day_time", day=when.day, month=_month(when, language), year=when.year,
             time=f"{when:%H:%M}")


def week_label(start: datetime, end: datetime, language: str) -> str:
    """"23–29 nov", or "30 nov – 6 dec": the first and last day of the week [start, end)."""
    last = end - timedelta(microseconds=1)
    if start.month == last.month:
        return t(language, "date.week", first=start.day, last=last.day, month=_month(last, language))
    return t(language, "date.week_across", first=start.day, first_month=_month(start, language), last=last.day,
             last_month=_month(last, language))


def number(value: float, language: str, decimals: int = 1) -> str:
    """"2,5" / "2.5"; whole numbers without decimals."""
    text = f"{value:.0f}" if value == int(value) else f"{value:.{decimals}f}"
    return text.replace(".", t(language, "date.decimal_mark"))


def llm_status(llm: LLMStatus, language: str, pending: bool, shorten: Callable[[str, int], str]) -> str:
    """The closing line of a chat review: what the language model added. `shorten(value, limit)`
    makes the model name safe for the platform's markup. Why a model failed is in the log and
    in `llm.error` of the JSON, not in the agent's language."""
    if pending:
        return t(language, "review.pending")
    if llm.used:
        return t(language, "review.llm_used", model=shorten(llm.model or "?", 200))
    return t(language, "review.llm_failed" if llm.error else "review.rules_only")
