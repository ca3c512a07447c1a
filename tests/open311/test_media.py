"""media_url is a signed, expiring link to the request's media, checked where it is served."""

from __future__ import annotations

import stat
from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlsplit
from uuid import UUID

from fastapi.testclient import TestClient

from services.dialogue.open311 import media
from shared.principal import Principal, Role
from shared.settings import Settings
from shared.vietnam_time import VIETNAM
from tests.citizens.test_app_journey import PNG, upload
from tests.citizens.test_app_journey import submit as submit_in_app
from tests.helpers import app_of
from tests.open311.helpers import PERSONAL, errors, one_request, submitted


def link_of(dialogue: TestClient, request_id: str, **params: str) -> str:
    url: str = one_request(dialogue, request_id, **params)["media_url"]
    assert url.startswith("http://testserver/open311/v2/media/"), url
    return url.removeprefix("http://testserver")


def test_the_link_leads_to_the_media_the_reporter_gave(dialogue: TestClient) -> None:
    request_id = submitted(dialogue, publish_location_and_media="true")

    served = dialogue.get(link_of(dialogue, request_id), follow_redirects=False)
    assert served.status_code == 307
    assert served.headers["location"] == PERSONAL["media_url"]
    assert served.headers["cache-control"] == "private, no-store"
    assert served.headers["referrer-policy"] == "no-referrer"
    query = parse_qs(urlsplit(link_of(dialogue, request_id)).query)
    expires = datetime.fromtimestamp(int(query["expires"][0]), VIETNAM)
    now = datetime.now(VIETNAM)
    assert now + timedelta(minutes=59) < expires <= now + timedelta(minutes=76)


def test_the_link_serves_an_app_attachment_to_those_who_may_see_it(dialogue: TestClient) -> None:
    photo = upload(dialogue).json()["sha256"]
    request_id = submit_in_app(dialogue, attachments=[photo])["id"]

    assert one_request(dialogue, request_id)["media_url"] is None  # the public: no media
    assert one_request(dialogue, request_id, api_key="token-officer_hcm")["media_url"] is None
    served = dialogue.get(link_of(dialogue, request_id, api_key="token-officer"))
    assert served.status_code == 200
    assert (served.content, served.headers["content-type"]) == (PNG, "image/png")
    assert dialogue.get(link_of(dialogue, request_id, api_key="token-citizen")).content == PNG


def test_tampered_or_expired_links_are_refused(dialogue: TestClient, settings: Settings) -> None:
    request_id = submitted(dialogue, publish_location_and_media="true")
    other_id = submitted(dialogue, publish_location_and_media="true")
    link = link_of(dialogue, request_id)
    signature = parse_qs(urlsplit(link).query)["signature"][0]

    tampered = link.replace(signature, ("0" if signature[0] != "0" else "1") + signature[1:])
    assert errors(dialogue.get(tampered), 403)[0].startswith("signature: ")
    assert errors(dialogue.get(link.replace(request_id, other_id)), 403)
    later = link.replace("expires=", "expires=1")  # another expiry, the same signature
    assert errors(dialogue.get(later), 403)
    assert errors(dialogue.get(link.replace(signature, "ngũ")), 403)
    key = (settings.data_dir / media.KEY_NAME).read_bytes()
    past = int((datetime.now(VIETNAM) - timedelta(seconds=1)).timestamp())
    expired = media.signed_path(key, request_id, past)
    assert errors(dialogue.get(expired), 403)[0].startswith("expires: ")
    assert errors(dialogue.get(link.partition("?")[0]), 400)  # no signature at all
    assert dialogue.get(link, follow_redirects=False).status_code == 307  # the real one works


def test_the_key_is_private_and_an_erasure_ends_the_media(
    dialogue: TestClient, settings: Settings
) -> None:
    request_id = submitted(dialogue, publish_location_and_media="true")
    link = link_of(dialogue, request_id)

    mode = (settings.data_dir / media.KEY_NAME).stat().st_mode
    assert stat.S_IMODE(mode) == 0o600
    dialogues = app_of(dialogue).state.dialogues
    dialogues.erase_data_subject(
        subject=None,
        kien_nghi_id=UUID(request_id),
        reason="Người dân yêu cầu xóa",
        actor=Principal("admin-1", Role.ADMIN),
    )
    assert errors(dialogue.get(link), 404)
    assert one_request(dialogue, request_id, api_key="token-admin")["media_url"] is None
