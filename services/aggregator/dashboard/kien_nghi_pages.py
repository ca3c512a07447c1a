"""A kiến nghị's work page: the record as the dialogue API shows its reader, its timeline from
its events, and a form for each step its state allows (`next_steps`); each form's command goes
to the dialogue API as the signed-in user (services.aggregator.dashboard.commands).

A refused command shows the API's own message: beside the field it names, or, for a 409, above
the record's newer state with what was typed kept and the newer version, to record again. Each
form carries an Idempotency-Key made when it is shown, so a double click or a form sent again
makes one event."""

from __future__ import annotations

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
)
from services.aggregator.dashboard.login import same_origin
from services.aggregator.dashboard.pages import describe, error_page, render, words
from services.aggregator.dashboard.work_text import EVENTS, FIELDS, STEPS, WORK_UI
from services.aggregator.rendering import codes
from shared.principal import Principal

router = APIRouter(
    prefix="/dashboard/kien-nghi",
    tags=["dashboard"],
    include_in_schema=False,
    route_class=DashboardRoute,
)
STEP_PATH = "/kien-nghi/{kien_nghi_id}/{step}"
CHOICES = {
    "priority": codes.KIEN_NGHI_PRIORITIES,
    "category": codes.KIEN_NGHI_CATEGORIES,
}


def step_fields(request: Request, step: str) -> list[FormField]:
    return command_form(openapi_of(request, "dialogue"), STEP_PATH.replace("{step}", step))


def _form(
    request: Request, step: str, lang: str, version: int, typed: dict[str, str] | None = None
) -> dict[str, Any]:
    fields = step_fields(request, step)
    return {
        "step": step,
        "title": pick_text(STEPS, step, lang),
        "key": uuid4().hex,  # this showing's: sent twice, it makes one event
        "version": version,
        "fields": [
            {
                "name": f.name,
                "kind": f.kind,
                "required": f.required,
                "label": pick_text(FIELDS, f.name, lang),
                "options": [(o, pick_text(CHOICES.get(f.name, {}), o, lang)) for o in f.options],
                "value": (typed or {}).get(f.name, ""),
            }
            for f in fields
        ],
        "errors": {},
        "open": typed is not None,
    }


def _timeline(history: Answer, lang: str) -> list[dict[str, Any]]:
    items = history.body.get("items", []) if history.ok and history.body else []
    timeline = []
    for item in items:
        event = item["type"].removeprefix("KienNghi.")
        data = {k: v for k, v in item["data"].items() if k not in ("actor", "deadlines")}
        actor = item["data"].get("actor") or {}
        timeline.append(
            {
                "what": pick_text(EVENTS, event, lang),
                "when": item.get("recorded_at", ""),
                "who": actor.get("id") if isinstance(actor.get("id"), str) else actor.get("role"),
                "details": [
                    (pick_text(FIELDS, k, lang), v)
                    for k, v in data.items()
                    if k in FIELDS and v not in (None, "", [])
                ],
            }
        )
    return timeline


def _page(
    request: Request,
    reader: Principal,
    kien_nghi_id: UUID,
    *,
    failed: dict[str, Any] | None = None,
    status: int = 200,
) -> Response:
    lang = lang_of(request)
    record = read(request, "dialogue", f"/kien-nghi/{kien_nghi_id}", lang)
    if not record.ok:
        return error_page(request, record.status if record.status in (403, 404) else 502)
    view = record.body
    history = read(request, "dialogue", f"/kien-nghi/{kien_nghi_id}/history", lang)
    forms = []
    for step in view.get("next_steps", []):
        typed = failed["typed"] if failed and failed["step"] == step else None
        form = _form(request, step, lang, view["version"], typed)
        if typed is not None and failed:
            form["errors"] = failed["errors"]
        forms.append(form)
    done = request.query_params.get("done")
    context = {
        **words(lang),
        "title": " ".join(
            filter(None, (pick_text(WORK_UI, "record_title", lang), view.get("tracking_code")))
        ),
        "w": lambda key, **params: pick_text(WORK_UI, key, lang).format(**params),
        "f": lambda name: pick_text(FIELDS, name, lang),
        "reader": describe(reader, request.app.state.catalog, lang),
        "switch_language": _link(request, kien_nghi_id, lang="vi" if lang == "en" else "en"),
        "record": view,
        "status": pick_text(codes.KIEN_NGHI_STATUSES, view["status"], lang),
        "category": pick_text(codes.KIEN_NGHI_CATEGORIES, view["category"], lang),
        "timeline": _timeline(history, lang),
        "forms": forms,
        "failed": failed,
        "done": pick_text(STEPS, done, lang) if done in STEPS else None,
        "action_base": f"/dashboard/kien-nghi/{kien_nghi_id}",
        "lang_query": "?lang=en" if lang == "en" else "",
    }
    return render(request, "kien_nghi.html", context, status)


def _link(request: Request, kien_nghi_id: UUID, **params: str) -> str:
    query = {k: v for k, v in params.items() if not (k == "lang" and v == "vi")}
    return f"/dashboard/kien-nghi/{kien_nghi_id}" + (f"?{urlencode(query)}" if query else "")


@router.get("/{kien_nghi_id}", summary="Kiến nghị: hồ sơ và xử lý / a kiến nghị's work page")
def kien_nghi_page(request: Request, kien_nghi_id: UUID, reader: Reader) -> Response:
    return _page(request, reader, kien_nghi_id)


@router.post("/{kien_nghi_id}/{step}", summary="Ghi nhận một bước / record a step")
async def take_step(request: Request, kien_nghi_id: UUID, step: str, reader: Reader) -> Response:
    lang = lang_of(request)
    if step not in STEPS:
        return error_page(request, 404)
    if not same_origin(request):
        return error_page(request, 403)
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    fields = step_fields(request, step)
    answer = send(
        request,
        "dialogue",
        f"/kien-nghi/{kien_nghi_id}/{step}",
        command_body(fields, form),
        key=form.get("_key") or uuid4().hex,
        version=form.get("_version"),
        lang=lang,
    )
    if answer.ok:
        return RedirectResponse(_link(request, kien_nghi_id, done=step, lang=lang), 303)
    error = answer.error
    failed = {
        "step": step,
        "typed": {f.name: form.get(f.name, "") for f in fields},
        "errors": field_errors(error, fields) if answer.status in (400, 422) else {},
        "conflict": answer.status == 409 and error.get("code") == "stale_version",
        "message": error.get("message", ""),
    }
    return _page(request, reader, kien_nghi_id, failed=failed, status=answer.status)
