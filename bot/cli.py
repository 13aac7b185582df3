"""`webcare-coach`: review drafts, look up guidelines, run the bot, see tracked promises, report
on the team.

Exit codes: 0 when the command ran (whatever the review found), 2 for bad input or
configuration, with one line on stderr that says what to fix.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import re
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from bot.config import Config, ConfigError, default_db_path, describe_database, is_postgres_url, load_config
from bot.coach import Coach
from bot.review.engine import ReviewError
from bot.review.model import Draft
from bot import terminal

if TYPE_CHECKING:
    from bot.store import Store


class UsageError(Exception):
    """Bad input or configuration: exit 2 with this one-line message."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see {self.prog} --help)")


def _port(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 65535:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port number from 1 to 65535")
    return int(value)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="webcare-coach", description="Coaches webcare agents on their reply drafts.")
    moved = "WEBCARE_DB" if os.environ.get("WEBCARE_DB") else "set WEBCARE_DB to move it"
    database = f"the database: {describe_database(default_db_path())} ({moved})"
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    review = commands.add_parser("review", help="review a draft reply (or a batch of them)")
    review.add_argument("text", nargs="?", metavar="TEXT", help="the draft; '-' reads it from stdin")
    review.add_argument("--customer", help="the customer's message the draft answers")
    review.add_argument("--channel", help="twitter (x), facebook, instagram, dm, whatsapp, email, chat "
                        "(default: channels.default in app.yaml)")
    review.add_argument("--at", help="reference time for promise deadlines, ISO 8601 (default: now)")
    review.add_argument("--file", type=Path, help="batch: JSONL with id, draft, customer?, channel?, at?")
    review.add_argument("--json", action="store_true", help="print the review as JSON")
    review.add_argument("--no-llm", action="store_true", help="rules only, even when an LLM is configured")
    review.add_argument("--explain", action="store_true",
                        help="show why: each clause (who, negation, time, mood), the complaint judgement, "
                             "why each promise and finding was or was not made")

    serve = commands.add_parser("serve", help="run the bot: Slack, Teams and the reminders on one port",
                                description=f"Runs the bot and logs its address and which platforms are on. "
                                            f"Uses {database}.")
    serve.add_argument("--port", type=_port, default=3000, help="the port to listen on (default: %(default)s)")
    serve.add_argument("--host", help="the address to listen on; 127.0.0.1 for this machine only "
                                      "(default: 0.0.0.0, or 127.0.0.1 with --teams-emulator)")
    serve.add_argument("--teams-emulator", action="store_true",
                       help="Teams without MicrosoftAppId, for the Bot Framework Emulator: anonymous, "
                            "loopback only (default: off)")

    package = commands.add_parser("teams-package", help="zip the Teams app package for sideloading")
    package.add_argument("--bot-id", required=True, help="the Azure Bot's Microsoft App ID")
    package.add_argument("--out", type=Path, default=Path("webcare-coach-teams.zip"),
                         help="where to write the zip (default: %(default)s)")

    promises = commands.add_parser("promises", help="the promised callbacks the coach tracks",
                                   description=f"The promised callbacks the coach tracks, from {database}.")
    promises.add_argument("--open", action="store_true", help="only those not yet done or cancelled")
    promises.add_argument("--json", action="store_true", help="print JSON, one object per promise")

    rules = commands.add_parser("rules", help="the rules and how agents rate their findings",
                                description=f"The rules; with --stats the agents' ratings, from {database}.")
    rules.add_argument("--stats", action="store_true", help="helpful / not right per rule, from the feedback buttons")
    rules.add_argument("--json", action="store_true", help="print JSON")

    report = commands.add_parser("report", help="the team's figures as one HTML page (nobody is named)")
    report.add_argument("--since", default="30d", help="how far back from now: days (30d) or weeks (8w) (default: %(default)s)")
    report.add_argument("--out", type=Path, default=Path("report.html"),
                        help="the HTML file to write (default: %(default)s)")
    report.add_argument("--file", type=Path, help="a baseline: past replies as JSONL (like review --file), rules only")

    digest = commands.add_parser("digest", help="send the team's weekly digest now (Slack and/or Teams)")
    digest.add_argument("--dry-run", action="store_true", help="print the digest instead of sending it")
    digest.add_argument("--slack-channel", metavar="ID", help="this Slack channel instead of insights.slack_channel")
    purge = commands.add_parser("purge", help="delete stored rows older than the retention settings")
    purge.add_argument("--dry-run", action="store_true", help="only say what would be deleted")

    guidelines = commands.add_parser("guidelines", help="list the guidelines or search them")
    guidelines.add_argument("query", nargs="*", metavar="QUERY", help="search words, e.g. beloftes")
    guidelines.add_argument("--json", action="store_true", help="print JSON")

    commands.add_parser("where", help="where the configuration, guidelines, prompts and database are")

    backup = commands.add_parser("backup", help="copy the database safely, also while serve runs",
                                 description=f"A consistent copy of {database}, made with SQLite's online backup "
                                             "(PostgreSQL: use pg_dump).")
    backup.add_argument("path", type=Path, metavar="PATH", help="the new file to write, e.g. webcare-2026-12-06.db")
    return parser


