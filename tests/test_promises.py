"""Promises in whole drafts: what is and is not a commitment, and its due moment.

(Every row of the deadline table is tested on its own in test_timeexpr.py.)
"""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.conftest import AMSTERDAM

AT = datetime(2026, 11, 25, 14, 0, tzinfo=AMSTERDAM)  # a Wednesday


@pytest.mark.parametrize(
    ("draft", "expected"),
    [
        ("Ik bel je morgen om 10 uur.", [("2026-11-26T10:00:00+01:00", True, "callback")]),
        ("Morgen om 10 uur bellen we je.", [("2026-11-26T10:00:00+01:00", True, "callback")]),
        ("We storten het vandaag terug en een collega belt je nog.",
         [("2026-11-25T17:00:00+01:00", True, "refund"), ("2026-11-26T14:00:00+01:00", False, "callback")]),
        ("Ik bel je morgen om 10 uur, komt dat uit?", [("2026-11-26T10:00:00+01:00", True, "callback")]),
        ("Stuur je ons een DM? Dan pas ik het vrijdag voor je aan.", [("2026-11-27T17:00:00+01:00", True, "followup")]),
        ("Je nieuwe pas ligt binnen 3 werkdagen in je brievenbus.", [("2026-11-30T14:00:00+01:00", True, "followup")]),
        ("Het bedrag wordt binnen 5 werkdagen teruggestort.", [("2026-12-02T14:00:00+01:00", True, "refund")]),
        ("Een collega neemt zo snel mogelijk contact met je op.", [("2026-11-26T14:00:00+01:00", False, "callback")]),
        ("We'll call you back within 2 hours.", [("2026-11-25T16:00:00+01:00", True, "callback")]),
        ("The engineer will come on Friday.", [("2026-11-27T17:00:00+01:00", True, "visit")]),
        ("You'll hear from us soon.", [("2026-11-26T14:00:00+01:00", False, "followup")]),
        ("U krijgt het bedrag zo snel mogelijk terugbetaald.", [("2026-11-26T14:00:00+01:00", False, "refund")]),
        ("Je krijgt het geld terug, dat staat er vandaag nog op.", [("2026-11-25T17:00:00+01:00", True, "refund")]),
        ("Our billing team will get back to you.", [("2026-11-26T14:00:00+01:00", False, "followup")]),
        # what we tell ("delen wij u mede") is its own clause, its "dat" included
        ("Naar aanleiding van uw melding delen wij u mede dat u morgen een nieuw exemplaar ontvangt.",
         [("2026-11-26T17:00:00+01:00", True, "followup")]),
        ("We halen je oude machine alsnog gratis op: maandag voor 13:00.", [("2026-11-30T13:00:00+01:00", True, "followup")]),
        ("Mijn collega belt u uiterlijk donderdag en maakt de uitkering vrijdag aan u over.",
         [("2026-11-26T17:00:00+01:00", True, "callback"), ("2026-11-27T17:00:00+01:00", True, "followup")]),
        # a later "dan regel ik het" with a time says when the promise before it happens: one promise
        ("Ik pas je abonnement graag voor je aan: stuur je me een DM? Dan regel ik het binnen 2 uur.",
         [("2026-11-25T16:00:00+01:00", True, "followup")]),
        ("Stuur ons je boekingsnummer, dan zoek ik een vaste vlucht voor je uit.",
         [("2026-11-26T14:00:00+01:00", False, "followup")]),
        # "en" and a plural verb with its object goes on with our subject, with a time of its own
        ("Wij storten het bedrag uiterlijk vrijdag terug en verwerken uw opzegging vandaag nog.",
         [("2026-11-27T17:00:00+01:00", True, "refund"), ("2026-11-25T17:00:00+01:00", True, "followup")]),
        # "en" and a longer subject ("een collega van het porteringsteam") opens a clause
        ("Ik heb je aanvraag opnieuw ingediend en een collega van het porteringsteam belt je straks terug.",
         [("2026-11-26T14:00:00+01:00", False, "callback")]),
        # "… en donderdag heb je hem in huis" says when what we send arrives: one promise
        ("We sturen er een na en donderdag heb je hem in huis.", [("2026-11-26T17:00:00+01:00", True, "delivery")]),
        ("Binnen 2 werkdagen hoort u van mij welke vergoeding u krijgt.", [("2026-11-27T14:00:00+01:00", True, "refund")]),
        # a booking for the customer is done; the colleague's mail is the promise
        ("I've put you on the 14:05 flight tomorrow and a colleague will email you the new boarding pass within 2 hours.",
         [("2026-11-25T16:00:00+01:00", True, "message")]),
        # a complaint reaching the right colleague is an empty promise, keeping the customer posted a promise
        ("Ik zorg dat je klacht bij de juiste collega terechtkomt en we houden je op de hoogte.",
         [("2026-11-26T14:00:00+01:00", False, "followup")]),
        ("Klopt dat adres? Dan laat ik het pakket daar terughalen.", [("2026-11-26T14:00:00+01:00", False, "delivery")]),
        ("Ik heb de bezorger gesproken en je pakket staat nu voor maandag 30 november ingepland.",
         [("2026-11-30T17:00:00+01:00", True, "delivery")]),
        ("Je koffer is gevonden. We sturen hem door naar je hotel.", [("2026-11-26T14:00:00+01:00", False, "message")]),
        ("We'll arrange a new delivery and get back to you.",
         [("2026-11-26T14:00:00+01:00", False, "delivery"), ("2026-11-26T14:00:00+01:00", False, "followup")]),
        # a moment that sets it off ("zodra") is no condition for anyone
        ("U ontvangt onverwijld bericht zodra hierover een besluit is genomen.",
         [("2026-11-26T14:00:00+01:00", False, "message")]),
        ("Je krijgt natuurlijk je geld terug.", [("2026-11-26T14:00:00+01:00", False, "refund")]),
        ("Stuur je de bon? Dan storten we het verschil terug: uiterlijk dinsdag heb je het op je rekening.",
         [("2026-12-01T17:00:00+01:00", True, "refund")]),
        ("I'll email you the tracking link tonight so you can follow it every step of the way.",
         [("2026-11-25T21:00:00+01:00", True, "message")]),
        ("I've sent a new one with express delivery: it's at your door by Saturday.",
         [("2026-11-28T17:00:00+01:00", True, "followup")]),
        ("U hoort uiterlijk donderdag 3 december van mij of alles is uitbetaald.",
         [("2026-12-03T17:00:00+01:00", True, "followup")]),
        ("Onze buitendienst komt het straks weghalen.", [("2026-11-26T14:00:00+01:00", False, "followup")]),
        ("De beheerder bekijkt de camerabeelden en belt je binnen 3 werkdagen over de uitkomst.",
         [("2026-11-30T14:00:00+01:00", True, "callback")]),
        ("Is anything inside damaged? Let us know via DM and we'll sort out a replacement.",
         [("2026-11-26T14:00:00+01:00", False, "repair")]),
        # a leading "zodra" without a comma: the main clause starts at "sturen we"
        ("Zodra we meer weten sturen we je een DM.", [("2026-11-26T14:00:00+01:00", False, "message")]),
        ("Ik heb je dossier erbij gepakt en een collega van de afdeling meterstanden belt je morgenochtend.",
         [("2026-11-26T12:00:00+01:00", True, "callback")]),
        ("Je krijgt van ons een nieuwe lamp en je hoort snel van ons!",
         [("2026-11-26T14:00:00+01:00", False, "followup"), ("2026-11-26T14:00:00+01:00", False, "followup")]),
        ("Your refund will be processed shortly.", [("2026-11-26T14:00:00+01:00", False, "refund")]),
        ("Stuur je ons je ordernummer? Dan staat het geld voor de missende producten morgen op je rekening.",
         [("2026-11-26T17:00:00+01:00", True, "refund")]),
        ("Ik zie je nummer staan; de planning belt je daarop terug voor een nieuwe afspraak.",
         [("2026-11-26T14:00:00+01:00", False, "callback")]),
        ("Stuur je ons je klantnummer? Dan stort ik beide bedragen terug.", [("2026-11-26T14:00:00+01:00", False, "refund")]),
        # a clock said apart from its only day is on that day (not tomorrow at 10:00)
        ("Ik heb een nieuwe afspraak gemaakt: maandag komt de monteur als eerste langs, vóór 10:00.",
         [("2026-11-30T10:00:00+01:00", True, "visit")]),
        # "stuur me" after "maar" is the customer's, not a continuation of our negated call
        ("Ik kan je vandaag niet meer terugbellen, maar stuur me een DM en ik reageer binnen een uur.",
         [("2026-11-25T15:00:00+01:00", True, "followup")]),
        ("Wat is je postcode? Dan regel ik dat de bezorger het pakket morgen bij de buren ophaalt.",
         [("2026-11-26T17:00:00+01:00", True, "delivery")]),
        ("Wat is je geboortedatum? Dan reset ik je account.", [("2026-11-26T14:00:00+01:00", False, "repair")]),
        ("Stuur je ons een DM? Dan plant een monteur een afspraak met u in.", [("2026-11-26T14:00:00+01:00", False, "visit")]),
        ("Ik heb het vandaag doorgezet naar de beoordelaar, die je uiterlijk vrijdag een mail stuurt met de uitkomst.",
         [("2026-11-27T17:00:00+01:00", True, "message")]),
        # "to apologise in person" is what she goes to do, not how we feel
        ("I've told the depot manager, and she will call your mum this afternoon to apologise in person.",
         [("2026-11-25T17:00:00+01:00", True, "callback")]),
        # money back is a refund also without a time; a later clause that says when completes it
        ("Je krijgt het volledige bedrag van je kaartje terug.", [("2026-11-26T14:00:00+01:00", False, "refund")]),
        ("Je krijgt het hele bedrag terug. Ik stort het morgen terug op je rekening.",
         [("2026-11-26T17:00:00+01:00", True, "refund")]),
        ("Je krijgt het bedrag terug: het staat zo snel mogelijk op je rekening.",
         [("2026-11-26T14:00:00+01:00", False, "refund")]),
        ("We'll reimburse the taxi: reply with the receipt and the money will be in your account by Friday.",
         [("2026-11-27T17:00:00+01:00", True, "refund")]),
        # on the spot when the customer comes by at the time asked for
        ("Kom je morgen even langs in de winkel? Dan zetten we er gratis een nieuwe band in.",
         [("2026-11-26T17:00:00+01:00", True, "followup")]),
        ("Sander regelt de onderdelen en vrijdag om 10 uur belt Kees je voor een afspraak.",
         [("2026-11-27T10:00:00+01:00", True, "callback")]),
        ("Morgen voor 12 uur staat de uitslag in je portaal.", [("2026-11-26T12:00:00+01:00", True, "followup")]),
        # whoever we called or booked acts for us; a verb after a relative part has the subject before it
        ("Ik heb de vestiging in Zwolle gebeld: zij wisselen de auto vandaag nog om.",
         [("2026-11-25T17:00:00+01:00", True, "followup")]),
        ("De taxi die we voor je hebben geregeld, zet je binnen 45 minuten thuis af.",
         [("2026-11-25T14:45:00+01:00", True, "followup")]),
        ("Stuur je een foto? Dan laat onze schade-expert je maandag weten hoe het verder gaat.",
         [("2026-11-30T17:00:00+01:00", True, "message")]),
        ("Je krijgt de eindafrekening vandaag nog per mail, met een toelichting op alle posten.",
         [("2026-11-25T17:00:00+01:00", True, "message")]),
        ("Vandaag zetten we er een hek omheen en uiterlijk vrijdag is het gat gedicht.",
         [("2026-11-25T17:00:00+01:00", True, "followup"), ("2026-11-27T17:00:00+01:00", True, "followup")]),
        # one visit with two times: the earliest counts; a new one after our correction is when it arrives
        ("De monteur staat voor vandaag bij je ingepland en is er uiterlijk om 16:00.",
         [("2026-11-25T16:00:00+01:00", True, "visit")]),
        ("Wij corrigeren de factuur en u ontvangt binnen 5 werkdagen een nieuwe.",
         [("2026-12-02T14:00:00+01:00", True, "followup")]),
        ("De bedrijfsleider komt zo naar je toe met een tegoedbon.", [("2026-11-26T14:00:00+01:00", False, "followup")]),
        ("Ik heb het servicepunt gebeld en ze geven je pakket vandaag zonder kosten mee.",
         [("2026-11-25T17:00:00+01:00", True, "delivery")]),
        ("Om 16:00 volgt hier een update. De planning van oogheelkunde stuurt je deze week een brief.",
         [("2026-11-25T16:00:00+01:00", True, "message"), ("2026-11-27T17:00:00+01:00", True, "followup")]),
        # what we will confirm is not what we did
        ("We'll post you a copy tomorrow and text you by Friday to confirm it has been sorted.",
         [("2026-11-26T17:00:00+01:00", True, "followup"), ("2026-11-27T17:00:00+01:00", True, "message")]),
        # the part comes in at our place: only the call is a promise
        ("Het onderdeel komt maandag binnen en we bellen je maandag zodra hij klaar is.",
         [("2026-11-30T17:00:00+01:00", True, "callback")]),
        # the time after the colon completes the first; the call after it is a promise of its own
        ("Je offerte ligt klaar: Jasper van ons team mailt hem je om 15:30, en hij belt je morgen.",
         [("2026-11-25T15:30:00+01:00", True, "message"), ("2026-11-26T17:00:00+01:00", True, "callback")]),
        # checking and reporting back on it is one promise, by the time of the check
        ("Morgenochtend check ik de kantine en app ik je of hij er ligt.", [("2026-11-26T12:00:00+01:00", True, "message")]),
        ("Morgenochtend check ik of alles goed staat en stuur ik je een berichtje.", [("2026-11-26T12:00:00+01:00", True, "message")]),
        ("Stuur ons je klantnummer, dan check ik het voor je en laat ik je morgenochtend weten hoe het zit.",
         [("2026-11-26T12:00:00+01:00", True, "message")]),
        # booked in for a time, then who comes: the visit at that time
        ("Ik heb je ingepland op vrijdag om 10:00, dan komt Linda bij je langs.", [("2026-11-27T10:00:00+01:00", True, "visit")]),
        ("Onze vioolbouwer zet er vandaag de nieuwe snaren op.", [("2026-11-25T17:00:00+01:00", True, "followup")]),
        # this customer's money back, from us or by a time, is no habit, also when it goes by itself
        ("U ontvangt uw geld automatisch van ons terug.", [("2026-11-26T14:00:00+01:00", False, "refund")]),
        ("Je krijgt het volledige bedrag binnen 5 dagen automatisch teruggestort.", [("2026-11-30T14:00:00+01:00", True, "refund")]),
    ],
)
def test_promises(review, draft, expected):
    promises = review(draft, at=AT).promises
    assert [(p.due.isoformat(), p.explicit, p.kind) for p in promises] == expected
    assert all(draft[p.start : p.end] == p.text for p in promises)


