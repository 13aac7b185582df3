"""The kinds of check a rule can use (Vale's "extends"): each yields the spans it flags.

`existence` flags what its patterns match, `absence` flags a draft where none of them occurs
(`next_step` likewise, judged clause by clause on the whole draft),
`consistency` flags mixing two forms, `capitals` flags shouted words, `personal_data` flags
personal data, `length` flags what runs past the channel's limit, `promise_deadline` flags
promises without a time, `lexicon` flags the words of a lexicon (`guidelines/lexicons/`) and
names each one's plain alternative.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from bot.config import Channel
from bot.review.analysis import CONDITION, GENERAL, INSTRUCTION, PLANNED, QUESTION, SHOULD_HAVE, TEAM, THING, Analysis, Clause
from bot.review.model import Finding, Promise
from bot.review.pii import find_personal_data
from bot.review.prefilter import Matcher, Scan
from bot.review.rules import Rule
from bot.review.text import Span, fold, sentences
from bot.review.xlength import weighted_length


MAX_PER_CATEGORY = 25  # more findings of one kind tell the agent nothing new (and cost time)


@dataclass
class Context:
    """One draft as the checks see it."""

    text: str
    language: str
    complaint: bool
    channel: Channel
    promises: list[Promise]
    abbreviations: frozenset[str]
    findings: list[Finding]  # findings so far: presence checks run before absence checks
    scan: Scan  # text.fold() of the draft (lower case, no diacritics, same offsets) and its words
    live: frozenset[Matcher]  # the patterns the prefilter lets through for this draft
    length: int  # as the channel counts
    analysis: Analysis | None = None  # the draft clause by clause (analysis.py)
    customer: str = ""  # the customer's message
    _claimed: dict[str, list[tuple[int, int]]] = field(default_factory=dict, repr=False)

    def claim(self, category: str, start: int, end: int) -> bool:
        """Reserve a span for a finding of `category`: False when that category already flagged
        an overlapping span or, for a whole-draft finding (start == end), anything (one finding
        per category and excerpt), or already has MAX_PER_CATEGORY findings. Spans of a category
        are disjoint, so a bisect finds the one neighbour that could overlap."""
        spans = self._claimed.setdefault(category, [])
        if len(spans) >= MAX_PER_CATEGORY:
            return False
        if start == end:
            if spans:
                return False
        else:
            i = bisect.bisect_left(spans, (end, -1))  # the first span starting at or after `end`
            if i and spans[i - 1][1] > start:
                return False
        bisect.insort(spans, (start, end))
        return True

    def full(self, category: str) -> bool:
        """The category has MAX_PER_CATEGORY findings: claim() refuses any more."""
        return len(self._claimed.get(category, ())) >= MAX_PER_CATEGORY

    def finditer(self, matcher: Matcher, start: int = 0, end: int | None = None) -> Iterator[re.Match[str]]:
        """Matches in the folded draft; patterns the prefilter ruled out don't run."""
        if matcher not in self.live:
            return iter(())
        return matcher.finditer(self.scan, start, end)

    def search(self, matcher: Matcher, start: int, end: int) -> bool:
        return next(self.finditer(matcher, start, end), None) is not None

    @cached_property
    def sentences(self) -> list[Span]:
        return self.analysis.sentences if self.analysis else sentences(self.text)

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [s.start for s in self.sentences]

    def sentence_of(self, start: int) -> Span:
        """The sentence holding position `start` (the whole draft for a position between them)."""
        i = bisect.bisect_right(self._sentence_starts, start) - 1
        if i >= 0 and start < self.sentences[i].end:
            return self.sentences[i]
        return Span(0, len(self.text))


# A flagged span, optionally with values for the rule's message and suggestion templates
# (a lexicon check names the word and its plain alternative per finding).
Flag = tuple[int, int] | tuple[int, int, dict[str, str]]
Check = Callable[[Rule, Context], Iterator[Flag]]


def _suppressed(rule: Rule, ctx: Context, start: int) -> bool:
    """The rule's `unless` patterns in the sentence, or a promise that answers it (_answered)."""
    sentence = ctx.sentence_of(start)
    return any(ctx.search(p, sentence.start, sentence.end) for p in rule.unless) or _answered(rule, ctx, start)


def _answered(rule: Rule, ctx: Context, start: int) -> bool:
    """A promise answers the finding at `start` (the concrete who/what/when answers the vague
    phrase), as the rule's unless_promise says: "draft", a promise in the same sentence or one
    with a time anywhere; "timed", one with a time or set off by an event ("zodra het weer werkt");
    "sentence", one in the same sentence."""
    if rule.unless_promise is None:
        return False
    sentence = ctx.sentence_of(start)
    return any(
        ((p.explicit or _AS_SOON_AS.search(p.text)) and rule.unless_promise != "sentence")
        or (rule.unless_promise != "timed" and sentence.start <= p.start < sentence.end)
        for p in ctx.promises
    )


