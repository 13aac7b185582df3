"""Guideline search with the words agents actually type: everyday Dutch and English, abbreviations.

Each query must rank the right guideline first. The synonyms that make this work live in the
guidelines' front matter (`synonyms:`), so a team that adds a guideline adds its words there.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError
from bot.corpus import Corpus, load_guideline

ROOT = Path(__file__).resolve().parent.parent

# (query, the guideline that must come first)
QUERIES = [
    # Dutch
    ("wachttijd", "snel-reageren"),
    ("klant wacht al twee dagen op antwoord", "snel-reageren"),
    ("AVG", "klacht-naar-dm"),
    ("privacy", "klacht-naar-dm"),
    ("mag ik om een huisnummer vragen in een tweet", "klacht-naar-dm"),
    ("u je", "consequente-aanspreekvorm"),
    ("u of je", "consequente-aanspreekvorm"),
    ("terugbellen", "concrete-beloftes"),
    ("klant is niet teruggebeld", "beloftes-nakomen"),
    ("compensatie", "durf-te-compenseren"),
    ("geld terug", "durf-te-compenseren"),
    ("DM", "klacht-naar-dm"),
    ("sorry zeggen", "begrip-excuses-oplossing"),
    ("boze klant scheldt", "respectvol-blijven"),
    ("hoofdletters", "respectvol-blijven"),
    ("grapje bij een klacht", "geen-grappen-bij-klachten"),
    ("gif sturen", "beeld-na-hulp"),
    ("we kijken ernaar", "geen-loze-beloftes"),
    ("PostNL is het pakket kwijt", "verantwoordelijkheid-nemen"),
    ("geachte", "geen-ambtelijke-taal"),
    ("beste klant", "persoonlijk"),
    ("tweet te lang", "kort-en-passend"),
    ("zoals eerder aangegeven", "niet-kleineren"),
    ("klant blijft maar zeuren", "durf-af-te-sluiten"),
    ("terugkerend probleem", "leren-van-klachten"),
    # English
    ("waiting time", "snel-reageren"),
    ("GDPR", "klacht-naar-dm"),
    ("refund", "durf-te-compenseren"),
    ("how do I apologise", "begrip-excuses-oplossing"),
    ("when will we call back", "concrete-beloftes"),
    ("fake empathy", "echte-empathie"),
    ("explain what went wrong", "eerlijk-uitleggen"),
    ("customer is yelling in caps", "respectvol-blijven"),
    ("discount code in a complaint reply", "geen-verkooppraatje"),
    ("blame the courier", "verantwoordelijkheid-nemen"),
    ("dear customer", "persoonlijk"),
    ("character limit", "kort-en-passend"),
    ("false hope", "realistische-oplossing"),
    ("underlying need", "vraag-achter-de-vraag"),
    ("I'll look into it", "geen-loze-beloftes"),
]


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return Corpus.load(ROOT / "guidelines" / "corpus")


def test_the_table_has_forty_queries_in_both_languages_and_known_guidelines(corpus: Corpus) -> None:
    assert len(QUERIES) == 40 and len({q for q, _ in QUERIES}) == 40
    assert {expected for _, expected in QUERIES} <= set(corpus.guidelines)


@pytest.mark.parametrize(("query", "expected"), QUERIES, ids=[q for q, _ in QUERIES])
def test_everyday_query_ranks_the_right_guideline_first(corpus: Corpus, query: str, expected: str) -> None:
    found = [g.id for g in corpus.search(query)]
    assert found and found[0] == expected, f"{query!r}: {found}"


def test_every_guideline_has_synonyms_for_everyday_words(corpus: Corpus) -> None:
    assert all(g.synonyms for g in corpus.guidelines.values())
    assert "AVG" in corpus["klacht-naar-dm"].synonyms
    assert corpus["klacht-naar-dm"].to_dict()["synonyms"] == list(corpus["klacht-naar-dm"].synonyms)


def _guideline_with(tmp_path: Path, extra_front_matter: str) -> Path:
    text = (ROOT / "guidelines/corpus/snel-reageren.md").read_text(encoding="utf-8")
    front, body = text.split("\n---\n", 1)
    lines = [line for line in front.splitlines() if not line.startswith("synonyms:")]
    path = tmp_path / "snel-reageren.md"
    path.write_text("\n".join(lines) + extra_front_matter + "\n---\n" + body, encoding="utf-8")
    return path


def test_synonyms_are_optional(tmp_path: Path) -> None:
    assert load_guideline(_guideline_with(tmp_path, "")).synonyms == ()


@pytest.mark.parametrize("bad", ["\nsynonyms: wachttijd", "\nsynonyms: [wachttijd, 3]", "\nsynonyms: ['']"])
def test_bad_synonyms_name_the_file_and_field(tmp_path: Path, bad: str) -> None:
    with pytest.raises(ConfigError, match=r"snel-reageren\.md: field 'synonyms'"):
        load_guideline(_guideline_with(tmp_path, bad))


def test_a_query_of_only_stopwords_still_searches(corpus: Corpus) -> None:
    assert corpus.search("u")[0].id == "consequente-aanspreekvorm"
    assert corpus.search("  ") == []
