"""A template downloaded from the dashboard, filled in as people fill it (names picked from the
lists, dates typed or as Excel dates, a unit by its name), uploaded: every row becomes its
record, read back through the write services' API and the aggregator with the values given."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from io import BytesIO
from typing import Any

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from pydantic import BaseModel

from services.dialogue import vocabulary as dialogue_words
from services.dialogue.schemas import ReceiveKienNghi, ScheduleDialogue, StartSupervision
from services.dialogue.vocabulary import (
    DialogueKind,
    HostBody,
    KienNghiCategory,
    KienNghiSource,
    SupervisionBody,
    SupervisionKind,
)
from services.registry.schemas import RegisterModel
from services.registry.vocabulary import FIELD_NAMES_VI as FIELDS
from services.registry.vocabulary import SECTOR_NAMES_VI as SECTORS
from services.registry.vocabulary import ModelField, Sector
from tests.helpers import catch_up
from tests.importing.helpers import download_template, filled, upload

# the names the lists offer, by code
HOSTS, KINDS = dialogue_words.HOST_BODY_NAMES_VI, dialogue_words.DIALOGUE_KIND_NAMES_VI
BODIES, ACTIVITIES = (
    dialogue_words.SUPERVISION_BODY_NAMES_VI,
    dialogue_words.SUPERVISION_KIND_NAMES_VI,
)
SOURCES, CATEGORIES = (
    dialogue_words.KIEN_NGHI_SOURCE_NAMES_VI,
    dialogue_words.KIEN_NGHI_CATEGORY_NAMES_VI,
)


def test_a_filled_template_becomes_records_with_the_values_given(
    aggregator: TestClient, registry: TestClient, dialogue: TestClient
) -> None:
    template = download_template(aggregator, "all")
    models: list[list[Any]] = [
        ["Dân vận khéo trong hiến đất làm đường", "Vận động hiến đất", "00004",
         "Hội LHPN phường Trúc Bạch", SECTORS[Sector.FRONT_AND_UNIONS],
         FIELDS[ModelField.NEW_RURAL], FIELDS[ModelField.ECONOMY], None, 2021, "01/03/2021"],
        ["Tổ dân phố không rác thải nhựa", None, "Phường Trúc Bạch, Quận Ba Đình",
         "Đoàn Thanh niên phường", SECTORS[Sector.STATE], None, FIELDS[ModelField.ENVIRONMENT],
         None, 2022, datetime(2022, 4, 5)],
    ]  # fmt: skip
    dialogues: list[list[Any]] = [
        ["001", HOSTS[HostBody.PARTY_COMMITTEE], "Bí thư Quận ủy", KINDS[DialogueKind.THEMATIC],
         "Đối thoại về giải phóng mặt bằng", "giải phóng mặt bằng; trật tự đô thị", "2024-03-01"],
        ["00004", HOSTS[HostBody.GOVERNMENT], "Chủ tịch UBND phường", KINDS[DialogueKind.PERIODIC],
         "Đối thoại định kỳ quý I", None, "2024-03-20", "22/03/2024", 95, "Tiếp thu 8 ý kiến"],
        ["00004", HOSTS[HostBody.GOVERNMENT], "Chủ tịch UBND phường", KINDS[DialogueKind.PERIODIC],
         "Đối thoại định kỳ quý II", None, "2024-06-20", None, 60],
    ]  # fmt: skip
    supervisions: list[list[Any]] = [
        ["00004", BODIES[SupervisionBody.PEOPLE_INSPECTION_BOARD],
         ACTIVITIES[SupervisionKind.INSPECTION_CASE], "Thu chi quỹ tổ dân phố số 5",
         "Vụ việc thu chi quỹ", "2024-04-01"],
    ]  # fmt: skip
    kien_nghi: list[list[Any]] = [
        [SOURCES[KienNghiSource.CITIZEN_RECEPTION], None, "00004",
         CATEGORIES[KienNghiCategory.LAND], "Tranh chấp ranh giới đất", "2024-05-02"],
        [SOURCES[KienNghiSource.VOTER_MEETING], None, "Quận Ba Đình",
         CATEGORIES[KienNghiCategory.ENVIRONMENT], "Rác thải ở ngõ 5", "2024-05-03"],
    ]  # fmt: skip
    sheets = {"Mô hình": models, "Đối thoại": dialogues, "Giám sát": supervisions}
    workbook = filled(template, {**sheets, "Kiến nghị": kien_nghi})

    status = upload(aggregator, workbook)

    progress = status.progress
    assert (progress.phase, progress.problems) == ("done", [])
    assert progress.written == progress.checked == 8
    ids = {(r.sheet, r.row): r.id for r in progress.records}

    model = registry.get(f"/models/{ids['Mô hình', 3]}").json()
    assert (model["title"], model["description"], model["unit_code"]) == (*models[0][:2], "00004")
    assert (model["body"], model["sector"]) == (models[0][3], Sector.FRONT_AND_UNIONS)
    assert model["fields"] == [ModelField.NEW_RURAL, ModelField.ECONOMY]
    assert (model["year"], model["registered_on"]) == (2021, "2021-03-01")
    named = registry.get(f"/models/{ids['Mô hình', 4]}").json()
    assert (named["unit_code"], named["registered_on"]) == ("00004", "2022-04-05")  # by its name
    assert named["fields"] == [ModelField.ENVIRONMENT]  # from the second of the three cells
    assert named["description"] == ""  # left empty: the API's default

    held = dialogue.get(f"/dialogues/{ids['Đối thoại', 3]}").json()
    assert (held["host_body"], held["kind"]) == (HostBody.PARTY_COMMITTEE, DialogueKind.THEMATIC)
    assert held["topics"] == ["giải phóng mặt bằng", "trật tự đô thị"]
    assert (held["unit_code"], held["scheduled_on"]) == ("001", "2024-03-01")
    assert held["status"] == "scheduled"  # no holding given
    first_quarter = dialogue.get(f"/dialogues/{ids['Đối thoại', 4]}").json()
    assert (first_quarter["status"], first_quarter["held_on"]) == ("held", "2024-03-22")
    assert (first_quarter["participants"], first_quarter["summary"]) == (95, "Tiếp thu 8 ý kiến")
    second_quarter = dialogue.get(f"/dialogues/{ids['Đối thoại', 5]}").json()
    assert (second_quarter["status"], second_quarter["held_on"]) == ("held", "2024-06-20")

    supervision = dialogue.get(f"/supervisions/{ids['Giám sát', 3]}").json()
    assert supervision["body"] == SupervisionBody.PEOPLE_INSPECTION_BOARD
    assert supervision["kind"] == SupervisionKind.INSPECTION_CASE
    assert (supervision["subject"], supervision["started_on"]) == (supervisions[0][3], "2024-04-01")

    catch_up(aggregator)  # and the read side has them
    wanted = {"id": [ids["Kiến nghị", 3], ids["Kiến nghị", 4]]}
    listed = {k["id"]: k for k in aggregator.get("/kien-nghi", params=wanted).json()["items"]}
    first, second = listed[ids["Kiến nghị", 3]], listed[ids["Kiến nghị", 4]]
    assert (first["source"], first["category"]) == (
        KienNghiSource.CITIZEN_RECEPTION,
        KienNghiCategory.LAND,
    )
    assert (second["unit_code"], second["received_on"]) == ("001", "2024-05-03")


LISTS: dict[tuple[str, str], tuple[type[BaseModel], str, Mapping[Any, str]]] = {
    ("Mô hình", "Khối"): (RegisterModel, "sector", SECTORS),
    ("Mô hình", "Lĩnh vực 1"): (RegisterModel, "fields", FIELDS),
    ("Mô hình", "Lĩnh vực 3"): (RegisterModel, "fields", FIELDS),
    ("Đối thoại", "Chủ trì thuộc"): (ScheduleDialogue, "host_body", HOSTS),
    ("Đối thoại", "Hình thức"): (ScheduleDialogue, "kind", KINDS),
    ("Giám sát", "Chủ thể giám sát"): (StartSupervision, "body", BODIES),
    ("Giám sát", "Loại hoạt động"): (StartSupervision, "kind", ACTIVITIES),
    ("Kiến nghị", "Nguồn"): (ReceiveKienNghi, "source", SOURCES),
    ("Kiến nghị", "Lĩnh vực"): (ReceiveKienNghi, "category", CATEGORIES),
}


def test_each_list_offers_a_name_for_every_value_its_api_accepts(aggregator: TestClient) -> None:
    """The lists of a template against the request models' own JSON schema (kiến nghị of
    supervision findings are opened by the finding, never received: not offered)."""
    book = load_workbook(BytesIO(download_template(aggregator, "all")))
    lists = book["Danh mục"]
    assert lists.sheet_state == "hidden"
    for (title, header), (model, field, names) in LISTS.items():
        sheet = book[title]
        letter = next(
            get_column_letter(n)
            for n, c in enumerate(sheet[1], 1)
            if str(c.value).rstrip(" *") == header
        )
        (validation,) = [
            v for v in sheet.data_validations.dataValidation if f"{letter}3" in str(v.sqref)
        ]
        cells = lists[validation.formula1.split("!")[1].replace("$", "")]
        by_name = {name: str(code) for code, name in names.items()}
        offered = {by_name[cell.value] for (cell,) in cells}
        assert offered == set(accepted_codes(model, field)) - {"supervision_finding"}, header


def accepted_codes(model: type[BaseModel], field: str) -> list[str]:
    schema = model.model_json_schema()
    found = schema["properties"][field]
    found = found.get("items", found)
    ref = found.get("$ref") or found["allOf"][0]["$ref"]
    enum: list[str] = schema["$defs"][ref.split("/")[-1]]["enum"]
    return enum