# an event that sets a follow-up off: as concrete as a time ("zodra het weer werkt"; not "zodra we meer weten")
_AS_SOON_AS = re.compile(r"\b(?:zodra|zo\s+gauw\s+als|as\s+soon\s+as|the\s+moment)\b"
                         r"(?!\s+(?:ik|we|wij|i|we've|i've|we\s+have|i\s+have)\s+(?:\w+\s+)?(?:meer|more|iets|anything|something|news)\b)",
                         re.IGNORECASE)


def _span(match: re.Match[str]) -> tuple[int, int]:
    """A pattern may mark the part to flag with a group named `flag`."""
    group = "flag" if "flag" in match.re.groupindex and match.group("flag") is not None else 0
    return match.span(group)


def existence(rule: Rule, ctx: Context) -> Iterator[tuple[int, int]]:
    live = ctx.live
    for pattern in rule.patterns:
        if pattern not in live:  # what ctx.finditer does, without a call per ruled-out pattern
            continue
        for match in pattern.finditer(ctx.scan):
            start, end = _span(match)
            if end > start and not _suppressed(rule, ctx, start):
                yield start, end


def _ignored(rule: Rule, ctx: Context) -> Callable[[int, int], bool]:
    """Whether a span overlaps a finding of one of the rule's `ignore_inside` categories, or lies
    in the sentence of one of its `ignore_sentences_of`."""
    spans = [(f.start, f.end) for f in ctx.findings if f.category in rule.ignore_inside]
    sentences = [ctx.sentence_of(f.start) for f in ctx.findings if f.category in rule.ignore_sentences_of]
    spans += [(s.start, s.end) for s in sentences]
    return lambda start, end: any(start < e and s < max(end, start + 1) for s, e in spans)


def absence(rule: Rule, ctx: Context) -> Iterator[tuple[int, int]]:
    ignored = _ignored(rule, ctx)
    for pattern in rule.patterns:
        for match in ctx.finditer(pattern):
            if not ignored(*match.span()):
                return
    yield 0, 0


def next_step(rule: Rule, ctx: Context) -> Iterator[tuple[int, int]]:
    """No next step in the whole draft (categories.md): no promise, no pattern match (a question, a
    DM request, a link, a solution carried out…) in a clause that is not negated or "should have
    been", and no clause the analysis reads as a step: an instruction to the customer, or something
    we, someone for us or a thing will do at a stated time. Empty promises don't count."""
    if ctx.promises:
        return
    ignored = _ignored(rule, ctx)
    clauses = ctx.analysis.clauses if ctx.analysis else []
    # any step will do, so the cheap tests first: the clauses, then the patterns anchored at a
    # literal, the patterns that scan the whole draft last
    if any(_is_step(c, ctx.scan.folded) and not ignored(c.start, c.end) and not ctx.analysis.tells(i)
           for i, c in enumerate(clauses)):
        return

    folded = ctx.scan.folded

    def counts(start: int, end: int) -> bool:
        # a pattern may open with the end of the sentence before (". Bel hen even"): the step
        # stands in the clause of its first word
        if (word := _WORD_CHAR.search(folded, start, end)) is not None:
            start = word.start()
        clause = next((c for c in clauses if c.start <= start < c.end), None)
        if ignored(start, end) or clause is None:
            return clause is None
        # a question moves things on even when it has a "niet" ("zie je het ook niet als je opnieuw inlogt?");
        # a policy quoted is no step ("volgens onze voorwaarden dient u 30 minuten eerder aanwezig te zijn"),
        # nor waiting ("please be patient")
        return clause.mood == QUESTION or not clause.negated and clause.tense != SHOULD_HAVE and not (
            clause.has("policy") or clause.has("waiting") or _HOPE.search(folded, clause.start, clause.end))

    live = ctx.live
    for pattern in _anchored_first(rule.patterns):
        if pattern in live and any(counts(*m.span()) for m in pattern.finditer(ctx.scan)):  # as ctx.finditer
            return
    yield 0, 0


@lru_cache(maxsize=64)  # per rule: a few per team configuration
def _anchored_first(patterns: tuple[Matcher, ...]) -> tuple[Matcher, ...]:
    """The patterns tried only where their first literal stands, then the others."""
    return tuple(sorted(patterns, key=lambda p: p.prefix is None))


