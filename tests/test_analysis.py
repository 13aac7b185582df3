"""The clause analysis (bot/review/analysis.py): clause split, who acts, negation, tense and mood,
table by table in Dutch and English."""

from __future__ import annotations

import pytest

from bot.review.analysis import analyse


def clause_texts(text: str, language: str) -> list[str]:
    analysis = analyse(text, language)
    return [analysis.excerpt(c) for c in analysis.clauses]


@pytest.mark.parametrize(
    ("text", "language", "clauses"),
    [
        ("Sorry! We bellen je morgen.", "nl", ["Sorry!", "We bellen je morgen."]),
        ("We kijken ernaar: een collega belt je vrijdag.", "nl", ["We kijken ernaar", "een collega belt je vrijdag."]),
        ("We boeken het terug – vrijdag staat het op je rekening.", "nl",
         ["We boeken het terug", "vrijdag staat het op je rekening."]),
        ("We still have two cabins free for 30 Dec – 2 Jan.", "en",
         ["We still have two cabins free for 30 Dec – 2 Jan."]),  # a range of dates
        ("Ik zoek het uit en mail je vrijdag de uitkomst.", "nl", ["Ik zoek het uit", "en mail je vrijdag de uitkomst."]),
        ("We storten het terug, maar dat duurt even.", "nl", ["We storten het terug", "maar dat duurt even."]),
        ("Je krijgt het geld terug, dat staat er vandaag op.", "nl", ["Je krijgt het geld terug", "dat staat er vandaag op."]),
        ("De winkel is dag en nacht open.", "nl", ["De winkel is dag en nacht open."]),  # "en" between words
        ("Het geld staat vrijdag op je rekening, je hoeft zelf niets te doen.", "nl",
         ["Het geld staat vrijdag op je rekening", "je hoeft zelf niets te doen."]),  # a new subject and verb
        ("Hoi Sanne, je pakket is onderweg.", "nl", ["Hoi Sanne", "je pakket is onderweg."]),  # a new subject and verb
        ("Ik heb de incasso teruggeboekt, het bedrag staat vrijdag op je rekening.", "nl",
         ["Ik heb de incasso teruggeboekt", "het bedrag staat vrijdag op je rekening."]),
        ("Ik heb hem goedgekeurd en straks maken we het over.", "nl", ["Ik heb hem goedgekeurd", "en straks maken we het over."]),
        ("De motor ligt klaar en maandag om 11 uur belt Kees je.", "nl", ["De motor ligt klaar", "en maandag om 11 uur belt Kees je."]),
        ("Ik heb de chef gebeld, er komt zo iemand naar de balie.", "nl", ["Ik heb de chef gebeld", "er komt zo iemand naar de balie."]),
        ("Vandaag zetten we er een hek omheen en uiterlijk vrijdag is het gat gedicht.", "nl",
         ["Vandaag zetten we er een hek omheen", "en uiterlijk vrijdag is het gat gedicht."]),
        ("Wij delen u mede dat het grofvuil maandag wordt opgehaald.", "nl",
         ["Wij delen u mede", "dat het grofvuil maandag wordt opgehaald."]),  # what we tell
        ("Om 9:00 komt de monteur; hij belt eerst.", "nl", ["Om 9:00 komt de monteur", "hij belt eerst."]),
        ("Daar kunnen wij helaas niks mee, meld je schade bij de afhandelaar.", "nl",
         ["Daar kunnen wij helaas niks mee", "meld je schade bij de afhandelaar."]),  # an instruction after a comma
        ("Sorry about that, and we'll call you tomorrow.", "en", ["Sorry about that", "and we'll call you tomorrow."]),
        ("It's down to the warehouse, they've been short-staffed this week.", "en",
         ["It's down to the warehouse", "they've been short-staffed this week."]),  # a new subject and its perfect
        ("I'll check it and email you by Friday.", "en", ["I'll check it", "and email you by Friday."]),
        ("I'll refund it today and you'll get an email.", "en", ["I'll refund it today", "and you'll get an email."]),
        ("Salt and pepper are on the table.", "en", ["Salt and pepper are on the table."]),
        ("Wij storten het terug en verwerken uw opzegging vandaag.", "nl",
         ["Wij storten het terug", "en verwerken uw opzegging vandaag."]),  # a plural verb and its object
        ("Ik heb het ingediend en een collega van het porteringsteam belt je.", "nl",
         ["Ik heb het ingediend", "en een collega van het porteringsteam belt je."]),
        ("Ik heb het met de chauffeur en zijn leidinggevende besproken.", "nl",
         ["Ik heb het met de chauffeur en zijn leidinggevende besproken."]),  # "zijn" is "his" here
        ("Sorry, we can't help with that, please contact the maker.", "en",
         ["Sorry", "we can't help with that", "please contact the maker."]),  # an instruction after a comma
        ("We ruilen je auto morgen om, daar hoef je niks voor te doen.", "nl",
         ["We ruilen je auto morgen om", "daar hoef je niks voor te doen."]),  # an inverted verb and its subject
        ("De monteurs zijn ermee bezig, om 16:00 heb je weer verbinding.", "nl",
         ["De monteurs zijn ermee bezig", "om 16:00 heb je weer verbinding."]),  # after a clock time too
        ("Je krijgt een sms, dan hoef je niet te wachten.", "nl", ["Je krijgt een sms", "dan hoef je niet te wachten."]),
        ("Dan zoeken we het uit en hoor je maandag van ons.", "nl", ["Dan zoeken we het uit", "en hoor je maandag van ons."]),
        ("Om 21:00 staat hij erop en kun je alsnog kijken.", "nl",
         ["Om 21:00 staat hij erop", "en kun je alsnog kijken."]),  # a modal before the customer
        ("We'll refund it asap, can you DM us the date of the trip?", "en",
         ["We'll refund it asap", "can you DM us the date of the trip?"]),  # a question of its own
        ("Het blad wordt op maat gezaagd en dat onze monteur het voor het eind van de week plaatst.", "nl",
         ["Het blad wordt op maat gezaagd", "en dat onze monteur het voor het eind van de week plaatst."]),  # a second "dat" part
        ("We storten het bedrag én de rente vandaag terug.", "nl",
         ["We storten het bedrag én de rente vandaag terug."]),  # an emphatic "én" joins two things
        ("We storten het bedrag en de monteur komt morgen.", "nl",
         ["We storten het bedrag", "en de monteur komt morgen."]),
        ("We sturen de grepen maandag mee en de monteur plaatst ze dinsdag.", "nl",
         ["We sturen de grepen maandag mee", "en de monteur plaatst ze dinsdag."]),  # a fitter's verb
        ("Kom maar even langs, dan lijmen we ze opnieuw.", "nl",
         ["Kom maar even langs", "dan lijmen we ze opnieuw."]),  # "maar" softens the request: no "but"
        ("Ik heb het opnieuw ingepland en vanmiddag staat de bezorger bij je voor de deur.", "nl",
         ["Ik heb het opnieuw ingepland", "en vanmiddag staat de bezorger bij je voor de deur."]),  # a verb, then someone for us
        ("Our team will open the locker tomorrow morning and DM you a new code by 1pm.", "en",
         ["Our team will open the locker tomorrow morning", "and DM you a new code by 1pm."]),  # "DM" as a verb
        ("Dinsdag is nog vrij; laat maar weten wat je wilt.", "nl",
         ["Dinsdag is nog vrij", "laat maar weten wat je wilt."]),  # nor in "laat maar weten"
        ("Ik mail je vanavond een label en maandag om 10:00 bezorgt onze koerier de borden.", "nl",
         ["Ik mail je vanavond een label", "en maandag om 10:00 bezorgt onze koerier de borden."]),  # a clock time is one word
        ("De sensor is binnen en Ruud bouwt hem morgenochtend in.", "nl",
         ["De sensor is binnen", "en Ruud bouwt hem morgenochtend in."]),  # a name, its verb and the object
        ("PostNL haalt het niet meer, daarom brengt onze koerier het morgen.", "nl",
         ["PostNL haalt het niet meer", "daarom brengt onze koerier het morgen."]),  # a linking adverb, then ours
        ("Dr. Hendriks belt je maandag.", "nl", ["Dr. Hendriks belt je maandag."]),  # a title's dot ends no sentence
        ("Stuur ons je adres, dan komt er morgen een koerier langs.", "nl",
         ["Stuur ons je adres", "dan komt er morgen een koerier langs."]),
        ("We've refunded the box, enjoy your weekend!", "en", ["We've refunded the box", "enjoy your weekend!"]),
        # "and phone number": a noun after the verb-like word; the inverted "… and we" not across another "and"
        ("Post your address and phone number here and we'll calculate the costs.", "en",
         ["Post your address and phone number here", "and we'll calculate the costs."]),
        ("Ik heb je DM gevonden en reageer er morgenochtend op.", "nl",
         ["Ik heb je DM gevonden", "en reageer er morgenochtend op."]),  # a verb of ours after "en"
        ("Bellen lukt vandaag niet meer, de keuken draait op volle toeren.", "nl",
         ["Bellen lukt vandaag niet meer", "de keuken draait op volle toeren."]),
    ],
)
def test_clause_split(text, language, clauses):
    assert clause_texts(text, language) == clauses


