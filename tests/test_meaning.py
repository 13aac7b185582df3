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
]


def _categories(review, draft, customer):
    return {f.category for f in review(draft, customer=customer).findings}


@pytest.mark.parametrize(("category", "case", "draft", "customer"), FLAGGED, ids=[f"{r[0]}-{r[1]}" for r in FLAGGED])
def test_flagged(review, category, case, draft, customer):
    assert category in _categories(review, draft, customer)


@pytest.mark.parametrize(("category", "case", "draft", "customer"), SILENT, ids=[f"{r[0]}-{r[1]}" for r in SILENT])
def test_silent(review, category, case, draft, customer):
    assert category not in _categories(review, draft, customer)
