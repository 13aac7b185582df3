"""The team's configuration (`app.yaml`), with the project's own files as defaults.

A team keeps its own `app.yaml` (and optionally `guidelines/` and `prompts/`) in a folder of its
own; whatever it leaves out comes from the copies shipped with the package.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from bot.review.calendar import BusinessCalendar

PUBLIC_CHANNELS = frozenset({"twitter", "facebook", "instagram"})
PRIVATE_CHANNELS = frozenset({"dm", "whatsapp", "email", "chat"})
ALL_CHANNELS = PUBLIC_CHANNELS | PRIVATE_CHANNELS
CHANNEL_ALIASES = {"x": "twitter"}
SEVERITIES = ("error", "warning", "suggestion")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class ConfigError(ValueError):
    """The configuration, a data file or the environment is wrong; the message names what and where."""


def is_postgres_url(location: Path | str) -> bool:
    """WEBCARE_DB names a PostgreSQL database (anything else is a SQLite file)."""
    return str(location).startswith(("postgresql://", "postgres://"))


def default_db_path() -> Path | str:
    """$WEBCARE_DB, else webcare.db in the user's data folder (the same wherever a command runs).
    A postgresql:// URL is kept as it is (a string): the PostgreSQL backend."""
    import platformdirs

    configured = os.environ.get("WEBCARE_DB")
    if configured and is_postgres_url(configured):
        return configured
    return Path(configured) if configured else platformdirs.user_data_path("webcare-coach", False) / "webcare.db"


def cache_folder() -> Path | None:
    """$WEBCARE_CACHE, else the user's cache folder: what start-up keeps to go faster next time
    (never customer text). None when $WEBCARE_CACHE is "off"."""
    import platformdirs

    configured = os.environ.get("WEBCARE_CACHE")
    if configured and configured.strip().lower() == "off":
        return None
    return Path(configured) if configured else platformdirs.user_cache_path("webcare-coach", False)


def describe_database(location: Path | str) -> str:
    """The database for messages and logs: a file's path, or a PostgreSQL URL without its password
    (nor its query, which may hold one)."""
    if not is_postgres_url(location):
        return str(location)
    from urllib.parse import urlsplit

    url = urlsplit(str(location))
    try:
        port = f":{url.port}" if url.port else ""
    except ValueError:
        port = ""
    user = f"{url.username}@" if url.username else ""
    return f"postgresql://{user}{url.hostname or 'localhost'}{port}{url.path}"


def defaults_dir() -> Path:
    """The project's own app.yaml, guidelines/ and prompts/: the source tree or the wheel copy."""
    source_tree = Path(__file__).resolve().parent.parent
    if (source_tree / "guidelines").is_dir() and (source_tree / "app.yaml").is_file():
        return source_tree
    return Path(__file__).resolve().parent / "defaults"


@dataclass(frozen=True)
class Channel:
    id: str
    public: bool
    limit: int | None

    @property
    def weighted(self) -> bool:
        """X counts characters with weights (URLs 23, emoji 2)."""
        return self.id == "twitter"


@dataclass(frozen=True)
class RuleSettings:
    disable: frozenset[str] = frozenset()
    severity: dict[str, str] = field(default_factory=dict)
    abbreviations: frozenset[str] = frozenset()


@dataclass(frozen=True)
class LLMSettings:
    """The language model. Secrets come from the environment only and are never logged."""

    enabled: bool = True  # false: drafts never go to a language model (the team's privacy choice)
    model: str = "gpt-4o-mini"
    api_key: str | None = None  # OPENAI_API_KEY (or AZURE_OPENAI_API_KEY for Azure)
    base_url: str | None = None  # OPENAI_BASE_URL: a self-hosted OpenAI-compatible server
    azure_endpoint: str | None = None  # AZURE_OPENAI_ENDPOINT or llm.azure.endpoint
    azure_api_version: str = "2024-10-21"
    timeout_seconds: float = 20.0  # bound for the whole language-model part of one review
    max_attempts: int = 4
    max_concurrency: int = 4
    cache_hours: float = 24.0
    temperature: float = 0.2

    @property
    def configured(self) -> bool:
        """The contract: with no key and no base URL the coach runs rules-only."""
        return self.enabled and bool(self.api_key or self.base_url or self.azure_endpoint)

    def __repr__(self) -> str:  # keep the key out of logs and tracebacks
        return f"LLMSettings(model={self.model!r}, configured={self.configured})"


