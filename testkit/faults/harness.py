"""The fault run: the three services as processes, a bounded load against them, and each of
registry, dialogue, aggregator and PostgreSQL SIGKILLed in turn while writes are in flight,
restarted after a short pause, and timed until it works again."""

from __future__ import annotations

import itertools
import math
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import httpx

from services.processes import Service, service_env
from shared.settings import Settings
from testkit.faults.load import Load, Outcome, Retry, Write, Writer, plan
from testkit.faults.postgres import Cluster

WRITE_SERVICES = ("registry", "dialogue")
KILLS = (("registry", 0.25), ("dialogue", 0.45), ("aggregator", 0.65), ("postgres", 0.80))


@dataclass
class Services:
    registry: Service
    dialogue: Service
    aggregator: Service
    settings: Settings

    def __getitem__(self, name: str) -> Service:
        service: Service = getattr(self, name)
        return service

    def urls(self) -> dict[str, str]:
        return {name: self[name].url for name in WRITE_SERVICES}

    def client(self, name: str, token: str = "token-auditor", timeout: float = 40) -> httpx.Client:
        return httpx.Client(
            base_url=self[name].url, headers={"Authorization": f"Bearer {token}"}, timeout=timeout
        )


@contextmanager
def running_services(
    settings: Settings, page_size: int = 25, follower_source: str = "feeds"
) -> Iterator[Services]:
    """The e2e system, with the write rate limit lifted (the load is one client token) and
    the aggregator reading small pages, so that a kill lands between pages; its followers
    read the services' feeds or (follower_source="stores") the event stores."""
    log_dir = settings.data_dir
    log_dir.mkdir(parents=True, exist_ok=True)
    env = service_env(settings, DANVAN_WRITE_RATE_LIMIT="1000000/minute", DANVAN_JSON_LOGS="0")
    registry = Service("registry", dict(env), log_dir)
    dialogue = Service("dialogue", dict(env), log_dir)
    aggregator = Service(
        "aggregator",
        {
            **env,
            "DANVAN_REGISTRY_URL": registry.url,
            "DANVAN_DIALOGUE_URL": dialogue.url,
            "DANVAN_FOLLOWER_PAGE_SIZE": str(page_size),
            "DANVAN_FOLLOWER_CATCH_UP_PAGE_SIZE": str(page_size),  # small pages behind too
            "DANVAN_FOLLOWER_SOURCE": follower_source,
        },
        log_dir,
    )
    dialogue.env["DANVAN_AGGREGATOR_URL"] = aggregator.url
    try:
        for service in (registry, dialogue, aggregator):
            start(service)
        yield Services(registry, dialogue, aggregator, settings)
    finally:
        for service in (aggregator, dialogue, registry):
            service.stop()


def start(service: Service) -> None:
    """Service.start, with the end of the service's log in the error when it fails."""
    try:
        service.start()
    except RuntimeError as exc:
        raise RuntimeError(f"{exc}\n{service.log_tail()}") from None


@dataclass
class Recovery:
    """One kill and how long until things worked again, in seconds from the kill."""

    target: str
    at: float  # share of the load handed out when it was killed
    in_flight: int  # writes of the load sent and not yet answered at the kill
    processes: int = 1  # processes SIGKILLed
    back: float | None = None  # restarted and answering (/health), or taking connections
    writes: dict[str, float | None] = field(default_factory=dict)  # a write acknowledged again
    caught_up: float | None = None  # the aggregator applied both feeds up to their heads
    self_healed: bool = True  # False: a service worked again only once the harness restarted it
    notes: list[str] = field(default_factory=list)

    def describe(self) -> str:
        def s(value: float | None) -> str:
            return "never" if value is None else f"{value:.2f}s"

        parts = [
            f"{self.target:<10} at {self.at:4.0%} ({self.in_flight} writes in flight"
            + (f", {self.processes} processes killed)" if self.processes > 1 else ")"),
            f"back {s(self.back)}",
        ]
        parts += [f"{name} writes {s(t)}" for name, t in self.writes.items()]
        parts.append(f"aggregator caught up {s(self.caught_up)}")
        return ", ".join(parts) + "".join(f"\n    ! {note}" for note in self.notes)


@dataclass
class FaultRun:
    outcomes: list[Outcome]
    recoveries: list[Recovery]
    seconds: float


