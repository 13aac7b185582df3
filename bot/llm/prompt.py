"""The messages for the model, built from the team's prompt templates and guideline corpus.

Every part taken from customer text (draft, customer message, rule excerpts, promise lines,
guideline search terms, the rewrite request) goes through the review's `Redactor` here, and
nowhere else: what leaves for the model holds placeholders, never the personal data.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from string import Template

from bot.config import Channel, ConfigError
from bot.corpus import Corpus, Guideline
from bot.privacy import Redactor
from bot.review.model import Finding, Promise
from bot.review.rules import CATEGORIES

LANGUAGE_NAMES = {"nl": "Dutch", "en": "English"}
# Guidelines about judgement the rules cannot make: always in the prompt.
JUDGEMENT_GUIDELINES = ("begrip-excuses-oplossing", "realistische-oplossing", "vraag-achter-de-vraag")
_TEMPLATES = ("system.md", "user.md", "fix_rewrite.md")


@dataclass(frozen=True)
class Prompts:
    system: Template
    user: Template
    fix_rewrite: Template
    version: str  # changes whenever a template changes: part of the cache key

    @classmethod
    def load(cls, folder: Path) -> Prompts:
        texts = {}
        for name in _TEMPLATES:
            try:
                texts[name] = (folder / name).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise ConfigError(f"{folder / name}: cannot read the prompt template ({exc})") from None
        version = hashlib.sha256("\0".join(texts[n] for n in _TEMPLATES).encode()).hexdigest()[:12]
        return cls(*(Template(texts[n]) for n in _TEMPLATES), version=version)


def _fill(template: Template, name: str, **values: object) -> str:
    try:
        return template.substitute(**values)
    except (KeyError, ValueError) as exc:
        raise ConfigError(f"prompt template {name}: unknown or malformed placeholder {exc}") from None


def relevant_guidelines(
    corpus: Corpus, redactor: Redactor, draft: str, customer: str | None, findings: list[Finding]
) -> list[Guideline]:
    """The guidelines of the rule findings, the judgement ones, and the best matches of a search
    (on the redacted text: the names in the guideline corpus must not pick guidelines)."""
    ids = [f.guideline for f in findings if f.guideline in corpus]
    ids += [g for g in JUDGEMENT_GUIDELINES if g in corpus]
    ids += [g.id for g in corpus.search(redactor.redact(f"{draft}\n{customer or ''}"), limit=4)]
    return [corpus[i] for i in dict.fromkeys(ids)]


def _guideline_block(guidelines: list[Guideline]) -> str:
    return "\n\n".join(f"[{g.id}] {g.title}\n{g.principle}\n({g.summary})" for g in guidelines)


def _finding_lines(findings: list[Finding], redactor: Redactor) -> str:
    lines = [
        f"- {f.category} ({f.severity}): " + (f'"{redactor.redact(f.excerpt)}"' if f.excerpt else "the whole draft")
        + f" [{f.guideline}]"
        for f in findings
    ]
    return "\n".join(lines) or "(none)"


def _promise_lines(promises: list[Promise], redactor: Redactor) -> str:
    lines = [
        f'- "{redactor.redact(p.text)}": due {p.due:%A %Y-%m-%d %H:%M}' + ("" if p.explicit else " (no time given)")
        for p in promises
    ]
    return "\n".join(lines) or "(none)"


def _data(text: str) -> str:
    """Delimited data may not close its own delimiter."""
    return text.replace("<<<", "< < <").replace(">>>", "> > >")


def build_messages(
    prompts: Prompts,
    guidelines: list[Guideline],
    redactor: Redactor,
    draft: str,
    customer: str | None,
    channel: Channel,
    language: str,
    findings: list[Finding],
    promises: list[Promise],
) -> list[dict[str, str]]:
    """The system and user message; `redactor` has learnt the names of draft and customer."""
    limit = str(channel.limit) if channel.limit else "no"
    system = _fill(
        prompts.system, "system.md",
        categories=", ".join(CATEGORIES), language_name=LANGUAGE_NAMES[language],
        channel=channel.id, limit=limit, guidelines=_guideline_block(guidelines),
    )
    user = _fill(
        prompts.user, "user.md",
        channel=channel.id, visibility="public" if channel.public else "private", limit=limit,
        customer=_data(redactor.redact(customer) if customer else "(not given)"), draft=_data(redactor.redact(draft)),
        rule_findings=_finding_lines(findings, redactor), promises=_promise_lines(promises, redactor),
    )
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


def rewrite_request(
    prompts: Prompts, messages: list[dict[str, str]], answer: str, problems: list[str], channel: Channel,
    redactor: Redactor,
) -> list[dict[str, str]]:
    """The conversation so far, the model's answer and what the rules still object to in its rewrite."""
    text = _fill(
        prompts.fix_rewrite, "fix_rewrite.md",
        problems="\n".join(f"- {redactor.redact(p)}" for p in problems),
        limit=str(channel.limit) if channel.limit else "no",
    )
    return [*messages, {"role": "assistant", "content": redactor.redact(answer)}, {"role": "user", "content": text}]
