"""Promises in a draft and when each is due (shared/contract/deadlines.md).

A promise is a clause in which the team commits to doing something for the customer. Two ways
to find one:

- a follow-up by contact ("ik bel je", "we nemen contact met je op", "we'll get back to you"):
  a promise with or without a time; without one it is tracked with the team's default window;
- any other clause with an explicit time that is addressed to the customer ("je hebt hem
  morgen in huis") or says what the team will do ("wij betalen de rekening deze week").

Requests to the customer ("stuur je ons een DM?", "bel ons gerust", "could you…"), what the
customer can do ("je kunt…", "you can…") and questions are not promises.
"""

from __future__ import annotations

import re
from datetime import datetime

from bot.review.calendar import BusinessCalendar
from bot.review.model import Promise
from bot.review.prefilter import Matcher, Scan
from bot.review.text import Span, clauses, sentences
from bot.review.timeexpr import TimeExpression, find_time_expressions

# Follow-ups the team commits to, with or without a time: contact, a refund, a visit. One pattern
# per construction (the prefilter skips most of them).
_FOLLOW_UP = tuple(
    Matcher.compile(p, re.VERBOSE)
    for p in (
        r"(?<!moeten\s)(?<!kunnen\s)(?<!willen\s)(?<!hoeven\s)(?<!\bte\s)\b(?:bel|belt|bellen)\b"
        r"(?!\s+(?:ons|me|mij|gerust|naar)\b)",
        r"\bterugbellen\b",
        r"\bneem(?:t|en)?\b[^.!?]{0,40}?\bcontact\s+met\s+(?:je|jou|u)\b",
        r"\bcontact\s+met\s+(?:je|jou|u)\s+op\b",
        r"\b(?:stuur|stuurt|sturen|mail|mailt|mailen|app|appt|appen|sms|sms't)\s+(?:ik\s+|we\s+|wij\s+)?"
        r"(?:je|jou|u)\b(?!\s+(?:ons|me|mij)\b)",
        r"\b(?:laat|laten)\s+(?:ik\s+|we\s+|wij\s+)?(?:je|jou|u)\b[^.!?]{0,40}?\bweten\b",
        r"\b(?:kom|komen|komt)\b[^.!?]{0,40}?\b(?:op\s+terug|bij\s+(?:je|jou|u)\s+terug)\b",
        r"\b(?:je|u)\s+hoort\b[^.!?]{0,25}?\bvan\s+(?:ons|mij|me)\b",
        r"\bhoor\s+(?:je|u)\b[^.!?]{0,25}?\bvan\s+(?:ons|mij|me)\b",
        r"\b(?:houd|houden|hou)\s+(?:ik\s+|we\s+|wij\s+)?(?:je|jou|u)\b[^.!?]{0,20}?\bop\s+de\s+hoogte\b",
        r"""\b(?:we|i|someone|a\s+colleague|our\s+(?:\w+\s+)?team|the\s+(?:\w+\s+)?team
            |an?\s+(?:\w+\s+)?(?:agent|colleague|specialist|engineer|advisor)|he|she|they)
            (?:'ll|\s+will|\s+are\s+going\s+to|\s+am\s+going\s+to|'re\s+going\s+to|'m\s+going\s+to)
            \s+(?:\w+\s+)?(?:call|ring|phone|email|e-mail|message|text|contact|get\s+back|reach\s+out
            |let\s+you\s+know|update\s+you|keep\s+you\s+(?:posted|updated|informed)|follow\s+up|be\s+in\s+touch)\b""",
        r"\byou(?:'ll|\s+will)\s+hear\s+(?:back\s+)?from\s+(?:us|me)\b",
        r"\b(?:je|u)\s+krijgt\b[^.!?]{0,40}?\b(?:terug|terugbetaald|teruggestort|vergoed|gecrediteerd)\b",
        r"\bkrijg\s+(?:je|u)\b[^.!?]{0,40}?\b(?:terug|terugbetaald|teruggestort|vergoed|gecrediteerd)\b",
        r"\b(?:we|wij|ik)\s+(?:storten|stort|betalen|betaal)\b[^.!?]{0,40}?\bterug\b",
        r"\b(?:storten|stort|betalen|betaal)\s+(?:we|wij|ik)\b[^.!?]{0,40}?\bterug\b",
        r"\bkom(?:en|t)?\s+(?:ik|we|wij|hij|zij|de\s+monteur|een\s+monteur|een\s+collega|onze\s+\w+)\b"
        r"[^.!?]{0,40}?\b(?:langs|ophalen|omruilen|repareren|vervangen|installeren|brengen|bezorgen)\b",
        r"\b(?:we|i)(?:'ll|\s+will)\s+(?:\w+\s+)?(?:refund|reimburse|credit|replace|repair|swap|exchange|pick\s+up|collect)\b",
        r"\byou(?:'ll|\s+will)\s+(?:get|receive)\b[^.!?]{0,30}?\b(?:refund|money\s+back|replacement)\b",
        r"\bwill\s+be\s+(?:refunded|credited|reimbursed)\b",
        r"\b(?:je|u)\s+(?:krijgt|ontvangt)\b[^.!?]{0,30}?\b(?:mail|e-mail|bericht|brief|sms|bevestiging|update|telefoontje)\b",
        r"\b(?:krijg|ontvang)\s+(?:je|u)\b[^.!?]{0,30}?\b(?:mail|e-mail|bericht|brief|sms|bevestiging|update|telefoontje)\b",
        r"\b(?:je|u)\s+(?:wordt|worden)\b[^.!?]{0,30}?\b(?:geinformeerd|gebeld|gemaild|teruggebeld|benaderd"
        r"|op\s+de\s+hoogte\s+gehouden)\b",
        r"\b(?:wordt|worden)\b[^.!?]{0,40}?\b(?:teruggestort|terugbetaald|gecrediteerd)\b",
    )
)
_ADDRESSED = Matcher.compile(r"\b(?:je|jou|jouw|u|uw|you|your)\b")
# Who acts in a clause with a time that does not address the customer: the team, or a passive
# with a deed ("wordt morgen bezorgd"), or English "will".
_TEAM_ACTION = tuple(
    Matcher.compile(p, re.VERBOSE)
    for p in (
        r"\b(?:ik|we|wij|onze?\s+\w+|een\s+collega|de\s+monteur)\b",
        r"""\b(?:bezorg|bezorgen|lever|leveren|verstuur|versturen|verzend|verzenden|stort|storten|betaal|betalen
          |vergoed|vergoeden|repareer|repareren|vervang|vervangen|herstel|herstellen|regel|regelen|pas|passen
          |los|lossen|haal|halen|kom|komen|bel|bellen|stuur|sturen)\s+(?:ik|we|wij)\b""",
        r"\b(?:ligt|liggen|staat|staan)\b[^.!?]{0,30}?\bklaar\b",
        r"""\b(?:wordt|worden)\b[^.!?]{0,50}?\b(?:bezorgd|geleverd|teruggestort|terugbetaald|gestort|betaald
          |vergoed|verstuurd|verzonden|gerepareerd|vervangen|opgelost|hersteld|opgehaald|aangepast
          |gecorrigeerd|gecrediteerd|geactiveerd|verholpen|gemaakt|geregeld|geinstalleerd)\b""",
        r"\b(?:will|'ll|going\s+to|shall)\b",
        r"\b(?:ontvangt|ontvangen|krijgt|krijgen|receives?|gets?)\b",
    )
)
# A clause about feelings, a wish or a state is no commitment, even with a time in it ("ik snap
# dat je nerveus bent voor vandaag", "fijne dag vandaag", "zondag zijn we dicht").
_NOT_A_COMMITMENT = Matcher.compile(
    r"\b(?:snap|snappen|snapt|begrijp|begrijpen|vervelend|balen|jammer|sorry|excuses|frustrerend|hoop|hopelijk"
    r"|wens|fijne|succes|plezier|open|dicht|gesloten|bereikbaar|druk|understand|frustrating|annoying"
    r"|stressful|hope|enjoy|closed|busy)\b"
)
# Done already ("is vandaag teruggestort", "has been refunded today"): a report, not a promise.
_DONE = Matcher.compile(
    r"\b(?:heb|hebt|heeft|hebben|is|zijn|was|waren)\b[^.!?]{0,60}?\b\w*(?:ge|ver|be|ont)\w{2,}(?:d|t|en)\b"
    r"|\b(?:has|have|had|was|were)\b|'ve\b"
)
_CUSTOMER_SIDE = tuple(
    Matcher.compile(p)
    for p in (
        r"\b(?:kun|kunt|kan|kunnen|wil|wilt)\s+(?:je|jij|u)\b",
        r"\b(?:je|jij|u)\s+(?:kunt|kan|moet|dient)\b",
        r"\b(?:could|can|would)\s+you\b|\byou\s+(?:can|could|need\s+to|should|must)\b|\bplease\b",
    )
)
MATCHERS = (*_FOLLOW_UP, _ADDRESSED, *_TEAM_ACTION, _NOT_A_COMMITMENT, _DONE, *_CUSTOMER_SIDE)  # for the caller's Prefilter
_KINDS = (
    ("callback", re.compile(r"\b(?:bel|belt|bellen|terugbellen|call|ring|phone|contact)\b")),
    ("visit", re.compile(r"\b(?:monteur|langs|engineer|technician|visit|come)\b")),
    ("refund", re.compile(r"\b(?:stort|storten|teruggestort|terugbetaald|betaal|betalen|vergoed\w*|rekening|geld|refund\w*|reimburs\w*|credit\w*|account)\b")),
    ("delivery", re.compile(r"\b(?:bezorg\w*|lever\w*|verstuur\w*|verzend\w*|verzonden|in huis|pakket|deliver\w*|ship\w*|arriv\w*|send|sent)\b")),
    ("repair", re.compile(r"\b(?:repar\w*|herstel\w*|vervang\w*|los|lossen|opgelost|fix\w*|repair\w*|replace\w*)\b")),
    ("message", re.compile(r"\b(?:mail\w*|bericht|stuur|sturen|weten|app|sms|message|email|text|know|update)\b")),
)


