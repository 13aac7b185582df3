"""Time expressions: every row of the deadlines table (shared/contract/deadlines.md), in Dutch
and English, resolved against hand-computed due moments in Europe/Amsterdam."""

import json
from datetime import datetime
from pathlib import Path

import pytest

from bot.review.calendar import BusinessCalendar
from bot.review.timeexpr import find_time_expressions

CAL = BusinessCalendar()
DEV = Path(__file__).resolve().parents[2] / "shared/eval/dev.jsonl"

TUE = "2026-11-24T10:15:00+01:00"  # Tuesday morning
FRI = "2026-11-27T14:00:00+01:00"  # Friday afternoon
SAT = "2026-11-28T10:20:00+01:00"  # Saturday
SUN = "2026-11-29T16:00:00+01:00"  # Sunday
DST_SAT = "2026-03-28T12:00:00+01:00"  # Saturday before summer time starts (Sunday 29 March)
DST_OCT = "2026-10-24T12:00:00+02:00"  # Saturday before winter time starts (Sunday 25 October)


def due(text: str, at: str) -> list[tuple[str, str]]:
    """(span, due) of every expression in `text`."""
    moment = datetime.fromisoformat(at)
    return [(e.text, e.resolve(moment, CAL).isoformat()) for e in find_time_expressions(text)]


def one(text: str, at: str) -> tuple[str, str]:
    found = due(text, at)
    assert len(found) == 1, found
    return found[0]


