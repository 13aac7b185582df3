"""The weekly digest: the team's week in the channel, with a chart, naming and ranking nobody.

Sent by the running `serve` at `insights.digest` (e.g. "fri 16:00", the team's time zone), once
per ISO week across restarts and several processes on one database:

1. claim: one SQLite transaction reserves (week, platform) for a lease;
2. send: a claim resumed after a lapsed lease first looks for what arrived already (in Slack
   the digest message by its metadata, then the chart by its file name) and sends only the rest;
3. record: the message ids are stored with the claim, which is then done.

A digest that could not go out at its moment (the server was down) goes out when the server is
back, in the same week; never a week late. `webcare-coach digest` sends one on demand.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from bot.chat.offloop import in_store_thread
from bot.config import Config
from bot.insights.charts import Chart, findings_chart
from bot.insights.figures import Guidelines, Insights, from_store
from bot.messages import category_name, language_of, t, week_label
from bot.store import DigestClaim, Store

if TYPE_CHECKING:
    from slack_sdk.web.async_client import AsyncWebClient

    from bot.coach import Coach

log = logging.getLogger("webcare.insights")
EVENT_TYPE = "webcare_digest"
_LEASE_SECONDS = 300.0
_RETRY_SECONDS = 60.0
_MAX_SLEEP = 300.0

def percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "–"


def iso_week(moment: datetime) -> str:
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass(frozen=True)
class Digest:
    week: str  # ISO week, e.g. 2026-W49: the unit sent exactly once
    title: str
    sections: list[tuple[str, list[str]]]  # (heading or "", plain-text lines)
    footer: str
    chart: Chart  # 1200 px wide, for Slack
    card_chart: Chart  # 600 px wide and small, inline in a Teams card (about 28 KB per message)

    @property
    def chart_title(self) -> str:
        return self.title.removeprefix("📊 ")

    @property
    def text(self) -> str:
        """The digest as plain text (--dry-run, and notifications)."""
        parts = [self.title]
        for heading, lines in self.sections:
            parts.append("\n".join(([heading] if heading else []) + lines))
        return "\n\n".join(parts + [self.footer])


def summary_lines(insights: Insights, language: str) -> list[tuple[str, list[str]]]:
    """The week in words: reviews, the top findings with their guideline, promises, the rulebook."""
    lang = language_of(language)
    week = insights.week
    if week.enough:
        lines = [t(lang, "digest.reviews", n=week.reviews, ready=week.ready, p=percent(week.ready, week.reviews))]
    else:
        lines = [t(lang, "digest.reviews_few", n=week.reviews, min=insights.min_reviews)]
    if insights.before:
        average = sum(w.reviews for w in insights.before) / len(insights.before)
        lines[0] += " " + t(lang, "digest.average", n=f"{average:.0f}")
    sections: list[tuple[str, list[str]]] = [("", lines)]
    top = []
    for rank, finding in enumerate(insights.top, start=1):
        line = {"rank": rank, "name": category_name(finding.category, lang), "count": finding.count,
                "title": finding.guideline_title, "id": finding.guideline}
        if finding.share is None:
            top.append(t(lang, "digest.top_line", **line))
        else:
            trend = t(lang, f"digest.{finding.trend}") if finding.trend else ""
            top.append(t(lang, "digest.top_share", **line, p=f"{round(100 * finding.share)}%", trend=trend))
    sections.append((t(lang, "digest.top"), top or [t(lang, "digest.no_findings" if week.reviews else "digest.no_reviews")]))
    p = week.promises
    if not p.made:
        promise_lines = [t(lang, "digest.no_promises")]
    elif not insights.outcomes_known:
        promise_lines = [t(lang, "digest.made_only", made=p.made)]
    else:
        line = t(
            lang, "digest.promise_line",
            made=p.made, on_time=p.on_time, late=p.late, open=p.open, cancelled=p.cancelled,
            on_time_share=f" ({percent(p.on_time, p.made)})" if week.enough else "",
            overdue=t(lang, "digest.overdue", n=p.overdue) if p.overdue else "",
        )
        promise_lines = [line + (t(lang, "digest.untimed", n=p.untimed) if p.untimed else "")]
    sections.append((t(lang, "digest.promises"), promise_lines))
    if insights.not_right:
        rules = ", ".join(t(lang, "digest.rule", rule=r.rule, name=category_name(r.category, lang), n=r.not_right)
                          for r in insights.not_right)
        sections.append((t(lang, "digest.rulebook"),
                         [t(lang, "digest.rulebook_line", weeks=len(insights.weeks), rules=rules)]))
    return sections


def compose(insights: Insights, config: Config, week: str) -> Digest:
    lang = language_of(config.language)
    label = week_label(insights.week.start, insights.week.end, lang)
    return Digest(
        week=week, title=t(lang, "digest.title", week=label), sections=summary_lines(insights, lang),
        footer=t(lang, "digest.footer"),
        chart=findings_chart(insights, lang), card_chart=findings_chart(insights, lang, dpi=100, colours=32),
    )


def chart_filename(week: str) -> str:
    return f"webcare-digest-{week}.png"


# -- platforms ------------------------------------------------------------------------------


Posted = Callable[[str], Awaitable[None]]  # records the digest's message id once it went out


class DigestSender(Protocol):
    async def send(self, digest: Digest, claim: DigestClaim | None, posted: Posted | None) -> tuple[str, str]:
        """Deliver `digest` (what a resumed `claim` has not delivered yet); (message id, chart id).
        `posted(message id)` records a first step that went out. No claim: on demand, unmarked."""
        ...


def _slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_blocks(digest: Digest) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = [{"type": "header", "text": {"type": "plain_text", "text": digest.title[:150]}}]
    for heading, lines in digest.sections:
        text = "\n".join(_slack_escape(line) for line in lines)
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": (f"*{heading}*\n" if heading else "") + text}})
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": _slack_escape(digest.footer)}]})
    return blocks


class SlackDigestSender:
    """The digest's text as a message marked with its week (message metadata), then the chart
    uploaded and shared in the channel right below it (files.getUploadURLExternal, the upload,
    files.completeUploadExternal), found again by its file name."""

    def __init__(self, client: AsyncWebClient, channel: str):
        self.client, self.channel = client, channel

    async def send(self, digest: Digest, claim: DigestClaim | None, posted: Posted | None) -> tuple[str, str]:
        message = claim.message if claim else None
        if message is None and claim is not None and claim.resumed:
            message = await self._find_message(digest.week)
        if message is None:
            marker = {"event_type": EVENT_TYPE, "event_payload": {"week": digest.week}} if claim else None
            response = await self.client.chat_postMessage(
                channel=self.channel, text=digest.title, blocks=slack_blocks(digest), metadata=marker, unfurl_links=False,
            )
            message = response["ts"]
        if posted is not None:
            await posted(message)
        chart = await self._find_chart(digest.week, message) if claim is not None and claim.resumed else None
        if chart is None:
            upload = await self.client.files_upload_v2(
                channel=self.channel, file=digest.chart.png, filename=chart_filename(digest.week),
                title=digest.chart_title, alt_txt=digest.chart.alt[:1000],
            )
            chart = upload["file"]["id"]
        return message, chart

    async def _find_message(self, week: str) -> str | None:
        """The week's digest among the channel's latest 200 messages (a resumed claim is recent)."""
        response = await self.client.conversations_history(channel=self.channel, limit=200, include_all_metadata=True)
        for message in response.get("messages") or []:
            metadata = message.get("metadata") or {}
            if metadata.get("event_type") == EVENT_TYPE and metadata.get("event_payload") == {"week": week}:
                return message["ts"]
        return None

    async def _find_chart(self, week: str, after: str) -> str | None:
        response = await self.client.conversations_history(channel=self.channel, oldest=after, limit=200)
        for message in response.get("messages") or []:
            for file in message.get("files") or []:
                if file.get("name") == chart_filename(week):
                    return file["id"]
        return None


def teams_card(digest: Digest) -> dict[str, Any]:
    """An Adaptive Card with the chart inline (a data URI; Teams shows it without fetching anything)."""
    image = "data:image/png;base64," + base64.b64encode(digest.card_chart.png).decode("ascii")
    body: list[dict[str, Any]] = [
        {"type": "TextBlock", "text": digest.title, "size": "Large", "weight": "Bolder", "wrap": True},
        {"type": "Image", "url": image, "altText": digest.card_chart.alt[:1000], "size": "Stretch"},
    ]
    for heading, lines in digest.sections:
        if heading:
            body.append({"type": "TextBlock", "text": heading, "weight": "Bolder", "wrap": True, "spacing": "Medium"})
        body.extend({"type": "TextBlock", "text": line, "wrap": True, "spacing": "Small"} for line in lines)
    body.append({"type": "TextBlock", "text": digest.footer, "wrap": True, "isSubtle": True, "size": "Small"})
    return {"type": "AdaptiveCard", "$schema": "http://adaptivecards.io/schemas/adaptive-card.json", "version": "1.5",
            "msteams": {"width": "Full"}, "body": body}


class TeamsDigestSender:
    """A proactive Adaptive Card in the team's channel. The Bot Framework cannot look a sent
    message up, so a send that crashed before it was recorded goes again (at least once)."""

    def __init__(self, conversation: str, service_url: str):
        from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication

        from bot.teams.app import BotFrameworkSettings

        self.settings = BotFrameworkSettings.from_environment()
        self.adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(self.settings))
        self.conversation, self.service_url = conversation, service_url

    async def send(self, digest: Digest, claim: DigestClaim | None, posted: Posted | None) -> tuple[str, str]:
        from botbuilder.core import CardFactory, MessageFactory, TurnContext
        from botbuilder.schema import ChannelAccount, ConversationAccount, ConversationReference

        app_id = self.settings.APP_ID or None
        reference = ConversationReference(
            channel_id="msteams", service_url=self.service_url,
            conversation=ConversationAccount(id=self.conversation, is_group=True, conversation_type="channel"),
            bot=ChannelAccount(id=f"28:{app_id}" if app_id else "28:webcare-coach"),
        )
        sent: list[str] = []

        async def deliver(turn_context: TurnContext) -> None:
            response = await turn_context.send_activity(MessageFactory.attachment(CardFactory.adaptive_card(teams_card(digest))))
            sent.append(response.id if response else "")

        await self.adapter.continue_conversation(reference, deliver, app_id)
        message = sent[0] if sent else ""
        if posted is not None:
            await posted(message)
        return message, ""


def senders(coach: Coach, slack_channel: str | None = None) -> dict[str, DigestSender]:
    """The platforms the digest goes to: Slack with a bot token and a channel, Teams with a
    conversation. `slack_channel` overrides insights.slack_channel."""
    config = coach.config
    found: dict[str, DigestSender] = {}
    channel = slack_channel or config.insights.slack_channel
    if channel and config.slack.bot_token:
        from bot.slack.app import create_client

        found["slack"] = SlackDigestSender(create_client(config), channel)
    if config.insights.teams_conversation and slack_channel is None:
        found["teams"] = TeamsDigestSender(config.insights.teams_conversation, config.insights.teams_service_url)
    return found


# -- the schedule ------------------------------------------------------------------------------


class WeeklyDigest:
    """Sends the week's digest at the scheduled moment, exactly once per week and platform."""

    def __init__(self, config: Config, store: Store, senders: dict[str, DigestSender],
                 clock: Callable[[], float] = time.time, owner: str | None = None):
        if config.insights.digest_day is None:
            raise ValueError("insights.digest is not set")
        self.config, self.store, self.senders, self.clock = config, store, senders, clock
        self.owner = owner or uuid.uuid4().hex[:8]
        self.guidelines = Guidelines(config)
        self.failed = False  # the last round left a claim to retry

    def latest_moment(self, now: float) -> datetime | None:
        """This ISO week's scheduled moment, once it has come; None before it."""
        settings, zone = self.config.insights, self.config.calendar.timezone
        local = datetime.fromtimestamp(now, zone)
        day = local.date() - timedelta(days=local.weekday() - settings.digest_day)
        moment = datetime.combine(day, settings.digest_time, tzinfo=zone)
        return moment if moment.timestamp() <= now else None

    def next_moment(self, now: float) -> float:
        """The first scheduled moment after `now`."""
        settings, zone = self.config.insights, self.config.calendar.timezone
        local = datetime.fromtimestamp(now, zone)
        day = local.date() - timedelta(days=local.weekday() - settings.digest_day)
        for weeks in range(3):
            moment = datetime.combine(day + timedelta(weeks=weeks), settings.digest_time, tzinfo=zone).timestamp()
            if moment > now:
                return moment
        raise AssertionError("a weekly moment lies within three weeks")

    async def run_once(self) -> int:
        """Send this week's digest where it is due and not sent; how many platforms got it now.
        Store calls and the charts run off the event loop."""
        now = self.clock()
        moment = self.latest_moment(now)
        if moment is None:
            return 0
        week, digest, delivered, self.failed = iso_week(moment), None, 0, False
        for platform, sender in self.senders.items():
            claim = await in_store_thread(self.store.claim_digest, week, platform, self.owner, now, _LEASE_SECONDS)
            if claim is None:
                continue

            async def posted(message: str, claim: DigestClaim = claim) -> None:
                await in_store_thread(self.store.digest_posted, claim, self.owner, message)

            try:
                if digest is None:
                    insights = await in_store_thread(from_store, self.store, self.config, end=moment,
                                                     weeks=self.config.insights.weeks, now=now,
                                                     guidelines=self.guidelines)
                    digest = await asyncio.to_thread(compose, insights, self.config, week)
                message, chart = await sender.send(digest, claim, posted)
            except Exception as exc:  # noqa: BLE001 - any failure: try again later in the week, never twice
                log.warning("digest %s on %s failed, retrying: %s", week, platform, type(exc).__name__)
                await in_store_thread(self.store.digest_failed, claim, self.owner, f"{type(exc).__name__}: {exc}",
                                      self.clock() + _RETRY_SECONDS)
                self.failed = True
                continue
            recorded = await in_store_thread(self.store.digest_sent, claim, self.owner, self.clock(), message, chart)
            log.info("digest %s on %s %s", week, platform, "sent" if recorded else "sent, claim lost")
            delivered += recorded
        return delivered

    async def run_forever(self) -> None:
        while True:
            try:
                await self.run_once()
            except Exception:  # noqa: BLE001 - the loop must outlive a bad moment (e.g. a locked database)
                log.exception("digest loop iteration failed")
            now = self.clock()
            delay = min(self.next_moment(now) - now, _RETRY_SECONDS if self.failed else _MAX_SLEEP)
            await asyncio.sleep(max(delay, 0.05))


def weekly_digest(coach: Coach, store: Store) -> WeeklyDigest | None:
    """The weekly digest `serve` runs, when insights.digest and a channel are configured."""
    if coach.config.insights.digest_day is None:
        return None
    if coach.config.insights.slack_channel and not coach.config.slack.bot_token:
        log.warning("no SLACK_BOT_TOKEN: the digest cannot go to Slack channel %s", coach.config.insights.slack_channel)
    found = senders(coach)
    if not found:
        log.warning("insights.digest is set, but no channel: set insights.slack_channel (with SLACK_BOT_TOKEN) "
                    "or insights.teams_conversation")
        return None
    return WeeklyDigest(coach.config, store, found)