@pytest.mark.parametrize(
    "draft",
    [
        "Stuur je ons een DM met je ordernummer?",
        "Bel ons gerust als je vragen hebt.",
        "Je kunt morgen in elke winkel terecht.",
        "Onze winkels zijn zondag gesloten.",
        "De actie loopt tot 1 maart.",
        "Je kunt tot 17:00 bellen.",
        "Ik snap dat je nerveus bent voor vandaag.",
        "Mocht u zich benadeeld voelen, dan vinden wij dat jammer.",
        "Ik heb het bedrag teruggestort en je ziet het binnen een paar dagen terug.",  # what the deed brings
        "Grofvuil halen we van maandag tot en met vrijdag op.",
        "Door een storing moesten we vandaag onverwacht sluiten.",
        "Sinds maandag is de storing opgelost.",
        "Op Black Friday worden sommige bestellingen geannuleerd.",
        "Could you DM us your order number?",
        "You can pick it up tomorrow at any store.",
        "We gaan ernaar kijken.",
        "Ik zet het door naar de afdeling.",
        "Je hebt er vaak voor moeten bellen, dat spijt me.",
        "Mila is working today, so I've just shown it to her.",  # who is at work: a state
        "Retouren verwerken we binnen 14 dagen.",  # a bare plural we handle: a term for anyone
        "Aanvragen voor een parkeervergunning handelen wij binnen 8 weken af.",
        "Stuur je ordernummer via DM, dan zoeken we het voor je uit.",  # looking into it: an empty promise
        "Excuses voor de uitval deze week, Jeroen.",  # the customer addressed, not a colleague
        "Alles vind je hier: https://www.shop.nl/klantenservice/verzenden-2026 ^Lies",  # a link's words
        "Ik heb het vanochtend met de chauffeur en zijn leidinggevende besproken.",  # "zijn" is "his"
        "Wij hebben je oude verzekeraar op 20 november netjes op de hoogte gebracht.",  # done, a date long past
        # dealing with it some day: an empty promise
        "Wij hebben uw verzoek ontvangen en zullen dit zo spoedig mogelijk in behandeling nemen.",
        "Please be advised that refunds shall be issued within the applicable processing period.",  # a term
        "Zoals in onze retourvoorwaarden staat, worden retouren binnen 14 dagen verwerkt.",
        "Netbeheerder Stedin is ter plaatse en verwacht de stroom rond 11:00 terug.",  # someone outside, not our "beheerder"
        "U dient nog een berekening aan te leveren alvorens wij een besluit kunnen nemen.",  # "alvorens …": no subject of the main clause
        "I know how much it matters with a birthday tomorrow.",  # what we know, not what we do
        "Hoi Petra, de meeste claims handelen we binnen 10 werkdagen af.",  # most claims: a term
        "Our warehouse expects new stock on Thursday.",  # expected, not promised
        # a compliment reaching the right person is no follow-up to the customer
        "Weet je nog hoe ze heette? Dan zorgen we dat het compliment bij de juiste persoon landt.",
        "Uw klacht is doorgestuurd naar de afdeling Facturatie, die er zo spoedig mogelijk naar zal kijken.",
        # what follows from how something works
        "Het saldo wordt elke nacht bijgewerkt, dus een betaling van vandaag zie je morgenochtend terug.",
        "Je geld is gisteren teruggestort; afhankelijk van je bank zie je het binnen 2 werkdagen.",  # the bank's doing
        "Zet de router uit en weer aan en je bent binnen 5 minuten weer online.",  # what the instruction brings
        "Bij meer dan 30 minuten vertraging krijg je de helft van je ritprijs terug.",  # a rule for anyone
        "Ik bel nu even met de werkplaats in Zwolle.",  # a call to someone of ours, not to the customer
        "Tip: de sneldienst van 17:45 vaart deze week wel.",  # a timetabled service runs, nobody promises
        "In onze winkel in Tilburg heb ik vrijdag om 10:00 nog een plek vrij.",  # a free slot offered
        "Dat lossen we op! Ik heb de dubbele bestelling geannuleerd.",  # the fix, told done
        "Wel kan ik je ticket gratis omboeken naar morgen: zal ik dat voor je doen?",  # an offer, asked
        "Maandag zijn al onze winkels gewoon weer open vanaf 10:00.",  # opening hours
        "Ik heb een nieuw label voor je aangemaakt, dat staat nu in je mailbox.",  # there already
    ],
)
def test_not_promises(review, draft):
    assert review(draft, at=AT).promises == []


