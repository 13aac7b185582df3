"""Promises in a draft and when each is due (shared/contract/deadlines.md), from the clause
analysis (analysis.py).

A clause is a promise when the team commits to doing something for the customer:
- we, or someone acting for us, name a follow-up (call, mail, send, refund, repair, visit)
  or say what we do at a given time ("ik regel vandaag nog een nieuwe");
- the customer receives it or it reaches them at a given time ("je krijgt morgen een mail van
  ons", "binnen 24 uur heb je hem in huis", "op 4 januari staat het op je rekening");
- a clause without a subject of its own continues the promise before it ("...en mailt je vrijdag");
- a time after a colon or dash completes the promise before it ("we sturen je een nieuwe:
  dinsdag heb je hem in huis");
- a condition on the customer keeps it a promise ("als je ons je nummer stuurt, bel ik je morgen",
  "…, dan regel ik het voor je");
- "as soon as we can" by us is a promise with the default window ("onze monteur sluit u asap aan"),
  and a perfect tense with a time that can only lie ahead speaks of then ("hebben het vanavond opgelost").
Not a promise: negated, done (also a booking made for the customer), should have happened, a general
rule or habit, hedged ("naar verwachting"), a question or an instruction to the customer, a third
party's doing, a feeling or state ("zondag zijn we dicht"), telling now what is the case ("hierbij
laten wij u weten | dat uw klacht in behandeling is").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from bot.review.analysis import (
    CONDITION, CONSEQUENCE, CUSTOMER, DONE, GENERAL, INSTRUCTION, PLANNED, QUESTION, REASONS, SHOULD_HAVE, STATEMENT,
    TEAM, THING, THIRD_PARTY,
    Analysis, Clause,
)
from bot.review.calendar import BusinessCalendar
from bot.review.model import Promise
from bot.review.timeexpr import TimeExpression, on_their_day

_KINDS = (
    ("callback", re.compile(r"\b(?:bel|belt|bellen|terugbellen|call|ring|phone|contact)\b")),
    ("visit", re.compile(r"\b(?:monteur|langs|dakdekker|engineer|technician|visit|come)\b")),
    ("refund", re.compile(r"\b(?:stort|storten|teruggestort|terugbetaald|terug|betaal|betalen|vergoed\w*|rekening|geld|refund\w*|reimburs\w*|credit\w*|tegoed)\b")),
    ("delivery", re.compile(r"\b(?:bezorg\w*|lever\w*|verstuur\w*|verzend\w*|verzonden|in huis|pakket|brengt|brengen|deliver\w*|ship\w*|arriv\w*|send|sent)\b")),
    ("repair", re.compile(r"\b(?:repar\w*|herstel\w*|vervang\w*|los|lossen|opgelost|fix\w*|repair\w*|replace\w*|correct\w*|reset\w*)\b")),
    ("message", re.compile(r"\b(?:mail\w*|bericht|dm|stuur|sturen|weten|app|sms|message|email|text|know|update)\b")),
)
# What joins a clause that says when the promise before it happens: "we sturen je een nieuwe:
# dinsdag heb je hem in huis", "je krijgt het geld terug, dat staat er vandaag nog op".
_ELABORATION = frozenset({"dat", "die", "which"})
_BUT = frozenset({"maar", "but"})
_COMPLETING = frozenset({":", "-"}) | _ELABORATION
# Times that cannot lie behind us once they resolve after `at`, so a perfect tense with one is about
# then ("morgen hebben we het opgelost"); not "vandaag", a weekday or a date, which a past event has too.
_FUTURE_ONLY = re.compile(
    r"\b(?:morgen|overmorgen|vanmiddag|vanavond|volgende\s+week|(?:het\s+)?einde?\s+van\s+de\s+week|binnen|over\s+\w+\s+(?:uur|dagen|minuten)"
    r"|tomorrow|this\s+afternoon|tonight|this\s+evening|next\s+week|(?:the\s+)?end\s+of\s+the\s+week|within|in\s+\w+\s+(?:hours?|days|minutes))\b"
)
_BY_DEADLINE = re.compile(r"^(?:uiterlijk|tegen|no\s+later\s+than)\b")  # "is uiterlijk (tegen) 18 december gerepareerd"
_BY_CLOCK = re.compile(
    r"^(?:(?:vandaag|today)[\s,]+)?(?:v[oó][oó]r|uiterlijk(?:\s+om)?|before|by)\s+"
    r"(?:(?:vandaag|vanmiddag|vanavond|today|tonight|this\s+(?:afternoon|evening))\s+(?:om\s+|at\s+)?)?\d{1,2}[:.]\d\d\b"
)
# Parts of today and the hour they begin: once begun, a perfect tense with one may be done already
# ("ik heb de terugbetaling vanavond klaargezet", said at 19:30).
_PARTS_OF_TODAY = {"vanmiddag": 12, "this afternoon": 12, "vanavond": 18, "tonight": 18, "this evening": 18}
_IT = frozenset({"het", "dat", "dit", "it", "that"})
_WORDS = re.compile(r"[\w']+")
# what we can do, and the question whether the customer wants it
_CAN = re.compile(r"\b(?:kan|kunnen)\s+(?:ik|we|wij)\b|\b(?:ik|we|wij)\s+(?:kan|kunnen)\b"
                  r"|\b(?:i|we)\s+(?:can|could)\b|\b(?:can|could)\s+(?:i|we)\b", re.IGNORECASE)
_SHALL_I = re.compile(r"\W*(?:zal\s+ik|zullen\s+we|wil\s+je\s+dat|wilt\s+u\s+dat"
                      r"|(?:laat|laten)\s+(?:je|u)\s+(?:me|mij|ons)\b[^.!?]{0,40}?\bweten\s+of\s+(?:je|u)\s+dat\s+wilt?"  # "… laat je me via DM weten of je dat wilt?"
                      r"|shall\s+i|shall\s+we|should\s+i|would\s+you\s+like|do\s+you\s+want)\b", re.IGNORECASE)
# a new one of what was just named, its noun left out ("we corrigeren de factuur en je krijgt
# binnen 5 werkdagen een nieuwe")
_A_NEW_ONE = re.compile(r"\b(?:een\s+(?:nieuwe|gecorrigeerde|aangepaste)|a\s+(?:new|corrected)\s+one)\s*(?:[.!;]|$)", re.IGNORECASE)
_POINTING_BACK = frozenset({"die", "dat", "het", "hij", "hem", "ze", "zij", "it", "they", "them", "that", "this"})
# an indefinite or new object: something else than what the deed brings (not "binnen een paar dagen")
_NEW_THING = re.compile(
    r"\b(?:een|a|an)\s+(?!(?:paar|uur|dag|dagen|week|kwartier|minuut|moment|few|couple|hour|day|minute)\b)[\w-]+"
    r"|\b(?:nieuwe?|new)\b", re.IGNORECASE)
_THEN_OPENING = re.compile(r"(?:daarna|dan|vervolgens|then|after\s+that|afterwards)\b", re.IGNORECASE)
_AFTERWARDS = re.compile(r"\b(?:daarna|nadien|vervolgens|zodra|afterwards|after\s+that|later|once|as\s+soon\s+as)\b", re.IGNORECASE)
# a promise to solve it, said before how ("dat lossen we op", "we'll sort it out")
_GENERIC_FIX = re.compile(
    r"\b(?:(?:lossen|los)\s+(?:we|ik|wij)\s+(?:\w+\s+){0,3}?op|(?:we|ik|wij)\s+(?:lossen|los)\s+(?:het|dat|dit)\s+(?:\w+\s+){0,2}?op"
    r"|(?:we'll|i'll|we\s+will|i\s+will)\s+(?:\w+\s+)?(?:sort\s+(?:it|this|that)\s+out|fix\s+(?:it|this|that)|make\s+(?:it|this|that)\s+right))\b",
    re.IGNORECASE)
# a condition that only offers ("als je wilt, bellen we je maandag"): our promise, also in answer to "what if …?"
_OFFER = re.compile(r"\b(?:als|indien|if)\s+(?:je|u|jij|you)\s+(?:dat\s+|het\s+)?(?:wilt|wil|want|like|prefer|would\s+like)\b|\bdesgewenst\b|\bindien\s+gewenst\b", re.IGNORECASE)
# the customer coming to us ("kom je morgen langs?", "neem hem maandag mee naar de winkel")
_VISIT = re.compile(r"\b(?:langs|mee\s+naar\s+(?:de|onze|een)\s+\w+|naar\s+(?:de|onze)\s+(?:winkel|balie|servicebalie|werkplaats|vestiging|servicedesk)"
                    r"|(?:come|drop|pop)\s+(?:by|in)|bring\s+(?:it|him|her|them)\s+(?:in|to\s+(?:the|our)\s+\w+))\b", re.IGNORECASE)
# planning a visit, and the call that sets its time
_SCHEDULES = re.compile(r"\b(?:plannen|plan|inplannen|afspraak|afspreken|af\s+te\s+spreken|schedule|arrange|book\s+a)\b",
                        re.IGNORECASE)
# checking or preparing something, and reporting back on it or sending it: "check and report back" is one promise
_CHECKS = re.compile(r"\b(?:check\w*|controleer\w*|controleren|nakijken|bekijk\w*|uitzoeken|(?:kijk|kijken|zoek|zoeken)\s+(?:\w+\s+){0,7}?(?:na|uit)"
                     r"|(?:zet|zetten)\s+(?:\w+\s+){0,7}?klaar"
                     r"|look\s+into|investigat\w*)\b", re.IGNORECASE)
_REPORTS = re.compile(r"\b(?:(?:laat|laten)\s+(?:\w+\s+){0,4}?weten|(?:koppel|koppelen)\s+(?:\w+\s+){0,4}?terug|let\s+you\s+know"
                      r"|(?:app|mail|bel|sms|whatsapp|stuur|sturen)\s+(?:ik|we|wij)\s+(?:je|u)|get\s+back\s+to\s+you|report\s+back)\b",
                      re.IGNORECASE)
# paying money back, in a clause that says when a refund promised before it happens
_PAYS_BACK = re.compile(r"\bterug\w*|\b(?:vergoed\w*|refund\w*|reimburse\w*|pay\w*\s+(?:\w+\s+){0,3}?back)\b", re.IGNORECASE)
_MONEY = re.compile(r"\b(?:geld|bedrag|bedragen|money|amount)\b|€\s?\d", re.IGNORECASE)
_SAME_ONE = frozenset({"hij", "zij", "ze", "he", "she", "they"})  # a pronoun for whoever acts in the clause before
_NO_PROMISE_MOODS = {QUESTION: "question", INSTRUCTION: "instruction", GENERAL: "general"}


def _still_ahead(time: TimeExpression, at: datetime, calendar: BusinessCalendar) -> bool:
    """A time that cannot lie behind us (_FUTURE_ONLY), and not a part of today that has begun;
    a deadline still ahead ("uw laptop is uiterlijk 18 december gerepareerd"); or one later today
    ("onze technici hebben het (vandaag) vóór 19:00 verholpen", said at 16:00)."""
    text = time.text.lower()
    if _BY_CLOCK.search(text):  # before _BY_DEADLINE: "uiterlijk 16:00" is a clock time today
        due = time.resolve(at, calendar)
        return due > at and due.date() == at.astimezone(calendar.timezone).date()
    if _BY_DEADLINE.search(text):
        return time.resolve(at, calendar) > at
    begun = any(words in text and at.hour >= hour for words, hour in _PARTS_OF_TODAY.items())
    return bool(_FUTURE_ONLY.search(text)) and not begun and time.resolve(at, calendar) > at


@dataclass(frozen=True)
class Judgement:
    """Why a clause is or is not (part of) a promise; `promise` is None for clauses that say
    nothing either way."""

    clause: Clause
    promise: bool
    reason: str  # a code: explain.why.* of the message catalogue says it in words
    merged_into: int | None = None  # index of the clause whose promise this clause completes


def judge(analysis: Analysis, at: datetime, calendar: BusinessCalendar, hypothetical: bool = False) -> list[Judgement]:
    """One judgement per clause, in order; `at` tells a past time from a coming one. `hypothetical`:
    the customer asked how something would go, so what we do on a condition of theirs describes
    how it works ("zodra je retour binnen is, krijg je het bedrag binnen 14 dagen terug")."""
    today = at.astimezone(calendar.timezone).date()
    clauses = analysis.clauses
    judgements: list[Judgement] = []
    for index, clause in enumerate(clauses):
        after_request = bool(index) and _asks(clauses[index - 1])
        later = bool(clause.times) and all(t.resolve(at, calendar).date() > today for t in clause.times)
        coming = bool(clause.times) and all(_still_ahead(t, at, calendar) for t in clause.times)
        if analysis.tells(index):
            verdict, reason = False, "telling"
        else:
            verdict, reason = _verdict(clause, later, coming, after_request, _after_our_deed(clauses, index, analysis.text))
        if verdict and _result_of_instruction(clauses, index, analysis.text):
            verdict, reason = False, "instruction_result"
        if verdict and _so_it_follows(clauses, index):
            verdict, reason = False, "done"
        if verdict and _offered(clauses, index, analysis.text):
            verdict, reason = False, "offer"  # "ik kan je ticket omboeken naar morgen: zal ik dat doen?"
        if not verdict and _but_then(clauses, index):
            verdict, reason = True, "team_time"
        if reason in ("no_follow_up", "wants_time", "follow_up") and _on_visit(clauses, index, analysis.text):
            # "kom je morgen even langs? Dan zetten we er een nieuwe band in": done then, on the spot
            judgements[-1] = Judgement(clauses[index - 1], False, "visit_time", index)
            verdict, reason = True, "on_visit"
        if verdict and hypothetical and clause.mood == CONDITION and not after_request and not _offers(clause, analysis.text):
            verdict, reason = False, "how_it_works"  # not on what we ask now: "zet je nummer hieronder, dan bel ik je"
        if (index and clause.joint in _COMPLETING and judgements[-1].reason == "wants_time"
                and clause.times and (clauses[index - 1].has("follow_up") or _completes(clause) or _only_time(clause))
                and clauses[index - 1].sentence == clause.sentence):
            # "je krijgt het geld terug, dat staat er vandaag nog op": the time makes it a promise
            judgements[-1] = Judgement(clauses[index - 1], True, "reaches_time")
        if reason in ("third_party", "nobody") and _arranged_by_us(clauses, index):
            verdict, reason = True, "arranged_for_us"
        if (reason in ("nobody", "wants_time") and clause.times and clause.tense == PLANNED and _vouched(clauses, index)
                and not (_only_time(clause) and any(j.promise for j in judgements))):  # not "echt uiterlijk vrijdag, beloofd"
            verdict, reason = True, "vouched"  # "de bus staat dinsdag weer op het Plein, dat beloven we"
        if reason == "wants_time" and _after_ours(clauses, index) and (
                clause.has("receive") and clause.has("follow_up") or clause.joint in _ELABORATION and not clause.has("receive")):
            # "ik heb de meterstand aangepast; je krijgt een gecorrigeerde afrekening per mail",
            # "ik heb een nieuwe pas aangevraagd, die komt per post naar je toe"
            verdict, reason = True, "reaches"
        if _fix_told_done(clauses, judgements, index, analysis.text):
            judgements[index - 1] = Judgement(clauses[index - 1], False, "carried_out")
        previous = _open_promise(clauses, judgements, index)
        if verdict and previous is None and not clause.times and _booked_then(clauses, index, analysis.text, at, calendar):
            # "ik heb je ingepland op 8 december om 10:00, dan komt Linda bij je langs": the visit at the time booked
            judgements[-1] = Judgement(clauses[index - 1], True, "booked")
            judgements.append(Judgement(clause, False, "continues", index - 1))
            continue
        if previous is not None and _carried_out(clause, clauses[previous]):
            # "wij lossen het op: ik heb vandaag een nieuw pakket verzonden": what it says we do is done
            judgements[previous] = Judgement(clauses[previous], False, "carried_out")
            judgements.append(Judgement(clause, verdict, reason))
            continue
        only_time = _only_time(clause)
        if previous is not None and (verdict or _completes(clause) or clause.joint in _ELABORATION or only_time
                                     or clause.joint in (":", "-") and clause.times and clause.mood == STATEMENT):
            prior = clauses[previous]
            # the time a clause completing it gave ("je offerte ligt klaar: Jasper mailt hem je om 15:30")
            prior_timed = bool(prior.times) or any(j.merged_into == previous and j.clause.times for j in judgements)
            # after a colon or dash a time says when the promise before happens, or more precisely
            # ("hij komt vandaag alsnog: om 15:00 staat hij bij je"; the earliest time counts); after
            # a semicolon, when an untimed one happens ("ik zet het terug; binnen 3 werkdagen staat het …")
            if only_time or (clause.joint in (":", "-") and clause.times) or (
                    # "de monteur staat voor vandaag ingepland en is er uiterlijk om 12:00": one visit, the earliest time
                    clause.continues and clause.times and clause.has("arrival") and not clause.has("follow_up")
                    and prior.has("arrival") and not prior.has("follow_up")) or (
                    (clause.joint in _ELABORATION or clause.joint == ";" or clause.continues
                     or _says_when(clause, analysis.text))
                    and clause.times and not prior_timed):
                judgements.append(Judgement(clause, False, "completes", previous))
                continue
            if verdict and (clause.joint in CONSEQUENCE or clause.joint in _ELABORATION) and prior.times and (
                    clause.has("arrival") or clause.has("receive") or clause.actor not in TEAM):
                # "our tech team is fixing it this afternoon, so it'll be back by 17:00", "ik stuur je vandaag
                # een nieuw zakje, dat heb je morgen in huis": what the promise brings
                judgements.append(Judgement(clause, False, "continues", previous))
                continue
            # "komt vrijdag langs en vervangt dan je modem" is one visit; "… en belt je daarna" or
            # "… en laat je asap weten wanneer hij onderweg is" a promise of its own; "we'll have it
            # sorted by Thursday: a corrected confirmation will be in your inbox" says what arrives then
            if (clause.joint == "," and not clause.times and prior.times and clause.actor == prior.actor
                    and not _SAME_ONE.isdisjoint(_words(analysis.text, clause.start, clause.end)[:1])):
                # "de loodgieter komt morgenochtend langs, hij haalt de sleutel op bij de beheerder": one visit
                judgements.append(Judgement(clause, False, "continues", previous))
                continue
            if verdict and clause.joint in (":", "-") and not clause.times and not prior.times and clause.actor not in TEAM:
                # "je krijgt het bedrag terug: het staat zo snel mogelijk op je rekening": one promise, said twice
                judgements.append(Judgement(clause, False, "continues", previous))
                continue
            if (clause.continues or clause.joint in (":", "-") and verdict and prior.times) and not clause.times and (
                    not verdict or prior.times and not clause.has("soon")
                    and not _AFTERWARDS.search(analysis.text, clause.start, clause.end)):
                judgements.append(Judgement(clause, False, "continues", previous))
                continue
            if (verdict and not clause.times and prior.times and clause.joint in ("en", "and") and clause.actor == prior.actor
                    and _checks_then_reports(prior, clause, analysis.text)):
                # "morgenochtend check ik de kantine en app ik je of hij er ligt": one promise, by that time
                judgements.append(Judgement(clause, False, "continues", previous))
                continue
        if verdict and clause.times and (earlier := _untimed_promise_before(clauses, judgements, index)) is not None and (
                _says_how(clauses[earlier], clause, analysis.text)):
            judgements.append(Judgement(clause, False, "completes", earlier))
            continue
        judgements.append(Judgement(clause, verdict, reason))
    return judgements


def _booked_then(clauses: list[Clause], index: int, text: str, at: datetime, calendar: BusinessCalendar) -> bool:
    """The clause opens with "dan" right after one in which we booked the customer in for a time still
    ahead."""
    if not index:
        return False
    booking = clauses[index - 1]
    return (booking.sentence == clauses[index].sentence and booking.tense == DONE and booking.has("arranged")
            and bool(booking.times) and all(t.resolve(at, calendar) > at for t in booking.times)
            and _THEN_OPENING.match(text, clauses[index].start) is not None)


def _vouched(clauses: list[Clause], index: int) -> bool:
    """The next clause of the sentence gives our word for this one ("…, dat beloven we")."""
    following = clauses[index + 1] if index + 1 < len(clauses) else None
    return following is not None and following.sentence == clauses[index].sentence and following.has("vouch")


def _asks(clause: Clause) -> bool:
    """A question or a request to the customer ("stuur ons de bon"; not "je kunt het terugbrengen")."""
    return clause.mood == QUESTION or clause.mood == INSTRUCTION and not clause.has("customer_modal")


def _offers(clause: Clause, text: str) -> bool:
    """The clause's condition only offers what follows ("als je wilt, bellen we je maandag")."""
    return any(label == "condition" and _OFFER.search(text, start, end) for label, start, end in clause.evidence)


