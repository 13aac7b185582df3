"""The case a finding's message and suggestion may speak of, and the templates that use it.

A rule holds one or more templates per text (`message`, `suggestion`), each naming slots such as
{name} (the customer's name, from the draft's greeting), {thing} (what went wrong, in the
customer's own words, addressed to them: "my parcel" -> "your parcel") or {channel}. A template
is used only when every slot it names has a value in this case, and the first that fits wins; the
last one names no slots, so advice never mentions something that is not in the case.

Everything here is pure and linear in the length of the texts: each slot is looked for at most
once per review, and only when a template asks for it. The values are shown in the review's
thread like the draft itself, never logged.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from bot.config import Channel
from bot.review.prefilter import Matcher, Scan

# Slots the case fills, and the ones a check fills per finding (a lexicon's word and its plain
# alternative).
CASE_SLOTS = frozenset({"name", "thing", "channel", "limit", "apology", "party", "found", "found_lower"})
CHECK_SLOTS = frozenset({"formal", "plain"})
MAX_FOUND = 40  # {found} quotes a flagged excerpt only when it is this short

CHANNEL_NAMES = {
    "nl": {"twitter": "X", "facebook": "Facebook", "instagram": "Instagram", "dm": "een DM",
           "whatsapp": "WhatsApp", "email": "e-mail", "chat": "de chat"},
    "en": {"twitter": "X", "facebook": "Facebook", "instagram": "Instagram", "dm": "a DM",
           "whatsapp": "WhatsApp", "email": "email", "chat": "chat"},
}

_LETTER = "A-Za-zÀ-ÖØ-öø-ÿ"
# "Hoi Sanne," "Sorry Nina," "Beste mevrouw Jansen," "Hi Ava," at the start of the draft.
_GREETING = re.compile(
    rf"\W{{0,3}}(?i:hoi|hi|hey|hallo|hello|hee|dag|beste|dear|goedemorgen|goedemiddag|goedenavond|morning"
    rf"|good\s+(?:morning|afternoon|evening)|sorry|excuses|geachte)\s+"
    rf"((?:(?i:mevrouw|meneer|mevr\.|dhr\.|heer|mr\.?|mrs\.?|ms\.?|miss)\s+(?:(?i:van|de|der|den|ter|ten|in\s+'t)\s+){{0,2}})?"
    rf"[A-ZÀ-Ý][{_LETTER}'-]{{1,30}})\b"
)
_SPOKEN_TITLES = {"heer": "meneer", "dhr.": "meneer", "mevr.": "mevrouw"}  # "Geachte heer X" -> "meneer X"
_NOT_NAMES = frozenset({"team", "there", "all", "allemaal", "klant", "customer", "iedereen", "everyone", "daar"})

# The customer's own thing ("mijn modem", "onze stoelen", "my parcel"), or one the draft names for
# them ("je modem", "your card"); an article and a noun at the start of a sentence ("De bus van…").
_ADJECTIVES = {
    "nl": "nieuwe|oude|eerste|tweede|hele|bestelde|kapotte|laatste|gloednieuwe|volgende|huidige|vorige|enige|eigen|vaste|gewone|dagelijkse|wekelijkse|maandelijkse|jaarlijkse",
    "en": "new|old|first|second|whole|broken|last|brand-new|next|recent|latest|current|previous|only|own|usual|regular|daily|weekly|monthly|annual|favourite|favorite",
}
# "je" is also "you": only after a preposition or "dat" is it "your" ("balen dat je modem niet werkt").
_POSSESSIVE = {
    "nl": (r"mijn|m'n|onze|ons", r"jouw|uw|(?:dat|van|met|voor|over|op|bij|naar|in|aan|om)\s+je"),
    "en": (r"my|our", r"your"),
}
_THEIRS = {"nl": (r"jullie|uw", "onze"), "en": (r"your", "our")}  # the customer about us: "jullie monteur"
# Dutch "het" words, and the last parts of compounds, that take "ons" instead of "onze" ("ons
# retourbeleid"): the common ones in webcare; diminutives (-je) are "het" words too.
_HET_HEADS = (
    "beleid", "abonnement", "pakket", "account", "contract", "bedrag", "tarief", "product", "toestel",
    "apparaat", "scherm", "wachtwoord", "adres", "nummer", "station", "perron", "loket", "filiaal", "hotel",
    "restaurant", "vliegtuig", "personeel", "bericht", "antwoord", "formulier", "saldo", "tegoed", "netwerk",
    "signaal", "systeem", "programma", "menu", "platform", "bestuur", "team", "kantoor", "magazijn", "huis",
    "gebouw", "dak", "raam", "water", "gas", "licht", "vervoer", "openbaar", "rooster", "spoor", "geld",
    "label", "ticket", "kaartje", "bonnetje", "overzicht", "onderhoud", "assortiment", "aanbod", "proces",
    "winkelmandje", "portaal", "callcenter", "servicepunt", "centrum", "je",
)
_ARTICLE = {"nl": r"de|die", "en": r"the"}  # never before a verb (unlike "het", "dat", "this")
_ADDRESSED = {"nl": {"formal": "uw", "informal": "je"}, "en": {"formal": "your", "informal": "your"}}
_DEFINITE = {"nl": {"die": "de"}, "en": {}}
# Words after a possessive or an article that are not the thing that went wrong.
_NOT_THINGS = frozenset("""
    god hemel mening excuses excuus gevoel geduld idee vraag vraagt vragen bericht berichten reactie dm klantnummer
    ordernummer nummer gegevens naam adres feedback ervaring tip tips klacht klachten melding opmerking
    is was zijn waren wordt werd heeft had kan kon moet wil zou gaat ging doet deed komt kwam lijkt blijft
    hebben hadden kunnen konden moeten willen zouden gaan gingen doen deden komen kwamen krijgen kregen zeggen zeiden
    rekenen sturen leveren bezorgen beloven laten maken geven nemen zetten bellen mailen reageren beweren verkopen noemen
    niet nog al ook wel weer toch echt gewoon maar dan zo dus het er geen daar hier zelf even nu voortaan helaas
    graag vandaag morgen
    goodness opinion own feeling feelings patience question questions message messages reply order number details
    name address experience complaint complaints comment comments report
    is was are were has had have can could will would does did just still not also really
