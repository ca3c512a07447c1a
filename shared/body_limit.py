"""Caps every request body as its bytes arrive, and refuses a JSON body that is not UTF-8.

The bytes received are counted, not a declared Content-Length: a chunked body is cut off at
the cap as well, before the app parses it; a declared length over the cap is refused before
anything is read. Uploads (POST …/attachments) may be as large as an attachment
(DANVAN_MAX_ATTACHMENT_BYTES) plus its multipart envelope, and the paths a service names as
taking larger uploads (the dashboard's workbook import) as large as it says.

A refusal is raised from `receive` as an error of the API that is also an HTTPException, the
kind FastAPI lets out of its body parsing unchanged: each door then answers it in its own
format (the API's error, Open311's error array) naming `body`.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Mapping
from typing import Any

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.errors import DanvanError

MULTIPART_ENVELOPE = 64 * 1024  # boundaries and part headers around an uploaded file
_LENGTH = re.compile(r"[0-9]+")


class BodyRefused(DanvanError, HTTPException):
    """A request body refused as it is read: too large (413) or not UTF-8 (400)."""

    def __init__(self, status: int, code: str, **params: Any) -> None:
        DanvanError.__init__(self, code, field="body", **params)
        HTTPException.__init__(self, status_code=status)
        self.status = status


class BodyLimit:
    def __init__(
        self,
        app: ASGIApp,
        limit: int,
        attachment_limit: int,
        uploads: Mapping[str, int] | None = None,  # a path POSTed to → its largest file
    ) -> None:
        self.app, self.limit = app, limit
        self.upload_limit = attachment_limit + MULTIPART_ENVELOPE
        self.uploads = {path: size + MULTIPART_ENVELOPE for path, size in (uploads or {}).items()}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        is_post = scope["method"] == "POST"
        limit = (
            self.upload_limit if is_post and scope["path"].endswith("/attachments") else self.limit
        )
        if is_post:
            limit = self.uploads.get(scope["path"], limit)
        declared = headers.get("content-length", "")
        too_large = bool(_LENGTH.fullmatch(declared)) and int(declared) > limit
        utf8 = codecs.getincrementaldecoder("utf-8")() if _is_json(headers) else None
        received = 0

        async def counted_receive() -> Message:
            nonlocal received
            if too_large:
                raise BodyRefused(413, "payload_too_large", limit=limit)
            message = await receive()
            if message["type"] != "http.request":
                return message
            chunk = message.get("body", b"")
            received += len(chunk)
            if received > limit:
                raise BodyRefused(413, "payload_too_large", limit=limit)
            if utf8 is not None:
                try:
                    utf8.decode(chunk, final=not message.get("more_body", False))
                except UnicodeDecodeError:
                    raise BodyRefused(400, "body_not_utf8") from None
            return message

        await self.app(scope, counted_receive, send)


def _is_json(headers: Headers) -> bool:
    media_type = headers.get("content-type", "").partition(";")[0].strip().lower()
    return media_type == "application/json" or (
        media_type.startswith("application/") and media_type.endswith("+json")
    )