_WORD_CHAR = re.compile(r"\w")
# A hope is no solution: "hopelijk is het snel opgelost", "hopefully it's sorted soon".
_HOPE = re.compile(r"\b(?:hopelijk|hopefully|(?:ik|we|wij)\s+hopen?|hoop\s+(?:ik|we)|(?:i|we)\s+hope)\b")

# Words that make a thing's "planned" clause a past event or a habit, not a step for this customer.
_NOT_THIS_TIME = re.compile(
    r"\b(was|waren|werd|werden|had|hadden|were|did|normaal|normaliter|meestal|doorgaans|altijd|gemiddeld"
    r"|usually|normally|always|generally|typically)\b"
)

# A trouble told with a time is no step either: "door de mist liggen vanochtend veel vluchten stil",
# "er is vandaag een storing in de app", "there's a signal failure near Leiden today".
_TROUBLE = re.compile(
    r"\b(storing|storingen|vertraging|vertragingen|problemen|probleem|uitval|drukte|krap|ziekte|personeelstekort"
    r"|stil|vallen\s+(?:\w+\s+)?uit|valt\s+(?:\w+\s+)?uit|loopt\s+(?:\w+\s+)?uit|failure|outage|delays?|disruptions?)\b"
)


def _is_step(clause: Clause, folded: str) -> bool:
    """An instruction to the customer, or a planned follow-up: by us or someone for us with a time
    or a follow-up verb, something the customer will receive, a thing that happens at a time."""
    if clause.negated or clause.has("not_commitment"):
        return False
    if clause.mood == INSTRUCTION:  # but "be patient", "as you could have read": nothing to do
        return not clause.has("waiting") and clause.tense != SHOULD_HAVE
    if clause.tense != PLANNED or clause.mood in (QUESTION, GENERAL):  # a rule for anyone is no step for this customer
        return False
    if clause.actor in TEAM and clause.mood == CONDITION:  # "als je je nummer stuurt, zoek ik het op"
        return True
    if clause.actor in TEAM or clause.has("receive") or clause.has("follow_up"):
        return bool(clause.times) or clause.has("follow_up") or clause.has("receive")
    if clause.has("arrival") and clause.times:  # also on a carrier's word: "volgens de vervoerder komt je pakket vandaag"
        return True
    # the analysis reads some past or habitual clauses of things as planned ("er was vanavond een
    # storing", "passen worden normaal binnen vijf dagen bezorgd")
    return (clause.actor == THING and bool(clause.times) and not _NOT_THIS_TIME.search(folded, clause.start, clause.end)
            and not _TROUBLE.search(folded, clause.start, clause.end))


def consistency(rule: Rule, ctx: Context) -> Iterator[tuple[int, int]]:
    """Both forms occur: flag the first use of the rarer one (the odd one out)."""
    first = [m for p in rule.patterns for m in ctx.finditer(p)]
    second = [m for p in rule.versus for m in ctx.finditer(p)] if first else []
    if first and second:
        first.sort(key=lambda m: m.start())
        second.sort(key=lambda m: m.start())
        if len(first) != len(second):
            odd = first if len(first) < len(second) else second
        else:  # as often: flag where the switch happens
            odd = first if first[0].start() > second[0].start() else second
        yield _span(odd[0])


# \b[A-ZÀ-Ý][A-ZÀ-Ý'-]*[A-ZÀ-Ý]\b, with the class first so the regex engine skips to the next
# capital (the lookbehind is the \b before it: no word character in front)
_CAPS_WORD = re.compile(r"[A-ZÀ-Ý](?<!\w.)[A-ZÀ-Ý'-]*[A-ZÀ-Ý]\b")
_VOWELS = frozenset("AEIOUYÀÁÂÄÈÉÊËÌÍÎÏÒÓÔÖÙÚÛÜ")
# A group of a code written in groups: an IBAN ("NL91 ABNA 0417 1643 00"), a postcode, a booking
# code: capitals next to a group with a digit, or after "code:", "boekingscode is", "it starts
# with"… (not "je pincode NOOIT")
_CODE_GROUP = r"(?:[A-Z]+\d|\d+[A-Z]|\d{4})[A-Z0-9]*"
_CODE_BEFORE = re.compile(
    rf"(?:\b{_CODE_GROUP}|(?i:\w*code)(?:\s+(?i:is)|:)|\b(?i:(?:kortings|promo|actie|voucher|coupon|discount)?code)|(?i:iban|\w*nummer|number|referentie|reference|kenteken)(?:\s+(?i:is)|:)"
    rf"|(?i:starts|begins|begint|start)\s+(?i:with|met))\s$"
)
_CODE_AFTER = re.compile(rf"\s{_CODE_GROUP}\b")


