"""A cheap test that rules out most patterns before the regex engine runs them.

For each pattern we derive literals of which at least one must occur in any text the pattern
matches (as RE2's prefilter does). A literal that the pattern bounds by word boundaries on both
sides must occur as a whole word: a set lookup in the draft's words. Any other literal must
occur as a substring. Big word alternations over a draft cost tens of microseconds each; these
tests cost well under one.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import sys
import tempfile
from bisect import bisect_left
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import ahocorasick

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
        parts = []
        for branch in arg[1]:
            if (part := _exact_sequence(branch)) is None:
                return None
            parts.append(part)
        return frozenset().union(*parts)
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT) and arg[1] <= 1:
        inner = _exact_sequence(arg[2])
        return None if inner is None else inner | {""} if arg[0] == 0 else inner
    return None


def _exact_sequence(items) -> frozenset[str] | None:
    items = _nodes(items)
    end, strings = _fixed_run(items, 0)
    return strings if end == len(items) else None


def _fixed_run(items: list, start: int) -> tuple[int, frozenset[str]]:
    """The longest run of nodes from `start` that matches a small fixed set of strings: where it
    ends, and the strings."""
    end, strings, run = start, frozenset({""}), ""  # run: letters still to append to each string
    while end < len(items):
        node = items[end]
        if node[0] is _c.LITERAL:  # most nodes (the letters of a word list): no set per letter
            run += chr(node[1]).lower()
        else:
            part = _exact(node)
            if part is None:
                break
            product = frozenset(a + run + b for a in strings for b in part)
            if len(product) > _MAX_EXACT:
                break
            strings, run = product, ""
        end += 1
    return end, frozenset(a + run for a in strings) if run else strings


def _nodes(items) -> list:
    """The nodes of a parsed (sub)pattern; a SubPattern's own list (its item access is a Python call)."""
    return items.data if isinstance(items, _sre_parse.SubPattern) else list(items)


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


def _zero_width(node: tuple) -> bool:
    return node[0] in (_c.AT, _c.ASSERT, _c.ASSERT_NOT)


def _run_bounds(items: list, start: int, end: int, bounded_before: bool, bounded_after: bool) -> tuple[bool, bool]:
    """Whether the run items[start:end] starts and ends at a word boundary; zero-width
    assertions at its edges ("(?<!x)\\b…\\b(?!y)") are looked through."""
    first, last = start, end - 1
    before = after = False
    while first <= last and _zero_width(items[first]):
        before = before or _boundary(items[first])
        first += 1
    while last >= first and _zero_width(items[last]):
        after = after or _boundary(items[last])
        last -= 1
    before = before or (bounded_before if start == 0 else _boundary(items[start - 1]))
    after = after or (bounded_after if end == len(items) else _boundary(items[end]))
    return before, after


def _union(parts: list[Requirement | None]) -> Requirement | None:
    """Alternatives: one of them must hold, so the union of their literals; unknown if any is."""
    if not parts or any(p is None for p in parts):
        return None
    result = parts[0]
    for part in parts[1:]:
        result |= part
    return result


def _literals(strings: frozenset[str], bounded: bool) -> Requirement | None:
    if not strings or any(not s.strip() for s in strings):
        return None  # could match the empty string or bare whitespace: selects nothing
    if bounded and all(WORD.fullmatch(s) for s in strings):
        return Requirement(words=strings)
    return Requirement(substrings=strings)


def _requirement(items, bounded_before: bool, bounded_after: bool) -> Requirement | None:
    """Literals one of which any match must contain; None if none can be derived."""
    items = _nodes(items)
    candidates: list[Requirement] = []
    index = 0
    while index < len(items):
        # a run of nodes with small fixed sets of strings: expand it as a whole
        end, strings = _fixed_run(items, index)
        if end > index:
            before, after = _run_bounds(items, index, end, bounded_before, bounded_after)
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
            inner = _union([_requirement(branch, before, after) for branch in arg[1]])
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)) and arg[0] >= 1:
            inner = _requirement(arg[2], before and arg[1] == 1, after and arg[1] == 1)
        if inner is not None:
            candidates.append(inner)
        index += 1
    return min(candidates, key=lambda c: c.cost) if candidates else None