class Chaos:
    """Kills one target, restarts it, and measures recovery with probe writes, which are
    recorded and proved like the load's own."""

    def __init__(
        self,
        services: Services,
        cluster: Cluster | None,
        *,
        prefix: str,
        pause: float,
        recover_timeout: float,
        token: str,
    ) -> None:
        self.services, self.cluster, self.prefix = services, cluster, prefix
        self.pause, self.recover_timeout, self.token = pause, recover_timeout, token
        self.probes: list[Outcome] = []
        self._count = 0
        self._lock = threading.Lock()

    def strike(self, target: str, at: float, in_flight: int) -> Recovery:
        recovery = Recovery(target, at, in_flight)
        killed = time.monotonic()
        if target == "postgres":
            assert self.cluster is not None
            recovery.processes = self.cluster.kill()
            time.sleep(self.pause)
            self.cluster.start()
        else:
            self.services[target].kill()
            time.sleep(self.pause)
            start(self.services[target])
        recovery.back = time.monotonic() - killed
        affected = WRITE_SERVICES if target == "postgres" else (target,)
        threads = [
            threading.Thread(target=self._writes_again, args=(name, recovery, killed))
            for name in affected
            if name in WRITE_SERVICES
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        recovery.caught_up = self._caught_up(killed)
        if recovery.caught_up is None:
            recovery.self_healed = False
            recovery.notes.append(
                f"the aggregator did not catch up within {self.recover_timeout:.0f}s "
                f"after the {target} kill: {self._ready('aggregator')}; restarting it"
            )
            self.services.aggregator.kill()
            start(self.services.aggregator)
            if self._caught_up(time.monotonic()) is None:
                recovery.notes.append("the aggregator did not catch up after a restart either")
        return recovery

    def _writes_again(self, name: str, recovery: Recovery, killed: float) -> None:
        outcome = self.probe(name)
        if outcome.result == "acked":
            recovery.writes[name] = outcome.finished - killed
            return
        recovery.writes[name] = None
        recovery.self_healed = False
        recovery.notes.append(
            f"{name} acknowledged no write for {self.recover_timeout:.0f}s after "
            f"{recovery.target} came back ({outcome.attempts} attempts, last: "
            f"{outcome.errors[-3:]}, /ready: {self._ready(name)}); restarting it"
        )
        self.services[name].kill()
        restarted = time.monotonic()
        start(self.services[name])
        again = self.probe(name)
        took = f"{again.finished - restarted:.2f}s" if again.result == "acked" else "never"
        recovery.notes.append(f"{name} wrote again {took} after the harness restarted it")

    def probe(self, name: str) -> Outcome:
        with self._lock:
            self._count += 1
            key = f"{self.prefix}-probe-{self._count}"
        write = Write.model(key) if name == "registry" else Write.kien_nghi(key)
        retry = Retry(timeout=5, give_up_after=self.recover_timeout)
        writer = Writer({name: self.services[name].url}, self.token, retry)
        try:
            outcome = writer.send(write)
        finally:
            writer.close()
        with self._lock:
            self.probes.append(outcome)
        return outcome

    def _ready(self, name: str) -> str:
        try:
            with self.services.client(name, timeout=5) as client:
                response = client.get("/ready")
                return f"{response.status_code} {response.text[:400]}"
        except httpx.HTTPError as exc:
            return repr(exc)

    def _caught_up(self, since: float) -> float | None:
        """Seconds from since until the aggregator applied both feeds up to their heads."""
        deadline = time.monotonic() + self.recover_timeout
        while time.monotonic() < deadline:
            if wait_caught_up(self.services, timeout=max(1.0, deadline - time.monotonic())):
                return time.monotonic() - since
            time.sleep(0.2)
        return None


def heads(services: Services) -> dict[str, int]:
    positions = {}
    for name in WRITE_SERVICES:
        with services.client(name, timeout=10) as client:
            positions[name] = int(client.get("/events/head").raise_for_status().json()["position"])
    return positions


def wait_caught_up(services: Services, timeout: float = 30) -> bool:
    """True once the aggregator has applied both feeds up to their heads as of now."""
    try:
        params: dict[str, str | float] = {**heads(services), "timeout": min(timeout, 60)}
        with services.client("aggregator", timeout=timeout + 10) as client:
            return client.get("/followers/wait", params=params).status_code == 200
    except httpx.HTTPError:
        return False


def run_faults(
    services: Services,
    *,
    writes: int,
    clients: int = 8,
    rounds: int = 1,
    rate: float | None = None,
    pause: float = 0.5,
    recover_timeout: float = 30,
    cluster: Cluster | None = None,
    prefix: str = "fault",
    token: str = "token-officer",
) -> FaultRun:
    """writes sent by clients threads (as fast as they are taken, or rate a second); rounds
    times the kill cycle (PostgreSQL only with a cluster), its points spread over the load."""
    started = time.monotonic()
    kills = [
        (target, (r + share) / rounds)
        for r in range(rounds)
        for target, share in KILLS
        if target != "postgres" or cluster is not None
    ]
    # new writes while a part is down: a third of the way to the next kill point in 5 s
    gap = min(b - a for a, b in itertools.pairwise([0.0, *(share for _, share in kills)]))
    trickle = min(max(1.0, gap * writes / 15), rate or math.inf)
    chaos = Chaos(
        services, cluster, prefix=prefix, pause=pause, recover_timeout=recover_timeout, token=token
    )
    load = Load(
        plan(prefix, writes),
        lambda: Writer(services.urls(), token, Retry()),
        clients=clients,
        rate=rate,
    ).start()
    recoveries = []
    try:
        for target, share in kills:
            load.wait_handed_out(share)
            with load.slowed(trickle):  # until it has recovered; writes in flight retry
                recoveries.append(chaos.strike(target, load.handed_out, load.in_flight))
        outcomes = load.join()
    finally:
        load.stop.set()
        if cluster is not None:
            cluster.start()  # whatever happened, leave PostgreSQL running
    return FaultRun(outcomes + chaos.probes, recoveries, time.monotonic() - started)
