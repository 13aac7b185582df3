"""Word lists with plain alternatives (`guidelines/lexicons/*.yaml`), compiled into one matcher.

An entry names a formal word or phrase, the forms it takes in a draft (inflections; a form with
"…" has parts that may stand a few words apart, as in "dient … te"), its plain alternative, the
contexts where it is ordinary (`unless`: regular expressions on the folded sentence; a match that
overlaps the hit silences it), and the examples that test it (`examples` must be flagged, `silent`
must not). All forms of all entries go into one Aho-Corasick automaton, so one pass over the folded
draft finds every candidate, whatever the size of the list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ahocorasick

from bot.config import ConfigError, read_yaml
from bot.review.text import fold

GAP = "…"
MAX_GAP_WORDS = 9  # how many words may stand between the parts of a form with a gap
CONTEXT = 120  # characters on either side of a hit that its `unless` patterns may look at
_WORD_CHAR = re.compile(r"\w")
_SENTENCE_END = ".!?\n"
_ENTRY_FIELDS = {"formal", "plain", "forms", "unless", "examples", "silent"}


@dataclass(frozen=True)
class Entry:
    formal: str
    plain: str
    forms: tuple[str, ...]
    unless: tuple[re.Pattern[str], ...]
    examples: tuple[str, ...]
    silent: tuple[str, ...]


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    entry: Entry


@dataclass(frozen=True)
class _Form:
    entry: Entry
    length: int  # of the part found by the automaton
    tail: re.Pattern[str] | None  # the part after the gap, matched where the first part ends


def _tail_pattern(tail: str) -> re.Pattern[str]:
    """Up to MAX_GAP_WORDS words in the same sentence, then `tail` as whole words."""
    words = r"\s+".join(re.escape(w) for w in tail.split())
    return re.compile(rf"(?:[^\w.!?\n]+\w+){{0,{MAX_GAP_WORDS}}}?[^\w.!?\n]+{words}(?!\w)")


class Lexicon:
    """One lexicon file, compiled: `find` gives the non-overlapping hits in a folded text."""

    def __init__(self, name: str, entries: list[Entry]):
        self.name, self.entries = name, tuple(entries)
        self._automaton = ahocorasick.Automaton()
        forms: dict[str, list[_Form]] = {}
        for entry in entries:
            for form in entry.forms:
                head, _, tail = (part.strip() for part in form.partition(GAP))
                forms.setdefault(head, []).append(_Form(entry, len(head), _tail_pattern(tail) if tail else None))
        for head, candidates in forms.items():
            self._automaton.add_word(head, tuple(candidates))
        self.size = sum(len(e.forms) for e in entries)
        if forms:
            self._automaton.make_automaton()

    def find(self, folded: str) -> list[Hit]:
        """Whole-word hits, the longest first where they overlap, none inside an `unless` context."""
        if not self.entries:
            return []
        found = []
        for last, candidates in self._automaton.iter(folded):
            for form in candidates:
                start, end = last - form.length + 1, last + 1
                if not (_bounded(folded, start, before=True) and _bounded(folded, end, before=False)):
                    continue
                if form.tail is not None:
                    if (tail := form.tail.match(folded, end)) is None:
                        continue
                    end = tail.end()
                if not _ordinary(form.entry, folded, start, end):
                    found.append(Hit(start, end, form.entry))
        found.sort(key=lambda h: (h.start, h.start - h.end))
        hits: list[Hit] = []
        for hit in found:
            if not hits or hit.start >= hits[-1].end:
                hits.append(hit)
        return hits


def _bounded(text: str, at: int, before: bool) -> bool:
    """No word character continues the form at this edge (only checked where the form has a
    word character at that edge: "t.b.v." may be followed by anything)."""
    inside, outside = (at, at - 1) if before else (at - 1, at)
    if not 0 <= outside < len(text) or not _WORD_CHAR.match(text[inside]):
        return True
    return not _WORD_CHAR.match(text[outside])


def _ordinary(entry: Entry, text: str, start: int, end: int) -> bool:
    """An `unless` pattern matches in the hit's sentence (within CONTEXT characters of it),
    overlapping the hit. The bounded window keeps a long draft linear."""
    if not entry.unless:
        return False
    low, high = max(0, start - CONTEXT), min(len(text), end + CONTEXT)
    low = max([low] + [text.rfind(c, low, start) + 1 for c in _SENTENCE_END])
    high = min([high] + [i for c in _SENTENCE_END if (i := text.find(c, end, high)) != -1])
    return any(m.start() < end and start < m.end() for p in entry.unless for m in p.finditer(text, low, high))


class _EntryReader:
    def __init__(self, path: Path, raw: Any, index: int):
        if not isinstance(raw, dict):
            raise ConfigError(f"{path}: entry #{index + 1}: expected a mapping of fields")
        self.path, self.raw = path, raw
        self.name = raw["formal"] if isinstance(raw.get("formal"), str) else f"#{index + 1}"
        if unknown := set(raw) - _ENTRY_FIELDS:
            self.fail(sorted(unknown)[0], "unknown field")

    def fail(self, field: str, problem: str) -> None:
        raise ConfigError(f"{self.path}: entry '{self.name}': field '{field}': {problem}")

    def text(self, key: str) -> str:
        value = self.raw.get(key)
        if not isinstance(value, str) or not value.strip():
            self.fail(key, "expected a non-empty text")
        return value.strip()

    def texts(self, key: str, default: list[str] | None = None) -> tuple[str, ...]:
        value = self.raw.get(key, default)
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or any(not isinstance(v, str) or not v.strip() for v in value):
            self.fail(key, "expected a list of texts")
        return tuple(v.strip() for v in value)

    def forms(self, formal: str) -> tuple[str, ...]:
        forms = []
        for form in self.texts("forms", [formal]):
            form = " ".join(fold(form).replace("...", GAP).split())
            head, gap, tail = (part.strip() for part in form.partition(GAP))
            if not head or (gap and (not tail or GAP in tail)):
                self.fail("forms", f"{form!r}: a form has words on both sides of at most one '{GAP}'")
            forms.append(form)
        return tuple(forms)

    def patterns(self, key: str) -> tuple[re.Pattern[str], ...]:
        compiled = []
        for pattern in self.texts(key, []):
            try:
                compiled.append(re.compile(pattern))
            except re.error as exc:
                self.fail(key, f"bad regular expression {pattern!r}: {exc}")
        return tuple(compiled)

    def entry(self) -> Entry:
        formal = self.text("formal")
        entry = Entry(
            formal=formal,
            plain=self.text("plain"),
            forms=self.forms(formal),
            unless=self.patterns("unless"),
            examples=self.texts("examples", []),
            silent=self.texts("silent", []),
        )
        if not entry.examples:
            self.fail("examples", "every entry needs at least one example sentence that it flags")
        if entry.unless and not entry.silent:
            self.fail("silent", "an entry with 'unless' needs a sentence where it stays silent")
        return entry


def load_lexicon(path: Path) -> Lexicon:
    """A lexicon file (`entries:` list), validated: every form belongs to one entry only."""
    data = read_yaml(path)
    items = data.get("entries") if isinstance(data, dict) else None
    if not isinstance(items, list) or not items:
        raise ConfigError(f"{path}: expected a top-level 'entries:' list")
    entries, owner = [], {}
    for index, raw in enumerate(items):
        entry = _EntryReader(path, raw, index).entry()
        for form in entry.forms:
            if form in owner:
                raise ConfigError(f"{path}: entry '{entry.formal}': form {form!r} is also a form of '{owner[form]}'")
            owner[form] = entry.formal
        entries.append(entry)
    return Lexicon(path.name.removesuffix(".yaml"), entries)