""".split())
_SENTENCE_START = r"(?:^|[.!?\n][ \t]*)"  # no \n in the run: a run of line breaks stays linear
_SENTENCE_END = ".!?\n"
_SENTENCE_BREAK = re.compile(r"[.!?\n]")


def _thing_patterns(language: str) -> tuple[re.Pattern[str], ...]:
    """The customer's own thing, ours as they call it, one with an article, and the draft's."""
    mine, yours = _POSSESSIVE[language]
    noun = rf"((?:(?:{_ADJECTIVES[language]})\s+)?[{_LETTER}][{_LETTER}-]{{2,30}})"
    return (
        re.compile(rf"\b(?:{mine})\s+{noun}\b", re.IGNORECASE),
        re.compile(rf"\b(?:{_THEIRS[language][0]})\s+{noun}\b", re.IGNORECASE),
        re.compile(rf"{_SENTENCE_START}({_ARTICLE[language]})\s+{noun}\b", re.IGNORECASE),
        re.compile(rf"\b(?:{yours})\s+{noun}\b", re.IGNORECASE),
    )


_THINGS = {language: _thing_patterns(language) for language in _POSSESSIVE}
_FORMAL_ADDRESS = re.compile(r"\b(?:u|uw)\b")
_INFORMAL_ADDRESS = re.compile(r"\b(?:je|jij|jou|jouw)\b")


@dataclass(frozen=True)
class Template:
    """One wording of a message or suggestion, per language; `public` limits it to public (True)
    or private (False) channels."""

    texts: Mapping[str, str]
    slots: frozenset[str]
    public: bool | None = None

    def fits(self, case: Case, public: bool, found: Mapping[str, str]) -> bool:
        if self.public is not None and self.public != public:
            return False
        return all(slot in found or case.get(slot) for slot in self.slots)

    def render(self, language: str, case: Case, found: Mapping[str, str]) -> str:
        values = {slot: found[slot] if slot in found else case.get(slot) for slot in self.slots}
        return self.texts[language].format_map(values)


def slots_of(text: str) -> frozenset[str]:
    """The slot names a template text uses; ValueError for a broken template."""
    return frozenset(f for _, f, _, _ in string.Formatter().parse(text) if f is not None)


def choose(templates: tuple[Template, ...], language: str, case: Case, found: Mapping[str, str]) -> str:
    """The first template that fits the case (the last one always does)."""
    for template in templates:
        if template.fits(case, case.channel.public, found):
            return template.render(language, case, found)
    raise AssertionError("a rule's last template fits every case")  # rules.py makes sure of it


class Case:
    """The draft and the customer's message as the templates see them; each slot is looked up
    once, when a template first asks for it. `words` are the compiled word lists of
    guidelines/wordlists (apology, third_party); `live`, the prefilter's verdict over the draft
    (it includes the words' matchers)."""

    def __init__(self, text: str, scan: Scan, live: frozenset[Matcher], customer: str | None, language: str,
                 channel: Channel, words: Mapping[str, Matcher], team_language: str):
        self.text, self.scan, self.folded, self.live, self.customer = text, scan, scan.folded, live, customer
        self.language, self.channel, self.words, self.team_language = language, channel, words, team_language
        self._values: dict[str, str | None] = {}
        self._span = (0, 0)

    def at(self, start: int, end: int) -> Case:
        """The case for a finding at text[start:end] ({found}, {party} depend on it)."""
        if (start, end) != self._span:
            self._span = (start, end)
            for slot in ("found", "found_lower", "party"):
                self._values.pop(slot, None)
        return self

    def get(self, slot: str) -> str | None:
        if slot not in self._values:
            self._values[slot] = getattr(self, f"_{slot}")()
        return self._values[slot]

    def _name(self) -> str | None:
        match = _GREETING.match(self.text, 0, 80)
        if match is None or match[1].split()[-1].lower() in _NOT_NAMES:
            return None
        title, _, rest = match[1].partition(" ")
        return f"{_SPOKEN_TITLES[title.lower()]} {rest}" if title.lower() in _SPOKEN_TITLES and rest else match[1]

    def _thing(self) -> str | None:
        """What went wrong in the customer's words, addressed to them; else what the draft calls it."""
        mine, theirs, article, yours = _THINGS[self.language]
        # in the draft, only its first sentence: where it names the problem, before any offer
        end = _SENTENCE_BREAK.search(self.text)
        first = end.start() if end else len(self.text)
        sources = ((mine, self.customer), (theirs, self.customer), (article, self.customer), (yours, self.text[:first]))
        for pattern, source in sources:
            for match in pattern.finditer(source or ""):
                thing = match[match.lastindex]
                if thing.split()[-1].lower() in _NOT_THINGS:
                    continue
                if pattern is mine:
                    return f"{self._addressed} {thing.lower()}"
                if pattern is theirs:
                    ours = _THEIRS[self.language][1]
                    if self.language == "nl" and thing.lower().endswith(_HET_HEADS):
                        ours = "ons"
                    return f"{ours} {thing.lower()}"
                if pattern is article:
                    determiner = match[1].lower()
                    return f"{_DEFINITE[self.language].get(determiner, determiner)} {thing.lower()}"
                return f"{match[0].split()[-1 - len(thing.split())].lower()} {thing.lower()}"
        return None

    @cached_property
    def _addressed(self) -> str:
        """How the draft says "your": "uw" when it addresses the customer with u only."""
        formal = _FORMAL_ADDRESS.search(self.folded) and not _INFORMAL_ADDRESS.search(self.folded)
        return _ADDRESSED[self.language]["formal" if formal else "informal"]

    def _channel(self) -> str:
        return CHANNEL_NAMES[self.team_language].get(self.channel.id, self.channel.id)

    def _limit(self) -> str | None:
        return str(self.channel.limit) if self.channel.limit else None

    def _apology(self) -> str | None:
        match = self._search("apology", 0, len(self.folded))
        return self.text[match.start():match.end()] if match else None

    def _search(self, words: str, start: int, end: int) -> re.Match[str] | None:
        """The first match of a word list in the folded draft[start:end]; none if the prefilter ruled it out."""
        matcher = self.words[words]
        return matcher.search(self.scan, start, end) if matcher in self.live else None

    def _found(self) -> str | None:
        start, end = self._span
        excerpt = " ".join(self.text[start:end].split())
        return excerpt if 0 < len(excerpt) <= MAX_FOUND else None

    def _found_lower(self) -> str | None:
        found = self.get("found")
        return found.lower() if found else None

    def _party(self) -> str | None:
        """The other party the flagged words name, with its article ("de pakketdienst")."""
        start, end = self._span
        low = max(self.folded.rfind(c, 0, start) for c in _SENTENCE_END) + 1
        after = _SENTENCE_BREAK.search(self.folded, end)
        high = after.start() if after else len(self.folded)
        match = self._search("third_party", low, high)
        if match is None or len(match[0]) > MAX_FOUND or match[0].endswith(" waar"):  # "de winkel waar…"
            return None
        article, _, party = " ".join(self.text[match.start():match.end()].split()).partition(" ")
        return f"{article.lower()} {party}"  # "De vervoerder is…" -> "bij de vervoerder"


_NEVER = Matcher.compile(r"(?!)", 0)
_PARTY_ARTICLE = r"de|het|die|the|your|je|jouw|uw|hun|their|een|a|an"


def case_words(patterns: Mapping[str, str]) -> dict[str, Matcher]:
    """The word lists a case looks in, compiled from their patterns (guidelines/wordlists/*.yaml,
    as WordList.pattern) for the folded draft; a missing list finds nothing."""
    apology, party = patterns.get("apology"), patterns.get("third_party")
    return {
        "apology": Matcher.compile(rf"\b{apology}\b", 0) if apology else _NEVER,
        "third_party": Matcher.compile(rf"\b(?:{_PARTY_ARTICLE})\s+{party}(?!\w)", 0) if party else _NEVER,
    }
