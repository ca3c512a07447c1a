"""Administrative units as data: both structures, their validity dates and successors.

Loaded from the maintained `vietnamadminunits` package (the units as they stood on 30 June 2025
and the 2025 structure with the converter's mapping between them). Units merged away earlier,
or later reorganisations, are added as rows of an extra CSV file, not as code.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Annotated

import vietnamadminunits
from pydantic import Field
from vietnamadminunits.database import query
from vietnamadminunits.parser.utils import find_nearest_point

UnitCode = Annotated[
    str,
    Field(
        pattern=r"^(\d{2}|\d{3}|\d{5})$",
        description="Mã đơn vị hành chính (tỉnh 2 số, huyện 3 số, xã 5 số)",
        examples=["01", "001", "00004"],
    ),
]


class Structure(StrEnum):
    LEGACY = "legacy"  # three levels, in force until 30 June 2025
    V2025 = "2025"  # two levels, from 1 July 2025


class Level(StrEnum):
    PROVINCE = "province"
    DISTRICT = "district"
    COMMUNE = "commune"


LEGACY_END = date(2025, 6, 30)
REFORM_START = date(2025, 7, 1)


@dataclass(frozen=True, slots=True)
class Unit:
    structure: Structure
    code: str
    name: str
    kind: str
    level: Level
    parent_code: str | None
    province_code: str
    district_code: str | None
    valid_from: date | None
    valid_to: date | None
    successor_keys: tuple[str, ...] = field(default=())
    lat: float | None = None  # the package's centroid
    lon: float | None = None

    @property
    def key(self) -> str:
        """Unique across structures: 2025 codes reuse legacy codes for other units."""
        return f"{self.structure}:{self.code}"

    def is_valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


class UnitCatalog:
    """Every unit of every structure, looked up by code and the date a record was made."""

    def __init__(self, units: Iterable[Unit]) -> None:
        self._by_code: dict[str, list[Unit]] = defaultdict(list)
        self._by_key: dict[str, Unit] = {}
        self._children: dict[str, list[Unit]] = defaultdict(list)
        for unit in units:
            self._by_code[unit.code].append(unit)
            self._by_key[unit.key] = unit
        for unit in self._by_key.values():
            if unit.parent_code is not None:
                self._children[f"{unit.structure}:{unit.parent_code}"].append(unit)

    def __len__(self) -> int:
        return len(self._by_key)

    def __iter__(self) -> Iterator[Unit]:
        return iter(self._by_key.values())

    def find(self, code: str, on: date) -> Unit | None:
        """The unit that bore this code on that day, if any."""
        return next((u for u in self._by_code.get(code, ()) if u.is_valid_on(on)), None)

    def get(self, structure: Structure | str, code: str) -> Unit | None:
        return self._by_key.get(f"{structure}:{code}")

    def by_key(self, key: str) -> Unit | None:
        return self._by_key.get(key)

    def children(self, unit: Unit) -> list[Unit]:
        return self._children.get(unit.key, [])

    def communes_under(self, unit: Unit) -> list[Unit]:
        if unit.level is Level.COMMUNE:
            return [unit]
        return [c for child in self.children(unit) for c in self.communes_under(child)]

    def ancestors(self, unit: Unit) -> list[Unit]:
        chain: list[Unit] = []
        current = unit
        while current.parent_code is not None:
            parent = self.get(current.structure, current.parent_code)
            if parent is None:
                break
            chain.append(parent)
            current = parent
        return chain

    def nearest_commune(
        self, lat: float, lon: float, on: date, within: Unit | None = None
    ) -> Unit | None:
        """The commune in force on that day whose centroid is nearest the point."""
        candidates = (
            self.communes_under(within)
            if within is not None
            else [u for u in self if u.level is Level.COMMUNE and u.is_valid_on(on)]
        )
        located = {(u.lat, u.lon): u for u in candidates if u.lat is not None and u.lon is not None}
        if not located:
            return None
        return located[find_nearest_point((lat, lon), list(located))]

    def in_2025(self, unit: Unit) -> Unit | None:
        """The 2025 unit a record of this unit rolls up onto.

        A commune goes to its default successor (the package's choice where it was divided);
        a district-level record goes to the 2025 province, since districts are gone.
        """
        if unit.structure is Structure.V2025:
            return unit
        if unit.level is Level.DISTRICT:
            province = self.get(unit.structure, unit.province_code)
            return self.in_2025(province) if province is not None else None
        successor = self.by_key(unit.successor_keys[0]) if unit.successor_keys else None
        return self.in_2025(successor) if successor is not None else None


def _province_kind(name: str) -> str:
    return "Thành phố" if name.startswith("Thành phố") else "Tỉnh"


def _package_units() -> list[Unit]:
    data_dir = Path(vietnamadminunits.__file__).parent / "data"
    converter = json.loads((data_dir / "converter_2025.json").read_text(encoding="utf-8"))
    new_rows = query(
        "SELECT province, provinceCode, provinceKey, provinceLat, provinceLon, ward, wardType, "
        "wardCode, wardKey, wardLat, wardLon FROM admin_units"
    )
    new_ward_key = {
        (r["provinceKey"], r["wardKey"]): f"{Structure.V2025}:{r['wardCode']}" for r in new_rows
    }
    new_province_key = {
        r["provinceKey"]: f"{Structure.V2025}:{r['provinceCode']}" for r in new_rows
    }

    old_ward_successors: dict[str, list[str]] = defaultdict(list)
    for new_province, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_ward, old_keys in wards.items():
            for old_key in old_keys:
                old_ward_successors[old_key].append(new_ward_key[(new_province, new_ward)])
    for new_province, old_keys in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, parts in old_keys.items():
            ordered = sorted(parts, key=lambda p: not p["isDefaultNewWard"])
            old_ward_successors[old_key].extend(
                new_ward_key[(new_province, p["newWardKey"])] for p in ordered
            )
    old_province_successor = {
        old: new_province_key[new]
        for new, olds in converter["DICT_PROVINCE"].items()
        for old in olds
    }

    units: dict[str, Unit] = {}
    for r in new_rows:
        province = Unit(
            Structure.V2025,
            r["provinceCode"],
            r["province"],
            _province_kind(r["province"]),
            Level.PROVINCE,
            None,
            r["provinceCode"],
            None,
            REFORM_START,
            None,
            lat=r["provinceLat"],
            lon=r["provinceLon"],
        )
        units.setdefault(province.key, province)
        ward = Unit(
            Structure.V2025,
            r["wardCode"],
            r["ward"],
            r["wardType"],
            Level.COMMUNE,
            r["provinceCode"],
            r["provinceCode"],
            None,
            REFORM_START,
            None,
            lat=r["wardLat"],
            lon=r["wardLon"],
        )
        units[ward.key] = ward

    legacy_rows = query(
        "SELECT province, provinceCode, provinceKey, district, districtType, districtCode, "
        "districtKey, ward, wardType, wardCode, wardKey FROM admin_units_legacy"
    )
    district_successors: dict[str, list[str]] = defaultdict(list)
    for r in legacy_rows:
        p, d = r["provinceCode"], r["districtCode"]
        province = Unit(
            Structure.LEGACY,
            p,
            r["province"],
            _province_kind(r["province"]),
            Level.PROVINCE,
            None,
            p,
            None,
            None,
            LEGACY_END,
            (old_province_successor[r["provinceKey"]],),
        )
        units.setdefault(province.key, province)
        old_key = f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey'] or ''}"
        successors = tuple(old_ward_successors.get(old_key, ()))
        if successors and successors[0] not in district_successors[d]:
            district_successors[d].append(successors[0])
        if r["wardCode"] is not None:  # island districts have no communes: đặc khu since 2025
            ward = Unit(
                Structure.LEGACY,
                r["wardCode"],
                r["ward"],
                r["wardType"],
                Level.COMMUNE,
                d,
                p,
                d,
                None,
                LEGACY_END,
                successors,
            )
            units[ward.key] = ward
    for r in legacy_rows:
        d = r["districtCode"]
        district = Unit(
            Structure.LEGACY,
            d,
            r["district"],
            r["districtType"],
            Level.DISTRICT,
            r["provinceCode"],
            r["provinceCode"],
            d,
            None,
            LEGACY_END,
            tuple(district_successors[d]),
        )
        units.setdefault(district.key, district)
    return list(units.values())


EXTRA_COLUMNS = (
    "structure",
    "code",
    "name",
    "kind",
    "level",
    "parent_code",
    "valid_from",
    "valid_to",
    "successor_keys",
)


def _extra_units(path: Path, known: dict[str, Unit]) -> Iterator[Unit]:
    """Rows of a CSV with EXTRA_COLUMNS; successor_keys is a space-separated list of keys."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle)
        missing = [c for c in EXTRA_COLUMNS if c not in (rows.fieldnames or ())]
        if missing:
            raise ValueError(f"{path}: columns missing: {', '.join(missing)}")
        for row in rows:
            structure = Structure(row["structure"])
            level = Level(row["level"])
            parent = known.get(f"{structure}:{row['parent_code']}") if row["parent_code"] else None
            unit = Unit(
                structure,
                row["code"],
                row["name"],
                row["kind"],
                level,
                row["parent_code"] or None,
                parent.province_code if parent else row["code"],
                row["code"]
                if level is Level.DISTRICT
                else (parent.district_code if parent else None),
                date.fromisoformat(row["valid_from"]) if row["valid_from"] else None,
                date.fromisoformat(row["valid_to"]) if row["valid_to"] else None,
                tuple(row["successor_keys"].split()),
            )
            known[unit.key] = unit
            yield unit


@lru_cache(maxsize=4)
def load_catalog(extra_units_file: Path | None = None) -> UnitCatalog:
    units = _package_units()
    if extra_units_file is not None:
        known = {u.key: u for u in units}
        units.extend(_extra_units(extra_units_file, known))
    return UnitCatalog(units)
