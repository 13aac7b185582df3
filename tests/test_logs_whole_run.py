"""A whole bot run, logged at DEBUG by every logger, holds no draft and no customer text.

A real `serve` (Slack over HTTP, Teams in emulator mode, a language model) against the local
stand-ins gets mentions, reactions, a slash command, a button click, a Teams mention, and
unsigned, stale, garbage and huge requests, each carrying its own marker word. Every line the
process logged (stderr, all loggers, DEBUG) is searched for the markers.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

from tests.bot_connector import BotConnectorServer, message_activity
from tests.conftest import ROOT
from tests.openai_server import OpenAIServer, ok
from tests.processes import free_port, wait_until_serving
from tests.slack_api import SlackAPIServer, block_actions_body, event_body, signed_headers, slash_command_body

SECRET = "whole-run-secret"
# One marker word per way text comes in; none of them occurs anywhere in the code.
MARKERS = {
    "slack draft": "Kwartelkoning", "slack customer": "Zebravink", "reacted message": "Bosuil",
    "slash command": "Grutto", "teams draft": "Wielewaal", "teams customer": "Roerdomp",
    "unsigned": "Kerkuil", "stale": "Houtsnip", "garbage": "Tureluur", "huge": "Ijsvogel",
    "teams garbage": "Goudplevier", "model": "Nachtzwaluw",
}


def post(url: str, body: bytes, headers: dict[str, str]) -> int:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def slack(url: str, body: str, **options) -> int:
    return post(f"{url}/slack/events", body.encode(), signed_headers(body, SECRET, **options))


def test_no_draft_or_customer_text_in_any_log_line(tmp_path):
    m = MARKERS
    with SlackAPIServer() as slack_api, BotConnectorServer() as connector, OpenAIServer() as model:
        model.default = lambda request: ok({"findings": [], "summary": f"Denk aan {m['model']}.",
                                            "rewrite": None, "instructions_in_text": False})
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI", "AZURE", "SLACK", "WEBCARE", "Microsoft"))}
        env |= {"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": slack_api.url,
                "OPENAI_BASE_URL": model.url, "WEBCARE_DB": str(tmp_path / "webcare.db"),
                "WEBCARE_CONFIG": str(ROOT / "app.yaml"), "WEBCARE_LOG_LEVEL": "DEBUG"}
        log_path = tmp_path / "serve.log"
        with log_path.open("wb") as log_file:
            serve = subprocess.Popen([sys.executable, "-m", "bot", "serve", "--teams-emulator", "--port", str(port)],
                                     cwd=tmp_path, env=env, stdout=log_file, stderr=log_file)
            try:
                wait_until_serving(f"{url}/healthz", serve, timeout=30)
                mention = {"type": "app_mention", "user": "U123", "channel": "C1", "ts": "1700000001.000100",
                           "event_ts": "1700000001.000100",
                           "text": f"<@UBOT> &gt; Mijn {m['slack customer']} is kapot!\nHoi Sanne, ik bel je morgen "
                                   f"om 10 uur over je {m['slack draft']}. ^Tom"}
                assert slack(url, event_body(mention, event_id="EvLog1")) == 200
                reacted = slack_api.add_message("C1", f"x Hoi Bas, daar kunnen wij niets aan doen: {m['reacted message']}.",
                                                user="U7")
                reaction = {"type": "reaction_added", "user": "U123", "reaction": "eyes", "item_user": "U7",
                            "item": {"type": "message", "channel": "C1", "ts": reacted}, "event_ts": "1700000002.000100"}
                assert slack(url, event_body(reaction, event_id="EvLog2")) == 200
                command = slash_command_body("/richtlijn", f"beloftes {m['slash command']}",
                                             response_url=f"{slack_api.url}response")
                assert slack(url, command) == 200
                [review, _] = slack_api.wait_for_sync("chat.postMessage", count=2, timeout=20)
                button = next(element for block in review.args["blocks"] if block["type"] == "actions"
                              for element in block["elements"] if element["action_id"] == "feedback_wrong")
                slack(url, block_actions_body("feedback_wrong", button["value"], response_url=f"{slack_api.url}response"))

                unsigned = event_body({**mention, "text": f"Hoi {m['unsigned']}"}, event_id="EvLog3")
                assert post(f"{url}/slack/events", unsigned.encode(), {"Content-Type": "application/json"}) == 401
                stale = event_body({**mention, "text": f"Hoi {m['stale']}"}, event_id="EvLog4")
                assert slack(url, stale, timestamp=int(time.time()) - 3600) == 401
                garbage = f'{{"event": "{m["garbage"]}" \xff'.encode("latin-1")
                assert post(f"{url}/slack/events", garbage, {"Content-Type": "application/json"}) == 401
                assert 400 <= slack(url, f'{{"event": "{m["garbage"]}", ') < 500
                huge = f"payload={m['huge']}" + "x" * 600_000
                assert slack(url, huge) == 413

                teams = message_activity(f"Hoi Sanne, het spijt me van de {m['teams draft']}. ^Tom",
                                         service_url=connector.url)
                teams["text"] = f"<at>Webcare Coach</at> &gt; {m['teams customer']} kwijt!\n" + teams["text"].split("</at> ", 1)[1]
                assert post(f"{url}/api/messages", json.dumps(teams).encode(), {"Content-Type": "application/json"}) in (200, 201)
                connector.wait_for_activities_sync(count=2, timeout=20)  # the review, then the model's update
                assert post(f"{url}/api/messages", f'{{"text": "{m["teams garbage"]}"'.encode(),
                            {"Content-Type": "application/json"}) == 400
                elsewhere = message_activity(m["teams garbage"], service_url="https://attacker.example/")
                assert post(f"{url}/api/messages", json.dumps(elsewhere).encode(), {"Content-Type": "application/json"}) == 403
                slack_api.wait_for_sync("chat.update", timeout=20)  # the model's review replaced the rules review
            except (AssertionError, TimeoutError) as exc:
                tail = log_path.read_text(encoding="utf-8", errors="replace")[-3000:]
                raise AssertionError(f"{exc}\nthe end of serve's log:\n{tail}") from exc
            finally:
                serve.send_signal(signal.SIGINT)
                serve.wait(timeout=15)
    log = log_path.read_text(encoding="utf-8", errors="replace")
    lines = log.splitlines()
    assert any(" DEBUG " in line for line in lines) and any("webcare." in line for line in lines)
    assert len(model.requests) >= 2  # the drafts did reach the (stand-in) model, redacted
    leaked = {name: word for name, word in MARKERS.items() if word.lower() in log.lower()}
    assert leaked == {}, [line for line in lines if any(w.lower() in line.lower() for w in leaked.values())][:5]