def _prefix(items, bounded_before: bool, bounded_after: bool) -> Requirement | None:
    """Literals one of which every match starts with; None if the start is not fixed."""
    items = _nodes(items)
    end, strings = _fixed_run(items, 0)
    if end > 0 and strings != {""}:
        return _literals(strings, all(_run_bounds(items, 0, end, bounded_before, bounded_after)))
    if end == len(items):
        return None
    if end > 0:  # zero-width assertions first ("\\b(a|b)"): the match starts where the next node does
        bounded_before = bounded_before or any(_boundary(node) for node in items[:end])
        items = items[end:]
    op, arg = items[0]
    after = bounded_after if len(items) == 1 else _boundary(items[1])
    if op is _c.SUBPATTERN:
        return _prefix(arg[-1], bounded_before, after)
    if op is _c.BRANCH:
        return _union([_prefix(branch, bounded_before, after) for branch in arg[1]])
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT) and arg[0] == 0 and arg[1] == 1 and len(items) > 1:
        # an optional start ("(ik begrijp )?dat je ..."): the match starts with it or with what follows
        return _union([_prefix(arg[2], bounded_before, after), _prefix(items[1:], bounded_before, bounded_after)])
    return None


def analyse(pattern: str, flags: int = re.IGNORECASE) -> tuple[Requirement | None, Requirement | None]:
    """(what any match must contain, what every match starts with); None where unknown."""
    if _sre_parse is None:
        return None, None
    try:
        return _literals_of(_sre_parse.parse(pattern, flags))
    except Exception:  # an exotic construct: just always run the pattern over the whole text
        return None, None


def _literals_of(items) -> tuple[Requirement | None, Requirement | None]:
    try:
        return _requirement(items, False, False), _prefix(items, False, False)
    except Exception:  # an exotic construct: just always run the pattern over the whole text
        return None, None


def _check_lookbehinds(items) -> None:
    """The one check re.compile makes after parsing: a look-behind has a fixed width."""
    for op, arg in _nodes(items):
        if op in (_c.ASSERT, _c.ASSERT_NOT):
            low, high = arg[1].getwidth()
            if arg[0] < 0 and low != high:
                raise re.error("look-behind requires fixed-width pattern")
            inner = [arg[1]]
        elif op is _c.SUBPATTERN:
            inner = [arg[-1]]
        elif op is _c.BRANCH:
            inner = arg[1]
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
            inner = [arg[2]]
        elif op is getattr(_c, "ATOMIC_GROUP", None):
            inner = [arg]
        elif op is _c.GROUPREF_EXISTS:
            inner = [branch for branch in arg[1:] if branch is not None]
        else:
            continue
        for branch in inner:
            _check_lookbehinds(branch)


@lru_cache(maxsize=4096)
def _not_indexed(substrings: frozenset[str], indexed: frozenset[str]) -> frozenset[str]:
    """The literals a Prefilter's automaton pass did not index (cached: the same few pairs recur)."""
    return substrings - indexed


class Scan:
    """One text in text.fold() form, with its words: (start, end, word) of each WORD token in
    order, and where each word stands (a whole-word literal's positions are a look-up)."""

    def __init__(self, folded: str):
        self.folded = folded
        self.tokens = [(m.start(), m.end(), m.group()) for m in WORD.finditer(folded)]
        self.word_starts: dict[str, list[int]] = {}
        for start, _end, word in self.tokens:
            if word in self.word_starts:
                self.word_starts[word].append(start)
            else:
                self.word_starts[word] = [start]
        self.words = frozenset(self.word_starts)
        # where each substring literal of a Prefilter starts, found in one pass (Prefilter.live)
        self.substring_starts: dict[str, list[int]] = {}
        self.indexed: frozenset[str] = frozenset()

    def starts(self, literals: Requirement, start: int, end: int) -> list[int]:
        """Sorted positions in [start, end) where one of the literals begins (read only: it may
        be the scan's own list)."""
        words = literals.words & self.words if literals.words else ()
        if not literals.substrings and len(words) <= 1:  # the common case: no sort needed
            found = self.word_starts[next(iter(words))] if words else []
            if start == 0 and end >= len(self.folded):
                return found
            return found[bisect_left(found, start) : bisect_left(found, end)]
        found = []
        for word in words:
            found.extend(self.word_starts[word])
        if literals.substrings:
            # the indexed literals that occur (few of many: a set intersection, not a loop over
            # all of them); the others are searched for
            occurring = self.substring_starts
            for literal in literals.substrings.intersection(occurring):
                found.extend(occurring[literal])
            for literal in _not_indexed(literals.substrings, self.indexed):
                i = self.folded.find(literal, start, end)
                while i != -1:
                    found.append(i)
                    i = self.folded.find(literal, i + 1, end)
        found.sort()
        if start == 0 and end >= len(self.folded):
            return found
        return [p for p in found if start <= p < end]