def test_a_promise_without_time_gets_the_default_window_and_a_finding(review):
    result = review("Sorry! We bellen je terug.", customer="Pakket kapot", at=datetime(2026, 11, 27, 18, 0, tzinfo=AMSTERDAM))
    assert result.promises[0].due.isoformat() == "2026-12-01T09:00:00+01:00"  # Friday evening: Monday 09:00 + 1
    assert [f.excerpt for f in result.findings if f.category == "no_deadline"] == ["We bellen je terug"]


def test_the_earliest_time_of_one_promise_counts(review):
    promises = review("Ik bel je vandaag of uiterlijk morgen.", at=AT).promises
    assert [p.due.isoformat() for p in promises] == ["2026-11-25T17:00:00+01:00"]


# Each clause of shared/contract/deadlines.md "What is and is not a promise", in both languages.
@pytest.mark.parametrize(
    ("draft", "expected"),
    [
        # someone acting for us
        ("De monteur komt morgen.", [("2026-11-26T17:00:00+01:00", True)]),
        ("Een collega belt je vanmiddag.", [("2026-11-25T17:00:00+01:00", True)]),
        ("Je krijgt morgen een mail van ons.", [("2026-11-26T17:00:00+01:00", True)]),
        ("Ik heb een monteur ingepland en hij belt je om een tijd af te spreken.", [("2026-11-26T14:00:00+01:00", False)]),
        ("A colleague will call you this afternoon.", [("2026-11-25T17:00:00+01:00", True)]),
        ("I've flagged it as urgent and one of our advisers will call you back.", [("2026-11-26T14:00:00+01:00", False)]),
        ("Morgen om 9:30 belt Sander je.", [("2026-11-26T09:30:00+01:00", True)]),  # a colleague by name
        ("De monteur komt om 16:00 kijken en belt je daarna met een plan.",  # its own follow-up: its own promise
         [("2026-11-25T16:00:00+01:00", True), ("2026-11-26T14:00:00+01:00", False)]),
        ("Stuur je de bon via DM? Dan krijg je je geld terug.", [("2026-11-26T14:00:00+01:00", False)]),
        # on a condition the customer fulfils: a concrete job for them
        ("Stuur ons een DM met je ordernummer, dan ruilen we hem om voor een nieuwe.", [("2026-11-26T14:00:00+01:00", False)]),
        ("Reply here with your new address and we'll update it for you.", [("2026-11-26T14:00:00+01:00", False)]),
        ("Zet je boekingsnummer hier in een reactie, dan passen we je naam kosteloos aan.", [("2026-11-26T14:00:00+01:00", False)]),
        ("Ik heb de juiste stand ingevoerd en je krijgt zo snel mogelijk een gecorrigeerde afrekening.",
         [("2026-11-26T14:00:00+01:00", False)]),  # a new thing after a deed
        ("Onze koerier bezorgt hem donderdag tussen 10:00 en 14:00.", [("2026-11-26T10:00:00+01:00", True)]),  # a slot on a day: no schedule; its start counts
        # our negated plan, then only a time after "maar": that plan at that time
        ("Onze monteur komt vandaag niet meer, maar wel op maandag om 8:00.", [("2026-11-30T08:00:00+01:00", True)]),
        # a clock after a colon is on the day before it
        ("I've booked you the first slot on Monday: the engineer arrives at 8am.", [("2026-11-30T08:00:00+01:00", True)]),
        ("Ik heb de nachtmanager gevraagd je morgenochtend op te zoeken.", [("2026-11-26T12:00:00+01:00", True)]),
        # asked now, the call lies ahead: also today, also someone named
        ("Ik heb Jeroen van de planning gevraagd je vanavond te bellen.", [("2026-11-25T21:00:00+01:00", True)]),
        ("I've asked Jeroen from planning to call you this evening.", [("2026-11-25T21:00:00+01:00", True)]),
        ("De uitvoerder belt je vanavond nog.", [("2026-11-25T21:00:00+01:00", True)]),
        # our shop or practice contacting the customer, or the one we passed it on to
        ("Onze winkel in Breda belt je morgenochtend.", [("2026-11-26T12:00:00+01:00", True)]),
        ("I've passed this on to the practice and they'll get back to you.", [("2026-11-26T14:00:00+01:00", False)]),
        # our word given for a timed event
        ("De bus staat dinsdag weer op het Plein, dat beloven we.", [("2026-12-01T17:00:00+01:00", True)]),
        # follow-ups without a time: to customers addressed as "jullie", further information to come
        ("Dan sturen we jullie twee gratis tickets.", [("2026-11-26T14:00:00+01:00", False)]),
        ("U ontvangt middels een separaat schrijven nadere informatie.", [("2026-11-26T14:00:00+01:00", False)]),
        # a continuation set off by a later event is a promise of its own
        ("Ik stort de €45 vandaag nog terug op je rekening en mail je de bevestiging zodra het verwerkt is.",
         [("2026-11-25T17:00:00+01:00", True), ("2026-11-26T14:00:00+01:00", False)]),
        # what we do when the customer comes at the time asked: done then, on the spot
        ("Kom morgen om 9:00 langs, dan zetten we het gratis voor je recht.", [("2026-11-26T09:00:00+01:00", True)]),
        # the request is the question, not the timed step after it
        ("Stuur je hier je adres, dan bellen we je morgen om het rond te maken?", [("2026-11-26T17:00:00+01:00", True)]),
        ("Your order shipped this morning, so it should be with you on Friday.", []),
        ("I'll email it to you today and post a paper copy tomorrow.",
         [("2026-11-25T17:00:00+01:00", True), ("2026-11-26T17:00:00+01:00", True)]),
        # the customer's own money back by a time, even when it goes by itself
        ("Je krijgt binnen 3 werkdagen automatisch je geld terug.", [("2026-11-30T14:00:00+01:00", True)]),
        # the time of a result we see to, in its "dat" part
        ("Stuur je een foto van de bon? Dan zorg ik dat de boete uiterlijk maandag is ingetrokken.",
         [("2026-11-30T17:00:00+01:00", True)]),
        ("Een handhaver gaat morgenochtend bij de bouwplaats langs en mailt je overmorgen.",
         [("2026-11-26T12:00:00+01:00", True), ("2026-11-27T17:00:00+01:00", True)]),
        ("We versturen hem met voorrang zodra de nieuwe voorraad binnen is.", [("2026-11-26T14:00:00+01:00", False)]),
        # a comma or "en die" says when what was just promised arrives: one promise
        ("We sturen je kosteloos een M, en die is er uiterlijk vrijdag.", [("2026-11-27T17:00:00+01:00", True)]),
        ("We betalen je het volledige bedrag terug, je hebt het morgen op je rekening.", [("2026-11-26T17:00:00+01:00", True)]),
        ("Ik heb het bedrag teruggestort, het staat binnen 3 dagen op je rekening.", [("2026-11-28T14:00:00+01:00", True)]),
        # a clause without its own subject continues the promise before it
        ("Een collega zoekt het uit en mailt je vrijdag de uitkomst.", [("2026-11-27T17:00:00+01:00", True)]),
        ("Een collega haalt ze morgenochtend op en brengt ze bij je.", [("2026-11-26T12:00:00+01:00", True)]),  # "ze": its object
        ("We bellen je morgen en mailen je vrijdag de uitkomst.",
         [("2026-11-26T17:00:00+01:00", True), ("2026-11-27T17:00:00+01:00", True)]),
        ("I'll check with the warehouse and email you by Friday.", [("2026-11-27T17:00:00+01:00", True)]),
        ("I'll refund it today and you'll get a confirmation email by tomorrow morning.",
         [("2026-11-25T17:00:00+01:00", True), ("2026-11-26T12:00:00+01:00", True)]),
        # a check question after the promise asks about a detail, not whether it happens
        ("De monteur komt maandag langs, klopt dat adres nog?", [("2026-11-30T17:00:00+01:00", True)]),
        ("De wegenwacht belt je zodra hij onderweg is.", [("2026-11-26T14:00:00+01:00", False)]),
        # a time after a colon or a dash completes the promise
        ("We sturen je een nieuwe: dinsdag heb je hem in huis.", [("2026-12-01T17:00:00+01:00", True)]),
        ("We boeken het bedrag terug – vrijdag staat het op je rekening.", [("2026-11-27T17:00:00+01:00", True)]),
        ("We'll send you a replacement: you'll have it on Friday.", [("2026-11-27T17:00:00+01:00", True)]),
        # a promise on a condition of the customer
        ("Als je ons je ordernummer stuurt, bel ik je morgen.", [("2026-11-26T17:00:00+01:00", True)]),
        ("Stuur je ons je ordernummer? Dan brengt onze koerier het morgen langs.", [("2026-11-26T17:00:00+01:00", True)]),
        ("If you send us your order number, we'll call you tomorrow.", [("2026-11-26T17:00:00+01:00", True)]),
        # what the team does at a given time, and a follow-up without one
        ("Ik regel vandaag nog een nieuwe.", [("2026-11-25T17:00:00+01:00", True)]),
        ("We'll get back to you asap.", [("2026-11-26T14:00:00+01:00", False)]),
        ("Je geld wordt zo snel mogelijk teruggestort.", [("2026-11-26T14:00:00+01:00", False)]),
        ("Your order will be dispatched within 2 working days.", [("2026-11-27T14:00:00+01:00", True)]),
        ("Sorry, I'll get this sorted for you right away.", [("2026-11-26T14:00:00+01:00", False)]),
        # after a request, "dan …" is our promise; a result the customer sees or a thing that comes
        ("Stuur ons even een foto, dan laten we een nieuwe versturen.", [("2026-11-26T14:00:00+01:00", False)]),
        ("Je ziet het bedrag binnen 3 werkdagen terug op je rekening.", [("2026-11-30T14:00:00+01:00", True)]),
        ("Je bloemen komen morgen alsnog, uiterlijk om 12:00.", [("2026-11-26T12:00:00+01:00", True)]),
        # someone acting for us, named in an appositive; a formal future with inversion
        ("Onze accountmanager, Pieter, mailt je donderdag de offerte.", [("2026-11-26T17:00:00+01:00", True)]),
        ("De projectcoördinator laat je vóór 1 december weten hoe het zit.", [("2026-12-01T17:00:00+01:00", True)]),
        ("Om dit te beoordelen zal een consulent van de wijk contact met u opnemen.", [("2026-11-26T14:00:00+01:00", False)]),
        ("You'll see the money back on your card within 3 working days.", [("2026-11-30T14:00:00+01:00", True)]),
        ("We'll ask the depot what went wrong and get back to you.", [("2026-11-26T14:00:00+01:00", False)]),
        ("I'll check the logs and email you.", [("2026-11-26T14:00:00+01:00", False)]),
        # after a dash or colon, whoever carries out what we arranged acts for us
        ("Ik heb een nieuwe bezorgafspraak gemaakt – de koerier komt vrijdag vóór 12:00.", [("2026-11-27T12:00:00+01:00", True)]),
        ("I've rebooked your delivery: DHL brings it on Friday.", [("2026-11-27T17:00:00+01:00", True)]),
        ("Our team lead, Priya, will email you by Friday.", [("2026-11-27T17:00:00+01:00", True)]),
        ("Our colleague Mohammed will call you tomorrow.", [("2026-11-26T17:00:00+01:00", True)]),
        ("Your flowers will still come tomorrow, by noon at the latest.", [("2026-11-26T12:00:00+01:00", True)]),
        ("Send us a photo, then we'll resend it.", [("2026-11-26T14:00:00+01:00", False)]),
        # one promise, two times after a colon: the earliest counts
        ("Je krijgt een nieuwe pas: uiterlijk maandag, en misschien al vrijdag.", [("2026-11-27T17:00:00+01:00", True)]),
        ("We'll send a new card: by Monday at the latest, probably Friday.", [("2026-11-27T17:00:00+01:00", True)]),
        # arranged now for a later moment: the visit is the promise
        ("Ik heb een monteur voor vrijdag ingepland.", [("2026-11-27T17:00:00+01:00", True)]),
        ("We've rebooked the engineer for Thursday morning.", [("2026-11-26T12:00:00+01:00", True)]),
        # a perfect with a deadline later today: done by then
        ("Er is een storing, onze technici hebben het vóór 19:00 verholpen.", [("2026-11-25T19:00:00+01:00", True)]),
        # a thing that arrives, a message from us, our department as the agent
        ("Je nieuwe pas zit al in de post, uiterlijk vrijdag ligt hij op de mat.", [("2026-11-27T17:00:00+01:00", True)]),
        ("Ik heb hem opnieuw gestart; morgen om 10.00 uur is je nummer over.", [("2026-11-26T10:00:00+01:00", True)]),
        ("Je krijgt deze week een nieuwe factuur van ons waarop de €45 al is verrekend.", [("2026-11-27T17:00:00+01:00", True)]),
        ("Ik heb hem vandaag verzonden en je ontvangt morgen de track & trace-code, zodat je kunt zien wanneer hij komt.",
         [("2026-11-26T17:00:00+01:00", True)]),
        ("Hieromtrent wordt u door de afdeling Onboarding nader geïnformeerd.", [("2026-11-26T14:00:00+01:00", False)]),
        ("You'll receive an email from us once the new delivery date is known.", [("2026-11-26T14:00:00+01:00", False)]),
        # what we tell now, then the promise
        ("Wij berichten u dat de aanvraag wordt beoordeeld. U ontvangt uiterlijk 28 november een besluit.",
         [("2026-11-28T17:00:00+01:00", True)]),
        ("Dan zoeken we uit waar je pakket is gebleven en hoor je maandag van ons wat de uitkomst is.",
         [("2026-11-30T17:00:00+01:00", True)]),
        ("Onze technici vervangen een mast; uiterlijk zaterdag is alles weer in de lucht.", [("2026-11-28T17:00:00+01:00", True)]),
        # what we say we do, carried out after the colon: only the promise after it
        ("Wij lossen het op: ik heb vandaag een nieuw pakket verzonden en je krijgt de track & trace vanmiddag per mail.",
         [("2026-11-25T17:00:00+01:00", True)]),
        ("De monteurs zijn ermee bezig, om 16:00 heb je weer verbinding.", [("2026-11-25T16:00:00+01:00", True)]),
        ("We're rolling out a fix: within 2 hours your data will work again.", [("2026-11-25T16:00:00+01:00", True)]),
        ("We hereby confirm that the amount charged in error shall be reimbursed to your account next week.",
         [("2026-12-04T17:00:00+01:00", True)]),
        ("Uw klacht is in behandeling genomen. U ontvangt hierover nader bericht.", [("2026-11-26T14:00:00+01:00", False)]),
        ("Je krijgt vanmiddag nog een sms met het tijdvak, dan hoef je niet de hele dag te wachten.",
         [("2026-11-25T17:00:00+01:00", True)]),
        ("Deze week is de straat weer open.", [("2026-11-27T17:00:00+01:00", True)]),
        ("Onze monteurs zijn bezig en hebben het voor het einde van de week opgelost.", [("2026-11-27T17:00:00+01:00", True)]),
        ("Ik heb hem opnieuw gestart: morgen om 12:00 ben je weer bereikbaar.", [("2026-11-26T12:00:00+01:00", True)]),
        ("Dit bedrag wordt binnen 5 werkdagen middels een terugboeking op uw rekening gestort.",
         [("2026-12-02T14:00:00+01:00", True)]),
        ("Stuur ons je bonnetje via DM, dan krijg je je geld terug.", [("2026-11-26T14:00:00+01:00", False)]),
        ("Wij delen u mede dat de afvalinzameling het grofvuil aan de Lindenlaan morgen ophaalt.", [("2026-11-26T17:00:00+01:00", True)]),
        ("Your coat is being re-sent today with express delivery.", [("2026-11-25T17:00:00+01:00", True)]),
        ("Uw bezwaar is in behandeling genomen en u ontvangt van ons een schriftelijke beslissing.",
         [("2026-11-26T14:00:00+01:00", False)]),
        ("Stuur je ons je bonnetje? Dan staat het volledige bedrag plus €10 extra als excuus binnen 2 werkdagen op je rekening.",
         [("2026-11-27T14:00:00+01:00", True)]),
        ("Uw schadedossier is compleet. Het schadebedrag wordt aan u overgemaakt.", [("2026-11-26T14:00:00+01:00", False)]),
        ("Wij verzoeken u de kassabon te uploaden, waarna de korting onverwijld aan u wordt teruggestort.",
         [("2026-11-26T14:00:00+01:00", False)]),
        ("Bij je levering morgen krijg je er als goedmaker gratis een doos eieren bij.", [("2026-11-26T17:00:00+01:00", True)]),
        ("Uw aanvraag is in behandeling genomen en u ontvangt middels een schriftelijke beschikking bericht omtrent de uitkomst.",
         [("2026-11-26T14:00:00+01:00", False)]),
        ("Ik stuur de bestelling vandaag opnieuw en laat je asap weten wanneer hij onderweg is.",
         [("2026-11-25T17:00:00+01:00", True), ("2026-11-26T14:00:00+01:00", False)]),
        ("Een monteur is er morgenochtend mee bezig.", [("2026-11-26T12:00:00+01:00", True)]),  # busy at a time ahead
        ("De monteur komt donderdag tussen 8 en 12.", [("2026-11-26T08:00:00+01:00", True)]),
        ("Er is een storing bij jou in de straat; onze monteurs hebben hem vandaag voor 16:00 verholpen.",
         [("2026-11-25T16:00:00+01:00", True)]),  # a deadline later today
        ("Ik heb je zending laten nazoeken: hij ligt morgen om 12:00 in de pakketkluis bij het station.",
         [("2026-11-26T12:00:00+01:00", True)]),
        ("If the gate still won't open, message me here and I'll open it remotely within 5 minutes.",
         [("2026-11-25T14:05:00+01:00", True)]),
        # a time after a semicolon says when the untimed promise before it reaches the customer
        ("Ik zet het bedrag terug; binnen 3 werkdagen staat het op je rekening.", [("2026-11-30T14:00:00+01:00", True)]),
        ("Een andere bezorger neemt het over: binnen 20 minuten staat je eten op de stoep.", [("2026-11-25T14:20:00+01:00", True)]),
        ("Onze ploeg is aan het werk en u heeft vanavond weer water.", [("2026-11-25T21:00:00+01:00", True)]),
        ("Het teveel betaalde bedrag wordt u middels een creditnota gerestitueerd.", [("2026-11-26T14:00:00+01:00", False)]),
        ("De puzzelredactie zet morgen een correctie in de krant.", [("2026-11-26T17:00:00+01:00", True)]),  # a team of ours
        ("Het bedrag staat uiterlijk morgen om 12:00 op de rekening van de ontvanger.", [("2026-11-26T12:00:00+01:00", True)]),
        ("Ik heb je tickets opnieuw klaargezet; je ziet ze binnen 10 minuten in de app.", [("2026-11-25T14:10:00+01:00", True)]),
        ("The quotation shall be forwarded to you no later than Friday.", [("2026-11-27T17:00:00+01:00", True)]),
        ("Het bedrag van €84 wordt conform de voorwaarden binnen tien werkdagen teruggestort.",
         [("2026-12-09T14:00:00+01:00", True)]),  # this customer's money, not a rule for anyone
        ("Stuur je je e-mailadres via DM? Dan mailt een collega van marketing je.", [("2026-11-26T14:00:00+01:00", False)]),
        ("De verzorgende van uw moeder, Marleen, belt u morgen om 10:00.", [("2026-11-26T10:00:00+01:00", True)]),
        ("Onze monteurs hebben het uiterlijk vanavond om 22:00 opgelost.", [("2026-11-25T22:00:00+01:00", True)]),
        ("Retourneer hem gratis met het label in je account, dan sturen we direct een nieuwe.",
         [("2026-11-26T14:00:00+01:00", False)]),
        ("We'll refund the double charge asap, can you DM us the date of the trip?", [("2026-11-26T14:00:00+01:00", False)]),
        ("Ik heb de bezorger van jouw route net gesproken en hij komt vandaag vóór 16:00 nog een keer langs.",
         [("2026-11-25T16:00:00+01:00", True)]),  # who carries out what we arranged acts for us
        ("Uw bezwaar is in behandeling genomen. U ontvangt middels een schriftelijke reactie ons besluit.",
         [("2026-11-26T14:00:00+01:00", False)]),
        ("Ik heb de incasso stopgezet, zet de te veel betaalde maanden vandaag nog terug en stuur je morgen een eindnota.",
         [("2026-11-25T17:00:00+01:00", True), ("2026-11-26T17:00:00+01:00", True)]),  # a list of our actions
        ("Dat snap ik. Ik heb hem stopgezet en de €5 teruggezet; het staat binnen een uur weer op je tegoed.",
         [("2026-11-25T15:00:00+01:00", True)]),
        ("Breng de trilplaat gerust terug, dan staat de huur binnen 2 werkdagen weer op je rekening.",
         [("2026-11-27T14:00:00+01:00", True)]),
        ("If you reply with your order number and email address, we'll send you a replacement today.",
         [("2026-11-25T17:00:00+01:00", True)]),
        ("Onze monteurs zijn ter plaatse en de verbinding is uiterlijk om 16:00 weer in de lucht.",
         [("2026-11-25T16:00:00+01:00", True)]),
        ("Ik regel het voor je: het verhuurbedrijf zet hem vanmiddag bij je garage neer.", [("2026-11-25T17:00:00+01:00", True)]),
        ("I've put 3 free tickets on your card and I'll email you by tomorrow 12:00 to confirm.",
         [("2026-11-26T12:00:00+01:00", True)]),
        ("Je adres wordt nu aangemaakt, we mailen het je zo.", [("2026-11-26T14:00:00+01:00", False)]),
        ("I've spoken to the dispatcher: the taxi will pick her up tomorrow at 7:45 sharp.",
         [("2026-11-26T07:45:00+01:00", True)]),  # what we arranged
        ("Een monteur komt de meter nakijken.", [("2026-11-26T14:00:00+01:00", False)]),
        ("Uw eigen laptop is uiterlijk 4 december gerepareerd.", [("2026-12-04T17:00:00+01:00", True)]),  # done by a deadline
        ("Ik heb je aanvraag bovenaan gelegd: je hoort binnen 3 werkdagen van onze medisch adviseur.",
         [("2026-11-30T14:00:00+01:00", True)]),
        ("A new charger will be with you on Friday, no need to send anything back.", [("2026-11-27T17:00:00+01:00", True)]),
        ("Ik heb je nieuwe adres ingevoerd. We bevestigen de wijziging nog per mail.", [("2026-11-26T14:00:00+01:00", False)]),
        ("Bram vervangt het scherm kosteloos: donderdag kun je het toestel weer ophalen.",
         [("2026-11-26T17:00:00+01:00", True)]),  # when it is ready for the customer
        ("Sorry, het duurt langer dan gepland: je pakket volgt zo snel mogelijk.", [("2026-11-26T14:00:00+01:00", False)]),
        ("Our support team will email you tonight with what went wrong this morning.",
         [("2026-11-25T21:00:00+01:00", True)]),  # not the time of what went wrong
        ("Heb je een brief nodig voor je verhuurder? Dan stuur ik die je morgen.",
         [("2026-11-26T17:00:00+01:00", True)]),  # "die" after "ik" is what we send, no relative part
        ("Die van jou is al goedgekeurd en wordt vrijdag uitbetaald.", [("2026-11-27T17:00:00+01:00", True)]),
        ("I've checked your account. You'll also get a confirmation email from me tomorrow.",
         [("2026-11-26T17:00:00+01:00", True)]),
        ("Any amount you already paid will be back in your account by 4 December.",
         [("2026-12-04T17:00:00+01:00", True)]),  # "you already paid" tells which amount: the main verb is "will"
        ("The claim was approved today and the payment of €1,250 will be in your account within 2 business days.",
         [("2026-11-27T14:00:00+01:00", True)]),  # "of" is no "or" in English
        ("Het planbureau belt u uiterlijk maandag met een nieuwe datum.", [("2026-11-30T17:00:00+01:00", True)]),
        ("Onze servicemonteur vervangt het werkblad binnen 5 werkdagen; u hoort morgen van planning welke dag het wordt.",
         [("2026-12-02T14:00:00+01:00", True), ("2026-11-26T17:00:00+01:00", True)]),
        ("De storing is tegen maandag opgelost.", [("2026-11-30T17:00:00+01:00", True)]),  # Flemish "by Monday"
        ("Je arts belt je morgen vóór 12:00 om de uitslag met je door te nemen.", [("2026-11-26T12:00:00+01:00", True)]),
        ("Stuur je ons je e-mailadres? Dan plant een collega je in voor een nieuwe datum.",
         [("2026-11-26T14:00:00+01:00", False)]),
        ("The lenses left our warehouse at noon and you'll have them tomorrow before noon.",
         [("2026-11-26T12:00:00+01:00", True)]),  # what left is done
        ("Wil je een screenshot in een DM sturen? Dan fix ik het: binnen een uur heb je een werkende code.",
         [("2026-11-25T15:00:00+01:00", True)]),
        ("Sorry voor het wachten! Je pakket komt op 27 november, op tijd voor het weekend.", [("2026-11-27T17:00:00+01:00", True)]),
        ("Alles is in orde. De terugbetaling vertrekt deze week.", [("2026-11-27T17:00:00+01:00", True)]),
        ("Zet je nieuwe adres even hieronder, dan regel ik het meteen.", [("2026-11-26T14:00:00+01:00", False)]),
        ("Je hebt recht op 50% terug en ik zet dat vandaag nog voor je in gang.",
         [("2026-11-25T17:00:00+01:00", True)]),  # "dat" before "vandaag" is what we act on
        ("The parts arrived yesterday and our technician is fixing the escalator this afternoon.",
         [("2026-11-25T17:00:00+01:00", True)]),
        ("We hereby acknowledge receipt of your letter of 19 November. Compensation has been granted and will be paid to you within 5 working days.",
         [("2026-12-02T14:00:00+01:00", True)]),  # told now: the date of the letter is no promise
        ("De hovenier komt overmorgen en daarna weer elke twee weken.", [("2026-11-27T17:00:00+01:00", True)]),
        ("Ik bel de chauffeur even en stuur je zo een update.", [("2026-11-26T14:00:00+01:00", False)]),  # one promise
        ("Een jurist van ons team belt je vandaag nog: voor 16:00 heb je haar aan de lijn.",
         [("2026-11-25T16:00:00+01:00", True)]),  # the time after the colon belongs to the promise
        ("Sorry hoor! Ik vraag de bezorger om vandaag nog terug te gaan en het pakket bij jou af te leveren.",
         [("2026-11-25T17:00:00+01:00", True)]),  # what we ask someone of ours to do
        ("Het bedrag van €89,95 staat binnen 2 werkdagen op je rekening, ook als het pakket niet boven water komt.",
         [("2026-11-27T14:00:00+01:00", True)]),  # "even if" sets no condition
        ("Our tech team is fixing the camera this afternoon, so they'll be back on screen by 17:00.",
         [("2026-11-25T17:00:00+01:00", True)]),  # what the fix brings, one promise
        ("Stuur je ons een DM met je bestelnummer? Dan krijg je van ons een gratis dagkaart.",
         [("2026-11-26T14:00:00+01:00", False)]),  # ours on the customer's reply, untimed
        ("We hebben het probleem gevonden: binnen een uur kun je weer inloggen.", [("2026-11-25T15:00:00+01:00", True)]),
        ("Ik heb het teruggezet. U ziet het bedrag uiterlijk dinsdag 1 december op uw rekening.",
         [("2026-12-01T17:00:00+01:00", True)]),
        ("Daarnaast stuur ik u vandaag nog een bevestiging dat de lening volledig is afgelost.",
         [("2026-11-25T17:00:00+01:00", True)]),  # "dat …" says what the confirmation says
        ("We'll have it sorted by Thursday: a corrected confirmation will be in your inbox.",
         [("2026-11-26T17:00:00+01:00", True)]),  # what arrives then, no second promise
        ("Het bedrag dat u al betaalde staat binnen 3 werkdagen weer op uw rekening.",
         [("2026-11-30T14:00:00+01:00", True)]),  # the relative part ends with its verb: "staat" is the main one
        ("Morgenochtend belt de polikliniek u om een nieuwe afspraak in te plannen.",
         [("2026-11-26T12:00:00+01:00", True)]),
        ("Ik heb je abonnement weer geactiveerd en de 30 euro voor het losse kaartje van je heenreis zetten we vandaag nog terug.",
         [("2026-11-25T17:00:00+01:00", True)]),  # after "en", our inverted subject a few words on opens a clause
        ("The spare key follows by post within 3 working days.", [("2026-11-30T14:00:00+01:00", True)]),
        ("Ik bel u morgen om 10 uur om te kijken of er kosten zijn die we alsnog kunnen vergoeden.",
         [("2026-11-26T10:00:00+01:00", True)]),  # what we might be able to pay is no second promise
        ("Met onze Reis Totaal-dekking vergoeden we ook annuleringskosten.", []),  # what a product covers, for anyone
        ("Kun je ons hier je e-mailadres geven? Dan mailt onze privacy-officer je morgen.",
         [("2026-11-26T17:00:00+01:00", True)]),  # an officer of ours
        ("Stuur ons de foto van de boete, dan maken wij namens u bezwaar bij de gemeente.",
         [("2026-11-26T14:00:00+01:00", False)]),  # what we do on the customer's reply, untimed
        ("Reply here and Kim will have a courier bring it to your door this evening.",
         [("2026-11-25T21:00:00+01:00", True)]),  # "and Kim will …" opens a clause of its own
        ("I've checked: the refund was processed today and will reach your account within 2 working days.",
         [("2026-11-27T14:00:00+01:00", True)]),
        ("De nachtbeheerder gaat binnen 30 minuten bij de buren langs.", [("2026-11-25T14:30:00+01:00", True)]),
        ("De monteur komt morgenochtend en blijft tot het probleem is opgelost.",
         [("2026-11-26T12:00:00+01:00", True)]),  # "tot het probleem is opgelost" is a part of its own
        ("Stuur de foto's hier, dan laat mijn collega je uiterlijk vrijdag weten of we het terugbetalen.",
         [("2026-11-27T17:00:00+01:00", True)]),
        ("Zoals we al eerder hebben aangegeven, vervangt onze liftmonteur de lift vrijdag.",
         [("2026-11-27T17:00:00+01:00", True)]),
        ("Stuur ons je kaartnummer via DM, dan zetten we het te veel betaalde bedrag binnen 3 werkdagen terug.",
         [("2026-11-30T14:00:00+01:00", True)]),  # "te veel betaalde" says which amount, not a state
        ("Onze slotenmaker is al onderweg en is er binnen een uur.", [("2026-11-25T15:00:00+01:00", True)]),
        ("U ontvangt zo spoedig mogelijk een voorstel voor een afspraak met de monteur.",
         [("2026-11-26T14:00:00+01:00", False)]),  # to receive as soon as possible: a promise without a time
        ("We zetten de punten handmatig op je account.", [("2026-11-26T14:00:00+01:00", False)]),
        ("Meld de schade via onze site: binnen 2 werkdagen heb je je vergoeding.",
         [("2026-11-27T14:00:00+01:00", True)]),  # what we give once they report it
        ("De afschrijving is onterecht; wij zullen deze middels een creditnota aan u terugbetalen.",
         [("2026-11-26T14:00:00+01:00", False)]),
        # a repair after the customer comes by ("maar" softens the request, it is no "but")
        ("Kom maar even langs, dan lijmen we ze opnieuw.", [("2026-11-26T14:00:00+01:00", False)]),
        ("Kom je nog even langs? Dan laat onze kleermaker de naden gratis weer uit.", [("2026-11-26T14:00:00+01:00", False)]),
        ("Onze kleermaker doet dat deze week kosteloos.", [("2026-11-27T17:00:00+01:00", True)]),
        # the customer's time in a condition split off is theirs, not ours
        ("Als je de jas morgen brengt, zorgt onze kleermaker dat de voering vrijdag hersteld is.",
         [("2026-11-27T17:00:00+01:00", True)]),
        # "die" right after the verb is its object; "hem" the colleague just named
        ("Ik maak een nieuwe factuur voor je en mail die binnen 2 werkdagen.", [("2026-11-27T14:00:00+01:00", True)]),
        # what the promise brings, said after ", dat"; ours right after its verb; a text when it is ready
        ("Ik stuur je vandaag een nieuw zakje schroefjes, dat heb je morgen in huis.", [("2026-11-25T17:00:00+01:00", True)]),
        ("Wel belt onze planning je maandag om 10:00.", [("2026-11-30T10:00:00+01:00", True)]),
        ("Je pas blijkt beschadigd. Je krijgt een appje van me zodra hij klaarligt.", [("2026-11-26T14:00:00+01:00", False)]),
        # paid back by a date, "automatisch" or not; sent, at the end of what we confirm
        ("Het teveel betaalde bedrag storten wij uiterlijk maandag automatisch terug.", [("2026-11-30T17:00:00+01:00", True)]),
        ("Hierbij bevestigen wij dat de factuur middels de post aan u wordt verzonden.", [("2026-11-26T14:00:00+01:00", False)]),
        # sent after an event, informed in the passive, told once it is on its way
        ("Na ontvangst van het retour zenden wij u het gewenste formaat toe.", [("2026-11-26T14:00:00+01:00", False)]),
        ("U wordt middels een schriftelijk bericht geïnformeerd over de uitkomst.", [("2026-11-26T14:00:00+01:00", False)]),
        ("We sturen je een nieuwe verpakking op en laten het weten zodra hij onderweg is.",
         [("2026-11-26T14:00:00+01:00", False), ("2026-11-26T14:00:00+01:00", False)]),
        ("Stuur je ons een DM? Dan zoekt onze bedrijfsleider het uit en hoor je binnen 3 werkdagen van hem.",
         [("2026-11-30T14:00:00+01:00", True)]),
        # what we will tell, whether it is so: no telling now
        ("I'll look into it and let you know within an hour whether that email is really from us.",
         [("2026-11-25T15:00:00+01:00", True)]),
        # given by us, in the inverted order; repairs after the customer comes by
        ("Stuur ons een DM, dan sturen we de juiste armband op en krijg je van ons een retourlabel.",
         [("2026-11-26T14:00:00+01:00", False), ("2026-11-26T14:00:00+01:00", False)]),
        ("Kom maar langs, dan plakken we hem opnieuw.", [("2026-11-26T14:00:00+01:00", False)]),
        # costs we pay, and when the money is there: one promise
        ("Die kosten vergoeden we: stuur de bon via het formulier, dan staat het geld uiterlijk 30 november op je rekening.",
         [("2026-11-30T17:00:00+01:00", True)]),
        ("Ik heb je bestelling opnieuw ingepland en vanmiddag staat de bezorger met alles bij je voor de deur.",
         [("2026-11-25T17:00:00+01:00", True)]),
    ],
)
def test_contract_promises(review, draft, expected):
    promises = review(draft, at=AT).promises
    assert [(p.due.isoformat(), p.explicit) for p in promises] == expected


