"""Files that hold secrets (keys, token hashes, personal-data keys, the security log) are the
service user's alone: 0600 in a data folder made 0700. SQLite and other libraries create their
files with the process umask (usually 0644), so each file is made here first, private, before
anything opens it; SQLite gives its -wal and -shm files the database file's mode."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700
SQLITE_SIDECARS = ("-wal", "-shm", "-journal")


def private_dir(path: Path) -> Path:
    """The folder, made 0700 if it did not exist (an existing one is left as it is)."""
    path.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    return path


def private_file(path: Path) -> Path:
    """The file, created empty and 0600 if absent, else narrowed to 0600 (with SQLite's
    sidecar files, if there are any). Its content, if any, is left as it is."""
    private_dir(path.parent)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, PRIVATE_FILE))
    os.chmod(path, PRIVATE_FILE)
    for suffix in SQLITE_SIDECARS:
        with contextlib.suppress(FileNotFoundError):
            os.chmod(path.with_name(path.name + suffix), PRIVATE_FILE)
    return path


def write_private(path: Path, content: bytes) -> None:
    """Replaces the file at once (readers see the old file or the new, never half), 0600
    from its first byte."""
    private_dir(path.parent)
    temporary = path.with_name(path.name + ".tmp")
    descriptor = os.open(temporary, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, PRIVATE_FILE)
    os.fchmod(descriptor, PRIVATE_FILE)  # a leftover .tmp may have had another mode
    with os.fdopen(descriptor, "wb") as out:
        out.write(content)
    os.replace(temporary, path)