TODAY_EOD = [
    # vandaag, vanmiddag, today, this afternoon, later today -> today EOD
    ("We storten het vandaag terug.", TUE, "vandaag", "2026-11-24T17:00:00+01:00"),
    ("Je krijgt vandaag nog een mail.", TUE, "vandaag nog", "2026-11-24T17:00:00+01:00"),
    ("Je krijgt nog vandaag een mail.", TUE, "nog vandaag", "2026-11-24T17:00:00+01:00"),
    ("Later vandaag hoor je van ons.", TUE, "Later vandaag", "2026-11-24T17:00:00+01:00"),
    ("Ik pas het vanmiddag aan.", TUE, "vanmiddag", "2026-11-24T17:00:00+01:00"),
    ("We'll refund it today.", TUE, "today", "2026-11-24T17:00:00+01:00"),
    ("I'll call you this afternoon.", TUE, "this afternoon", "2026-11-24T17:00:00+01:00"),
    ("You'll hear from us later today.", TUE, "later today", "2026-11-24T17:00:00+01:00"),
    ("VANDAAG nog!", SAT, "VANDAAG nog", "2026-11-28T17:00:00+01:00"),  # a Saturday is today too
    ("voor het einde van de dag", TUE, "voor het einde van de dag", "2026-11-24T17:00:00+01:00"),
    ("by the end of the day", TUE, "by the end of the day", "2026-11-24T17:00:00+01:00"),
    ("by EOD", TUE, "by EOD", "2026-11-24T17:00:00+01:00"),
]
TODAY_MORNING_EVENING = [
    # vanochtend, this morning -> 12:00; vanavond, tonight, this evening -> 21:00
    ("Ik bel je vanochtend nog.", TUE, "vanochtend nog", "2026-11-24T12:00:00+01:00"),
    ("Ik bel je vanmorgen.", TUE, "vanmorgen", "2026-11-24T12:00:00+01:00"),
    ("I'll call you this morning.", TUE, "this morning", "2026-11-24T12:00:00+01:00"),
    ("We sturen je vanavond een link.", TUE, "vanavond", "2026-11-24T21:00:00+01:00"),
    ("We'll send it tonight.", TUE, "tonight", "2026-11-24T21:00:00+01:00"),
    ("We'll send it this evening.", TUE, "this evening", "2026-11-24T21:00:00+01:00"),
]
TOMORROW = [
    # morgen, tomorrow -> next calendar day EOD; with a part of the day
    ("Het wordt morgen bezorgd.", TUE, "morgen", "2026-11-25T17:00:00+01:00"),
    ("Morgen hoor je van ons.", FRI, "Morgen", "2026-11-28T17:00:00+01:00"),  # Saturday: a calendar day
    ("It will arrive tomorrow.", TUE, "tomorrow", "2026-11-25T17:00:00+01:00"),
    ("Het wordt morgen bezorgd.", DST_SAT, "morgen", "2026-03-29T17:00:00+02:00"),
    ("Morgenochtend komt de monteur.", TUE, "Morgenochtend", "2026-11-25T12:00:00+01:00"),
    ("Ik bel je morgenvroeg.", TUE, "morgenvroeg", "2026-11-25T12:00:00+01:00"),
    ("Ik bel je morgen vroeg.", TUE, "morgen vroeg", "2026-11-25T12:00:00+01:00"),
    ("The engineer comes tomorrow morning.", TUE, "tomorrow morning", "2026-11-25T12:00:00+01:00"),
    ("Een collega belt je morgenmiddag.", TUE, "morgenmiddag", "2026-11-25T17:00:00+01:00"),
    ("We'll call you tomorrow afternoon.", TUE, "tomorrow afternoon", "2026-11-25T17:00:00+01:00"),
    ("We bellen je morgenavond.", TUE, "morgenavond", "2026-11-25T21:00:00+01:00"),
    ("We'll call you tomorrow evening.", TUE, "tomorrow evening", "2026-11-25T21:00:00+01:00"),
    ("We'll call you tomorrow night.", TUE, "tomorrow night", "2026-11-25T21:00:00+01:00"),
    # overmorgen, the day after tomorrow -> calendar day +2 EOD
    ("Overmorgen halen we hem op.", TUE, "Overmorgen", "2026-11-26T17:00:00+01:00"),
    ("Overmorgen halen we hem op.", FRI, "Overmorgen", "2026-11-29T17:00:00+01:00"),  # Sunday
    ("We collect it the day after tomorrow.", TUE, "the day after tomorrow", "2026-11-26T17:00:00+01:00"),
    ("Overmorgen halen we hem op.", DST_SAT, "Overmorgen", "2026-03-30T17:00:00+02:00"),
]
WEEKDAYS = [
    # a weekday -> the nearest such day from today (today counts), EOD
    ("Het staat vrijdag op je rekening.", TUE, "vrijdag", "2026-11-27T17:00:00+01:00"),
    ("We bellen je op vrijdag.", TUE, "op vrijdag", "2026-11-27T17:00:00+01:00"),
    ("Het staat uiterlijk donderdag op je rekening.", TUE, "uiterlijk donderdag", "2026-11-26T17:00:00+01:00"),
    ("Je hebt het vóór donderdag.", TUE, "vóór donderdag", "2026-11-26T17:00:00+01:00"),
    ("Je hebt het voor donderdag.", TUE, "voor donderdag", "2026-11-26T17:00:00+01:00"),
    ("We bellen je dinsdag.", TUE, "dinsdag", "2026-11-24T17:00:00+01:00"),  # today counts
    ("We bellen je maandag.", TUE, "maandag", "2026-11-30T17:00:00+01:00"),
    ("We bellen je maandag.", DST_SAT, "maandag", "2026-03-30T17:00:00+02:00"),
    ("We bellen je aanstaande vrijdag.", TUE, "aanstaande vrijdag", "2026-11-27T17:00:00+01:00"),
    ("We bellen je a.s. vrijdag.", TUE, "a.s. vrijdag", "2026-11-27T17:00:00+01:00"),
    ("We bellen je vrijdag.", FRI, "vrijdag", "2026-11-27T17:00:00+01:00"),
    ("We bellen je zondag.", SAT, "zondag", "2026-11-29T17:00:00+01:00"),
    ("The engineer will come on Thursday.", TUE, "on Thursday", "2026-11-26T17:00:00+01:00"),
    ("It will be there by Thursday.", TUE, "by Thursday", "2026-11-26T17:00:00+01:00"),
    ("We'll call you Friday.", SUN, "Friday", "2026-12-04T17:00:00+01:00"),
    ("We bellen je vrijdagochtend.", TUE, "vrijdagochtend", "2026-11-27T12:00:00+01:00"),
    ("We bellen je vrijdagmiddag.", TUE, "vrijdagmiddag", "2026-11-27T17:00:00+01:00"),
    ("We bellen je vrijdagavond.", TUE, "vrijdagavond", "2026-11-27T21:00:00+01:00"),
    ("We'll call you Friday morning.", TUE, "Friday morning", "2026-11-27T12:00:00+01:00"),
    # extensions
    ("We bellen je volgende week vrijdag.", TUE, "volgende week vrijdag", "2026-12-04T17:00:00+01:00"),
    ("We bellen je vrijdag volgende week.", TUE, "vrijdag volgende week", "2026-12-04T17:00:00+01:00"),
    ("We'll call you next Friday.", TUE, "next Friday", "2026-11-27T17:00:00+01:00"),
    ("We'll call you next Friday.", FRI, "next Friday", "2026-12-04T17:00:00+01:00"),
]
CLOCK_ALONE = [
    # om 15:00, at 3pm (alone) -> today at that time; if already past, the next day
    ("Een adviseur belt u om 15:00.", TUE, "om 15:00", "2026-11-24T15:00:00+01:00"),
    ("Een adviseur belt u om 15.00.", TUE, "om 15.00", "2026-11-24T15:00:00+01:00"),
    ("Een adviseur belt u om 15.00 uur.", TUE, "om 15.00 uur", "2026-11-24T15:00:00+01:00"),
    ("Een collega belt je om 10.00 uur.", TUE, "om 10.00 uur", "2026-11-25T10:00:00+01:00"),  # past
    ("Een collega belt je om 10 uur.", TUE, "om 10 uur", "2026-11-25T10:00:00+01:00"),
    ("Een collega belt je om 3 uur.", TUE, "om 3 uur", "2026-11-24T15:00:00+01:00"),  # afternoon
    ("Morgen om 6:30 staat er een vervangende auto voor de deur.", TUE, "Morgen om 6:30",
     "2026-11-25T06:30:00+01:00"),  # digits with minutes: the 24-hour clock
    ("Een collega belt je om drie uur.", TUE, "om drie uur", "2026-11-24T15:00:00+01:00"),
    ("Een collega belt je om 12 uur.", TUE, "om 12 uur", "2026-11-24T12:00:00+01:00"),
    ("Een collega belt je om half 4.", TUE, "om half 4", "2026-11-24T15:30:00+01:00"),
    ("Een collega belt je om half vier.", TUE, "om half vier", "2026-11-24T15:30:00+01:00"),
    ("Een collega belt je om kwart over 2.", TUE, "om kwart over 2", "2026-11-24T14:15:00+01:00"),
    ("Een collega belt je om kwart voor 3.", TUE, "om kwart voor 3", "2026-11-24T14:45:00+01:00"),
    ("We'll call you at 3pm.", TUE, "at 3pm", "2026-11-24T15:00:00+01:00"),
    ("We'll call you at 3 pm.", TUE, "at 3 pm", "2026-11-24T15:00:00+01:00"),
    ("We'll call you at 3 p.m.", TUE, "at 3 p.m.", "2026-11-24T15:00:00+01:00"),
    ("We'll call you at 15:00.", TUE, "at 15:00", "2026-11-24T15:00:00+01:00"),
    ("We'll call you at 10am.", TUE, "at 10am", "2026-11-25T10:00:00+01:00"),  # past
    ("We'll call you at 10:15.", TUE, "at 10:15", "2026-11-24T10:15:00+01:00"),  # now is not past
    ("We'll call you at noon.", TUE, "at noon", "2026-11-24T12:00:00+01:00"),
    ("We sturen het vóór 16:00.", TUE, "vóór 16:00", "2026-11-24T16:00:00+01:00"),
    ("We sturen het voor 16:00.", TUE, "voor 16:00", "2026-11-24T16:00:00+01:00"),
    ("We sturen het uiterlijk 16:00.", TUE, "uiterlijk 16:00", "2026-11-24T16:00:00+01:00"),
    ("We sturen het uiterlijk om 16:00.", TUE, "uiterlijk om 16:00", "2026-11-24T16:00:00+01:00"),
    ("We'll send it before 16:00.", TUE, "before 16:00", "2026-11-24T16:00:00+01:00"),
    ("We'll send it by 5pm.", TUE, "by 5pm", "2026-11-24T17:00:00+01:00"),
    ("We bellen om 8 uur 's avonds.", TUE, "om 8 uur 's avonds", "2026-11-24T20:00:00+01:00"),
    ("We bellen om 2 uur 's middags.", TUE, "om 2 uur 's middags", "2026-11-24T14:00:00+01:00"),
    ("We bellen 's ochtends om 7 uur.", TUE, "'s ochtends om 7 uur", "2026-11-25T07:00:00+01:00"),
    ("We bellen om 07:00.", TUE, "om 07:00", "2026-11-25T07:00:00+01:00"),
    ("We bellen om 10 uur.", "2026-03-28T20:00:00+01:00", "om 10 uur", "2026-03-29T10:00:00+02:00"),
    ("De monteur komt tussen 13:00 en 17:00.", TUE, "tussen 13:00 en 17:00", "2026-11-24T13:00:00+01:00"),  # the earliest time counts
    ("The engineer comes between 2 and 4pm.", TUE, "between 2 and 4pm", "2026-11-24T14:00:00+01:00"),
    # a bare hour closing "tussen … en" is a clock time, and so is the one opening it: the window's start
    ("De monteur komt tussen 1 en 5.", TUE, "tussen 1 en 5", "2026-11-24T13:00:00+01:00"),
    ("The engineer comes between 11 and 12.", TUE, "between 11 and 12", "2026-11-24T11:00:00+01:00"),
]
DAY_AND_TIME = [
    # a day expression + a time -> that day at that time
    ("Morgen om 10 uur bel ik u.", TUE, "Morgen om 10 uur", "2026-11-25T10:00:00+01:00"),
    ("Dan bel ik je vrijdag om 14:30.", TUE, "vrijdag om 14:30", "2026-11-27T14:30:00+01:00"),
    ("We'll call you tomorrow at 10am.", TUE, "tomorrow at 10am", "2026-11-25T10:00:00+01:00"),
    ("We bezorgen ze alsnog vandaag, vóór 16:00.", TUE, "vandaag, vóór 16:00", "2026-11-24T16:00:00+01:00"),
    ("We bellen je om 10 uur morgen.", TUE, "om 10 uur morgen", "2026-11-25T10:00:00+01:00"),
    ("Morgenochtend om 9 uur komt de monteur.", TUE, "Morgenochtend om 9 uur", "2026-11-25T09:00:00+01:00"),
    ("We bellen je morgen om 3 uur.", TUE, "morgen om 3 uur", "2026-11-25T15:00:00+01:00"),
    ("We bellen je vanavond om 8 uur.", TUE, "vanavond om 8 uur", "2026-11-24T20:00:00+01:00"),
    ("We bellen je vanochtend om 7 uur.", "2026-11-24T06:00:00+01:00", "vanochtend om 7 uur",
     "2026-11-24T07:00:00+01:00"),
    ("We'll call you at 3pm on Friday.", TUE, "at 3pm on Friday", "2026-11-27T15:00:00+01:00"),
    ("We'll call you on Friday at 15:00.", TUE, "on Friday at 15:00", "2026-11-27T15:00:00+01:00"),
    ("U ontvangt op 3 december om 10:00 een mail.", TUE, "op 3 december om 10:00", "2026-12-03T10:00:00+01:00"),
    ("Morgen bel ik je om 10 uur.", TUE, "Morgen bel ik je om 10 uur", "2026-11-25T10:00:00+01:00"),
    ("We bellen je morgen 10:00.", TUE, "morgen 10:00", "2026-11-25T10:00:00+01:00"),
    ("De monteur komt morgen tussen 8:00 en 12:00.", TUE, "morgen tussen 8:00 en 12:00",
     "2026-11-25T08:00:00+01:00"),
    ("De monteur komt donderdag tussen 8 en 12.", TUE, "donderdag tussen 8 en 12", "2026-11-26T08:00:00+01:00"),
    ("I'll email you tomorrow 12:00 to confirm.", TUE, "tomorrow 12:00", "2026-11-25T12:00:00+01:00"),  # "to" is no range
    ("Morgen om 10 uur bel ik u.", DST_SAT, "Morgen om 10 uur", "2026-03-29T10:00:00+02:00"),
    ("Morgen om 10 uur bel ik u.", DST_OCT, "Morgen om 10 uur", "2026-10-25T10:00:00+01:00"),
    ("Vandaag om 9 uur is het gelukt.", TUE, "Vandaag om 9 uur", "2026-11-24T09:00:00+01:00"),  # past stays
    ("We bellen je dinsdag om 9:00.", TUE, "dinsdag om 9:00", "2026-12-01T09:00:00+01:00"),  # next week
    ("We bellen je dinsdag om 11:00.", TUE, "dinsdag om 11:00", "2026-11-24T11:00:00+01:00"),
]
HOURS_AND_MINUTES = [
    # binnen N uur, within/in N hours, over N uur -> at + N hours (absolute)
    ("We bellen je binnen 2 uur.", TUE, "binnen 2 uur", "2026-11-24T12:15:00+01:00"),
    ("We bellen je binnen twee uur.", TUE, "binnen twee uur", "2026-11-24T12:15:00+01:00"),
    ("We'll call you within 3 hours.", TUE, "within 3 hours", "2026-11-24T13:15:00+01:00"),
    ("We'll call you in 4 hours.", TUE, "in 4 hours", "2026-11-24T14:15:00+01:00"),
    ("We bellen je over 2 uur.", TUE, "over 2 uur", "2026-11-24T12:15:00+01:00"),
    ("Je krijgt binnen 24 uur een bevestiging.", DST_SAT, "binnen 24 uur", "2026-03-29T13:00:00+02:00"),
    ("Je krijgt binnen 24 uur een bevestiging.", DST_OCT, "binnen 24 uur", "2026-10-25T11:00:00+01:00"),
    ("You'll get it within twenty-four hours.", TUE, "within twenty-four hours", "2026-11-25T10:15:00+01:00"),
    # binnen een uur, within an hour, over een uur, in an hour -> at + 1 hour
    ("Die belt je binnen een uur.", TUE, "binnen een uur", "2026-11-24T11:15:00+01:00"),
    ("Die belt je binnen één uur.", TUE, "binnen één uur", "2026-11-24T11:15:00+01:00"),
    ("Die belt je binnen het uur.", TUE, "binnen het uur", "2026-11-24T11:15:00+01:00"),
    ("We'll call you within an hour.", TUE, "within an hour", "2026-11-24T11:15:00+01:00"),
    ("We'll call you within the hour.", TUE, "within the hour", "2026-11-24T11:15:00+01:00"),
    ("We bellen je over een uur.", TUE, "over een uur", "2026-11-24T11:15:00+01:00"),
    ("We'll call you in an hour.", TUE, "in an hour", "2026-11-24T11:15:00+01:00"),
    ("Die belt je binnen een half uur.", TUE, "binnen een half uur", "2026-11-24T10:45:00+01:00"),
    ("We'll call you within half an hour.", TUE, "within half an hour", "2026-11-24T10:45:00+01:00"),
    ("Die belt je binnen anderhalf uur.", TUE, "binnen anderhalf uur", "2026-11-24T11:45:00+01:00"),
    # binnen N minuten, within N minutes -> at + N minutes
    ("We bellen je binnen 30 minuten.", TUE, "binnen 30 minuten", "2026-11-24T10:45:00+01:00"),
    ("We bellen je binnen dertig minuten.", TUE, "binnen dertig minuten", "2026-11-24T10:45:00+01:00"),
    ("We'll call you within 15 minutes.", TUE, "within 15 minutes", "2026-11-24T10:30:00+01:00"),
    ("We'll call you within forty-five minutes.", TUE, "within forty-five minutes", "2026-11-24T11:00:00+01:00"),
    ("We bellen je binnen een kwartier.", TUE, "binnen een kwartier", "2026-11-24T10:30:00+01:00"),
    ("We bellen je over 10 min.", TUE, "over 10 min", "2026-11-24T10:25:00+01:00"),
]
BUSINESS_DAYS = [
    # binnen N werkdagen, within N business/working days -> at + N business days
    ("Je hebt hem binnen 2 werkdagen in huis.", TUE, "binnen 2 werkdagen", "2026-11-26T10:15:00+01:00"),
    ("Je hebt hem binnen twee werkdagen.", FRI, "binnen twee werkdagen", "2026-12-01T14:00:00+01:00"),
    ("Binnen 3 werkdagen ligt hij er.", "2026-03-28T15:10:00+01:00", "Binnen 3 werkdagen",
     "2026-04-02T09:00:00+02:00"),  # Saturday: counted from Monday 09:00, across the DST change
    ("Binnen 1 werkdag belt een collega.", "2026-04-02T15:30:00+02:00", "Binnen 1 werkdag",
     "2026-04-07T15:30:00+02:00"),  # Good Friday, Easter Monday
    ("Binnen een werkdag belt een collega.", "2026-04-24T11:00:00+02:00", "Binnen een werkdag",
     "2026-04-28T11:00:00+02:00"),  # King's Day
    ("Een collega belt u binnen 2 werkdagen.", "2026-05-13T16:15:00+02:00", "binnen 2 werkdagen",
     "2026-05-18T16:15:00+02:00"),  # Ascension Day
    ("Ze worden binnen 3 werkdagen bezorgd.", "2026-12-23T16:05:00+01:00", "binnen 3 werkdagen",
     "2026-12-29T16:05:00+01:00"),  # Christmas
    ("Binnen vijf werkdagen teruggestort.", "2026-09-15T09:45:00+02:00", "Binnen vijf werkdagen",
     "2026-09-22T09:45:00+02:00"),
    ("Binnen 1 werkdag.", "2026-11-24T07:30:00+01:00", "Binnen 1 werkdag", "2026-11-25T09:00:00+01:00"),
    ("Binnen 1 werkdag.", "2026-11-24T18:00:00+01:00", "Binnen 1 werkdag", "2026-11-26T09:00:00+01:00"),
    ("Refund within 3 business days.", TUE, "within 3 business days", "2026-11-27T10:15:00+01:00"),
    ("Refund within one working day.", FRI, "within one working day", "2026-11-30T14:00:00+01:00"),
    ("Binnen 2-3 werkdagen.", TUE, "Binnen 2-3 werkdagen", "2026-11-27T10:15:00+01:00"),  # upper bound
    ("Binnen 2 à 3 werkdagen.", TUE, "Binnen 2 à 3 werkdagen", "2026-11-27T10:15:00+01:00"),
]
CALENDAR_DAYS = [
    # binnen N dagen, within N days -> at + N calendar days, same wall-clock time
    ("Binnen 2 dagen heb je hem.", DST_SAT, "Binnen 2 dagen", "2026-03-30T12:00:00+02:00"),
    ("Binnen 2 dagen heb je hem.", TUE, "Binnen 2 dagen", "2026-11-26T10:15:00+01:00"),
    ("Your refund will be in your account within 14 days.", "2026-01-20T15:35:00+01:00", "within 14 days",
     "2026-02-03T15:35:00+01:00"),
    ("You'll have it in 3 days.", DST_OCT, "in 3 days", "2026-10-27T12:00:00+01:00"),
    ("Binnen een week heb je hem.", TUE, "Binnen een week", "2026-12-01T10:15:00+01:00"),
    ("Binnen 2 weken heb je hem.", TUE, "Binnen 2 weken", "2026-12-08T10:15:00+01:00"),
    ("You'll get it within a week.", TUE, "within a week", "2026-12-01T10:15:00+01:00"),
]
WEEKS = [
    # deze week ... -> Friday of this week EOD (on a weekend: the next Friday)
    ("We betalen het deze week.", TUE, "deze week", "2026-11-27T17:00:00+01:00"),
    ("We betalen het deze week.", FRI, "deze week", "2026-11-27T17:00:00+01:00"),
    ("We betalen het deze week.", SAT, "deze week", "2026-12-04T17:00:00+01:00"),
    ("We betalen het deze week.", SUN, "deze week", "2026-12-04T17:00:00+01:00"),
    ("Voor het einde van de week.", TUE, "Voor het einde van de week", "2026-11-27T17:00:00+01:00"),
    ("Aan het eind van de week.", TUE, "Aan het eind van de week", "2026-11-27T17:00:00+01:00"),
    ("Eind van de week.", TUE, "Eind van de week", "2026-11-27T17:00:00+01:00"),
    ("Eind deze week.", TUE, "Eind deze week", "2026-11-27T17:00:00+01:00"),
    ("Later deze week.", TUE, "Later deze week", "2026-11-27T17:00:00+01:00"),
    ("You'll have it this week.", TUE, "this week", "2026-11-27T17:00:00+01:00"),
    ("You'll have it by the end of the week.", TUE, "by the end of the week", "2026-11-27T17:00:00+01:00"),
    ("You'll have it later this week.", TUE, "later this week", "2026-11-27T17:00:00+01:00"),
    ("Vóór het weekend.", TUE, "Vóór het weekend", "2026-11-27T17:00:00+01:00"),
    # volgende week, next week -> Friday of next week EOD
    ("De monteur komt volgende week.", TUE, "volgende week", "2026-12-04T17:00:00+01:00"),
    ("De monteur komt komende week.", TUE, "komende week", "2026-12-04T17:00:00+01:00"),
    ("De monteur komt volgende week.", SAT, "volgende week", "2026-12-04T17:00:00+01:00"),
    ("The engineer comes next week.", TUE, "next week", "2026-12-04T17:00:00+01:00"),
    ("Eind volgende week.", TUE, "Eind volgende week", "2026-12-04T17:00:00+01:00"),
    ("De monteur komt volgende week.", "2026-03-24T10:00:00+01:00", "volgende week", "2026-04-03T17:00:00+02:00"),
]
DATES = [
    # a calendar date -> that date EOD (this year, or next year if already past)
    ("U ontvangt op 3 december een afrekening.", TUE, "op 3 december", "2026-12-03T17:00:00+01:00"),
    ("Verwacht hem 3 december.", TUE, "3 december", "2026-12-03T17:00:00+01:00"),
    ("Verwacht hem 3 dec.", TUE, "3 dec", "2026-12-03T17:00:00+01:00"),
    ("Expect it on December 3rd.", TUE, "on December 3rd", "2026-12-03T17:00:00+01:00"),
    ("Expect it December 3.", TUE, "December 3", "2026-12-03T17:00:00+01:00"),
    ("Expect it on the 3rd of December.", TUE, "3rd of December", "2026-12-03T17:00:00+01:00"),
    ("Verwacht hem op 3/12.", TUE, "op 3/12", "2026-12-03T17:00:00+01:00"),
    ("Verwacht hem 03-12.", TUE, "03-12", "2026-12-03T17:00:00+01:00"),
    ("Verwacht hem 3 november.", TUE, "3 november", "2027-11-03T17:00:00+01:00"),  # past: next year
    ("Verwacht hem 24 november.", TUE, "24 november", "2026-11-24T17:00:00+01:00"),  # today
    ("Verwacht hem 3 december 2027.", TUE, "3 december 2027", "2027-12-03T17:00:00+01:00"),
    ("Verwacht hem 3/12/2026.", TUE, "3/12/2026", "2026-12-03T17:00:00+01:00"),
    ("Verwacht hem op 1 april.", "2026-03-20T10:00:00+01:00", "op 1 april", "2026-04-01T17:00:00+02:00"),
    ("Donderdag 3 december komt hij.", TUE, "Donderdag 3 december", "2026-12-03T17:00:00+01:00"),
    ("Verwacht hem 5 januari.", TUE, "5 januari", "2027-01-05T17:00:00+01:00"),
    # a past week in front of a day named from today is what the object belongs to
    ("We laden je data van de afgelopen week vanavond in.", TUE, "vanavond", "2026-11-24T21:00:00+01:00"),
]