@pytest.mark.parametrize(
    "draft",
    [
        # an instruction: a bare stem before our service is no inverted subject
        "Plannen kan online, of bel de bandenservice op werkdagen tussen 8 en 18 uur.",
        # what a refund already made brings
        "Je verzendkosten heb ik vanochtend al teruggestort, die zie je binnenkort op je rekening terug.",
        # how a rule counts, and what happens as standard
        "As stated in your booking, days are counted per calendar day, so arriving at 23:00 counts as a full day.",
        "Na de eindinspectie wordt de borg standaard binnen 14 dagen teruggestort.",
        # the customer adds it: a verb not listed, known by the object after it
        "Je voegt het toe via 'Mijn order' > 'extra diensten'.",
        # "drie keer bellen" is the customer's calling
        "Sorry, drie keer bellen zonder resultaat is niet oké, ik snap je frustratie.",
        # what a rule gives anyone
        "Volgens onze regeling vergoeden we kleding tot €150 voor iedereen met vertraagde bagage.",
        # negated
        "We kunnen je vandaag niet meer bellen.",
        "Een monteur kunnen we vandaag niet meer sturen, ze zijn allemaal op pad.",
        "We can't call you today any more.",
        "We kunnen vandaag niemand meer sturen.",
        "Met ons Gold-pakket krijg je bij verlies binnen 24 uur een nieuwe pas.",  # what a product gives anyone
        "Dat kan via de bel-me-niet-lijst, die werkt direct.",  # "niet" inside a compound negates nothing
        "Hoi Kim, heb je de app al opnieuw gestart?",
        "Ik heb je omgeboekt op de vlucht van 14:05, dan ben je om 19:40 in Split.",
        "Die hebben we deze week in de aanbieding.",
        # already done
        "Je bestelling is gisteren verzonden.",
        "Dat heb ik vanochtend hersteld.",
        "De bezorgkosten van vandaag heb ik al teruggestort.",
        "I've refunded it.",
        "We sent you a new card on Monday.",
        # should have happened
        "U had vorige week bericht moeten krijgen.",
        "You should have received an email last week.",
        # a general rule or condition for anyone
        "Wie binnen 14 dagen retourneert, krijgt het hele bedrag terug.",
        "Wat je vóór 16:00 omzet, ligt dezelfde dag klaar in de winkel.",
        "Bij aankomst krijg je automatisch een sms met de tarieven.",
        "Anyone who returns it within 14 days gets a full refund.",
        # how something works
        "De app wordt 's nachts bijgewerkt.",
        "Goedgekeurde uitkeringen worden elke werkdag om 16:00 overgemaakt.",
        "Refunds are usually processed within 5 working days.",
        # an instruction or request to the customer
        "Zet je modem even uit en weer aan.",
        "Stuur ons uiterlijk vrijdag de foto's via de app.",
        "Lukt dat niet, bel dan meteen onze blokkeerlijn.",
        "Please reset your router tonight.",
        "Wij verzoeken u de stukken onverwijld via het klantportaal aan te leveren.",  # a request, phrased as ours
        # a third party we don't commit to
        "PostNL bezorgt meestal binnen twee dagen.",
        "De fabrikant belt je morgen.",
        "DHL will deliver it tomorrow.",
        # a later occasion, not a due commitment
        "Volgende keer bellen we je eerst even.",
        "Next time we'll send a text before the driver comes.",
        # telling now what is the case: the telling is no promise
        "Naar aanleiding van uw bericht laten wij u weten dat uw klacht in behandeling is.",
        # feelings and states
        "Onze vliegtuigen hebben vandaag blijkbaar ook een dutje nodig.",
        "Ik wil dit goedmaken met 25 euro tegoed, dat staat al op je account.",  # already there
        # terms for anyone
        "Naar België bezorgen we binnen 2 tot 3 werkdagen na je bestelling.",
        "Wij vergoeden hotelkosten tot €150 per nacht.",
        "Ik snap dat je nerveus bent voor morgen.",
        "Our subtitle team will be thrilled.",
        # done: a past day, a simple past, a perfect with a clock time
        "Zoals wij u gisteren al uitlegden, kunt u de standen zelf corrigeren.",
        "Onze monteur viel vanochtend uit en we hadden je daarover moeten bellen.",
        "Vandaag lukt het niet meer om je te bellen, ons belteam is om 17:00 gestopt.",
        # telling now ("berichten wij u dat …")
        "Naar aanleiding van uw melding berichten wij u dat deze is doorgeleid naar de betreffende afdeling.",
        # what following our instruction brings
        "Once it's back up, restart your phone and you'll be connected again.",
        "Zet je modem even uit en na 30 seconden weer aan. Daarna werkt hij binnen een kwartier weer.",
        # what we do only, or after so many tries: how it works
        "Voorlopig bezorgen we alleen in pakketkluizen in Nederland, nog niet in België.",
        "Zoals in de app staat, blokkeren we je pas na vijf verkeerde pogingen.",
        # for everyone, across town
        "De roosters worden voor alle eerstejaars op vrijdag gepubliceerd in de app.",
        "Vanaf 6 januari halen we in de hele gemeente kerstbomen op.",
        "De kerstbomen worden op zaterdag 9 januari opgehaald.",
        # a rule for anyone: an order value, the terms, only delivering
        "Bestel je boven de 20 euro, dan bezorgen we gratis.",
        "De borg wordt conform artikel 7.3 van de algemene voorwaarden binnen 14 dagen na vertrek teruggestort.",
        "Het restaurant heeft de bestelling verkeerd ingepakt, wij bezorgen alleen.",
        "Ja, op 24 december bezorgen we gewoon, op 25 en 26 december niet.",
        "In Noord halen we grofvuil op donderdag op.",
        "Deze week krijg je bij elk pak koffie een pak thee gratis.",
        # what we are able to do, have free or cover for anyone
        "De behandeling van 3 november kunnen we wel als consult vergoeden.",
        "Maandag om 9:00 heb ik nog een plek vrij; zal ik die voor je vastzetten?",
        "Goed nieuws: we hebben zondag een extra ploeg.",
        "Met TandPlus 500 vergoeden we 75% tot je jaarmaximum van €500.",
        # sent already
        "Ik zie je opzegging en heb de afschrijvingen van november en december net teruggestort.",
        "Wij hebben uw melding in behandeling genomen en zullen deze onverwijld doorzetten naar de betreffende afdeling.",
        "Ik heb er vanochtend een voor je op de post gedaan.",
        # a good day had
        "Het team leest mee, dus die hebben vandaag een goede dag.",
        # an expectation, no commitment; a colleague at work today
        "Our engineers expect to have it fixed this afternoon.",
        "Op zondag bezorgen we alleen pakketten van een paar grote webshops.",
        "Vanaf 2026 vergoeden wij 18 behandelingen in de Plus-polis.",  # a policy from a year on
        "Daan werkt vandaag ook, we hebben je berichtje meteen aan hem laten zien.",
        # what following our instruction brings, after a semicolon
        "Vraag je beheerder om OV-fiets te activeren; daarna werkt je kaart binnen een uur weer.",
        # passing it on, also with speed or a time
        "Ik zet het met spoed door naar de afdeling service.",
        "Ik zet uw melding vandaag met voorrang door naar onze afdeling onderhoud, zodat zij ernaar kunnen kijken.",
        "I'll pass this on to our billing team today.",
        # our request to the customer, with its deadline
        "Wij verzoeken u dit uiterlijk 31 januari te doen.",
        # a product that gives anyone something; what is there already
        "Met Bezorgpas Plus bezorgen we de hele maand gratis.",
        "Ik heb €15 gecrediteerd, dat staat al als tegoed in je account.",
        "Ik heb je abonnement stopgezet en de €65 vandaag teruggestort.",  # the perfect's auxiliary is shared
        "Pension benefits shall be transferred to a foreign bank account, provided that the form reaches us in time.",
        # a district's schedule, an extra with a purchase, how it goes
        "In wijk Noord wordt uw oud papier op woensdag 23 december opgehaald.",
        "Deze week krijg je er een gratis bakvorm bij.",
        "Hoe sneller we de betaling blokkeren, hoe groter de kans dat je je geld terugkrijgt.",
        "Gerda is vandaag ook aan het werk, dus ze leest het zelf mee.",
        "Het oud papier wordt in Hoograven om de week op donderdag opgehaald.",
        "In Noord worden kerstbomen op woensdag 6 januari opgehaald.",
        "Wat op vrijdagavond wordt overgemaakt, verwerken we op maandagochtend.",
        "Omdat je daar vooraf geen sms-waarschuwing over hebt gekregen, heb ik het hele bedrag gecrediteerd.",
        "Haha, dat noemen we bezorgen met een ochtendhumeur-garantie.",
        "Rob had vandaag dienst, dus ik heb je bericht meteen aan hem laten zien.",
        "Yes, we deliver in Amstelveen on Sundays between 10:00 and 20:00.",
        "Wij kunnen pas bezorgen als de afzender het pakket bij ons heeft aangeleverd.",
        "Je nieuwe pas is vandaag per post verstuurd, dus die valt binnenkort op de mat.",  # what a deed brings
        # "whether", not "or"; a shop's opening hours
        "Bij die controle kijkt de tandarts je gebit na. Of die vergoed wordt, hangt af van je aanvullende verzekering.",
        "Onze winkel in Breda is zaterdag open tot 17:00.",
        "The store will be closed on Monday.",
        # someone of ours asked to do something that does not reach the customer
        "Ik heb de vestiging gevraagd hem vandaag voorrang te geven.",
        # what we already offer, and news to come out, are no follow-up for this customer
        "Goed idee! Die hebben we al, op 28 en 29 december van 10:00 tot 12:00.",
        "A 12-pack is in the works, and it'll be announced in our stories first.",
        "Je bestelling is vanochtend verzonden, de code staat in de mail die je net hebt gekregen.",  # "mail" a noun
        # what should happen, and our hours
        "We hebben extra personeel naar de kassa gestuurd, de rij zou binnen een kwartier flink korter moeten zijn.",
        "De openingstijden op de site klopten niet, we gaan pas om 10:00 open.",
        "We hebben vandaag om 14:15 nog een plek.",  # a slot offered
        "Annuleren kan wel binnen een uur via Mijn bestellingen.",  # what the customer can do
        "Your costume went out with our courier this afternoon.",  # done
        # our hours, also inverted and in what we tell
        "Op 31 december sluiten wij om 16:00.",
        "Our depot opens at 7:00, so you're welcome any time from then.",
        "Naar aanleiding van uw vraag kunnen wij u mededelen dat alle vestigingen op 28 en 29 december geopend zijn.",
        # an appointment that stands, news to be announced, a sale starting, what we offer anyone
        "Je les staat gewoon ingepland: donderdag 26 november om 14:00 met Hans.",
        "De tarieven voor 2027 worden op 1 december bekendgemaakt.",
        "Maandag starten we met Cyber Monday en dan zijn er weer toffe deals!",
        "Ja hoor, we repareren ook Fairphones.",
        "Ja, ook op 24 december bezorgen we in Groningen, tot 14:00.",
        "Swaps are free within 30 days in any of our stores, just bring your receipt.",
        # a state, a maybe
        "Onze receptie is vandaag telefonisch onbereikbaar door een storing.",
        "Our drivers are back on the road on Saturday the 2nd.",
        "Er komt vanmiddag mogelijk een kamer met bad vrij.",
        "Ik zie dat hij vrijdag is afgeleverd bij je buren op nummer 14.",  # done, at the neighbours'
        "Op eerste kerstdag rijdt lijn 40 volgens de zondagsdienstregeling, de volgende bus komt om 10:24.",  # a timetable
        "Net als ieder jaar stopt de dienst op oudejaarsavond rond 20:00.",
        # an offer, asked whether wanted
        "Wel kan ik je bestelling kosteloos annuleren: laat je me via DM weten of je dat wilt?",
    ],
)
def test_contract_not_promises(review, draft):
    assert review(draft, at=AT).promises == []