def only(text: str, language: str):
    analysis = analyse(text, language)
    assert len(analysis.clauses) == 1, [analysis.excerpt(c) for c in analysis.clauses]
    return analysis.clauses[0]


@pytest.mark.parametrize(
    ("text", "language", "actor"),
    [
        ("We bellen je morgen.", "nl", "we"),
        ("Morgen bel ik je.", "nl", "we"),
        ("Een collega belt je vanmiddag.", "nl", "for_us"),
        ("De monteur komt morgen.", "nl", "for_us"),
        ("Een bezorger van ons brengt het vanavond.", "nl", "for_us"),
        ("PostNL bezorgt meestal binnen twee dagen.", "nl", "third_party"),
        ("De fabrikant belt je terug.", "nl", "third_party"),
        ("Je krijgt morgen een mail.", "nl", "customer"),
        ("Zet je modem even uit.", "nl", "customer"),
        ("Je pakket is onderweg.", "nl", "thing"),
        ("Wacht niet op een expert.", "nl", "customer"),  # "op een expert": not the subject
        ("We'll call you tomorrow.", "en", "we"),
        ("Our engineer will replace the meter on Monday.", "en", "for_us"),
        ("Your bank will contact you.", "en", "third_party"),
        ("You'll receive an email tomorrow.", "en", "customer"),
        ("Please reset your router.", "en", "customer"),
        ("The app updates overnight.", "en", "thing"),
        ("Excuses voor de uitval deze week, Jeroen.", "nl", "thing"),  # the customer addressed
        ("De verzorgende van uw moeder, Marleen, belt u morgen.", "nl", "for_us"),  # named between commas
        ("Alles staat op https://shop.nl/klantenservice/verzenden", "nl", "thing"),  # a link's words
    ],
)
def test_actor(text, language, actor):
    assert only(text, language).actor == actor