ALL_ROWS = (TODAY_EOD + TODAY_MORNING_EVENING + TOMORROW + WEEKDAYS + CLOCK_ALONE + DAY_AND_TIME
            + HOURS_AND_MINUTES + BUSINESS_DAYS + CALENDAR_DAYS + WEEKS + DATES)


@pytest.mark.parametrize(("text", "at", "span", "expected"), ALL_ROWS)
def test_resolution_table(text: str, at: str, span: str, expected: str) -> None:
    assert one(text, at) == (span, expected)


@pytest.mark.parametrize(
    "text",
    [
        # vague: no explicit time
        "We nemen zo snel mogelijk contact met je op.",
        "Ik stuur je straks een bericht.",
        "We bellen je zo terug.",
        "We'll get back to you asap.",
        "We'll call you back soon.",
        "We'll be in touch shortly.",
        "We bellen je terug.",
        # names of days and past or starting moments
        "Op Black Friday worden sommige bestellingen geannuleerd.",
        "Cyber Monday deals!",
        "Op Goede Vrijdag zijn we gesloten.",
        "Stille Zaterdag en Witte Donderdag ook.",
        "Het spijt me dat je al sinds zaterdag niet bij je geld kunt.",
        "It hasn't worked since Monday.",
        "Vanaf vrijdag geldt het nieuwe tarief.",
        "Tot vrijdag!",
        "De actie loopt t/m vrijdag.",
        "The offer runs until Friday.",
        "Valid till Friday.",
        "From Monday the shop opens later.",
        "Afgelopen vrijdag ging het mis.",
        "Vorige vrijdag ging het mis.",
        "Last Friday it went wrong.",
        "Vorige week vrijdag ging het mis.",
        "Gisteren ging het mis.",
        "Vanaf morgen om 10 uur kun je weer inloggen.",
        "We zijn maandag t/m vrijdag bereikbaar.",
        "We zijn open van maandag tot vrijdag.",
        "We're open Monday to Friday.",
        "Elke maandag komt de glazenwasser.",
        "Wat je in de feestperiode koopt, kan tot 31 januari geruild worden.",
        "Geldig vanaf 1 januari.",
        "Sinds 3 december werkt het niet.",
        "De actie loopt tot eind augustus.",
        "Op Koningsdag zijn de meeste winkels open.",
        "Fijne zondag!",
        "Goedemorgen meneer De Groot.",
        # numbers that are no times
        "Hij belt je om een tijd af te spreken.",
        "Dat doen we om 3 redenen.",
        "We zijn 24/7 bereikbaar.",
        "Je belde 4 uur geleden.",
        "You called 3 hours ago.",
        "Ik heb 40 minuten gewacht.",
        "Haha, 3 uur, dan ken je de wachtmuziek wel.",
        "De afhandeling duurt maximaal 4 weken.",
        "Reizen tot 180 dagen.",
        "Een klacht over 3 uur wachten.",
        "Het is niet normaal om een uur in de wacht te staan.",
        "Binnen een paar dagen, binnen enkele dagen.",
        "Levertijd 2-3 dagen.",
        "Levertijd tussen 2 en 3 dagen.",
        "Het kost tussen 10 en 15 euro.",
        "We hebben 12 pakketten en 8 retouren.",
        "Per 10 euro krijg je 1 zegel.",
        "Het kost €15.00 per maand.",
        "Versie 1.2.3 van de app.",
        "Hold the WPS button for 5 seconds, see page 4.",
    ],
)
def test_no_time_expression(text: str) -> None:
    assert find_time_expressions(text) == []


