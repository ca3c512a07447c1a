"""Open311 GeoReport v2 on the dialogue service: kiến nghị categories are its services.

Mounted under /open311/v2 (discovery at /open311/discovery.{json,xml}). Choices where the
specification leaves room:

- POST requests answers 200 with the specification's array (its examples use 200), plus
  "token" equal to the id; account_id is always null. An Idempotency-Key makes retries (of one
  api_key and device_id, in either format) answer the same id and record once.
- api_key: required to POST (citizen, officer or admin). Discovery, the service list and
  definitions, GET requests, GET requests/{id}, tokens and servicerequestupdates need none;
  a key that is sent must be valid. What each caller sees of a request is decided in one
  place, access.view_of: the public view without a key, the full view for an officer of its
  units, a citizen of its own and admins; auditors see the public view (as the native API
  shows them no contact data).
- The public view shows the commune: address its name, address_id its code, lat/long its
  centre (as the unit catalog has it; null if it has none), media_url null. The reporter's
  location (the point, the address as written) and media are shown in the full view, and in
  the public view only if they posted publish_location_and_media=true (our extension; default
  false). Names, emails, phones, device and account ids are never shown.
- An officer files only within its units: the commune resolved from address_id, the point or
  address_string must be covered (403 naming that argument, nothing written).
- jurisdiction_id, the point and address_id agree or 400: a point lies in the province of the
  commune whose centre is nearest (not one searched for within the jurisdiction); with
  address_id too, address_id names the commune and the point must lie in its province.
- Services with fields of their own (attributes.py) have metadata true and a definition; their
  attribute[code] answers are checked (400) and kept with the kiến nghị.
- GET requests pages: page (from 1, to 1000) and page_size (1 to 1000, default 1000, the
  specification's answer); servicerequestupdates (FixMyStreet's extension, updates.py) lists
  each step of a kiến nghị since a date from the read side's status changes.
- media_url is a signed link that expires (media.py), served by GET /open311/v2/media/{id}.
- Statuses: invalid input 400 (our 422s), no or bad key 403 (our 401s), a caller outside its
  scope 403, unknown service_code, jurisdiction_id, request, token, path or format 404, 405 on a
  known path with another method, 409 for an Idempotency-Key reused on another form, 429 with
  Retry-After, 503 if the read side is down. Each error names the offending field: "field: text".
- zipcode is null; expected_datetime is the end of the due day once assigned, before that
  the handling rules' deadline to resolve it.
- Personal data (names, email, phone, device_id, account_id, address_string, lat, long,
  media_url) is sealed under the citizen's key; once erased, every view shows the commune.
"""

from services.dialogue.open311.api import router

__all__ = ["router"]
