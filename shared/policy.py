"""Who may read or do what: one policy for every door (the native APIs, the citizens' app,
Open311, the feeds and exports, the dashboard).

A route states its rule by depending on `allow(rule)`: the caller is authenticated (unless the
rule admits anonymous callers) and its role checked against the rule. What a caller may then
see or change of a record is decided here too, and nowhere else:

- `require_readable`: a record outside the caller's reach answers exactly as a missing one
  (`Hidden`: the same 404 body), so ids reveal neither existence nor place; the refusal is
  still recorded for auditors.
- `require_may_act`: a fact counted at a unit the caller names (a new record's unit, a
  replication's receiving unit, the commune an Open311 point resolves to) needs the caller's
  scope to cover that unit, else 403.
- `scope_of`: the units a list or a report is limited to.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from shared.auth import authenticate
from shared.errors import DanvanError, Forbidden, Hidden, NotFound, Unauthenticated
from shared.principal import Principal, Role
from shared.units import Unit, UnitCatalog

EVERYONE = frozenset(Role)
STAFF = frozenset({Role.OFFICER, Role.AUDITOR, Role.ADMIN})


@dataclass(frozen=True)
class Rule:
    name: str
    roles: frozenset[Role]
    anonymous: bool = False  # answered without credentials too
    description: str = ""
    identifies: bool = True  # False: credentials are not even read


PUBLIC = Rule(
    "public",
    EVERYONE,
    True,
    "anyone: health, discovery, the API documents, checkpoint notes",
    False,
)
SIGNED_LINK = Rule(
    "signed_link",
    EVERYONE,
    True,
    "anyone holding a link the service signed, until it expires (Open311 media)",
    False,
)
PUBLIC_VIEW = Rule(
    "public_view",
    EVERYONE,
    True,
    "anyone sees the public view; with credentials, what the caller's role and scope show",
)
READ = Rule("read", STAFF, description="records, lists, reports: officers within their units")
WRITE = Rule(
    "write", frozenset({Role.OFFICER, Role.ADMIN}), description="commands: officers in scope"
)
AUDIT = Rule("audit", frozenset({Role.AUDITOR, Role.ADMIN}), description="feeds, proofs, refusals")
OWN = Rule("own", frozenset({Role.CITIZEN}), description="a citizen's own kiến nghị")
SUBMIT = Rule(
    "submit",
    frozenset({Role.CITIZEN, Role.OFFICER, Role.ADMIN}),
    description="filing a kiến nghị: citizens, officers within their units",
)
ERASE = Rule("erase", frozenset({Role.ADMIN}), description="erasing a citizen's personal data")
DASHBOARD = Rule("dashboard", STAFF, description="the signed-in web app (a session, not a token)")


def permits(rule: Rule, principal: Principal | None) -> bool:
    if principal is None:
        return rule.anonymous
    return principal.role in rule.roles


def require_permitted(rule: Rule, principal: Principal, field: str | None = None) -> Principal:
    if principal.role not in rule.roles:
        raise Forbidden("forbidden_role", field=field, role=str(principal.role))
    return principal


# reads the caller's credentials: None when none were presented; raises for invalid ones
Credentials = Callable[[Request], Principal | Awaitable[Principal | None] | None]


def bearer(request: Request) -> Principal | None:
    """The holder of the Authorization header's token or JWT."""
    return authenticate(request) if "authorization" in request.headers else None


class Caller:
    """The dependency a route declares its rule with; answers the caller (None: anonymous).

    A coroutine, so a token looked up in memory costs no worker thread; a JWT may need its
    identity provider's key set fetched, so with JWTs configured the lookup runs on one."""

    def __init__(
        self,
        rule: Rule,
        credentials: Credentials = bearer,
        missing: Callable[[], DanvanError] = lambda: Unauthenticated("unauthenticated"),
        field: str | None = None,
    ) -> None:
        self.rule, self.credentials, self.missing, self.field = rule, credentials, missing, field

    async def __call__(self, request: Request) -> Principal | None:
        if not self.rule.identifies:
            return None
        if getattr(request.app.state, "jwt", None) is not None:
            found = await run_in_threadpool(self.credentials, request)
        else:
            found = self.credentials(request)
        principal = await found if inspect.isawaitable(found) else found
        if principal is None:
            if self.rule.anonymous:
                return None
            raise self.missing()
        return require_permitted(self.rule, principal, self.field)


def allow(
    rule: Rule,
    credentials: Credentials = bearer,
    missing: Callable[[], DanvanError] = lambda: Unauthenticated("unauthenticated"),
    field: str | None = None,
) -> Caller:
    """The dependency of a route guarded by the rule; credentials read another way than the
    Authorization header (Open311's api_key) come with their own reader."""
    return Caller(rule, credentials, missing, field)


def rule_of(call: Any) -> Rule | None:
    return call.rule if isinstance(call, Caller) else None


# what a caller may see and change


def covers(principal: Principal, unit: Unit, catalog: UnitCatalog) -> bool:
    """An officer's units and those under them; an admin everywhere; nobody else acts."""
    if principal.role is Role.ADMIN:
        return True
    if principal.role is not Role.OFFICER:
        return False
    codes = {unit.code, *(a.code for a in catalog.ancestors(unit))}
    return any(scope in codes for scope in principal.units)


def may_read(principal: Principal, unit: Unit | None, catalog: UnitCatalog) -> bool:
    """Staff records: auditors and admins read everything, officers their scope."""
    if principal.role in (Role.AUDITOR, Role.ADMIN):
        return True
    return principal.role is Role.OFFICER and (unit is None or covers(principal, unit, catalog))


def may_see_personal_data(principal: Principal, unit: Unit | None, catalog: UnitCatalog) -> bool:
    """A citizen's contact data: the officers handling the unit, and admins; not auditors."""
    return unit is not None and covers(principal, unit, catalog)


def require_readable(
    principal: Principal, unit: Unit | None, catalog: UnitCatalog, missing: NotFound
) -> None:
    if not may_read(principal, unit, catalog):
        raise Hidden(missing, unit=unit.key if unit else None)


def require_may_read_unit(
    principal: Principal, unit: Unit, catalog: UnitCatalog, field: str = "unit"
) -> None:
    """Figures of a unit the caller named (a report, a page): 403 outside its scope; which
    units exist is public, so naming it back reveals nothing."""
    if not may_read(principal, unit, catalog):
        raise Forbidden("forbidden_unit", field=field, unit_code=unit.code)


def require_may_act(
    principal: Principal, unit: Unit, catalog: UnitCatalog, field: str = "unit_code"
) -> None:
    """Names back only the unit the caller itself sent."""
    if not covers(principal, unit, catalog):
        raise Forbidden("forbidden_unit", field=field, unit_code=unit.code)


def scope_of(principal: Principal) -> tuple[str, ...] | None:
    """The units an officer's lists and reports are limited to; None: everything."""
    return principal.units if principal.role is Role.OFFICER else None
