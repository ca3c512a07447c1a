"""A PostgreSQL server as a fault target: SIGKILL it (postmaster and every backend, as a crash
or an OOM kill would), start it again through its Debian cluster, wait for connections. Tests
kill a cluster of their own (private_cluster), never the one other tests are using."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

from testkit.databases import POSTGRES_ADMIN_URL


@dataclass(frozen=True)
class Cluster:
    version: str
    name: str
    port: int
    data_dir: Path
    admin_url: str = POSTGRES_ADMIN_URL  # postgresql://user@host:port, no database

    @classmethod
    def local(cls, admin_url: str = POSTGRES_ADMIN_URL) -> Cluster | None:
        """The Debian cluster serving admin_url's port on this machine, if we may control it."""
        url = make_url(admin_url)
        if url.host not in (None, "127.0.0.1", "localhost") or not shutil.which("pg_lsclusters"):
            return None
        listing = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True)
        for line in listing.stdout.splitlines():
            version, name, port, _status, _owner, data_dir, *_ = line.split()
            if int(port) == (url.port or 5432):
                cluster = cls(version, name, int(port), Path(data_dir))
                return cluster if cluster.controllable() else None
        return None

    def controllable(self) -> bool:
        pid = self.postmaster_pid()
        if pid is None:
            return os.access(self.data_dir.parent, os.W_OK)
        try:
            os.kill(pid, 0)
        except PermissionError:
            return False
        except ProcessLookupError:
            pass
        return True

    def postmaster_pid(self) -> int | None:
        try:
            return int((self.data_dir / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def processes(self) -> list[int]:
        """The postmaster and its children (checkpointer, walwriter, backends…)."""
        postmaster = self.postmaster_pid()
        if postmaster is None or not Path(f"/proc/{postmaster}").exists():
            return []
        children = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                if int(stat.rpartition(")")[2].split()[1]) == postmaster:
                    children.append(int(entry.name))
        return [postmaster, *children]

    def kill(self) -> int:
        """SIGKILL to the whole server at once; returns how many processes it hit."""
        pids = self.processes()
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                continue
        deadline = time.monotonic() + 10
        while any(map(alive, pids)) and time.monotonic() < deadline:
            time.sleep(0.01)
        return len(pids)

    def accepting(self) -> bool:
        try:
            with psycopg.connect(f"{self.admin_url}/postgres", connect_timeout=1):
                return True
        except psycopg.OperationalError:
            return False

    def start(self, timeout: float = 60) -> None:
        """Starts the cluster (crash recovery runs first) and waits until it takes connections;
        does nothing to a running one."""
        deadline = time.monotonic() + timeout
        command = ["pg_ctlcluster", "--skip-systemctl-redirect", self.version, self.name, "start"]
        last_error = ""
        while not self.accepting():
            if time.monotonic() > deadline:
                raise RuntimeError(f"PostgreSQL {self.version}/{self.name} is down: {last_error}")
            if not any(map(alive, self.processes())):
                started = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
                last_error = started.stderr.strip()
            time.sleep(0.05)

    def restart(self, timeout: float = 60) -> None:
        """A clean stop and start (its shared buffers emptied); waits for connections."""
        command = ["pg_ctlcluster", "--skip-systemctl-redirect", self.version, self.name]
        subprocess.run([*command, "restart"], check=True, capture_output=True, timeout=timeout)
        self.start(timeout)


@contextmanager
def private_cluster() -> Iterator[Cluster]:
    """A cluster of its own on a free port (Debian's pg_createcluster, trust on loopback), with
    a database "danvan"; dropped afterwards. Raises RuntimeError where none can be made."""
    version = (
        next(iter(sorted(os.listdir("/etc/postgresql"))), None)
        if Path("/etc/postgresql").is_dir()
        else None
    )
    if version is None or not shutil.which("pg_createcluster"):
        raise RuntimeError("no Debian PostgreSQL here to make a cluster with")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    name = f"danvan-faults-{uuid.uuid4().hex[:8]}"
    made = subprocess.run(
        [
            *("pg_createcluster", version, name, "-p", str(port), "--start", "--"),
            *("--auth-host=trust", "--auth-local=trust"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if made.returncode != 0:
        raise RuntimeError(f"pg_createcluster failed: {made.stderr.strip()[-500:]}")
    try:
        data_dir = Path(f"/var/lib/postgresql/{version}/{name}")
        cluster = Cluster(version, name, port, data_dir, f"postgresql://postgres@127.0.0.1:{port}")
        cluster.start()
        with psycopg.connect(f"{cluster.admin_url}/postgres", autocommit=True) as connection:
            connection.execute('CREATE DATABASE "danvan"')
        yield cluster
    finally:
        subprocess.run(
            ["pg_dropcluster", "--stop", version, name], capture_output=True, timeout=120
        )


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")