def _kind(clause_text: str) -> str:
    return next((kind for kind, pattern in _KINDS if pattern.search(clause_text)), "followup")


def _is_question(folded: str, clause: Span, position: int) -> bool:
    """Whether the comma-separated part of the clause holding `position` asks something."""
    comma = folded.find(",", position, clause.end)
    end = clause.end if comma < 0 else comma
    return folded[clause.start : end].rstrip().endswith("?")


def _commits(
    scan: Scan, live: frozenset[Matcher], clause: Span, times: list[TimeExpression], at: datetime,
    calendar: BusinessCalendar,
) -> bool:
    """A clause with a time but no follow-up verb commits the team when it addresses the customer
    or says who acts, unless it is about feelings or a state, or reports what was done today."""

    def holds(matcher: Matcher) -> bool:
        return matcher in live and matcher.search(scan, clause.start, clause.end) is not None

    if holds(_NOT_A_COMMITMENT):
        return False
    today = at.astimezone(calendar.timezone).date()
    if holds(_DONE) and all(e.resolve(at, calendar).date() <= today for e in times):
        return False
    return any(holds(m) for m in (_ADDRESSED, *_TEAM_ACTION))


_ELABORATION = re.compile(r"(?:dat|die|dit|that|which|this)\b")


def _elaboration(folded: str, clause: Span, expressions: list[TimeExpression], follow_ups: list[re.Match[str]]) -> list[TimeExpression]:
    """The times of a clause that only says when the previous one happens ("…, dat staat er
    vandaag nog op"): no follow-up of its own, starting with "dat", "die", "that"…"""
    if not _ELABORATION.match(folded, clause.start) or _first_in(follow_ups, clause):
        return []
    return [e for e in expressions if clause.start <= e.start < clause.end]