def test_bare_hours_are_no_clock_time() -> None:
    assert due("Vandaag 2 uur gewacht.", TUE) == [("Vandaag", "2026-11-24T17:00:00+01:00")]


def test_spans_index_the_original_text() -> None:
    text = "Hoi Émre, we bezorgen ze vóór 16:00 en binnen 2 werkdagen; uiterlijk donderdag of op 3 december."
    found = find_time_expressions(text)
    assert [text[e.start : e.end] for e in found] == [e.text for e in found]
    assert [e.text for e in found] == ["vóór 16:00", "binnen 2 werkdagen", "uiterlijk donderdag", "op 3 december"]


def test_several_expressions_sorted_and_apart() -> None:
    text = "Vandaag om 15:00 en morgen om 10:00 bellen we, en binnen 3 werkdagen storten we het terug."
    assert due(text, TUE) == [
        ("Vandaag om 15:00", "2026-11-24T15:00:00+01:00"),
        ("morgen om 10:00", "2026-11-25T10:00:00+01:00"),
        ("binnen 3 werkdagen", "2026-11-27T10:15:00+01:00"),
    ]


def test_due_moments_are_in_the_team_time_zone() -> None:
    at = datetime.fromisoformat("2026-11-24T09:15:00+00:00")  # 10:15 in Amsterdam
    (expression,) = find_time_expressions("binnen 2 uur")
    result = expression.resolve(at, CAL)
    assert result.tzinfo == CAL.timezone
    assert result.isoformat() == "2026-11-24T12:15:00+01:00"


def _dev_items() -> list[dict]:
    if not DEV.exists():
        pytest.skip(f"{DEV} is absent")
    return [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_dev_set_explicit_deadlines() -> None:
    """Every explicit due in the labelled drafts comes from an expression in that draft."""
    checked = 0
    for item in _dev_items():
        dues = {moment for _, moment in due(item["draft"], item["at"])}
        for promise in item["promises"]:
            if promise["explicit"]:
                assert promise["due"] in dues, (item["id"], promise["due"], dues)
                checked += 1
    assert checked > 0


@pytest.mark.parametrize(
    ("item_id", "expected"),
    [
        ("dev-001", []),  # "tot 31 januari"
        ("dev-010", []),  # "Black Friday"
        ("dev-025", ["vrijdag om 14:30"]),  # not "maximaal 4 weken"
        ("dev-032", []),  # "Koningsdag"
        ("dev-072", []),  # "tot eind augustus"
    ],
)
def test_dev_set_non_matches(item_id: str, expected: list[str]) -> None:
    (item,) = [i for i in _dev_items() if i["id"] == item_id]
    assert [e.text for e in find_time_expressions(item["draft"])] == expected