def parse_at(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(f"bad --at {value!r}: use ISO 8601, e.g. 2026-11-25T14:00:00+01:00") from None


def _read_stdin() -> str:
    data = sys.stdin.buffer.read()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UsageError(f"stdin is not valid UTF-8 (byte {exc.start}): save the draft as UTF-8") from None


async def _review_one(coach: Coach, args: argparse.Namespace) -> None:
    if args.text is None:
        raise UsageError("give the draft as TEXT, '-' to read it from stdin, or --file for a batch")
    text = _read_stdin() if args.text == "-" else args.text
    draft = Draft(text, customer=args.customer, channel=args.channel, at=parse_at(args.at))
    try:
        review = await coach.review(draft, use_llm=not args.no_llm)
        explanation = _explain(coach, draft) if args.explain else None
    except ReviewError as exc:
        raise UsageError(str(exc)) from None
    if args.json:
        print(json.dumps({**review.to_dict(), **({"explain": explanation} if explanation else {})}, ensure_ascii=False))
    else:
        print(terminal.render_review(review, text, coach.config.language))
        if explanation:
            print(terminal.render_explanation(explanation, coach.config.language))


def _explain(coach: Coach, draft: Draft) -> dict[str, Any]:
    """How the rules review came about (the language model's part is in the review itself)."""
    return coach.reviewer.review_explained(draft)[1].to_dict(coach.config.language)


_ID_IN_BROKEN_LINE = re.compile(rb'"id"\s*:\s*("(?:[^"\\]|\\.)*"|-?\d+)')


def _batch_items(path: Path) -> Iterator[tuple[Any, dict[str, Any] | str]]:
    """(id, item) per non-empty line, or (id, error message) for a line that can't be read."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise UsageError(f"cannot read --file {path}: {exc.strerror}") from None
    with handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            found = _ID_IN_BROKEN_LINE.search(raw)
            fallback_id = json.loads(found.group(1).decode("utf-8", "replace")) if found else f"line-{number}"
            try:
                item = json.loads(raw.decode("utf-8"))
            except UnicodeDecodeError as exc:
                yield fallback_id, f"line {number}: not valid UTF-8 (byte {exc.start})"
                continue
            except json.JSONDecodeError as exc:
                yield fallback_id, f"line {number}: not valid JSON ({exc.msg} at column {exc.colno})"
                continue
            if not isinstance(item, dict):
                yield fallback_id, f"line {number}: expected a JSON object"
                continue
            yield item.get("id", fallback_id), item


async def _review_item(coach: Coach, item: dict[str, Any], use_llm: bool, explain: bool = False) -> dict[str, Any]:
    draft = item.get("draft")
    if not isinstance(draft, str):
        raise ReviewError("missing 'draft' text")
    for key in ("customer", "channel", "at"):
        if item.get(key) is not None and not isinstance(item[key], str):
            raise ReviewError(f"'{key}' must be a text")
    try:
        at = parse_at(item.get("at"))
    except UsageError as exc:
        raise ReviewError(str(exc).replace("--at", "'at'")) from None
    try:
        request = Draft(draft, item.get("customer"), item.get("channel"), at)
        review = await coach.review(request, use_llm)
    except ConfigError as exc:  # an unknown channel
        raise ReviewError(str(exc)) from None
    return {**review.to_dict(), **({"explain": _explain(coach, request)} if explain else {})}


_BATCH_WINDOW = 64  # drafts reviewed at once; results are printed in input order


async def _review_batch(coach: Coach, args: argparse.Namespace) -> None:
    async def one(item_id: Any, item: dict[str, Any] | str) -> dict[str, Any]:
        if isinstance(item, str):
            return {"id": item_id, "error": item}
        try:
            return {"id": item_id, **await _review_item(coach, item, not args.no_llm, args.explain)}
        except ReviewError as exc:
            return {"id": item_id, "error": str(exc)}

    items = _batch_items(args.file)
    while window := list(itertools.islice(items, _BATCH_WINDOW)):
        results = await asyncio.gather(*(one(item_id, item) for item_id, item in window))
        for result, (_, item) in zip(results, window):
            if args.json:
                print(json.dumps(result, ensure_ascii=False))
            else:
                print(terminal.render_batch_result(result, item, coach.config.language))
                if "explain" in result:
                    print(terminal.render_explanation(result["explain"], coach.config.language) + "\n")


def _guidelines(args: argparse.Namespace) -> None:
    from bot.corpus import Corpus

    config = load_config()
    corpus = Corpus.load(config.guidelines_dir / "corpus")
    query = " ".join(args.query).strip()
    found = corpus.search(query) if query else list(corpus.guidelines.values())
    if args.json:
        print(json.dumps([g.to_dict() for g in found], ensure_ascii=False, indent=2))
    else:
        print(terminal.render_guidelines(found, query, full=bool(query), language=config.language))


def _rules(args: argparse.Namespace) -> None:
    config = load_config()
    if args.stats:
        rows = _open_store(config).rule_stats()
    else:
        from bot.review.engine import Reviewer

        rows = [{"rule": r.id, "category": r.category, "severity": r.severity, "languages": sorted(r.languages)}
                for r in Reviewer.from_config(config).rules]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        print(terminal.render_rules(rows, stats=args.stats, language=config.language))


def _open_store(config: Config) -> Store:
    """The database, or one line saying why it can't be opened."""
    import sqlite3

    from bot.store import open_store

    postgres = is_postgres_url(config.db_path)
    errors: tuple[type[Exception], ...] = (OSError, sqlite3.Error)
    if postgres:
        import psycopg

        errors += (psycopg.Error,)
    try:
        return open_store(config.db_path)
    except (FileExistsError, NotADirectoryError):
        reason = "a part of its path is a file, not a folder"
    except errors as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc).strip().splitlines()[0]
    fix = "a reachable server, an existing database and user" if postgres else "a writable file"
    raise UsageError(f"cannot open the database {describe_database(config.db_path)}: {reason} "
                     f"(set WEBCARE_DB to {fix})")


