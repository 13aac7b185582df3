"""Set-up that explains itself: every bad input or environment problem is one line on stderr and
exit 2 (never a traceback), `WEBCARE_CONFIG` takes the team's folder or its app.yaml, the database
has one home whatever folder a command runs in, and `serve` says what it serves and what is missing.

Every case runs `python -m bot` as a real subprocess with its own HOME, config and database.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.cli import _parser
from tests.conftest import ROOT
from tests.processes import free_port, stop, wait_until_serving

BOT_ID = "00000000-0000-0000-0000-000000000000"
_CLEARED = ("WEBCARE_CONFIG", "WEBCARE_DB", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN",
            "MicrosoftAppId", "MicrosoftAppPassword", "OPENAI_API_KEY", "OPENAI_BASE_URL", "AZURE_OPENAI_ENDPOINT",
            "XDG_DATA_HOME")


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _CLEARED}
    return env | {"HOME": str(tmp_path / "home"), "XDG_DATA_HOME": str(tmp_path / "home/data")} | extra


def _run(tmp_path: Path, *argv: str, env: dict[str, str] | None = None, cwd: Path | None = None,
         timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot", *argv], capture_output=True, text=True, timeout=timeout,
                          env=env or _env(tmp_path), cwd=cwd or tmp_path)


def _app_yaml(text: str) -> Callable[[Path], dict[str, str]]:
    def make(tmp_path: Path) -> dict[str, str]:
        (tmp_path / "team").mkdir()
        (tmp_path / "team/app.yaml").write_text(text, encoding="utf-8")
        return {"WEBCARE_CONFIG": str(tmp_path / "team")}
    return make


def _not_a_database(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "notes.txt").write_text("not a database\n" * 200, encoding="utf-8")
    return {"WEBCARE_DB": str(tmp_path / "notes.txt")}


def _under_a_file(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    return {"WEBCARE_DB": str(tmp_path / "notes.txt/webcare.db")}


def _nothing(_: Path) -> dict[str, str]:
    return {}


# (case, argv, environment set-up, a fragment the one line must contain)
MATRIX = [
    ("config path missing", ["review", "hoi"], lambda t: {"WEBCARE_CONFIG": str(t / "nope")},
     "WEBCARE_CONFIG"),
    ("config folder without app.yaml", ["review", "hoi"], lambda t: {"WEBCARE_CONFIG": str(t)},
     "has no app.yaml"),
    ("guidelines folder missing", ["review", "hoi"], _app_yaml("guidelines: our-rules\n"),
     "our-rules does not exist"),
    ("prompts folder missing", ["guidelines"], _app_yaml("prompts: our-prompts\n"),
     "our-prompts does not exist"),
    ("unquoted impossible date", ["review", "hoi"], _app_yaml("calendar:\n  extra_closed_days: [2026-02-30]\n"),
     "impossible value"),
    ("unknown setting", ["review", "hoi"], _app_yaml("langauge: en\n"),
     "field 'langauge': unknown setting"),
    ("app.yaml not YAML", ["review", "hoi"], _app_yaml("language: [nl\n"),
     "not valid YAML"),
    ("database not SQLite", ["promises"], _not_a_database,
     "cannot open the database"),
    ("database not SQLite, for the model cache", ["review", "hoi"],
     lambda t: _not_a_database(t) | {"OPENAI_BASE_URL": "http://127.0.0.1:9/v1"}, "cannot open the database"),
    ("database under a file", ["rules", "--stats"], _under_a_file,
     "is a file, not a folder"),
    ("database is a folder", ["serve", "--port", "1"], lambda t: {"WEBCARE_DB": str(t)},
     "cannot open the database"),
    ("port out of range", ["serve", "--port", "70000"], _nothing,
     "not a port number"),
    ("unknown host", ["serve", "--host", "no-such-host.invalid", "--port", "3000"], _nothing,
     "cannot listen on no-such-host.invalid:3000"),
    ("teams-package --out in a missing folder", ["teams-package", "--bot-id", BOT_ID, "--out", "nope/app.zip"],
     _nothing, "cannot write --out"),
    ("teams-package --out is a folder", ["teams-package", "--bot-id", BOT_ID, "--out", "."],
     _nothing, "cannot write --out"),
    ("teams-package bad bot id", ["teams-package", "--bot-id", "my-bot"], _nothing,
     "not an app id"),
    ("unknown option", ["promises", "--overdue"], _nothing,
     "unrecognized arguments: --overdue"),
    ("unknown command", ["statistics"], _nothing,
     "invalid choice"),
    ("bad --at", ["review", "hoi", "--at", "tomorrow"], _nothing,
     "bad --at"),
    ("unknown channel", ["review", "hoi", "--channel", "fax"], _nothing,
     "unknown channel"),
    ("missing batch file", ["review", "--file", "drafts.jsonl"], _nothing,
     "cannot read --file"),
]


def _assert_one_line(done: subprocess.CompletedProcess[str], says: str) -> None:
    assert done.returncode == 2, (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("webcare-coach: "), done.stderr
    assert says in lines[0], lines[0]
    assert done.stdout == ""


@pytest.mark.parametrize(("argv", "setup", "says"), [case[1:] for case in MATRIX], ids=[case[0] for case in MATRIX])
def test_bad_input_and_environment_is_one_line_and_exit_2(tmp_path, argv, setup, says) -> None:
    done = _run(tmp_path, *argv, env=_env(tmp_path, **setup(tmp_path)))
    _assert_one_line(done, says)


def test_busy_port_is_one_line_and_exit_2(tmp_path) -> None:
    with socket.create_server(("127.0.0.1", 0)) as busy:
        port = busy.getsockname()[1]
        done = _run(tmp_path, "serve", "--host", "127.0.0.1", "--port", str(port),
                    env=_env(tmp_path, WEBCARE_DB=str(tmp_path / "webcare.db")))
    _assert_one_line(done, f"cannot listen on 127.0.0.1:{port}: Address already in use")


def _where(tmp_path: Path, env: dict[str, str], cwd: Path) -> dict[str, str]:
    done = _run(tmp_path, "where", env=env, cwd=cwd)
    assert done.returncode == 0, done.stderr
    return dict(line.split(":", 1) for line in done.stdout.splitlines())


def test_webcare_config_takes_the_folder_or_its_app_yaml(tmp_path) -> None:
    team = tmp_path / "team"
    shutil.copytree(ROOT / "guidelines", team / "guidelines")
    (team / "app.yaml").write_text("language: en\n", encoding="utf-8")
    for given in (team, team / "app.yaml"):
        where = _where(tmp_path, _env(tmp_path, WEBCARE_CONFIG=str(given)), tmp_path)
        assert where["configuration"].strip() == f"{team / 'app.yaml'} (WEBCARE_CONFIG)"
        assert where["guidelines"].strip() == str(team / "guidelines")
        assert where["prompts"].strip() == str(ROOT / "prompts")  # the team has none: the project's
        done = _run(tmp_path, "review", "Beste klant, we gaan ernaar kijken.", env=_env(tmp_path, WEBCARE_CONFIG=str(given)))
        assert done.returncode == 0 and "Rules only" in done.stdout, done.stderr


def test_the_database_lives_in_the_users_data_folder_wherever_a_command_runs(tmp_path) -> None:
    elsewhere = tmp_path / "somewhere/else"
    elsewhere.mkdir(parents=True)
    env = _env(tmp_path)
    here, there = _where(tmp_path, env, tmp_path), _where(tmp_path, env, elsewhere)
    assert here["database"] == there["database"]
    assert Path(here["database"].strip()) == tmp_path / "home/data/webcare-coach/webcare.db"
    moved = _where(tmp_path, _env(tmp_path, WEBCARE_DB=str(tmp_path / "team.db")), elsewhere)
    assert moved["database"].strip() == f"{tmp_path / 'team.db'} (WEBCARE_DB)"
    help_text = _run(tmp_path, "promises", "--help", env=env, cwd=elsewhere).stdout
    assert "webcare.db" in " ".join(help_text.split()) and "WEBCARE_DB" in help_text


def test_serve_logs_its_address_platforms_and_what_is_missing_but_no_secret(tmp_path) -> None:
    port = free_port()
    env = _env(tmp_path, WEBCARE_DB=str(tmp_path / "webcare.db"), SLACK_BOT_TOKEN="xoxb-never-in-the-log")
    process = subprocess.Popen([sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", str(port)],
                               env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        wait_until_serving(f"http://127.0.0.1:{port}/healthz", process, timeout=60)
    finally:
        log = stop(process, timeout=30)
    assert f"listening on http://127.0.0.1:{port}" in log
    assert "slack: off, needs SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN" in log
    assert "teams: off, needs MicrosoftAppId and MicrosoftAppPassword (or serve --teams-emulator)" in log
    assert "language model: off, rules only; needs OPENAI_API_KEY" in log
    assert f"database: {tmp_path / 'webcare.db'}" in log
    assert "xoxb-never-in-the-log" not in log


def _options() -> list[tuple[str, argparse.Action]]:
    commands = next(a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction))
    return [(f"{name} {'/'.join(action.option_strings) or action.dest}", action)
            for name, sub in commands.choices.items() for action in sub._actions
            if not isinstance(action, argparse._HelpAction)]


@pytest.mark.parametrize(("option", "action"), _options(), ids=[name for name, _ in _options()])
def test_every_option_has_help_with_its_default(option, action) -> None:
    assert action.help, f"{option} has no help text"
    if action.default not in (None, False, argparse.SUPPRESS) and not action.required:
        assert "default" in action.help, f"{option} does not say its default ({action.default!r})"
