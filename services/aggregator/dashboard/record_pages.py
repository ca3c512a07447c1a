"""A record's work page (a kiến nghị, a "Dân vận khéo" model: record_kinds): the record as its
write service's API shows the reader, its timeline from its events, and a form for each step
its state allows (`next_steps`); each form's command goes to that API as the signed-in user
(services.aggregator.dashboard.commands).

A refused command shows the API's own message: beside the field it names, or, for a 409, above
the record's newer state with what was typed kept and the newer version, to record again. Each
form carries an Idempotency-Key made when it is shown, so a double click or a form sent again
makes one event."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlencode
from uuid import UUID, uuid4

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from services.aggregator.dashboard.access import DashboardRoute, Reader, lang_of
from services.aggregator.dashboard.commands import Answer, openapi_of, read, send
from services.aggregator.dashboard.forms import (
    FormField,
    command_body,
    command_form,
    field_errors,
    pick_text,
    shown_rows,
    typed_form,
)
from services.aggregator.dashboard.login import same_origin
from services.aggregator.dashboard.pages import describe, error_page, render, words
from services.aggregator.dashboard.record_kinds import KINDS, RecordKind
from services.aggregator.dashboard.unit_picker import record_day, unit_options
from services.aggregator.dashboard.work_text import FIELDS, WORK_UI
from services.aggregator.rendering.labels import pick
from shared.principal import Principal
from shared.vietnam_time import VIETNAM

router = APIRouter(
    prefix="/dashboard", tags=["dashboard"], include_in_schema=False, route_class=DashboardRoute
)


def step_fields(request: Request, kind: RecordKind, step: str | None) -> list[FormField]:
    """The form of a step: the body its endpoint (/{slug}/{…_id}/{step}) takes; of the
    record's creation (POST /{slug}) for step None."""
    document = openapi_of(request, kind.service)
    if step is None:
        return command_form(document, f"/{kind.slug}")
    prefix, suffix = f"/{kind.slug}/{{", f"}}/{step}"
    path = next(p for p in document["paths"] if p.startswith(prefix) and p.endswith(suffix))
    return command_form(document, path)


def _shown(kind: RecordKind, name: str, value: Any, lang: str) -> str:
    values = value if isinstance(value, list) else [value]
    return ", ".join(pick_text(kind.choices.get(name, {}), str(v), lang) for v in values)


def _input(kind: RecordKind, field: FormField, name: str, value: str, lang: str) -> dict[str, Any]:
    return {
        "name": name,
        "id": name.replace("[", "-").replace("].", "-"),
        "kind": "unit" if field.name.endswith("unit_code") else field.kind,
        "required": field.required,
        "label": pick_text(FIELDS, field.name, lang),
        "options": [(o, _shown(kind, field.name, o, lang)) for o in field.options],
        "value": value,
    }


def _form(
    request: Request,
    reader: Principal,
    kind: RecordKind,
    step: str | None,
    lang: str,
    version: int | None,
    typed: dict[str, str] | None = None,
) -> dict[str, Any]:
    fields = step_fields(request, kind, step)
    shown = []
    for field in fields:
        one = _input(kind, field, field.name, (typed or {}).get(field.name, ""), lang)
        if field.kind == "rows":
            one["rows"] = [
                [
                    _input(
                        kind,
                        column,
                        f"{field.name}[{i}].{column.name}",
                        row.get(column.name, ""),
                        lang,
                    )
                    for column in field.columns
                ]
                for i, row in enumerate(shown_rows(field, typed or {}))
            ]
        shown.append(one)
    record_date = next((f.name for f in fields if f.kind == "date"), None)
    with_units = any(f.name.endswith("unit_code") for g in fields for f in (g, *g.columns))
    on = record_day((typed or {}).get(record_date or ""))
    return {
        "step": step or "new",
        "record_date": record_date,
        "units": unit_options(reader, request.app.state.catalog, on) if with_units else [],
        "title": pick_text(kind.steps, step, lang) if step else pick_text(WORK_UI, "new", lang),
        "key": uuid4().hex,  # this showing's: sent twice, it makes one event
        "version": version,
        "fields": shown,
        "errors": {},
        "open": typed is not None,
    }


