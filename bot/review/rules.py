"""Rules as data: loading and validating `guidelines/rules/*.yaml`.

Each rule names its category, severity, languages, the context it applies in, its check and
patterns, what to tell the agent, the guideline it enforces, and the examples that test it
(bad ones with the excerpt that must be flagged, good ones that must stay silent). A rule
without examples does not load.

A pattern may name a word list of `guidelines/wordlists/` as `{name}`: the general vocabulary of
how something is said (other parties, hand-off verbs, our products…), kept and tested apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.config import SEVERITIES, ConfigError, RuleSettings, not_words, read_yaml
from bot.review.case import CASE_SLOTS, CHECK_SLOTS, Template, slots_of
from bot.review.lexicon import Lexicon, load_lexicon
from bot.review.prefilter import Matcher

CATEGORY_SEVERITY = {
    "empty_promise": "error",
    "no_deadline": "warning",
    "condescension": "error",
    "blame_shifting": "error",
    "invalidating_empathy": "error",
    "humor_in_complaint": "error",
    "bureaucratic": "warning",
    "commercial_pitch": "warning",
    "missing_apology": "warning",
    "missing_empathy": "warning",
    "missing_next_step": "warning",
    "public_personal_data": "error",
    "inconsistent_address": "warning",
    "impersonal": "suggestion",
    "shouting": "warning",
    "too_long": "warning",
}
CATEGORIES = tuple(CATEGORY_SEVERITY)
LANGUAGES = ("nl", "en")
# Checks and the pattern lists each one needs (see checks.py).
CHECKS = {
    "existence": ("patterns",),
    "absence": ("patterns",),
    "next_step": ("patterns",),
    "consistency": ("patterns", "versus"),
    "capitals": (),
    "personal_data": (),
    "length": (),
    "promise_deadline": (),
    "lexicon": (),
}
_RULE_FIELDS = {
    "id", "category", "severity", "languages", "when", "check", "patterns", "versus", "unless",
    "unless_promise", "ignore_inside", "ignore_sentences_of", "exceptions", "min_length", "short_words",
    "message", "suggestion", "guideline", "examples", "lexicon",
}


_WORDLIST = re.compile(r"\{([a-z_]+)\}")  # never a quantifier: those hold digits
# The same pattern in several rules (a word list in the nl and the en rule) is analysed once.
_compile = lru_cache(maxsize=4096)(Matcher.compile)


@dataclass(frozen=True)
class WordList:
    """Alternatives (regular expressions on folded text) that say the same thing; `examples` must
    hold one of them as whole words, `counter` none."""

    name: str
    terms: tuple[str, ...]
    examples: tuple[str, ...]
    counter: tuple[str, ...]

    @property
    def pattern(self) -> str:
        return "(?:" + "|".join(self.terms) + ")"


def load_wordlists(folder: Path) -> dict[str, WordList]:
    """All `folder`/*.yaml (none when the folder is missing)."""
    lists = {}
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else ():
        data = read_yaml(path)
        if not isinstance(data, dict) or not isinstance(data.get("terms"), list) or not data["terms"]:
            raise ConfigError(f"{path}: expected a 'terms:' list of regular expressions")
        examples = data.get("examples") or {}
        if not isinstance(examples, dict) or not examples.get("match") or not examples.get("counter"):
            raise ConfigError(f"{path}: field 'examples': needs 'match' and 'counter' texts")
        if (problem := not_words(data["terms"])) is not None:
            raise ConfigError(f"{path}: field 'terms': {problem}")
        terms = tuple(data["terms"])
        for term in terms:
            try:
                _compile(term)  # re.compile's check, remembered between runs (see remembered_literals)
            except re.error as exc:
                raise ConfigError(f"{path}: term {term!r}: bad regular expression ({exc})") from None
        lists[path.stem] = WordList(
            path.stem, terms, tuple(map(str, examples["match"])), tuple(map(str, examples["counter"]))
        )
    return lists


@dataclass(frozen=True)
class Example:
    text: str
    flag: str | None = None  # bad examples: the excerpt that must be flagged
    customer: str | None = None
    channel: str | None = None


@dataclass(frozen=True)
class Rule:
    id: str
    category: str
    severity: str
    languages: frozenset[str]
    check: str
    message: tuple[Template, ...]  # the first that fits the case is used (case.py)
    suggestion: tuple[Template, ...]
    guideline: str
    bad: tuple[Example, ...]
    good: tuple[Example, ...]
    source: Path
    complaint: bool | None = None  # None: any context
    praise: bool | None = None  # false: not in reply to praise or thanks
    public: bool | None = None
    patterns: tuple[Matcher, ...] = ()
    versus: tuple[Matcher, ...] = ()
    unless: tuple[Matcher, ...] = ()
    # which promise answers a finding (checks._answered): "draft" (true in the rule file) a promise
    # in the same sentence or one with a time anywhere; "timed" only one with a time ("we zoeken
    # het uit en nemen daarna contact op" stays vague); "sentence" only one in the same sentence
    unless_promise: str | None = None
    ignore_inside: frozenset[str] = frozenset()
    # absence and next_step checks: a whole sentence with a finding of these categories does not
    # count ("Meanwhile, check out our deals!" is no next step, "sorry dat je het zo ervaart,
    # vervelend" no empathy)
    ignore_sentences_of: frozenset[str] = frozenset()
    exceptions: frozenset[str] = field(default_factory=frozenset)
    min_length: int = 3
    # check "capitals": shorter words count only when they are one of these ordinary words
    # ("NIET", "NA", "SO"), so a short name in capitals ("RET", "FBTO") is no shouting
    short_words: frozenset[str] = field(default_factory=frozenset)
    lexicon: Lexicon | None = None  # check "lexicon": guidelines/lexicons/<name>.yaml


class _RuleReader:
    def __init__(self, path: Path, raw: dict[str, Any], index: int, wordlists: dict[str, WordList]):
        self.path, self.raw, self.wordlists = path, raw, wordlists
        self.name = raw.get("id") if isinstance(raw.get("id"), str) else f"#{index + 1}"

    def fail(self, field_name: str, problem: str) -> None:
        raise ConfigError(f"{self.path}: rule '{self.name}': field '{field_name}': {problem}")

    def text(self, key: str, required: bool = True) -> str | None:
        value = self.raw.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, str) or not value.strip():
            self.fail(key, "expected a non-empty text")
        return value.strip()

    def templates(self, key: str, check: str) -> tuple[Template, ...]:
        """A text per language ({nl: ..., en: ...}), or a list of them tried in order, each with
        optional `public: true|false`. Slots name the case (case.py; a lexicon rule also
        {formal} and {plain}); the last template names none of the case's, so one always fits."""
        value = self.raw.get(key)
        items = value if isinstance(value, list) and value else [value]
        allowed = CASE_SLOTS | (CHECK_SLOTS if check == "lexicon" else frozenset())
        templates = []
        for item in items:
            if not isinstance(item, dict) or any(not isinstance(item.get(lang), str) for lang in LANGUAGES):
                self.fail(key, "expected a text per language: {nl: ..., en: ...}, or a list of those")
            if unknown := set(item) - {*LANGUAGES, "public"}:
                self.fail(key, f"unknown keys {sorted(unknown)}")
            if not isinstance(item.get("public", False), bool):
                self.fail(key, "public: expected true or false")
            texts = {lang: item[lang].strip() for lang in LANGUAGES}
            slots: frozenset[str] = frozenset()
            for text in texts.values():
                try:
                    slots |= slots_of(text)
                except ValueError as exc:
                    self.fail(key, f"bad template {text!r}: {exc}")
            if unknown := slots - allowed:
                self.fail(key, f"a template can name {sorted(allowed)}, not {sorted(unknown)}")
            templates.append(Template(texts, slots, item.get("public")))
        last = templates[-1]
        if last.slots & CASE_SLOTS or last.public is not None:
            self.fail(key, "the last template must fit every case: no slots such as {name}, no 'public'")
        return tuple(templates)

    def patterns(self, key: str, required: bool) -> tuple[Matcher, ...]:
        value = self.raw.get(key, [])
        if not isinstance(value, list) or (required and not value):
            self.fail(key, "expected a list of regular expressions")
        compiled = []
        for pattern in value:
            if not isinstance(pattern, str):
                self.fail(key, f"expected a regular expression, got {pattern!r}")
            unknown = [n for n in _WORDLIST.findall(pattern) if n not in self.wordlists]
            if unknown:
                self.fail(key, f"no word list {unknown[0]!r} in guidelines/wordlists")
            try:
                compiled.append(_compile(_WORDLIST.sub(lambda m: self.wordlists[m[1]].pattern, pattern)))
            except re.error as exc:
                self.fail(key, f"bad regular expression {pattern!r}: {exc}")
        return tuple(compiled)

    def lexicon(self, check: str) -> Lexicon | None:
        """The lexicon of a `lexicon` check."""
        name = self.raw.get("lexicon")
        if check != "lexicon":
            if name is not None:
                self.fail("lexicon", "only a rule with check: lexicon uses a lexicon")
            return None
        if not isinstance(name, str) or not re.fullmatch(r"[\w.-]+", name):
            self.fail("lexicon", "expected the name of a file in guidelines/lexicons, e.g. officialese.nl")
        return load_lexicon(self.path.parent.parent / "lexicons" / f"{name}.yaml")

    def capitals(self, key: str) -> frozenset[str]:
        """A list of words, in capitals (for the capitals check)."""
        value = self.raw.get(key, [])
        if not isinstance(value, list):
            self.fail(key, "expected a list of words")
        if (problem := not_words(value)) is not None:
            self.fail(key, problem)
        return frozenset(word.upper() for word in value)

    def unless_promise(self) -> str | None:
        value = self.raw.get("unless_promise", False)
        if value not in (True, False, "timed", "sentence"):
            self.fail("unless_promise", "expected true, false, timed or sentence")
        return "draft" if value is True else value or None

    def examples(self) -> tuple[tuple[Example, ...], tuple[Example, ...]]:
        value = self.raw.get("examples")
        if not isinstance(value, dict) or not value.get("bad") or not value.get("good"):
            self.fail("examples", "every rule needs examples: at least one 'bad' and one 'good'")
        return self._example_list(value["bad"], "bad"), self._example_list(value["good"], "good")

    def _example_list(self, items: Any, kind: str) -> tuple[Example, ...]:
        if not isinstance(items, list):
            self.fail(f"examples.{kind}", "expected a list")
        examples = []
        for item in items:
            if isinstance(item, str):
                item = {"text": item}
            if not isinstance(item, dict) or not isinstance(item.get("text"), str):
                self.fail(f"examples.{kind}", f"expected a text or {{text: ...}}, got {item!r}")
            unknown = set(item) - {"text", "flag", "customer", "channel"}
            if unknown:
                self.fail(f"examples.{kind}", f"unknown keys {sorted(unknown)}")
            flag = item.get("flag")
            if flag is not None and flag not in item["text"]:
                self.fail(f"examples.{kind}", f"flag {flag!r} does not occur in its text")
            examples.append(Example(item["text"], flag, item.get("customer"), item.get("channel")))
        return tuple(examples)


def _parse_rule(path: Path, raw: Any, index: int, wordlists: dict[str, WordList]) -> Rule:
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: rule #{index + 1}: expected a mapping of fields")
    r = _RuleReader(path, raw, index, wordlists)
    unknown = set(raw) - _RULE_FIELDS
    if unknown:
        r.fail(sorted(unknown)[0], "unknown field")
    rule_id = r.text("id")
    category = r.text("category")
    if category not in CATEGORIES:
        r.fail("category", f"{category!r} is not a category of the contract")
    severity = raw.get("severity", CATEGORY_SEVERITY[category])
    if severity not in SEVERITIES:
        r.fail("severity", f"use one of {', '.join(SEVERITIES)}")
    languages = raw.get("languages")
    if not isinstance(languages, list) or not languages or any(x not in LANGUAGES for x in languages):
        r.fail("languages", "expected a list with nl and/or en")
    check = raw.get("check", "existence")
    if check not in CHECKS:
        r.fail("check", f"use one of {', '.join(CHECKS)}")
    when = raw.get("when", {})
    if not isinstance(when, dict) or set(when) - {"complaint", "praise", "public"} or any(
        not isinstance(v, bool) for v in when.values()
    ):
        r.fail("when", "expected {complaint: true|false, praise: true|false, public: true|false}")
    ignore_inside, ignore_sentences_of = raw.get("ignore_inside", []), raw.get("ignore_sentences_of", [])
    for key, value in (("ignore_inside", ignore_inside), ("ignore_sentences_of", ignore_sentences_of)):
        if not isinstance(value, list) or any(c not in CATEGORIES for c in value):
            r.fail(key, "expected a list of categories")
    min_length = raw.get("min_length", 3)
    if not isinstance(min_length, int) or min_length < 1:
        r.fail("min_length", "expected a positive number")
    bad, good = r.examples()
    required = CHECKS[check]
    return Rule(
        id=rule_id,
        category=category,
        severity=severity,
        languages=frozenset(languages),
        check=check,
        message=r.templates("message", check),
        suggestion=r.templates("suggestion", check),
        guideline=r.text("guideline"),
        bad=bad,
        good=good,
        source=path,
        complaint=when.get("complaint"),
        praise=when.get("praise"),
        public=when.get("public"),
        patterns=r.patterns("patterns", "patterns" in required),
        versus=r.patterns("versus", "versus" in required),
        unless=r.patterns("unless", False),
        unless_promise=r.unless_promise(),
        ignore_inside=frozenset(ignore_inside),
        ignore_sentences_of=frozenset(ignore_sentences_of),
        exceptions=r.capitals("exceptions"),
        min_length=min_length,
        short_words=r.capitals("short_words"),
        lexicon=r.lexicon(check),
    )


def load_rules(folder: Path, guideline_ids: set[str] | None = None) -> list[Rule]:
    """All rules of `folder`/*.yaml, validated; `guideline_ids` checks every rule's guideline.
    Word lists come from the sibling folder `wordlists`."""
    wordlists = load_wordlists(folder.parent / "wordlists")
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise ConfigError(f"{folder}: no rule files (*.yaml) found")
    rules: list[Rule] = []
    seen: dict[str, Path] = {}
    for path in files:
        data = read_yaml(path)
        items = data.get("rules") if isinstance(data, dict) else None
        if not isinstance(items, list):
            raise ConfigError(f"{path}: expected a top-level 'rules:' list")
        for index, raw in enumerate(items):
            rule = _parse_rule(path, raw, index, wordlists)
            if rule.id in seen:
                raise ConfigError(f"{path}: rule '{rule.id}': field 'id': also defined in {seen[rule.id]}")
            if guideline_ids is not None and rule.guideline not in guideline_ids:
                raise ConfigError(
                    f"{path}: rule '{rule.id}': field 'guideline': no guideline with id {rule.guideline!r}"
                )
            seen[rule.id] = path
            rules.append(rule)
    return rules


def apply_settings(rules: list[Rule], settings: RuleSettings) -> list[Rule]:
    """The team's choices from app.yaml: rules switched off and severities changed."""
    known = {r.id for r in rules} | set(CATEGORIES)
    for key in settings.disable | set(settings.severity):
        if key not in known:
            raise ConfigError(f"app.yaml: field 'rules': {key!r} is neither a rule id nor a category")
    result = []
    for rule in rules:
        if rule.id in settings.disable or rule.category in settings.disable:
            continue
        severity = settings.severity.get(rule.id, settings.severity.get(rule.category, rule.severity))
        result.append(rule if severity == rule.severity else replace(rule, severity=severity))
    return result