def _first_in(matches: list[re.Match[str]], clause: Span) -> re.Match[str] | None:
    return next((m for m in matches if clause.start <= m.start() < clause.end), None)


def _all(matchers: tuple[Matcher, ...], scan: Scan, live: frozenset[Matcher]) -> list[re.Match[str]]:
    return sorted((m for matcher in matchers if matcher in live for m in matcher.finditer(scan)), key=re.Match.start)


def find_promises(
    text: str,
    scan: Scan,
    live: frozenset[Matcher],
    at: datetime,
    calendar: BusinessCalendar,
    default_window_business_days: int,
) -> list[Promise]:
    """Every promise in the draft, in order, with its due moment resolved against `at`.

    `scan` holds text.fold(text); `live` the matchers a Prefilter over MATCHERS let through.
    """
    folded = scan.folded
    expressions = find_time_expressions(text, folded)
    follow_ups = _all(_FOLLOW_UP, scan, live)
    if not expressions and not follow_ups:
        return []
    customer_side = _all(_CUSTOMER_SIDE, scan, live)
    anchors = sorted([e.start for e in expressions] + [m.start() for m in follow_ups])
    promises = []
    for sentence in sentences(text):
        if not any(sentence.start <= a < sentence.end for a in anchors):
            continue
        parts = clauses(folded, sentence)
        taken: set[int] = set()
        for index, clause in enumerate(parts):
            if index in taken or _first_in(customer_side, clause):
                continue
            times = [e for e in expressions if clause.start <= e.start < clause.end]
            follow_up = _first_in(follow_ups, clause)
            if follow_up is not None:
                if _is_question(folded, clause, follow_up.start()):
                    continue
                if not times and index + 1 < len(parts) and (more := _elaboration(folded, parts[index + 1], expressions, follow_ups)):
                    times = more  # "je krijgt het geld terug, dat staat er vandaag nog op"
                    taken.add(index + 1)
            elif not times or _is_question(folded, clause, times[0].start):
                continue
            elif not _commits(scan, live, clause, times, at, calendar):
                continue
            promises.append(_promise(text, folded, clause, times, at, calendar, default_window_business_days))
    return promises


def _promise(
    text: str,
    folded: str,
    clause: Span,
    times: list[TimeExpression],
    at: datetime,
    calendar: BusinessCalendar,
    window: int,
) -> Promise:
    start, end = clause.start, clause.end
    while end > start and text[end - 1] in ".,;:!?":
        end -= 1
    if times:
        due = min(e.resolve(at, calendar) for e in times)
    else:
        due = calendar.add_business_days(at, window)
    return Promise(text[start:end], _kind(folded[start:end]), due, bool(times), start, end)
