"""Length of a post as X (Twitter) counts it, following the twitter-text v3 configuration.

In that configuration every code point weighs 100 or 200 at scale 100, URLs weigh 2300 and
emoji sequences 200. All weights are whole multiples of the scale, so the count is kept
directly in characters: 1 for a light code point, 2 for a heavy one or an emoji, 23 for a URL.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from encodings import idna  # imported now: str.encode("idna") imports it at the first link
from functools import cache, lru_cache

LIMIT_X = 280

_URL_LENGTH = 23
_EMOJI_LENGTH = 2

# Code points outside the weight-100 ranges of the v3 configuration; they count double.
_HEAVY = re.compile(r"[^\x00-\u10ff\u2000-\u200d\u2010-\u201f\u2032-\u2037]")

_LINE_BREAK = re.compile(r"\r\n?")

# Mentions that open a reply are shown apart from the text and are not counted. X handles have
# at most 15 characters; agents paste longer display names too, so any @word counts here.
_REPLY_MENTIONS = re.compile(r"(?:[@＠][A-Za-z0-9_]{1,50}(?:\s+|\Z))+")

# --- URLs (structure of twitter-text's extractUrlsWithIndices) -----------------------------

_LATIN_ACCENTS = (
    "\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff\u0100-\u024f\u0253\u0254\u0256\u0257\u0259"
    "\u025b\u0263\u0268\u026f\u0272\u0289\u028b\u02bb\u0300-\u036f\u1e00-\u1eff"
)
# All ASCII country-code TLDs twitter-text knows: many are also short Dutch words ("je",
# "nu", "is"), so text like "gedaan.Je" counts as a link on X as well.
_CC_TLDS = (
    "ac ad ae af ag ai al am an ao aq ar as at au aw ax az ba bb bd be bf bg bh bi bj bl bm bn"
    " bo bq br bs bt bv bw by bz ca cc cd cf cg ch ci ck cl cm cn co cr cu cv cw cx cy cz de"
    " dj dk dm do dz ec ee eg eh er es et eu fi fj fk fm fo fr ga gb gd ge gf gg gh gi gl gm"
    " gn gp gq gr gs gt gu gw gy hk hm hn hr ht hu id ie il im in io iq ir is it je jm jo jp"
    " ke kg kh ki km kn kp kr kw ky kz la lb lc li lk lr ls lt lu lv ly ma mc md me mf mg mh"
    " mk ml mm mn mo mp mq mr ms mt mu mv mw mx my mz na nc ne nf ng ni nl no np nr nu nz om"
    " pa pe pf pg ph pk pl pm pn pr ps pt pw py qa re ro rs ru rw sa sb sc sd se sg sh si sj"
    " sk sl sm sn so sr ss st su sv sx sy sz tc td tf tg th tj tk tl tm tn to tp tr tt tv tw"
    " tz ua ug uk um us uy uz va vc ve vg vi vn vu wf ws ye yt za zm zw"
)
# A selection of common generic TLDs; twitter-text's full list has more than 1,100.
_GENERIC_TLDS = (
    "com net org info biz edu gov int mil app dev shop store online site website tech blog"
    " xyz top club live life news email cloud digital media design agency studio services"
    " support company group global world travel film family fun one pro mobi name asia"
    " jobs tel tips team zone work win sale bike auto taxi bar bio gratis amsterdam frl"
    " brussels vlaanderen gent berlin london paris nyc eus cat"
)


def _tld_alternation(tlds: list[str]) -> str:
    """Alternation grouped by first letter, so the engine tries a few branches, not hundreds."""
    by_initial: dict[str, list[str]] = {}
    for tld in tlds:
        by_initial.setdefault(tld[0], []).append(tld[1:])
    return "|".join(
        f"{initial}(?:{'|'.join(rests)})" for initial, rests in sorted(by_initial.items())
    )


_TLD = (
    f"(?:(?:{_tld_alternation((_CC_TLDS + ' ' + _GENERIC_TLDS).split())})(?![0-9a-z@+-])"
    "|xn--[a-z0-9-]+)"
)
# A domain label may contain anything but ASCII punctuation, spaces and a few invisible
# characters; "-" and (except in the name, the label before the TLD) "_" only inside a label.
_NON_DOMAIN = (
    r"!'#%&()*+,\\./:;<=>?@\[\]^{|}~$\x09-\x0d\x20\x85\xa0\u1680\u180e\u2000-\u200a"
    r"\u2028\u2029\u202f\u205f\u3000\ufffe\ufeff\uffff\u202a-\u202e\u061c\u200e\u200f\u2066-\u2069"
)
_PATH_CHAR = rf"[a-z\u0400-\u04ff0-9!*';:=+,.$/%#\[\]\-\u2013_~@|&{_LATIN_ACCENTS}]"
_PATH_PARENS = rf"\({_PATH_CHAR}+\)"
_PATH_END = rf"(?:[+\-a-z\u0400-\u04ff0-9=_#/{_LATIN_ACCENTS}]|{_PATH_PARENS})"
_PATH = rf"/(?:{_PATH_CHAR}*(?:{_PATH_PARENS}{_PATH_CHAR}*)*{_PATH_END}|@{_PATH_CHAR}+/)*"
_QUERY = r"\?[a-z0-9!?*'@();:&=+$/%#\[\]\-_.,~|]*[a-z0-9\-_&=#/]"
# As in twitter-text a link is "[before](protocol)domain(:port)(path)(query)": the character
# before it is part of the match, so it cannot also end the previous link, which decides where
# a link glued to an earlier one starts. The domain, "(subdomain.)*name.TLD", is found by
# _DomainFinder rather than by a regex: backtracking through its labels from every start took
# quadratic time ("a." * 5,000: 6 s).
_BEFORE = re.compile(r"[^A-Za-z0-9@＠$#＃\ufffe\ufeff\uffff]", re.IGNORECASE)
_BEFORE_DOMAIN = re.compile(rf"{_BEFORE.pattern}(?=[^\-_{_NON_DOMAIN}])", re.IGNORECASE)
_PROTOCOL = re.compile(r"https?://", re.IGNORECASE)
_LABEL_RUN = re.compile(rf"[^{_NON_DOMAIN}]+", re.IGNORECASE)
_TLD_AT = re.compile(_TLD, re.IGNORECASE)
_DOT_TLD = re.compile(rf"\.{_TLD}", re.IGNORECASE)
_URL_TAIL = re.compile(rf"(?::[0-9]+)?(?P<path>{_PATH})?(?:{_QUERY})?", re.IGNORECASE)
_TCO_URL = re.compile(rf"https?://t\.co/(?P<slug>[a-z0-9]+)(?:{_QUERY})?", re.IGNORECASE)
_MAX_TCO_SLUG = 40
# Whitespace-separated tokens with a dot followed by a letter: only these can hold a link.
_DOTTED_TOKEN = re.compile(r"(?<![^ \n])[^ \n]*?\.[a-z][^ \n]*", re.IGNORECASE)
# Without a protocol only the ASCII (and Latin accented) domains inside a match are links.
_ASCII_LABEL = re.compile(rf"[-a-z0-9{_LATIN_ACCENTS}]+", re.IGNORECASE)


@dataclass(frozen=True)
class _Link:
    """One match of twitter-text's link pattern, before its checks."""

    before: str | None
    start: int
    protocol: bool
    domain: tuple[int, int]
    path: bool
    end: int


