"""What a fault run must leave behind, proved from the feeds and the read models:
every acknowledged write exactly once, nothing twice, and read models equal to a clean rebuild
whose report totals count the writes."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from services.processes import rebuild_from_feeds
from shared.commands import IdempotentRequest
from testkit.faults.harness import Services, wait_caught_up
from testkit.faults.load import Outcome
from testkit.read_models import fresh_read_store, read_model_rows
from testkit.tokens import TOKENS


@dataclass
class Proof:
    writes: int = 0
    acknowledged: int = 0
    rejected: int = 0
    gave_up: int = 0
    gave_up_present: int = 0  # given up on, yet in the store (once): allowed
    retried: int = 0  # writes that needed more than one attempt
    attempts: int = 0
    replayed: int = 0  # answers replayed from an earlier attempt that had committed
    duplicates: list[str] = field(default_factory=list)  # keys with two events or records
    missing: list[str] = field(default_factory=list)  # acknowledged, not in the store once
    strays: list[str] = field(default_factory=list)  # created events no key accounts for
    feed_errors: list[str] = field(default_factory=list)
    records_in_feed: bool = False  # the feeds carry the Idempotency-Key records
    caught_up: bool = False
    totals: dict[str, int] = field(default_factory=dict)  # from the live reports
    expected: dict[str, int] = field(default_factory=dict)  # keys present in the feeds
    rows: dict[str, int] = field(default_factory=dict)  # live read-model rows per table
    tables_equal: bool | None = None
    table_diffs: dict[str, str] = field(default_factory=dict)

    def problems(self) -> list[str]:
        found = [f"written twice: {key}" for key in self.duplicates]
        found += [f"acknowledged but not in the store exactly once: {k}" for k in self.missing]
        found += [f"created without an idempotency record: {k}" for k in self.strays]
        found += self.feed_errors
        found += [f"rejected writes: {self.rejected}"] if self.rejected else []
        if not self.caught_up:
            found.append("the aggregator never caught up with the feeds")
        if self.totals != self.expected:
            found.append(f"report totals {self.totals} != writes in the store {self.expected}")
        if self.tables_equal is False:
            found.append(f"read models differ from a clean rebuild: {self.table_diffs}")
        return found

    def summary(self) -> str:
        return (
            f"writes {self.writes}: acknowledged {self.acknowledged}, retried {self.retried} "
            f"({self.attempts} attempts, {self.replayed} answers replayed), gave up "
            f"{self.gave_up} ({self.gave_up_present} of them stored once), rejected "
            f"{self.rejected}; duplicates {len(self.duplicates)}, missing acknowledged "
            f"{len(self.missing)}, strays {len(self.strays)} (key records in the feeds: "
            f"{self.records_in_feed}); report totals {self.totals} "
            f"(store {self.expected}); rebuild equal: {self.tables_equal}"
        )


def read_feed(services: Services, name: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    after = 0
    with services.client(name) as client:
        while True:
            page = client.get("/events", params={"after": after, "limit": 1000})
            page.raise_for_status()
            body = page.json()
            if not body["items"]:
                return items
            items.extend(body["items"])
            after = body["next_after"]


def check_store(services: Services, outcomes: list[Outcome], proof: Proof) -> None:
    """Each write looked up in its service's feed: by the key its body carries (the created
    event) and by its Idempotency-Key (the record of the accepted request)."""
    keys_by_text = {o.write.body.get("title") or o.write.body["content"]: o for o in outcomes}
    created: dict[str, list[str]] = defaultdict(list)  # key -> aggregate ids created
    accepted: dict[str, list[str]] = defaultdict(list)  # key -> ids in the accepted records
    # the records keep no key: they are named by it and the caller (any of the test tokens')
    keys_by_record = {
        str(IdempotentRequest.create_id(principal, o.write.key)): o.write.key
        for o in outcomes
        for principal, _, _ in TOKENS.values()
    }
    for name in ("registry", "dialogue"):
        feed = read_feed(services, name)
        positions = [item["position"] for item in feed]
        if positions != sorted(set(positions)):
            proof.feed_errors.append(f"{name} feed positions repeat or go back")
        events = Counter((item["aggregate_id"], item["aggregate_version"]) for item in feed)
        proof.feed_errors += [f"{name}: event {e} {n} times" for e, n in events.items() if n > 1]
        for item in feed:
            data = item["data"]
            if item["type"] in ("Model.Registered", "KienNghi.Received"):
                text = data.get("title") or data.get("content")
                if text in keys_by_text:
                    created[keys_by_text[text].write.key].append(str(item["aggregate_id"]))
                else:
                    proof.strays.append(f"{name} {item['aggregate_id']}")
            elif item["type"] == "IdempotentRequest.Accepted":  # its id names the key
                key = keys_by_record.get(str(item["aggregate_id"]), "")
                accepted[key].append(str(data["response"].get("id")))
    # the records of accepted requests are events of the store; should the feed ever leave
    # them out, the created events alone are counted
    proof.records_in_feed = bool(accepted)
    for outcome in outcomes:
        key = outcome.write.key
        ids = created.get(key, [])
        records = accepted.get(key, []) if proof.records_in_feed else ids
        if len(ids) > 1 or len(records) > 1:
            proof.duplicates.append(f"{key} ({len(ids)} events, {len(records)} records)")
        if outcome.result == "acked":
            if ids != [outcome.id] or records != [outcome.id]:
                proof.missing.append(f"{key}: answered {outcome.id}, store {ids} / {records}")
        elif ids and outcome.result == "gave_up":
            proof.gave_up_present += 1
        if len(ids) != len(records):
            proof.strays.append(f"{key}: {len(ids)} created, {len(records)} accepted records")
    proof.expected = {
        "registered": sum(
            1 for o in outcomes if o.write.service == "registry" and created[o.write.key]
        ),
        "received": sum(
            1 for o in outcomes if o.write.service == "dialogue" and created[o.write.key]
        ),
    }


def compare_with_rebuild(services: Services, proof: Proof) -> None:
    """Stops the aggregator, keeps its tables, replays both feeds with `danvan rebuild` into a
    fresh store and compares every table, row by row."""
    services.aggregator.stop()
    live = read_model_rows(services.settings)
    proof.rows = {name: len(rows) for name, rows in live.items()}
    with fresh_read_store(services.settings) as fresh:
        result = rebuild_from_feeds(fresh, services.registry, services.dialogue)
        if result.returncode != 0:
            proof.tables_equal = False
            proof.table_diffs["rebuild"] = result.stderr[-2000:]
            return
        rebuilt = read_model_rows(fresh)
    for name in sorted(set(live) | set(rebuilt)):
        mine, theirs = set(live.get(name, [])), set(rebuilt.get(name, []))
        if live.get(name) != rebuilt.get(name):
            proof.table_diffs[name] = (
                f"{len(live.get(name, []))} live rows, {len(rebuilt.get(name, []))} rebuilt; "
                f"only live: {sorted(mine - theirs)[:2]}, only rebuilt: {sorted(theirs - mine)[:2]}"
            )
    proof.tables_equal = not proof.table_diffs


def prove(services: Services, outcomes: list[Outcome], *, rebuild: bool = True) -> Proof:
    proof = Proof(
        writes=len(outcomes),
        acknowledged=sum(o.result == "acked" for o in outcomes),
        rejected=sum(o.result == "rejected" for o in outcomes),
        gave_up=sum(o.result == "gave_up" for o in outcomes),
        retried=sum(o.retried for o in outcomes),
        attempts=sum(o.attempts for o in outcomes),
        replayed=sum(o.replayed for o in outcomes),
    )
    proof.caught_up = any(wait_caught_up(services, timeout=30) for _ in range(4))
    check_store(services, outcomes, proof)
    with services.client("aggregator") as aggregator:
        models = aggregator.get("/reports/models").raise_for_status().json()["total"]
        kien_nghi = aggregator.get("/reports/kien-nghi").raise_for_status().json()["total"]
    proof.totals = {"registered": models["registered"], "received": kien_nghi["received"]}
    if rebuild:
        compare_with_rebuild(services, proof)
    return proof
