"""A work page's form, made from the write service's OpenAPI document (the command's request
body): its fields, their kinds and coded values. The page checks nothing itself: the form is
sent as typed (novalidate), and the API's own error, naming each field by its JSON path, is
shown beside the field it names."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from services.aggregator.rendering.codes import Text

# a free text this long or longer is a paragraph: a textarea
PARAGRAPH = 1000


# blank rows a list of records (the kiến nghị raised at a dialogue) is shown with
ROWS = 3


@dataclass(frozen=True)
class FormField:
    name: str
    kind: str  # text, paragraph, date, moment, number, choice, choices, lines, flag, rows
    required: bool
    options: tuple[str, ...] = ()
    columns: tuple[FormField, ...] = ()  # of rows: each row's fields, named name[i].column


def _resolved(document: Mapping[str, Any], schema: Mapping[str, Any]) -> Mapping[str, Any]:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return _resolved(document, document["components"]["schemas"][name])
    branches = [b for b in schema.get("anyOf", ()) if b.get("type") != "null"]
    return _resolved(document, branches[0]) if len(branches) == 1 else schema


def _fields(document: Mapping[str, Any], schema: Mapping[str, Any]) -> list[FormField]:
    required = set(schema.get("required", ()))
    fields = []
    for name, property_schema in schema.get("properties", {}).items():
        resolved = _resolved(document, property_schema)
        items = _resolved(document, resolved.get("items", {}))
        if resolved.get("type") == "object":  # a step recorded with it (held, when scheduled):
            continue  # on the page, that step's own form, on the record's page
        if resolved.get("type") == "array" and items.get("type") == "object":
            columns = tuple(_fields(document, items))
            fields.append(FormField(name, "rows", name in required, (), columns))
            continue
        kind, options = _kind({**resolved, "items": items} if "items" in resolved else resolved)
        fields.append(FormField(name, kind, name in required, options))
    return fields


def _kind(schema: Mapping[str, Any]) -> tuple[str, tuple[str, ...]]:
    if "enum" in schema:
        return "choice", tuple(str(value) for value in schema["enum"])
    kinds = {"date": "date", "date-time": "moment"}
    if schema.get("format") in kinds:
        return kinds[schema["format"]], ()
    if schema.get("type") == "boolean":
        return "flag", ()
    if schema.get("type") in ("integer", "number"):
        return "number", ()
    if schema.get("type") == "array":
        items = schema.get("items", {})
        if "enum" in items:
            return "choices", tuple(str(value) for value in items["enum"])
        return "lines", ()
    if schema.get("maxLength", 0) >= PARAGRAPH:
        return "paragraph", ()
    return "text", ()


def command_form(document: Mapping[str, Any], path: str) -> list[FormField]:
    """The fields of the body POST path takes, in the document's order."""
    operation = document["paths"][path]["post"]
    schema = _resolved(document, operation["requestBody"]["content"]["application/json"]["schema"])
    return _fields(document, schema)


def command_body(fields: list[FormField], form: Mapping[str, str]) -> dict[str, Any]:
    """The JSON body of what was typed: an empty field is left out (the API says whether it may
    be), a number that is no number is sent as typed (the API names it), a moment typed without
    its offset is Vietnam's, a list one item per line (several boxes ticked: one per line, as
    typed_form joins them)."""
    body: dict[str, Any] = {}
    for field in fields:
        if field.kind == "rows":  # the rows with anything typed in them, renumbered
            rows = [
                command_body(list(field.columns), row)
                for row in _rows(field, form)
                if any(value.strip() for value in row.values())
            ]
            if rows:
                body[field.name] = rows
            continue
        value = (form.get(field.name) or "").strip()
        if not value:
            continue
        if field.kind == "flag":
            body[field.name] = value in ("on", "true")
        elif field.kind == "number":
            body[field.name] = int(value) if value.lstrip("-").isdigit() else value
        elif field.kind == "moment" and len(value) == len("2024-05-03T09:30"):
            body[field.name] = f"{value}:00+07:00"
        elif field.kind in ("lines", "choices"):
            body[field.name] = [line.strip() for line in value.splitlines() if line.strip()]
        else:
            body[field.name] = value
    return body


def typed_form(pairs: list[tuple[str, Any]]) -> dict[str, str]:
    """A posted form's text fields, a name sent several times (ticked boxes) one per line."""
    typed: dict[str, list[str]] = {}
    for name, value in pairs:
        if isinstance(value, str):
            typed.setdefault(name, []).append(value)
    return {name: "\n".join(values) for name, values in typed.items()}


def _rows(field: FormField, form: Mapping[str, str]) -> list[dict[str, str]]:
    """The rows of a rows field as typed: name[i].column, in order of i."""
    rows: dict[int, dict[str, str]] = {}
    pattern = re.compile(rf"^{re.escape(field.name)}\[(\d+)\]\.(\w+)$")
    for key, value in form.items():
        if match := pattern.match(key):
            rows.setdefault(int(match[1]), {})[match[2]] = value
    return [rows[index] for index in sorted(rows)]


def shown_rows(field: FormField, form: Mapping[str, str]) -> list[dict[str, str]]:
    """The rows to show: those typed (with anything in them), then blank ones up to ROWS."""
    typed = [row for row in _rows(field, form) if any(v.strip() for v in row.values())]
    return typed + [{} for _ in range(max(ROWS - len(typed), 1))]


def field_errors(error: Mapping[str, Any], fields: list[FormField]) -> dict[str, str]:
    """The API's error by the form field it names ("" for one that names none of them):
    `evidence[0]` is the evidence field's, `kien_nghi[1].content` that row's, `body` the
    form's. Rows are numbered as sent, which is as shown: blank rows come last."""
    names = {field.name for field in fields}
    rows = {field.name for field in fields if field.kind == "rows"}
    found: dict[str, str] = {}
    for detail in error.get("details") or [error]:
        path = str(detail.get("field") or "")
        name = path.split("[", 1)[0].split(".", 1)[0]
        key = path if name in rows and "." in path else name if name in names else ""
        found.setdefault(key, detail.get("message") or error.get("message", ""))
    return found


def pick_text(texts: Mapping[str, Text], key: str, lang: str) -> str:
    text = texts.get(key)
    return key if text is None else text[1] if lang == "en" else text[0]
