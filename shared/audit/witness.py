"""A witness (`danvan witness`): cosigns a log's checkpoints only after checking that each one
extends the last it cosigned, so that a log cannot show two parties two histories.

For each log: fetch its latest checkpoint note, verify the log's signature with the verifier key
the witness was given (never one the log hands out), and hold it against the last checkpoint
cosigned for that origin. A larger tree must come with an RFC 9162 consistency proof from the
last size (§2.1.4.2, shared.audit.merkle), verified here: the witness trusts nothing the log
says. Then it cosigns (C2SP tlog-cosignature), records the new size and root atomically, writes
the cosigned note to its state folder and publishes the cosignature to the log. A fork (a
smaller tree, the same size with another root, a proof that fails) is refused, never cosigned,
logged, and kept as evidence under `forks/`: both checkpoints and the reason.

The state folder holds, per origin (its name percent-encoded), `state.json` (size, root and the
note last cosigned) and `cosigned/<size>.txt`; and `forks/`. The first checkpoint seen of a log
is trusted as it is (there is nothing to hold it against): start a witness early.
"""

from __future__ import annotations

import base64
import contextlib
import logging
import os
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote

import httpx
import orjson

from shared.audit.checkpoint_note import Checkpoint, Cosigner, open_checkpoint, with_signatures
from shared.audit.merkle import verify_consistency
from shared.audit.note import Ed25519Verifier, MalformedNote
from shared.private_files import private_dir

log = logging.getLogger("danvan.witness")


class LogClient(Protocol):
    """What the witness asks of a log."""

    def checkpoint(self) -> str: ...

    def consistency(self, first: int, second: int) -> list[bytes]: ...

    def publish(self, tree_size: int, cosignature: str) -> None: ...


class LogUnavailable(Exception):
    """The log did not answer as asked."""


class Http(Protocol):
    """httpx.Client; a TestClient in tests."""

    def get(self, url: str, *, params: dict[str, Any] | None = ...) -> Any: ...

    def post(self, url: str, *, json: Any = ...) -> Any: ...


class HttpLog:
    """A danvan write service (or any log serving these paths) over HTTP."""

    def __init__(self, http: Http) -> None:
        self.http = http

    @classmethod
    def at(cls, url: str, token: str | None = None) -> HttpLog:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return cls(httpx.Client(base_url=url.rstrip("/"), headers=headers, timeout=30))

    def checkpoint(self) -> str:
        return str(_ok(self.http.get("/checkpoint")).text)

    def consistency(self, first: int, second: int) -> list[bytes]:
        params = {"first": first, "second": second}
        body = _ok(self.http.get("/proofs/consistency", params=params)).json()
        if (body.get("first"), body.get("second")) != (first, second):
            raise LogUnavailable("the log answered a proof between other sizes")
        return [base64.b64decode(h, validate=True) for h in body["hashes"]]

    def publish(self, tree_size: int, cosignature: str) -> None:
        body = {"tree_size": tree_size, "cosignature": cosignature}
        _ok(self.http.post("/checkpoint/cosignatures", json=body))


def _ok(response: Any) -> Any:
    if response.status_code not in (200, 201):
        raise LogUnavailable(f"{response.request.url}: {response.status_code} {response.text}")
    return response


@dataclass(frozen=True)
class Seen:
    """The last checkpoint cosigned for an origin."""

    size: int
    root: bytes
    note: str  # as the log served it, cosigned: our signature line is `cosignature`
    cosignature: str


@dataclass(frozen=True)
class Outcome:
    origin: str
    status: str  # cosigned, unchanged, fork, refused
    size: int
    detail: str = ""

    @property
    def failed(self) -> bool:
        return self.status in ("fork", "refused")


class Fork(Exception):
    def __init__(self, reason: str, evidence: str = "") -> None:
        super().__init__(reason)
        self.reason, self.evidence = reason, evidence