def _after_our_deed(clauses: list[Clause], index: int, text: str) -> bool:
    """The clause before, in the same sentence, tells something we did ("ik heb het teruggestort, …"),
    not only arranged or decided ("ik heb de claim goedgekeurd en u krijgt het bedrag zo snel mogelijk"),
    and this one tells what that brings, not a new thing ("ik heb de stand ingevoerd en je krijgt zo
    snel mogelijk een gecorrigeerde afrekening")."""
    if index == 0:
        return False
    before = clauses[index - 1]
    return (before.tense == DONE and before.actor in TEAM and before.sentence == clauses[index].sentence
            and not before.has("arranged") and _NEW_THING.search(text, clauses[index].start, clauses[index].end) is None)


def _carried_out(clause: Clause, promised: Clause) -> bool:
    """After a colon or dash, something of ours already done carries out the untimed promise before it."""
    return clause.joint in (":", "-") and clause.tense == DONE and clause.actor in TEAM and not promised.times


def _result_of_instruction(clauses: list[Clause], index: int, text: str) -> bool:
    """What following our instruction brings, nothing we send ("restart your phone and you'll be
    connected again", "zet hem uit en aan. Daarna werkt hij binnen een kwartier weer"): the
    customer's doing. Joined by "en", without a time; after a semicolon or in the next sentence, opened
    by "daarna"."""
    clause = clauses[index]
    if index == 0 or clauses[index - 1].mood != INSTRUCTION or clause.actor in TEAM or clause.has("follow_up"):
        return False
    then = not clause.has("receive") and _THEN_OPENING.match(text, clause.main.start) is not None
    if clause.sentence == clauses[index - 1].sentence:
        # with a time only when it is the customer's own state ("… en je bent binnen 10 minuten weer online")
        return clause.joint in ("en", "and") and (not clause.times or clause.actor == CUSTOMER and not clause.has("receive")) or (
            clause.joint == ";" and then)
    return clause.sentence == clauses[index - 1].sentence + 1 and then


