"""Import from Excel at scale (issue 21): 50,000 kiến nghị rows and a file of models through a
running system, embedded SQLite then PostgreSQL, in one run.

For each store the three services run under uvicorn as `danvan up` runs them (the aggregator
following the stores), the write rate limit raised for the run (the default, 1,200 writes a
minute per user, would hold 50,000 rows for 42 minutes: `docs/import.md`). Then, each file
with rows of its own (new records every time):
1. plain: the first --plain rows' commands POSTed one by one by a bare httpx client, each with
   its Idempotency-Key, no importer: rows/s, what the importer's rate is judged against;
2. `danvan import FILE --token` in a child process, from its start to its exit (reading and
   checking every row included): rows/s, and the child's peak RSS (its rusage);
3. (kiến nghị) the same size of file uploaded to the dashboard's /dashboard/import, its JSON
   status followed until done: rows/s, and the peak RSS (VmHWM) of the aggregator, which runs
   the import, and of the dialogue service, which writes it, before and after.
Printed: each rate, its ratio to the plain rate of the same run, peak RSS, the load average.

    .venv/bin/python -m bench.importing [--stores sqlite,postgres] [--rows 50000]
        [--models 10000] [--plain 3000]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from io import BytesIO
from pathlib import Path
from typing import Any

import httpx
from openpyxl import Workbook

from bench.spine import store_url
from services.importing.kinds import KIEN_NGHI, MODELS, Kind
from services.processes import ROOT, Service, running_system, service_env
from shared.auth import TokenStore
from shared.principal import Role
from shared.settings import Settings
from shared.units import Level, Structure, load_catalog
from testkit.databases import postgres_available

RESULTS = ROOT / "bench" / "results"
TOKEN = "bench-import-officer"  # an officer of Hà Nội: every row's unit is checked for scope
SERVICES_ENV = {"DANVAN_WRITE_RATE_LIMIT": "100000000/minute", "DANVAN_FOLLOWER_SOURCE": "stores"}
SOURCES = ["citizen_reception", "voter_meeting", "citizen_app", "other"]
CATEGORIES = ["land", "environment", "infrastructure", "social_policy", "urban_order"]


@dataclass
class Measured:
    store: str
    what: str
    rows: int
    seconds: float
    plain_rate: float
    importer_peak_mb: float  # the process that ran the import
    service_peak_mb: float  # the write service's, after
    load: float

    @property
    def rate(self) -> float:
        return self.rows / self.seconds


def hanoi_communes() -> list[str]:
    catalog = load_catalog()
    return sorted(
        u.code
        for u in catalog
        if u.structure is Structure.LEGACY and u.level is Level.COMMUNE and u.province_code == "01"
    )


def kien_nghi_rows(count: int, tag: str) -> Iterator[dict[str, Any]]:
    """Kiến nghị as the API takes them: Hà Nội's communes, 2024, a content of their own."""
    communes = hanoi_communes()
    for n in range(count):
        yield {
            "source": SOURCES[n % len(SOURCES)],
            "unit_code": communes[n % len(communes)],
            "category": CATEGORIES[n % len(CATEGORIES)],
            "content": f"Kiến nghị {tag} số {n}: đề nghị sửa đường, lắp đèn ngõ {n % 97}",
            "received_on": (date(2024, 1, 2) + timedelta(days=n % 360)).isoformat(),
        }


def model_rows(count: int, tag: str) -> Iterator[dict[str, Any]]:
    communes = hanoi_communes()
    fields = ["new_rural", "economy", "environment", "digital_transformation"]
    for n in range(count):
        yield {
            "title": f"Mô hình Dân vận khéo {tag} số {n}",
            "description": "Vận động nhân dân cùng làm",
            "unit_code": communes[n % len(communes)],
            "body": "Hội Liên hiệp Phụ nữ",
            "sector": "front_and_unions",
            "fields": [fields[n % len(fields)]],
            "year": 2015 + n % 9,
            "registered_on": f"{2015 + n % 9}-03-01",
        }