def test_a_subjectless_clause_continues_the_subject_before_it():
    analysis = analyse("Een collega zoekt het uit en belt je binnen 3 werkdagen.", "nl")
    second = analysis.clauses[1]
    assert (second.actor, second.continues) == ("for_us", True)


def test_a_participle_without_verb_shares_the_perfect_before_it():
    text = "Ik heb uw abonnement stopgezet en de €65 vandaag teruggestort; het staat binnen drie werkdagen op je rekening."
    assert [c.tense for c in analyse(text, "nl").clauses] == ["done", "done", "planned"]


def test_he_and_she_are_the_person_named_before():
    analysis = analyse("Ik heb een monteur ingepland en hij belt je vandaag.", "nl")
    assert analysis.clauses[1].actor == "for_us"


@pytest.mark.parametrize(
    ("text", "language", "negated"),
    [
        ("We kunnen je vandaag niet meer bellen.", "nl", True),
        ("We hebben geen monteur meer vrij.", "nl", True),
        ("Dat gebeurt nooit meer.", "nl", True),
        ("Niet getreurd, morgen komt de monteur.", "nl", False),
        ("We ruilen je auto morgen om, daar hoeft niemand iets voor te doen.", "nl", False),  # another part's negation
        ("We sturen je een nieuwe lader voor de oude die niet werkt.", "nl", False),  # a subordinate part's
        ("Lukt dat niet, bel dan onze blokkeerlijn.", "nl", False),  # the condition's
        ("We can't call you today.", "en", True),
        ("We will not charge you.", "en", True),
        ("No worries, tomorrow we'll call you.", "en", False),
        ("Make sure you're on wifi and scan the QR code in your phone's settings, not with the camera.", "en", False),
        ("Zet wifi aan en scan de code in de app, niet met je camera.", "nl", False),  # a contrast
        ("Neem contact op met je reisbureau, daar kunnen wij niets in betekenen.", "nl", False),  # not the instruction's part
    ],
)
def test_negation(text, language, negated):
    assert only(text, language).negated is negated


