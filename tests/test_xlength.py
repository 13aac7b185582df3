import json
import random
import re
from pathlib import Path

import pytest

from bot.review.xlength import LIMIT_X, weighted_length

DEV_SET = Path(__file__).resolve().parents[2] / "shared/eval/dev.jsonl"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", 0),
        ("Bedankt voor je geduld!", 23),
        ("Hé Zoë, één café?", 17),
        ("Cafe\u0301", 4),  # NFC turns e + combining acute into one code point
        ("a\r\nb", 3),  # CRLF counts as one line break
        ("€ 12,50", 8),  # U+20AC lies outside the light ranges
        ("Het – “echte” … verhaal", 24),  # dashes and quotes light, ellipsis heavy
        ("Kijk op https://www.railned.nl/geld-terug voor info", 8 + 23 + 10),
        ("Zie bol.com en https://www.hema.nl/service?x=1.", 4 + 23 + 4 + 23 + 1),
        ("https://example.com/" + "a" * 100, 23),
        ("www.bol.com/klantenservice", 23),
        ("Mail info@bol.com", 17),  # an e-mail address is no link
        ("gedaan.Je bent", 23 + 5),  # "je" is a country-code TLD, X links it too
        ("👨\u200d👩\u200d👧\u200d👦", 2),
        ("🇳🇱", 2),
        ("👍🏽", 2),
        ("1️⃣", 2),
        ("❤️", 2),
        ("🏳️\u200d🌈", 2),
        ("Top 👍🏽!", 7),
        ("😀😀", 4),
        ("日本語", 6),
        ("@jan @piet_2 Hoi!", 4),
        ("@jan", 0),
        ("Hoi @jan", 8),
        ("Hoi @jan, zie @piet", 19),
    ],
)
def test_weighted_length_table(text: str, expected: int) -> None:
    assert weighted_length(text) == expected


def test_limit() -> None:
    assert LIMIT_X == 280
    assert weighted_length("x" * 280) == LIMIT_X
    assert weighted_length("日" * 140) == LIMIT_X


_WORDS = (
    "hoi bedankt voor je bericht de bestelling is onderweg we zoeken het uit groetjes café"
    " geïnteresseerd één privé Crème brûlée ruïne coördinator Zoë naïef terugbetaling"
    " pakket morgen excuses vervelend 14:30 12,50 3/12 #webcare @klant $AAPL 100% gedaan.Je"
    " tel.nr"
).split()
_PUNCTUATION = [",", ".", "!", "?", ":", "…", "—", "–", "’", "”", ")", "€"]
_URLS = [
    "https://www.railned.nl/geld-terug",
    "http://example.com",
    "https://www.railned.nl/reizen/fiets?utm_source=twitter&utm_medium=webcare",
    "www.bol.com/klantenservice",
    "bol.com",
    "example.nl/pad?x=1",
    "https://nl.wikipedia.org/wiki/Foo_(bar)",
    "HTTPS://Voorbeeld.NL/Pad/",
]
_ENGLAND_FLAG = "🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"
# Only emoji up to Unicode 12, the version of twitter-text-parser's emoji list.
_EMOJI = [
    "😀", "😂", "🙈", "👍", "👍🏽", "🙏🏼", "❤️", "❤", "🎉", "✅", "☀️", "🇳🇱", "🇧🇪", "1️⃣", "#️⃣",
    "👨\u200d👩\u200d👧\u200d👦", "🏳️\u200d🌈", "👩🏻\u200d💻", "🤷\u200d♀️", _ENGLAND_FLAG, "©", "™",
]
_CJK = ["日本語", "中文", "감사합니다", "ありがとう"]


def _random_text(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(1, 40)):
        roll = rng.random()
        if roll < 0.55:
            token = rng.choice(_WORDS)
            if rng.random() < 0.3:
                token += rng.choice(_PUNCTUATION)
        elif roll < 0.7:
            token = rng.choice(_URLS)
        elif roll < 0.9:
            token = rng.choice(_EMOJI)
        else:
            token = rng.choice(_CJK)
        parts.append(token)
        # Sometimes glued to the next token, which tests where links start and end.
        parts.append(rng.choice([" ", " ", " ", "", "\n", "\r\n"]))
    return "Hoi " + "".join(parts)


def _mismatches(texts: list[str]) -> list[tuple[str, int, int]]:
    """(text, ours, twitter-text's) for every text where the lengths differ."""
    twitter_text = pytest.importorskip("twitter_text")
    mismatches = []
    for text in texts:
        ours, theirs = weighted_length(text), twitter_text.parse_tweet(text).weightedLength
        if ours != theirs:
            mismatches.append((text, ours, theirs))
    return mismatches


