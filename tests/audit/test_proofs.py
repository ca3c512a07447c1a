"""The Merkle tree the sealer keeps, over a real service on both stores, and GET /proofs/*."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from services.dialogue.main import create_app as create_dialogue
from services.registry.main import create_app as create_registry
from shared.audit.chain import canonical
from shared.audit.merkle import (
    MemoryTree,
    leaf_hash,
    root,
    verify_consistency,
    verify_inclusion,
)
from shared.audit.service import Audit
from shared.settings import Settings
from tests.audit.pymerkle_check import pymerkle_verifies_inclusion
from tests.audit.tamper import Tamperer
from tests.conftest import bearer
from tests.dialogue.helpers import kien_nghi_body
from tests.helpers import app_of, register

AUDITOR = bearer("auditor")


def audit_of(client: TestClient) -> Audit:
    audit: Audit = app_of(client).state.audit
    return audit


def feed(client: TestClient) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    while True:
        after = items[-1]["position"] if items else 0
        page = client.get("/events", params={"after": after, "limit": 1000}, headers=AUDITOR)
        if not page.json()["items"]:
            return items
        items += page.json()["items"]


def unb64(text: str) -> bytes:
    return base64.b64decode(text, validate=True)


def get(client: TestClient, path: str, **params: Any) -> Any:
    response = client.get(path, params=params, headers=AUDITOR)
    assert response.status_code == 200, response.text
    return response.json()


def test_the_sealers_tree_equals_one_built_from_scratch_at_every_size(
    settings: Settings,
) -> None:
    """Sealed one event at a time, then the rest in pages: at every size 1..70 the stored
    tree's root is the root of the tree built at once from the feed's entries, and every stored
    node is the one the entries make."""
    settings.checkpoint_every_events = 7
    with TestClient(create_registry(settings), headers=bearer("officer")) as registry:
        sealer = audit_of(registry).sealer
        for i in range(40):
            register(registry, title=f"Mô hình {i}")
            sealer.seal()
        for i in range(30):
            register(registry, title=f"Mô hình sau {i}")
        sealer.seal()
        items = feed(registry)
        store = audit_of(registry).store
        assert len(items) >= 70 and store.tree_size() == len(items)
        whole = MemoryTree(leaf_hash(canonical(item)) for item in items)  # type: ignore[arg-type]
        for size in range(1, len(items) + 1):
            assert store.root(size) == root(whole, size)
        assert store.node_hashes(list(whole.nodes)) == whole.nodes
        leaves = store.leaves()
        assert [leaf.position for leaf in leaves] == [item["position"] for item in items]
        assert [leaf.event_id for leaf in leaves] == [item["id"] for item in items]
        assert store.leaf_index_of(items[33]["position"]) == 33
        assert store.leaf_index_of(items[44]["id"]) == 44
        assert store.leaf_index_of(10**9) is None
        for checkpoint in store.checkpoints():
            assert checkpoint.tree_size is not None and checkpoint.root is not None
            sealed = [item for item in items if item["position"] <= checkpoint.position]
            assert checkpoint.tree_size == len(sealed)
            assert checkpoint.root == root(whole, len(sealed))


@pytest.mark.parametrize("service", ["registry", "dialogue"])
def test_proofs_from_the_api_verify(settings: Settings, service: str) -> None:
    create = create_registry if service == "registry" else create_dialogue
    with TestClient(create(settings), headers=bearer("officer")) as client:
        for i in range(12):
            if service == "registry":
                register(client, title=f"Mô hình {i}")
            else:
                answer = client.post("/kien-nghi", json=kien_nghi_body(content=f"Kiến nghị {i}"))
                assert answer.status_code == 201, answer.text
        audit_of(client).sealer.checkpoint()
        items = feed(client)
        size = len(items)
        assert get(client, "/proofs/root")["tree_size"] == size
        roots = {
            s: unb64(get(client, "/proofs/root", tree_size=s)["root"]) for s in range(1, size + 1)
        }
        for s in {1, 2, size // 2 + 1, size}:
            for index in range(s):
                proof = get(client, "/proofs/inclusion", tree_size=s, leaf_index=index)
                assert (proof["leaf_index"], proof["tree_size"]) == (index, s)
                assert proof["position"] == items[index]["position"]
                assert proof["event_id"] == items[index]["id"]
                leaf = unb64(proof["leaf_hash"])
                assert leaf == leaf_hash(canonical(items[index]))  # type: ignore[arg-type]
                hashes = [unb64(h) for h in proof["hashes"]]
                assert verify_inclusion(index, s, leaf, hashes, roots[s])
                assert pymerkle_verifies_inclusion(index, s, leaf, hashes, roots[s])
            for first in range(1, s + 1):
                proof = get(client, "/proofs/consistency", first=first, second=s)
                hashes = [unb64(h) for h in proof["hashes"]]
                assert verify_consistency(first, s, roots[first], roots[s], hashes)
        last = items[-1]
        by_position = get(client, "/proofs/inclusion", position=last["position"])
        by_id = get(client, "/proofs/inclusion", event_id=last["id"])
        assert by_position == by_id and by_id["leaf_index"] == size - 1
        assert by_id["tree_size"] == size
        checkpoints = get(client, "/events/checkpoints")
        assert checkpoints[-1]["tree_size"] == size
        assert unb64(checkpoints[-1]["root"]) == roots[size]


def test_bad_proof_requests_are_refused_naming_the_parameter(registry: TestClient) -> None:
    model_id = register(registry)
    audit_of(registry).sealer.checkpoint()
    size = get(registry, "/proofs/root")["tree_size"]
    refused = [
        ("/proofs/inclusion", "tree_size", 422, {"tree_size": size + 1, "leaf_index": 0}),
        ("/proofs/inclusion", "leaf_index", 422, {"leaf_index": size}),
        ("/proofs/inclusion", "tree_size", 422, {"tree_size": 0, "leaf_index": 0}),
        ("/proofs/inclusion", "position", 422, {"tree_size": 1, "position": 2}),
        ("/proofs/inclusion", "leaf_index", 422, {}),
        ("/proofs/inclusion", "position", 422, {"leaf_index": 0, "position": 1}),
        ("/proofs/inclusion", "position", 404, {"position": 999}),
        ("/proofs/inclusion", "event_id", 404, {"event_id": model_id}),
        ("/proofs/inclusion", "event_id", 422, {"event_id": "x"}),
        ("/proofs/consistency", "first", 422, {"first": size, "second": 1}),
        ("/proofs/consistency", "first", 422, {"first": 0}),
        ("/proofs/consistency", "first", 422, {}),
        ("/proofs/consistency", "second", 422, {"first": 1, "second": size + 1}),
        ("/proofs/root", "tree_size", 422, {"tree_size": size + 5}),
        ("/proofs/root", "tree_size", 422, {"tree_size": -1}),
    ]
    for path, field, status, params in refused:
        answer = registry.get(path, params=params, headers=AUDITOR)
        assert answer.status_code == status, (path, params, answer.text)
        assert answer.json()["error"]["field"] == field, (path, params, answer.text)
    assert registry.get("/proofs/root", headers=bearer("citizen")).status_code == 403


def test_a_store_sealed_before_the_tree_gets_it_built_when_opened(settings: Settings) -> None:
    """The switch: chain rows and checkpoints but no tree (as every store written before it);
    opened again, the sealer builds the tree over the sealed range, and the old checkpoints
    (without a tree head) still verify."""
    settings.checkpoint_every_events = 4
    with TestClient(create_registry(settings), headers=bearer("officer")) as registry:
        for i in range(9):
            register(registry, title=f"Mô hình {i}")
        audit_of(registry).sealer.checkpoint()
        before = {s: get(registry, "/proofs/root", tree_size=s)["root"] for s in range(1, 11)}
    tamper = Tamperer(settings)
    for table in ("tree_leaves", "tree_nodes", "tree_heads"):
        tamper.sql(f"DELETE FROM {tamper.audit_table(table)}", store="audit")
    with TestClient(create_registry(settings), headers=bearer("officer")) as registry:
        audit_of(registry).sealer.seal()  # its first round builds the tree (in its thread)
        assert all(c["tree_size"] is None for c in get(registry, "/events/checkpoints"))
        assert {s: get(registry, "/proofs/root", tree_size=s)["root"] for s in before} == before
        register(registry, title="Mô hình mới")
        audit_of(registry).sealer.checkpoint()
        items = feed(registry)
        whole = MemoryTree(leaf_hash(canonical(item)) for item in items)  # type: ignore[arg-type]
        assert unb64(get(registry, "/proofs/root")["root"]) == root(whole, len(items))
        assert get(registry, "/events/checkpoints")[-1]["tree_size"] == len(items)


def test_the_few_lines_in_the_auditors_guide_check_a_proof_from_the_api(
    registry: TestClient,
) -> None:
    """The Python block of docs/auditors.md, run as written on the feed's JSON, a proof from the
    API and the checkpoint of the same size; then on a forged event, which it refuses."""
    guide = (Path(__file__).parents[2] / "docs" / "auditors.md").read_text(encoding="utf-8")
    snippet = guide.split("```python\n", 1)[1].split("```", 1)[0]
    for i in range(5):
        register(registry, title=f"Mô hình {i}")
    checkpoint = audit_of(registry).sealer.checkpoint()
    assert checkpoint is not None
    items = feed(registry)
    signed = get(registry, "/events/checkpoints")[-1]
    for index, item in enumerate(items):
        proof = get(registry, "/proofs/inclusion", leaf_index=index, tree_size=signed["tree_size"])
        exec(snippet, {"item": item, "proof": proof, "checkpoint": signed})
    forged = {**items[2], "data": {**items[2]["data"], "title": "Mô hình giả"}}
    proof = get(registry, "/proofs/inclusion", leaf_index=2)
    with pytest.raises(AssertionError):
        exec(snippet, {"item": forged, "proof": proof, "checkpoint": signed})
