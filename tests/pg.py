"""A throwaway PostgreSQL server for the tests: initdb + pg_ctl in a temp folder, on loopback.

    server = PgServer.start()             # a free port, fsync off, trust auth for `postgres`
    url = server.create_database()        # postgresql://postgres@127.0.0.1:PORT/t1, empty
    url = server.create_schema()          # .../tests?options=-csearch_path%3Ds2: cheaper, as empty
    server.stop()

The server runs as the ``postgres`` OS user when the tests run as root (initdb refuses root),
else as the current user. Its binaries are Debian's (``/usr/lib/postgresql/<N>/bin``), which
``bash scripts/test.sh`` installs. One role, ``sitrep_pw`` with password ``PASSWORD``, must give
it over TCP (scram-sha-256): the tests of refused logins use it.
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

SKIP_ENV = "SITREP_SKIP_POSTGRES"
PASSWORD_ROLE, PASSWORD = "sitrep_pw", "s3cret-Pa55"
NOT_INSTALLED = ("PostgreSQL's server binaries (initdb, pg_ctl) are not installed: run `bash scripts/test.sh` "
                 f"(it installs Debian's postgresql), or set {SKIP_ENV}=1 to skip the PostgreSQL tests")


def binaries() -> Path | None:
    """The folder with initdb and pg_ctl: $SITREP_PG_BIN, else the newest Debian PostgreSQL, else PATH."""
    if os.environ.get("SITREP_PG_BIN"):
        return Path(os.environ["SITREP_PG_BIN"])
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[-3]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class PgServer:
    bin: Path
    root: Path
    port: int
    as_user: list[str] = field(default_factory=list)  # runuser prefix when root
    _names: itertools.count = field(default_factory=lambda: itertools.count(1))
    _tests_db: bool = False

    @classmethod
    def start(cls) -> PgServer:
        """A new server in a new folder of the system's temp dir (one the ``postgres`` user can reach:
        pytest's own temp folders are private to root)."""
        bin_dir = binaries()
        if bin_dir is None or not (bin_dir / "pg_ctl").exists():
            raise RuntimeError(NOT_INSTALLED)
        as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        root = Path(tempfile.mkdtemp(prefix="sitrep-pg-"))
        if as_user:
            shutil.chown(root, "postgres")
        server = cls(bin_dir, root, free_port(), as_user)
        server._run("initdb", "-D", str(server.data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                    "--locale=C.UTF-8", "--no-sync")
        with (server.data / "pg_hba.conf").open("r+") as f:
            rules = f.read()
            f.seek(0)
            f.write(f"host all {PASSWORD_ROLE} 127.0.0.1/32 scram-sha-256\n" + rules)
        opts = f"-p {server.port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off " \
               f"-c synchronous_commit=off -c full_page_writes=off -c max_connections=100"
        server._run("pg_ctl", "-D", str(server.data), "-l", str(root / "server.log"), "-o", opts, "-w",
                    "-t", "60", "start")
        server.psql(f"CREATE ROLE {PASSWORD_ROLE} LOGIN PASSWORD '{PASSWORD}'")
        return server

    @property
    def data(self) -> Path:
        return self.root / "data"

    def _run(self, tool: str, *args: str) -> str:
        done = subprocess.run([*self.as_user, str(self.bin / tool), *args], capture_output=True, text=True,
                              cwd=self.root)
        if done.returncode:
            log = self.root / "server.log"
            tail = log.read_text()[-2000:] if log.exists() else ""
            raise RuntimeError(f"{tool} failed ({done.returncode}): {done.stderr.strip()}\n{tail}")
        return done.stdout

    def url(self, database: str = "postgres", user: str = "postgres", password: str | None = None) -> str:
        auth = f"{user}:{password}" if password else user
        return f"postgresql://{auth}@127.0.0.1:{self.port}/{database}"

    def psql(self, sql: str, database: str = "postgres") -> None:
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True) as con:
            con.execute(sql)

    def create_database(self, prefix: str = "t") -> str:
        """A new empty database; its URL."""
        name = f"{prefix}{next(self._names)}"
        self.psql(f"CREATE DATABASE {name}")
        return self.url(name)

    def create_schema(self) -> str:
        """The URL of a new empty schema in the database ``tests`` (a fraction of a database's cost):
        sitrep's tables go where the URL's ``search_path`` says."""
        if not self._tests_db:
            self.psql("CREATE DATABASE tests")
            self._tests_db = True
        name = f"s{next(self._names)}"
        self.psql(f"CREATE SCHEMA {name}", "tests")
        return f"{self.url('tests')}?options=-csearch_path%3D{name}"

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