@pytest.mark.parametrize(
    ("text", "language", "tense"),
    [
        ("Je bestelling is gisteren verzonden.", "nl", "done"),
        ("Dat heb ik vanochtend hersteld.", "nl", "done"),
        ("De €61,40 heb ik net naar je teruggestort.", "nl", "done"),
        ("De bezorgbussen zijn al vertrokken.", "nl", "done"),
        ("De bezorger is om 9:40 op Kerkstraat 12, 3511 AB Utrecht geweest.", "nl", "done"),  # an address's comma
        ("U had vorige week bericht moeten krijgen.", "nl", "should_have"),
        ("We bellen je morgen.", "nl", "planned"),
        ("Je pakket wordt morgen bezorgd.", "nl", "planned"),
        ("We zullen het uitzoeken.", "nl", "planned"),
        ("De winkel is groot.", "nl", "present"),
        ("I've refunded it.", "en", "done"),
        ("Your meter stopped sending readings on 8 October.", "en", "done"),
        ("You should have received an email.", "en", "should_have"),
        ("It was supposed to arrive yesterday.", "en", "should_have"),
        ("We'll call you tomorrow.", "en", "planned"),
        ("I'll email you by Tuesday to explain why you were moved.", "en", "planned"),
        ("Our staff test the battery in store.", "en", "present"),  # English present: how things go
    ],
)
def test_tense(text, language, tense):
    assert only(text, language).tense == tense


@pytest.mark.parametrize(
    ("text", "language", "mood"),
    [
        ("We bellen je morgen.", "nl", "statement"),
        ("Stuur je ons een DM?", "nl", "question"),
        ("We bellen je morgen om 10:00, is dat goed?", "nl", "statement"),  # a tag only checks
        ("Zet je modem even uit en weer aan.", "nl", "instruction"),
        ("Je kunt het zelf lager zetten in de app.", "nl", "instruction"),
        ("Laat het ons weten.", "nl", "instruction"),
        ("Wie binnen 14 dagen retourneert, krijgt het hele bedrag terug.", "nl", "general"),
        ("Bij een storing krijg je automatisch updates per sms.", "nl", "general"),
        ("Waardevolle spullen worden alleen vergoed als ze achter slot liggen.", "nl", "general"),
        ("Als je ons je ordernummer stuurt, bel ik je morgen.", "nl", "condition"),
        ("Dan brengt onze koerier het morgen langs.", "nl", "condition"),
        ("Als je voor 22:00 bestelt, heb je het morgen in huis.", "nl", "general"),
        ("We'll call you tomorrow.", "en", "statement"),
        ("Could you send us your order number?", "en", "question"),
        ("Please reset your router.", "en", "instruction"),
        ("You can change it in the app.", "en", "instruction"),
        ("DHL usually delivers within two days.", "en", "general"),
        ("If you send us your order number, I'll call you tomorrow.", "en", "condition"),
        ("Retouren verwerken we binnen 14 dagen.", "nl", "general"),  # a bare plural we handle
        ("Wij verzoeken u dit uiterlijk 31 januari te doen.", "nl", "instruction"),  # our request to the customer
        ("Voorlopig bezorgen we alleen in Nederland.", "nl", "general"),  # only: the scope of a service
        # what to do and what it brings; a request to us with what we then do stays a condition
        ("Download versie 4.2 uit de app store, dan klopt de temperatuur weer.", "nl", "instruction"),
        ("Vervang de batterijen even, dan zou hij het weer moeten doen.", "nl", "instruction"),
        ("Stuur ons een DM met je naam, dan staat er vanavond een tegoed op je account.", "nl", "condition"),
    ],
)
def test_mood(text, language, mood):
    assert only(text, language).mood == mood


