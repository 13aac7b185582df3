"""Length of a post as X (Twitter) counts it, following the twitter-text v3 configuration.

In that configuration every code point weighs 100 or 200 at scale 100, URLs weigh 2300 and
emoji sequences 200. All weights are whole multiples of the scale, so the count is kept
directly in characters: 1 for a light code point, 2 for a heavy one or an emoji, 23 for a URL.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

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
# characters; "-" and (except in the label before the TLD) "_" only inside a label.
_NON_DOMAIN = (
    r"!'#%&()*+,\\./:;<=>?@\[\]^{|}~$\x09-\x0d\x20\x85\xa0\u1680\u180e\u2000-\u200a"
    r"\u2028\u2029\u202f\u205f\u3000\ufffe\ufeff\uffff\u202a-\u202e\u061c\u200e\u200f\u2066-\u2069"
)
_DOMAIN = (
    rf"(?:(?>[^\-_{_NON_DOMAIN}][^{_NON_DOMAIN}]*)(?<![-_])\.)*"  # subdomains
    rf"(?>[^\-_{_NON_DOMAIN}][^_{_NON_DOMAIN}]*)(?<!-)\."  # name
    + _TLD
)
_PATH_CHAR = rf"[a-z\u0400-\u04ff0-9!*';:=+,.$/%#\[\]\-\u2013_~@|&{_LATIN_ACCENTS}]"
_PATH_PARENS = rf"\({_PATH_CHAR}+\)"
_PATH_END = rf"(?:[+\-a-z\u0400-\u04ff0-9=_#/{_LATIN_ACCENTS}]|{_PATH_PARENS})"
_PATH = rf"/(?:{_PATH_CHAR}*(?:{_PATH_PARENS}{_PATH_CHAR}*)*{_PATH_END}|@{_PATH_CHAR}+/)*"
_QUERY = r"\?[a-z0-9!?*'@();:&=+$/%#\[\]\-_.,~|]*[a-z0-9\-_&=#/]"
# As in twitter-text the character before a link is part of the match: it cannot also end
# the previous match, which decides where a link glued to an earlier one starts.
_URL = re.compile(
    r"(?:(?P<before>[^A-Za-z0-9@＠$#＃\ufffe\ufeff\uffff])|^)"
    rf"(?P<url>(?P<protocol>https?://)?(?P<domain>{_DOMAIN})(?::[0-9]+)?(?P<path>{_PATH})?"
    rf"(?:{_QUERY})?)",
    re.IGNORECASE,
)
_TCO_URL = re.compile(rf"https?://t\.co/(?P<slug>[a-z0-9]+)(?:{_QUERY})?", re.IGNORECASE)
_MAX_TCO_SLUG = 40
# Whitespace-separated tokens with a dot followed by a letter: only these can hold a link.
_DOTTED_TOKEN = re.compile(r"(?<![^ \n])[^ \n]*?\.[a-z][^ \n]*", re.IGNORECASE)
_DOT_LETTER = re.compile(r"\.[a-z]", re.IGNORECASE)  # what every _DOTTED_TOKEN match holds
# Without a protocol only the ASCII (and Latin accented) domains inside a match are links.
_ASCII_DOMAIN = re.compile(rf"(?:[-a-z0-9{_LATIN_ACCENTS}]+\.)+{_TLD}", re.IGNORECASE)


@lru_cache(maxsize=4096)
def _is_valid_domain(domain: str) -> bool:
    """Whether the domain converts to IDNA, the check twitter-text makes before linking."""
    try:
        domain.encode("idna")
    except UnicodeError:
        return False
    return True


def _link_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the links twitter-text extracts from `text`.

    A rejected match still consumes its text, as in twitter-text: in "x.nl/a/https://y.nl"
    neither is a link.
    """
    if not _DOT_LETTER.search(text):
        return []  # no dot before a letter (most drafts: ". " ends sentences): no dotted token
    spans = []
    for token in _DOTTED_TOKEN.finditer(text):
        # Links never contain spaces or line breaks, so scanning only the tokens that can hold
        # one (from the separator before them, which the match consumes) gives the same result.
        for match in _URL.finditer(text, max(token.start() - 1, 0), token.end()):
            spans.extend(_match_spans(match))
    return spans


def _match_spans(match: re.Match[str]) -> list[tuple[int, int]]:
    """Link spans twitter-text keeps from one match of `_URL`."""
    if not _is_valid_domain(match["domain"]):
        return []
    if match["protocol"]:
        start, end = match.span("url")
        # A t.co link ends after its slug (and query); an overlong slug is no link.
        tco = _TCO_URL.match(match.string, start, end)
        if tco:
            if len(tco["slug"]) > _MAX_TCO_SLUG:
                return []
            end = tco.end()
        return [(start, end)]
    if match["before"] in ("-", "_", ".", "/"):
        return []
    offset = match.start("domain")
    spans = [(offset + start, offset + end) for start, end in _ascii_domains(match["domain"])]
    # Port, path and query only belong to a bare domain when there is a path. twitter-text
    # then counts the link as the ASCII domain plus what follows the whole domain.
    if spans and match["path"]:
        start, end = spans[-1]
        spans[-1] = (start, end + match.end() - match.end("domain"))
    return spans


@lru_cache(maxsize=4096)
def _ascii_domains(domain: str) -> tuple[tuple[int, int], ...]:
    """Spans of the ASCII domains inside a domain matched without protocol."""
    return tuple(found.span() for found in _ASCII_DOMAIN.finditer(domain))


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


def weighted_length(text: str) -> int:
    """Return the length X shows for `text` (compare with LIMIT_X)."""
    text = unicodedata.normalize("NFC", text)
    if "\r" in text:
        text = _LINE_BREAK.sub("\n", text)
    mentions = _REPLY_MENTIONS.match(text)
    if mentions:
        text = text[mentions.end() :]
    links = _link_spans(text) if "." in text else []
    if text.isascii():  # no emoji and no heavy code points
        return len(text) + sum(_URL_LENGTH - (end - start) for start, end in links)
    # Emoji are found in the whole text, as twitter-text does; one starting inside a link is
    # dropped and its code points after the link count one by one.
    emoji = [found.span() for found in _EMOJI.finditer(text)]
    if links:
        emoji = [span for span in emoji if not any(start <= span[0] < end for start, end in links)]
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