def _offered(clauses: list[Clause], index: int, text: str) -> bool:
    """What we can do, then asked whether the customer wants it: an offer, not yet a promise."""
    clause = clauses[index]
    if index + 1 == len(clauses) or _CAN.search(text, clause.start, clause.end) is None:
        return False
    asked = clauses[index + 1]
    return asked.mood == QUESTION and asked.sentence - clause.sentence <= 1 and _SHALL_I.match(text, asked.start) is not None


def _so_it_follows(clauses: list[Clause], index: int) -> bool:
    """After something done, "dus …" without a time of its own tells what that brings ("je pas is
    vandaag verstuurd, dus die valt binnenkort op de mat"): no new promise."""
    clause = clauses[index]
    return (index > 0 and not clause.times and clause.actor not in TEAM and clauses[index - 1].tense == DONE
            and clauses[index - 1].sentence == clause.sentence and clause.joint in CONSEQUENCE)


def _but_then(clauses: list[Clause], index: int) -> bool:
    """Only a time after "maar" that follows our negated plan: that plan at this time ("onze
    monteur komt vandaag niet meer, maar wel op maandag om 8:00")."""
    clause, before = clauses[index], clauses[index - 1] if index else None
    return (before is not None and clause.joint in _BUT and _only_time(clause) and before.negated
            and before.actor in TEAM and before.tense == PLANNED and before.sentence == clause.sentence)