@dataclass(frozen=True)
class ReminderSettings:
    interval_minutes: float = 60.0  # between reminders of one promise
    max_reminders: int = 3  # then one escalation, if escalate_to is set
    escalate_to: str | None = None  # who is told then: a Slack user (U…) or user group (S…) id
    quiet_outside_business_hours: bool = True  # hold reminders until the next opening
    lease_seconds: float = 60.0  # how long a claimed reminder is reserved for the loop sending it


@dataclass(frozen=True)
class RetentionSettings:
    """Days each kind of row is kept before `serve` (daily) or `webcare-coach purge` deletes it."""

    reviews: float = 30  # posted reviews: who asked, where, verdict, rule ids
    events: float = 7  # handled review requests (outbox: platform message ids), kept against redelivery
    feedback: float = 90  # per-agent 👍/👎; the per-rule counts are kept as totals
    promises: float = 30  # done and cancelled promises; open ones are never purged
    reminder_sends: float = 30  # reminders sent for promises no longer open
    model_cache: float = 1  # cached model answers (redacted); expired ones (llm.cache_hours) go too

    def days(self, kind: str) -> float:
        return getattr(self, kind)


@dataclass(frozen=True)
class OutboxSettings:
    """Review requests waiting to be posted (the platform down, rate limits, a restart)."""

    give_up_minutes: float = 60.0  # a review not posted by then is dropped (and logged)
    lease_seconds: float = 60.0  # how long a claimed request is reserved for the worker posting it
    max_parallel: int = 8  # requests posted at the same time


@dataclass(frozen=True)
class SlackSettings:
    """Slack. Tokens and secret come from the environment only and are never logged."""

    bot_token: str | None = None  # SLACK_BOT_TOKEN
    signing_secret: str | None = None  # SLACK_SIGNING_SECRET: Events API over HTTP
    app_token: str | None = None  # SLACK_APP_TOKEN: Socket Mode instead of HTTP
    api_url: str | None = None  # SLACK_API_URL: another Web API base URL (tests)
    review_emojis: frozenset[str] = frozenset({"eyes"})  # a reaction with one of these asks for a review
    channels: dict[str, str] = field(default_factory=dict)  # Slack channel id -> social channel it handles

    @property
    def configured(self) -> bool:
        return bool(self.bot_token and (self.signing_secret or self.app_token))

    def __repr__(self) -> str:
        return f"SlackSettings(configured={self.configured}, socket_mode={bool(self.app_token)})"


# The hosts of the Bot Framework's channel services (public, US government and DoD clouds);
# a Teams activity naming any other serviceUrl is refused unless app.yaml lists it.
BOT_FRAMEWORK_HOSTS = ("smba.trafficmanager.net", "*.botframework.com", "smba.infra.gcc.teams.microsoft.com",
                       "smba.infra.gov.teams.microsoft.us", "smba.infra.dod.teams.microsoft.us", "*.botframework.us",
                       "*.botframework.azure.us")


@dataclass(frozen=True)
class TeamsSettings:
    """Microsoft Teams (/api/messages): off unless MicrosoftAppId is set or `serve --teams-emulator`."""

    app_id: str | None = None  # MicrosoftAppId: every activity must carry a Bot Framework token for it
    emulator: bool = False  # serve --teams-emulator: anonymous, 127.0.0.1 and loopback serviceUrls only
    service_url_hosts: tuple[str, ...] = BOT_FRAMEWORK_HOSTS  # plus teams.service_url_hosts in app.yaml
    # Where the Bot Framework publishes its token signing keys (BOTFRAMEWORK_OPENID_METADATA: tests)
    openid_metadata_url: str = "https://login.botframework.com/v1/.well-known/openidconfiguration"
    key_fetch_timeout_seconds: float = 5.0

    @property
    def configured(self) -> bool:
        return bool(self.app_id) or self.emulator


@dataclass(frozen=True)
class InsightSettings:
    """Team insights: the weekly digest in the channel and the report. Nobody is named or ranked."""

    digest_day: int | None = None  # weekday of the digest (0 = Monday); None: no scheduled digest
    digest_time: time = time(16, 0)  # in the calendar's time zone
    slack_channel: str | None = None  # a Slack channel id (C…) for the digest
    teams_conversation: str | None = None  # a Teams channel conversation id (19:…@thread.tacv2)
    teams_service_url: str = "https://smba.trafficmanager.net/teams/"
    min_reviews: int = 5  # a week with fewer reviews shows counts without percentages
    weeks: int = 4  # the digest's week and the weeks before it that its trends compare with