def test_a_request_with_a_timed_step_after_it_is_the_question():
    clauses = analyse("Stuur je hier je adres, dan bellen we je morgen om het rond te maken?", "nl").clauses
    assert [c.mood for c in clauses] == ["question", "condition"]


def test_asked_now_the_act_asked_for_lies_ahead():
    assert only("Ik heb Jeroen gevraagd je vanavond te bellen.", "nl").tense == "planned"
    assert only("Ik heb het vanochtend aan Jeroen gevraagd.", "nl").tense == "done"
    # asked for something that does not reach the customer: done
    assert only("Ik heb de vestiging gevraagd hem vandaag voorrang te geven.", "nl").tense == "done"


def test_a_condition_split_off_by_its_comma_stays_a_condition():
    first, second = analyse("Als je de jas morgen brengt, zorgt onze kleermaker dat de voering vrijdag hersteld is.", "nl").clauses
    assert (first.mood, second.actor) == ("condition", "for_us")


def test_a_leading_whether_part_is_asked_not_said():
    clauses = analyse("De tandarts kijkt je gebit na. Of die vergoed wordt, hangt af van je verzekering.", "nl").clauses
    assert (clauses[-1].actor, clauses[-1].marks) == ("thing", frozenset())
    # "of" before an instruction is "or"
    assert analyse("Of stuur ons een DM, dan bellen we je terug.", "nl").clauses[0].mood == "instruction"


def test_the_words_of_a_bare_domain_say_nothing():
    clause = only("Je kunt je zelf afmelden via bel-me-niet.org.", "nl")
    assert (clause.negated, clause.mood) == (False, "instruction")


def test_what_follows_from_how_something_works_is_general():
    clauses = analyse("Het saldo wordt elke nacht bijgewerkt, dus een betaling zie je morgen terug.", "nl").clauses
    assert [c.mood for c in clauses] == ["general", "general"]


def test_times_belong_to_their_clause_not_to_its_condition():
    clause = only("Als je ons vóór 16:00 je ordernummer stuurt, bel ik je morgen.", "nl")
    assert [t.text for t in clause.times] == ["morgen"]


def test_spans_point_into_the_text():
    text = "Hoi Sanne, sorry! Een collega belt je morgen."
    analysis = analyse(text, "nl")
    assert [text[c.start : c.end] for c in analysis.clauses] == ["Hoi Sanne, sorry!", "Een collega belt je morgen."]
    assert all(text[s:e] for c in analysis.clauses for _label, s, e in c.evidence if e > s)


def test_the_language_is_detected_when_not_given():
    assert analyse("We'll call you tomorrow.").language == "en"
    assert analyse("We bellen je morgen.").language == "nl"
    # "hi" and "we" are both Dutch webcare too: the Dutch words decide
    assert analyse("Hi Kevin, we gaan ernaar kijken! ^Tim").language == "nl"
    assert analyse("Hi Kevin, we'll look into it! ^Tim").language == "en"
