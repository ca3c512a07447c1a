"""Admin units come from the maintained package, both structures and the mapping between them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from shared.units import Level, Structure, load_catalog


def test_the_legacy_snapshot_has_hanoi_as_it_stood_before_the_reform() -> None:
    catalog = load_catalog()
    hanoi = catalog.find("01", date(2024, 1, 1))
    assert hanoi is not None and hanoi.structure is Structure.LEGACY
    assert len(catalog.children(hanoi)) == 30
    assert len(catalog.communes_under(hanoi)) == 526


def test_the_2025_structure_has_34_provinces_and_3321_communes() -> None:
    catalog = load_catalog()
    units = [u for u in catalog if u.structure is Structure.V2025]
    assert sum(u.level is Level.PROVINCE for u in units) == 34
    assert sum(u.level is Level.COMMUNE for u in units) == 3321


def test_a_code_names_the_unit_in_force_on_the_records_date() -> None:
    catalog = load_catalog()
    before = catalog.find("00004", date(2025, 6, 30))
    after = catalog.find("00004", date(2025, 7, 1))
    assert before is not None and before.name == "Phường Trúc Bạch"
    assert after is not None and after.name == "Phường Ba Đình"
    assert catalog.find("001", date(2025, 7, 1)) is None  # districts are gone


def test_legacy_units_roll_up_onto_2025_units() -> None:
    catalog = load_catalog()
    truc_bach = catalog.get(Structure.LEGACY, "00004")
    assert truc_bach is not None
    rolled = catalog.in_2025(truc_bach)
    assert rolled is not None and rolled.name == "Phường Ba Đình"
    hai_duong = catalog.get(Structure.LEGACY, "30")
    assert hai_duong is not None
    merged = catalog.in_2025(hai_duong)
    assert merged is not None and merged.name == "Thành phố Hải Phòng"
    every_legacy_commune = [
        u for u in catalog if u.structure is Structure.LEGACY and u.level is Level.COMMUNE
    ]
    assert all(catalog.in_2025(u) is not None for u in every_legacy_commune)


def test_older_units_are_added_as_data(tmp_path: Path) -> None:
    extra = tmp_path / "units.csv"
    extra.write_text(
        "structure,code,name,kind,level,parent_code,valid_from,valid_to,successor_keys\n"
        "legacy,09999,Xã Cũ,Xã,commune,001,,2019-12-31,legacy:00004\n",
        encoding="utf-8",
    )
    catalog = load_catalog(extra)
    old = catalog.find("09999", date(2019, 6, 1))
    assert old is not None and old.district_code == "001" and old.province_code == "01"
    assert catalog.find("09999", date(2020, 6, 1)) is None
    rolled = catalog.in_2025(old)
    assert rolled is not None and rolled.name == "Phường Ba Đình"