def _on_visit(clauses: list[Clause], index: int, text: str) -> bool:
    """A clause on the condition of the customer's visit at a time asked for just before it."""
    clause, before = clauses[index], clauses[index - 1] if index else None
    return (before is not None and clause.mood == CONDITION and not clause.times and clause.tense == PLANNED
            and (clause.actor in TEAM or clause.has("receive")) and _asks(before) and bool(before.times)
            and _VISIT.search(text, before.start, before.end) is not None and clause.sentence - before.sentence <= 1)


def _fix_told_done(clauses: list[Clause], judgements: list[Judgement], index: int, text: str) -> bool:
    """Our untimed promise to solve it, and in the next sentence what we did: the fix, told done
    ("dat lossen we op! Ik heb de dubbele box geannuleerd")."""
    if not index:
        return False
    clause, before = clauses[index], clauses[index - 1]
    return (clause.tense == DONE and clause.actor in TEAM and judgements[index - 1].promise and not before.times
            and before.sentence == clause.sentence - 1 and _GENERIC_FIX.search(text, before.start, before.end) is not None)


def _says_how(earlier: Clause, clause: Clause, text: str) -> bool:
    """A timed clause that says how the untimed promise before it is carried out: "ik pas je
    abonnement graag voor je aan: stuur je me een DM? Dan regel ik het binnen 2 uur", "dan check ik het
    voor je en laat ik je morgenochtend weten hoe het zit", "dat lossen we
    op. Zet je ordernummer hier? Dan sturen we je binnen 2 werkdagen nieuwe", "je krijgt het hele
    bedrag terug. Ik stort het morgen terug", "we'll reimburse the hotel night: reply with the invoice
    and the money will be in your account by 5 January", "we plannen een inspectie: stuur ons je
    adres, dan bellen we je vrijdag om een tijd af te spreken"."""
    if _same_refund(earlier, clause, text):
        return True
    if clause.actor not in TEAM:
        return False
    return bool(_refers_back(clause, text) or _GENERIC_FIX.search(text, earlier.start, earlier.end)
                or _checks_then_reports(earlier, clause, text)
                or _SCHEDULES.search(text, earlier.start, earlier.end) and _SCHEDULES.search(text, clause.start, clause.end))