class Witness:
    def __init__(
        self, cosigner: Cosigner, state: Path, clock: Callable[[], float] = time.time
    ) -> None:
        self.cosigner, self.state, self.clock = cosigner, state, clock
        private_dir(state)

    def witness(self, log_client: LogClient, log_key: Ed25519Verifier) -> Outcome:
        """Checks and cosigns the log's latest checkpoint; a fork or a bad note is refused."""
        origin = log_key.name
        try:
            note = log_client.checkpoint()
            opened = open_checkpoint(note, log_key)
        except (MalformedNote, ValueError, LogUnavailable, httpx.HTTPError) as error:
            log.error("witness: %s: no checkpoint to cosign: %s", origin, error)
            return Outcome(origin, "refused", 0, str(error))
        new = opened.checkpoint
        seen = self.seen(origin)
        try:
            if seen is not None:
                self._hold_against(log_client, seen, new)
        except Fork as fork:
            self._record_fork(origin, seen, note, fork)
            return Outcome(origin, "fork", new.size, fork.reason)
        except (ValueError, KeyError, LogUnavailable, httpx.HTTPError) as error:
            log.error("witness: %s: no consistency proof to %d: %s", origin, new.size, error)
            return Outcome(origin, "refused", new.size, f"no consistency proof: {error}")
        if seen is not None and seen.size == new.size:
            self._publish(log_client, seen)  # again: publishing is idempotent
            return Outcome(origin, "unchanged", new.size)
        cosignature = self.cosigner.cosign(opened.note.text, int(self.clock()))
        seen = Seen(new.size, new.root, with_signatures(note, [cosignature]), cosignature.line())
        self._save(origin, seen)
        self._publish(log_client, seen)
        log.info("witness: %s: cosigned size %d", origin, new.size)
        return Outcome(origin, "cosigned", new.size)

    def _hold_against(self, log_client: LogClient, seen: Seen, new: Checkpoint) -> None:
        if new.size < seen.size:
            raise Fork(f"the tree shrank from {seen.size} to {new.size}")
        if new.size == seen.size:
            if new.root != seen.root:
                raise Fork(f"another root at the same size {new.size}")
            return
        if seen.size == 0:
            return  # the empty tree is a prefix of every tree
        hashes = log_client.consistency(seen.size, new.size)  # unanswered: refused, no fork
        if not verify_consistency(seen.size, new.size, seen.root, new.root, hashes):
            proof = "\n".join(base64.b64encode(h).decode() for h in hashes)
            raise Fork(
                f"the consistency proof from {seen.size} to {new.size} fails",
                f"consistency proof ({len(hashes)} hashes):\n{proof}\n",
            )

    def _publish(self, log_client: LogClient, seen: Seen) -> None:
        try:
            log_client.publish(seen.size, seen.cosignature)
        except (LogUnavailable, httpx.HTTPError) as error:  # kept; published next round
            log.warning("witness: could not publish the cosignature of %d: %s", seen.size, error)

    # the state folder

    def folder(self, origin: str) -> Path:
        return self.state / quote(origin, safe="")

    def seen(self, origin: str) -> Seen | None:
        path = self.folder(origin) / "state.json"
        if not path.exists():
            return None
        data: dict[str, Any] = orjson.loads(path.read_bytes())
        root = base64.b64decode(data["root"])
        return Seen(int(data["size"]), root, str(data["note"]), str(data["cosignature"]))

    def _save(self, origin: str, seen: Seen) -> None:
        folder = self.folder(origin)
        (folder / "cosigned").mkdir(parents=True, exist_ok=True)
        _write_atomically(folder / "cosigned" / f"{seen.size}.txt", seen.note.encode())
        state = {
            "origin": origin,
            "size": seen.size,
            "root": base64.b64encode(seen.root).decode(),
            "note": seen.note,
            "cosignature": seen.cosignature,
        }
        _write_atomically(folder / "state.json", orjson.dumps(state, option=orjson.OPT_INDENT_2))

    def _record_fork(self, origin: str, seen: Seen | None, note: str, fork: Fork) -> None:
        forks = self.state / "forks"
        forks.mkdir(exist_ok=True)
        stamp = datetime.fromtimestamp(self.clock(), UTC).strftime("%Y%m%dT%H%M%SZ")
        path = forks / f"{quote(origin, safe='')}-{stamp}.txt"
        evidence = (
            f"origin: {origin}\nrefused: {fork.reason}\n\n"
            f"last cosigned checkpoint:\n{seen.note if seen else '(none)'}\n"
            f"checkpoint refused:\n{note}\n{fork.evidence}"
        )
        _write_atomically(path, evidence.encode())
        log.error("witness: %s: FORK refused: %s (evidence: %s)", origin, fork.reason, path)


def _write_atomically(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def witness_round(
    witness: Witness, logs: Sequence[tuple[LogClient, Ed25519Verifier]]
) -> list[Outcome]:
    return [witness.witness(client, key) for client, key in logs]
