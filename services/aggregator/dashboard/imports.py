"""Import from Excel, on the dashboard: the templates to download, the upload, and a page that
follows the import running in the background (services.importing.jobs) until it shows what was
written, or every problem by row and column. The rows go to the write services as the signed-in
user, with the user's own credential: the same API, policy and scope as any other client."""

from __future__ import annotations

from itertools import groupby
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, Response, UploadFile
from fastapi.responses import JSONResponse, RedirectResponse

from services.aggregator.dashboard.access import DashboardRoute, Reader, lang_of
from services.aggregator.dashboard.login import same_origin
from services.aggregator.dashboard.pages import (
    SECURITY_HEADERS,
    describe,
    error_page,
    render,
    words,
)
from services.aggregator.dashboard.session import forwarded_credential
from services.aggregator.rendering.files import XLSX_MEDIA_TYPE
from services.importing.importer import Progress, Record
from services.importing.jobs import ImportJobs, JobStatus
from services.importing.kinds import KINDS
from services.importing.template import template
from shared.errors import Forbidden, Hidden, NotFound
from shared.policy import WRITE, permits
from shared.principal import Principal, Role

IMPORT_PATH = "/dashboard/import"
SHOWN_PROBLEMS = 1000  # in the page; the JSON status has them all
router = APIRouter(
    prefix=IMPORT_PATH, tags=["dashboard"], include_in_schema=False, route_class=DashboardRoute
)


def jobs_of(request: Request) -> ImportJobs:
    jobs: ImportJobs = request.app.state.import_jobs
    return jobs


def page(request: Request, reader: Principal, template_name: str, **context: Any) -> Response:
    lang = lang_of(request)
    query = "" if lang == "en" else "?lang=en"
    base = {
        **words(lang),
        "reader": describe(reader, request.app.state.catalog, lang),
        "switch_language": request.url.path + query,
        "home": "/dashboard" + ("?lang=en" if lang == "en" else ""),
        "suffix": "?lang=en" if lang == "en" else "",
    }
    return render(request, template_name, base | context)


@router.get("", summary="Nhập từ Excel / import from Excel")
def import_page(request: Request, reader: Reader) -> Response:
    lang = lang_of(request)
    kinds = [(k.key, k.title(lang)) for k in KINDS.values()]
    return page(request, reader, "import.html", title=words(lang)["t"]("import"), kinds=kinds)


@router.get("/templates/{kind}.xlsx", summary="Mẫu nhập liệu / a template")
def template_file(request: Request, reader: Reader, kind: str) -> Response:
    if kind != "all" and kind not in KINDS:
        return error_page(request, 404, "not_found", reader=reader)
    chosen = list(KINDS.values()) if kind == "all" else [KINDS[kind]]
    headers = {
        "Content-Disposition": f'attachment; filename="danvan-{kind}.xlsx"',
        **SECURITY_HEADERS,
    }
    return Response(template(chosen), media_type=XLSX_MEDIA_TYPE, headers=headers)


@router.post("", summary="Tải tệp lên / upload a workbook")
def upload(
    request: Request,
    reader: Reader,
    file: Annotated[UploadFile, File()],
    lang: Annotated[str | None, Form()] = None,
) -> Response:
    language = "en" if lang == "en" else "vi"
    if not same_origin(request):
        return error_page(request, 403, "forbidden", "forbidden", reader=reader)
    if not permits(WRITE, reader):  # as the write services would answer every row
        refused = Forbidden("forbidden_role", role=str(reader.role))
        return error_page(request, 403, exc=refused, reader=reader)
    credential = forwarded_credential(request)
    if credential is None:
        return error_page(request, 401, "forbidden", "no_credential", reader=reader)
    job_id = jobs_of(request).start(file.file.read(), credential, language, reader)
    suffix = "?lang=en" if language == "en" else ""
    return RedirectResponse(f"{IMPORT_PATH}/jobs/{job_id}{suffix}", 303)


def visible(request: Request, reader: Principal, job_id: str) -> JobStatus | Response:
    """A job, for the user who started it, auditors and admins; to anyone else the page of a
    job that does not exist (the refusal recorded for auditors, as for a hidden record)."""
    status = jobs_of(request).status(job_id)
    missing = NotFound("not_found")
    if status is None:
        return error_page(request, 404, exc=missing, reader=reader)
    if status.owner != reader.id and reader.role not in (Role.AUDITOR, Role.ADMIN):
        return error_page(request, 404, exc=Hidden(missing, job=job_id), reader=reader)
    return status


@router.get("/jobs/{job_id}", summary="Tiến trình nhập / an import's progress")
def job_page(request: Request, reader: Reader, job_id: str) -> Response:
    status = visible(request, reader, job_id)
    if isinstance(status, Response):
        return status
    lang = lang_of(request)
    progress = status.progress
    return page(
        request,
        reader,
        "import_job.html",
        title=words(lang)["t"]("import_job"),
        job=status_of(progress, lang),
        status_url=f"{IMPORT_PATH}/jobs/{job_id}/status",
        problems=progress.problems[:SHOWN_PROBLEMS],
        more=max(0, len(progress.problems) - SHOWN_PROBLEMS),
        written=written_rows(progress.records) if progress.refused else [],
    )


@router.get("/jobs/{job_id}/status", summary="Tiến trình nhập (JSON) / an import's progress")
def job_status(request: Request, reader: Reader, job_id: str) -> Response:
    status = visible(request, reader, job_id)
    if isinstance(status, Response):
        return status
    body = status_of(status.progress, lang_of(request))
    if status.progress.finished:
        body["problems"] = [vars(p) for p in status.progress.problems]
    if status.progress.finished and request.query_params.get("records") == "true":
        body["records"] = [vars(r) for r in status.progress.records]  # a line per row
    return JSONResponse(body, headers={"Cache-Control": "no-store", **SECURITY_HEADERS})


def status_of(progress: Progress, lang: str) -> dict[str, Any]:
    """What the progress bar shows: the phase, and how far it is through the rows."""
    writing = progress.phase in ("writing", "done", "stopped")
    done = progress.sent if writing else progress.checked
    return {
        "phase": progress.phase,
        "phase_name": words(lang)["t"](f"phase_{progress.phase}"),
        "finished": progress.finished,
        "total": progress.total,
        "done": done,
        "checked": progress.checked,
        "written": progress.written,
        "replayed": progress.replayed,
        "refused": progress.refused,
        "summary": progress.summary(lang) if progress.finished else None,
    }


def written_rows(records: list[Record]) -> list[tuple[str, str]]:
    """The rows written, by sheet, as ranges ("3–40, 42"): what stays written."""
    return [
        (sheet, ranges([r.row for r in rows]))
        for sheet, rows in groupby(records, key=lambda r: r.sheet)
    ]


def ranges(numbers: list[int]) -> str:
    runs = groupby(enumerate(numbers), key=lambda pair: pair[1] - pair[0])  # consecutive runs
    parts = []
    for _, run in runs:
        block = [number for _, number in run]
        parts.append(str(block[0]) if len(block) == 1 else f"{block[0]}–{block[-1]}")
    return ", ".join(parts)