def _checks_then_reports(earlier: Clause, clause: Clause, text: str) -> bool:
    """We check or prepare something, then report back on it or send it ("morgenochtend check ik de
    kantine en app ik je", "dan zet ik de versie klaar en mail ik je morgen de link"): one promise."""
    return bool(_CHECKS.search(text, earlier.start, earlier.end) and _REPORTS.search(text, clause.start, clause.end))


def _same_refund(earlier: Clause, clause: Clause, text: str) -> bool:
    """A promise to pay money back, and a later clause about that money or paying it back."""
    return (earlier.has("refund") or _PAYS_BACK.search(text, earlier.start, earlier.end) is not None) and (
        _PAYS_BACK.search(text, clause.start, clause.end) or _MONEY.search(text, clause.start, clause.end)) is not None


def _refers_back(clause: Clause, text: str) -> bool:
    """Our clause does "it" ("dan regel ik het", "I'll sort it"): what a promise before it named."""
    return not _IT.isdisjoint(_words(text, clause.main.start, clause.end)[1:3])


def _untimed_promise_before(clauses: list[Clause], judgements: list[Judgement], index: int) -> int | None:
    """The last promise before clause `index`, in its sentence or the two before it, if it is
    ours and has no time yet."""
    for earlier in range(index - 1, -1, -1):
        if clauses[earlier].sentence < clauses[index].sentence - 2 or judgements[earlier].merged_into is not None:
            return None
        if judgements[earlier].promise:
            return earlier if not clauses[earlier].times and (
                clauses[earlier].actor in TEAM or clauses[earlier].has("refund")) else None
    return None


