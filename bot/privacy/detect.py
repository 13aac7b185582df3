"""Where the personal data is in a webcare text: numbers, addresses, handles and names.

Phone numbers, e-mail addresses, IBANs, postcodes with house numbers and BSNs come from the
validated detectors in review.pii; this module adds street addresses, order, customer and
booking numbers, dates of birth, @handles and people's names. Names are found from context
(a greeting, a title, "ik ben", "mijn naam is", "mijn buurman", a sign-off, the last line of a
message) and from lists of first names (then extended with a surname) and surnames.

Every pattern runs in linear time: no pattern can backtrack over more than a word or a
bounded number of words (possessive quantifiers, starts anchored at word boundaries), so a
crafted 10,000-character text takes milliseconds (scripts/bench_redaction.py measures it).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from bot.review.pii import find_personal_data

KINDS = ("phone", "email", "iban", "address", "bsn", "number", "birthdate", "handle", "name")
_PII_KINDS = {"postcode_house": "address"}  # review.pii's kinds, renamed where ours differ


@dataclass(frozen=True)
class Span:
    kind: str  # one of KINDS
    start: int
    end: int


# --- Word lists ----------------------------------------------------------------------------


def _read_list(name: str) -> list[str]:
    path = Path(__file__).with_name(name)
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


@cache
def first_names() -> tuple[frozenset[str], frozenset[str]]:
    """(names, names that are also ordinary words), lower case."""
    entries = [line.split() for line in _read_list("first_names.txt")]
    return (frozenset(e[0].lower() for e in entries),
            frozenset(e[0].lower() for e in entries if e[1:] == ["~"]))


@cache
def surnames() -> tuple[frozenset[str], frozenset[str]]:
    """(surnames with their particles, those that are also ordinary words), lower case."""
    entries = [line.rsplit(" ~", 1)[0] if line.endswith(" ~") else line for line in _read_list("surnames.txt")]
    marked = {line.removesuffix(" ~").lower() for line in _read_list("surnames.txt") if line.endswith(" ~")}
    return frozenset(e.lower() for e in entries), frozenset(marked)


@cache
def not_names() -> frozenset[str]:
    return frozenset(_read_list("not_names.txt"))


@cache
def not_name_words() -> frozenset[str]:
    """Words a name does not end with (nor, learnt alone, is): no-names and name particles."""
    return not_names() | frozenset(_PARTICLES)


# --- Numbers, dates, handles, street addresses ---------------------------------------------

# Latin-1 and the Turkish, Polish and Czech letters of Latin Extended-A ("Yılmaz", "Łukasz").
_UPPER = "A-ZÀ-ÖØ-ÞĞİŞŁŃŚŹŻČŘŠŽ"
_LOWER = "a-zß-öø-ÿğışłńśźżčřšž"
_LETTER = f"{_UPPER}{_LOWER}"
# A run of 5+ letters, digits and single inner dashes with a digit in it: a candidate order,
# customer or booking number.
_CODE = re.compile(
    r"(?<![\w@.#/-])#?(?=[A-Za-z-]*+\d)[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){4,}+(?![\w@])"
)
_DATE_LIKE = re.compile(r"\d{1,4}-\d{1,2}(?:-\d{1,4})?")
_SERVICE_NUMBER = re.compile(r"0(?:800|90\d)\b")  # a company's phone number, not a customer's
_NUMBER_CUE = re.compile(
    r"(?i)(?=[a-z])\b(?:order|bestelling|bestel|klant|boeking|booking|reservering|reservation|dossier|referentie|"
    r"reference|ref|ticket|factuur|invoice|contract|polis|pakket|zending|tracking|track & trace|"
    r"account|lid|abonnement|case|zaak)(?:s?(?:nummer|nr|code|number|no|id|ref))?\.?+:?+ {0,2}+#?+"
    r"(?=[A-Za-z-]*+\d)([A-Za-z0-9][A-Za-z0-9-]{2,40}+)(?![\w@])"
)
_MONTHS = (
    r"(?:januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
    r"january|february|march|may|june|july|august|october|jan|feb|mrt|mar|apr|jun|jul|aug|sep|sept|okt|oct|nov|dec)"
)
_DATE = re.compile(
    rf"(?i)(?=\w)(?<![\w.,/-])(?:\d{{1,2}}[-/.]\d{{1,2}}[-/.](?P<year>(?:19|20)\d\d)|(?P<iso>(?:19|20)\d\d)-\d\d-\d\d"
    rf"|\d{{1,2}}(?:e|ste|de|st|nd|rd|th)? {_MONTHS}\.? (?P<year2>(?:19|20)\d\d)"
    rf"|{_MONTHS} \d{{1,2}}(?:st|nd|rd|th)?,? (?P<year3>(?:19|20)\d\d))(?![\w/-])"
)
_BIRTH_CUE = re.compile(
    r"(?i)\b(?:geboren|geboortedatum|geb\.|verjaardag|jarig|born|birth|dob|d\.o\.b\.|birthday)[^\n]{0,20}$"
)
_ADULT_YEARS = 16  # a full date this many years back or more is taken for a date of birth
_HANDLE = re.compile(r"(?<![\w@.])@\w{2,}+")
_HOUSE_NUMBER = r"[1-9]\d{0,4}+(?:-\d{1,4}+|[ -]?[A-Za-z](?![\w-]))?+(?![\w,.-]\d)"
_STREET_WORD = r"straat|laan|gracht|plein|singel|kade|dreef|steeg|weg|dijk|hof|park|pad|markt|ring|baan|wal"
_STREET = re.compile(
    # Kerkstraat 21, Oude Gracht 12a, Burgemeester van Reenensingel 3, kerkstraat 21
    rf"(?=\w)(?<![\w'-])(?:(?:[{_UPPER}][{_LOWER}]++ (?:(?:van|de|der|den|het|'t|ter|te) ){{0,2}}+(?i:{_STREET_WORD})"
    rf"|[{_UPPER}][{_LETTER}'-]*?(?i:{_STREET_WORD})|[{_LOWER}][{_LETTER}'-]*?(?:straat|laan|gracht|plein|singel|kade|dreef|steeg)"
    # Laan van Meerdervoort 12, Plein de Terp 3
    rf"|(?:Laan|Weg|Plein|Kade|Singel|Gracht|Dreef|Hof|Straat) (?:(?:van|de|der|den|het|'t|ter|te) ){{1,3}}+"
    rf"[{_UPPER}][{_LETTER}'-]++)"
    rf" {_HOUSE_NUMBER}"
    # 221B Baker Street, 12 Main Road
    rf"|\b\d{{1,5}}+[A-Za-z]? (?:[{_UPPER}][{_LOWER}]++ ){{1,2}}(?:Street|St\.|Road|Rd\.|Avenue|Ave\.|Lane|Drive|Way|Close|Court)\b)"
)


def _numbers(text: str) -> list[Span]:
    """Order, customer and booking numbers: after a cue word, or by their shape."""
    spans = [Span("number", *m.span(1)) for m in _NUMBER_CUE.finditer(text)]
    for match in _CODE.finditer(text):
        code = match.group().lstrip("#")
        digits = sum(c.isdigit() for c in code)
        letters = sum(c.isalpha() for c in code)
        if _DATE_LIKE.fullmatch(code) or _SERVICE_NUMBER.match(code):
            continue
        if digits >= 5 or (letters and digits >= 3 and len(code) >= 6):
            spans.append(Span("number", *match.span()))
    return spans


def _birthdates(text: str, today: date) -> list[Span]:
    spans = []
    for match in _DATE.finditer(text):
        year = int(next(y for y in match.group("year", "iso", "year2", "year3") if y))
        cue = _BIRTH_CUE.search(text, max(0, match.start() - 40), match.start())
        if cue or year <= today.year - _ADULT_YEARS:
            spans.append(Span("birthdate", *match.span()))
    return spans


# --- Names ---------------------------------------------------------------------------------

_PARTICLES = ("van", "de", "der", "den", "ten", "ter", "te", "het", "'t", "el", "al", "da", "di", "du", "le", "la",
              "von", "bin", "ibn")
_PARTICLE = "(?:" + "|".join(_PARTICLES) + ")"
_CAP = rf"[{_UPPER}](?:['’][{_UPPER}])?+[{_LOWER}'’]++(?:-[{_LETTER}]++)*+(?![\w'’-])"  # Sanne, O'Brien, Smit-Jansen
_INITIALS = rf"(?:[{_UPPER}]\. ?){{1,3}}+"
# A full name: initials, particles and up to three capitalised words ("J. van der Berg").
_NAME = rf"(?:{_INITIALS})?(?:{_PARTICLE} ){{0,3}}+{_CAP}(?: (?:{_PARTICLE} ){{0,3}}+{_CAP}){{0,2}}+"
_TITLE = r"meneer|mevrouw|mevr\.?|mw\.?|mvr\.?|dhr\.?|de heer|fam\.|familie|mr\.?|mrs\.?|ms\.?|miss|dr\.?"
_GREETING = (
    r"hoi|hallo|hai|hey|hee|hi|hello|beste|dear|lieve|goedemorgen|goedemiddag|goedenavond|dag|sorry"
    r"|good morning|good afternoon|good evening|morning"
)
_SIGN_OFF = (
    r"groet|groeten|groetjes|gr\.?|mvg|m\.v\.g\.|met vriendelijke groet(?:en)?|vriendelijke groet(?:en)?|"
    r"hartelijke groet(?:en)?|liefs|regards|kind regards|best regards|best|cheers|thanks|thank you|"
    r"bedankt|alvast bedankt|dank je wel|dank u wel"
)
# Who someone is to the writer: the capitalised word after it is a name ("mijn buurman Henk").
_RELATION = (
    r"man|vrouw|vriend|vriendin|partner|moeder|vader|zoon|dochter|broer|zus|opa|oma|buurman|buurvrouw|"
    r"schoonmoeder|schoonvader|collega|bezorger|monteur|chauffeur|husband|wife|boyfriend|girlfriend|mother|"
    r"father|son|daughter|brother|sister|neighbour|neighbor|colleague|courier|driver|engineer"
)
# Where any capitalised word is a name: after a greeting at the start of a line, a title, a
# sign-off, "mijn naam is"; with the name in lower case too after a greeting or a title.
_STRONG_CUE = re.compile(
    rf"(?m)(?=[A-Za-z])(?:(?:^|(?<=[.!?] )|(?<=^[ \t]))(?i:{_GREETING})[ \t]++(?:(?i:{_TITLE}) )?+"
    rf"|(?<![\w.])(?i:{_TITLE}) "
    rf"|(?i:mijn naam is|my name is|ik heet|je spreekt met|u spreekt met|you're talking to|namens) "
    rf"|(?<!\w)(?i:{_SIGN_OFF})(?!\w)[ \t]*+[,!.]?+\s{{0,3}}+)"
    rf"(?P<name>{_NAME}|(?P<lower>[{_LOWER}]++)(?![\w-]))"
)
_RELATION_CUE = re.compile(rf"(?=[A-Za-z])(?<!\w)(?i:{_RELATION}) (?P<name>{_NAME})")
# Where only a known first name or a full name counts: "ik ben Sanne", "hier Sanne de Vries".
_WEAK_CUE = re.compile(
    rf"(?=[A-Za-z])(?i:\b(?:ik ben|i am|i'm|dit is|this is|hier|here's|met) )(?P<name>{_NAME}|[{_LOWER}]++(?![\w-]))"
)
_SIGNED = rf"{_CAP}(?: {_CAP})?+|[{_UPPER}]{{2,3}}+(?![\w-])"
# "^Tom" anywhere; "- Sanne", "/TS" only at the end of a line.
_SIGNATURE = re.compile(rf"(?m)(?<![^\s(])(?:\^ ?(?P<caret>{_SIGNED})|[~/-] ?(?P<line_end>{_SIGNED})[ \t]*+$)")
_LAST_LINE = re.compile(rf"(?m)^[ \t]*+(?P<name>{_NAME})[ \t]*+\Z")
_CAPITALISED = re.compile(rf"(?<![\w@#'’-]){_CAP}")
_SURNAME_AFTER = re.compile(rf"(?: (?:{_PARTICLE} ){{0,3}}+{_CAP}){{1,2}}+")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\n])[\s\"'(*_>-]*+\Z")


def _sentence_start(text: str, position: int) -> bool:
    return bool(_SENTENCE_START.search(text, max(0, position - 4), position))


_PARTICLES_BEFORE = re.compile(rf"(?i)(?<![\w'])(?:{_PARTICLE} ){{1,3}}+\Z")


def _surname_start(text: str, word: re.Match[str]) -> int | None:
    """Where a listed surname ending with `word` starts (with its particles: "De Wit"), if any."""
    particles = _PARTICLES_BEFORE.search(text, max(0, word.start() - 16), word.start())
    starts = [particles.start() + m.start() for m in re.finditer(r"\S++", particles.group())] if particles else []
    for start in [*starts, word.start()]:
        if " ".join(text[start:word.end()].split()).lower() in surnames()[0]:
            return start
    return None


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    """A name span without leading or trailing words that are no name; None if nothing is left."""
    words = list(re.finditer(r"\S++", text[start:end]))
    while words and words[-1].group().lower().strip(".,") in not_name_words():
        words.pop()
    if words and words[0].group().lower().strip(".,") in not_names():
        return None  # "Team Coolblue", "Customer Care", "Beste Klant": not a person
    if all(w.group().lower() in _PARTICLES for w in words):
        return None  # nothing left, or only "De" of "De Webcare"
    span = (start + words[0].start(), start + words[-1].end())
    if text[span[0]:span[1]].lower() in not_names():
        return None
    return span


def _names(text: str) -> list[Span]:
    names, ambiguous = first_names()
    found: list[tuple[int, int]] = []
    position = 0
    while match := _STRONG_CUE.search(text, position):
        if match["lower"] is not None and match["lower"] not in names:
            position = match.start("name")  # "hoi allemaal"; "namens familie X": X may follow
            continue
        found.append(match.span("name"))
        position = match.end()
    found += [match.span("name") for match in _RELATION_CUE.finditer(text)]
    for match in _WEAK_CUE.finditer(text):
        first = match["name"].split()[0].lower()
        if (first in names and first not in ambiguous) or (match["name"][0].isupper() and (first in names or " " in match["name"])):
            found.append(match.span("name"))
    for match in _SIGNATURE.finditer(text):
        found.append(match.span("caret" if match["caret"] else "line_end"))
    last = _LAST_LINE.search(text.rstrip())
    if last and (" " in last["name"] or last["name"].lower() in names) and text.strip() != last["name"]:
        found.append(last.span("name"))
    for match in _CAPITALISED.finditer(text):
        word = match.group().lower().split("-")[0]  # Pieter-Jan, Anne-Marie
        if word in names:
            surname = _SURNAME_AFTER.match(text, match.end())
            if word in ambiguous and not surname and _sentence_start(text, match.start()):
                continue  # "Mark het als gelezen", "Roos" at the start of a sentence
            found.append((match.start(), surname.end() if surname else match.end()))
        elif (start := _surname_start(text, match)) is not None:
            if start == match.start() and word in surnames()[1] and _sentence_start(text, start):
                continue  # "Bakker" or "Visser" at the start of a sentence may be the word
            found.append((start, match.end()))
    spans = []
    for start, end in found:
        trimmed = _trim(text, start, end)
        if trimmed:
            spans.append(Span("name", *trimmed))
    return spans


def _protected(text: str) -> list[tuple[int, int]]:
    """Brand names that start with a first name ("Albert Heijn"): never a person."""
    phrases = [p for p in not_names() if " " in p]
    if not phrases:
        return []
    pattern = _phrase_pattern(tuple(sorted(phrases, key=len, reverse=True)))
    return [m.span() for m in pattern.finditer(text)]


@cache
def _phrase_pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"(?i)(?<!\w)(?:" + "|".join(map(re.escape, phrases)) + r")(?!\w)")


def name_forms(name: str) -> set[str]:
    """The forms, in lower case, in which a name found once recurs: "Sanne de Vries", "Sanne",
    "de Vries"."""
    words = name.split()
    # "Vries" alone is no form of "de Vries": "wit" of "de Wit", "berg" of "van den Berg" are words
    suffixes = (" ".join(words[i:]) for i in range(1, len(words)) if words[i - 1].lower() not in _PARTICLES)
    forms = {name, words[0], *suffixes}
    return {f.lower() for f in forms if len(f) > 1 and f.lower() not in not_name_words()}


_WORD = re.compile(r"(?<![@#\w'’-])\w++(?:['’.-]\w++)*+")
_MAX_NAME_WORDS = 6


def _occurrences(text: str, names: set[str]) -> list[Span]:
    """Where known names (lower case) occur in `text`, in any case: a look-up per run of words,
    not one pattern with every name, so that time stays linear in the text."""
    if not names:
        return []
    words = list(_WORD.finditer(text))
    spans = []
    for i, first in enumerate(words):
        end = None
        for last in words[i:i + _MAX_NAME_WORDS]:
            if text[first.start():last.end()].lower() in names:
                end = last.end()
        if end is not None:
            spans.append(Span("name", first.start(), end))
    return spans


def find_spans(text: str, today: date | None = None, names: set[str] | frozenset[str] = frozenset()) -> list[Span]:
    """All personal data in `text`, sorted by start; overlapping spans are not merged here.

    `names`: names known from other texts of the same review (see name_forms), found here too.
    """
    spans = [Span(_PII_KINDS.get(p.kind, p.kind), p.start, p.end) for p in find_personal_data(text)]
    spans += [Span("address", *m.span()) for m in _STREET.finditer(text)]
    spans += _numbers(text)
    spans += _birthdates(text, today or date.today())
    spans += [Span("handle", *m.span()) for m in _HANDLE.finditer(text)]
    found = _names(text)
    found += _occurrences(text, set(names).union(*(name_forms(text[s.start:s.end]) for s in found)))
    protected = _protected(text)
    spans += [s for s in found if not _overlaps(s, protected)]
    return sorted(spans, key=lambda s: (s.start, -s.end))


def _overlaps(span: Span, spans: list[tuple[int, int]]) -> bool:
    """Whether `span` overlaps one of `spans` (sorted, not overlapping each other)."""
    i = bisect.bisect_left(spans, (span.end,)) - 1  # the last that starts before `span` ends
    return i >= 0 and spans[i][1] > span.start
