"""What the coach says in chat about promises, feedback and reminders, the same on every
platform. `{…}` fields are filled in by the flow; platforms add only their mark-up."""

from __future__ import annotations

from bot.labels import language_of

TEXT = {
    "nl": {
        "done": "✅ Gelogd: callback gedaan ({id}). Er komen geen herinneringen meer.",
        "cancelled": "Geschrapt: {id} was geen belofte. Er komen geen herinneringen meer.",
        "due": "Nieuwe tijd voor {id}: uiterlijk {due}.",
        "unknown": "Geen open belofte met id {id}.",
        "bad_time": "Geen tijd gevonden in “{when}”: probeer bijvoorbeeld `morgen 10:00` of `vrijdag`.",
        "not_yours": ("Dat mag niet: belofte {id} is in een ander kanaal gedaan. Log hem daar, of vraag een "
                      "teamleider."),
        "thanks": "Dank je, je feedback is bewaard.",
        "bad_feedback": "Die bevinding ken ik niet (meer); je feedback is niet bewaard.",
        "none": "Je hebt geen open beloftes.",
        "open": "Je open beloftes:",
        "overdue": " (te laat)",
        "usage": ("Gebruik: `/callback` (je open beloftes), `/callback done <id>`, `/callback cancel <id>`, "
                  "`/callback due <id> <tijd>`."),
        "reminder_title": "⏰ Herinnering",
        "escalation_title": "🚨 Escalatie",
        "reminder": "{agent}, je beloofde “{text}”, uiterlijk {due}. Is het gelukt?",
        "escalation": "De belofte “{text}” van {agent} (uiterlijk {due}) is na {count} herinneringen nog niet gedaan.",
        "for": "Voor {to}",
        "callback_done": "Callback gedaan",
        "promise_cancel": "Geen belofte",
        "move_hint": "Andere tijd? `/callback due {id} morgen 10:00`",
    },
    "en": {
        "done": "✅ Logged: callback done ({id}). No more reminders.",
        "cancelled": "Dropped: {id} was not a promise. No more reminders.",
        "due": "New time for {id}: by {due}.",
        "unknown": "No open promise with id {id}.",
        "bad_time": "No time found in “{when}”: try e.g. `tomorrow 10:00` or `Friday`.",
        "not_yours": "Not allowed: promise {id} was made in another channel. Log it there, or ask a team lead.",
        "thanks": "Thanks, your feedback is saved.",
        "bad_feedback": "I don't know that finding (any more); your feedback was not saved.",
        "none": "You have no open promises.",
        "open": "Your open promises:",
        "overdue": " (overdue)",
        "usage": ("Use: `/callback` (your open promises), `/callback done <id>`, `/callback cancel <id>`, "
                  "`/callback due <id> <time>`."),
        "reminder_title": "⏰ Reminder",
        "escalation_title": "🚨 Escalation",
        "reminder": "{agent}, you promised “{text}”, by {due}. Done?",
        "escalation": "The promise “{text}” by {agent} (by {due}) is still not done after {count} reminders.",
        "for": "For {to}",
        "callback_done": "Callback done",
        "promise_cancel": "Not a promise",
        "move_hint": "Another time? `/callback due {id} tomorrow 10:00`",
    },
}


def say(language: str, key: str, **values: object) -> str:
    """The coach's line `key` in the team's language, its fields filled in."""
    return TEXT[language_of(language)][key].format(**values)
