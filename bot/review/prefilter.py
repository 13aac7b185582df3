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
    def selectivity(self) -> tuple[int, int, int]:
        """Higher is better: a longer shortest literal, whole words, fewer alternatives."""
        lengths = [len(w) + 2 for w in self.words] + [len(s) for s in self.substrings]
        return min(lengths), -len(self.substrings), -(len(self.words) + len(self.substrings))


def _boundary(node: tuple | None) -> bool:
    """A word boundary: \\b, or whitespace (\\s, \\s+, \\s*-free)."""
    if node is None:
        return False
    op, arg = node
    if op is _c.AT:
        return arg is _c.AT_BOUNDARY
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT) and arg[0] >= 1 and len(arg[2]) == 1:
        return _boundary(arg[2][0])
    return op is _c.IN and all(item == (_c.CATEGORY, _c.CATEGORY_SPACE) for item in arg)


def _requirement(items: list, bounded_before: bool, bounded_after: bool) -> Requirement | None:
    items = list(items)
    candidates: list[Requirement] = []
    run, run_bounded = "", False
    for index, (op, arg) in enumerate(items):
        before = bounded_before if index == 0 else _boundary(items[index - 1])
        after = bounded_after if index == len(items) - 1 else _boundary(items[index + 1])
        if op is _c.LITERAL:
            run_bounded = run_bounded if run else before
            run += chr(arg).lower()
            if index == len(items) - 1 or items[index + 1][0] is not _c.LITERAL:
                whole = run_bounded and after and WORD.fullmatch(run) is not None
                candidates.append(Requirement(words=frozenset({run})) if whole else Requirement(substrings=frozenset({run})))
                run = ""
            continue
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
    usable = [c for c in candidates if all(s.strip() for s in c.substrings)]
    return max(usable, key=lambda c: c.selectivity) if usable else None


def required(pattern: str) -> Requirement | None:
    """None when nothing is required (the pattern always runs)."""
    if _sre_parse is None:
        return None
    try:
        return _requirement(_sre_parse.parse(pattern, re.IGNORECASE), False, False)
    except Exception:  # an exotic construct: just always run the pattern
        return None


@dataclass(frozen=True)
class Matcher:
    """A compiled pattern with what a text must contain for it to match."""

    regex: re.Pattern[str]
    needs: Requirement | None = None

    @classmethod
    def compile(cls, pattern: str) -> Matcher:
        return cls(re.compile(pattern, re.IGNORECASE), required(pattern))

    def may_match(self, words: frozenset[str], substrings: frozenset[str]) -> bool:
        needs = self.needs
        return needs is None or not (needs.words.isdisjoint(words) and needs.substrings.isdisjoint(substrings))