@dataclass(frozen=True)
class Config:
    path: Path | None
    language: str
    guidelines_dir: Path
    prompts_dir: Path
    max_chars: int
    default_channel: str
    limits: dict[str, int | None]
    calendar: BusinessCalendar
    default_window_business_days: int
    rules: RuleSettings
    llm: LLMSettings = field(default_factory=LLMSettings)
    slack: SlackSettings = field(default_factory=SlackSettings)
    reminders: ReminderSettings = field(default_factory=ReminderSettings)
    insights: InsightSettings = field(default_factory=InsightSettings)
    retention: RetentionSettings = field(default_factory=RetentionSettings)
    teams: TeamsSettings = field(default_factory=TeamsSettings)
    outbox: OutboxSettings = field(default_factory=OutboxSettings)
    # per platform, the users who may act on any promise (team leads), e.g. {"slack": {"U01…"}}
    leads: dict[str, frozenset[str]] = field(default_factory=dict)
    db_path: Path | str = field(default_factory=default_db_path)  # a file, or a postgresql:// URL

    def channel(self, name: str | None) -> Channel:
        """The channel by id or alias; raises ConfigError naming the valid ids."""
        key = (name or self.default_channel).strip().lower()
        key = CHANNEL_ALIASES.get(key, key)
        if key not in ALL_CHANNELS:
            valid = ", ".join(sorted(ALL_CHANNELS | set(CHANNEL_ALIASES)))
            raise ConfigError(f"unknown channel {name!r}: use one of {valid}")
        return Channel(key, key in PUBLIC_CHANNELS, self.limits.get(key))


def load_config(path: str | os.PathLike | None = None) -> Config:
    """Load `path`, else $WEBCARE_CONFIG, else ./app.yaml, else the project's defaults.

    `path` and $WEBCARE_CONFIG may name the team's folder or the app.yaml in it.
    """
    source = "WEBCARE_CONFIG" if path is None and os.environ.get("WEBCARE_CONFIG") else "configuration"
    if path is None:
        path = os.environ.get("WEBCARE_CONFIG") or ("app.yaml" if Path("app.yaml").is_file() else None)
    if path is not None:
        path = Path(path).expanduser()
        if path.is_dir():
            path = path / "app.yaml"
            if not path.is_file():
                raise ConfigError(f"{source} {path.parent}: the folder has no app.yaml (copy the project's one there)")
        elif not path.is_file():
            raise ConfigError(f"{source} {path} does not exist (name the team's folder or its app.yaml)")
    config_path = path.resolve() if path else defaults_dir() / "app.yaml"
    data = read_yaml(config_path) or {}
    if not isinstance(data, dict):
        raise ConfigError(f"{config_path}: expected a mapping of settings at the top level")
    return _parse(config_path, data, explicit=path is not None)


_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: 10x faster


def read_yaml(path: Path, text: str | None = None) -> Any:
    """The YAML in `path` (or `text`, read from it), or a ConfigError naming the file."""
    try:
        return yaml.load(path.read_text(encoding="utf-8") if text is None else text, Loader=_YAML_LOADER)
    except FileNotFoundError:
        raise ConfigError(f"{path}: missing") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except yaml.YAMLError as exc:
        problem = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ConfigError(f"{path}: not valid YAML ({problem})") from None
    except ValueError as exc:  # a value YAML reads but cannot build, such as the unquoted date 2026-02-30
        raise ConfigError(f"{path}: impossible value ({exc}); fix it, or quote it if it is not a date") from None


def not_words(values: list[Any]) -> str | None:
    """What is wrong with a YAML list of words, or None. YAML reads an unquoted no, yes, on or off
    as true or false, so a list of words would lose "no" without a word."""
    for value in values:
        if not isinstance(value, str):
            return f"{value!r} is not a word (YAML reads an unquoted no, yes, on or off as true or false: quote it)"
    return None


