import pytest

from bot.review.pii import PersonalData, find_personal_data


def expected(text: str, *found: tuple[str, str]) -> list[PersonalData]:
    """PersonalData for (kind, substring) pairs; each substring occurs once in `text`."""
    items = []
    for kind, part in found:
        assert text.count(part) == 1, part
        start = text.index(part)
        items.append(PersonalData(kind, start, start + len(part), part))
    return items


def check(text: str, *found: tuple[str, str]) -> None:
    assert find_personal_data(text) == expected(text, *found)


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("Bel me gerust op 06-12345678.", "06-12345678"),
        ("Mijn nummer is 06 12 34 56 78, bel maar na vijven.", "06 12 34 56 78"),
        ("Je kunt Sanne bereiken op 0612345678", "0612345678"),
        ("We bellen je terug op 06 - 1234 5678 zodra we meer weten.", "06 - 1234 5678"),
        ("Vanuit het buitenland: +31 6 12345678.", "+31 6 12345678"),
        ("Vanuit het buitenland: +31(0)6-1234 5678.", "+31(0)6-1234 5678"),
        ("Bel +31 (0)20 123 4567 voor de afdeling.", "+31 (0)20 123 4567"),
        ("Of bel 0031 6 12345678 als je in België zit.", "0031 6 12345678"),
        ("Het nummer van de winkel is 020-1234567.", "020-1234567"),
        ("Je vader belde vanaf 010 123 45 67 gisteren.", "010 123 45 67"),
        ("De monteur belt vanaf 0591-123456.", "0591-123456"),
        ("Bel (020) 123 4567 tussen 9 en 17 uur.", "(020) 123 4567"),
        ("My number is +32 470 12 34 56, call me.", "+32 470 12 34 56"),
        ("Call +44 20 7946 0958 after six.", "+44 20 7946 0958"),
        ("Reach me at +1 (555) 123-4567.", "+1 (555) 123-4567"),
        ("Mon portable: +33 6 12 34 56 78.", "+33 6 12 34 56 78"),
    ],
)
def test_phone_numbers(text: str, number: str) -> None:
    check(text, ("phone", number))


@pytest.mark.parametrize(
    "text",
    [
        "Bel ons gratis op 0800-1234.",
        "Bel ons op 0800 123 456 of 0900 123 456.",
        "Onze infolijn is 0900-1234567.",
        "Vanuit het buitenland: +31 800 123 456.",
        "Je krijgt € 120,50 terug.",
        "Het gaat om € 1.234,56 in totaal.",
        "We komen op 12-03-2026 om 14:30.",
        "Levering op 3/12, zoals afgesproken.",
        "Je bestelling 20241234567 is onderweg.",
        "Sinds 2026 geven we 15% korting.",
        "Bel 06-1234567 (te kort) of 061234567890 (te lang).",
        "Het nummer +31 6 1234 is onvolledig.",
        "Typ +49 123 in het veld.",
        "Ons adres is 3581 KD Utrecht.",
    ],
)
def test_no_phone_numbers(text: str) -> None:
    assert [item for item in find_personal_data(text) if item.kind == "phone"] == []


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("Mail ons op klantenservice@bol.com.", "klantenservice@bol.com"),
        (
            "Stuur de foto naar jan.de-vries+webcare@mail.example.co.uk!",
            "jan.de-vries+webcare@mail.example.co.uk",
        ),
        ("Je mailadres (zoë.müller@gmx.de) klopt niet.", "zoë.müller@gmx.de"),
    ],
)
def test_email_addresses(text: str, address: str) -> None:
    check(text, ("email", address))


@pytest.mark.parametrize(
    "text",
    [
        "Kijk op https://www.bol.com/klantenservice voor meer info.",
        "Hoi @jan_de_vries, stuur ons een DM via @bol_com!",
        "Vul het veld info@ aan met je domein.",
        "Zie www.example.nl/contact.",
    ],
)
def test_no_email_addresses(text: str) -> None:
    assert find_personal_data(text) == []


@pytest.mark.parametrize(
    ("text", "iban"),
    [
        # Check digits do not add up, but the Dutch shape is reported anyway.
        ("Helaas, de terugbetaling naar NL44KROO0123456789 is mislukt.", "NL44KROO0123456789"),
        ("We maken het over naar NL91 ABNA 0417 1643 00 vandaag.", "NL91 ABNA 0417 1643 00"),
        ("Ontvangen van nl91abna0417164300, bedankt.", "nl91abna0417164300"),
        ("Je rekening DE89 3704 0044 0532 0130 00 staat genoteerd.", "DE89 3704 0044 0532 0130 00"),
        ("BE68 5390 0754 7034 voor de terugbetaling", "BE68 5390 0754 7034"),
        ("Compte FR14 2004 1010 0505 0001 3M02 606 reçu.", "FR14 2004 1010 0505 0001 3M02 606"),
        ("Account GB29NWBK60161331926819, thanks.", "GB29NWBK60161331926819"),
    ],
)
def test_ibans(text: str, iban: str) -> None:
    check(text, ("iban", iban))


