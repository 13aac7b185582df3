"""What a mention asks: draft, customer's message and channel, in every documented form."""

from __future__ import annotations

import pytest

from bot.mention import Request, parse_request

DRAFT = "Hoi Sanne, wat vervelend! Ik bel je morgen. ^Tom"
CUSTOMER = "Mijn pakket is al een week kwijt!"


@pytest.mark.parametrize(("text", "expected"), [
    # a draft, with or without a channel word
    (DRAFT, Request(DRAFT, None, None)),
    (f"fb {DRAFT}", Request(DRAFT, None, "facebook")),
    (f"X: {DRAFT}", Request(DRAFT, None, "twitter")),
    (f"mail\n{DRAFT}", Request(DRAFT, None, "email")),
    # the customer quoted on lines of their own
    (f"> {CUSTOMER}\n{DRAFT}", Request(DRAFT, CUSTOMER, None)),
    (f"> {CUSTOMER}\n> Echt slecht.\nfb {DRAFT}", Request(DRAFT, f"{CUSTOMER}\nEcht slecht.", "facebook")),
    (f"fb\n> {CUSTOMER}\n{DRAFT}", Request(DRAFT, CUSTOMER, "facebook")),
    # the README's one-line form: "@coach fb > klant… draft…"
    (f"fb > {CUSTOMER} | {DRAFT}", Request(DRAFT, CUSTOMER, "facebook")),
    (f"fb > {CUSTOMER} // {DRAFT}", Request(DRAFT, CUSTOMER, "facebook")),
    (f"fb > {CUSTOMER} >> {DRAFT}", Request(DRAFT, CUSTOMER, "facebook")),
    (f'insta > "{CUSTOMER}" {DRAFT}', Request(DRAFT, CUSTOMER, "instagram")),
    (f"> “{CUSTOMER}” {DRAFT}", Request(DRAFT, CUSTOMER, None)),
    (f"fb > {CUSTOMER} {DRAFT}", Request(DRAFT, CUSTOMER, "facebook")),  # the greeting opens the draft
    ("x > waarom duurt dit zo lang hoi? Hoi Bas, sorry!", Request("Hoi Bas, sorry!", "waarom duurt dit zo lang hoi?", "twitter")),
    ("> Ik zei hallo tegen de bezorger. hallo Bas, dank!", Request("hallo Bas, dank!", "Ik zei hallo tegen de bezorger.", None)),
    (f"> {CUSTOMER} | x {DRAFT}", Request(DRAFT, CUSTOMER, "twitter")),
    # where the draft starts is unclear: all of it is the customer's, the draft stays empty
    (f"fb > {CUSTOMER} wij kijken ernaar", Request("", f"{CUSTOMER} wij kijken ernaar", "facebook")),
    (f"> {CUSTOMER}", Request("", CUSTOMER, None)),
    ("", Request("", None, None)),
    ("fb", Request("", None, "facebook")),
])
def test_parse_request(text: str, expected: Request) -> None:
    assert parse_request(text) == expected


@pytest.mark.parametrize("text", [
    f"fb > {CUSTOMER} {DRAFT}", f"> {CUSTOMER} | {DRAFT}", f"x > {CUSTOMER} wij kijken ernaar", f"> {CUSTOMER}",
])
def test_the_customers_words_never_end_up_in_the_draft(text: str) -> None:
    assert "kwijt" not in parse_request(text).draft