def _top_level(pattern: str) -> tuple[list[str], list[int]]:
    """The pattern's top-level alternatives, and where its top-level groups open and close
    (index pairs, flattened): escapes, classes and nesting are skipped."""
    parts, groups, depth, begin, i, in_class = [], [], 0, 0, 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]" or pattern[i - 1] == "["
        elif c == "[":
            in_class = True
            if pattern.startswith("^", i + 1):
                i += 1
        elif c == "(":
            if depth == 0:
                groups.append(i)
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                groups.append(i)
        elif c == "|" and depth == 0:
            parts.append(pattern[begin:i])
            begin = i + 1
        i += 1
    return parts + [pattern[begin:]], groups


_GROUP_OPENING = re.compile(r"\((?:\?:|(?!\?))")  # a capturing or plain group: alternatives distribute over it
_MIN_DISPATCHED = 16  # fewer alternatives: the regex engine tries them about as fast as a look-up


def _alternatives(pattern: str) -> list[str]:
    r"""The pattern as a list of alternatives tried in the same order: "a|b" -> a, b;
    "\b(?:a|b)c" -> "\b(?:a)c", "\b(?:b)c" (a leading unnamed group distributes over its tail)."""
    parts, groups = _top_level(pattern)
    if len(parts) > 1:
        return [alt for part in parts for alt in _alternatives(part)]
    head = "\\b" if pattern.startswith("\\b") else ""
    if len(groups) < 2 or groups[0] != len(head) or not (opening := _GROUP_OPENING.match(pattern, len(head))):
        return [pattern]
    inner, tail = pattern[opening.end() : groups[1]], pattern[groups[1] + 1 :]
    if tail[:1] in ("*", "+", "?", "{"):  # a repeated group does not distribute
        return [pattern]
    inner_parts = _alternatives(inner)
    if len(inner_parts) == 1:
        return [pattern]
    return [f"{head}(?:{part}){tail}" for part in inner_parts]


class _ByFirst(dict):
    """First character -> a regex of only the alternatives that can start with it (in their
    order), compiled when a text first needs it."""

    def __init__(self, alternatives: list[str], firsts: list[frozenset[str]], matcher: Matcher):
        super().__init__()
        self.alternatives, self.firsts, self.matcher = alternatives, firsts, matcher

    def __missing__(self, first: str) -> re.Pattern[str]:
        chosen = [a for a, f in zip(self.alternatives, self.firsts) if first in f]
        try:  # none chosen (a character folding left alone): the whole pattern decides
            regex = re.compile("|".join(chosen), self.matcher.flags) if chosen else self.matcher.regex
        except re.error:  # e.g. a named group in two of the chosen alternatives
            regex = self.matcher.regex
        self[first] = regex
        return regex


def _dispatch(matcher: Matcher) -> _ByFirst | None:
    """For a pattern of many alternatives, its regexes by first character (see _ByFirst): Python's
    regex engine tries every alternative at every position; this tries a handful. None when it
    does not apply."""
    pattern = matcher.pattern
    if re.search(r"\\[1-9]|\(\?P=|\(\?[aiLmsux-]", pattern):  # back-references and inline flags: keep it whole
        return None
    alternatives = _alternatives(pattern)
    if len(alternatives) < _MIN_DISPATCHED:
        return None
    firsts = []
    for alternative in alternatives:
        first = _first_characters(alternative, matcher.flags)
        if first is None:
            return None
        firsts.append(first)
    return _ByFirst(alternatives, firsts, matcher)


def _first_characters(pattern: str, flags: int) -> frozenset[str] | None:
    """The characters a match of `pattern` can start with: read off the source where it starts
    plainly (a letter, a group of such alternatives), else from its parsed prefix (slower)."""
    rest = pattern.removeprefix("\\b")
    found: frozenset[str] | None = None
    if rest[:1].isalnum() and rest[1:2] not in ("?", "*", "{"):
        found = frozenset({rest[0].lower() if flags & re.IGNORECASE else rest[0]})
    elif (opening := _GROUP_OPENING.match(rest)) and (groups := _top_level(rest)[1]) and groups[0] == 0:
        if rest[groups[1] + 1 : groups[1] + 2] not in ("?", "*", "{"):
            parts = [_first_characters(p, flags) for p in _top_level(rest[opening.end() : groups[1]])[0]]
            found = None if any(p is None for p in parts) else frozenset().union(*parts)
    if found is None:
        prefix = analyse(pattern, flags)[1]
        found = None if prefix is None else frozenset(s[0] for s in (*prefix.words, *prefix.substrings))
    return found


_log = logging.getLogger(__name__)


class _Remembered:
    """The file's entries ("flags pattern" -> its literals as stored) and those this run used or
    added: only these are written back, so patterns edited away do not pile up."""

    def __init__(self, stored: dict[str, list]):
        self.stored, self.used, self.changed = stored, {}, False

    def recall(self, key: str) -> list | None:
        found = self.stored.get(key)
        if found is not None:
            self.used[key] = found
        return found

    def keep(self, key: str, literals: list) -> None:
        self.used[key] = literals
        self.changed = True


_remembered: _Remembered | None = None  # while remembered_literals runs


@contextmanager
def remembered_literals(folder: Path | None) -> Iterator[None]:
    """Within it, Matcher.compile takes a pattern's literals from a file in `folder` kept between
    runs: parsing and analysing the 800-odd patterns of a configuration is four fifths of
    building a Reviewer, and most of a one-draft `webcare-coach review`. The file is written
    when a pattern was new, with this run's patterns only. Its name carries a digest of this
    module and of Python's version, so a change to either starts afresh. No folder, or one that
    cannot be read or written: everything is analysed as usual."""
    global _remembered
    if folder is None or _remembered is not None:  # no file, or one is being read already
        yield
        return
    digest = hashlib.sha256(Path(__file__).read_bytes() + sys.version.encode()).hexdigest()[:16]
    path = folder / f"literals-{digest}.json"
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):  # none yet, unreadable or damaged: start afresh
        stored = {}
    _remembered = remembered = _Remembered(stored if isinstance(stored, dict) else {})
    try:
        yield
    finally:
        _remembered = None
    if remembered.changed:
        _write(path, remembered)