def _promises(args: argparse.Namespace) -> None:
    import time

    config = load_config()
    zone = config.calendar.timezone
    now = time.time()
    rows = []
    for p in _open_store(config).promises(open_only=args.open):
        rows.append({
            "id": p.id, "platform": p.platform, "channel": p.channel, "thread": p.thread,
            "agent": p.agent, "text": p.text, "kind": p.kind, "due": p.due_iso,
            "explicit": bool(p.explicit), "status": p.status, "reminders": p.reminders,
            "next_reminder": datetime.fromtimestamp(p.next_at, zone).isoformat() if p.next_at else None,
            "overdue": p.status == "open" and p.due < now,
        })
    if args.json:
        for row in rows:
            print(json.dumps(row, ensure_ascii=False))
    else:
        print(terminal.render_promises(rows, config.language))


_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def _teams_package(args: argparse.Namespace) -> None:
    """teams/manifest.json with the bot id filled in, and the icons, zipped for sideloading."""
    import zipfile

    from bot.config import defaults_dir

    if not _GUID.match(args.bot_id):
        raise UsageError(f"--bot-id {args.bot_id!r} is not an app id like 00000000-0000-0000-0000-000000000000")
    folder = defaults_dir() / "teams"
    manifest = (folder / "manifest.json").read_text(encoding="utf-8").replace("${BOT_ID}", args.bot_id)
    try:
        with zipfile.ZipFile(args.out, "w", zipfile.ZIP_DEFLATED) as package:
            package.writestr("manifest.json", manifest)
            for icon in ("color.png", "outline.png"):
                package.write(folder / icon, icon)
    except OSError as exc:
        raise UsageError(f"cannot write --out {args.out}: {exc.strerror or exc}") from None
    print(args.out)