def _moment(text: str | None) -> str:
    """A recorded moment as Vietnam reads it: 07/12/2026 15:06."""
    if not text:
        return ""
    return datetime.fromisoformat(text).astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M")


def _timeline(kind: RecordKind, history: Answer, lang: str) -> list[dict[str, Any]]:
    items = history.body.get("items", []) if history.ok and history.body else []
    timeline = []
    for item in items:
        event = item["type"].rsplit(".", 1)[-1]
        data = {k: v for k, v in item["data"].items() if k not in ("actor", "deadlines")}
        actor = item["data"].get("actor") or {}
        timeline.append(
            {
                "what": pick_text(kind.events, event, lang),
                "when": _moment(item.get("recorded_at")),
                "who": actor.get("id") if isinstance(actor.get("id"), str) else actor.get("role"),
                "details": [
                    (pick_text(FIELDS, k, lang), _shown(kind, k, v, lang))
                    for k, v in data.items()
                    if k in FIELDS and k not in kind.facts and v not in (None, "", [])
                ],
            }
        )
    return timeline


def _link(kind: RecordKind, record_id: UUID, **params: str) -> str:
    query = {k: v for k, v in params.items() if not (k == "lang" and v == "vi")}
    path = f"/dashboard/{kind.slug}/{record_id}"
    return path + (f"?{urlencode(query)}" if query else "")


def _templates(
    request: Request, kind: RecordKind, record_id: UUID, step: str, lang: str
) -> list[dict[str, Any]]:
    """The texts a step's form may start from (a kiến nghị's answer templates), each a link that
    shows the form filled with it (?template=key)."""
    if step not in kind.templates:
        return []
    path = f"/{kind.slug}/{record_id}/{kind.templates[step][0]}"
    listed = read(request, kind.service, path, lang)
    chosen = request.query_params.get("template")
    return [
        {
            "title": template["title"][lang],
            "text": template["text"][lang],
            "href": _link(kind, record_id, template=template["key"], lang=lang) + f"#step-{step}",
            "chosen": template["key"] == chosen,
        }
        for template in (listed.body if listed.ok and isinstance(listed.body, list) else [])
    ]


def record_page(
    request: Request,
    reader: Principal,
    kind: RecordKind,
    record_id: UUID,
    *,
    failed: dict[str, Any] | None = None,
    status: int = 200,
) -> Response:
    lang = lang_of(request)
    record = read(request, kind.service, f"/{kind.slug}/{record_id}", lang)
    if not record.ok:
        return error_page(request, record.status if record.status in (403, 404) else 502)
    view = record.body
    history = read(request, kind.service, f"/{kind.slug}/{record_id}/history", lang)
    forms = []
    for step in view.get("next_steps", []):
        typed = failed["typed"] if failed and failed["step"] == step else None
        templates = _templates(request, kind, record_id, step, lang)
        chosen = next((t for t in templates if t["chosen"]), None)
        if typed is None and chosen:
            typed = {kind.templates[step][1]: chosen["text"]}
        form = _form(request, reader, kind, step, lang, view["version"], typed)
        form["templates"] = templates
        if failed and failed["step"] == step:
            form["errors"] = failed["errors"]
        forms.append(form)
    done = request.query_params.get("done")
    context = {
        **words(lang),
        "title": " ".join(filter(None, (pick(kind.title, lang), kind.heading(view)))),
        "w": lambda key, **params: pick_text(WORK_UI, key, lang).format(**params),
        "reader": describe(reader, request.app.state.catalog, lang),
        "switch_language": _link(kind, record_id, lang="vi" if lang == "en" else "en"),
        "facts": [
            (name, pick_text(FIELDS, name, lang), _shown(kind, name, view[name], lang))
            for name in kind.facts
            if view.get(name) not in (None, "", [])
        ],
        "timeline": _timeline(kind, history, lang),
        "forms": forms,
        "failed": failed,
        "done": (
            pick_text(WORK_UI, "new", lang)
            if done == "new"
            else pick_text(kind.steps, done, lang)
            if done and done in kind.steps
            else None
        ),
        "action_base": f"/dashboard/{kind.slug}/{record_id}",
        "lang_query": "?lang=en" if lang == "en" else "",
    }
    return render(request, "record.html", context, status)