class _Reader:
    """Typed access to nested settings that names file and field in every error."""

    def __init__(self, path: Path, data: dict[str, Any]):
        self.path, self.data = path, data

    def get(self, dotted: str, default: Any, kind: type | tuple[type, ...]) -> Any:
        node: Any = self.data
        for part in dotted.split("."):
            if not isinstance(node, dict) or part not in node:
                return default
            node = node[part]
        if node is None and default is None:
            return None
        if not isinstance(node, kind) or (kind is int and isinstance(node, bool)):
            names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
            self.fail(dotted, f"expected {names}, got {node!r}")
        return node

    def fail(self, dotted: str, problem: str) -> None:
        raise ConfigError(f"{self.path}: field '{dotted}': {problem}")


# The settings app.yaml knows, per section; anything else is a typo worth reporting.
_KNOWN = {
    "language": None, "guidelines": None, "prompts": None,
    "review": {"max_chars"},
    "channels": {"default", "limits"},
    "calendar": {"timezone", "business_hours", "business_days", "holidays", "extra_closed_days"},
    "promises": {"default_window_business_days"},
    "rules": {"disable", "severity", "abbreviations"},
    "llm": {"enabled", "model", "azure", "timeout_seconds", "max_attempts", "max_concurrency", "cache_hours",
            "temperature"},
    "slack": {"review_emojis", "channels"},
    "teams": {"service_url_hosts"},
    "reminders": {"interval_minutes", "max_reminders", "escalate_to", "quiet_outside_business_hours",
                  "lease_seconds"},
    "insights": {"digest", "slack_channel", "teams_conversation", "teams_service_url", "min_reviews", "weeks"},
    "retention": set(RetentionSettings.__dataclass_fields__),
    "outbox": {"give_up_minutes", "lease_seconds", "max_parallel"},
    "leads": {"slack", "teams"},
}


def _check_known(r: _Reader, data: dict[Any, Any]) -> None:
    for key, value in data.items():
        if key not in _KNOWN:
            r.fail(str(key), f"unknown setting (known: {', '.join(_KNOWN)})")
        if _KNOWN[key] is not None:
            if not isinstance(value, dict):
                r.fail(key, "expected a mapping of settings")
            for sub in value:
                if sub not in _KNOWN[key]:
                    r.fail(f"{key}.{sub}", f"unknown setting (known: {', '.join(sorted(_KNOWN[key]))})")


def _parse(path: Path, data: dict[str, Any], explicit: bool) -> Config:
    r = _Reader(path, data)
    _check_known(r, data)
    language = r.get("language", "nl", str)
    if language not in ("nl", "en"):
        r.fail("language", "use nl or en")

    def folder(key: str) -> Path:
        """The team's folder when app.yaml names one (it must exist), else its own or the project's."""
        if key in data:
            own = path.parent / r.get(key, key, str)
            if not own.is_dir():
                r.fail(key, f"folder {own} does not exist")
            return own
        own = path.parent / key
        return own if own.is_dir() else defaults_dir() / key

    max_chars = r.get("review.max_chars", 10000, int)
    if max_chars < 100:
        r.fail("review.max_chars", "use at least 100")

    limits: dict[str, int | None] = {"twitter": 280}
    for name, value in r.get("channels.limits", {}, dict).items():
        key = CHANNEL_ALIASES.get(str(name).lower(), str(name).lower())
        if key not in ALL_CHANNELS:
            r.fail(f"channels.limits.{name}", "unknown channel")
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value <= 0):
            r.fail(f"channels.limits.{name}", "expected a positive number of characters or null")
        limits[key] = value

    calendar = _calendar(r)
    window = r.get("promises.default_window_business_days", 1, int)
    if window < 0:
        r.fail("promises.default_window_business_days", "use 0 or more")

    severity = r.get("rules.severity", {}, dict)
    for key, level in severity.items():
        if level not in SEVERITIES:
            r.fail(f"rules.severity.{key}", f"use one of {', '.join(SEVERITIES)}")
    rules = RuleSettings(
        disable=frozenset(str(x) for x in r.get("rules.disable", [], list)),
        severity={str(k): v for k, v in severity.items()},
        abbreviations=frozenset(str(x).upper() for x in r.get("rules.abbreviations", [], list)),
    )
    default_channel = r.get("channels.default", "twitter", str).strip().lower()
    default_channel = CHANNEL_ALIASES.get(default_channel, default_channel)
    if default_channel not in ALL_CHANNELS:
        r.fail("channels.default", f"use one of {', '.join(sorted(ALL_CHANNELS))}")
    return Config(
        path=path if explicit else None,
        language=language,
        guidelines_dir=folder("guidelines"),
        prompts_dir=folder("prompts"),
        max_chars=max_chars,
        default_channel=default_channel,
        limits=limits,
        calendar=calendar,
        default_window_business_days=window,
        rules=rules,
        llm=_llm(r),
        slack=_slack(r),
        reminders=_reminders(r),
        insights=_insights(r),
        retention=_retention(r),
        teams=_teams(r),
        outbox=_outbox(r),
        leads=_leads(r),
        db_path=default_db_path(),
    )


