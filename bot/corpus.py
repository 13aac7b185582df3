"""The guideline corpus: one Markdown file per guideline, loaded strictly and searched by rank.

Search uses SQLite full-text search (FTS5, bm25 ranking) over words reduced to their stems by
the Dutch and the English Snowball stemmers, so "beloftes", "belofte" and "promises" find
the same guidelines and the title and tags weigh more than the body. A guideline's optional
`synonyms` (everyday words and abbreviations agents search with: "wachttijd", "AVG", "u/je")
weigh as much as its tags.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import snowballstemmer

from bot.config import ConfigError, read_yaml
from bot.review.rules import CATEGORIES
from bot.review.text import fold

SECTIONS = ("Principe", "Waarom", "Wel", "Niet", "Summary")
_FIELDS = ("id", "title", "tags", "source", "categories")  # required; `synonyms` is optional


@dataclass(frozen=True)
class Guideline:
    id: str
    title: str
    tags: tuple[str, ...]
    synonyms: tuple[str, ...]
    source: str
    categories: tuple[str, ...]
    principle: str
    why: str
    do: str
    dont: str
    summary: str
    path: Path

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id, "title": self.title, "tags": list(self.tags), "synonyms": list(self.synonyms),
            "source": self.source,
            "categories": list(self.categories), "principle": self.principle, "why": self.why,
            "do": self.do, "dont": self.dont, "summary": self.summary,
        }


def _unquote(block: str) -> str:
    """An example is written as a Markdown quote; keep its text."""
    return "\n".join(re.sub(r"^>\s?", "", line) for line in block.strip().splitlines()).strip()


def load_guideline(path: Path) -> Guideline:
    def fail(field: str, problem: str) -> None:
        raise ConfigError(f"{path}: field '{field}': {problem}")

    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    match = re.match(r"^---\n(.*?)\n---\n(.*)$", text, re.DOTALL)
    if not match:
        raise ConfigError(f"{path}: missing front matter between '---' lines")
    meta = read_yaml(path, match.group(1))
    if not isinstance(meta, dict):
        raise ConfigError(f"{path}: front matter must be a mapping of fields")
    for name in _FIELDS:
        if name not in meta:
            fail(name, "missing")
    for name in ("id", "title", "source"):
        if not isinstance(meta[name], str) or not meta[name].strip():
            fail(name, "expected a non-empty text")
    if meta["id"] != path.stem:
        fail("id", f"{meta['id']!r} differs from the file name {path.stem!r}")
    meta.setdefault("synonyms", [])
    for name in ("tags", "synonyms", "categories"):
        if not isinstance(meta[name], list) or any(not isinstance(x, str) or not x.strip() for x in meta[name]):
            fail(name, "expected a list of words")
    for category in meta["categories"]:
        if category not in CATEGORIES:
            fail("categories", f"{category!r} is not a category of the contract")

    parts = re.split(r"^## +(.+?)\s*$", match.group(2), flags=re.MULTILINE)
    headings = [h.strip() for h in parts[1::2]]
    if tuple(headings) != SECTIONS:
        fail("sections", f"expected the headings {', '.join(SECTIONS)} in that order, found {', '.join(headings) or 'none'}")
    body = dict(zip(headings, (p.strip() for p in parts[2::2])))
    for heading in SECTIONS:
        if not body[heading]:
            fail(heading, "section is empty")
    return Guideline(
        id=meta["id"], title=meta["title"].strip(), tags=tuple(meta["tags"]), synonyms=tuple(meta["synonyms"]),
        source=meta["source"].strip(),
        categories=tuple(meta["categories"]), principle=body["Principe"], why=body["Waarom"],
        do=_unquote(body["Wel"]), dont=_unquote(body["Niet"]), summary=body["Summary"], path=path,
    )


_WORD = re.compile(r"[a-z0-9]+")
# Words too common to rank on, dropped from queries (not from the index).
_STOPWORDS = frozenset(
    "de het een en te van in op je jij u ik we is zijn niet dat met voor aan bij of hoe wat "
    "the a an and to of in on you i we is are not that with for at by or how what".split()
)
_STEMMERS = threading.local()  # a Snowball stemmer keeps state while it works: one per thread


def _stemmers() -> tuple[Any, Any]:
    if not hasattr(_STEMMERS, "pair"):
        _STEMMERS.pair = (snowballstemmer.stemmer("dutch"), snowballstemmer.stemmer("english"))
    return _STEMMERS.pair


@lru_cache(maxsize=4096)
def _stems(word: str) -> tuple[str, ...]:
    dutch, english = _stemmers()
    return tuple(dict.fromkeys((word, dutch.stemWord(word), english.stemWord(word))))


def _index_text(text: str) -> str:
    return " ".join(stem for word in _WORD.findall(fold(text)) for stem in _stems(word))


class Corpus:
    """All guidelines of a folder, by id, with ranked search."""

    # bm25 weights per column: title, tags, synonyms, categories, summary, principle, rest of the body
    _WEIGHTS = (8.0, 6.0, 6.0, 2.0, 3.0, 2.0, 1.0)

    def __init__(self, guidelines: list[Guideline]):
        self.guidelines = {g.id: g for g in guidelines}
        self._lock = threading.Lock()  # lookups come from several threads; one in-memory index

    @cached_property
    def _db(self) -> sqlite3.Connection:
        """The search index, built on the first search (a review needs only the ids)."""
        db = sqlite3.connect(":memory:", check_same_thread=False)
        db.execute(
            "CREATE VIRTUAL TABLE docs"
            " USING fts5(id UNINDEXED, title, tags, synonyms, categories, summary, principle, body)"
        )
        db.executemany(
            "INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    g.id, _index_text(g.title + " " + g.id.replace("-", " ")), _index_text(" ".join(g.tags)),
                    _index_text(" ".join(g.synonyms)),
                    _index_text(" ".join(c.replace("_", " ") for c in g.categories)), _index_text(g.summary),
                    _index_text(g.principle), _index_text(" ".join((g.why, g.do, g.dont))),
                )
                for g in self.guidelines.values()
            ],
        )
        return db

    @classmethod
    def load(cls, folder: Path) -> Corpus:
        files = sorted(folder.glob("*.md"))
        if not files:
            raise ConfigError(f"{folder}: no guideline files (*.md) found")
        return cls([load_guideline(path) for path in files])

    def __getitem__(self, guideline_id: str) -> Guideline:
        return self.guidelines[guideline_id]

    def __contains__(self, guideline_id: object) -> bool:
        return guideline_id in self.guidelines

    def for_category(self, category: str) -> list[Guideline]:
        return [g for g in self.guidelines.values() if category in g.categories]

    def search(self, query: str, limit: int = 3) -> list[Guideline]:
        """Best matches first; any query word may match, the more and rarer the better."""
        words = list(dict.fromkeys(_WORD.findall(fold(query))))
        # Stopwords are dropped, unless they are the whole query ("u je", "you").
        terms = [" OR ".join(f'"{stem}"*' for stem in _stems(word))
                 for word in ([w for w in words if w not in _STOPWORDS] or words)]
        if not terms:
            return []
        weights = ", ".join(["0.0", *map(str, self._WEIGHTS)])
        with self._lock:
            rows = self._db.execute(
                f"SELECT id FROM docs WHERE docs MATCH ? ORDER BY bm25(docs, {weights}) LIMIT ?",
                (" OR ".join(f"({t})" for t in terms), limit),
            ).fetchall()
        return [self.guidelines[row[0]] for row in rows]