async def sent_form(
    request: Request, kind: RecordKind, step: str | None, path: str
) -> tuple[Answer, dict[str, Any]]:
    """The posted form sent to the write API as its command; and, if refused, what the page
    shows again: what was typed, the API's errors by field, whether it was a conflict."""
    form = typed_form((await request.form()).multi_items())
    fields = step_fields(request, kind, step)
    answer = send(
        request,
        kind.service,
        path,
        command_body(fields, form),
        key=form.get("_key") or uuid4().hex,
        version=form.get("_version") if step else None,
        lang=lang_of(request),
    )
    error = answer.error
    return answer, {
        "step": step or "new",
        "typed": {k: v for k, v in form.items() if not k.startswith("_")},
        "errors": field_errors(error, fields) if answer.status in (400, 422) else {},
        "conflict": answer.status == 409 and error.get("code") == "stale_version",
        "message": error.get("message", ""),
    }


async def take_step(
    request: Request, reader: Principal, kind: RecordKind, record_id: UUID, step: str
) -> Response:
    if step not in kind.steps:
        return error_page(request, 404)
    if not same_origin(request):
        return error_page(request, 403)
    path = f"/{kind.slug}/{record_id}/{step}"
    answer, failed = await sent_form(request, kind, step, path)
    if answer.ok:
        return RedirectResponse(_link(kind, record_id, done=step, lang=lang_of(request)), 303)
    return record_page(request, reader, kind, record_id, failed=failed, status=answer.status)


def new_record_page(
    request: Request,
    reader: Principal,
    kind: RecordKind,
    *,
    failed: dict[str, Any] | None = None,
    status: int = 200,
) -> Response:
    lang = lang_of(request)
    form = _form(request, reader, kind, None, lang, None, failed["typed"] if failed else None)
    form["open"] = True
    if failed:
        form["errors"] = failed["errors"]
    catalog = request.app.state.catalog
    context = {
        **words(lang),
        "title": f"{pick_text(WORK_UI, 'new', lang)}: {pick(kind.title, lang)}",
        "w": lambda key, **params: pick_text(WORK_UI, key, lang).format(**params),
        "reader": describe(reader, catalog, lang),
        "switch_language": f"/dashboard/{kind.slug}/new" + ("" if lang == "en" else "?lang=en"),
        "facts": [],
        "timeline": None,
        "forms": [form],
        "failed": failed,
        "done": None,
        "action_base": f"/dashboard/{kind.slug}",
        "lang_query": "?lang=en" if lang == "en" else "",
    }
    return render(request, "record.html", context, status)


async def create_record(request: Request, reader: Principal, kind: RecordKind) -> Response:
    if not same_origin(request):
        return error_page(request, 403)
    answer, failed = await sent_form(request, kind, None, f"/{kind.slug}")
    if answer.ok:
        done = _link(kind, answer.body["id"], done="new", lang=lang_of(request))
        return RedirectResponse(done, 303)
    return new_record_page(request, reader, kind, failed=failed, status=answer.status)


def _routes(kind: RecordKind) -> None:
    @router.get(f"/{kind.slug}/new", summary=f"{kind.title[1]}: a new one")
    def new(request: Request, reader: Reader) -> Response:
        return new_record_page(request, reader, kind)

    @router.post(f"/{kind.slug}/new", summary=f"{kind.title[1]}: record a new one")
    async def create(request: Request, reader: Reader) -> Response:
        return await create_record(request, reader, kind)

    @router.get(f"/{kind.slug}/{{record_id}}", summary=f"{kind.title[1]}: work page")
    def page(request: Request, record_id: UUID, reader: Reader) -> Response:
        return record_page(request, reader, kind, record_id)

    if not kind.steps:  # conferred once (an award): a correction is a new record
        return

    @router.post(f"/{kind.slug}/{{record_id}}/{{step}}", summary=f"{kind.title[1]}: a step")
    async def step(request: Request, record_id: UUID, step: str, reader: Reader) -> Response:
        return await take_step(request, reader, kind, record_id, step)


for _kind in KINDS:
    _routes(_kind)
