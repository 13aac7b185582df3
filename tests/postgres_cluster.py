"""A throwaway PostgreSQL cluster for tests and scripts: initdb in a temp folder, the server on a
free loopback port, removed again on exit. initdb refuses root, so as root the cluster runs as
the user `nobody` (via runuser); its folder belongs to that user.

    with PostgresCluster() as cluster:
        url = cluster.create_database("soak")   # postgresql://postgres@127.0.0.1:PORT/soak
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

from tests.processes import free_port

CLUSTER_USER = "nobody"


def server_binaries() -> Path | None:
    """The folder holding initdb, pg_ctl and postgres (PATH, /usr/local/bin or Debian's
    /usr/lib/postgresql/<version>/bin), or None when there is no PostgreSQL server here."""
    candidates = [os.path.dirname(shutil.which("initdb") or "")]
    candidates += ["/usr/local/bin", *sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)]
    for folder in filter(None, candidates):
        if all(os.access(Path(folder) / name, os.X_OK) for name in ("initdb", "pg_ctl", "postgres")):
            return Path(folder)
    return None


class PostgresCluster:
    """A PostgreSQL server of its own: trust authentication on 127.0.0.1 only; fsync off unless
    `durable` (a benchmark compares it with SQLite, which syncs each commit)."""

    def __init__(self, max_connections: int = 200, durable: bool = False):
        self.binaries = server_binaries()
        if self.binaries is None:
            raise FileNotFoundError("no PostgreSQL server binaries (initdb, pg_ctl, postgres): "
                                    "apt-get install postgresql")
        self.max_connections = max_connections
        self.durable = durable
        self.port = 0
        self.folder: Path | None = None

    def _run(self, *command: str) -> None:
        as_user = ["runuser", "-u", CLUSTER_USER, "--"] if os.geteuid() == 0 else []
        result = subprocess.run([*as_user, *command], capture_output=True, text=True, cwd=self.folder)
        if result.returncode != 0:
            raise RuntimeError(f"{Path(command[0]).name} failed: {(result.stderr or result.stdout).strip()[-2000:]}")

    def __enter__(self) -> PostgresCluster:
        if os.geteuid() == 0:
            try:
                pwd.getpwnam(CLUSTER_USER)
            except KeyError:
                raise RuntimeError(f"initdb refuses root and there is no user {CLUSTER_USER!r} to run the "
                                   f"cluster as: useradd --system {CLUSTER_USER}") from None
        self.folder = Path(tempfile.mkdtemp(prefix="webcare-pg-"))
        if os.geteuid() == 0:
            shutil.chown(self.folder, CLUSTER_USER)
        data = self.folder / "data"
        try:
            self._run(str(self.binaries / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                      "-E", "UTF8", "--locale=C", "--no-sync")
            self.port = free_port()
            options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} -c max_connections={self.max_connections}"
            if not self.durable:
                options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            self._run(str(self.binaries / "pg_ctl"), "-D", str(data), "-l", str(self.folder / "server.log"),
                      "-o", options, "-w", "-t", "60", "start")
        except BaseException:
            shutil.rmtree(self.folder, ignore_errors=True)
            raise
        return self

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str | None = None) -> str:
        """A new empty database; its URL."""
        import psycopg

        name = name or f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url(), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, url: str) -> None:
        """Drop a database made by create_database, closing the connections still open to it."""
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')

    def __exit__(self, *_: object) -> None:
        try:
            self._run(str(self.binaries / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
