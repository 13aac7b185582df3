"""Explicit time expressions in Dutch and English drafts, resolved per the deadlines contract.

`find_time_expressions` finds them; `TimeExpression.resolve` turns one into a due moment
against a reference time and the team's `BusinessCalendar`. Vague words ("zo snel mogelijk",
"straks", "asap", "soon") are not time expressions.

Matching runs on a folded copy of the text with the same length (lower case, diacritics and
curly quotes mapped to ASCII one character for one), so offsets stay valid for the original.
Speed (about 17 microseconds on average for drafts of 200 characters, 5 to 10 for those
without a time expression): one scan, built from a prefix tree of words, finds where the core
of an expression may start (a weekday, a date, "15:00" without its preposition), checking in
`re` what must follow a word ("de" only starts "de volgende week"); each core pattern is then
only tried there. The words that may precede a core ("uiterlijk", "om", "sinds") are only
looked for right before a core, when a handler asks. Python's `re` is several times slower
with IGNORECASE, with flat alternations of words and with one scan per pattern; a scan costs
about 10 ns a character and 80 ns a word, and it is most of what drafts without a core cost.
"""

from __future__ import annotations

import bisect
import calendar as _stdcalendar
import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from enum import Enum
from typing import Literal, TypeVar

from bot.review.calendar import BusinessCalendar
from bot.review.text import fold

__all__ = ["TimeExpression", "find_time_expressions"]


def _alternatives(words: Iterable[str], after: Mapping[str, str] | None = None) -> str:
    """Regex for any of `words` as a prefix tree: `re` tries a flat alternation word by word.

    In the words a space stands for any whitespace and a hyphen for an optional space or hyphen.
    `after` maps some of the words to a regex that must follow them (looked at, not matched).
    """
    tree: dict[str, dict] = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict[str, dict], word: str) -> str:
        branches = [{" ": r"\s+", "-": r"[\s-]?"}.get(c, re.escape(c)) + emit(child, word + c)
                    for c, child in sorted(node.items()) if c]
        if "" in node and after and word in after:
            branches.append("(?=" + after[word] + ")")
        elif "" in node:
            return "(?:" + "|".join(branches) + ")?" if branches else ""
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return emit(tree, "")


def _unnamed(pattern: str) -> str:
    """`pattern` without group names, to use it a second time in one regex (no backreferences)."""
    return re.sub(r"\(\?P<\w+>", "(?:", pattern)


# --------------------------------------------------------------------------- vocabulary

class _Part(Enum):
    """Part of the day named next to a day or a clock time."""

    MORNING = "morning"
    AFTERNOON = "afternoon"
    EVENING = "evening"
    NIGHT = "night"
    EOD = "eod"


# The time of a day with this part and no clock time; the others: end of the business day.
_PART_DEFAULT: dict[_Part, time] = {_Part.MORNING: time(12, 0), _Part.EVENING: time(21, 0)}

_PART_WORDS = (  # checked in order against the folded part text ("ochtend" holds "end")
    ("eind", _Part.EOD), ("end of", _Part.EOD), ("nacht", _Part.NIGHT), ("ocht", _Part.MORNING),
    ("morg", _Part.MORNING), ("vroeg", _Part.MORNING), ("morning", _Part.MORNING),
    ("midd", _Part.AFTERNOON), ("afternoon", _Part.AFTERNOON), ("avond", _Part.EVENING),
    ("evening", _Part.EVENING), ("night", _Part.EVENING),
)


@functools.cache  # few texts, looked up for most day expressions
def _part_of(text: str | None) -> _Part | None:
    if not text:
        return None
    return next((part for word, part in _PART_WORDS if word in text), None)


_NUMBER_WORDS = {
    "een": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8,
    "negen": 9, "tien": 10, "elf": 11, "twaalf": 12, "dertien": 13, "veertien": 14,
    "vijftien": 15, "zestien": 16, "zeventien": 17, "achttien": 18, "negentien": 19,
    "twintig": 20, "vierentwintig": 24, "dertig": 30, "veertig": 40, "vijfenveertig": 45,
    "achtenveertig": 48, "vijftig": 50, "zestig": 60, "tweeenzeventig": 72,
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "twenty-four": 24, "thirty": 30, "forty": 40, "forty-five": 45,
    "forty-eight": 48, "fifty": 50, "sixty": 60, "seventy-two": 72,
}
_NUMBERS = {word.replace("-", ""): n for word, n in _NUMBER_WORDS.items()} | {
    "a": 1, "an": 1, "anderhalf": 1.5, "anderhalve": 1.5}
# "een" is no hour: "om een uur in de wacht te staan" holds no clock time.
_HOUR_WORDS = [w for w, n in _NUMBER_WORDS.items() if n <= 12 and w != "een"]


_NUMBER_SEPARATOR = re.compile(r"[\s-]")


def _number(text: str) -> float:
    key = text if text.isalnum() else _NUMBER_SEPARATOR.sub("", text)
    return float(key.replace(",", ".")) if key[0].isdigit() else _NUMBERS[key]