class _DomainFinder:
    """Where the domain "(subdomain.)*name.TLD" starting at a position of `text` ends, for all
    positions together in time linear in the text's length.

    Labels run atomically to the next separator, so a start fixes its chain of labels, and the
    greedy pattern takes the deepest label after which a name label and a TLD follow. Each label
    boundary is resolved once and remembered.
    """

    def __init__(self, text: str):
        self.text, self.end = text, len(text)
        self.tld_starts = [found.start() + 1 for found in _DOT_TLD.finditer(text)]
        # labels only matter where a TLD is (most drafts have none)
        runs = [run.span() for run in _LABEL_RUN.finditer(text)] if self.tld_starts else []
        self.run_starts = [run_start for run_start, _ in runs]
        self.run_ends = [run_end for _, run_end in runs]
        self.found: dict[int, int | None] = {}

    def last_tld(self, start: int, end: int) -> int | None:
        """Where the last TLD in text[start:end] starts: no link starts after it."""
        index = bisect.bisect_left(self.tld_starts, end) - 1
        return self.tld_starts[index] if index >= 0 and self.tld_starts[index] >= start else None

    def domain_end(self, position: int) -> int | None:
        """The end of the domain matched from `position`, or None."""
        chain: list[tuple[int, int]] = []  # (label start, label end) while subdomain labels go on
        found = None
        while position not in self.found:
            label_end = self._label_end(position)
            if label_end is None:
                break
            chain.append((position, label_end))
            if not self._is_subdomain(label_end):
                break
            position = label_end + 1
        else:
            found = self.found[position]
        for label_start, label_end in reversed(chain):
            if found is None:
                found = self._name_and_tld_end(label_start, label_end)
            self.found[label_start] = found
        return found

    def _label_end(self, position: int) -> int | None:
        """Where a label starting at `position` ends; None if none can start there."""
        index = bisect.bisect_right(self.run_starts, position) - 1
        if index < 0 or self.run_ends[index] <= position or self.text[position] in "-_":
            return None
        return self.run_ends[index]

    def _is_subdomain(self, label_end: int) -> bool:
        return label_end < self.end and self.text[label_end] == "." and self.text[label_end - 1] not in "-_"

    def _name_and_tld_end(self, label_start: int, label_end: int) -> int | None:
        """A name label has no "_", does not end in "-" and is followed by ".TLD"."""
        text = self.text
        if label_end >= self.end or text[label_end] != "." or text[label_end - 1] == "-":
            return None
        if text.find("_", label_start, label_end) != -1:
            return None
        tld = _TLD_AT.match(text, label_end + 1, self.end)
        return tld.end() if tld else None