def test_matches_twitter_text_on_generated_text() -> None:
    rng = random.Random(20260101)
    assert _mismatches([_random_text(rng) for _ in range(400)]) == []


def test_matches_twitter_text_on_dev_drafts() -> None:
    if not DEV_SET.exists():
        pytest.skip(f"{DEV_SET} not present")
    drafts = [json.loads(line)["draft"] for line in DEV_SET.read_text("utf-8").splitlines() if line]
    # twitter-text counts reply mentions, X does not: compare only drafts without them.
    drafts = [draft for draft in drafts if not draft.startswith(("@", "＠"))]
    assert drafts
    assert _mismatches(drafts) == []


# -- the linear link scan is exactly twitter-text's link pattern ---------------------------

def _reference_links(text: str, start: int, end: int) -> list[tuple]:
    """The link pattern as one backtracking regex (quadratic on long dotted runs): the spec."""
    from bot.review import xlength as x

    domain = (
        rf"(?:(?>[^\-_{x._NON_DOMAIN}][^{x._NON_DOMAIN}]*)(?<![-_])\.)*"
        rf"(?>[^\-_{x._NON_DOMAIN}][^_{x._NON_DOMAIN}]*)(?<!-)\." + x._TLD
    )
    pattern = re.compile(
        r"(?:(?P<before>[^A-Za-z0-9@＠$#＃\ufffe\ufeff\uffff])|^)"
        rf"(?P<url>(?P<protocol>https?://)?(?P<domain>{domain})(?::[0-9]+)?(?P<path>{x._PATH})?(?:{x._QUERY})?)",
        re.IGNORECASE,
    )
    return [(m["before"], m.start("url"), bool(m["protocol"]), m.span("domain"), m["path"] is not None, m.end())
            for m in pattern.finditer(text, start, end)]


_PIECES = ["a", "b", "Z", "1", ".", ".", "-", "_", "é", "ß", "/", "?", ":", "@", "#", "(", ")", "=", "nl", "com",
           "co", "je", "http://", "https://", "xn--", "t.co/", "www.", " ", "ſ", "\u200b", "😀"]


def test_link_scan_equals_the_link_pattern_on_random_text() -> None:
    from bot.review.xlength import _links_in

    rng = random.Random(7)
    for _ in range(4000):
        text = "".join(rng.choice(_PIECES) for _ in range(rng.randint(1, 30)))
        start = rng.choice([0, 0, rng.randint(0, len(text))])
        ours = [(link.before, link.start, link.protocol, link.domain, link.path, link.end)
                for link in _links_in(text, start, len(text))]
        assert ours == _reference_links(text, start, len(text)), text


@pytest.mark.parametrize("unit", ["a.", "a-", "1-", "a.nl", "a_b.", "é.", "x@y.nl ", "http://a.", "a.nl/", "😀.", "e\u0301."])
def test_crafted_runs_match_twitter_text(unit: str) -> None:
    """Long runs of one unit (twitter-text itself is slow on them, so 200 characters here)."""
    text = "Hoi " + unit * (200 // len(unit))
    assert _mismatches([text, unit * (200 // len(unit)) + ".nl"]) == []


def test_ascii_domains_equal_their_pattern_on_random_domains() -> None:
    from bot.review import xlength as x

    pattern = re.compile(rf"(?:[-a-z0-9{x._LATIN_ACCENTS}]+\.)+{x._TLD}", re.IGNORECASE)
    pieces = ["a", "b", "-", ".", ".", "nl", "com", "co", "é", "日", "K", "xn--", "1", "ß", "nlé"]
    rng = random.Random(11)
    for _ in range(4000):
        domain = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 25)))
        assert x._ascii_domains(domain) == tuple(m.span() for m in pattern.finditer(domain)), domain


def test_long_runs_of_combining_marks_normalize_as_unicodedata_does() -> None:
    import unicodedata

    from bot.review.xlength import _nfc

    marks = ["\u0301", "\u0316", "\u0308", "\u05b0", "\u05bd", "\u0f71", "\u0f73", "\u0344", "\U0001d165", "\u302a"]
    rng = random.Random(3)
    for _ in range(300):
        text = rng.choice(["a", "e", "ü", "\u0f40", "가", ""]) + "".join(rng.choice(marks) for _ in range(rng.randint(0, 80)))
        text = text * rng.randint(1, 3)
        assert _nfc(text) == unicodedata.normalize("NFC", text), ascii(text)
