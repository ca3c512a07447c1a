"""Schemathesis hooks (SCHEMATHESIS_HOOKS=tests.contract.hooks): the one check of ours.

Schemathesis's `positive_data_acceptance` expects a request its schema calls valid to be
accepted. Some refusals no schema can state: a unit code that did not exist on the record's
date, a command the record's state forbids, a rule of the work. Those answer 409, or 422 with
the rule's own code. This check keeps the rest of that promise: a schema-valid request is never
refused as malformed (422 `invalid_input`, 400, 415): the document and the validation agree.
"""

from __future__ import annotations

import json
from typing import Any

import schemathesis

MALFORMED = {"invalid_input", "json_invalid", "unsupported_media_type"}


def error_code(response: Any) -> str:
    try:
        body = json.loads(response.content)
    except ValueError:
        return ""
    error = body.get("error") if isinstance(body, dict) else None
    return str(error.get("code", "")) if isinstance(error, dict) else ""


@schemathesis.check
def valid_requests_pass_validation(_ctx: Any, response: Any, case: Any) -> bool | None:
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return None
    code = error_code(response)
    if response.status_code in (400, 415, 422) and code in MALFORMED:
        raise AssertionError(
            f"the schema calls this request valid; the API refused it as malformed:"
            f" {response.status_code} {code}"
        )
    return None
