"""Draft -> Review with the team's rules; knows nothing of chat platforms or language models."""

from __future__ import annotations

from datetime import datetime

from bot.config import Config, cache_folder
from bot.corpus import Corpus
from bot.review.analysis import Analyser, Analysis
from bot.review.case import Case, case_words, choose
from bot.review.checks import CHECK_FUNCTIONS, LATE_CHECKS, Context
from bot.review.complaint import KINDS, ComplaintJudgement, ComplaintSignals, load_complaint_signals
from bot.review.explain import Explanation
from bot.review.model import SEVERITY_ORDER, Draft, Finding, Review
from bot.review.prefilter import Prefilter, Scan, remembered_literals
from bot.review.promises import Judgement, find_promises, judge
from bot.review.rules import LANGUAGES, Rule, apply_settings, load_rules, load_wordlists
from bot.review.text import detect_language, fold
from bot.review.timeexpr import find_time_expressions
from bot.review.xlength import weighted_length


class ReviewError(ValueError):
    """The draft cannot be reviewed (e.g. it is empty); the message says what to fix."""


class Reviewer:
    """Built once per configuration (loading and compiling is the slow part), then reused."""

    def __init__(self, config: Config, corpus: Corpus, rules: list[Rule], complaint: ComplaintSignals,
                 analyser: Analyser | None = None):
        self.config, self.corpus, self.complaint = config, corpus, complaint
        self.analyser = analyser or Analyser.load(config.guidelines_dir / "language")
        self.rules = apply_settings(rules, config.rules)
        wordlists = load_wordlists(config.guidelines_dir / "wordlists")
        self._case_words = case_words({name: wordlist.pattern for name, wordlist in wordlists.items()})
        self._prefilter = Prefilter(
            [m for r in self.rules for m in (*r.patterns, *r.versus, *r.unless)]
            + [*complaint.draft_matchers, *self.analyser.matchers, *self._case_words.values()]
        )
        # The rules per (language, context, public channel), in the order they run: absence
        # checks last, so they see the others' findings.
        ordered = sorted(self.rules, key=lambda r: r.check in LATE_CHECKS)
        self._plans = {
            (lang, kind, public): [
                r for r in ordered
                if lang in r.languages and r.public in (None, public)
                and r.complaint in (None, kind == "complaint") and r.praise in (None, kind == "praise")
            ]
            for lang in LANGUAGES for kind in KINDS for public in (False, True)
        }

    @classmethod
    def from_config(cls, config: Config) -> Reviewer:
        with remembered_literals(cache_folder()):
            corpus = Corpus.load(config.guidelines_dir / "corpus")
            rules = load_rules(config.guidelines_dir / "rules", set(corpus.guidelines))
            complaint = load_complaint_signals(config.guidelines_dir / "complaint.yaml")
            return cls(config, corpus, rules, complaint)

    def compile_all(self) -> None:
        """Compile every pattern now. Patterns are compiled when first used, which suits a
        one-draft run; a server calls this at start so that its first reviews don't pay for it
        (a second or so, spread over the first few hundred reviews otherwise)."""
        for matcher in (*self._prefilter.matchers, *self.complaint.matchers):
            matcher.compile_now()

    def review(self, draft: Draft) -> Review:
        return self._review(draft)[0]

    def review_explained(self, draft: Draft) -> tuple[Review, Explanation]:
        """The review and how it came about: the clause analysis, the promise judgements and
        the complaint judgement (for `webcare-coach review --explain`)."""
        review, analysis, judgements, context, ctx, plan = self._review(draft)
        planned = {r.id for r in plan}  # ids: comparing whole rules costs a fifth of a review
        skipped = tuple({r.id: r for kind in KINDS for r in self._plans[review.language, kind, ctx.channel.public]
                         if r.id not in planned}.values())
        return review, Explanation(analysis, judgements, context, ctx, tuple(plan), skipped)

    def _review(
        self, draft: Draft
    ) -> tuple[Review, Analysis, list[Judgement], ComplaintJudgement, Context, list[Rule]]:
        """The review and what review_explained needs to explain it."""
        if not draft.text or not draft.text.strip():
            raise ReviewError("the draft is empty: give the reply text to review")
        channel = self.config.channel(draft.channel)
        text, truncated_at = draft.text, None
        if len(text) > self.config.max_chars:
            text, truncated_at = text[: self.config.max_chars], self.config.max_chars
        at = self._reference_time(draft.at)
        customer = draft.customer[: self.config.max_chars] if draft.customer else None
        scan = Scan(fold(text))
        language = detect_language(scan.words, customer)
        live = self._prefilter.live(scan)
        context = self.complaint.judge(customer, scan, live)
        analysis = self.analyser.analyse(text, language, scan, find_time_expressions(text, scan.folded), live)
        judgements = judge(analysis, at, self.config.calendar, context.hypothetical)
        ctx = Context(
            text=text,
            scan=scan,
            live=live,
            language=language,
            complaint=context.complaint,
            channel=channel,
            # the whole draft's, also when only its beginning is reviewed
            length=weighted_length(draft.text) if channel.weighted else len(draft.text),
            promises=find_promises(
                analysis, at, self.config.calendar, self.config.default_window_business_days, judgements
            ),
            analysis=analysis,
            customer=customer or "",
            abbreviations=self.config.rules.abbreviations,
            findings=[],
        )
        plan = self._plans[language, context.kind, channel.public]
        case = Case(text, scan, live, customer, language, channel, self._case_words, self.config.language)
        for rule in plan:
            # an existence rule none of whose patterns passed the prefilter finds nothing
            if not (rule.check == "existence" and live.isdisjoint(rule.patterns)):
                self._run(rule, ctx, case)
        findings = sorted(ctx.findings, key=lambda f: (f.start, SEVERITY_ORDER[f.severity], f.rule))
        review = Review(
            language=language,
            complaint=ctx.complaint,
            context=context.kind,
            channel=channel.id,
            findings=findings,
            promises=ctx.promises,
            length=ctx.length,
            limit=channel.limit,
            truncated_at=truncated_at,
        )
        return review, analysis, judgements, context, ctx, plan

    def _reference_time(self, at: datetime | None) -> datetime:
        zone = self.config.calendar.timezone
        if at is None:
            return datetime.now(zone)
        return at.replace(tzinfo=zone) if at.tzinfo is None else at.astimezone(zone)

    def _run(self, rule: Rule, ctx: Context, case: Case) -> None:
        """Add the rule's findings, skipping spans its category already flagged; the message and
        suggestion are the rule's first templates that fit the case."""
        lang = self.config.language
        for start, end, *fill in CHECK_FUNCTIONS[rule.check](rule, ctx):
            if not ctx.claim(rule.category, start, end):
                if ctx.full(rule.category):
                    return  # every further claim fails too: don't run the check to the end
                continue
            ctx.findings.append(
                Finding(
                    category=rule.category,
                    rule=rule.id,
                    severity=rule.severity,
                    start=start,
                    end=end,
                    excerpt=ctx.text[start:end],
                    message=choose(rule.message, lang, case.at(start, end), *fill or ({},)),
                    suggestion=choose(rule.suggestion, lang, case, *fill or ({},)),
                    guideline=rule.guideline,
                )
            )
