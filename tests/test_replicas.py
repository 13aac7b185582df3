"""Several `serve` replicas on one database: short runs of the soak and fault-load scripts (the
full runs are by hand, see README), and what the command line says of a PostgreSQL URL."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from scripts.load_faults import exactly_once
from scripts.load_faults import run as fault_load
from scripts.soak_reminders import run_day
from tests.processes import free_port, stop, wait_until_serving

ROOT = Path(__file__).resolve().parents[1]


async def test_three_replicas_with_kills_send_each_reminder_once(database, tmp_path):
    assert await run_day(promises=600, restarts=8, step=60, seed=2, workdir=tmp_path, database=database,
                         replicas=3) == 0


async def test_two_serve_replicas_review_each_mention_once_through_a_kill(postgres_cluster):
    result = await fault_load("kill", 30, replicas=2, database=postgres_cluster.create_database())
    assert exactly_once(result), result
    # the kill came while work was in flight: mentions not yet acknowledged, or reviews not yet posted
    assert result["acknowledged_before_kill"] < 30 or result["posted_before_kill"] < 30, result


def cli(*argv: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot", *argv], capture_output=True, text=True, timeout=60,
                          cwd=ROOT, env=env)


def environment(tmp_path: Path, database: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI", "AZURE", "SLACK", "WEBCARE"))}
    return env | {"HOME": str(tmp_path), "WEBCARE_DB": database}


def test_the_command_line_names_a_postgres_url_without_its_password(tmp_path, postgres_cluster):
    url = postgres_cluster.create_database().replace("postgres@", "postgres:s3cret-pw@")  # trust: any password
    env = environment(tmp_path, url)
    where = cli("where", env=env)
    assert where.returncode == 0 and f"postgresql://postgres@127.0.0.1:{postgres_cluster.port}/t_" in where.stdout
    backup = cli("backup", str(tmp_path / "copy.db"), env=env)
    assert backup.returncode == 2 and "pg_dump" in backup.stderr and len(backup.stderr.splitlines()) == 1
    assert not (tmp_path / "copy.db").exists()
    promises = cli("promises", "--json", env=env)  # the store opens and migrates
    assert (promises.returncode, promises.stdout, promises.stderr) == (0, "", "")
    for done in (where, backup, cli("backup", "--help", env=env)):
        assert "s3cret" not in done.stdout + done.stderr


def test_an_unreachable_postgres_server_is_one_line(tmp_path):
    done = cli("promises", env=environment(tmp_path, f"postgresql://coach:s3cret-pw@127.0.0.1:{free_port()}/webcare"))
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1
    assert done.stderr.startswith("webcare-coach: cannot open the database postgresql://coach@127.0.0.1:")
    assert "s3cret" not in done.stderr and "Traceback" not in done.stderr


def test_serve_on_postgres_logs_host_and_database_only(tmp_path, postgres_cluster):
    url = postgres_cluster.create_database().replace("postgres@", "postgres:s3cret-pw@")
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", str(port)],
                               env=environment(tmp_path, url), cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)
    try:
        wait_until_serving(f"http://127.0.0.1:{port}/healthz", process, 60)
        time.sleep(0.5)
    finally:
        output = stop(process, timeout=30)
    assert f"database: postgresql://postgres@127.0.0.1:{postgres_cluster.port}/t_" in output
    assert "s3cret" not in output
