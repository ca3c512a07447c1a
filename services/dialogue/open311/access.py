"""Who sees what of a service request, and where a caller may file one: the one place it is
decided for the Open311 API.

Two views of a request. The full view shows what the reporter gave of its location and media:
the exact point, the address as written, a link to the media. The public view shows the
commune instead (its name, code and centre) and no media, unless the reporter agreed to
publish their location and media when posting (publish_location_and_media). Neither view ever
shows names, emails, phones, device or account ids.

- no api_key: the public view of every request;
- a citizen: the full view of its own requests, the public view of the others;
- an officer: the full view of the requests of its units and of the units under them;
- an admin: the full view of every request;
- an auditor: the public view of every request (as GET /kien-nghi/{id} shows auditors no
  contact data).
"""

from __future__ import annotations

from enum import StrEnum

from services.dialogue.citizens import citizen_subject
from shared import policy
from shared.principal import Principal, Role
from shared.units import Unit, UnitCatalog


class View(StrEnum):
    PUBLIC = "public"
    FULL = "full"


def view_of(
    caller: Principal | None, unit: Unit | None, citizen: str | None, catalog: UnitCatalog
) -> View:
    """The view the caller gets of a request recorded at this unit for this data subject."""
    if caller is None:
        return View.PUBLIC
    if caller.role is Role.CITIZEN:
        own = citizen is not None and citizen == citizen_subject(caller)
        return View.FULL if own else View.PUBLIC
    if unit is None:  # a unit the catalog no longer knows: only admins see all
        return View.FULL if caller.role is Role.ADMIN else View.PUBLIC
    return View.FULL if policy.covers(caller, unit, catalog) else View.PUBLIC  # auditors: never


def require_may_file_at(caller: Principal, unit: Unit, catalog: UnitCatalog, field: str) -> None:
    """Citizens report anywhere; officers file within their units only (403 naming the
    argument that located the request, nothing written); admins anywhere."""
    if caller.role is not Role.CITIZEN:
        policy.require_may_act(caller, unit, catalog, field)
