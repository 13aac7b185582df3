"""Text helpers: a matching form of the draft, sentences, language (clauses: analysis.py)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

def _fold_table() -> dict[int, str]:
    """Latin letters with diacritics to their base letter; typographic quotes, dashes, spaces plain."""
    table = {}
    for code in range(0xC0, 0x250):
        base = unicodedata.normalize("NFD", chr(code))[0]
        if base.isascii() and base != chr(code):
            table[code] = base
    for chars, plain in (("‘’‚‛´`", "'"), ("“”„‟", '"'), ("–—", "-"), ("\u00a0\u202f\u2009", " ")):
        table.update((ord(c), plain) for c in chars)
    return table


_FOLD = _fold_table()
_FOLD_ASCII = tuple(chr(code) for code in _FOLD if code < 128)  # "`"


def fold(text: str) -> str:
    """Lower case without diacritics and with plain quotes, index for index the same as `text`.

    Rule patterns are written against this form, so "vóór", "Vóór" and "voor" match alike and
    every match offset is an offset into the draft itself.
    """
    if text.isascii() and not any(c in text for c in _FOLD_ASCII):  # most drafts: nothing to fold
        return text.lower()
    folded = text.translate(_FOLD).lower()
    if len(folded) == len(text):
        return folded
    # A few characters change length when lowered (e.g. "İ"); fold those one by one.
    return "".join(c if len(c) == 1 else c[0] for c in (ch.translate(_FOLD).lower() for ch in text))


@dataclass(frozen=True)
class Span:
    start: int
    end: int


# An emoji ends a sentence when a capital follows ("... haha 😅 Je krijgt ..."). Each run is tried
# from its first character only (the lookbehinds): a long run of emoji or dots stays linear.
_EMOJI = r"\u2600-\u27bf\U0001f300-\U0001faff"
# The dot of a title before a name ends no sentence ("Dr. Hendriks belt je maandag").
_TITLES = "".join(rf"(?<!\b{t}\.)" for t in ("[Dd]r", "[Dd]rs", "[Mm]r", "[Ii]r", "[Pp]rof", "[Dd]hr", "[Mm]w", "[Mm]evr"))
_SENTENCE_END = re.compile(
    rf"[.!?…\n{_EMOJI}]"  # first, one character that can end a sentence: the regex engine skips to it
    rf"(?:(?<=[.!?…])(?<![.!?…].){_TITLES}[.!?…]*(?=\s|$)|(?<=\n)\n*"
    rf"|(?<=[{_EMOJI}])(?<![{_EMOJI}].)[{_EMOJI}]*(?=\s+[A-ZÀ-Ý]))"
)


def _split(text: str, start: int, end: int, pattern: re.Pattern[str]) -> list[Span]:
    spans, begin = [], start
    for m in pattern.finditer(text, start, end):
        if text[begin : m.end()].strip():
            spans.append(_trim(text, begin, m.end()))
        begin = m.end()
    if text[begin:end].strip():
        spans.append(_trim(text, begin, end))
    return spans


def _trim(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end)


def sentences(text: str) -> list[Span]:
    """Sentence spans; a line break also ends a sentence (greetings and signatures)."""
    return _split(text, 0, len(text), _SENTENCE_END)


_NL_WORDS = frozenset(
    "de het een en je jij u uw ik we wij is zijn niet dat van voor met op te dan ons jouw wat hoi "
    "hallo groet groetjes bedankt dank heb hebt heeft kun kunt kan wordt naar ook nog al er "
    "vervelend excuses bij om als maar ga gaan gaat zal zullen even geen wel dit deze hier daar nu naar ernaar mee "
    "aan uit zo".split()
)
_EN_WORDS = frozenset(
    "the a an and you your i we is are not that of for with on to then us what hi hello thanks "
    "thank have has can will be it this our my please sorry could would at by if but".split()
)
_WORD = re.compile(r"[a-z0-9]+")  # as prefilter.WORD


def detect_language(draft_words: frozenset[str], customer: str | None = None) -> str:
    """'nl' or 'en' by common function words in the draft; the customer's text breaks ties."""
    nl, en = len(draft_words & _NL_WORDS), len(draft_words & _EN_WORDS)
    if nl == en and customer:
        words = frozenset(_WORD.findall(fold(customer)))
        nl, en = len(words & _NL_WORDS), len(words & _EN_WORDS)
    return "en" if en > nl else "nl"
