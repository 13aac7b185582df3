"""Detectors for personal data (phone, e-mail, IBAN, address, BSN) in Dutch webcare texts."""

from __future__ import annotations

import bisect
import re
import string
from dataclasses import dataclass


@dataclass(frozen=True)
class PersonalData:
    """One piece of personal data found in a text."""

    kind: str  # "phone" | "email" | "iban" | "postcode_house" | "bsn"
    start: int  # Python string indices into the text
    end: int
    text: str


# --- Phone numbers -------------------------------------------------------------------------

# Not glued to a word, to a +, or to the digits of a date, amount, time or range.
_PHONE_BEFORE = r"(?<![\w@+/-])(?<!\d[.,:])"
_PHONE_AFTER = r"(?![\w@/])(?![-.,:]\d)"


def _subscriber(digits: int) -> str:
    """Exactly `digits` digits, optionally grouped with single spaces."""
    return rf"\d(?: ?\d){{{digits - 1}}}"


def _national_number(prefix: str, area_end: str) -> str:
    """The nine digits after the trunk 0: an area code of 1-3 digits, then the subscriber.

    The prefix stands for the trunk 0 (or +31); 0800 and 090x are company service numbers.
    """
    return "|".join(
        rf"{prefix}(?!800|90)[1-9]\d{{{area - 1}}}{area_end}{_subscriber(9 - area)}"
        for area in (1, 2, 3)
    )


_AREA_SEPARATOR = r"(?: ?- ?| )?"
_PHONE = re.compile(
    "(?=[+0(])"  # lets the engine skip quickly to where a number can start
    + _PHONE_BEFORE
    + "(?:"
    + _national_number(r"(?:\+|00)31[ -]?(?:\(0\) ?)?", _AREA_SEPARATOR)  # +31 6 12345678
    + "|"
    + _national_number("0", _AREA_SEPARATOR)  # 06-12345678, 020 123 45 67
    + "|"
    + _national_number(r"\(0", r"\) ?")  # (020) 123 4567
    + r"|(?P<international>\+(?!31)[1-9](?:[ -]?\(\d{1,4}\)|[ -]?\d)++)"  # +32 470 12 34 56
    + ")"
    + _PHONE_AFTER
)
_INTERNATIONAL_DIGITS = range(8, 16)

# --- E-mail addresses ----------------------------------------------------------------------

_EMAIL = re.compile(
    r"(?<![\w.%+-])[\w.%+-]+@(?:[^\W_](?:[\w-]*[^\W_])?\.)+[^\W\d_]{2,}(?![\w-])"
)

# --- IBANs ---------------------------------------------------------------------------------

# Lengths of the SEPA countries' IBANs.
_IBAN_LENGTHS = {
    "AD": 24, "AT": 20, "BE": 16, "BG": 22, "CH": 21, "CY": 28, "CZ": 24, "DE": 22, "DK": 18,
    "EE": 20, "ES": 24, "FI": 18, "FR": 27, "GB": 22, "GI": 23, "GR": 27, "HR": 21, "HU": 28,
    "IE": 22, "IS": 26, "IT": 27, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MT": 31,
    "NL": 18, "NO": 15, "PL": 28, "PT": 25, "RO": 24, "SE": 24, "SI": 19, "SK": 24, "SM": 27,
    "VA": 22,
}  # fmt: skip
# An IBAN written compactly or in groups of four; the tail may take a following word along,
# which the country's length cuts off again.
_IBAN = re.compile(
    r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]{4}){2,7}(?: ?[A-Za-z0-9]{1,3})?"
    r"(?![A-Za-z0-9])"
)
# Reported even when the check digits are wrong: agents type made-up but real-shaped account
# numbers, and the shape alone already reads as account data to the customer.
_DUTCH_IBAN_SHAPE = re.compile(r"NL\d{2}[A-Z]{4}\d{10}")
_IBAN_LETTER_VALUES = str.maketrans({c: str(ord(c) - 55) for c in string.ascii_uppercase})

# --- Postcode with house number ------------------------------------------------------------

_HOUSE_NUMBER = r"[1-9]\d{0,4}(?:-\d{1,4}|[ -]?(?:[A-Za-z]|bis|hs|bg|I{1,3}))?(?![\w-])"
_WORD = r"[A-Za-zÀ-ÖØ-öø-ÿ'-]"
_CAPITALISED = rf"[A-ZÀ-ÖØ-Þ]{_WORD}*"
_STREET_SUFFIX = (
    r"(?i:straat|weg|laan|plein|gracht|kade|singel|dijk|dreef|hof|park|steeg|pad|markt|ring|baan)"
)
# A street word may be preceded by one capitalised word and name particles: "Oude Gracht",
# "Burgemeester van Reenensingel".
_STREET = (
    rf"(?:{_CAPITALISED} (?:(?:van|de|der|den|het|'t|ter|te) ){{0,2}})?"
    rf"{_WORD}*{_STREET_SUFFIX}"
)
_CITY = re.compile(
    rf",? (?:(?:Den|De|Het) )?(?:'s-)?{_CAPITALISED}"
    rf"(?:(?: (?:aan|op|den|de|der|bij|in))+ {_CAPITALISED})?"
)
_POSTCODE = re.compile(r"(?<![\w'-])[1-9]\d{3} ?(?!S[ADS])[A-Z]{2}(?![A-Za-z0-9])")
# Street and house number ending right before a postcode. A known street word may have the
# postcode up to ~40 characters later; any other capitalised word only counts as a street
# when the postcode follows right away.
_ADDRESS_BEFORE_POSTCODE = re.compile(
    rf"(?<![\w'-])(?:{_STREET} {_HOUSE_NUMBER}[^\n]{{0,40}}?|{_CAPITALISED} {_HOUSE_NUMBER},? )\Z"
)
_ADDRESS_LOOKBACK = 120  # characters before a postcode that can hold street and house number
_HOUSE_NUMBER_AFTER_POSTCODE = re.compile(rf"(?:, ?| ){_HOUSE_NUMBER}")

