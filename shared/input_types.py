"""The types input is checked against where it enters: bodies and query parameters alike.

Pydantic's lax mode reads a number as a date (0 is 1970-01-01) and FastAPI validates decoded
JSON in Python mode, where `Strict()` would refuse ISO strings too; so a date here is a string
of the ISO form, checked before pydantic parses it. Integers that reach PostgreSQL stay inside
BIGINT; text holds no control characters (PostgreSQL refuses NUL, XML and Excel the rest) and
no lone surrogates (not UTF-8: the events could not be written).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BeforeValidator, Field
from pydantic_core import PydanticCustomError

BIGINT_MAX = 2**63 - 1  # PostgreSQL BIGINT: event positions and versions

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
# a date, then optionally a time of day and an offset: what pydantic parses after this check
_ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}.*)?", re.ASCII | re.DOTALL)
# C0 controls but tab, line feed and carriage return; and the UTF-16 surrogates
_NOT_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
TEXT_PATTERN = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f]*$"  # the same, as a pattern
# plain text with a character that is neither a control nor white space (Unicode's White_Space,
# what stripping removes): a schema-valid "\u0085" would be refused as empty once stripped
_TEXT = r"[^\u0000-\u0008\u000b\u000c\u000e-\u001f]*"
_VISIBLE = r"[^\u0000-\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
NON_BLANK_PATTERN = f"^{_TEXT}{_VISIBLE}{_TEXT}$"


def _iso_date(value: Any) -> Any:
    if isinstance(value, date) and not isinstance(value, datetime):  # given by code, not JSON
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        return value
    raise PydanticCustomError("date_type", "Input should be a date as a YYYY-MM-DD string")


def _iso_datetime(value: Any) -> Any:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_DATETIME.fullmatch(value):
        return value
    raise PydanticCustomError(
        "datetime_type", "Input should be an ISO 8601 date-time string (YYYY-MM-DDTHH:MM:SS)"
    )


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
IsoDateTime = Annotated[datetime, BeforeValidator(_iso_datetime)]
# a pattern, not a validator: pydantic keeps it in the JSON schema (a field's own pattern, as
# strict as this one, takes its place); api_errors reports a mismatch as a control character
PlainText = Annotated[str, Field(pattern=TEXT_PATTERN)]
NonBlankText = Annotated[str, Field(pattern=NON_BLANK_PATTERN)]  # with str_strip_whitespace
Position = Annotated[int, Field(ge=0, le=BIGINT_MAX)]


def is_plain_text(value: str) -> bool:
    return _NOT_TEXT.search(value) is None