def workbook(kind: Kind, rows: Iterator[dict[str, Any]]) -> bytes:
    """The rows as a user fills the template: codes in the cells (names work as well)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = kind.vi
    cells = kind.cells
    sheet.append([c.title("vi") for c in cells])
    sheet.append([c.title("en") for c in cells])
    for row in rows:
        values = []
        for cell in cells:
            value = row.get(cell.column.field)
            if cell.index is not None:  # a list of codes, an item a cell
                value = value[cell.index] if value and cell.index < len(value) else None
            values.append(value)
        sheet.append(values)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def peak_rss_mb(service: Service) -> float:
    assert service.process is not None
    for line in Path(f"/proc/{service.process.pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def plain_rate(service: Service, path: str, rows: Iterator[dict[str, Any]]) -> float:
    """The commands sent one by one, each with its key: what a client does without us."""
    headers = {"Authorization": f"Bearer {TOKEN}"}
    with httpx.Client(base_url=service.url, headers=headers, timeout=60) as client:
        started, sent = time.perf_counter(), 0
        for n, body in enumerate(rows):
            answer = client.post(path, json=body, headers={"Idempotency-Key": f"plain-{n}"})
            assert answer.status_code == 201, answer.text
            sent += 1
        return sent / (time.perf_counter() - started)


def command_line(
    settings: Settings, registry: Service, dialogue: Service, file: Path, log: Path
) -> tuple[float, float]:
    """`danvan import FILE`: seconds to its exit and its peak RSS (MB)."""
    env = service_env(settings, DANVAN_REGISTRY_URL=registry.url, DANVAN_DIALOGUE_URL=dialogue.url)
    started = time.perf_counter()
    with log.open("w") as out:
        child = subprocess.Popen(
            [sys.executable, "-m", "services.cli", "import", str(file), "--token", TOKEN],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.DEVNULL,
        )
        _, status, usage = os.wait4(child.pid, 0)  # reaped here, for its rusage
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"danvan import failed: {log.read_text()[-3000:]}")
    return seconds, usage.ru_maxrss / 1024


def dashboard(aggregator: Service, data: bytes) -> float:
    """Uploaded to /dashboard/import, followed on its JSON status: seconds until done."""
    headers = {"Authorization": f"Bearer {TOKEN}"}
    with httpx.Client(base_url=aggregator.url, headers=headers, timeout=120) as client:
        started = time.perf_counter()
        answer = client.post(
            "/dashboard/import", files={"file": ("bench.xlsx", data)}, follow_redirects=False
        )
        assert answer.status_code == 303, answer.text
        job = answer.headers["location"]
        while True:
            status = client.get(f"{job}/status").json()
            if status["finished"]:
                break
            time.sleep(1)
        seconds = time.perf_counter() - started
    if status["phase"] != "done" or status["refused"]:
        raise SystemExit(f"the dashboard's import did not finish well: {status}")
    return seconds


@contextmanager
def system(store: str, work: Path) -> Iterator[tuple[Settings, Service, Service, Service]]:
    with store_url(store) as url:
        data_dir = work / store
        data_dir.mkdir(parents=True)
        settings = Settings(_env_file=None, data_dir=data_dir, database_url=url)
        tokens = TokenStore(settings.token_path)
        tokens.issue("bench-import", Role.OFFICER, ["01"], token=TOKEN)
        tokens.issue("bench-auditor", Role.AUDITOR, [], token="bench-import-auditor")
        settings = settings.model_copy(update={"upstream_token": "bench-import-auditor"})
        with running_system(settings, data_dir, env=SERVICES_ENV) as services:
            yield (settings, *services)


def measure(store: str, args: argparse.Namespace, work: Path) -> list[Measured]:
    measured = []
    with system(store, work) as (settings, registry, dialogue, aggregator):
        load = os.getloadavg
        kien_nghi_plain = plain_rate(dialogue, KIEN_NGHI.path, kien_nghi_rows(args.plain, "p"))
        models_plain = plain_rate(registry, MODELS.path, model_rows(args.plain, "p"))
        rates = f"kiến nghị {kien_nghi_plain:,.0f}/s, models {models_plain:,.0f}/s"
        print(f"{store}: plain POSTs one by one, {rates}")

        for kind, rows, service, plain in (
            (KIEN_NGHI, kien_nghi_rows(args.rows, "c"), dialogue, kien_nghi_plain),
            (MODELS, model_rows(args.models, "c"), registry, models_plain),
        ):
            count = args.rows if kind is KIEN_NGHI else args.models
            file = work / f"{store}-{kind.key}.xlsx"
            file.write_bytes(workbook(kind, rows))
            seconds, peak = command_line(
                settings, registry, dialogue, file, work / f"{file.stem}.log"
            )
            done = Measured(
                store, f"danvan import, {kind.key}", count, seconds, plain, peak,
                peak_rss_mb(service), load()[0],
            )  # fmt: skip
            measured.append(done)
            print(line(done), flush=True)

        data = workbook(KIEN_NGHI, kien_nghi_rows(args.rows, "d"))
        before = peak_rss_mb(aggregator)
        seconds = dashboard(aggregator, data)
        done = Measured(
            store, "dashboard, kien-nghi", args.rows, seconds, kien_nghi_plain,
            peak_rss_mb(aggregator), peak_rss_mb(dialogue), load()[0],
        )  # fmt: skip
        measured.append(done)
        print(f"{line(done)} (aggregator's peak before the upload {before:,.0f} MB)", flush=True)
    return measured


def line(m: Measured) -> str:
    return (
        f"{m.store:8} {m.what:26} {m.rows:>7,} rows {m.seconds:>6.0f} s {m.rate:>6,.0f} rows/s "
        f"ratio to plain {m.rate / m.plain_rate:.2f}  peak RSS importer {m.importer_peak_mb:,.0f} "
        f"MB, service {m.service_peak_mb:,.0f} MB  load {m.load:.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--stores", default="sqlite,postgres")
    parser.add_argument("--rows", type=int, default=50_000, help="kiến nghị rows per file")
    parser.add_argument("--models", type=int, default=10_000, help="rows of the models file")
    parser.add_argument("--plain", type=int, default=3_000, help="commands POSTed one by one")
    args = parser.parse_args()
    stores = [s for s in args.stores.split(",") if s != "postgres" or postgres_available()]
    print(f"load average {os.getloadavg()}, {os.cpu_count()} CPUs")
    started = datetime.now(UTC)
    results: list[Measured] = []
    with tempfile.TemporaryDirectory(prefix="danvan-bench-import-") as work:
        for store in stores:
            results += measure(store, args, Path(work))
    print("\n".join(["", *(line(m) for m in results)]))
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"importing-{started:%Y%m%dT%H%M%S}.json"
    out.write_text(json.dumps([asdict(m) | {"rate": m.rate} for m in results], indent=1))
    print(f"written to {out}")


if __name__ == "__main__":
    main()