# --- BSN (Dutch citizen service number) ----------------------------------------------------

# Nine digits, also as 1234.56.789 or 123 456 789, not part of a longer number (123.456.789
# is left out: that is how amounts are written). The first digit comes before the
# look-behinds so that the engine can skip ahead to digits quickly.
_BSN = re.compile(
    r"\d(?<![\w.,+-]\d)(?<!\d[ .,-]\d)"
    r"(?:\d{8}|\d{3}\.\d{2}\.\d{3}|\d{2} \d{3} \d{3})"
    r"(?!\w)(?![ .,-]\d)"
)
_BSN_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)

# When matches overlap the longest wins; on equal length the first kind in this order.
_PRIORITY = {
    kind: rank for rank, kind in enumerate(("iban", "email", "postcode_house", "phone", "bsn"))
}


_ANY_DIGIT = re.compile(r"\d")

def find_personal_data(text: str) -> list[PersonalData]:
    """Personal data in `text`, sorted by start and not overlapping."""
    if "@" not in text and not _ANY_DIGIT.search(text):
        return []  # every kind but e-mail needs digits
    candidates: list[tuple[int, int, str, bool]] = []  # start, end, kind, reported
    for match in _IBAN.finditer(text):
        candidates.append(_iban_candidate(match))
    if "@" in text:
        candidates.extend((*match.span(), "email", True) for match in _EMAIL.finditer(text))
    for match in _POSTCODE.finditer(text):
        candidates.extend(_address_candidates(text, match))
    for match in _PHONE.finditer(text):
        if match["international"] is None or (
            sum(map(str.isdigit, match["international"])) in _INTERNATIONAL_DIGITS
        ):
            candidates.append((*match.span(), "phone", True))
    for match in _BSN.finditer(text):
        if _passes_eleven_test(match.group()):
            candidates.append((*match.span(), "bsn", True))

    candidates.sort(key=lambda c: (c[0] - c[1], _PRIORITY[c[2]], c[0]))
    taken: list[tuple[int, int]] = []  # sorted and disjoint: their ends are sorted too
    found = []
    for start, end, kind, reported in candidates:
        # of the taken spans starting before `end`, the last one ends latest: it overlaps if any does
        i = bisect.bisect_left(taken, (end,))
        if i and taken[i - 1][1] > start:
            continue
        bisect.insort(taken, (start, end))
        if reported:
            found.append(PersonalData(kind, start, end, text[start:end]))
    found.sort(key=lambda item: item.start)
    return found


def _address_candidates(text: str, postcode: re.Match[str]) -> list[tuple[int, int, str, bool]]:
    """Street + house number + postcode (+ city), and postcode + house number."""
    start, end = postcode.span()
    candidates = []
    street = _ADDRESS_BEFORE_POSTCODE.search(text, max(0, start - _ADDRESS_LOOKBACK), start)
    if street:
        city = _CITY.match(text, end)
        candidates.append((street.start(), city.end() if city else end, "postcode_house", True))
    house_number = _HOUSE_NUMBER_AFTER_POSTCODE.match(text, end)
    if house_number:
        candidates.append((start, house_number.end(), "postcode_house", True))
    return candidates


def _iban_candidate(match: re.Match[str]) -> tuple[int, int, str, bool]:
    """Cut an IBAN-shaped match to its country's length and say whether to report it.

    Unreported candidates still take part in the overlap check, so that the digits of an
    account number are not reported as a phone number or BSN.
    """
    start, end = match.span()
    raw = match.group()
    compact = raw.replace(" ", "").upper()
    length = _IBAN_LENGTHS.get(compact[:2])
    if length is None or len(compact) < length:
        return start, end, "iban", False
    cut = len(raw)
    if len(compact) > length:
        # Just after the `length`-th character that is not a space; must end a group.
        cut = [i for i, char in enumerate(raw) if char != " "][length - 1] + 1
        if raw[cut] != " ":
            return start, end, "iban", False
    iban = compact[:length]
    valid = int((iban[4:] + iban[:4]).translate(_IBAN_LETTER_VALUES)) % 97 == 1
    return start, start + cut, "iban", valid or bool(_DUTCH_IBAN_SHAPE.fullmatch(iban))


def _passes_eleven_test(number: str) -> bool:
    """The BSN "elfproef": 9*d1 + 8*d2 + ... + 2*d8 - d9 is a multiple of 11 (and not 0000...)."""
    digits = [int(c) for c in number if c.isdigit()]
    return any(digits) and sum(w * d for w, d in zip(_BSN_WEIGHTS, digits)) % 11 == 0
