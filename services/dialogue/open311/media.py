"""media_url as an authorised, expiring link: /open311/v2/media/{id}?expires=…&signature=…

A request's media (the media_url its reporter gave, else its first attachment) is never
shown as it is: whoever may see it gets a link signed with HMAC-SHA256 over the kiến nghị's
id and the link's expiry, valid for an hour (the expiry rounded up to the quarter hour, so a
request reads the same within it). The route serving it checks both. The key is generated on
first start into <data_dir>/open311-media.key (0600); a lost key only ends the links given.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import math
import os
import secrets
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from shared.errors import Forbidden

KEY_NAME = "open311-media.key"
LIFETIME = timedelta(hours=1)
ROUNDING = 15 * 60  # seconds
PATH = "/open311/v2/media/{id}"


def load_media_key(data_dir: Path) -> bytes:
    """The data folder's key, created if absent (when two processes start at once, the
    first one's wins)."""
    path = data_dir / KEY_NAME
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".open311-media-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(secrets.token_bytes(32))
            os.chmod(tmp, 0o600)
            with contextlib.suppress(FileExistsError):
                os.link(tmp, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
    return path.read_bytes()


def _signature(key: bytes, kien_nghi_id: str, expires: int) -> str:
    return hmac.new(key, f"{kien_nghi_id}\n{expires}".encode(), hashlib.sha256).hexdigest()


def expiry(now: datetime) -> int:
    """When a link given now stops working, in Unix seconds."""
    return math.ceil((now + LIFETIME).timestamp() / ROUNDING) * ROUNDING


def signed_path(key: bytes, kien_nghi_id: str, expires: int) -> str:
    signature = _signature(key, kien_nghi_id, expires)
    return f"{PATH.format(id=kien_nghi_id)}?expires={expires}&signature={signature}"


def check(key: bytes, kien_nghi_id: str, expires: int, signature: str, now: datetime) -> None:
    """403 for a link not signed by us for this request, or signed for a moment now past."""
    expected = _signature(key, kien_nghi_id, expires)
    if not hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace")):
        raise Forbidden("open311_media_link_invalid", field="signature")
    if now.timestamp() > expires:
        raise Forbidden("open311_media_link_expired", field="expires")