def _weeks(since: str) -> int:
    """--since 30d / 8w as whole weeks (rounded up), at most a year."""
    match = re.fullmatch(r"\s*(\d+)\s*([dw])\s*", since.lower())
    if not match or int(match.group(1)) == 0:
        raise UsageError(f"bad --since {since!r}: use days or weeks, e.g. 30d or 8w")
    days = int(match.group(1)) * (7 if match.group(2) == "w" else 1)
    if days > 366:
        raise UsageError(f"--since {since} is more than a year: use at most 52w")
    return -(-days // 7)


def _report(args: argparse.Namespace) -> None:
    import time

    from bot.insights import report
    from bot.insights.figures import from_store

    config = load_config()
    weeks = _weeks(args.since)
    baseline = None
    if args.file is not None:
        insights, baseline = report.baseline_insights(Coach(config), _batch_items(args.file))
        if not baseline.replies:
            raise UsageError(f"--file {args.file}: no reply could be reviewed ({'; '.join(baseline.skipped[:3]) or 'empty'})")
    else:
        now = time.time()
        insights = from_store(_open_store(config), config, end=datetime.fromtimestamp(now, config.calendar.timezone),
                              weeks=weeks, now=now)
    page = report.render(insights, config, made=datetime.now(config.calendar.timezone), baseline=baseline)
    try:
        args.out.write_text(page, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write --out {args.out}: {exc.strerror}") from None
    print(args.out)


def _digest(args: argparse.Namespace) -> None:
    import time

    from bot.insights.digest import compose, iso_week, senders
    from bot.insights.figures import from_store

    config = load_config()
    now = time.time()
    end = datetime.fromtimestamp(now, config.calendar.timezone)
    store = _open_store(config)
    digest = compose(from_store(store, config, end=end, weeks=config.insights.weeks, now=now), config, iso_week(end))
    if args.dry_run:
        print(digest.text)
        print(f"\n[chart: {len(digest.chart.png)} bytes, {digest.chart.width}x{digest.chart.height}; alt: {digest.chart.alt}]")
        return
    coach = Coach(config, store)
    found = senders(coach, args.slack_channel)
    if not found:
        if (args.slack_channel or config.insights.slack_channel) and not config.slack.bot_token:
            raise UsageError("SLACK_BOT_TOKEN is not set: the digest cannot go to Slack")
        raise UsageError("no channel: set insights.slack_channel or insights.teams_conversation in app.yaml, "
                         "or give --slack-channel")

    async def send_all() -> list[str]:
        failed = []
        for platform, sender in found.items():
            try:
                await sender.send(digest, None, None)
            except Exception as exc:  # noqa: BLE001 - report every platform's outcome on one line
                failed.append(f"{platform}: {type(exc).__name__}: {exc}")
        return failed

    failed = asyncio.run(send_all())
    if failed:
        raise UsageError("the digest was not sent to " + "; ".join(failed))
    print(f"digest {digest.week} sent to {', '.join(found)}")
def _purge(args: argparse.Namespace) -> None:
    import time

    from bot.retention import purge

    config = load_config()
    removed = purge(_open_store(config), config, time.time(), dry_run=args.dry_run)
    verb = "would remove" if args.dry_run else "removed"
    for kind, count in removed.items():
        days = config.retention.days(kind)
        print(f"{kind}: {verb} {count} (older than {days:g} day{'' if days == 1 else 's'})")


def _serve(args: argparse.Namespace) -> None:
    from dataclasses import replace

    from bot import logs
    from bot.server import serve
    from bot.teams.auth import is_loopback

    config = load_config()
    host = args.host or ("127.0.0.1" if args.teams_emulator else "0.0.0.0")
    if args.teams_emulator:
        if config.teams.app_id:
            raise UsageError("--teams-emulator is the anonymous mode without MicrosoftAppId: unset it, or drop the option")
        if not is_loopback(host):
            raise UsageError(f"--teams-emulator serves only on a loopback address, not --host {host}")
        config = replace(config, teams=replace(config.teams, emulator=True))
    _open_store(config)  # a database that can't be opened is one line, before anything starts
    logs.install()
    serve(config, host, args.port)


def _where(_: argparse.Namespace) -> None:
    """Where each file the coach uses comes from: enough to see why a command finds nothing."""
    config = load_config()
    def from_env(name: str) -> str:
        return f" ({name})" if os.environ.get(name) else ""

    print(f"configuration: {config.path or 'the project defaults'}{from_env('WEBCARE_CONFIG')}")
    print(f"guidelines:    {config.guidelines_dir}")
    print(f"prompts:       {config.prompts_dir}")
    print(f"database:      {describe_database(config.db_path)}{from_env('WEBCARE_DB')}")


def _backup(args: argparse.Namespace) -> None:
    import contextlib
    import sqlite3

    source_path = load_config().db_path
    if is_postgres_url(source_path):
        raise UsageError("backup copies a SQLite file; back up PostgreSQL with pg_dump, e.g. "
                         "pg_dump --format=custom --file webcare.dump \"$WEBCARE_DB\"")
    if not source_path.is_file():
        raise UsageError(f"no database at {source_path} to back up (set WEBCARE_DB)")
    if args.path.exists():
        raise UsageError(f"{args.path} exists already: name a new file")
    try:
        with contextlib.closing(sqlite3.connect(source_path)) as source, \
                contextlib.closing(sqlite3.connect(args.path)) as target:
            source.backup(target)
    except sqlite3.Error as exc:
        args.path.unlink(missing_ok=True)
        raise UsageError(f"cannot back up {source_path} to {args.path}: {exc}") from None
    print(args.path)


def run(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    simple = {"guidelines": _guidelines, "rules": _rules, "serve": _serve, "promises": _promises,
              "teams-package": _teams_package, "where": _where, "backup": _backup,
              "report": _report, "digest": _digest, "purge": _purge}
    if args.command in simple:
        simple[args.command](args)
        return 0
    if args.text is not None and args.file is not None:
        raise UsageError("give either TEXT or --file, not both")
    config = load_config()
    coach = Coach(config, _open_store(config) if config.llm.configured else None)
    asyncio.run(_review_batch(coach, args) if args.file is not None else _review_one(coach, args))
    return 0


def main(argv: list[str] | None = None) -> int:
    import logging

    from bot import logs

    logs.install(logging.WARNING)  # `serve` installs its own level
    try:
        return run(argv)
    except (UsageError, ConfigError) as exc:
        print(f"webcare-coach: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130
