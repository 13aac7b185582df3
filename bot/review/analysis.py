"""Who does what, when and how sure: a draft (or a customer message) clause by clause.

    analyser = Analyser.load(guidelines_dir / "language")   # once; the word lists are data
    analysis = analyser.analyse(text, "nl")                  # pure and fast: no I/O, no model
    for clause in analysis.clauses:
        clause.start, clause.end   # the clause in `text` (also clause.main: without a condition)
        clause.actor      # WE, FOR_US (a colleague, our engineer), CUSTOMER, THIRD_PARTY, THING
        clause.continues  # no subject of its own ("...en mailt je vrijdag"): actor of the clause before
        clause.negated    # a negation in the main part ("we kunnen je vandaag niet meer bellen")
        clause.tense      # DONE, PLANNED, SHOULD_HAVE or PRESENT (a state, how things work)
        clause.mood       # STATEMENT, QUESTION, INSTRUCTION (to the customer), GENERAL (a rule
                          # for anyone, a habit), CONDITION (we act if the customer does something)
        clause.joint      # what joins it to the clause before: "." (a new sentence), ":", "-", ";", "en"…
        clause.times      # explicit time expressions (timeexpr.TimeExpression), not the condition's
        clause.has("follow_up")  # a marker of guidelines/language/<lang>.yaml in the main part
        clause.evidence   # (label, start, end): the words behind each judgement, for --explain

Clauses split at . ! ? ; : and spaced dashes, and at coordinating conjunctions ("en", "maar",
"and", "but"...) that start a new subject or verb. Inside a clause the analysis sets aside a
leading condition ("als je ons je nummer stuurt, ...", "lukt dat niet, ...") and subordinate
parts ("ik snap dat ...", "..., die ..."): who acts, negation and tense are read from the rest.
Where the words say nothing clear the result is the quiet default: THING, not negated, PRESENT,
STATEMENT.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field, replace
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from bot.config import ConfigError, not_words, read_yaml
from bot.privacy.detect import first_names
from bot.review.prefilter import Matcher, Prefilter, Scan
from bot.review.text import Span, detect_language, fold, sentences
from bot.review.timeexpr import TimeExpression, find_time_expressions
from bot.review.xlength import link_spans

WE, FOR_US, CUSTOMER, THIRD_PARTY, THING = "we", "for_us", "customer", "third_party", "thing"
DONE, PLANNED, SHOULD_HAVE, PRESENT = "done", "planned", "should_have", "present"
STATEMENT, QUESTION, INSTRUCTION, GENERAL, CONDITION = "statement", "question", "instruction", "general", "condition"
TEAM = frozenset({WE, FOR_US})

MARKERS = (
    "we", "for_us", "third_party", "customer", "customer_verbs", "pronoun", "negation", "should_have",
    "done", "future", "general_start", "habitual", "condition", "then", "subordinate", "conjunction",
    "imperative", "customer_modal", "question_tag", "follow_up", "receive", "arrival", "commitment",
    "soon", "not_commitment", "arranged", "greeting", "telling", "for_you", "hedge", "policy", "waiting", "vague",
    "pass_on", "refund", "delegated", "vouch",
)
# Markers whose hits the clause reading looks up (the others are word sets it checks directly).
_HIT_MARKERS = (
    "we", "for_us", "third_party", "customer", "pronoun", "negation", "should_have", "done", "future",
    "follow_up", "receive", "arrival", "commitment", "soon", "not_commitment", "habitual", "customer_modal", "arranged",
    "for_you", "hedge", "policy", "waiting", "vague", "pass_on", "refund", "delegated", "vouch",
)
# Markers looked for in a clause's main part and listed in Clause.marks.
_CLAUSE_MARKS = frozenset({"follow_up", "receive", "arrival", "commitment", "soon", "not_commitment", "future", "for_us",
                           "habitual", "customer_modal", "arranged", "for_you", "hedge", "policy", "waiting", "vague",
                           "pass_on", "refund", "vouch"})
# Words that give a reason: a part they open states a fact ("omdat je geen sms kreeg", "want hij
# is binnen 14 dagen gekocht").
REASONS = frozenset({"omdat", "doordat", "aangezien", "want", "because", "since"})
_PREPOSITIONS = frozenset(
    "voor met aan naar bij van over op tegen door om in uit zonder to for with from at about of by "
    "thank thanks onder achter".split()
)
_WORD = re.compile(r"[a-z0-9]+")
_THRESHOLD = re.compile(  # an order value: "boven de 20 euro", "over €50"
    r"\b(?:boven|vanaf|onder|above|over|under)\s+(?:de\s+|the\s+)?(?:[€$£]\s?\d|\d+(?:[.,]\d+)?\s*(?:euro|eur)\b)")
_AMOUNT = re.compile(r"[€$£]\s?\d")  # a sum of money: this customer's, not a rule for anyone
_PARTICIPLE = re.compile(r"(?:[a-z]*ge[a-z]{3,}|(?:be|ver|ont|her)[a-z]{3,})(?<=[dt])")
_MAX_KNOWN_WORDS = 50_000  # bounds Language._seen_words
# The subject right after the verb of an inverted condition ("lukt dat niet, ...").
_INVERTED_SUBJECTS = frozenset("je jij u dat het hij zij ze die er you it that".split())
# Subordinate words that also point at something ("van die afdeling", "tot die tijd", "for that order").
_DEMONSTRATIVES = frozenset({"die", "dat", "that"})
_POINTING = _PREPOSITIONS | {"tot", "sinds", "vanaf", "until", "since"}
_DO = frozenset({"doe", "doet", "doen"})  # "onze kleermaker doet dat deze week": "dat" is what it does
# "dat" before one of these is what we act on ("ik zet dat vandaag nog in gang"), no "that …" part
_TIME_ADVERBS = frozenset("vandaag morgen nu even direct meteen straks vanmiddag vanavond gelijk nog graag".split())
# Words before the first real word of a clause that don't count as it ("even", "just").
_FILLERS = frozenset({"even", "gerust", "wel", "nu", "also", "just"})
# After "dus" or "so" a clause has a subject of its own ("…, dus neem contact op met Klarna"):
# never a continuation of the one before.
CONSEQUENCE = frozenset({"dus", "so"})
# Words after "als" that open a condition ("als de monteur komt", "als er iets is"), unlike a bare noun.
_CLAUSE_OPENERS = frozenset("de het een er dat dit die deze uw jouw mijn onze ons iets alles niemand iemand blijkt".split())
# A relative part of a noun ends with its verb; the main clause goes on with one of these
_MAIN_VERBS_AFTER_RELATIVE = frozenset({"staat", "staan", "wordt", "worden", "komt", "komen", "ligt", "liggen", "gaat",
                                        "gaan", "volgt", "volgen", "is", "zijn"})
_THEN_WORDS = re.compile(r"\b(?:daarna|vervolgens|and\s+then|after\s+that)\b")
_EVEN = frozenset({"ook", "zelfs", "even"})  # "ook als", "zelfs als", "even if": no condition
_VERB_ENDING = re.compile(r"..(?:de|te|d|t|en)$")  # "betaalde", "besteld", "gekregen" (not "volledig")
_NOUN_DETERMINERS = frozenset({"de", "het", "een", "uw", "je", "jouw", "onze", "ons", "dit", "deze"})
# What follows our verb in a list of our own actions ("…, zet de twee maanden vandaag terug"),
# unlike an instruction's customer ("…, zet je modem uit").
_OBJECT_DETERMINERS = frozenset({"de", "het", "een", "die", "dat", "deze", "the", "a", "an"})
# "me", "ons" in a condition make it one the customer fulfils towards us ("als je me je loonstrook stuurt").
_US = frozenset({"me", "mij", "ons", "us"})
# Our determiners: "laat ons team je ... weten", "let our team know" name who acts after the verb.
_OUR_DETERMINERS = frozenset({"ons", "onze", "mijn", "my", "de", "het", "een", "andere", "nieuwe",
                              "our", "the", "a", "another", "new"})
# The verbs that show "tot" opens a part of its own ("tot het probleem is opgelost").
_UNTIL_VERBS = frozenset({"is", "zijn", "heeft", "hebt", "hebben", "wordt", "worden", "werkt", "werken", "komt", "staat",
                          "ligt", "kan", "kunnen"})
# Words that follow a finite verb, not a noun: "je voegt het toe", "je vult de code in".
_AFTER_FINITE = frozenset({"het", "dit", "dat", "de", "een", "hem", "ze", "er", "zelf", "gewoon", "even", "dan", "ook",
                           "daarna", "eerst", "makkelijk", "eenvoudig", "direct", "meteen"})


@dataclass(frozen=True)
class Marker:
    name: str
    words: frozenset[str] = frozenset()
    suffixes: tuple[str, ...] = ()  # a word ending in one of these is a hit (plurals included)
    patterns: tuple[Matcher, ...] = ()
    unless: tuple[Matcher, ...] = ()
    at_start: bool = False
    marked: tuple[str, ...] = ()  # examples that hold the marker
    unmarked: tuple[str, ...] = ()  # examples that do not

    def at(self, folded: str, position: int, end: int) -> re.Match[str] | None:
        """A pattern matching right at `position` (for at_start markers)."""
        return next((m for p in self.patterns if (m := p.match(folded, position, end))), None)


# What follows a plural verb right after "en" when it goes on with our subject ("wij storten het
# terug en verwerken uw opzegging"): a clause of its own.
_OBJECTS = ("je", "jou", "u", "uw", "jouw", "het", "de", "een", "hem", "haar", "deze", "ons", "onze")


def _plural_verb_first(words: list[tuple[int, int, str]]) -> bool:
    """The clause opens with a plural verb ("verwerken") and one of _OBJECTS."""
    return len(words) > 1 and len(words[0][2]) > 4 and words[0][2].endswith("en") and words[1][2] in _OBJECTS


# A moment that sets a promise off ("u ontvangt bericht zodra er een besluit is"), not a condition
# that makes it a rule for anyone.
_TRIGGERS = frozenset({"zodra", "once"})
_VOCATIVE_END = re.compile(r"\s*(?:[.!?]|,\s*(?P<next>\w*)|$)")


def _addressed(text: str, start: int, end: int, verbs: frozenset[str]) -> bool:
    """A name between a comma and the end of a sentence is the customer addressed ("Excuses voor
    de uitval, Jeroen."), not a colleague who acts; between commas before a verb it names who acts
    ("de verzorgende van uw moeder, Marleen, belt u morgen")."""
    end_of_name = _VOCATIVE_END.match(text, end)
    return (text[max(0, start - 4) : start].rstrip().endswith(",") and end_of_name is not None
            and (end_of_name["next"] is None or end_of_name["next"].lower() not in verbs))


def _we_ask(request: tuple[int, int] | None, subject: tuple[int, int] | None) -> bool:
    """Our subject inside or right before a request to the customer ("wij verzoeken u dit
    uiterlijk 31 januari te doen", "we ask you to …"): an instruction, not something we do."""
    return request is not None and subject is not None and (
        request[0] <= subject[0] < request[1] or 0 <= request[0] - subject[1] <= 1)


_POSTCODE = re.compile(r"\s*\d{4}\s?[a-z]{2}\b")  # after an address's comma: "Kerkstraat 12, 3511 AB Utrecht"


def _next_comma(folded: str, start: int, end: int) -> int:
    """The next comma in [start, end), not the one inside an address."""
    i = folded.find(",", start, end)
    while i >= 0 and _POSTCODE.match(folded, i + 1):
        i = folded.find(",", i + 1, end)
    return i


def _inside(position: int, ranges: list[tuple[int, int]]) -> bool:
    for start, end in ranges:
        if start <= position < end:
            return True
    return False


def _matches(matcher: Matcher, scan: Scan, bounds: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """(start, end) of the matches of `matcher`, each inside one of the sorted `bounds`."""
    folded, found = scan.folded, []
    if matcher.prefix is None:
        for start, end in bounds:
            found.extend(m.span() for m in matcher.regex.finditer(folded, start, end))
        return found
    ends = [end for _start, end in bounds]
    for position in scan.starts(matcher.prefix, 0, len(folded)):
        i = bisect_right(ends, position)
        if i < len(bounds) and bounds[i][0] <= position and (m := matcher.match(folded, position, bounds[i][1])):
            found.append(m.span())
    return found


# (marker, whether it is an `unless` pattern, the pattern)
_Entry = tuple[str, bool, Matcher]


@dataclass(frozen=True)
class Language:
    code: str
    markers: dict[str, Marker]
    split_verbs: frozenset[str]  # words after "en"/"and" that start a clause without a subject
    split_words: frozenset[str]  # subjects and determiners after "en"/"and" that start a clause
    present_plans: bool  # the present tense states a plan ("we bellen je"), not a habit

    def __getitem__(self, name: str) -> Marker:
        return self.markers[name]

    @cached_property
    def hit_markers_of_word(self) -> dict[str, tuple[str, ...]]:
        """word -> the markers listing it whose hits are looked up: one look-up per word of a text."""
        index: dict[str, list[str]] = {}
        for marker in (self.markers[name] for name in _HIT_MARKERS):
            for word in marker.words:
                index.setdefault(word, []).append(marker.name)
        return {word: tuple(names) for word, names in index.items()}

    @cached_property
    def suffixed(self) -> tuple[tuple[str, frozenset[str], tuple[str, ...]], ...]:
        """(marker, last three letters of its suffixes, suffixes): the set rules out most words."""
        return tuple((name, frozenset(s[-3:] for s in m.suffixes), m.suffixes)
                     for name, m in ((n, self.markers[n]) for n in _HIT_MARKERS) if m.suffixes)

    @cached_property
    def _seen_words(self) -> dict[str, tuple[str, ...]]:
        return {}  # word -> markers_of(word): most words of a draft were seen before

    def markers_of(self, word: str) -> tuple[str, ...]:
        """The markers whose hits are looked up that `word` is a hit of: listed, or by its ending."""
        seen = self._seen_words
        names = seen.get(word)
        if names is None:
            if len(seen) > _MAX_KNOWN_WORDS:
                seen.clear()
            names = seen[word] = self.hit_markers_of_word.get(word, ()) + tuple(
                name for name, tails, suffixes in self.suffixed if word[-3:] in tails and word.endswith(suffixes)
            )
        return names

    @cached_property
    def anchors(self) -> tuple[dict[str, tuple[_Entry, ...]], tuple[_Entry, ...]]:
        """word -> the patterns of the looked-up markers whose every match starts with that word
        (in the marker's order), and the patterns that may start elsewhere."""
        by_word: dict[str, list[_Entry]] = {}
        elsewhere: list[_Entry] = []
        for name in _HIT_MARKERS:
            marker = self.markers[name]
            for unless, matchers in ((False, marker.patterns), (True, marker.unless)):
                for matcher in matchers:
                    if matcher.prefix is None or matcher.prefix.substrings:
                        elsewhere.append((name, unless, matcher))
                    else:
                        for word in matcher.prefix.words:
                            by_word.setdefault(word, []).append((name, unless, matcher))
        return {word: tuple(entries) for word, entries in by_word.items()}, tuple(elsewhere)

    def hits(self, scan: Scan, bounds: list[tuple[int, int]], live: frozenset[Matcher] | None) -> dict[str, list[tuple[int, int]]]:
        """(start, end) of every hit of each looked-up marker in the scanned text: its words, and
        its patterns' matches inside one of `bounds` (the sorted clauses), minus those starting
        inside a match of one of its `unless` patterns. A pattern is tried only where its first
        word stands: one pass over the words instead of one search per marker. `live`: the
        patterns a Prefilter let through (None: all)."""
        by_word, elsewhere = self.anchors
        folded, word_starts = scan.folded, scan.word_starts
        found: dict[str, list[tuple[int, int]]] = {name: [] for name in _HIT_MARKERS}
        blocked: dict[str, list[tuple[int, int]]] = {}
        seen, markers_of = self._seen_words, self.markers_of
        ends = [end for _start, end in bounds]
        # by distinct word, not by token: most words of a text hit nothing (the spans are sorted below)
        for word, starts in word_starts.items():
            names = seen.get(word)
            if names is None:
                names = markers_of(word)
            if names:
                size = len(word)
                for start in starts:
                    # the first parts of a compound are not hits ("bel-me-niet-lijst", "niet-werkende");
                    # its last part is ("schade-expert")
                    if folded[start + size : start + size + 1] != "-":
                        for name in names:
                            found[name].append((start, start + size))
            entries = by_word.get(word)
            if entries is None:
                continue
            if live is not None:
                entries = [e for e in entries if e[2] in live]
            if not entries:
                continue
            for start in starts:
                clause = bisect_right(ends, start)
                if clause == len(bounds) or bounds[clause][0] > start:
                    continue
                stop, done = bounds[clause][1], set()
                for name, unless, matcher in entries:
                    key = (name, unless)
                    if key in done:
                        continue
                    if (m := matcher.match(folded, start, stop)) is not None:
                        done.add(key)  # the first of a marker's patterns that matches here, as in an alternation
                        (blocked.setdefault(name, []) if unless else found[name]).append(m.span())
        for name, unless, matcher in elsewhere:
            if live is None or matcher in live:
                spans = _matches(matcher, scan, bounds)
                (blocked.setdefault(name, []) if unless else found[name]).extend(spans)
        for name, spans in blocked.items():
            found[name] = [h for h in found[name] if not any(s <= h[0] < e for s, e in spans)]
        for spans in found.values():
            spans.sort()
        return found

    def holds(self, name: str, text: str) -> bool:
        """Whether marker `name` occurs in `text` as the analysis looks for it (for the examples)."""
        marker, folded = self.markers[name], fold(text)
        if marker.at_start:
            return marker.at(folded, 0, len(folded)) is not None
        if name in _HIT_MARKERS:
            return bool(self.hits(Scan(folded), [(0, len(folded))], None)[name])
        scan = Scan(folded)
        return bool(marker.words & scan.words) or any(_matches(m, scan, [(0, len(folded))]) for m in marker.patterns)

    @cached_property
    def general_heads(self) -> frozenset[str] | None:
        """The words a general_start pattern can begin with; None: any."""
        prefixes = [p.prefix for p in self["general_start"].patterns]
        if any(p is None or p.substrings for p in prefixes):
            return None
        return frozenset().union(*(p.words for p in prefixes))

    @cached_property
    def general_openings(self) -> tuple[str, ...] | None:
        """Letters every general_start match begins with, when all are word characters: a word
        that does not start with one of them starts no match. None: unknown."""
        prefixes = [p.prefix for p in self["general_start"].patterns]
        if any(p is None for p in prefixes):
            return None
        openings = tuple(sorted({s for p in prefixes for s in (*p.words, *p.substrings)}))
        return openings if all(_WORD.fullmatch(s) for s in openings) else None

    @cached_property
    def matchers(self) -> tuple[Matcher, ...]:
        return tuple(m for marker in self.markers.values() for m in (*marker.patterns, *marker.unless))


@dataclass(slots=True)  # not frozen: a frozen init costs more than the rest of reading a clause
class Clause:
    start: int
    end: int
    main: Span  # the clause without its leading condition and conjunction
    sentence: int
    joint: str
    actor: str
    continues: bool
    negated: bool
    tense: str
    mood: str
    times: tuple[TimeExpression, ...]
    marks: frozenset[str]
    evidence: tuple[tuple[str, int, int], ...] = ()

    def has(self, marker: str) -> bool:
        return marker in self.marks


@dataclass(frozen=True)
class Analysis:
    text: str
    language: str
    clauses: list[Clause] = field(default_factory=list)
    sentences: list[Span] = field(default_factory=list)  # text.sentences(text)

    def excerpt(self, clause: Clause) -> str:
        return self.text[clause.start : clause.end]

    def tells(self, index: int) -> bool:
        """Clause `index` tells the customer what the next clause says ("hierbij laten wij u
        weten | dat …"): told now, neither a promise nor a step."""
        return index + 1 < len(self.clauses) and self.clauses[index + 1].joint == "telling"


class Analyser:
    """The clause analysis for the languages in one folder of word lists."""

    def __init__(self, languages: dict[str, Language]):
        self.languages = languages
        self._breaks = {code: _clause_breaks(lang) for code, lang in languages.items()}
        self._tellings = {code: _telling(lang) for code, lang in languages.items()}
        self._prefilters = {code: Prefilter(lang.matchers) for code, lang in languages.items()}

    @classmethod
    def load(cls, folder: Path) -> Analyser:
        return cls({lang.code: lang for lang in (_load_language(p) for p in sorted(folder.glob("*.yaml")))})

    @property
    def matchers(self) -> tuple[Matcher, ...]:
        """For the caller's Prefilter (see analyse's `live`)."""
        return tuple(m for lang in self.languages.values() for m in lang.matchers)

    def analyse(self, text: str, language: str, scan: Scan | None = None,
                times: list[TimeExpression] | None = None, live: frozenset[Matcher] | None = None) -> Analysis:
        """The clauses of `text`; the caller may pass what it has already: `scan` (of
        text.fold(text)), `times` (find_time_expressions) and `live` (a Prefilter's verdict over
        a list of matchers that includes self.matchers)."""
        lang = self.languages[language]
        if scan is None or live is None:
            scan = Scan(scan.folded if scan else fold(text))
            live = self._prefilters[language].live(scan)
        folded = scan.folded
        if times is None:
            times = find_time_expressions(text, folded)
        spans = sentences(text)
        breaks, telling = self._breaks[language], self._tellings[language]
        candidates = breaks.candidates(text, scan)
        parts = [(index, part) for index, sentence in enumerate(spans)
                 for part in _split(folded, sentence, breaks, candidates, telling)]
        bounds = [(start, end) for _index, (start, end, _joint) in parts]
        hits = lang.hits(scan, bounds, live)
        if not _LINK_WORDS.isdisjoint(scan.words):  # a link's words say nothing ("…/klantenservice/verzenden-2026", "bel-me-niet.org")
            links = link_spans(folded)  # the links X would make of the text
            hits = {name: [h for h in found if not _inside(h[0], links)] for name, found in hits.items()}
            times = [t for t in times if not _inside(t.start, links)]
        reader = _Reader(lang, text, scan, hits, times, live)
        # each clause's hits per marker, found with one bisect per hit
        ends = [end for start, end in bounds]
        local: list[dict[str, list[tuple[int, int]]]] = [{} for _ in bounds]
        for name, found in hits.items():
            for hit in found:
                i = bisect_right(ends, hit[0])
                if i < len(bounds) and bounds[i][0] <= hit[0]:
                    local[i].setdefault(name, []).append(hit)
        clauses: list[Clause] = []
        sentence_clauses: list[Clause] = []
        for position, (index, (start, end, joint)) in enumerate(parts):
            sentence_clauses.append(reader.clause(start, end, joint, index, sentence_clauses, local[position]))
            if position + 1 == len(parts) or parts[position + 1][0] != index:
                clauses.extend(_questions(folded, sentence_clauses, lang))
                sentence_clauses = []
        return Analysis(text, language, clauses, spans)


@cache
def _first_names() -> frozenset[str]:
    """First names that are not also ordinary words (the personal-data detector's list)."""
    names, ambiguous = first_names()
    return names - ambiguous


@cache
def default_analyser() -> Analyser:
    """The analyser over the project's own guidelines/language (tests, scripts)."""
    return Analyser.load(Path(__file__).resolve().parents[2] / "guidelines" / "language")


def analyse(text: str, language: str | None = None) -> Analysis:
    """Shorthand over the project's own word lists; the language is detected when not given."""
    folded = fold(text)
    return default_analyser().analyse(text, language or detect_language(frozenset(_WORD.findall(folded))))


# --------------------------------------------------------------------------- splitting


@dataclass(frozen=True)
class _Breaks:
    """Where a sentence splits into clauses: `regex` tried at the few places a break can start
    (`candidates`) instead of by a search through every character."""

    regex: re.Pattern[str]
    triggers: frozenset[str]  # the words that open a clause after white space

    def candidates(self, text: str, scan: Scan) -> list[int]:
        """Each , ; : and white space before a dash, and the start of the white space before a
        trigger word: the only places the regex can match (it opens with a look-ahead for those).
        Not before an emphatic "én", which joins two things, not two clauses ("we storten het
        bedrag én de rente vandaag terug")."""
        folded = scan.folded
        found = [m.start() for m in _BREAK_MARKS.finditer(folded)]
        for word in self.triggers.intersection(scan.words):
            for start in scan.word_starts[word]:
                if text[start] in "éÉ":
                    continue
                space = start
                while space > 0 and folded[space - 1].isspace():
                    space -= 1
                if space < start:
                    found.append(space)
        found.sort()
        return found


# The joints of a relative part ("…, die onze koerier morgen brengt").
_RELATIVES = frozenset({"die", "which", "where"})
# Modals that open a clause after "en" when the customer follows ("… en kun je alsnog kijken").
_CUSTOMER_MODALS = frozenset({"kun", "kunt", "kan", "mag", "moet", "hoef", "hoeft"})
_BREAK_MARKS = re.compile(r"[,;:]|\s(?=-)")
# words one of which a link holds ("https://…", "www.…", a bare "bel-me-niet.org"): the cheap test
# before links are looked for
_LINK_WORDS = frozenset({"http", "https", "www", "nl", "com", "org", "net", "eu", "info"})


def _clause_breaks(lang: Language) -> _Breaks:
    conj = "|".join(sorted(lang["conjunction"].words))
    elaboration = "dat|die|which|waarna"  # ", dat wordt morgen bezorgd": says more of the clause before
    determiners = "de|het|een|die|dat|dit|deze|onze|ons|mijn|jouw|uw|the|a|an|this|that|our|my|your"
    customer = lang["customer"].words
    # not "zijn", also "his" ("met de chauffeur en zijn leidinggevende besproken")
    starters = sorted((lang.split_verbs | lang.split_words) - set(determiners.split("|")) - customer - {"zijn"})
    strong = "|".join(w for w in ("maar", "want", "but") if w in lang["conjunction"].words)  # "je krijgt het dus morgen"
    weak = "|".join(w for w in ("en", "and") if w in lang["conjunction"].words)
    # ", je hoeft zelf niets te doen", ", het staat vrijdag op je rekening": a comma, then a new
    # subject and its verb (", die ..." is an elaboration, above)
    persons = lang["we"].words | customer | lang["pronoun"].words
    # who acts for us, by the ending of the word ("monteur", "bezorgers"): see the marker for_us
    actors = "|".join(sorted(map(re.escape, lang["for_us"].suffixes), key=len, reverse=True)) or "(?!)"
    subjects = "|".join(sorted((persons | {"het", "it"}) - set(elaboration.split("|"))))
    verbs = "|".join(map(re.escape, sorted(lang.split_verbs | lang["customer_verbs"].words)))
    finite = "|".join(map(re.escape, sorted(lang.split_verbs)))  # verbs only, no "er", "al", "nog"
    inverted = "|".join(sorted(persons))
    # ", meld je schade bij hen": an instruction to the customer after a comma is a clause of its own
    commands = "|".join(map(re.escape, sorted(lang["imperative"].words)))
    we = "|".join(sorted(lang["we"].words))
    # "een noodpas besteld die onze koerier op 26/11 aflevert": a relative part in which we act
    ours = "|".join(sorted(lang["we"].words | {"onze", "our"}))
    # "…en kun je alsnog kijken": a modal before the customer (not one of the verbs above)
    modals = "|".join(sorted(_CUSTOMER_MODALS & lang["customer_verbs"].words - lang.split_verbs))
    stops = "and|or|but" if lang.code == "en" else "en|of|maar|want"  # "the payment of €80 will": "of" is no "or"
    modal_first = rf"|(?:{modals})\s+(?:{'|'.join(sorted(customer))})\b" if modals else ""
    after_space = [  # the words after a space that open a clause (one run of white space, tried once)
        # not "maar" as a softener before a closing particle ("stuur de tweede set maar retour, …",
        # "kom maar even langs, …") or in "laat maar weten"
        rf"(?P<s>{strong})\s(?!(?:(?:even|eens|gerust|rustig)\s+)?(?:retour|terug|weg|langs|mee|binnen|door|op|af)\s*(?:[,.!?;]|$))"
        rf"(?!(?:even\s+)?(?:weten|horen)\b)"
        if strong else None,
        rf"(?P<r>die|which|where)\s+(?:{ours}|it'll|it\s+will|they'll|they\s+will)\b",
        # "...en de reiniging haalt het vrijdag op" (not "het ijs en de bezorgkosten teruggestort"):
        # after a determiner, a verb within a few words
        rf"(?P<w>{weak})\s+(?:(?:{'|'.join(map(re.escape, starters))})\b(?!\s+(?:address|adres|number|nummer)\b)"
        rf"|(?:{'|'.join(sorted(customer))})\s+(?:{verbs})\b"  # "en je krijgt", not "en u hierover terugbellen"
        rf"|(?:{'|'.join(sorted(customer))}|[a-z]{{2,}})(?:'ll|\s+will)\s"  # "and you'll get a confirmation", "and Kim will …"
        # "… en Ruud bouwt hem morgenochtend in": a name, its verb and the object
        rf"|[a-z]{{2,}}\s+[a-z]{{2,}}t\s+(?:hem|haar|het|ze|je|jou|u)\s+[^\W\d]"
        # "… en dat onze monteur het voor het eind van de week zal plaatsen": a second "dat" part
        rf"|dat\s+(?:{ours}|{'|'.join(sorted(customer))}|de|het|een)\s"
        f"{modal_first}"
        # "en een collega van de afdeling meterstanden belt" (not across another "en")
        rf"|(?:{determiners}|je)\s+(?:(?!(?:{stops})\s)\S+\s+){{0,5}}?(?:{finite})\b"
        # "… and our technician is fixing it this morning": a progressive is a verb of its own
        rf"|(?:{determiners})\s+(?:(?!(?:{stops})\s)\S+\s+){{0,3}}?(?:is|are)\s+[a-z]+ing\b"
        # a plural verb and its object: "wij storten het terug en verwerken uw opzegging vandaag"
        rf"|[a-z]{{3,}}en\s+(?:{'|'.join(_OBJECTS)})\s)" if weak else None,
        # "...en straks maken we het over", "...en binnen 3 dagen is hij actief": a verb before its
        # subject after a few words opens a clause of its own (not "tussen 9 en 12 uur bel ik")
        # (a clock time is one word there: "… en maandag om 10:00 bezorgt onze koerier de borden")
        rf"(?P<v>{weak})\s+[^\W\d][^\s,;:]*\s+(?:(?:\d{{1,2}}[:.]\d{{2}}|[^\s,;:]+)\s+){{0,3}}?(?:(?:{verbs})\s+(?:{inverted})|(?!(?:{stops})\s)[^\W\d]{{2,}}\s+(?:{we})"
        # "…en maandag om 11 uur belt Kees je": a verb, a colleague by name, and the customer;
        # "… en vanmiddag staat de bezorger bij je voor de deur": a verb, then someone for us
        rf"|(?:{finite})\s+[^\W\d]{{2,}}\s+(?:je|jou|u|you)|(?:{finite})\s+(?:onze|ons|mijn)\s+[\w-]+\s"
        rf"|(?:{finite})\s+de\s+[\w-]*(?:{actors})s?\s)\b"
        # "… en uiterlijk vrijdag is het gat gedicht": a verb, then its subject with an article
        rf"|(?P<v3>{weak})\s+[^\W\d][^\s,;:]*\s+(?:[^\s,;:]+\s+){{0,2}}?(?:is|zijn|wordt|worden)\s+(?:het|de)\s+[^\W\d]{{2,}}\s+(?:[^\s,;:]+\s+){{0,2}}?[a-z]+(?:d|t)\b"
        rf"|(?P<v2>{weak})\s+(?:{determiners})\s+(?:(?!(?:{stops})\s)[^\s,;:]+\s+){{4,9}}?[^\W\d]{{2,}}\s+(?:{we})\b"
        if weak else None,
    ]
    alternatives = [
        r"(?P<p>[;:])\s+(?!\d)",
        r"\s(?P<d>-{1,2})\s(?!\d)",  # not in a range of dates ("30 Dec – 2 Jan")
        # ", donderdag heb je hem in huis": a verb and its subject after a word or two
        rf",\s+(?=(?P<c>{conj}|{elaboration})\s|(?P<k>)(?:(?:{subjects})\s+(?:{verbs})|(?:he|she|they|it)(?:'ll|'ve|\s+will|\s+have)\s+[a-z]+|(?:\w(?:\w|(?<=\d)[:.](?=\d))*\s+){{1,3}}?(?:{verbs})\s+(?:{inverted}|het)"
        rf"|dan\s+(?:{verbs}|laat|laten)\s+(?:een|onze|ons|mijn|je|jij|u|de|het)\s|then\s+(?:{we})(?:'ll|\s+will)\s"
        rf"|dan\s+[a-z]{{3,}}\s+(?:{we})\b"  # "…, dan passen we je naam kosteloos aan"
        rf"|dan\s+(?:{verbs})\s+[^\W\d]{{2,}}\s+(?:bij\s+)?(?:je|jou|u)\b"  # "…, dan komt Linda bij je langs"
        rf"|er\s+(?:komt|komen|gaat|gaan|wordt|worden|staat|staan|ligt|liggen)\s"  # "…, er komt binnen 10 minuten iemand"
        rf"|dan\s+(?:komt|komen|gaat|gaan|wordt|worden)\s+er\s"  # "…, dan komt er morgen een koerier"
        # ", vervangt onze liftmonteur de lift vrijdag", ", daarom brengt onze koerier het morgen"
        rf"|(?:(?:daarom|dus|daarna|vervolgens|intussen|ondertussen|inmiddels)\s+)?(?:{finite})\s+(?:onze|ons|mijn)\s+[\w-]+\s"
        rf"|(?:{commands})\s+(?:je|jij|u|jouw|uw|ons|hem|haar|hen|het|de|een|gerust|even|your|us|them|the|a|it|now|by|before)\s"
        rf"|please\s+(?:{commands})\s|(?:can|could|would)\s+you\s"  # ", can you DM us …?": a question of its own
        rf"|(?:geniet|enjoy)\s"  # ", enjoy your weekend!": a wish of its own, after what we did
        rf"|(?:al\s+|ook\s+|all\s+)?(?:{determiners}|je)\s+(?:[^\W\d][\w-]*\s+){{1,3}}?(?:{finite}))\b)",
        r"(?<!\s)\s+(?=" + "|".join(a for a in after_space if a) + ")",
    ]
    # a run of white space is tried from its first character only (from every one it took
    # quadratic time: 10,000 spaces, 2 s)
    triggers = {*strong.split("|"), "die", "which", "where", *weak.split("|")} - {""}
    return _Breaks(re.compile("(?=[\\s,;:])(?:" + "|".join(alternatives) + ")"), frozenset(triggers))


def _telling(lang: Language) -> re.Pattern[str]:
    """Telling the customer something now ("wij delen u mede", "we confirm"), up to the "dat" or
    "that" that opens what we tell: that part is a clause of its own, read for who does what.
    Not past a "whether" ("we'll let you know within an hour whether that email is from us")."""
    patterns = "|".join(m.pattern for m in lang["telling"].patterns)
    return re.compile(rf"(?:{patterns})(?:(?!\b(?:whether|if|of|wanneer|when|hoe|how|wat|what)\b)[^.!?;:,\n]){{0,30}}?\s(?=(?:dat|that)\b)")


def _split(folded: str, sentence: Span, breaks: _Breaks, candidates: list[int],
           telling: re.Pattern[str]) -> list[tuple[int, int, str]]:
    """(start, end, joint) of each clause of the sentence; the conjunction stays in the clause,
    the "dat" after telling (joint "telling") too. `candidates`: breaks.candidates() of the text."""
    cuts, resume, match = [], sentence.start, breaks.regex.match
    for position in candidates[bisect_left(candidates, sentence.start) : bisect_left(candidates, sentence.end)]:
        if position >= resume and (m := match(folded, position, sentence.end)):  # as finditer: no overlaps
            resume = m.end()
            cuts.append((m.start(), m.end(), "," if m.group("k") is not None else (
                m.group("p") or m.group("d") or m.group("c") or m.group("s") or m.group("w") or m.group("v")
                or m.group("v2") or m.group("v3") or m.group("r")), m.group("d") is not None))
    cuts += [(m.end(), m.end(), "telling", False) for m in telling.finditer(folded, sentence.start, sentence.end)]
    parts, begin, joint = [], sentence.start, "."
    for start, end, cut_joint, dash in sorted(cuts):
        if start < begin:
            continue
        if folded[begin:start].strip(" ,"):
            parts.append((begin, start, joint))
            joint = cut_joint
            begin = end
        if dash:
            joint = "-"
    if folded[begin : sentence.end].strip(" ,"):
        parts.append((begin, sentence.end, joint))
    return [(*_trim(folded, s, e), j) for s, e, j in parts]


def _trim(folded: str, start: int, end: int) -> tuple[int, int]:
    while start < end and folded[start] in " \t\n,":
        start += 1
    while end > start and folded[end - 1] in " \t\n,":
        end -= 1
    return start, end


# --------------------------------------------------------------------------- one clause


class _Reader:
    def __init__(self, lang: Language, text: str, scan: Scan, hits: dict[str, list[tuple[int, int]]],
                 times: list[TimeExpression], live: frozenset[Matcher] | None):
        tokens = scan.tokens
        self.lang, self.text, self.scan, self.folded, self.tokens = lang, text, scan, scan.folded, tokens
        self.hits, self.times = hits, times
        self.time_starts = [t.start for t in times]
        self.starts = [t[0] for t in tokens]
        self.conjunctions = lang["conjunction"].words
        self.then_words = lang["then"].words
        self.conditions = lang["condition"].words
        self.imperatives = lang["imperative"].words
        self.subordinates = lang["subordinate"].words
        # a colleague by first name ("Sander belt je morgen"), not the customer greeted ("Hoi Kim")
        greetings = lang["greeting"].words
        self.names = [tokens[i][:2] for i in self._indices(_first_names()) if text[tokens[i][0]].isupper()
                      and not (i and tokens[i - 1][2] in greetings) and text[tokens[i][0] - 1 : tokens[i][0]] != "^"
                      and not _addressed(text, *tokens[i][:2], lang.split_verbs)]
        # "die", "dat" after a preposition point at something ("van die afdeling"): no subordinate part
        self.persons = lang["we"].words | lang["customer"].words | lang["pronoun"].words
        # "of" between two verbs is "or" ("we bellen of mailen je nooit"), not "whether"; "als" before
        # a bare noun is "as" ("daar hebben wij als vervoerder geen invloed op"), not "if"; "om"
        # without "te" is a particle ("we ruilen hem om op vrijdag")
        openers = _CLAUSE_OPENERS | self.persons
        feelings = lang["not_commitment"].words
        self.subordinate_starts = [
            tokens[i][0] for i in self._indices(self.subordinates)
            if not (i and tokens[i][2] in _DEMONSTRATIVES and tokens[i - 1][2] in _POINTING)
            # "die" right after our inverted subject points at something ("dan stuur ik die je morgen")
            and not (i and tokens[i][2] == "die" and tokens[i - 1][2] in lang["we"].words)
            and not (tokens[i][2] == "dat" and i + 1 < len(tokens) and tokens[i + 1][2] in _TIME_ADVERBS)
            # "dat" after "doen" (_DO), and "die" right after a verb ("… en mail die binnen 2 werkdagen")
            and not (tokens[i][2] == "dat" and i and tokens[i - 1][2] in _DO)
            and not (tokens[i][2] == "die" and i and tokens[i - 1][2] in lang.split_verbs
                     and not (i > 1 and tokens[i - 2][2] in _NOUN_DETERMINERS))  # "de mail die je kreeg": a noun
            # "dan vinden wij dat jammer": "dat" before a feeling points at something
            and not (tokens[i][2] == "dat" and i + 1 < len(tokens) and tokens[i + 1][2] in feelings)
            and not (tokens[i][2] == "of" and i + 1 < len(tokens) and tokens[i + 1][2] in lang.split_verbs)
            and not (tokens[i][2] == "om" and all(t[2] != "te" for t in tokens[i + 1 : i + 8]))
            # "tot" opens a part only before a subject and its verb ("… blijft tot het probleem is
            # opgelost"), not as a preposition ("tot vrijdag", "tot 17:00")
            and not (tokens[i][2] == "tot" and not (i + 1 < len(tokens) and tokens[i + 1][2] in openers
                                                    and any(t[2] in _UNTIL_VERBS for t in tokens[i + 2 : i + 8])))
            and not (tokens[i][2] == "als" and i + 1 < len(tokens)
                     and tokens[i + 1][2] not in openers)
        ]
        # the general_start patterns that may match in this text (the prefilter's verdict), in order
        self.general_patterns = [p for p in lang["general_start"].patterns if live is None or p in live]
        self.general_heads = lang.general_heads
        self.general_openings = lang.general_openings
        self.customer_words = lang["customer"].words
        self.customer_verbs = lang["customer_verbs"].words
        self.ours = lang["we"].words | {"onze", "ons", "our"}

    def _indices(self, words: frozenset[str]) -> list[int]:
        """Where in self.tokens the tokens that are one of `words` stand, in order: from the scan's
        index of words, not a pass over all tokens."""
        starts, word_starts = self.starts, self.scan.word_starts
        return sorted(bisect_left(starts, p) for word in words.intersection(self.scan.words) for p in word_starts[word])

    def _words(self, start: int, end: int) -> list[tuple[int, int, str]]:
        return self.tokens[bisect_left(self.starts, start) : bisect_left(self.starts, end)]

    def clause(self, start: int, end: int, joint: str, sentence: int, before: list[Clause],
               local: dict[str, list[tuple[int, int]]]) -> Clause:
        """One clause; `local`: the hits inside it per marker."""
        lang, folded = self.lang, self.folded
        words = self._words(start, end)
        evidence: list[tuple[str, int, int]] = []
        if whether := self._whether(words, joint, end):
            # "of die vergoed wordt, hangt af van je verzekering": what may happen is asked, not said
            evidence.append(("whether", *whether))
            words = self._words(whether[1], end)
        # a conjunction that opens the clause
        while words and words[0][2] in self.conjunctions:
            words = words[1:]
        # a relative pronoun before our subject is no subject itself ("die onze koerier morgen brengt"),
        # nor the "dat" of what we tell ("wij delen u mede | dat het grofvuil maandag wordt opgehaald")
        dropped = -1  # where that word stands: a marker may start with it ("dat u morgen … ontvangt")
        if len(words) > 1 and (joint == "telling" or words[0][2] in _DEMONSTRATIVES | {"which"} and words[1][2] in self.ours):
            dropped, words = words[0][0], words[1:]
        main_start = words[0][0] if words else start
        # a leading condition: "als je ..., ...", or a part followed by ", dan ..."
        condition: tuple[int, int] | None = None
        instructed = False  # the condition is an instruction: "download versie 4.2, dan klopt het weer"
        comma = folded.find(",", main_start, end)
        then_words = self.then_words
        if words and words[0][2] in self.conditions and comma > 0 and not self._inverted(words, comma):
            condition = (main_start, comma)  # not "als goedmaker storten we ...": "als" means "as" there
        elif words and words[0][2] in self.conditions and comma < 0 and (ours := self._our_future(local)):
            condition = (main_start, ours)  # "if you DM us your trips a colleague will check …"
        elif words and words[0][2] in self.conditions and comma < 0 and (inverted := self._inversion(words)):
            condition = (main_start, inverted)  # "zodra het is opgelost sturen we je een DM"
        elif comma > 0 and len(words) > 1 and words[0][2] not in lang.split_words and (
                words[1][2] in _INVERTED_SUBJECTS or words[0][2] in self.imperatives):
            after = self._words(comma, end)[:3]
            if any(w[2] in then_words for w in after):
                condition = (main_start, comma)  # "lukt dat niet, bel dan ...", "…, stuur ons dan gerust een DM"
                instructed = words[0][2] in self.imperatives and words[1][2] not in _INVERTED_SUBJECTS
        if condition is not None:
            evidence.append(("condition", *condition))
            if condition[1] < end:
                words = self._words(condition[1], end)
                main_start = words[0][0] if words else end
        then_start = bool(words) and words[0][2] in then_words
        if then_start:
            evidence.append(("condition", words[0][0], words[0][1]))
            words = words[1:]
        first = words[0][0] if words else main_start
        heads = self._words(main_start, first)[:1] if main_start < first else []  # "dan", a condition word
        ranges = self._main_ranges(words, first, end)

        firsts: dict[str, tuple[int, int]] = {}  # each marker's first hit in the main part
        for name, inside in local.items():
            for h in inside:
                if _inside(h[0], ranges) or h[0] == dropped:
                    firsts[name] = h
                    break
        found = firsts.get

        # who acts
        actor, continues, imperative, subject = THING, False, False, None
        first_word = words[0] if words and words[0][2] not in _FILLERS else next(
            (w for w in words if w[2] not in _FILLERS), None)
        we = found("we")
        for_us = next((h for h in local["for_us"] if _inside(h[0], ranges) and self._subject(h, first)),
                      None) if "for_us" in local else None
        # "De taxi | die we voor je hebben geregeld, | zet je om 9 uur thuis af": after a relative part the
        # sentence goes on with the verb of the part before it
        resumed = (joint == "," and len(before) > 1 and before[-1].joint in _RELATIVES and first_word is not None
                   and first_word[0] == words[0][0] and (first_word[2] in lang.split_verbs or first_word[2] in self.imperatives)
                   and before[-2].sentence == sentence and before[-2].tense == PRESENT and before[-2].mood == STATEMENT)
        if resumed:
            actor, continues = before[-2].actor, True
            evidence.append(("continues", before[-2].start, before[-2].end))
        elif first_word is not None and first_word[2] in self.imperatives and not (
            (we and we[0] - first_word[1] < 3)
            # "belt de monteur je": our person after the verb is its subject, but not after a bare
            # stem ("bel de bandenservice": an instruction; the third person would be "belt")
            or (for_us and self._right_after(first_word, for_us) and first_word[2] + "t" not in lang.split_verbs)
        ) and not (before and first_word[2] in lang.split_verbs and before[-1].actor in TEAM
                   and (joint in self.conjunctions and joint not in CONSEQUENCE
                        # "ik heb de incasso stopgezet, zet het bedrag vandaag terug en …": our list
                        or joint == "," and len(words) > 1 and words[1][2] in _OBJECT_DETERMINERS)
                   and not (len(words) > 1 and words[1][2] in _US)):  # "…, maar stuur me een DM": to the customer
            we = for_us = None
            actor, imperative, subject = CUSTOMER, True, first_word[:2]
        elif we:
            actor, subject = WE, we
        else:
            others = [(for_us, FOR_US)] if for_us else []
            others += [(h, THIRD_PARTY) for h in local.get("third_party", ())
                      if _inside(h[0], ranges) and self._subject(h, first)]
            if "customer" in local:
                others += [(h, CUSTOMER) for h in self._customer_subjects(words)]
            others += [(h, FOR_US) for h in self.names[bisect_left(self.names, (first,)):]
                       if h[0] < end and _inside(h[0], ranges) and self._subject(h, first)]
            others += [(h, "pronoun") for h in local.get("pronoun", ()) if _inside(h[0], ranges)
                       and self._subject(h, first)]  # not "tot die tijd"
            previous = before[-1] if before else None
            verb_first = first_word is not None and not for_us and (
                first_word[2] in lang.split_verbs or first_word[2] in self.imperatives
                or joint == "en" and _plural_verb_first(words)  # "… en verwerken uw opzegging vandaag"
            )
            joined = joint == "," or joint in self.conjunctions and joint not in CONSEQUENCE
            # "...en mailt je vrijdag": the customer is the object; "..., dan ben je om 19:40 in
            # Split": a customer verb with "je" right after it has its own subject
            own_subject = first_word is not None and first_word[2] in self.customer_verbs and any(
                kind == CUSTOMER and h[0] - first_word[1] <= 1 for h, kind in others)
            # "… en brengt ze bij je", "… en mail die binnen 2 werkdagen": "ze", "die" right after the verb
            # is its object, as a customer there is
            if (verb_first and previous is not None and previous.actor in TEAM and joined and not own_subject
                    and all((kind in (CUSTOMER, THIRD_PARTY) or kind == "pronoun" and folded[h[0] : h[1]] in ("ze", "die"))
                            and h[0] > first_word[0] for h, kind in others)):
                actor, continues = previous.actor, True
                evidence.append(("continues", previous.start, previous.end))
            elif others:
                subject, kind = min(others)
                actor = kind if kind != "pronoun" else self._antecedent(subject[0])
        if subject is not None:
            evidence.append(("actor", *subject))
        negation, feeling = found("negation"), found("not_commitment")
        left, right = first - 1, end  # the subject's comma part: all of the clause without a subject
        if subject is not None and not imperative:
            # a negation or a feeling counts in the comma part of the subject only: "we ruilen je
            # auto morgen om, daar hoef je niks voor te doen", "sorry Mo, a technician is booked"
            left, right = folded.rfind(",", first, subject[0]), _next_comma(folded, subject[0], end)
            right = end if right < 0 else right
            negation, feeling = (
                next((h for h in local[name] if left < h[0] < right and _inside(h[0], ranges)), None)
                if name in local else None for name in ("negation", "not_commitment")
            )
        elif imperative and negation:
            # an instruction is negated in its own comma part only: "neem contact op met je
            # reisbureau, daar kunnen wij niets in betekenen" still tells the customer what to do
            right = folded.find(",", first, end)
            if right >= 0 and negation[0] > right:
                negation = next((h for h in local["negation"] if h[0] < right and _inside(h[0], ranges)), None)
        marks = _CLAUSE_MARKS.intersection(firsts)
        if not feeling and "not_commitment" in marks:
            marks -= {"not_commitment"}
        if negation:
            evidence.append(("negation", *negation))
        # when
        tense = PRESENT
        # the times starting in [first, end), which holds the ranges (times are sorted by start)
        near = self.times[bisect_left(self.time_starts, first) : bisect_left(self.time_starts, end)]
        own_times = [t for t in near if _inside(t.start, ranges)]
        # times only in a subordinate part count for a commitment ("ik zorg dat je hem morgen
        # hebt", "ik zorg dat de boete uiterlijk maandag is ingetrokken": its result by then), not
        # for what we see or know ("ik zie dat de vrachtwagen vanochtend pech had")
        clause_times = own_times
        if not own_times and "done" not in firsts and "follow_up" in firsts:
            clause_times = [t for t in near if not (condition and condition[0] <= t.start < condition[1])]
        # "we sturen je op 4/1 een nieuwe, dan is de voorraad weer aangevuld": a past in another comma
        # part of the subject is not the subject's
        def in_part(name: str) -> tuple[int, int] | None:
            hit = found(name)
            return hit if hit is None or left < hit[0] < right else None

        delegated = found("delegated")
        if (hit := in_part("should_have")):
            tense = SHOULD_HAVE
        elif delegated and clause_times and all(t.start > delegated[1] for t in clause_times) and (
                marks & {"follow_up", "receive", "arrival"}):
            # "ik heb Jeroen gevraagd je vanochtend te bellen": asked now, the call lies ahead (not "ik
            # heb de vestiging gevraagd hem vandaag voorrang te geven": nothing reaches the customer)
            tense, hit = PLANNED, delegated
        # in English a "will" after the past is the main verb ("any amount you already paid will be back")
        elif (hit := in_part("done")) and not ((future := in_part("future")) and (
                future[0] < hit[0] or lang.code == "en")):
            tense = DONE
        elif (hit := self._shared_auxiliary(words, joint, subject, before)):
            tense = DONE
        elif (hit := found("future")) or clause_times or marks & {"receive", "arrival"} or (
            actor in TEAM and (lang.present_plans or (continues and before[-1].tense == PLANNED))
        ):  # "we'll find out ... and get back to you": the continuation shares the "will"
            tense = PLANNED
            hit = hit or None
        if hit and tense != PRESENT:
            evidence.append((tense, *hit))
        # mood
        mood = STATEMENT
        heads_of_general = self.general_heads
        general = self._general_start(words[:1] + heads, end) if self.general_patterns and (
            heads_of_general is None or any(w[2] in heads_of_general for w in (*words[:1], *heads))) else None
        # "volgens onze voorwaarden dient u …", "zoals in onze voorwaarden staat, worden retouren …": a rule
        # for anyone (not "pursuant to our terms, the overcharge will be credited", nor "het bedrag van
        # €84 wordt conform de voorwaarden teruggestort": what will happen to this customer's money)
        if "policy" in marks and not imperative and actor not in TEAM and (
                "customer_modal" in marks or actor == CUSTOMER
                or actor == THING and "future" not in marks and _AMOUNT.search(folded, first, end) is None):
            mood = GENERAL
            hit = found("policy")
        elif imperative or ("customer_modal" in marks and (actor not in TEAM or _we_ask(found("customer_modal"), subject))):
            mood = INSTRUCTION
            hit = found("customer_modal") or subject
        elif instructed and actor not in TEAM and not any(
                h[0] >= condition[1] for name in ("follow_up", "arrival", "receive") for h in local.get(name, ())) and not any(
                w[2] in _US for w in self._words(*condition)):
            # what to do and what it brings: "download versie 4.2 uit de app store, dan klopt de temperatuur weer"
            # (not a request to us with what we then do: "stuur ons een DM, dan staat er vanavond een tegoed klaar")
            mood, hit = INSTRUCTION, condition
        # (the customer's own money back by a time, or from us, is no habit, even when it goes by
        # itself: "je krijgt binnen 3 werkdagen automatisch je geld terug", "u ontvangt uw geld automatisch
        # van ons terug")
        elif general or "habitual" in marks and not self._then_before(found("habitual"), first) and not (
                "refund" in marks and (clause_times or "commitment" in marks)) or (
                actor not in TEAM and "commitment" not in marks and (inner := self._inner_condition(words))):
            mood = GENERAL
            hit = general.span() if general else found("habitual") or inner
        elif joint in CONSEQUENCE and before and before[-1].mood == GENERAL and actor not in TEAM:
            # what follows from how something works: "het saldo wordt elke nacht bijgewerkt, dus een
            # betaling van vandaag zie je morgenochtend terug"
            mood, hit = GENERAL, (first, first)
        elif condition or then_start:
            # "als je ..., bel ik je", "..., dan brengt onze koerier ...": a promise on a condition;
            # "als je voor 22:00 bestelt, heb je het morgen": a rule for anyone
            ours = condition is not None and (
                any(condition[0] <= h[0] < condition[1] for h in local.get("we", ()))
                or any(w[2] in _US for w in self._words(*condition)))  # "als je me je loonstrook stuurt"
            # "(stuur je de bon?) dan krijg je …" is ours; "bestelt u voor 12:00, dan komt uw pakket zondag" a rule
            # "bestel je boven de €20, dan bezorgen we gratis": a threshold makes it a rule for anyone
            threshold = (condition or (before[-1].start, before[-1].end)) if then_start and before else condition
            mood = CONDITION if (actor in TEAM or ours or "follow_up" in marks or (then_start and condition is None)) and not (
                threshold and _THRESHOLD.search(folded, *threshold)) else GENERAL
            hit = condition or (first, first)
        elif words and words[0][2] in self.conditions and folded[end : end + 1] == "," and actor not in TEAM:
            # "als je de jas maandag brengt | , zorgt onze kleermaker …": a condition split off what it conditions
            mood, hit = CONDITION, (first, end)
        else:
            hit = None
        if hit:
            evidence.append((mood, *hit))
        return Clause(
            start=start, end=end, main=Span(first, end), sentence=sentence, joint=joint, actor=actor,
            continues=continues, negated=negation is not None, tense=tense, mood=mood,
            times=tuple(clause_times), marks=marks, evidence=tuple(evidence),
        )

    def _shared_auxiliary(self, words: list[tuple[int, int, str]], joint: str, subject: tuple[int, int] | None,
                          before: list[Clause]) -> tuple[int, int] | None:
        """The participle closing a clause without subject or verb of its own after a done clause
        ("ik heb je abonnement stopgezet | en de €65 vandaag teruggestort"): the perfect's
        auxiliary is shared, so it is done too."""
        if (subject is None and before and before[-1].tense == DONE and joint in self.conjunctions and words
                and _PARTICIPLE.fullmatch(words[-1][2]) and not any(w[2] in self.lang.split_verbs for w in words)):
            return words[-1][:2]
        return None

    def _main_ranges(self, words: list[tuple[int, int, str]], start: int, end: int) -> list[tuple[int, int]]:
        """The main part without subordinate parts ("dat je ...", "..., die ..."), which run to
        the next comma or the end of the clause. `words`: the tokens from `start` to `end`."""
        subordinates = self.subordinate_starts  # where the text's subordinate words stand
        lo, hi = bisect_left(subordinates, start), bisect_left(subordinates, end)
        if not words or lo == hi:
            return [(start, end)]
        ranges, begin, skip_to = [], start, -1
        for s in subordinates[lo:hi]:
            if s < skip_to or self._in_time(s):
                continue
            if s > start or self._leading_reason(s, end):  # not the clause's first word, or "omdat …, …"
                ranges.append((begin, s))
                skip_to = begin = self._subordinate_end(s, end)
        if begin < end:
            ranges.append((begin, end))
        return [r for r in ranges if r[0] < r[1]] or [(start, end)]

    def _then_before(self, hit: tuple[int, int], start: int) -> bool:
        """A habit that only follows what the clause says first ("de hovenier komt overmorgen en
        daarna weer elke twee weken"): the clause is about that first time, no rule for anyone."""
        return _THEN_WORDS.search(self.folded, start, hit[0]) is not None

    def _leading_reason(self, start: int, end: int) -> bool:
        """A reason opening the clause before a comma ("omdat je geen sms kreeg, heb ik het
        gecrediteerd"): a subordinate part, the main clause comes after it."""
        return self.folded.find(",", start, end) > 0 and self._words(start, start + 1)[0][2] in REASONS

    def _subordinate_end(self, start: int, end: int) -> int:
        """Where a subordinate part starting at `start` ends: at the next comma, or where the main
        clause goes on with its verb and our subject ("de €138 die al is afgeschreven storten we
        terug"), or, after a relative "dat"/"die" of a noun, with one of its usual verbs after the verb
        that ends the relative part ("het bedrag dat u al betaalde | staat vrijdag op uw rekening"; not
        "een bevestiging dat de lening volledig is afgelost"), or at the end of the clause."""
        comma = self.folded.find(",", start, end)
        limit = comma if comma > 0 else end
        words = self._words(start, limit)
        ours, subordinates = self.lang["we"].words, self.subordinates
        if words and words[0][2] in _DEMONSTRATIVES and self._of_a_noun(start):
            limit = next((b[0] for a, b in zip(words[2:], words[3:])
                          if b[2] in _MAIN_VERBS_AFTER_RELATIVE and _VERB_ENDING.search(a[2])), limit)
        return next((a[0] for a, b in zip(words[1:], words[2:]) if b[2] in ours and a[2] not in subordinates
                     and a[2] in self.lang.split_verbs and a[0] < limit), limit)

    def _of_a_noun(self, start: int) -> bool:
        """The word at `start` follows a determiner and a noun ("het bedrag dat …")."""
        i = bisect_left(self.starts, start)
        return i >= 2 and self.tokens[i - 2][2] in _NOUN_DETERMINERS and self.tokens[i - 1][2] not in self.lang.split_verbs

    @staticmethod
    def _our_future(local: dict[str, list[tuple[int, int]]]) -> int | None:
        """Where we or someone for us stand right before a "will" ("… a colleague will check"): the
        main part of a condition written without a comma starts there."""
        futures = [f[0] for f in local.get("future", ())]
        return next((h[0] for name in ("we", "for_us") for h in local.get(name, ())
                     if any(0 <= f - h[1] <= 1 for f in futures)), None)

    def _inversion(self, words: list[tuple[int, int, str]]) -> int | None:
        """Where a finite verb followed by "we", "wij" or "ik" stands after a leading condition
        written without a comma: the main clause starts there."""
        ours = self.lang["we"].words
        return next((w[0] for w, nxt in zip(words[2:], words[3:])
                     if w[2] in self.lang.split_verbs and nxt[2] in ours), None)

    def _whether(self, words: list[tuple[int, int, str]], joint: str, end: int) -> tuple[int, int] | None:
        """A sentence opening with a part on "of" and a subject, then a comma and the main verb
        ("of die vergoed wordt, hangt af van …"): that part is "whether", not "or" ("of stuur ons
        een DM, dan …", "of juist niet, want …")."""
        if not (joint == "." and self.lang.code == "nl" and len(words) > 2 and words[0][2] == "of"
                and words[1][2] not in self.imperatives and words[1][2] not in self.lang.split_verbs):
            return None
        comma = self.folded.find(",", words[0][1], end)
        after = self._words(comma, end)[:1] if comma > 0 else []
        if after and after[0][2] not in self.then_words and after[0][2] not in self.conjunctions:
            return words[0][0], comma
        return None

    def _inverted(self, words: list[tuple[int, int, str]], stop: int) -> bool:
        """A finite verb followed by its subject before `stop` ("storten we"): a main clause."""
        persons = self.persons
        return any(w[2] in self.lang.split_verbs and nxt[2] in persons and nxt[0] < stop
                   for w, nxt in zip(words, words[1:]))

    def _general_start(self, candidates: list[tuple[int, int, str]], end: int) -> re.Match[str] | None:
        """A general_start pattern at the first candidate word that can begin one (if it matches there)."""
        heads, openings = self.general_heads, self.general_openings
        for start, _end, word in candidates:
            if heads is None or word in heads:
                if openings is not None and not word.startswith(openings):
                    return None  # a match here would start with one of the openings, inside this word
                return next((m for p in self.general_patterns if (m := p.match(self.folded, start, end))), None)
        return None

    def _in_time(self, position: int) -> bool:
        """Whether a time expression holds `position` (only those starting at or before it can)."""
        return any(position < t.end for t in self.times[: bisect_right(self.time_starts, position)])

    def _inner_condition(self, words: list[tuple[int, int, str]]) -> tuple[int, int] | None:
        """A condition inside the clause ("worden alleen vergoed als ze achter slot liggen"); not a
        moment that sets it off ("u ontvangt bericht zodra er een besluit is"), nor one inside
        another subordinate part ("…, zodat je kunt zien wanneer hij komt"), nor "even if" ("het staat
        vrijdag op je rekening, ook als het pakket niet boven water komt")."""
        for i, w in enumerate(words[1:], 1):
            if w[2] in self.conditions:
                if words[i - 1][2] in _EVEN:
                    continue
                if w[2] not in _TRIGGERS and (w[2] != "als" or any(
                        t[2] in self.persons or t[2] in ("het", "er") for t in words[i + 1 : i + 3])):
                    return w[:2]  # "als extra excuus" is "as", not "if"
            elif w[2] in self.subordinates and w[0] in self.subordinate_starts:
                return None
        return None

    def _right_after(self, word: tuple[int, int, str], hit: tuple[int, int]) -> bool:
        """`hit` follows `word` directly or after our determiners only ("laat ons team"), or the
        first parts of its compound ("laat onze schade-expert")."""
        between = self._words(word[1], hit[0])
        return len(between) <= 3 and all(t[2] in _OUR_DETERMINERS or self.folded[t[1] : t[1] + 1] == "-" for t in between)

    def _subject(self, hit: tuple[int, int], floor: int) -> tuple[int, int] | None:
        """The hit, unless a preposition one or two words before governs it ("wacht op een expert")."""
        i = bisect_left(self.starts, hit[0])
        before = [t for t in self.tokens[max(0, i - 2) : i] if t[0] >= floor]  # "op een expert"
        return None if any(t[2] in _POINTING for t in before) else hit

    def _antecedent(self, position: int) -> str:
        """He, she, they: the last person named before `position`; a thing otherwise."""
        named = [(h[0], FOR_US) for h in self.hits["for_us"] if h[0] < position]
        named += [(h[0], THIRD_PARTY) for h in self.hits["third_party"] if h[0] < position]
        return max(named)[1] if named else THING

    def _customer_subjects(self, words: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
        """"je", "u", "you" as a subject: not after a preposition; "je" not as "your", "you" not
        as the object after a verb."""
        found = []
        for i, (s, e, w) in enumerate(words):
            if w not in self.customer_words:
                continue
            before = words[i - 1][2] if i else None
            if before in _PREPOSITIONS:
                continue
            after = words[i + 1][2] if i + 1 < len(words) else None
            if w == "je":  # "je krijgt", "krijg je"; not "je pakket", nor "(belt) je adviseur"
                if after is not None and "for_us" in self.lang.markers_of(after):
                    continue
                inverted = before is not None and before not in self.subordinates and before not in self.conjunctions
                # a verb not listed, known by what follows it: "je voegt het toe" (not "je pakket is …")
                finite = (after is not None and after.endswith("t") and i + 2 < len(words)
                          and words[i + 2][2] in _AFTER_FINITE)
                if after not in self.customer_verbs and not inverted and not finite:
                    continue
            elif w == "you" and before is not None and before not in self.subordinates | self.conjunctions | self.then_words:
                if after not in self.customer_verbs:  # "we'll email you", not "you'll get"
                    continue
            found.append((s, e))
        return found




def _questions(folded: str, clauses: list[Clause], lang: Language) -> list[Clause]:
    """A sentence that ends in "?" asks in its last clause and the clauses joined to it by "en"
    or "of"; a tag ("..., is dat goed?") only checks the statement before it; after a request, a
    timed step ("stuur je je adres, dan bellen we je morgen?") leaves the request asking."""
    if not clauses or not folded[clauses[-1].start : clauses[-1].end].rstrip().endswith("?"):
        return clauses
    last = clauses[-1]
    tag = next((m for p in lang["question_tag"].patterns if (m := p.regex.search(folded, last.start, last.end))), None)
    if tag is not None:
        return clauses
    result = list(clauses)
    if (len(result) > 1 and last.mood == CONDITION and last.times and result[-2].mood == INSTRUCTION
            and result[-2].sentence == last.sentence):
        result[-2] = _asking(result[-2], last.end - 1)
        return result
    for i in range(len(result) - 1, -1, -1):
        clause = result[i]
        result[i] = _asking(clause, clause.end - 1)
        if clause.joint not in lang["conjunction"].words:
            break
    return result


def _asking(clause: Clause, mark: int) -> Clause:
    """The clause as a question, the "?" at `mark` its evidence."""
    return replace(clause, mood=QUESTION, evidence=clause.evidence + (("question", mark, mark + 1),))


# --------------------------------------------------------------------------- data


def _load_language(path: Path) -> Language:
    data = read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("markers"), dict) or not isinstance(data.get("language"), str):
        raise ConfigError(f"{path}: expected 'language' and 'markers'")
    markers = {}
    for name in MARKERS:
        raw = data["markers"].get(name)
        if not isinstance(raw, dict):
            raise ConfigError(f"{path}: marker '{name}' is missing")
        markers[name] = _marker(path, name, raw)
    unknown = set(data["markers"]) - set(MARKERS)
    if unknown:
        raise ConfigError(f"{path}: unknown marker(s) {', '.join(sorted(unknown))}")
    for key in ("split_verbs", "split_words"):
        if (problem := not_words(data.get(key) or [])) is not None:
            raise ConfigError(f"{path}: field '{key}': {problem}")
    return Language(data["language"], markers, frozenset(data.get("split_verbs") or ()),
                    frozenset(data.get("split_words") or ()), bool(data.get("present_plans")))


def _marker(path: Path, name: str, raw: dict[str, Any]) -> Marker:
    def patterns(key: str) -> tuple[Matcher, ...]:
        try:
            return tuple(Matcher.compile(p) for p in raw.get(key) or ())
        except (re.error, TypeError) as exc:
            raise ConfigError(f"{path}: marker '{name}': field '{key}': bad regular expression ({exc})") from None

    for key in ("words", "suffixes"):
        if (problem := not_words(raw.get(key) or [])) is not None:
            raise ConfigError(f"{path}: marker '{name}': field '{key}': {problem}")
    suffixes = raw.get("suffixes") or ()
    if any(not isinstance(s, str) or len(s) < 3 for s in suffixes):
        raise ConfigError(f"{path}: marker '{name}': field 'suffixes': words of three letters or more")
    examples = raw.get("examples")
    if not isinstance(examples, dict) or not all(isinstance(examples.get(k), list) for k in ("marked", "unmarked")):
        raise ConfigError(f"{path}: marker '{name}': needs examples with 'marked' and 'unmarked' lists")
    return Marker(
        name=name,
        words=frozenset(raw.get("words") or ()),
        suffixes=tuple(f"{s}{plural}" for s in suffixes for plural in ("", "s", "en")),
        patterns=patterns("patterns"),
        unless=patterns("unless"),
        at_start=bool(raw.get("at_start")),
        marked=tuple(examples["marked"]),
        unmarked=tuple(examples["unmarked"]),
    )