def _verdict(clause: Clause, later: bool, coming: bool, after_request: bool, after_deed: bool) -> tuple[bool, str]:
    """`later`: the clause's times are all after today: someone for us booked for then will act
    ("ik heb een monteur ingepland voor vrijdag"), while a booking for the customer is done ("I've
    booked you a room for tonight", "ik heb je overtocht omgeboekt naar zaterdag").
    `coming`: its times can only lie ahead ("vanavond", "morgen"), so a perfect tense speaks of
    then: "onze monteurs hebben het vanavond opgelost" is a promise.
    `after_request`: the clause before asks the customer something ("stuur je de bon?", "stuur ons
    de bon via DM"). `after_deed`: the clause before tells what we did ("ik heb het teruggestort, die
    zie je binnenkort terug": what that brings is no promise of its own)."""
    if clause.mood in _NO_PROMISE_MOODS:
        return False, _NO_PROMISE_MOODS[clause.mood]
    if clause.negated:
        return False, "negated"
    if clause.has("hedge"):
        return False, "hedged"  # "komt naar verwachting rond 7 januari weer binnen"
    # (not in a reason, which states a fact: "…, want hij is binnen 14 dagen gekocht")
    booked = clause.tense == DONE and clause.actor in TEAM and clause.joint not in REASONS and (
        clause.has("arranged") and later and clause.has("for_us") or coming and not clause.has("arranged"))
    if clause.tense == DONE and coming and clause.actor not in TEAM and any(
            _BY_DEADLINE.search(t.text.lower()) for t in clause.times):
        return True, "reaches_time"  # "uw laptop is uiterlijk 18 december gerepareerd": done by then
    if clause.tense == DONE and not booked:
        return False, "done"
    if clause.tense == SHOULD_HAVE:
        return False, "should_have"
    if clause.actor == THIRD_PARTY:
        return False, "third_party"
    if clause.actor in TEAM:
        if clause.tense != PLANNED and not booked:
            return False, "not_planned"
        if clause.has("not_commitment") and not clause.has("follow_up"):
            return False, "feeling"
        if clause.has("follow_up"):
            return True, "follow_up_time" if clause.times else "follow_up"
        if clause.has("pass_on"):
            return False, "pass_on"  # "ik zet het vandaag door naar de afdeling": even today, nothing reaches the customer
        if clause.times:
            return True, "booked" if booked else "team_time"
        if (clause.mood == CONDITION or after_request and clause.joint in ("en", "and")) and clause.has("for_you"):
            return True, "condition_for_you"  # "zet je lidnummer hieronder, dan regel ik het voor je", "DM us and we'll save one for you"
        if clause.has("vague"):
            return False, "vague"  # "we zullen dit zo spoedig mogelijk in behandeling nemen": an empty promise
        if clause.has("soon") and not clause.has("customer_modal"):
            # "onze monteur sluit u asap weer aan" (not "wij verzoeken u het zo spoedig mogelijk te sturen")
            return True, "team_soon"
        return False, "no_follow_up"
    arrives = clause.has("receive") or clause.has("arrival")
    if arrives and (
        clause.times or (clause.has("follow_up") and (clause.has("commitment") or clause.has("soon")
                                                      or clause.mood == CONDITION and after_request))
        or (clause.has("arrival") and (clause.has("commitment") or clause.has("soon")))
        or (clause.has("commitment") and clause.mood == CONDITION and after_request)
        or (clause.has("refund") and clause.mood == STATEMENT and not after_deed)
    ):  # "je krijgt zeker nog een mail van ons", "(stuur je de bon?) dan krijg je je geld terug" (not "je
        # kunt het binnen 30 dagen terugbrengen, en dan krijg je …"), "het staat zo snel mogelijk op je rekening",
        # "je krijgt het volledige bedrag terug": money back is a refund, also without a time
        return True, "reaches_time" if clause.times else "reaches"
    if clause.has("receive") and clause.has("soon"):  # "u ontvangt zo spoedig mogelijk een voorstel"
        return (False, "done") if after_deed else (True, "reaches")
    if arrives:
        return False, "wants_time"
    if clause.actor == THING and clause.has("follow_up") and clause.times and clause.mood == STATEMENT:
        return True, "named_time"  # "de reiniging haalt het uiterlijk vrijdag op": a service of ours
    return False, "nobody"


