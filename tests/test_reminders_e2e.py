"""End to end on a running `webcare-coach serve`: a draft that promises a callback within a
minute is reviewed, the process is restarted, and the reminder arrives once, in time.

Takes a little over a minute of real time (the promise is due a minute after the review).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request

from tests.conftest import ROOT
from tests.processes import free_port, wait_until_serving
from tests.slack_api import SlackAPIServer, event_body, signed_headers

SECRET = "e2e-secret"


class Serve:
    """`webcare-coach serve` as a separate process."""

    def __init__(self, env: dict[str, str]):
        self.port = free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", str(self.port)],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        wait_until_serving(f"http://127.0.0.1:{self.port}/healthz", self.process, timeout=30)

    def post_event(self, body: str) -> int:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/slack/events", data=body.encode(), headers=signed_headers(body, SECRET)
        )
        return urllib.request.urlopen(request, timeout=10).status

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


def test_promised_callback_is_reminded_once_after_a_restart(tmp_path):
    (tmp_path / "app.yaml").write_text(
        "reminders:\n  quiet_outside_business_hours: false\n  interval_minutes: 60\n", encoding="utf-8"
    )
    with SlackAPIServer() as slack:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI", "AZURE", "SLACK", "WEBCARE"))}
        env |= {"SLACK_BOT_TOKEN": "xoxb-e2e", "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": slack.url,
                "WEBCARE_DB": str(tmp_path / "webcare.db"), "WEBCARE_CONFIG": str(tmp_path / "app.yaml")}
        serve = Serve(env)
        ts = "1800000000.000100"
        mention = {"type": "app_mention", "user": "U42", "channel": "C1", "ts": ts, "event_ts": ts,
                   "text": "<@UBOT> Hoi Sanne, sorry voor het wachten, balen! Ik bel je binnen 1 minuut terug. ^Tom"}
        assert serve.post_event(event_body(mention, event_id="EvE2E")) == 200
        reviewed_at = time.time()
        [review] = slack.wait_for_sync("chat.postMessage", timeout=10)
        assert "callback_done" in str(review.args["blocks"])
        serve.stop()
        serve = Serve(env)  # restarted: the promise lives in the database
        try:
            calls = slack.wait_for_sync("chat.postMessage", count=2, timeout=100)
            time.sleep(3)  # a duplicate would come now
            reminders = [c for c in slack.calls_to("chat.postMessage")
                         if (c.args.get("metadata") or {}).get("event_type") == "webcare_reminder"]
        finally:
            serve.stop()
    assert len(calls) >= 2 and len(reminders) == 1
    reminder = reminders[0]
    due = reviewed_at + 60
    wall_clock_arrival = reviewed_at + (reminder.time - review.time)
    assert due - 2 <= wall_clock_arrival <= due + 90
    assert reminder.args["thread_ts"] == ts and reminder.args["reply_broadcast"] in (True, "true", "1", 1)
    assert "<@U42>" in reminder.args["text"] and reminder.args["metadata"]["event_payload"]["attempt"] == 1
