"""Merkle proofs at scale: p50/p95 of GET /proofs/inclusion (by leaf index, position, event id),
/proofs/consistency and /proofs/root through the larger feed's service app (in-process
TestClient) and of the raw store calls, the proofs' sizes (hashes, bytes), against the
framework's floor (GET /health of bench/floor_app.py through a TestClient: no app can answer
faster), and pymerkle 7.0 reading the same stored subtrees through its storage-agnostic
BaseMerkleTree, for comparison.

On a data set already written (the national one: bench/national.py), its tree brought up to
date first (sealing whatever is unsealed: chain rows and tree in one pass, timed):

    .venv/bin/python -m bench.proofs --database danvan_national [--calls 200] [--rebuild-tree]

(--rebuild-tree: the tree dropped and built again from the events first, timed: the switch of a
store sealed before the tree existed)

or a scratch PostgreSQL database holding a synthetic tree of N leaves (tree rows only, written
with COPY: the proofs read nothing else), for the proof times alone at a size no data set has:

    .venv/bin/python -m bench.proofs --synthetic 10000000 [--database merkle_bench]

A JSON line with the figures is appended to bench/results/proofs.jsonl.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
from fastapi.testclient import TestClient
from pymerkle import BaseMerkleTree
from pymerkle.core import _inclusion_path_layout

from bench.floor_app import create_app as create_floor
from bench.national import POSTGRES, scratch_postgres
from bench.seeded import latencies
from services.dialogue.main import create_app as create_dialogue
from services.registry.main import create_app as create_registry
from shared.audit.keys import load_signing_key
from shared.audit.merkle import Frontier, leaf_hash, verify_inclusion
from shared.audit.sealer import Sealer
from shared.audit.sources import open_store
from shared.audit.store import AuditStore
from shared.settings import Settings
from testkit.tokens import issue_test_tokens

RESULTS = Path(__file__).resolve().parent / "results" / "proofs.jsonl"
SERVICES = {"registry": "Registry", "dialogue": "Dialogue"}


class StoredPymerkle(BaseMerkleTree):  # type: ignore[misc]
    """pymerkle over our stored subtrees: one read per subtree it asks for."""

    def __init__(self, store: AuditStore, size: int) -> None:
        super().__init__()  # its subroot cache is bypassed: _get_subroot reads the rows
        self.store, self.size = store, size

    def _get_subroot(self, offset: int, width: int) -> bytes:
        level = width.bit_length() - 1
        return self.store.node_hashes([(level, offset >> level)])[(level, offset >> level)]

    def _get_leaf(self, index: int) -> bytes:
        return self._get_subroot(index - 1, 1)

    def _get_leaves(self, offset: int, width: int) -> list[bytes]:
        return [self._get_subroot(offset + i, 1) for i in range(width)]

    def _get_size(self) -> int:
        return self.size

    def _encode_entry(self, data: bytes) -> bytes:
        return data

    def _store_leaf(self, data: bytes, digest: bytes) -> int:
        raise NotImplementedError


def timed(call: Callable[[], Any], repeat: int) -> tuple[float, float]:
    samples = []
    for attempt in range(repeat + 1):
        began = time.perf_counter()
        call()
        if attempt:
            samples.append((time.perf_counter() - began) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(len(samples) * 0.95))]


def synthetic(url: str, settings: Settings, leaves: int) -> float:
    """A tree of `leaves` leaves written straight into the registry's audit tables."""
    store = AuditStore.open(settings, "registry")
    size = store.tree_size()
    store.close()
    if size >= leaves:
        return 0.0
    began = time.perf_counter()
    tree = Frontier()
    with (  # two connections: the leaves and the nodes are copied side by side
        psycopg.connect(url) as leaf_connection,
        psycopg.connect(url) as node_connection,
        leaf_connection.cursor() as leaf_cursor,
        node_connection.cursor() as node_cursor,
    ):
        leaf_cursor.execute("TRUNCATE registry_audit.tree_leaves")
        node_cursor.execute("TRUNCATE registry_audit.tree_nodes")
        with (
            leaf_cursor.copy(
                "COPY registry_audit.tree_leaves (leaf_index, position, event_id, hash) FROM STDIN"
            ) as leaf_rows,
            node_cursor.copy(
                "COPY registry_audit.tree_nodes (level, idx, hash) FROM STDIN"
            ) as rows,
        ):
            for i in range(leaves):
                made = tree.append(leaf_hash(f"synthetic entry {i}".encode()))
                leaf_rows.write_row((i, i + 1, str(uuid.UUID(int=i)), made[0][1]))
                for (level, index), digest in made[1:]:
                    rows.write_row((level, index, digest))
    for table in ("tree_leaves", "tree_nodes"):
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute(f"ANALYZE registry_audit.{table}")
    return time.perf_counter() - began


