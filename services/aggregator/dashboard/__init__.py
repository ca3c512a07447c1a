"""The web dashboard: server-rendered pages over the report engine, under /dashboard."""

from __future__ import annotations

from fastapi import APIRouter

from services.aggregator.dashboard import (
    downloads,
    imports,
    inbox_page,
    login,
    record_pages,
    routes,
    static,
    unit_picker,
)

router = APIRouter()
router.include_router(static.router)  # before the pages: /dashboard/{area} would match it
router.include_router(login.router)
router.include_router(downloads.router)
router.include_router(imports.router)  # before /dashboard/{area}
router.include_router(inbox_page.router)  # before /dashboard/{area}
router.include_router(unit_picker.router)  # before /dashboard/{area}
router.include_router(routes.router)
router.include_router(record_pages.router)  # after /dashboard/kien-nghi/overdue
router.include_router(routes.root)