def _links_in(text: str, start: int, end: int, domains: _DomainFinder | None = None) -> Iterator[_Link]:
    """Matches of the link pattern in text[start:end], left to right, as re.finditer gives them.

    `domains` may look past `end` when what follows cannot continue a link (a space).
    """
    domains = domains or _DomainFinder(text[:end])
    last_tld = domains.last_tld(start, end)
    if last_tld is None:  # every link ends in ".TLD"
        return

    def link_at(url_start: int, before: str | None) -> _Link | None:
        protocol = _PROTOCOL.match(text, url_start, end)
        domain_start = protocol.end() if protocol else url_start
        domain_end = domains.domain_end(domain_start)
        if domain_end is None and protocol:
            domain_start, domain_end = url_start, domains.domain_end(url_start)
        if domain_end is None:
            return None
        tail = _URL_TAIL.match(text, domain_end, end)
        return _Link(before, url_start, domain_start > url_start, (domain_start, domain_end),
                     tail["path"] is not None, tail.end())

    position = start
    if start == 0:  # the first try: a link after text[0], then a link at the very start
        found = (link_at(1, text[0]) if end > 1 and _BEFORE.match(text, 0, end) else None) or link_at(0, None)
        if found:
            yield found
        position = found.end if found else 1
    while (candidate := _BEFORE_DOMAIN.search(text, position, last_tld)) is not None:
        found = link_at(candidate.start() + 1, candidate.group())
        if found:
            yield found
        position = found.end if found else candidate.start() + 1


@lru_cache(maxsize=4096)
def _is_valid_domain(domain: str) -> bool:
    """Whether the domain converts to IDNA, the check twitter-text makes before linking."""
    try:
        idna.Codec().encode(domain)
    except UnicodeError:
        return False
    return True