_WEEKDAYS = {
    "maandag": 0, "dinsdag": 1, "woensdag": 2, "donderdag": 3, "vrijdag": 4, "zaterdag": 5,
    "zondag": 6, "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
    "saturday": 5, "sunday": 6,
}
_MONTHS = {
    "januari": 1, "january": 1, "jan": 1, "februari": 2, "february": 2, "feb": 2,
    "maart": 3, "march": 3, "mrt": 3, "mar": 3, "april": 4, "apr": 4, "mei": 5, "may": 5,
    "juni": 6, "june": 6, "jun": 6, "juli": 7, "july": 7, "jul": 7, "augustus": 8,
    "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9, "oktober": 10,
    "october": 10, "okt": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
# Relative days: folded words -> (days from today, part of the day).
_REL_DAYS: dict[str, tuple[int, _Part | None]] = {
    "vandaag": (0, None), "vanmiddag": (0, _Part.AFTERNOON), "vanochtend": (0, _Part.MORNING),
    "vanmorgen": (0, _Part.MORNING), "vanavond": (0, _Part.EVENING),
    "morgen": (1, None), "overmorgen": (2, None),
    "today": (0, None), "this afternoon": (0, _Part.AFTERNOON),
    "this morning": (0, _Part.MORNING), "this evening": (0, _Part.EVENING),
    "tonight": (0, _Part.EVENING), "tomorrow": (1, None),
    "day after tomorrow": (2, None), "the day after tomorrow": (2, None),
    "het eind van de dag": (0, _Part.EOD), "het einde van de dag": (0, _Part.EOD),
    "eind van de dag": (0, _Part.EOD), "einde van de dag": (0, _Part.EOD),
    **{f"{prep} {end}": (0, _Part.EOD) for prep in ("by", "before") for end in (
        "end of day", "end of the day", "the end of the day", "end of business day",
        "the end of the business day", "eod", "cob", "close of business")},
}
# Words in front of a core, with their roles: "prefix" belongs to a day expression without
# moving the due moment, "block" makes the day a past moment, the start of a range or part of
# a name, "prep" is the preposition of a clock time ("prelude" may precede it, "clockmod" too),
# "this"/"next"/"nextweek" qualify a weekday.
_LEAD_ROLES: dict[str, tuple[str, ...]] = {
    **dict.fromkeys([
        "ergens", "in de loop van", "later", "op", "aan", "on", "towards", "sometime", "early",
        "begin", "eind", "einde", "het begin van", "het eind van", "het einde van", "the start of",
        "the beginning of", "the end of", "end of", "halverwege", "midden"], ("prefix",)),
    **dict.fromkeys(["voor", "tegen", "at", "by", "before", "no later than", "niet later dan"],
                    ("prefix", "prep")),
    **dict.fromkeys(["om", "rond", "omstreeks", "around"], ("prep",)),
    "uiterlijk": ("prefix", "prep", "prelude"), "ten laatste": ("prefix", "prelude"),
    "nog": ("prefix", "prelude"), "al": ("prelude",),
    **dict.fromkeys([
        "sinds", "since", "vanaf", "van", "tot", "tot en met", "t/m", "tm", "until", "till",
        "til", "from", "per", "afgelopen", "vorige", "vorig", "last", "past", "gisteren",
        "eergisteren", "yesterday", "elke", "iedere", "ieder", "every", "each", "goede",
        "stille", "witte", "black", "cyber", "good", "holy", "maundy", "easter", "whit",
        "blue", "fijne", "prettige", "fijn", "happy", "nice", "lovely", "great",
        "vorige week", "afgelopen week", "last week", "past week"], ("block",)),
    **dict.fromkeys(["aanstaande", "a.s.", "a.s", "komende", "deze", "this", "coming"], ("this",)),
    **dict.fromkeys(["volgende", "next"], ("next",)),
    **dict.fromkeys(["volgende week", "komende week", "next week", "volgende week op",
                     "komende week op", "next week on"], ("nextweek",)),
    **dict.fromkeys(["'s ochtends", "'s morgens", "'s middags", "'s avonds", "'s nachts"],
                    ("clockmod",)),
}

_PAST_WEEKS = frozenset({"vorige week", "afgelopen week", "last week", "past week"})

# --------------------------------------------------------------------------- patterns

_WD = "(?:" + _alternatives(_WEEKDAYS) + ")"
_MON = "(?:" + _alternatives(_MONTHS) + ")"
_NUM = r"(?:\d{1,3}(?:[.,]5)?(?![.,]?\d)|(?:" + _alternatives(_NUMBER_WORDS) + r")(?![a-z]))"
_HOUR = r"(?:\d{1,2}|" + _alternatives(_HOUR_WORDS) + ")"


def _ampm(name: str) -> str:
    return rf"\s*(?P<{name}>[ap])(?:\.\s?m\b\.?|\s?m\b)"


_CLOCK_MOD = (
    r"(?:\s+(?P<cmod>'s\s*(?:ochtends|morgens|middags|avonds|nachts)|in\s+de\s+(?:ochtend|middag|avond)"
    r"|in\s+the\s+(?:morning|afternoon|evening)|at\s+night)\b)?"
)


def _part_suffix(name: str) -> str:
    """A part of the day after a day: "vrijdagochtend", "morgen vroeg", "Friday morning"."""
    return (
        rf"(?P<{name}>(?:ochtend|morgen|vroeg|middag|avond)?)\b"
        rf"(?P<{name}2>\s+(?:'s\s*(?:ochtends|morgens|middags|avonds)"
        r"|in\s+de\s+(?:ochtend|morgen|middag|avond)"
        r"|(?:ochtend|middag|avond|vroeg|morning|afternoon|evening|night)\b"
        r"|in\s+the\s+(?:morning|afternoon|evening)"
        r"|(?:(?:voor|tegen|aan)\s+)?(?:het\s+)?einde?\s+van\s+de\s+dag"
        r"|(?:by|before)\s+(?:the\s+)?end\s+of\s+(?:the\s+)?day))?"
    )


_DURATION_UNIT = (
    r"werkdagen|werkdag|business\s+days?|working\s+days?|work\s*days?|dagen|dag|days?|weken|weeks?"
    r"|uurtjes?|uren|uur|hours?|hrs?|minuutjes?|minuten|minuut|minutes?|mins?|kwartier"
    r"|quarter\s+(?:of\s+an\s+)?hour|halfuur|half\s+uur|half\s+(?:an\s+)?hour|h|u"
)

# After a number that is no date: "2-3 dagen", "Jan 2 keer".
_NO_DATE_AFTER = (
    r"(?!\s*(?:%|x\b|dag|werkdag|week|weken|uur|uren|minu|maand|jaar|keer|stuks|euro|days?\b"
    r"|weeks?\b|hours?\b|minutes?\b|business|working|months?\b|years?\b|times\b))"
)
# A clock time that starts a range is an opening time: "9:00 - 17:00".
_NO_RANGE_AFTER = r"(?!\s*(?:-|tot\b|to\b|until\b|till\b|t/m)\s*\d)"
# Cores that start with a digit: "3 december", "3/12", "15:00", "3 uur", "3pm".
_DIGIT_RE = re.compile(
    r"(?P<num>\d{1,2})(?:"
    r"(?P<date_dm>(?:e|ste|de|st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>" + _MON + r")\b(?:\s+(?P<y>\d{4})\b)?)"
    r"|(?P<date_num>(?P<sep>[/-])(?P<mn>\d{1,2})(?:(?P=sep)(?P<yn>\d{4}|\d{2}))?(?![\w/]|[-.,:]\d)"
    + _NO_DATE_AFTER + r"(?!\s*" + _MON + r"))"  # "3-5 december" is a range
    r"|(?P<clock>(?:(?P<colon>[:.])(?P<m>[0-5]\d)(?!\d)(?P<uur>\s*uur\b)?(?:" + _ampm("ap") + r")?"
    r"|(?P<uur2>\s*uur\b|u\b)|\s*o'?\s*clock\b|" + _ampm("ap2")
    # a bare hour, a clock time only as the end of "tussen 8 en 12" (see _Scan._clock)
    + r"|(?P<bare>(?![\w%/:-]|[.,]\d))" + _NO_DATE_AFTER + r")" + _CLOCK_MOD + _NO_RANGE_AFTER + r"))"
)
_WEEK_PHRASES = {
    **dict.fromkeys(["volgende week", "komende week", "de volgende week", "de komende week",
                     "next week", "the next week", "coming week", "the coming week"], 1),
    **dict.fromkeys(["deze week", "this week", "eind van de week", "einde van de week",
                     "het eind van de week", "het einde van de week", "end of the week",
                     "the end of the week", "end of week", "voor het weekend", "by the weekend",
                     "before the weekend"], 0),
}
# Cores that start with a word; each is only tried where _CORE_TRIGGER_RE finds such a word.
_DURATION_AFTER = (  # what follows "binnen", "within", "in" or "over"
    r"\s+(?:(?:maximaal|max\.?|ongeveer|about|around|at\s+most)\s+)?(?:"
    r"(?:(?:de|het|the)\s+)?(?:(?:next|komende|coming|eerstvolgende|volgende)\s+)?"
    r"(?P<amt>" + _NUM + r"|anderhalve|anderhalf|an?)"
    r"(?:\s*(?:-|a|tot|to|of|or)\s*(?P<amt_hi>" + _NUM + r"))?\s*(?P<unit>" + _DURATION_UNIT + r")"
    r"|(?:het|the)\s+(?:(?:next|komende|eerstvolgende)\s+)?"
    r"(?P<unit_the>uurtje|uur|hour|kwartier|halfuur|half\s+uur)"  # "binnen het uur"
    r"|(?P<unit_half>half\s+an?\s+hour))\b"
    r"(?:\s+(?:of|or)\s+(?P<amt_or>" + _NUM + r")(?!\s*(?:" + _DURATION_UNIT + r")\b))?"
    r"(?!\s*(?:geleden|ago|wachten|wachttijd|of\s+waiting|vertraging|delay|te\s+laat|late)\b)"
)
_DURATION_RE = re.compile(  # not "kwart over 2 uur"
    r"(?<!kwart\s)(?:binnen|within|in|over)" + _DURATION_AFTER
)
_DATE_MD_RE = re.compile(
    r"(?P<mon>" + _MON + r")\.?\s+(?:the\s+)?(?P<d>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>\d{4})\b)?"
    + _NO_DATE_AFTER
)
_HOUR_WORD_RE = re.compile(
    r"(?P<hw>" + _alternatives(_HOUR_WORDS) + r")(?:\s*uur\b|\s*o'?\s*clock\b|" + _ampm("ap") + ")"
    + _CLOCK_MOD
)
_HALF_RE = re.compile(
    r"(?:half\s+(?P<half>" + _HOUR + r")|kwart\s+(?P<qdir>over|voor)\s+(?P<qh>" + _HOUR
    + r")|noon|midday)\b" + _CLOCK_MOD
)
_RELDAY_RE = re.compile(
    r"(?P<rel>" + _alternatives(_REL_DAYS) + r")(?!')" + _part_suffix("part") + r"(?:\s+nog\b)?"
)
_WEEK_RE = re.compile(r"(?P<wk>" + _alternatives(_WEEK_PHRASES) + r")\b(?!')(?:\s+nog\b)?")
_WEEKDAY_RE = re.compile(
    r"(?P<wd>" + _WD + ")" + _part_suffix("part")
    + r"(?P<wkpost>\s+(?:(?:van\s+)?(?:de\s+)?volgende|next)\s+week\b)?"
)


def _core_starts() -> tuple[dict[str, tuple[re.Pattern[str], ...]], dict[str, str]]:
    """The word-led core patterns by the first word they can start with, and for most of those
    words a regex that must follow them for any of their patterns to match.

    The scan checks what follows, so that frequent words ("de", "het", "in") only make it try a
    pattern where one may match. A word that extends a shorter one ("deze", "december") gets no
    such check: where it failed, `re` would try the shorter word instead.
    """
    starts: dict[str, tuple[re.Pattern[str], ...]] = {}
    rests: dict[str, list[str]] = {}  # the other words of the phrases a word starts
    afters: dict[str, list[str | None]] = {}  # what follows a word that is a phrase of its own
    for words, pattern, after in (
        (_WEEKDAYS, _WEEKDAY_RE, None), (_MONTHS, _DATE_MD_RE, r"\.?\s+(?:the\s+)?\d"),
        (_HOUR_WORDS, _HOUR_WORD_RE, r"\s*(?:uur|o|[ap])"),
        (["half", "kwart", "noon", "midday"], _HALF_RE, None),
        (["binnen", "within", "in", "over"], _DURATION_RE, _unnamed(_DURATION_AFTER)),
        (_REL_DAYS, _RELDAY_RE, None), (_WEEK_PHRASES, _WEEK_RE, None),
    ):
        for word in words:
            first, _, rest = word.partition(" ")
            if pattern not in starts.get(first, ()):
                starts[first] = starts.get(first, ()) + (pattern,)
            if rest:
                rests.setdefault(first, []).append(rest)
            else:
                afters.setdefault(first, []).append(after)
    guards = {}
    for first in starts:
        follow = afters.get(first, [])
        if None in follow or any(first != other and first.startswith(other) for other in starts):
            continue
        if first in rests:
            follow = [r"\s+(?:" + _alternatives(rests[first]) + ")", *follow]
        guards[first] = "|".join(dict.fromkeys(follow))
    return starts, guards


_CORE_STARTS, _CORE_GUARDS = _core_starts()
# Leads with a pattern of their own, by their first word.
_LEAD_WEEKDAY_RE = re.compile(  # "maandag - vrijdag", "vrijdag 3 december"
    _WD + r"(?:\s*(?P<range>-|to\b|through\b|thru\b)|,?(?=\s)(?:\s+(?:de|the)\b)?)\s*"
)
_LEAD_BETWEEN_RE = re.compile(  # "tussen 9 en 12 uur": the window starts at 9 (the earliest time counts)
    r"(?:tussen|between)\s+(?P<num>\d{1,2})(?:[:.](?P<m>[0-5]\d))?(?:\s*(?:uur|(?P<ap>[ap])\.?m\b\.?))?\s*(?:en|and|-)\s*"
)
_LEAD_PATTERNS = {**dict.fromkeys(_WEEKDAYS, _LEAD_WEEKDAY_RE), "tussen": _LEAD_BETWEEN_RE,
                  "between": _LEAD_BETWEEN_RE}


# Where cores may start, each after a non-word character: a word that starts a core and is
# followed by what one of its patterns needs, or a digit. A character class finds the non-word
# characters much faster than \W (a Unicode lookup for every character of the text); it also
# finds letters and digits of other scripts, which are ruled out afterwards. The words' prefix
# tree is not put in a group of its own: `re` then skips its branches by their first letter.
_CORE_TRIGGER_RE = re.compile(
    "[^a-zA-Z0-9_](?:" + _alternatives(_CORE_STARTS, _CORE_GUARDS).removeprefix("(?:").removesuffix(")")
    + r"|\d)"
)
# Where the words in front of a core may start, likewise: a lead word followed by a space (only
# looked at, not matched, as a core or a lead may start inside "aan het eind van"), or a word
# with a lead pattern.
_LEAD_TRIGGER_RE = re.compile(
    r"[^a-zA-Z0-9_](?:(?=(?P<lead>" + _alternatives(_LEAD_ROLES) + r")(?P<space>\s+))"
    r"|(?P<word>" + _alternatives(_LEAD_PATTERNS) + r"))"
)
# The most words that words in front of a core span ("in de loop van"; 4 for _LEAD_BETWEEN_RE:
# "tussen 9:00 uur en").
_LEAD_WORDS = max(4, *(len(lead.split()) for lead in _LEAD_ROLES))
# Every last word, if made of word characters only, that words in front can end in: the last
# word of a lead, or of a _LEAD_WEEKDAY_RE or _LEAD_BETWEEN_RE match (keep in step with those).
_LEAD_LAST_WORD = re.compile(
    _alternatives({lead.split()[-1] for lead in _LEAD_ROLES}) + "|" + _WD
    + r"(?:to|through|thru)?|de|the|to|through|thru|\d{0,2}(?:uur)?(?:en|and)"
)
_BLOCK_AFTER = re.compile(  # a past moment, a range, opening hours ("maandag 9:00-17:00")
    r"\s*(?:(?:vorige\s+week|last\s+week|geleden|ago)\b|\d{1,2}[:.]\d\d\s*(?:-|tot\b|to\b)\s*\d"
    r"|(?:-|to\b|through\b|thru\b|t/m|tot(?:\s+en\s+met)?\b|until\b|till\b)\s*(?:" + _WD + r"|\d))"
)
_BETWEEN_LAST = re.compile(r"(?:\ben|\band|-)\s*$")  # how _LEAD_BETWEEN_RE ends, right before its hour
_NOT_BEFORE_DIGITS = frozenset(".,/:-€$£")
_DIGIT_PATTERNS = (_DIGIT_RE,)
# Between a day and its clock time: commas and at most a few words of the same clause.
_NARROW_GAP = re.compile(r"[\s,]*")
_WIDE_GAP = re.compile(r"[\s,]+(?:[^\W\d_]+(?:'[^\W\d_]+)?[\s,]+){0,4}")
_GAP_WORD = re.compile(r"[^\W\d_]+")
_MAX_GAP = 60  # characters; longer gaps are never a few words
_CLAUSE_WORDS = frozenset(
    "en and of or maar but want omdat because terwijl while als if tot until sinds since vanaf "
    "from na after".split()
)


# --------------------------------------------------------------------------- anchors

@dataclass(frozen=True)
class _RelativeDay:
    days: int

    def day(self, today: date) -> date:
        return today + timedelta(days=self.days)


@dataclass(frozen=True)
class _Weekday:
    weekday: int
    weeks_ahead: int | None = None  # None: the nearest such day; n: that day n ISO weeks on
    skip_today: bool = False  # "next Friday" said on a Friday is a week later

    def day(self, today: date) -> date:
        if self.weeks_ahead is not None:
            monday = today - timedelta(days=today.weekday())
            return monday + timedelta(days=7 * self.weeks_ahead + self.weekday)
        ahead = (self.weekday - today.weekday()) % 7
        return today + timedelta(days=7 if ahead == 0 and self.skip_today else ahead)


@dataclass(frozen=True)
class _WeekFriday:
    weeks_ahead: int

    def day(self, today: date) -> date:
        friday = today + timedelta(days=4 - today.weekday() + 7 * self.weeks_ahead)
        # On a weekend "this week" has no Friday left: the coming one is meant.
        return friday + timedelta(days=7) if friday < today else friday


@dataclass(frozen=True)
class _CalendarDate:
    day_of_month: int
    month: int
    year: int | None = None

    def day(self, today: date) -> date:
        if self.year is not None:
            return self._in(self.year)
        this_year = self._in(today.year)
        return this_year if this_year >= today else self._in(today.year + 1)

    def _in(self, year: int) -> date:
        if (self.month, self.day_of_month) == (2, 29):
            while not _stdcalendar.isleap(year):
                year += 1
        return date(year, self.month, self.day_of_month)


@dataclass(frozen=True)
class _Duration:
    amount: int
    unit: Literal["minutes", "days", "business_days"]

    def add(self, local: datetime, calendar: BusinessCalendar) -> datetime:
        if self.unit == "minutes":  # absolute time: 24 hours stay 24 hours across a DST change
            return (local.astimezone(UTC) + timedelta(minutes=self.amount)).astimezone(calendar.timezone)
        if self.unit == "days":
            return calendar.at_local(local.date() + timedelta(days=self.amount), local.time())
        return calendar.add_business_days(local, self.amount)


_DayAnchor = _RelativeDay | _Weekday | _WeekFriday | _CalendarDate
_Anchor = TypeVar("_Anchor", _RelativeDay, _Weekday, _WeekFriday, _CalendarDate, _Duration)


@functools.lru_cache(maxsize=1024, typed=True)
def _anchor(kind: type[_Anchor], *args: object) -> _Anchor:
    """One instance per value: anchors are immutable, and a look-up is cheaper than a new one."""
    return kind(*args)


# --------------------------------------------------------------------------- result

@dataclass(frozen=True)
class TimeExpression:
    """One explicit time expression; `start`/`end` are indices into the searched text."""

    start: int
    end: int
    text: str
    anchor: _DayAnchor | _Duration | None  # None: a clock time on its own
    clock: time | None = None
    default_time: time | None = None  # the time without a clock; None: end of business day

    def resolve(self, at: datetime, calendar: BusinessCalendar) -> datetime:
        """The due moment, an aware datetime in `calendar.timezone`; `at` must be aware."""
        local = at.astimezone(calendar.timezone)
        today = local.date()
        if isinstance(self.anchor, _Duration):
            return self.anchor.add(local, calendar)
        if self.anchor is None:
            assert self.clock is not None
            due = calendar.at_local(today, self.clock)
            return due if due >= local else calendar.at_local(today + timedelta(days=1), self.clock)
        day = self.anchor.day(today)
        if self.clock is None:
            return calendar.at_local(day, self.default_time or calendar.closes)
        due = calendar.at_local(day, self.clock)
        if isinstance(self.anchor, _Weekday) and self.anchor.weeks_ahead is None and due < local:
            # "vrijdag om 10 uur" said on a Friday at noon means next Friday.
            due = calendar.at_local(day + timedelta(days=7), self.clock)
        return due


def on_their_day(times: Sequence[TimeExpression]) -> list[TimeExpression]:
    """The times of one promise, a clock said apart from its only day put on that day
    ("maandag komt de monteur als eerste langs, vóór 10:00": Monday before 10:00, not tomorrow)."""
    days = [t for t in times if t.clock is None and t.anchor is not None and not isinstance(t.anchor, _Duration)]
    clocks = [t for t in times if t.anchor is None]
    if len(days) != 1 or not clocks:
        return list(times)
    return [t for t in times if t.anchor is not None and t is not days[0]] + [
        replace(days[0], clock=c.clock) for c in clocks]


# --------------------------------------------------------------------------- candidates

@dataclass(slots=True, eq=False)  # hashed by identity; not frozen: that makes creation slow
class _Day:
    """A day expression, a week or a duration found in the text."""

    start: int
    end: int
    core: int  # start without the prefix words, which may give way to an expression before it
    anchor: _DayAnchor | _Duration
    part: _Part | None = None
    pairs: bool = True  # takes a clock time ("deze week" and durations do not)
    blocked: bool = False


@dataclass(slots=True, eq=False)
class _Clock:
    start: int
    end: int
    core: int  # start without "uiterlijk", "nog", "'s ochtends" in front of the preposition
    hour: int
    minute: int
    ampm: str | None
    modifier: _Part | None
    literal_24h: bool  # "15:00", "07:00": no afternoon guess
    has_prep: bool

    def to_time(self, hint: _Part | None) -> time:
        """Wall-clock time; `hint` is the part of the day of a day expression next to it."""
        hour = self.hour
        part = self.modifier or hint
        if self.ampm:
            hour = hour % 12 + (12 if self.ampm == "p" else 0)
        elif part in (_Part.AFTERNOON, _Part.EVENING) and hour < 12:
            hour += 12
        elif part is _Part.NIGHT and 6 <= hour < 12:
            hour += 12
        elif part is None and not self.literal_24h and 1 <= hour <= 7:
            hour += 12  # business hours: "om 3 uur" is 15:00
        return time(hour, self.minute)


def _cores(folded: str) -> list[re.Match[str]]:
    """The matches of the core patterns in `folded`, by where they start."""
    cores: list[re.Match[str]] = []
    padded = " " + folded
    trigger = _CORE_TRIGGER_RE.search(padded)  # not finditer: cheaper for the many drafts with none
    while trigger is not None:
        start, end = trigger.span()  # in `folded` the word or digit found is folded[start : end - 1]
        before = folded[start - 1 : start]
        patterns = _CORE_STARTS.get(folded[start : end - 1], _DIGIT_PATTERNS)
        if before.isalnum():
            patterns = ()  # after a letter or digit of another script: see _CORE_TRIGGER_RE
        elif patterns is _DIGIT_PATTERNS and before in _NOT_BEFORE_DIGITS:
            patterns = ()  # part of a number, a code or an amount: "1.3/12", "€15.00"
        for pattern in patterns:
            core = pattern.match(folded, start)
            if core is not None:
                cores.append(core)
        trigger = _CORE_TRIGGER_RE.search(padded, end)
    return cores


class _Scan:
    """The cores of one folded text and the words in front of them."""

    def __init__(self, folded: str, cores: list[re.Match[str]]) -> None:
        self.folded = folded
        self.days: list[_Day] = []
        self.clocks: list[_Clock] = []
        # Words in front of a core, looked for only where needed: end -> start, roles, text.
        self.leads: dict[int, tuple[int, tuple[str, ...], str] | None] = {}
        self._padded = " " + folded
        for core in cores:
            _HANDLERS[id(core.re)](self, core)

    def lead(self, end: int, role: str) -> tuple[int, str] | None:
        """Start and text of the words right before index `end`, if they have `role`."""
        if end not in self.leads:
            self.leads[end] = self._lead_ending_at(end)
        found = self.leads[end]
        if found is None or role not in found[1]:
            return None
        return found[0], found[2]

    def _lead_ending_at(self, end: int) -> tuple[int, tuple[str, ...], str] | None:
        """Of the words in front that end at `end`, the ones that start last.

        Such words end in the last word before `end`. Mostly that word is made of word
        characters only and is no lead's last word, or it is a lead of its own: then one match
        decides. Otherwise the last few words are scanned, up to `end` only. Cut off there, the
        text may show words that end at `end` but go on ("volgende week | op"): those are
        matched again in the full text.
        """
        folded = self.folded
        if folded[end - 1 : end] == " ":  # the usual case: the last word is right before it
            last_start = folded.rfind(" ", 0, end - 1) + 1
            if folded[last_start : end - 1].isalnum():
                if not _LEAD_LAST_WORD.fullmatch(folded, last_start, end - 1):
                    return None
                found = self._lead_at(last_start)
                if found is not None and found[0] == end:
                    return found[1]
        words = folded[:end].rsplit(None, _LEAD_WORDS)
        window = len(words[0]) if len(words) > _LEAD_WORDS else 0
        lead = None
        for trigger in _LEAD_TRIGGER_RE.finditer(self._padded, window, end + 1):
            if trigger["lead"] is None or trigger.end("space") - 1 == end:
                found = self._lead_at(trigger.start())
                if found is not None and found[0] == end:
                    lead = found[1]
        return lead

    def _lead_at(self, start: int) -> tuple[int, tuple[int, tuple[str, ...], str]] | None:
        """Where the words in front that start at `start` end, with their start, roles and text."""
        trigger = _LEAD_TRIGGER_RE.match(self._padded, start)
        if trigger is None or self.folded[start - 1 : start].isalnum():  # see _CORE_TRIGGER_RE
            return None
        lead, _, word = trigger.groups()
        if lead is not None:
            return trigger.end("space") - 1, (start, _LEAD_ROLES[" ".join(lead.split())], lead)
        m = _LEAD_PATTERNS[word].match(self.folded, start)
        if m is None:
            return None
        roles = ("prep",) if m.re is _LEAD_BETWEEN_RE else ("block",) if m["range"] else ("datewd",)
        return m.end(), (start, roles, m.group())

    def _add(self, m: re.Match[str], anchor: _DayAnchor | _Duration, part: _Part | None = None,
             pairs: bool = True, start: int | None = None, relative: bool = False) -> None:
        """A day with its prefix words ("uiterlijk", "op", "voor"), and whether it is blocked.
        `relative`: a day named from today ("vanavond", "morgen"), which a past week in front of
        it does not make past ("je data van de afgelopen week | vanavond"), as it does a weekday
        ("vorige week vrijdag")."""
        core = start = m.start() if start is None else start
        for _ in range(3):
            prefix = self.lead(start, "prefix")
            if prefix is None:
                break
            start = prefix[0]
        block = self.lead(start, "block")
        blocked = (block is not None and not (relative and " ".join(block[1].split()) in _PAST_WEEKS)
                   or _BLOCK_AFTER.match(self.folded, m.end()) is not None)
        self.days.append(_Day(start, m.end(), core, anchor, part, pairs, blocked))

    def _relday(self, m: re.Match[str]) -> None:
        offset, part = _REL_DAYS[" ".join(m["rel"].split())]
        self._add(m, _anchor(_RelativeDay, offset), _part_of(m["part"] or m["part2"]) or part, relative=True)

    def _weekday(self, m: re.Match[str]) -> None:
        this, nxt = self.lead(m.start(), "this"), self.lead(m.start(), "next")
        next_week = self.lead(m.start(), "nextweek")
        mod = this or nxt or next_week
        weeks_ahead = 1 if m["wkpost"] or next_week else None
        anchor = _anchor(_Weekday, _WEEKDAYS[m["wd"]], weeks_ahead, nxt is not None)
        self._add(m, anchor, _part_of(m["part"] or m["part2"]), start=mod[0] if mod else None)

    def _week(self, m: re.Match[str]) -> None:
        self._add(m, _anchor(_WeekFriday, _WEEK_PHRASES[" ".join(m["wk"].split())]), pairs=False)

    def _digits(self, m: re.Match[str]) -> None:
        if m["date_dm"] is not None:
            self._date(m, m["num"], _MONTHS[m["mon"]], m["y"])
        elif m["date_num"] is not None:
            if m.group() not in ("24/7", "24-7"):
                self._date(m, m["num"], m["mn"], m["yn"])
        else:
            self._clock(m)

    def _date_md(self, m: re.Match[str]) -> None:
        self._date(m, m["d"], _MONTHS[m["mon"]], m["y"])

    def _date(self, m: re.Match[str], day: str, month: str | int, year: str | None) -> None:
        d, mon = int(day), int(month)
        if 1 <= mon <= 12 and 1 <= d <= _stdcalendar.monthrange(2000, mon)[1]:
            full_year = None if year is None else int(year) + (2000 if len(year) == 2 else 0)
            weekday = self.lead(m.start(), "datewd")  # "vrijdag 3 december"
            anchor = _anchor(_CalendarDate, d, mon, full_year)
            self._add(m, anchor, start=weekday[0] if weekday else None)

    def _duration(self, m: re.Match[str]) -> None:
        duration = _duration(m)
        if duration is not None:
            self._add(m, duration, pairs=False)

    def _clock(self, m: re.Match[str]) -> None:
        """A clock time in digits: "15:00", "15.00 uur", "3 uur", "3pm"."""
        # Without a preposition only "15:00", "15.00 uur" and "3pm" count, and only next to a
        # day: "vandaag 2 uur gewacht", "vandaag 15.00 euro".
        bare_ok = (m["ap"] or m["ap2"]) is not None or m["colon"] == ":" or m["uur"] is not None
        # "tussen 10:00 en 12:00": the window's start is the earliest time, so it counts
        window = None
        if _BETWEEN_LAST.search(self.folded, max(0, m.start() - 5), m.start()) is not None:  # the cheap test first
            prep = self.lead(m.start(), "prep")
            window = _LEAD_BETWEEN_RE.fullmatch(prep[1]) if prep is not None else None
        if m["bare"] is not None and window is None:  # "donderdag tussen 8 en 12": only after "tussen … en"
            return
        first = window or m
        num, minutes, ampm = first["num"], first["m"], first["ap"] or m["ap"] or m["ap2"]
        hour = int(num)
        # "07:00", "15:00", "7:00" and "6:30" are read as written (digits with minutes are the 24-hour
        # clock: "de eerste pont gaat om 6:30"); "om 3 uur" and "3:00" are in business hours
        literal = hour == 0 or hour > 12 or num.startswith("0") or (
            minutes is not None and (hour >= 7 or int(minutes) != 0))
        self._add_clock(m, hour, int(minutes or 0), ampm, literal, bare_ok)

    def _hour_word(self, m: re.Match[str]) -> None:
        """A clock time in words: "drie uur", "three pm"."""
        self._add_clock(m, int(_number(m["hw"])), 0, m["ap"], False, m["ap"] is not None)

    def _half(self, m: re.Match[str]) -> None:
        """ "half 4" is 3:30, "kwart voor 4" 3:45, "half 1" 12:30, "half 14" 13:30; noon."""
        if m["half"] is None and m["qh"] is None:
            self._add_clock(m, 12, 0, None, True, True)
            return
        hour = int(_number(m["half"] or m["qh"]))
        hour, minute = (hour, 15) if m["qdir"] == "over" else (hour - 1, 45 if m["qh"] else 30)
        self._add_clock(m, hour or 12, minute, None, hour > 12, False)

    def _add_clock(self, m: re.Match[str], hour: int, minute: int, ampm: str | None,
                   literal_24h: bool, bare_ok: bool) -> None:
        if not 0 <= hour <= 23 or (ampm and not 1 <= hour <= 12):
            return
        start, modifier = m.start(), m["cmod"]
        prep = self.lead(start, "prep")
        if prep is not None:
            core = start = prep[0]
            prelude = self.lead(start, "prelude")  # "uiterlijk om"
            start = prelude[0] if prelude else start
            clockmod = self.lead(start, "clockmod")  # "'s ochtends om 7 uur"
            if clockmod is not None:
                start, modifier = clockmod[0], modifier or clockmod[1]
        elif bare_ok:
            core = start
        else:
            return
        self.clocks.append(_Clock(start, m.end(), core, hour, minute, ampm, _part_of(modifier),
                                  literal_24h, prep is not None))


# By id: hashing a compiled pattern hashes all of its code, which takes microseconds.
_HANDLERS = {id(pattern): handler for pattern, handler in (
    (_DIGIT_RE, _Scan._digits), (_DURATION_RE, _Scan._duration), (_DATE_MD_RE, _Scan._date_md),
    (_HOUR_WORD_RE, _Scan._hour_word), (_HALF_RE, _Scan._half), (_RELDAY_RE, _Scan._relday),
    (_WEEK_RE, _Scan._week), (_WEEKDAY_RE, _Scan._weekday),
)}


def _duration(m: re.Match[str]) -> _Duration | None:
    unit = " ".join((m["unit"] or m["unit_the"] or m["unit_half"]).split())
    amount_text = m["amt_or"] or m["amt_hi"] or m["amt"]  # a range counts by its upper bound
    if unit in ("h", "u") and not (amount_text or "x")[0].isdigit():
        return None
    amount = 1.0 if amount_text is None else _number(amount_text)
    if unit.startswith(("half", "quarter")) or unit == "kwartier":
        return _anchor(_Duration, round(amount * (30 if unit.startswith("half") else 15)), "minutes")
    if unit.startswith("min"):
        return _anchor(_Duration, round(amount), "minutes")
    if unit[0] in "uh":
        return _anchor(_Duration, round(amount * 60), "minutes")
    if amount != int(amount):
        return None
    if unit.startswith(("werk", "business", "working", "work")):
        return _anchor(_Duration, int(amount), "business_days")
    return _anchor(_Duration, int(amount) * (7 if unit.startswith("we") else 1), "days")


_Found = TypeVar("_Found", _Day, _Clock)


def _without_overlaps(folded: str, found: list[_Found], fixed: Sequence[_Day] = ()) -> list[_Found]:
    """Leftmost, then longest, of `found` that overlap neither each other nor `fixed`.

    One that overlaps only with its words in front loses those: "vandaag nog | voor 16:00".
    """
    if not found or (not fixed and len(found) == 1):
        return list(found)
    kept: list[_Found] = []
    for item in sorted(found, key=lambda f: (f.start, -f.end)):
        for other in (*fixed, *kept):
            if other.start < item.end and item.start < other.end:
                if other.end > item.core:
                    break
                item.start = item.core - len(folded[other.end : item.core].lstrip())
        else:
            kept.append(item)
    return kept


def _gap_ok(folded: str, start: int, end: int, wide: bool) -> bool:
    if _NARROW_GAP.fullmatch(folded, start, end):
        return True
    return (wide and _WIDE_GAP.fullmatch(folded, start, end) is not None
            and not any(w in _CLAUSE_WORDS for w in _GAP_WORD.findall(folded, start, end)))


def _pairs(folded: str, days: list[_Day], clocks: list[_Clock]) -> dict[_Day, _Clock]:
    """Day expressions with their clock time, closest pairs first, nothing else in between."""
    if not days or not clocks:
        return {}
    # Only clocks within _MAX_GAP of a day can pair with it: found by bisection over their starts
    # (clocks come sorted from _without_overlaps), so a draft repeating "morgen om 10 uur" stays linear.
    clock_starts = [c.start for c in clocks]
    longest = max(c.end - c.start for c in clocks)
    options = []
    for d in days:
        window = clocks[bisect.bisect_left(clock_starts, d.start - _MAX_GAP - longest):
                        bisect.bisect_right(clock_starts, d.end + _MAX_GAP)]
        for c in window:
            if not d.pairs or (c.end <= d.start and not c.has_prep):
                continue
            lo, hi = (d.end, c.start) if d.end <= c.start else (c.end, d.start)
            if hi - lo <= _MAX_GAP and _gap_ok(folded, lo, hi, wide=c.has_prep and not d.blocked):
                options.append((hi - lo, d.start, d, c, lo, hi))
    starts = sorted(s.start for s in (*days, *clocks))
    paired: dict[_Day, _Clock] = {}
    taken: set[_Clock] = set()
    for _, _, d, c, lo, hi in sorted(options, key=lambda o: o[:2]):
        first = bisect.bisect_left(starts, lo)
        between = first < len(starts) and starts[first] < hi  # another expression starts in the gap
        if d not in paired and c not in taken and not between:
            paired[d] = c
            taken.add(c)
    return paired


# A draft has time expressions only if it holds a digit, "am"/"pm" or one of these words
# (weekdays end in "dag" or "day", and "morgen" is in all its compounds). `in` finds a word
# many times faster than `re` finds any of them.
_TIME_WORDS = (  # the most frequent first; "middag", "tonight", "afternoon" hold shorter ones
    "dag", "uur", "morgen", "daag", *"0123456789", "ochtend", "uren", "day", "hour", "avond", "minu",
    "week", "kwart", "half", "tomorrow", "morning", "evening", "night", "noon", "eod", "clock",
)
_DIGIT = re.compile(r"\d")  # other scripts' digits too
_AM_PM = re.compile(r"m\b(?:(?<=\b[ap]m)|(?<=\b[ap]\.m))")  # \b[ap]\.?m\b, found by its "m"


# Patterns whose matches always hold a digit or one of _TIME_WORDS, by id (see _HANDLERS).
_HOLD_TIME = {id(pattern) for pattern in (_DIGIT_RE, _DATE_MD_RE, _WEEKDAY_RE, _WEEK_RE, _HALF_RE)}


def _may_hold_time(folded: str) -> bool:
    """Whether `folded` holds a digit, one of _TIME_WORDS or "am"/"pm"."""
    return (any(map(folded.__contains__, _TIME_WORDS))
            or (not folded.isascii() and _DIGIT.search(folded) is not None)
            or _AM_PM.search(folded) is not None)


def find_time_expressions(text: str, folded: str | None = None) -> list[TimeExpression]:
    """Explicit time expressions in `text`, sorted by start and not overlapping.

    `folded` is text.fold(text) when the caller has it already.
    """
    folded = fold(text) if folded is None else folded
    # Most drafts hold no core, and the scan for cores tells that sooner than a look for the
    # time words: that look comes second, and only where the cores do not settle it.
    cores = _cores(folded)
    if not cores or (not any(id(c.re) in _HOLD_TIME for c in cores) and not _may_hold_time(folded)):
        return []
    scan = _Scan(folded, cores)
    days = _without_overlaps(scan.folded, scan.days)
    clocks = _without_overlaps(scan.folded, scan.clocks, days)
    paired = _pairs(scan.folded, days, clocks)

    found = []
    for d in days:
        if d.blocked:  # with its clock time: "vanaf morgen om 10 uur"
            continue
        c = paired.get(d)
        start, end = (min(d.start, c.start), max(d.end, c.end)) if c else (d.start, d.end)
        found.append(TimeExpression(start, end, text[start:end], d.anchor,
                                    c.to_time(d.part) if c else None, _PART_DEFAULT.get(d.part)))
    if clocks:
        taken = set(paired.values())
        found += [TimeExpression(c.start, c.end, text[c.start:c.end], None, c.to_time(None))
                  for c in clocks if c.has_prep and c not in taken]
    if len(found) > 1:
        found.sort(key=lambda e: e.start)
    return found
