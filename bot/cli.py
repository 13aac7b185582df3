"""`webcare-coach`: review drafts, look up guidelines, run the bot, see tracked promises.

Exit codes: 0 when the command ran (whatever the review found), 2 for bad input or
configuration, with one line on stderr that says what to fix.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import re
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn

from bot.config import ConfigError, load_config
from bot.coach import Coach
from bot.review.engine import ReviewError
from bot.review.model import Draft
from bot import terminal


class UsageError(Exception):
    """Bad input or configuration: exit 2 with this one-line message."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see {self.prog} --help)")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="webcare-coach", description="Coaches webcare agents on their reply drafts.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    review = commands.add_parser("review", help="review a draft reply (or a batch of them)")
    review.add_argument("text", nargs="?", metavar="TEXT", help="the draft; '-' reads it from stdin")
    review.add_argument("--customer", help="the customer's message the draft answers")
    review.add_argument("--channel", help="twitter (x), facebook, instagram, dm, whatsapp, email, chat")
    review.add_argument("--at", help="reference time for promise deadlines, ISO 8601 (default: now)")
    review.add_argument("--file", type=Path, help="batch: JSONL with id, draft, customer?, channel?, at?")
    review.add_argument("--json", action="store_true", help="print the review as JSON")
    review.add_argument("--no-llm", action="store_true", help="rules only, even when an LLM is configured")
    review.add_argument("--explain", action="store_true",
                        help="show why: each clause (who, negation, time, mood), the complaint judgement, "
                             "why each promise and finding was or was not made")

    serve = commands.add_parser("serve", help="run the bot: Slack, Teams and the reminders on one port")
    serve.add_argument("--port", type=int, default=3000)
    serve.add_argument("--host", default="0.0.0.0")

    package = commands.add_parser("teams-package", help="zip the Teams app package for sideloading")
    package.add_argument("--bot-id", required=True, help="the Azure Bot's Microsoft App ID")
    package.add_argument("--out", type=Path, default=Path("webcare-coach-teams.zip"))

    promises = commands.add_parser("promises", help="the promised callbacks the coach tracks")
    promises.add_argument("--open", action="store_true", help="only those not yet done or cancelled")
    promises.add_argument("--json", action="store_true", help="print JSON, one object per promise")

    rules = commands.add_parser("rules", help="the rules and how agents rate their findings")
    rules.add_argument("--stats", action="store_true", help="helpful / not right per rule, from the feedback buttons")
    rules.add_argument("--json", action="store_true", help="print JSON")

    guidelines = commands.add_parser("guidelines", help="list the guidelines or search them")
    guidelines.add_argument("query", nargs="*", metavar="QUERY", help="search words, e.g. beloftes")
    guidelines.add_argument("--json", action="store_true", help="print JSON")
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
        from bot.store import Store

        rows = Store(config.db_path).rule_stats()
    else:
        from bot.review.engine import Reviewer

        rows = [{"rule": r.id, "category": r.category, "severity": r.severity, "languages": sorted(r.languages)}
                for r in Reviewer.from_config(config).rules]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        print(terminal.render_rules(rows, stats=args.stats, language=config.language))


def _promises(args: argparse.Namespace) -> None:
    import time

    from bot.store import Store

    config = load_config()
    zone = config.calendar.timezone
    now = time.time()
    rows = []
    for p in Store(config.db_path).promises(open_only=args.open):
        rows.append({
            "id": p["id"], "platform": p["platform"], "channel": p["channel"], "thread": p["thread"],
            "agent": p["agent"], "text": p["text"], "kind": p["kind"], "due": p["due_iso"],
            "explicit": bool(p["explicit"]), "status": p["status"], "reminders": p["reminders"],
            "next_reminder": datetime.fromtimestamp(p["next_at"], zone).isoformat() if p["next_at"] else None,
            "overdue": p["status"] == "open" and p["due"] < now,
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
    with zipfile.ZipFile(args.out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("manifest.json", manifest)
        for icon in ("color.png", "outline.png"):
            package.write(folder / icon, icon)
    print(args.out)


def _serve(args: argparse.Namespace) -> None:
    import logging

    from bot.server import serve

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    serve(load_config(), args.host, args.port)


def run(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    simple = {"guidelines": _guidelines, "rules": _rules, "serve": _serve, "promises": _promises,
              "teams-package": _teams_package}
    if args.command in simple:
        simple[args.command](args)
        return 0
    if args.text is not None and args.file is not None:
        raise UsageError("give either TEXT or --file, not both")
    coach = Coach(load_config())
    asyncio.run(_review_batch(coach, args) if args.file is not None else _review_one(coach, args))
    return 0


def main(argv: list[str] | None = None) -> int:
    try:
        return run(argv)
    except (UsageError, ConfigError) as exc:
        print(f"webcare-coach: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130