def _says_when(clause: Clause, text: str) -> bool:
    """A timed clause after a comma, or after "en" with a word pointing back in its first few, that
    says when what was just promised reaches the customer ("we betalen het terug, je hebt het morgen
    op je rekening", "we sturen je een M, en die is er vrijdag", "we sturen er een na en donderdag
    heb je hem in huis")."""
    if not _completes(clause):
        return False
    if clause.joint == ",":
        return True
    return clause.joint in ("en", "and") and (not _POINTING_BACK.isdisjoint(_words(text, clause.start, clause.end)[1:5])
                                               or clause.actor not in TEAM and _A_NEW_ONE.search(text, clause.start, clause.end) is not None)


def _words(text: str, start: int, end: int) -> list[str]:
    """The words of text[start:end], in lower case."""
    return [word.lower() for word in _WORDS.findall(text, start, end)]


def _completes(clause: Clause) -> bool:
    """A clause that would say when a promise before it happens."""
    return bool(clause.times) and (clause.has("receive") or clause.has("arrival") or clause.actor in TEAM)


def _arranged_by_us(clauses: list[Clause], index: int) -> bool:
    """"Ik heb een nieuwe afspraak gemaakt – de koerier komt morgen", "ik heb een taxi voor je
    geregeld: die staat binnen 20 minuten bij de uitgang", "de taxi die we voor je hebben geregeld, zet
    je binnen 45 minuten thuis af", "ik heb een afspraak aangevraagd en de planning neemt contact met
    je op": whoever carries out what we just arranged acts for us, at a time (after a colon, dash,
    "en" or a relative part), or with a follow-up."""
    clause = clauses[index]
    if clause.tense in (DONE, SHOULD_HAVE) or not _after_ours(clauses, index):
        return False
    joined = clause.joint in _COMPLETING or clause.joint in ("en", "and") or clause.continues
    carries_out = bool(clause.times) and joined or clause.has("follow_up")
    return carries_out and clauses[index - 1].has("arranged")