def test_a_vague_phrase_answered_in_the_same_draft_is_no_empty_promise(review):
    vague = review("Sorry voor de fout! We kijken ernaar.", customer="Mijn factuur klopt niet", at=AT)
    answered = review("Sorry voor de fout! We kijken ernaar. Een collega belt je morgen voor 12:00 met de uitkomst.",
                      customer="Mijn factuur klopt niet", at=AT)
    assert "empty_promise" in {f.category for f in vague.findings}
    assert "empty_promise" not in {f.category for f in answered.findings}


def test_a_follow_up_set_off_by_an_event_answers_a_vague_phrase_but_knowing_more_does_not(review):
    customer = "Ik kan al de hele ochtend niet betalen met iDEAL!"
    categories = lambda draft: {f.category for f in review(draft, customer=customer, at=AT).findings}  # noqa: E731
    assert "empty_promise" not in categories(
        "Sorry! Ik houd de storing voor je in de gaten en stuur je een bericht zodra betalen weer lukt.")
    assert "empty_promise" in categories(
        "Sorry! Ik houd de storing voor je in de gaten en stuur je een bericht zodra we meer weten.")


def test_no_deadline_only_for_real_promises_without_a_time(review):
    categories = lambda draft: {f.category for f in review(draft, customer="Mijn pakket is kapot", at=AT).findings}  # noqa: E731
    assert "no_deadline" in categories("Sorry, balen! Een collega neemt contact met je op.")
    assert "no_deadline" not in categories("Sorry, balen! Een collega belt je morgen om 10:00.")
    assert "no_deadline" not in categories("Sorry, balen! Bij een storing krijg je automatisch updates per sms.")
    assert "no_deadline" not in categories("Sorry, balen! We kunnen je vandaag niet meer bellen, bel ons gerust morgen.")


