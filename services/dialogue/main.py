"""Composition root of the dialogue service (uvicorn services.dialogue.main:create_app --factory).

By convention it listens on port 8002.
"""

from __future__ import annotations

from fastapi import FastAPI
from sqlalchemy import create_engine

from services.dialogue import api, app_api, open311, rules_api
from services.dialogue.application import Dialogues
from services.dialogue.attachments import AttachmentStore
from services.dialogue.escalation import EscalationProcess
from services.dialogue.handling_rules import default_handling
from services.dialogue.read_side import read_side_client
from shared.personal_data import PersonalDataVault
from shared.settings import Settings
from shared.store_setup import made, made_event_store
from shared.units import load_catalog
from shared.write_service import write_service_app


def build_dialogues(settings: Settings) -> Dialogues:
    """The application with its store and the vault of personal-data keys."""
    keys = made(settings, settings.personal_data_keys())
    vault = PersonalDataVault(
        create_engine(keys.url, connect_args=keys.connect_args, pool_pre_ping=True)
    )
    return Dialogues(
        env=made_event_store(settings, "dialogue"),
        catalog=load_catalog(settings.extra_units_file),
        vault=vault,
        reopen_days=settings.reopen_days,
        handling=default_handling(settings.handling_rules_file, settings.working_hours),
    )


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    dialogues = build_dialogues(settings)
    read_side = read_side_client(settings)

    escalation = EscalationProcess(
        dialogues, lambda: app.state.read_side, settings.escalation_interval
    )

    def close() -> None:
        escalation.stop()
        read_side.close()
        dialogues.vault.engine.dispose()

    app = write_service_app("dialogue", settings, dialogues, close)
    app.state.dialogues = dialogues
    app.state.read_side = read_side
    app.state.escalation = escalation
    escalation.start()
    app.state.attachments = AttachmentStore(
        settings.attachments_url or str(settings.data_dir.resolve() / "attachments"),
        dialogues.vault,
        settings.max_attachment_bytes,
    )
    for router in (*api.routers, rules_api.router, app_api.app, app_api.privacy, open311.router):
        app.include_router(router)
    return app