def analyze(store: AuditStore, service: str) -> None:
    if store.engine.dialect.name == "postgresql":
        with store.engine.begin() as connection:
            connection.exec_driver_sql(f"ANALYZE {service}_audit.chain")
            connection.exec_driver_sql(f"ANALYZE {service}_audit.tree_leaves")
            connection.exec_driver_sql(f"ANALYZE {service}_audit.tree_nodes")


def seal(settings: Settings, key_dir: Path, rebuild: bool) -> dict[str, Any]:
    """Every write service's feed sealed up to its head: chain rows and tree, timed. With
    `rebuild`, the tree is dropped first and built again from the events (the switch of a
    store sealed before the tree), timed apart."""
    key = load_signing_key(None, key_dir)
    figures = {}
    for service, app_name in SERVICES.items():
        reader = open_store(settings, service, app_name)
        store = AuditStore.open(settings, service)
        if rebuild:
            with store.engine.begin() as connection:
                for table in ("tree_leaves", "tree_nodes", "tree_heads"):
                    connection.exec_driver_sql(f"DELETE FROM {table}")
        began = time.perf_counter()
        sealer = Sealer(reader, store, key, every_events=100_000, page_size=5000)
        built = sealer.build_tree()  # a store sealed before the tree: its leaves
        sealed, last = 0, time.perf_counter()
        while count := sealer.seal():
            sealed += count
            if time.perf_counter() - last > 60:
                print(f"  {service}: {sealed:,} sealed", flush=True)
                analyze(store, service)  # autovacuum may be off (bench/national.py)
                last = time.perf_counter()
        sealer.checkpoint()
        analyze(store, service)
        seconds = time.perf_counter() - began
        figures[service] = {
            "tree_size": store.tree_size(),
            "sealed_now": sealed,
            "leaves_built": built,
            "seconds": round(seconds, 1),
        }
        print(f"{service}: {figures[service]}", flush=True)
        store.close()
        reader.close()
    return figures


