"""Open311 GeoReport v2 on the dialogue service: kiến nghị categories are its services.

Mounted under /open311/v2 (discovery at /open311/discovery.{json,xml}). Choices where the
specification leaves room:

- POST requests answers 200 with the specification's array (its examples use 200), plus
  "token" equal to the id; account_id is always null. An Idempotency-Key makes retries (of one
  api_key and device_id, in either format) answer the same id and record once.
- api_key: required to POST (citizen, officer or admin) and to read requests or tokens (any
  role: every request to this service is authenticated); the service list, a service definition
  and discovery are public. Missing or invalid: 403.
- Statuses: invalid input 400 (our 422s), no or bad key 403 (our 401s), unknown service_code,
  jurisdiction_id, request, token, path or format 404, 405 on a known path with another method,
  409 for an Idempotency-Key reused on another form, 429 with Retry-After, 503 if the read side
  is down. Each error names the offending field: "field: text".
- address_id is one of our unit codes (a commune's); zipcode is null; address is the sealed
  address_string, else the commune's name; expected_datetime is the end of the due day.
- Personal data (names, email, phone, device_id, account_id, address_string, lat, long,
  media_url) is sealed under the citizen's key; GET shows location and media_url only, null
  once erased.
"""

from services.dialogue.open311.api import router

__all__ = ["router"]