def _reminders(r: _Reader) -> ReminderSettings:
    defaults = ReminderSettings()
    settings = ReminderSettings(
        interval_minutes=float(r.get("reminders.interval_minutes", defaults.interval_minutes, (int, float))),
        max_reminders=r.get("reminders.max_reminders", defaults.max_reminders, int),
        escalate_to=r.get("reminders.escalate_to", None, (str, type(None))),
        quiet_outside_business_hours=r.get("reminders.quiet_outside_business_hours", True, bool),
        lease_seconds=float(r.get("reminders.lease_seconds", defaults.lease_seconds, (int, float))),
    )
    for name in ("interval_minutes", "max_reminders", "lease_seconds"):
        if getattr(settings, name) <= 0:
            r.fail(f"reminders.{name}", "must be more than 0")
    return settings


def _insights(r: _Reader) -> InsightSettings:
    defaults = InsightSettings()
    day, at = None, defaults.digest_time
    schedule = r.get("insights.digest", None, (str, type(None)))
    if schedule is not None:
        parts = schedule.strip().lower().split()
        try:
            day = WEEKDAYS.index(parts[0][:3])
            at = time.fromisoformat(parts[1]) if len(parts) == 2 else None
        except (IndexError, ValueError):
            at = None
        if at is None:
            r.fail("insights.digest", f'expected a day and a time like "fri 16:00", got {schedule!r}')
    settings = InsightSettings(
        digest_day=day, digest_time=at,
        slack_channel=r.get("insights.slack_channel", None, (str, type(None))),
        teams_conversation=r.get("insights.teams_conversation", None, (str, type(None))),
        teams_service_url=r.get("insights.teams_service_url", defaults.teams_service_url, str),
        min_reviews=r.get("insights.min_reviews", defaults.min_reviews, int),
        weeks=r.get("insights.weeks", defaults.weeks, int),
    )
    if settings.min_reviews < 1:
        r.fail("insights.min_reviews", "use 1 or more")
    if not 1 <= settings.weeks <= 52:
        r.fail("insights.weeks", "use 1 to 52")
    return settings


def _retention(r: _Reader) -> RetentionSettings:
    days = {}
    for name, field_ in RetentionSettings.__dataclass_fields__.items():
        days[name] = float(r.get(f"retention.{name}", field_.default, (int, float)))
        if days[name] <= 0:
            r.fail(f"retention.{name}", "must be more than 0 days")
    return RetentionSettings(**days)


def _outbox(r: _Reader) -> OutboxSettings:
    defaults = OutboxSettings()
    settings = OutboxSettings(
        give_up_minutes=float(r.get("outbox.give_up_minutes", defaults.give_up_minutes, (int, float))),
        lease_seconds=float(r.get("outbox.lease_seconds", defaults.lease_seconds, (int, float))),
        max_parallel=r.get("outbox.max_parallel", defaults.max_parallel, int),
    )
    for name in ("give_up_minutes", "lease_seconds", "max_parallel"):
        if getattr(settings, name) <= 0:
            r.fail(f"outbox.{name}", "must be more than 0")
    return settings


def _leads(r: _Reader) -> dict[str, frozenset[str]]:
    leads = {}
    for platform in ("slack", "teams"):
        users = r.get(f"leads.{platform}", [], (list, type(None))) or []
        if not all(isinstance(user, str) and user.strip() for user in users):
            r.fail(f"leads.{platform}", "expected a list of user ids")
        leads[platform] = frozenset(user.strip() for user in users)
    return leads


def _teams(r: _Reader) -> TeamsSettings:
    env = os.environ
    hosts = r.get("teams.service_url_hosts", [], (list, type(None))) or []
    if not all(isinstance(host, str) and host.strip() and "/" not in host for host in hosts):
        r.fail("teams.service_url_hosts", "expected a list of host names, e.g. [bot-proxy.example.com]")
    return TeamsSettings(
        app_id=env.get("MicrosoftAppId") or None,
        service_url_hosts=BOT_FRAMEWORK_HOSTS + tuple(host.strip().lower() for host in hosts),
        openid_metadata_url=env.get("BOTFRAMEWORK_OPENID_METADATA") or TeamsSettings.openid_metadata_url,
    )