def _write(path: Path, remembered: _Remembered) -> None:
    """Replace the file at once (a concurrent start reads the old file or the new, never half),
    and remove those of other versions."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".literals-", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                json.dump(remembered.used, file, ensure_ascii=False, separators=(",", ":"))
            os.replace(temporary, path)
        finally:
            Path(temporary).unlink(missing_ok=True)  # gone after the replace; a half-written one is not
        for old in path.parent.glob("literals-*.json"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError as error:  # a read-only home, a full disk: the next start analyses again
        _log.debug("pattern literals not kept in %s: %s", path.parent, type(error).__name__)


def _encoded(requirement: Requirement | None) -> list[list[str]] | None:
    return None if requirement is None else [sorted(requirement.words), sorted(requirement.substrings)]


def _decoded(stored: list[list[str]] | None) -> Requirement | None:
    if stored is None:
        return None
    words, substrings = stored
    if not all(isinstance(s, str) for s in (*words, *substrings)):
        raise TypeError("not a list of strings")
    return Requirement(frozenset(words), frozenset(substrings))


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: fast set membership
class Matcher:
    """A pattern (compiled when first used) with what a text must contain for it to match (`needs`)
    and the literals every match starts with (`prefix`): then the regex is tried only where one of
    them occurs instead of at every position of the text. A pattern of many alternatives is
    also split by the first character of its alternatives (`by_first`), see _dispatch."""

    pattern: str
    flags: int = re.IGNORECASE
    needs: Requirement | None = None
    prefix: Requirement | None = None

    @classmethod
    def compile(cls, pattern: str, flags: int = re.IGNORECASE) -> Matcher:
        """re.error for a pattern re.compile would refuse, though the regex is compiled only when
        first used (`regex`)."""
        if _sre_parse is None:
            re.compile(pattern, flags)
            return cls(pattern, flags)
        key = f"{int(flags)} {pattern}"
        if _remembered is not None and (known := _remembered.recall(key)) is not None:
            try:
                return cls(pattern, flags, _decoded(known[0]), _decoded(known[1]))
            except (TypeError, ValueError, IndexError, KeyError):
                pass  # not what we wrote: analyse it again
        items = _sre_parse.parse(pattern, flags)
        if "(?<" in pattern:
            _check_lookbehinds(items)
        matcher = cls(pattern, flags, *_literals_of(items))
        if _remembered is not None:
            _remembered.keep(key, [_encoded(matcher.needs), _encoded(matcher.prefix)])
        return matcher

    @cached_property  # compiled when first used: a one-draft run uses a tenth of the patterns
    def regex(self) -> re.Pattern[str]:
        return re.compile(self.pattern, self.flags)

    @cached_property  # when first used: most patterns are never tried in a one-draft run
    def by_first(self) -> _ByFirst | None:
        return _dispatch(self) if self.prefix is not None else None

    @cached_property
    def match(self) -> Callable[[str, int, int], re.Match[str] | None]:
        """regex.match(folded, position, end); for a pattern of many alternatives, one that tries
        only those that can start at the position."""
        by_first = self.by_first
        if by_first is None:
            return self.regex.match  # no Python call in between

        def match(folded: str, position: int, end: int) -> re.Match[str] | None:
            if position < end:
                return by_first[folded[position]].match(folded, position, end)
            return self.regex.match(folded, position, end)

        return match

    def compile_now(self) -> None:
        """Compile the regex, and those of its first characters, instead of when first used."""
        if (by_first := self.by_first) is not None:
            for first in frozenset().union(*by_first.firsts):
                by_first[first]
        self.regex

    def finditer(self, scan: Scan, start: int = 0, end: int | None = None) -> Iterator[re.Match[str]]:
        """The matches re.finditer would give (non-overlapping, leftmost first)."""
        end = len(scan.folded) if end is None else end
        if self.prefix is None:
            return self.regex.finditer(scan.folded, start, end)
        positions = scan.starts(self.prefix, start, end)
        return self._anchored(scan.folded, positions, end) if positions else iter(())

    def _anchored(self, folded: str, positions: list[int], end: int) -> Iterator[re.Match[str]]:
        match_at, resume = self.match, 0
        for position in positions:
            if position < resume:
                continue
            match = match_at(folded, position, end)
            if match is not None:
                yield match
                resume = max(match.end(), position + 1)

    def search(self, scan: Scan, start: int = 0, end: int | None = None) -> re.Match[str] | None:
        return next(self.finditer(scan, start, end), None)


class Prefilter:
    """Which of many matchers may match a text, decided at once: a set intersection for the
    words and one automaton pass for the substrings, instead of a test per matcher."""

    def __init__(self, matchers: list[Matcher] | tuple[Matcher, ...]):
        self.matchers = tuple(matchers)
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
        # every substring literal (required or anchoring) of two or more characters in one
        # Aho-Corasick automaton: one pass over a text finds all their occurrences. Single
        # characters ("i", ",", "?") occur many times in any text: a membership test (and, to
        # anchor a pattern, str.find in Scan.starts) costs less than a Python step per occurrence.
        self._single = frozenset(s for s in self.by_substring if len(s) == 1)
        self._single_ascii = frozenset(s for s in self._single if s.isascii())  # all an ASCII text can hold
        substrings = {s for s in self.by_substring if len(s) > 1} | {
            s for m in matchers if m.prefix for s in m.prefix.substrings if len(s) > 1
        }
        self._automaton = ahocorasick.Automaton()
        for literal in substrings:
            self._automaton.add_word(literal, (literal, len(literal) - 1))
        self._indexed = frozenset(substrings)
        # each indexed literal -> the matchers that need it (none for one that only anchors)
        self._needing = {literal: self.by_substring.get(literal, ()) for literal in substrings}
        if substrings:
            self._automaton.make_automaton()

    def live(self, scan: Scan) -> frozenset[Matcher]:
        """The matchers that may match the scanned text (and where their substrings start)."""
        folded = scan.folded
        found = set(self.always)
        found.update(*map(self.by_word.__getitem__, self.words.intersection(scan.words)))
        starts: dict[str, list[int]] = {}
        if self._indexed:
            for end, (literal, back) in self._automaton.iter(folded):
                if literal in starts:
                    starts[literal].append(end - back)
                else:
                    starts[literal] = [end - back]
        scan.substring_starts, scan.indexed = starts, self._indexed
        found.update(*map(self._needing.__getitem__, starts))
        singles = self._single_ascii if folded.isascii() else self._single
        found.update(*(self.by_substring[literal] for literal in singles if literal in folded))
        return frozenset(found)