def link_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the links twitter-text extracts from `text`.

    A rejected match still consumes its text, as in twitter-text: in "x.nl/a/https://y.nl"
    neither is a link.
    """
    spans: list[tuple[int, int]] = []
    domains = _DomainFinder(text)
    if not domains.tld_starts:
        return spans
    for token in _DOTTED_TOKEN.finditer(text):
        # Links never contain spaces or line breaks, so scanning only the tokens that can hold
        # one (from the separator before them, which the match consumes) gives the same result.
        for link in _links_in(text, max(token.start() - 1, 0), token.end(), domains):
            spans.extend(_kept_spans(text, link))
    return spans


def _kept_spans(text: str, link: _Link) -> list[tuple[int, int]]:
    """Link spans twitter-text keeps from one match of its link pattern."""
    domain = text[link.domain[0] : link.domain[1]]
    if not _is_valid_domain(domain):
        return []
    if link.protocol:
        start, end = link.start, link.end
        # A t.co link ends after its slug (and query); an overlong slug is no link.
        tco = _TCO_URL.match(text, start, end)
        if tco:
            if len(tco["slug"]) > _MAX_TCO_SLUG:
                return []
            end = tco.end()
        return [(start, end)]
    if link.before in ("-", "_", ".", "/"):
        return []
    offset = link.domain[0]
    spans = [(offset + start, offset + end) for start, end in _ascii_domains(domain)]
    # Port, path and query only belong to a bare domain when there is a path. twitter-text
    # then counts the link as the ASCII domain plus what follows the whole domain.
    if spans and link.path:
        start, end = spans[-1]
        spans[-1] = (start, end + link.end - link.domain[1])
    return spans


@lru_cache(maxsize=4096)
def _ascii_domains(domain: str) -> tuple[tuple[int, int], ...]:
    """Spans of the ASCII domains "(label.)+TLD" inside a domain matched without protocol, as
    re.finditer finds them. Each start takes the deepest TLD its chain of labels reaches; that
    is resolved once per label (from the right), which keeps it linear in the domain's length.
    """
    runs = [run.span() for run in _ASCII_LABEL.finditer(domain)]
    deepest: dict[int, int | None] = {}  # label start -> end of the deepest TLD from there
    for start, end in reversed(runs):
        deeper = deepest.get(end + 1) if domain[end : end + 1] == "." else None
        tld = _TLD_AT.match(domain, start)
        deepest[start] = deeper if deeper is not None else (tld.end() if tld else None)
    spans, position = [], 0
    for start, end in runs:
        if end <= position or domain[end : end + 1] != ".":
            continue
        found = deepest.get(end + 1)
        if found is not None:
            spans.append((max(start, position), found))
            position = found
    return tuple(spans)


# --- Emoji ---------------------------------------------------------------------------------

# Extended pictographic code points (BMP from Unicode's emoji data, astral planes as a block so
# that newer emoji are covered too). Skin-tone modifiers are excluded: alone they are no emoji.
_PICTOGRAPH = (
    "[\u00a9\u00ae\u203c\u2049\u2122\u2139\u2194-\u2199\u21a9\u21aa\u231a\u231b\u2328\u23cf"
    "\u23e9-\u23f3\u23f8-\u23fa\u24c2\u25aa\u25ab\u25b6\u25c0\u25fb-\u25fe\u2600-\u27bf"
    "\u2934\u2935\u2b05-\u2b07\u2b1b\u2b1c\u2b50\u2b55\u3030\u303d\u3297\u3299"
    "\U0001f000-\U0001f3fa\U0001f400-\U0001faff]"
)
_EMOJI_ELEMENT = (
    _PICTOGRAPH + "(?:\ufe0f|[\U0001f3fb-\U0001f3ff]|[\U000e0020-\U000e007e]+\U000e007f)?"
)
_EMOJI = re.compile(
    f"(?=[#*0-9{_PICTOGRAPH[1:-1]}])"  # lets the engine skip non-emoji positions quickly
    "(?:[\U0001f1e6-\U0001f1ff]{2}"  # flag: two regional indicators
    "|[0-9#*]\ufe0f?\u20e3"  # keycap
    f"|{_EMOJI_ELEMENT}(?:\u200d{_EMOJI_ELEMENT})*)"  # single emoji or ZWJ sequence
)


@cache
def _long_mark_run() -> re.Pattern[str]:
    """32 or more combining marks in a row (all of them lie below U+20000). The marks of the BMP
    and beyond it are two classes: the BMP's alone compiles to a fast lookup table."""
    def ranges(codes: list[int]) -> str:
        spans: list[list[int]] = []
        for code in codes:
            if spans and spans[-1][1] == code - 1:
                spans[-1][1] = code
            else:
                spans.append([code, code])
        return "".join(f"{chr(low)}-{chr(high)}" for low, high in spans)

    marks = [code for code in range(0x20000) if unicodedata.combining(chr(code))]
    bmp, beyond = ranges([c for c in marks if c < 0x10000]), ranges([c for c in marks if c >= 0x10000])
    return re.compile(f"(?:[{bmp}]|[{beyond}]){{32,}}")


def _nfc(text: str) -> str:
    """NFC in linear time. CPython orders a run of combining marks by insertion sort, quadratic in
    the run's length ("a" + 5,000 × U+0301 + 5,000 × U+0316 took 0.25 s); a long run sorted
    stably by combining class first is the same canonical order, and leaves it nothing to do."""
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return text  # most drafts: nothing to order or compose (a normalized text has its marks in order)
    text = _long_mark_run().sub(lambda run: "".join(sorted(run.group(), key=unicodedata.combining)), text)
    return unicodedata.normalize("NFC", text)


def weighted_length(text: str) -> int:
    """Return the length X shows for `text` (compare with LIMIT_X)."""
    text = _nfc(text)
    if "\r" in text:
        text = _LINE_BREAK.sub("\n", text)
    mentions = _REPLY_MENTIONS.match(text)
    if mentions:
        text = text[mentions.end() :]
    links = link_spans(text) if "." in text else []
    if text.isascii():  # no emoji and no heavy code points
        return len(text) + sum(_URL_LENGTH - (end - start) for start, end in links)
    # Emoji are found in the whole text, as twitter-text does; one starting inside a link is
    # dropped and its code points after the link count one by one.
    link_starts = [start for start, _ in links]  # in order, never overlapping

    def in_link(position: int) -> bool:
        index = bisect.bisect_right(link_starts, position) - 1
        return index >= 0 and position < links[index][1]

    emoji = [found.span() for found in _EMOJI.finditer(text) if not in_link(found.start())]
    rest = []
    position = 0
    for start, end in sorted(links + emoji):
        rest.append(text[position:start])
        position = end
    rest.append(text[position:])
    plain = "".join(rest)
    return (
        len(links) * _URL_LENGTH
        + len(emoji) * _EMOJI_LENGTH
        + len(plain)
        + len(_HEAVY.findall(plain))
    )
