"""A cheap test that rules out most patterns before the regex engine runs them.

For each pattern we derive literals of which at least one must occur in any text the pattern
matches (as RE2's prefilter does). A literal that the pattern bounds by word boundaries on both
sides must occur as a whole word: a set lookup in the draft's words. Any other literal must
occur as a substring. Big word alternations over a draft cost tens of microseconds each; these
tests cost well under one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

try:  # the parser behind `re`; its node types are stable across CPython 3.11+
    from re import _constants as _c
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover
    _sre_parse = None

WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Requirement:
    words: frozenset[str] = frozenset()  # whole words
    substrings: frozenset[str] = frozenset()

    def __or__(self, other: Requirement) -> Requirement:
        return Requirement(self.words | other.words, self.substrings | other.substrings)

    @property
    def cost(self) -> float:
        """Roughly how likely a text holds one of the literals: short ones are common."""
        return sum(0.5 ** len(w) for w in self.words) + sum(0.5 ** (len(s) - 1.5) for s in self.substrings)


_MAX_EXACT = 64  # the most alternatives a run of fixed strings may expand to


def _exact(node: tuple) -> frozenset[str] | None:
    """The finite set of strings a node matches, if small; zero-width assertions match ''."""
    op, arg = node
    if op is _c.LITERAL:
        return frozenset({chr(arg).lower()})
    if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
        return frozenset({""})
    if op is _c.IN and arg and all(kind is _c.LITERAL for kind, _ in arg):
        return frozenset(chr(code).lower() for _, code in arg)
    if op is _c.SUBPATTERN:
        return _exact_sequence(arg[-1])
    if op is _c.BRANCH:
        parts = [_exact_sequence(branch) for branch in arg[1]]
        return None if any(p is None for p in parts) else frozenset().union(*parts)
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT) and arg[1] <= 1:
        inner = _exact_sequence(arg[2])
        return None if inner is None else inner | {""} if arg[0] == 0 else inner
    return None


def _exact_sequence(items) -> frozenset[str] | None:
    result = frozenset({""})
    for node in items:
        part = _exact(node)
        if part is None:
            return None
        result = frozenset(a + b for a in result for b in part)
        if len(result) > _MAX_EXACT:
            return None
    return result


def _boundary(node: tuple | None) -> bool:
    """A word boundary: \\b, or whitespace (\\s, \\s+)."""
    if node is None:
        return False
    op, arg = node
    if op is _c.AT:
        return arg is _c.AT_BOUNDARY
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT) and arg[0] >= 1 and len(arg[2]) == 1:
        return _boundary(arg[2][0])
    return op is _c.IN and all(item == (_c.CATEGORY, _c.CATEGORY_SPACE) for item in arg)


def _literals(strings: frozenset[str], bounded: bool) -> Requirement | None:
    if not strings or any(not s.strip() for s in strings):
        return None  # could match the empty string or bare whitespace: selects nothing
    if bounded and all(WORD.fullmatch(s) for s in strings):
        return Requirement(words=strings)
    return Requirement(substrings=strings)


def _requirement(items, bounded_before: bool, bounded_after: bool) -> Requirement | None:
    """Literals one of which any match must contain; None if none can be derived."""
    items = list(items)
    candidates: list[Requirement] = []
    index = 0
    while index < len(items):
        # a run of nodes with small fixed sets of strings: expand it as a whole
        end, strings = index, frozenset({""})
        while end < len(items) and (part := _exact(items[end])) is not None:
            product = frozenset(a + b for a in strings for b in part)
            if len(product) > _MAX_EXACT:
                break
            strings, end = product, end + 1
        if end > index:
            before = _boundary(items[index]) or (bounded_before if index == 0 else _boundary(items[index - 1]))
            after = _boundary(items[end - 1]) or (bounded_after if end == len(items) else _boundary(items[end]))
            if (found := _literals(strings, before and after)) is not None:
                candidates.append(found)
            index = end
            continue
        op, arg = items[index]
        before = bounded_before if index == 0 else _boundary(items[index - 1])
        after = bounded_after if index == len(items) - 1 else _boundary(items[index + 1])
        inner: Requirement | None = None
        if op is _c.SUBPATTERN:
            inner = _requirement(arg[-1], before, after)
        elif op is _c.BRANCH:
            parts = [_requirement(branch, before, after) for branch in arg[1]]
            if all(p is not None for p in parts):
                inner = parts[0]
                for part in parts[1:]:
                    inner |= part
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)) and arg[0] >= 1:
            inner = _requirement(arg[2], before and arg[1] == 1, after and arg[1] == 1)
        if inner is not None:
            candidates.append(inner)
        index += 1
    return min(candidates, key=lambda c: c.cost) if candidates else None


def required(pattern: str, flags: int = re.IGNORECASE) -> Requirement | None:
    """None when nothing is required (the pattern always runs)."""
    if _sre_parse is None:
        return None
    try:
        return _requirement(_sre_parse.parse(pattern, flags), False, False)
    except Exception:  # an exotic construct: just always run the pattern
        return None


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: fast set membership
class Matcher:
    """A compiled pattern with what a text must contain for it to match."""

    regex: re.Pattern[str]
    needs: Requirement | None = None

    @classmethod
    def compile(cls, pattern: str, flags: int = re.IGNORECASE) -> Matcher:
        return cls(re.compile(pattern, flags), required(pattern, flags))

    def may_match(self, folded: str, words: frozenset[str]) -> bool:
        """`folded`: the text in fold() form; `words`: its WORD tokens."""
        needs = self.needs
        return (
            needs is None
            or not needs.words.isdisjoint(words)
            or any(s in folded for s in needs.substrings)
        )

    def finditer(self, folded: str, words: frozenset[str], start: int = 0, end: int | None = None):
        if not self.may_match(folded, words):
            return iter(())
        return self.regex.finditer(folded, start, len(folded) if end is None else end)

    def search(self, folded: str, words: frozenset[str], start: int = 0, end: int | None = None):
        return next(self.finditer(folded, words, start, end), None)


class Prefilter:
    """Which of many matchers may match a text, decided at once: a set intersection for the
    words and one substring test per distinct substring, instead of a test per matcher."""

    def __init__(self, matchers: list[Matcher] | tuple[Matcher, ...]):
        self.always = frozenset(m for m in matchers if m.needs is None)
        self.by_word: dict[str, list[Matcher]] = {}
        self.by_substring: dict[str, list[Matcher]] = {}
        for m in matchers:
            if m.needs is not None:
                for w in m.needs.words:
                    self.by_word.setdefault(w, []).append(m)
                for s in m.needs.substrings:
                    self.by_substring.setdefault(s, []).append(m)
        self.words = frozenset(self.by_word)

    def live(self, folded: str, words: frozenset[str]) -> frozenset[Matcher]:
        found = set(self.always)
        for w in self.words.intersection(words):
            found.update(self.by_word[w])
        for s, ms in self.by_substring.items():
            if s in folded:
                found.update(ms)
        return frozenset(found)