@pytest.mark.parametrize(
    "text",
    [
        # Wrong check digits outside the Dutch shape: nothing, and no phone number inside either.
        "Het nummer DE89 3704 0044 0532 0130 01 klopt niet.",
        "Het nummer BE68 5390 0754 7035 klopt niet.",
        # Too short for a Dutch IBAN.
        "Je schreef NL91 ABNA 0417 1643, dat is te kort.",
    ],
)
def test_no_ibans(text: str) -> None:
    assert find_personal_data(text) == []


@pytest.mark.parametrize(
    ("text", "address"),
    [
        (
            "Ik zie dat de monteur naar Kerkstraat 21, 3581 KD Utrecht is gegaan.",
            "Kerkstraat 21, 3581 KD Utrecht",
        ),
        ("Bezorgd op Street 21a 3581KD vanochtend.", "Street 21a 3581KD"),
        ("Het pakket ging naar 3581 KD 21.", "3581 KD 21"),
        ("Afleveradres 3581KD, 21-3 klopt.", "3581KD, 21-3"),
        ("Naar Van Goghstraat 5, 2511 CV Den Haag.", "Van Goghstraat 5, 2511 CV Den Haag"),
        ("Ophalen bij Oude Gracht 12 bis, 3511 AB Utrecht", "Oude Gracht 12 bis, 3511 AB Utrecht"),
        ("Het staat op kerkstraat 21 in 3581 KD, klopt dat?", "kerkstraat 21 in 3581 KD"),
        (
            "Bezorging op Burgemeester van Reenensingel 101 2803 PA Gouda.",
            "Burgemeester van Reenensingel 101 2803 PA Gouda",
        ),
    ],
)
def test_postcode_with_house_number(text: str, address: str) -> None:
    check(text, ("postcode_house", address))


@pytest.mark.parametrize(
    "text",
    [
        "Ons kantoor zit in 3581 KD Utrecht.",
        "Ik woon 4 hoog, de lift is stuk.",
        "Op 12 maart bezorgen we in 3581 KD.",
        "Postcode 1234 SA 5 bestaat niet.",
        "Postcode 0123 AB 5 bestaat niet.",
    ],
)
def test_no_postcode_with_house_number(text: str) -> None:
    assert find_personal_data(text) == []


@pytest.mark.parametrize(
    ("text", "bsn"),
    [
        ("Je BSN 111222333 hebben we niet nodig.", "111222333"),
        ("Het BSN 1234.56.782 staat op het formulier.", "1234.56.782"),
        ("Het BSN 123 456 782 staat op het formulier.", "123 456 782"),
    ],
)
def test_bsn(text: str, bsn: str) -> None:
    check(text, ("bsn", bsn))


@pytest.mark.parametrize(
    "text",
    [
        "Het nummer 123456789 is geen BSN: de elfproef faalt.",
        "Het nummer 000000000 is geen BSN.",
        "Ordernummer 1112223330 is verzonden.",
        "Ordernummer 111222333444 is verzonden.",
        "Zending 2024.111222333 is verzonden.",
        "Het bedrag van € 111.222.333 klopt niet.",  # thousands separators: an amount
    ],
)
def test_no_bsn(text: str) -> None:
    assert find_personal_data(text) == []


def test_mixed_text_is_sorted_and_non_overlapping() -> None:
    text = (
        "Hoi Sanne, de monteur ging naar Kerkstraat 21, 3581 KD Utrecht. De terugbetaling "
        "naar NL44KROO0123456789 is mislukt; bel ons op 0800-1234 of mail "
        "jan.jansen@example.nl. We bellen je op 06-12345678 om 14:30. Je BSN 111222333 "
        "hebben we niet nodig. Groetjes, Roos"
    )
    check(
        text,
        ("postcode_house", "Kerkstraat 21, 3581 KD Utrecht"),
        ("iban", "NL44KROO0123456789"),
        ("email", "jan.jansen@example.nl"),
        ("phone", "06-12345678"),
        ("bsn", "111222333"),
    )


def test_phone_number_wins_over_bsn_inside_it() -> None:
    check("Bel +31 111 222 333 voor je afspraak.", ("phone", "+31 111 222 333"))


def test_nothing_in_plain_reply() -> None:
    assert find_personal_data("Wat vervelend! We zoeken het uit en laten het je weten.") == []


def test_thousands_of_candidates_each_found_once():
    """Overlapping candidates are settled longest first, also when there are thousands."""
    text = " ".join(f"Bel 06-1234{i:04d} of mail a{i}@example.nl, IBAN NL91ABNA0417164300." for i in range(2000))
    found = find_personal_data(text)
    assert [p.kind for p in found].count("phone") == 2000 and [p.kind for p in found].count("email") == 2000
    assert [p.kind for p in found].count("iban") == 2000
    assert all(a.end <= b.start for a, b in zip(found, found[1:]))