def _after_ours(clauses: list[Clause], index: int) -> bool:
    """The clause follows one of ours in the same sentence."""
    return index > 0 and clauses[index - 1].actor in TEAM and clauses[index - 1].sentence == clauses[index].sentence


def _only_time(clause: Clause) -> bool:
    """A clause that is nothing but a time ("…: uiterlijk vrijdag, en waarschijnlijk al donderdag"):
    it gives the promise before it another time, and the earliest counts."""
    return bool(clause.times) and clause.actor == THING and not clause.marks and not clause.negated \
        and clause.mood == STATEMENT and clause.tense == PLANNED  # not "… en uiterlijk vrijdag is het gat gedicht"


def _open_promise(clauses: list[Clause], judgements: list[Judgement], index: int) -> int | None:
    """The promise the clause at `index` may complete: the one right before it, same sentence."""
    if index == 0 or clauses[index - 1].sentence != clauses[index].sentence:
        return None
    before = judgements[index - 1]
    if before.promise:
        return index - 1
    return before.merged_into


def _day_before_colon(clauses: list[Clause], index: int, times: list[TimeExpression]) -> list[TimeExpression]:
    """A promise's clock times, and the days of the clause its colon follows when it names none
    ("I've booked the first slot on Monday: the engineer arrives at 8am" is Monday 8:00)."""
    clause = clauses[index]
    if not times or any(t.anchor is not None for t in times) or clause.joint != ":" or not index:
        return times
    before = clauses[index - 1]
    if before.sentence != clause.sentence:
        return times
    return times + [t for t in before.times if t.anchor is not None]


def find_promises(analysis: Analysis, at: datetime, calendar: BusinessCalendar,
                  default_window_business_days: int, judgements: list[Judgement] | None = None) -> list[Promise]:
    """Every promise in the draft, in order, with its due moment resolved against `at`."""
    judgements = judge(analysis, at, calendar) if judgements is None else judgements
    merged: dict[int, list[Clause]] = {}  # index of a promise -> the clauses that complete it, in order
    for j in judgements:
        if j.merged_into is not None:
            merged.setdefault(j.merged_into, []).append(j.clause)
    promises = []
    for index, judgement in enumerate(judgements):
        if not judgement.promise:
            continue
        parts = sorted([judgement.clause, *merged.get(index, ())], key=lambda part: part.start)
        times = on_their_day(_day_before_colon(analysis.clauses, index, [t for part in parts for t in part.times]))
        start, end = parts[0].start, parts[-1].end
        while end > start and analysis.text[end - 1] in ".,;:!?":
            end -= 1
        if times:
            due = min(t.resolve(at, calendar) for t in times)
        else:
            due = calendar.add_business_days(at, default_window_business_days)
        # what the promise says, not the visit asked for before it; not a question between
        folded = " ".join(analysis.text[part.start : part.end] for part in parts if part.start >= judgement.clause.start).lower()
        kind = next((k for k, pattern in _KINDS if pattern.search(folded)), "followup")
        promises.append(Promise(analysis.text[start:end], kind, due, bool(times), start, end))
    return promises
