"""Request-body size limits, enforced while the body streams in (never after reading it all).

A request whose ``Content-Length`` is over the limit is refused before its body is read; one
without (chunked) is counted as it arrives and refused as soon as it passes the limit.  Both
answer 413 with a problem.  File imports may be larger than other bodies.
"""

from __future__ import annotations

from fastapi import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: Largest body of ``POST /imports/{entity}`` (bytes).
MAX_IMPORT_BYTES = 20 * 1024 * 1024
#: Largest body of every other request (bytes): a record, a decision, a key.
MAX_BODY_BYTES = 1024 * 1024


def body_limit(path: str) -> int:
    return MAX_IMPORT_BYTES if path.startswith("/imports/") else MAX_BODY_BYTES


class BodyTooLarge(HTTPException):
    def __init__(self, limit: int) -> None:
        super().__init__(413, f"The request body is larger than {limit:,} bytes")


class BodyLimitMiddleware:
    """Refuse bodies over :func:`body_limit` with 413 while receiving them."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = body_limit(scope.get("path", ""))
        declared = dict(scope.get("headers") or []).get(b"content-length")
        too_large = declared is not None and declared.isdigit() and int(declared) > limit
        received = 0

        async def limited() -> Message:
            nonlocal received
            if too_large:  # refuse before reading a byte of it
                raise BodyTooLarge(limit)
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        await self.app(scope, limited, send)
