"""Meaning over stock phrases: whole drafts per category, written fresh (not from the rules'
examples), that must or must not get the category. One row per way of saying it."""

from __future__ import annotations

import pytest

COMPLAINT_NL = "Mijn bestelling is na tien dagen nog steeds niet binnen. Belachelijk!"
COMPLAINT_EN = "My order still hasn't arrived after ten days. Ridiculous."

# (category, case, draft, customer)
FLAGGED = [
    ("blame_shifting", "in handen van",
     "Sorry Ilse, balen! Na de overdracht is je bestelling in handen van de koerier. ^Jo", COMPLAINT_NL),
    ("blame_shifting", "verantwoordelijkheid van",
     "Sorry Ilse, balen! Vanaf het depot wordt het de verantwoordelijkheid van de bezorgdienst. ^Jo", COMPLAINT_NL),
    ("blame_shifting", "juiste adres",
     "Sorry Ilse, balen! Voor een defect ben je bij de producent aan het juiste adres. ^Jo", COMPLAINT_NL),
    ("blame_shifting", "bij hen zijn",
     "Sorry Ilse, balen! Retouren regelt de logistieke partner, dus daarvoor moet je echt bij hen zijn. ^Jo", COMPLAINT_NL),
    ("blame_shifting", "aankloppen",
     "Sorry Ilse, balen! De levering doet de expediteur, dus daar kun je het beste even aankloppen. ^Jo", COMPLAINT_NL),
    ("blame_shifting", "ander team",
     "Sorry Ilse, balen! Wij doen de webshop; bezorging is echt een andere afdeling. ^Jo", COMPLAINT_NL),
    ("blame_shifting", "handled by, contact them",
     "Sorry Sam, that's frustrating. Deliveries are managed by our logistics partner, so you'll have to contact them. ^Amy", COMPLAINT_EN),
    ("blame_shifting", "different department",
     "Sorry Sam, that's frustrating. Delivery is a separate team, I'm afraid. ^Amy", COMPLAINT_EN),
    ("condescension", "had kunnen nalezen",
     "Sorry Ilse, balen! De levertijd had je bij het afrekenen kunnen nalezen. ^Jo", COMPLAINT_NL),
    ("condescension", "staat er zwart op wit",
     "Sorry Ilse, balen! Tien werkdagen, het staat er toch zwart op wit. ^Jo", COMPLAINT_NL),
    ("condescension", "first paragraph",
     "Sorry Ilse, balen! De levertijd staat gewoon in de eerste regel van je bevestiging. ^Jo", COMPLAINT_NL),
    ("condescension", "every day the same question",
     "Sorry Ilse, balen! Die vraag krijgen we echt iedere dag. De levertijd is tien werkdagen. ^Jo", COMPLAINT_NL),
    ("condescension", "not so difficult",
     "Sorry Ilse, balen! Zo lastig is het echt niet, je volgt de track & trace gewoon in de app. ^Jo", COMPLAINT_NL),
    ("condescension", "right there, English",
     "Sorry Sam, that's frustrating. Ten working days, it's right there in your confirmation. ^Amy", COMPLAINT_EN),
    ("condescension", "every day, English",
     "Sorry Sam, that's frustrating. We get this question every day: delivery takes ten working days. ^Amy", COMPLAINT_EN),
    ("commercial_pitch", "our product plus benefit",
     "Sorry Ilse, balen! Met onze Express-bundel wordt je bestelling voortaan altijd binnen een dag bezorgd. ^Jo", COMPLAINT_NL),
    ("commercial_pitch", "switch to ours",
     "Sorry Ilse, balen! Stap dan voortaan over op ons Snel-abonnement, dan heb je nergens last van. ^Jo", COMPLAINT_NL),
    ("commercial_pitch", "try ours",
     "Sorry Ilse, wat vervelend! Probeer voortaan eens onze Zeker-verzekering voor je bestellingen. ^Jo", COMPLAINT_NL),
    ("commercial_pitch", "named product plus benefit, English",
     "Sorry Sam, that's frustrating. With ShipFast Plus you never pay for express delivery. ^Amy", COMPLAINT_EN),
    ("commercial_pitch", "switch to ours, English",
     "Sorry Sam, that's frustrating. Switch to our Priority subscription and skip the queue. ^Amy", COMPLAINT_EN),
    ("missing_empathy", "an apology only",
     "Sorry Ilse. Je bestelling wordt morgen voor 12:00 bezorgd. ^Jo", COMPLAINT_NL),
    ("missing_empathy", "an apology only, English",
     "Sorry Sam. Your order will be delivered tomorrow before noon. ^Amy", COMPLAINT_EN),
    ("missing_next_step", "only information",
     "Sorry Ilse, balen! Drukte in de magazijnen zorgt deze maand vaker voor vertraging. ^Jo", COMPLAINT_NL),
    ("no_deadline", "asap is no time",
     "Sorry Ilse, balen! We versturen de ontbrekende lamp zo snel mogelijk. ^Jo", COMPLAINT_NL),
    ("no_deadline", "a promise on a condition, no time",
     "Sorry Ilse, balen! Stuur je ons een foto? Dan regelen we een vervangende lamp. ^Jo", COMPLAINT_NL),
    ("no_deadline", "finding out, then telling, no time",
     "Sorry Ilse, balen! We zoeken uit waar hij is en laten het je weten. ^Jo", COMPLAINT_NL),
    ("no_deadline", "English, no time",
     "Sorry Sam, that's frustrating. A courier will get it to you. ^Amy", COMPLAINT_EN),
    ("empty_promise", "taking it along, inverted",
     "Sorry Ilse, balen! Dat de levertijd op de site niet klopte, nemen we zeker mee. ^Jo", COMPLAINT_NL),
    ("empty_promise", "finding out and contact without a time",
     "Sorry Ilse, balen! We gaan uitzoeken waar het misging en nemen daarna contact met je op. ^Jo", COMPLAINT_NL),
    ("empty_promise", "finding out, English",
     "Sorry Sam, that's frustrating. We'll work out what happened and get back to you. ^Amy", COMPLAINT_EN),
]
SILENT = [
    ("blame_shifting", "we contact the carrier ourselves",
     "Sorry Ilse, balen! Ik neem vandaag contact op met de koerier en app je voor 17:00 waar je pakket is. ^Jo", COMPLAINT_NL),
    ("blame_shifting", "where the parcel is",
     "Sorry Ilse, balen! Je pakket ligt nu bij de vervoerder en komt morgen tussen 9:00 en 12:00. ^Jo", COMPLAINT_NL),
    ("blame_shifting", "we are the right address",
     "Sorry Ilse, balen! Daarvoor ben je bij ons aan het juiste adres: stuur je ons een DM met je ordernummer? ^Jo", COMPLAINT_NL),
    ("blame_shifting", "we ask another team ourselves",
     "Sorry Sam, that's frustrating. I've asked a different team to check it and I'll update you by 3pm. ^Amy", COMPLAINT_EN),
    ("condescension", "where to find it",
     "Sorry Ilse, balen! Je track & trace staat in je bevestigingsmail; ik kijk intussen zelf mee. ^Jo", COMPLAINT_NL),
    ("condescension", "an FAQ because it is asked often",
     "Sorry Ilse, balen! Deze vraag krijgen we vaker, daarom staat de levertijd nu ook in de app. ^Jo", COMPLAINT_NL),
    ("condescension", "where in the contract, English",
     "Sorry Sam, that's frustrating. You'll find the delivery time in your confirmation under Details. ^Amy", COMPLAINT_EN),
    ("commercial_pitch", "compensation",
     "Sorry Ilse, balen! Als goedmaker krijg je drie maanden ons Express-abonnement gratis. ^Jo", COMPLAINT_NL),
    ("commercial_pitch", "a train to change to",
     "Sorry Ilse, balen! Stap in Utrecht over op de intercity van 14:12, die rijdt wel. ^Jo", COMPLAINT_NL),
    ("commercial_pitch", "compensation, English",
     "Sorry Sam, that's frustrating. We've added three free months of Plus to your account to make up for it. ^Amy", COMPLAINT_EN),
    ("missing_empathy", "a bad day",
     "Sorry Ilse, wat een rotweek voor je! Je bestelling wordt morgen voor 12:00 bezorgd. ^Jo", COMPLAINT_NL),
    ("missing_empathy", "bad luck",
     "Sorry Ilse, wat een stomme pech. Je bestelling wordt morgen voor 12:00 bezorgd. ^Jo", COMPLAINT_NL),
    ("missing_empathy", "wearing",
     "Sorry Ilse, tien dagen wachten is zenuwslopend. Je bestelling wordt morgen voor 12:00 bezorgd. ^Jo", COMPLAINT_NL),
    ("missing_empathy", "can imagine",
     "Sorry Ilse, ik kan me goed indenken dat je er klaar mee bent. Morgen voor 12:00 is hij er. ^Jo", COMPLAINT_NL),
    ("missing_empathy", "a real pain, English",
     "Sorry Sam, ten days of waiting is a real pain. Your order arrives tomorrow before noon. ^Amy", COMPLAINT_EN),
    ("missing_empathy", "not what you planned, English",
     "So sorry Sam, that's not the week you had planned. Your order arrives tomorrow before noon. ^Amy", COMPLAINT_EN),
    ("missing_empathy", "gutting, English",
     "Sorry Sam, that's gutting after ten days. Your order arrives tomorrow before noon. ^Amy", COMPLAINT_EN),
    ("missing_next_step", "a question with a negation",
     "Sorry Ilse, balen! Zie je de bestelling ook niet onder Mijn bestellingen? ^Jo", COMPLAINT_NL),
    ("missing_next_step", "advice",
     "Sorry Ilse, balen! Het handigste is om de track & trace in de app te volgen. ^Jo", COMPLAINT_NL),
    ("missing_next_step", "on its way",
     "Sorry Ilse, balen! Er is al een vervangend pakket naar je onderweg. ^Jo", COMPLAINT_NL),
    ("missing_next_step", "a replacement arranged by someone for us",
     "Sorry Ilse, balen! Mijn collega van de webshop regelt een nieuwe. ^Jo", COMPLAINT_NL),
    ("missing_next_step", "still valid",
     "Sorry Ilse, balen! Je kortingscode blijft gewoon geldig voor een nieuwe bestelling. ^Jo", COMPLAINT_NL),
    ("missing_next_step", "alternative transport",
     "Sorry Ilse, balen! Er rijden pendelbussen vanaf het station. ^Jo", COMPLAINT_NL),
    ("missing_next_step", "sending it asap",
     "Sorry Ilse, balen! We versturen de ontbrekende lamp zo snel mogelijk. ^Jo", COMPLAINT_NL),
    ("missing_next_step", "instead, English",
     "Sorry Sam, that's frustrating. Grab the 9:40 bus from stop B instead. ^Amy", COMPLAINT_EN),
    ("missing_next_step", "still valid, English",
     "Sorry Sam, that's frustrating. Your discount code stays valid for a new order. ^Amy", COMPLAINT_EN),
    ("missing_next_step", "on the way, English",
     "Sorry Sam, that's frustrating. A replacement is already on the way. ^Amy", COMPLAINT_EN),
    ("no_deadline", "the time after a dash",
     "Sorry Ilse, balen! We sturen je een nieuwe lamp – vrijdag heb je hem. ^Jo", COMPLAINT_NL),
    ("empty_promise", "finding out, then a call with a time",
     "Sorry Ilse, balen! Ik zoek het uit en bel je morgen voor 12:00 met de uitkomst. ^Jo", COMPLAINT_NL),
]


def _categories(review, draft, customer):
    return {f.category for f in review(draft, customer=customer).findings}


@pytest.mark.parametrize(("category", "case", "draft", "customer"), FLAGGED, ids=[f"{r[0]}-{r[1]}" for r in FLAGGED])
def test_flagged(review, category, case, draft, customer):
    assert category in _categories(review, draft, customer)


@pytest.mark.parametrize(("category", "case", "draft", "customer"), SILENT, ids=[f"{r[0]}-{r[1]}" for r in SILENT])
def test_silent(review, category, case, draft, customer):
    assert category not in _categories(review, draft, customer)
