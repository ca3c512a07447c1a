"""Who reads the dashboard: the session its cookie names (shared.sessions), or an
Authorization header as on the API. The cookie holds the session's random id only; the APIs
never accept it."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from fastapi import Request, Response

from shared.auth import TokenStore, authenticate, hash_token
from shared.errors import Unauthenticated
from shared.principal import Principal
from shared.sessions import Credential, SessionStore

SESSION_COOKIE = "danvan_session"
SESSION_LIFETIME = timedelta(hours=8)  # a working day; a revoked token ends it at once
_opening = threading.Lock()


def session_store(request: Request) -> SessionStore:
    """The sessions' table, in the security store beside the refusals (made at first use)."""
    state = request.app.state
    with _opening:
        if getattr(state, "dashboard_sessions", None) is None:
            state.dashboard_sessions = SessionStore(state.denials.engine)
    store: SessionStore = state.dashboard_sessions
    return store


def credential_reference(request: Request, credential: str) -> Credential:
    """How a session refers to the (valid) credential it is opened with: a bearer token by
    its hash, a JWT by its expiry."""
    tokens: TokenStore = request.app.state.tokens
    if tokens.principal_for(credential) is not None:
        return Credential(token_hash=hash_token(credential))
    claims = request.app.state.jwt.claims_of(credential)
    return Credential(expires_at=datetime.fromtimestamp(int(claims["exp"]), UTC))


def open_session(
    request: Request, response: Response, principal: Principal, credential: str
) -> None:
    """A new session (the one this browser had before, if any, ends) and its cookie:
    HttpOnly, Secure, SameSite=Strict. Browsers keep Secure cookies from http://localhost and
    http://127.0.0.1 too (potentially trustworthy origins); anywhere else the dashboard must
    be served over https."""
    close_session(request)
    reference = credential_reference(request, credential)
    session_id, expires = session_store(request).open(
        principal, reference, SESSION_LIFETIME, secret=credential
    )
    response.set_cookie(
        SESSION_COOKIE,
        session_id,
        max_age=max(0, round((expires - datetime.now(UTC)).total_seconds())),
        path="/",
        httponly=True,
        samesite="strict",
        secure=True,
    )


def close_session(request: Request, response: Response | None = None) -> None:
    session_id = request.cookies.get(SESSION_COOKIE)
    if session_id:
        session_store(request).close(session_id)
    if response is not None:
        response.delete_cookie(
            SESSION_COOKIE, path="/", httponly=True, samesite="strict", secure=True
        )


def signed_in(request: Request) -> Principal | None:
    """The reader: by the Authorization header if there is one, else by the session."""
    if "authorization" in request.headers:
        try:
            return authenticate(request)
        except Unauthenticated:
            return None
    session_id = request.cookies.get(SESSION_COOKIE)
    if not session_id:
        return None
    principal = session_store(request).principal_for(session_id, request.app.state.tokens)
    if principal is not None:
        request.state.principal = principal  # for the record of a refusal
    return principal


def forwarded_credential(request: Request) -> str | None:
    """The signed-in reader's own credential, which the work pages send their commands to the
    write services with: the Authorization header's, else the one the session keeps."""
    header = request.headers.get("authorization", "")
    scheme, _, credential = header.partition(" ")
    if header:
        return credential.strip() if scheme.lower() == "bearer" else None
    session_id = request.cookies.get(SESSION_COOKIE)
    if not session_id or signed_in(request) is None:
        return None
    return session_store(request).credential_for(session_id)
