"""`danvan backup`: a copy of everything in the data folder that cannot be rebuilt.

On the embedded default that is the SQLite stores (event stores, their hash chains, the
personal-data keys, the refusal log), copied through SQLite's online backup API, so the services
may keep running; on either store it is the bearer tokens, the generated checkpoint signing key
and the attachments. The read models (aggregator.db) are left out: `danvan rebuild` recreates
them. On PostgreSQL the stores are dumped with pg_dump (docs/backup.md).
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
from pathlib import Path

from shared.audit.keys import GENERATED_NAME, PUBLIC_NAME
from shared.private_files import private_dir, private_file
from shared.settings import Settings

SERVICES = ("registry", "dialogue")


def sqlite_stores(settings: Settings) -> list[Path]:
    """The store files in the order they are copied: each hash chain before the events it
    seals (every sealed position is then in the copy), the events before the personal-data keys
    (every key an event of the copy needs is then in the copy)."""
    audit = [settings.audit_store(s).sqlite_path for s in SERVICES]
    events = [Path(settings.event_store_env(s)["SQLITE_DBNAME"]) for s in SERVICES]
    keys, denials = settings.personal_data_keys().sqlite_path, settings.security_log().sqlite_path
    return [p for p in (*audit, *events, keys, denials) if p is not None]


def backup(settings: Settings, target: Path) -> list[str]:
    """Copies into `target` (new or empty), laid out as a data folder; the names copied."""
    private_dir(target)  # a copy of the keys: as private as the data folder
    if any(target.iterdir()):
        raise SystemExit(f"{target} is not empty")
    copied: list[str] = []
    if not settings.uses_postgres:
        for path in sqlite_stores(settings):
            if path.exists():
                copy_sqlite(path, target / path.name)
                copied.append(path.name)
    # after the events: every attachment a copied event names is then in the copy
    files = [GENERATED_NAME, PUBLIC_NAME]
    if settings.tokens_file is None:
        files.append(settings.token_path.name)
    for name in files:
        if (settings.data_dir / name).exists():
            shutil.copy2(settings.data_dir / name, target / name)
            copied.append(name)
    attachments = settings.data_dir / "attachments"
    if settings.attachments_url is None and attachments.is_dir():
        shutil.copytree(attachments, target / "attachments")
        copied.append("attachments/")
    return copied


def copy_sqlite(source: Path, target: Path) -> None:
    """One consistent snapshot of a database another process may be writing."""
    with (
        contextlib.closing(sqlite3.connect(source)) as reading,
        contextlib.closing(sqlite3.connect(private_file(target))) as writing,
    ):
        reading.backup(writing)


def kept_elsewhere(settings: Settings) -> list[str]:
    """What the settings put outside the data folder, for the operator to back up too."""
    elsewhere = []
    if settings.uses_postgres:
        elsewhere.append("the stores in PostgreSQL, with pg_dump (docs/backup.md)")
    if settings.tokens_file is not None:
        elsewhere.append(f"the tokens: {settings.tokens_file}")
    if settings.signing_key_file is not None:
        elsewhere.append(f"the signing key: {settings.signing_key_file}")
    if settings.attachments_url is not None:
        elsewhere.append(f"the attachments: {settings.attachments_url}")
    return elsewhere