def capitals(rule: Rule, ctx: Context) -> Iterator[tuple[int, int]]:
    """Words in capitals, except abbreviations (no vowel: KPN; listed; shorter than min_length and
    not one of the rule's short_words; short ones joined: USB-C) and groups of a code (IBAN,
    postcode, booking code)."""
    for match in _CAPS_WORD.finditer(ctx.text):
        word = match.group()
        if len(word) < rule.min_length and word not in rule.short_words:
            continue
        if word in rule.exceptions or word in ctx.abbreviations:
            continue
        if not _VOWELS.intersection(word) or ("-" in word and all(len(p) <= 3 for p in word.split("-"))):
            continue  # "USB-C", "HD-TV": abbreviations joined
        start, end = match.span()
        if _CODE_BEFORE.search(ctx.text, max(0, start - 40), start) or _CODE_AFTER.match(ctx.text, end):
            continue
        if ctx.text[end : end + 1] == "-" or ctx.text[start - 1 : start] == "^" or _alone_on_line(ctx.text, start, end):
            continue  # "ART-goedgekeurd", initials ("^AL"), a brand under the signature ("Sanne de Wit\nFBTO")
        yield start, end


def _alone_on_line(text: str, start: int, end: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    return not text[line_start:start].strip(" ^-–") and not text[end : len(text) if line_end < 0 else line_end].strip()


def personal_data(rule: Rule, ctx: Context) -> Iterator[tuple[int, int]]:
    for item in find_personal_data(ctx.text):
        if not _suppressed(rule, ctx, item.start):
            yield item.start, item.end


def length(rule: Rule, ctx: Context) -> Iterator[tuple[int, int]]:
    """Over the limit: flag from the word where the limit is passed to the end."""
    limit = ctx.channel.limit
    if limit is None or ctx.length <= limit:
        return
    count = weighted_length if ctx.channel.weighted else len
    text = ctx.text
    # the smallest prefix that is over the limit: where it is when every character counts one
    # first, then further out, doubling (a link counts less than its characters), each count
    # costing its prefix's length rather than the whole text's
    low, high = 0, min(limit + 1, len(text))
    if count(text[:high]) > limit >= count(text[: high - 1]):
        low = high
    while low < high < len(text) and count(text[:high]) <= limit:
        low, high = high + 1, min(2 * high, len(text))
    while low < high:
        mid = (low + high) // 2
        if count(text[:mid]) > limit:
            high = mid
        else:
            low = mid + 1
    start = max(0, low - 1)
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    yield start, len(text)


def promise_deadline(rule: Rule, ctx: Context) -> Iterator[tuple[int, int]]:
    for promise in ctx.promises:
        if not promise.explicit:
            yield promise.start, promise.end


def lexicon(rule: Rule, ctx: Context) -> Iterator[Flag]:
    """Words and phrases of the rule's lexicon, each with its plain alternative; not the
    customer's own words ("mijn restitutie" answered with "je restitutie"), nor the name of a
    screen or button quoted ("onder 'Restitutie'")."""
    folded, customer = ctx.scan.folded, None
    for hit in rule.lexicon.find(folded):
        if _suppressed(rule, ctx, hit.start) or _quoted(folded, hit.start, hit.end):
            continue
        if customer is None:  # folded only when there is a hit: most drafts have none
            customer = fold(ctx.customer)
        if not _echoes(folded[hit.start : hit.end], customer):
            yield hit.start, hit.end, {"formal": hit.entry.formal, "plain": hit.entry.plain}


_QUOTES = frozenset("'\"‘’“”")


def _quoted(folded: str, start: int, end: int) -> bool:
    """The span is all there is between two quote marks: a name, not the writer's own words."""
    return 0 < start and end < len(folded) and folded[start - 1] in _QUOTES and folded[end] in _QUOTES


def _echoes(words: str, customer: str) -> bool:
    """`words` stand in the customer's message as words of their own."""
    start = customer.find(words)
    while start >= 0:
        end = start + len(words)
        if not (start and customer[start - 1].isalnum()) and not customer[end : end + 1].isalnum():
            return True
        start = customer.find(words, start + 1)
    return False


CHECK_FUNCTIONS: dict[str, Check] = {
    "existence": existence,
    "absence": absence,
    "next_step": next_step,
    "consistency": consistency,
    "capitals": capitals,
    "personal_data": personal_data,
    "length": length,
    "promise_deadline": promise_deadline,
    "lexicon": lexicon,
}
# Absence checks look at what the others found (an invalidating "sorry" is no apology).
LATE_CHECKS = frozenset({"absence", "next_step"})