def measure(settings: Settings, calls: int, service: str) -> dict[str, Any]:
    rng = random.Random(2026)
    create = create_registry if service == "registry" else create_dialogue
    app = create(settings.model_copy(update={"seal_feeds": False}))
    with TestClient(app, headers={"Authorization": "Bearer token-auditor"}) as client:
        store: AuditStore = app.state.audit.store
        size = store.tree_size()
        leaves = [store.leaf(index=rng.randrange(size)) for _ in range(20)]
        known = [leaf for leaf in leaves if leaf is not None]
        leaf = known[0]
        first = rng.randrange(1, size)
        api: list[tuple[str, str, dict[str, Any]]] = [
            ("inclusion by leaf_index", "/proofs/inclusion", {"leaf_index": leaf.index}),
            ("inclusion by position", "/proofs/inclusion", {"position": leaf.position}),
            ("inclusion by event_id", "/proofs/inclusion", {"event_id": leaf.event_id}),
            (
                "inclusion in an older tree",
                "/proofs/inclusion",
                {"leaf_index": 0, "tree_size": size // 3 + 1},
            ),
            ("consistency", "/proofs/consistency", {"first": first}),
            ("consistency 1 → latest", "/proofs/consistency", {"first": 1}),
            ("root", "/proofs/root", {}),
            ("root of an older tree", "/proofs/root", {"tree_size": size // 3 + 7}),
        ]
        measured = latencies(client, api, calls)
        root = store.root(size)
        inclusion = [store.inclusion_proof(x.index, size) for x in known]
        assert all(
            verify_inclusion(x.index, size, x.hash, h, root)
            for x, h in zip(known, inclusion, strict=True)
        )
        consistency = [store.consistency_proof(rng.randrange(1, size), size) for _ in range(20)]
        raw = {
            "store.inclusion_proof": timed(
                lambda: store.inclusion_proof(rng.randrange(size), size), calls
            ),
            "store.consistency_proof": timed(
                lambda: store.consistency_proof(rng.randrange(1, size), size), calls
            ),
            "store.root": timed(lambda: store.root(rng.randrange(1, size + 1)), calls),
            "store.leaf by position": timed(lambda: store.leaf(position=leaf.position), calls),
        }
        theirs = StoredPymerkle(store, size)
        index = rng.randrange(size)
        proof = theirs.prove_inclusion(index + 1, size)
        assert proof.path[1:] == store.inclusion_proof(index, size)
        assert _inclusion_path_layout(index + 1, size)[0] == proof.rule
        raw["pymerkle prove_inclusion over the rows"] = timed(
            lambda: theirs.prove_inclusion(rng.randrange(size) + 1, size), max(10, calls // 10)
        )
    with TestClient(create_floor()) as floor_client:
        floor = latencies(floor_client, [("floor: GET /health", "/health", {})], calls)
    return {
        "tree_size": size,
        "api": measured,
        "raw": raw,
        "floor": floor["floor: GET /health"],
        "inclusion_hashes": [len(h) for h in inclusion],
        "consistency_hashes": [len(h) for h in consistency],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="merkle_bench", help="PostgreSQL database")
    parser.add_argument("--synthetic", type=int, help="a synthetic tree of this many leaves")
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--rebuild-tree", action="store_true", help="drop the tree, time its build")
    args = parser.parse_args()
    logging.disable(logging.INFO)  # a line per request otherwise
    load = os.getloadavg()[0]
    if args.synthetic:
        url = scratch_postgres(args.database, fresh=False)
    else:
        url = f"{POSTGRES}/{args.database}"
    key_dir = Path(tempfile.mkdtemp(prefix="bench-proofs-"))
    settings = Settings(_env_file=None, data_dir=key_dir, database_url=url)
    issue_test_tokens(settings)
    print(f"proofs on {url}, load {load:.2f}, {os.cpu_count()} cores", flush=True)
    figures: dict[str, Any] = {"at": datetime.now(UTC).isoformat(timespec="seconds")}
    if args.synthetic:
        seconds = synthetic(url, settings, args.synthetic)
        figures["synthetic_written_seconds"] = round(seconds, 1)
        print(f"synthetic tree of {args.synthetic:,} leaves written in {seconds:,.1f} s")
    else:
        figures["sealed"] = seal(settings, key_dir, args.rebuild_tree)
    service = "registry"
    if not args.synthetic:  # the larger feed's tree
        sizes = {name: figures["sealed"][name]["tree_size"] for name in SERVICES}
        service = max(sizes, key=lambda name: sizes[name])
    result = measure(settings, args.calls, service)
    floor_p50 = result["floor"][0]
    print(f"{service}: tree size {result['tree_size']:,}; floor p50 {floor_p50:.2f} ms")
    print(f"{'call':40} {'p50 ms':>8} {'p95 ms':>8} {'p50 / floor':>12}")
    for label, (p50, p95) in {**result["api"], **result["raw"]}.items():
        print(f"{label:40} {p50:>8.2f} {p95:>8.2f} {p50 / floor_p50:>12.1f}")
    for kind in ("inclusion", "consistency"):
        counts = result[f"{kind}_hashes"]
        print(
            f"{kind} proofs: {min(counts)}-{max(counts)} hashes "
            f"({32 * min(counts)}-{32 * max(counts)} bytes; ~{44 * max(counts)} base64 chars)"
        )
    figures.update(
        database=args.database,
        service=service,
        load_start=load,
        load_end=os.getloadavg()[0],
        cores=os.cpu_count(),
        **result,
    )
    print(f"load average start {load:.2f}, end {figures['load_end']:.2f}")
    RESULTS.parent.mkdir(exist_ok=True)
    with RESULTS.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(figures) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
