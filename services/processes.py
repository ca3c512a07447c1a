"""The services as uvicorn processes: what `danvan up` starts, and what the end-to-end tests,
the fault harness and the benchmarks start, kill and restart on loopback."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from shared.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def service_env(settings: Settings, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DANVAN_")}
    env.update(
        DANVAN_DATA_DIR=str(settings.data_dir),
        DANVAN_UPSTREAM_TOKEN=settings.upstream_token or "",
        DANVAN_POSTGRES_POOL_SIZE="2",
        DANVAN_FOLLOWER_WAIT_SECONDS="1",
    )
    if settings.database_url:
        env["DANVAN_DATABASE_URL"] = settings.database_url
    env.update(extra)
    return env


@dataclass
class Service:
    name: str
    env: dict[str, str]
    log_dir: Path | None  # None: the log goes to this process's own output
    port: int = field(default_factory=free_port)
    host: str = "127.0.0.1"
    process: subprocess.Popen[bytes] | None = None
    options: list[str] = field(default_factory=list)  # more uvicorn options
    app: str | None = None  # the app factory, if not the service's own

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self, timeout: float = 60) -> Service:
        command = [
            sys.executable,
            "-m",
            "uvicorn",
            self.app or f"services.{self.name}.main:create_app",
            "--factory",
            "--host",
            self.host,
            "--port",
            str(self.port),
            "--log-level",
            "warning",
            *self.options,
        ]
        if self.log_dir is None:
            self.process = subprocess.Popen(command, env=self.env, cwd=ROOT)
        else:
            with self.log_path.open("ab") as log:
                self.process = subprocess.Popen(
                    command, env=self.env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT
                )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited:\n{self.log_tail()}")
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError(f"{self.name} did not start")

    def kill(self) -> None:
        """SIGKILL: no shutdown hooks, no flushing, as a crash."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()

    @property
    def log_path(self) -> Path:
        return (self.log_dir or Path()) / f"{self.name}.log"

    def log_tail(self, lines: int = 30) -> str:
        """The end of the service's log (all its starts append to one file)."""
        if self.log_dir is None:
            return "(its log went to the terminal)"
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


@contextmanager
def running_system(
    settings: Settings,
    log_dir: Path,
    env: dict[str, str] | None = None,
    aggregator_env: dict[str, str] | None = None,
) -> Iterator[tuple[Service, Service, Service]]:
    """The three services under uvicorn: the aggregator follows both feeds and the dialogue
    lists from it; stopped in the reverse order. `env` goes to all three."""
    env = env or {}
    registry = Service("registry", service_env(settings, **env), log_dir)
    dialogue = Service("dialogue", service_env(settings, **env), log_dir)
    upstreams = {"DANVAN_REGISTRY_URL": registry.url, "DANVAN_DIALOGUE_URL": dialogue.url}
    aggregator = Service(
        "aggregator", service_env(settings, **env, **upstreams, **(aggregator_env or {})), log_dir
    )
    dialogue.env["DANVAN_AGGREGATOR_URL"] = aggregator.url
    try:
        for service in (registry, dialogue, aggregator):
            service.start()
        yield registry, dialogue, aggregator
    finally:
        for service in (aggregator, dialogue, registry):
            service.stop()


def rebuild_from_feeds(
    settings: Settings, registry: Service, dialogue: Service, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    """`danvan rebuild` into the read models of these settings, over the two services' feeds."""
    env = service_env(settings, DANVAN_REGISTRY_URL=registry.url, DANVAN_DIALOGUE_URL=dialogue.url)
    return subprocess.run(
        [sys.executable, "-m", "services.cli", "rebuild"],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