def _slack(r: _Reader) -> SlackSettings:
    env = os.environ
    channels = {}
    for slack_channel, channel in r.get("slack.channels", {}, dict).items():
        key = CHANNEL_ALIASES.get(str(channel).lower(), str(channel).lower())
        if key not in ALL_CHANNELS:
            r.fail(f"slack.channels.{slack_channel}", f"use one of {', '.join(sorted(ALL_CHANNELS))}")
        channels[str(slack_channel)] = key
    emojis = r.get("slack.review_emojis", ["eyes"], list)
    return SlackSettings(
        bot_token=env.get("SLACK_BOT_TOKEN") or None,
        signing_secret=env.get("SLACK_SIGNING_SECRET") or None,
        app_token=env.get("SLACK_APP_TOKEN") or None,
        api_url=env.get("SLACK_API_URL") or None,
        review_emojis=frozenset(str(e).strip(":") for e in emojis),
        channels=channels,
    )


def _llm(r: _Reader) -> LLMSettings:
    env = os.environ
    azure = r.get("llm.azure", {}, dict)
    settings = LLMSettings(
        enabled=r.get("llm.enabled", True, bool),
        model=env.get("WEBCARE_LLM_MODEL") or r.get("llm.model", LLMSettings.model, str),
        api_key=env.get("OPENAI_API_KEY") or env.get("AZURE_OPENAI_API_KEY") or None,
        base_url=env.get("OPENAI_BASE_URL") or None,
        azure_endpoint=env.get("AZURE_OPENAI_ENDPOINT") or azure.get("endpoint") or None,
        azure_api_version=env.get("OPENAI_API_VERSION") or azure.get("api_version") or LLMSettings.azure_api_version,
        timeout_seconds=float(r.get("llm.timeout_seconds", LLMSettings.timeout_seconds, (int, float))),
        max_attempts=r.get("llm.max_attempts", LLMSettings.max_attempts, int),
        max_concurrency=r.get("llm.max_concurrency", LLMSettings.max_concurrency, int),
        cache_hours=float(r.get("llm.cache_hours", LLMSettings.cache_hours, (int, float))),
        temperature=float(r.get("llm.temperature", LLMSettings.temperature, (int, float))),
    )
    for name in ("timeout_seconds", "max_attempts", "max_concurrency"):
        if getattr(settings, name) <= 0:
            r.fail(f"llm.{name}", "must be more than 0")
    return settings


def _calendar(r: _Reader) -> BusinessCalendar:
    zone = r.get("calendar.timezone", "Europe/Amsterdam", str)
    try:
        timezone = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        r.fail("calendar.timezone", f"unknown time zone {zone!r} (e.g. Europe/Amsterdam)")
    hours = r.get("calendar.business_hours", ["09:00", "17:00"], list)
    try:
        opens, closes = (time.fromisoformat(str(h)) for h in hours)
    except ValueError:
        r.fail("calendar.business_hours", 'expected two times like ["09:00", "17:00"]')
    if opens >= closes:
        r.fail("calendar.business_hours", "opening must come before closing")
    days = [str(d).lower()[:3] for d in r.get("calendar.business_days", list(WEEKDAYS[:5]), list)]
    if not days or any(d not in WEEKDAYS for d in days):
        r.fail("calendar.business_days", f"use day names from {', '.join(WEEKDAYS)}")
    country = r.get("calendar.holidays", "NL", (str, type(None)))
    if country is not None:
        import holidays

        if country.upper() not in holidays.list_supported_countries():
            r.fail("calendar.holidays", f"no holiday calendar for {country!r} (e.g. NL, BE)")
    try:
        extra = frozenset(date.fromisoformat(str(d)) for d in r.get("calendar.extra_closed_days", [], list))
    except ValueError:
        r.fail("calendar.extra_closed_days", "expected ISO dates like 2026-12-31")
    return BusinessCalendar(
        timezone=timezone,
        opens=opens,
        closes=closes,
        workdays=frozenset(WEEKDAYS.index(d) for d in days),
        holiday_country=country.upper() if country else None,
        extra_holidays=extra,
    )
