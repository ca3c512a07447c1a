"""Refuses a request whose declared body is too large before reading it, in our error format.

FastAPI's own cap (max_body_size) stays behind it for bodies that do not declare a length;
this middleware only makes the common case answer like every other error of the API.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from shared.api_errors import error_body
from shared.events import dumps
from shared.messages import message


class DeclaredBodyLimit:
    def __init__(self, app: ASGIApp, limit: int, upload_limit: int) -> None:
        self.app, self.limit, self.upload_limit = app, limit, upload_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            headers = Headers(scope=scope)
            declared = headers.get("content-length", "")
            limit = self.upload_limit if scope["path"].endswith("/attachments") else self.limit
            if declared.isdigit() and int(declared) > limit:
                await self._refuse(scope, headers, send)
                return
        await self.app(scope, receive, send)

    async def _refuse(self, scope: Scope, headers: Headers, send: Send) -> None:
        wanted = headers.get("accept-language", "vi")
        text = message("payload_too_large", "en" if wanted.lower().startswith("en") else "vi")
        if scope["path"].startswith("/open311"):
            body = dumps([{"code": 413, "description": text}])
        else:
            body = dumps(error_body("payload_too_large", text))
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