def test_a_perfect_with_a_part_of_today_that_has_begun_is_done(review):
    """"vanavond" said at 19:30 may already be past: the perfect tense tells what was done; said
    at 14:00 it can only lie ahead, so it promises."""
    draft = "Ik heb de terugbetaling vanavond klaargezet."
    assert review(draft, at=datetime(2026, 11, 25, 19, 30, tzinfo=AMSTERDAM)).promises == []
    [promise] = review(draft, at=AT).promises
    assert promise.due.date() == AT.date() and promise.due > AT


def test_a_perfect_with_a_clock_deadline_that_has_passed_is_done(review):
    """"uiterlijk 16:00" is a clock time today, like "vóór 16:00": said at 17:30 the work is
    reported done, not promised for tomorrow."""
    draft = "Onze monteurs hebben het uiterlijk 16:00 opgelost."
    assert review(draft, at=datetime(2026, 11, 25, 17, 30, tzinfo=AMSTERDAM)).promises == []
    [promise] = review(draft, at=AT).promises
    assert promise.due == datetime(2026, 11, 25, 16, 0, tzinfo=AMSTERDAM)


def test_an_answer_to_how_it_would_go_describes_how_it_works(review):
    """Asked how long something takes, what we do once the customer does something describes how
    it works; about their own case it is a promise, and so is what we offer on what we ask now."""
    draft = "Zodra je retour binnen is, krijg je het bedrag binnen 14 dagen terug."
    assert review(draft, customer="Hoe lang duurt het voordat ik mijn geld terug heb als ik iets terugstuur?").promises == []
    assert review(draft, customer="Hoe lang duurt het nog voordat mijn geld terug is? Al 3 weken!").promises != []
    assert review(draft, customer="Mijn retour is onderweg, wat nu?").promises != []
    offer = "Zet je nummer hieronder, dan bel ik je vandaag nog voor een afspraak."
    assert review(offer, customer="Hoe lang duurt een batterijwissel als ik mijn telefoon breng?").promises != []
    # a condition that only offers is ours too: "als je wilt, bellen we je maandag"
    wish = "Dat kan zeker. En als je wilt, bellen we je maandag om een moment te prikken."
    question = "Kan ik een keuken laten ontwerpen als ik hem zelf wil monteren?"
    assert [p.due for p in review(wish, customer=question).promises] == [datetime(2026, 11, 30, 17, 0, tzinfo=AMSTERDAM)]


def test_a_promise_to_solve_it_is_completed_by_the_timed_promise_that_says_how(review):
    """"Dat lossen we op", then how and when after a request: one promise, with the time."""
    draft = "Dat lossen we natuurlijk op. Zet je ordernummer hieronder? Dan sturen we je binnen 2 werkdagen nieuwe oordopjes."
    [promise] = review(draft, customer="Mijn oordopjes werken maar aan één kant. Balen!").promises
    assert promise.explicit
    english = "We'll sort it out. Could you DM us your order number? Then we'll send a new pair by Friday."
    assert len(review(english, customer="My earbuds only work on one side.").promises) == 1


def test_a_reason_given_in_the_perfect_is_no_booking(review):
    """"want hij is binnen 14 dagen gekocht" gives a reason; "binnen 14 dagen" lies behind us there."""
    assert review("Je kunt hem ruilen in een van onze winkels, want hij is binnen 14 dagen gekocht.").promises == []
