"""Writes a scenario's records through the applications' own commands, in bulk batches."""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate
from tqdm import tqdm

from services.dialogue.application import Dialogues, Holding
from services.registry.application import Registry
from services.registry.vocabulary import AwardKind, ModelField, RecognitionLevel, Sector
from services.scenarios.agencies import AGENCIES
from shared.application import Batch, ServiceApplication
from shared.errors import InvalidInput, RuleBroken
from shared.principal import Principal, Role
from shared.units import REFORM_START, Level, Structure, Unit, UnitCatalog
from shared.vietnam_time import VIETNAM

T = TypeVar("T")
LOADER = Principal("scenario-loader", Role.ADMIN, client="danvan scenario")
MONITORING_BODIES = (
    "mttq",
    "womens_union",
    "farmers_union",
    "youth_union",
    "veterans_union",
    "trade_union",
)
CATEGORIES = (
    "land",
    "environment",
    "infrastructure",
    "social_policy",
    "public_order",
    "administration",
    "urban_order",
    "other",
)


def scaled(count: int, scale: float) -> int:
    """A seed figure at the scenario's scale (the full scenario has scale 1)."""
    return round(count * scale)


@dataclass
class ScenarioWriter:
    registry: Registry
    dialogue: Dialogues
    catalog: UnitCatalog
    rng: random.Random
    progress: bool = True
    seed: int = 0  # the run's seed, for scenarios that derive their own generators from it
    batches: dict[str, Batch] = field(default_factory=dict)  # by service, while batched
    saver: Saver | None = None  # while batched
    # steps that change the counts the seeds give: merged duplicates, reopenings
    recount: bool = False
    # the handling steps draw from their own generator, so that the records and figures
    # drawn from rng stay those of the seeds whatever steps are added
    steps_rng: random.Random = field(init=False)
    last_handled: UUID | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self.steps_rng = random.Random(f"handling-steps/{self.seed}")

    def reseed(self, part: str) -> None:
        """Generators of their own for a part written whole, so that a run resumed after it
        writes what a whole run writes."""
        self.rng = random.Random(part)
        self.steps_rng = random.Random(f"handling-steps/{part}")
        self.last_handled = None

    def units(self, province: str, level: Level) -> list[Unit]:
        root = self.catalog.get(Structure.LEGACY, province)
        assert root is not None
        if level is Level.PROVINCE:
            return [root]
        if level is Level.DISTRICT:
            return sorted(self.catalog.children(root), key=lambda u: u.code)
        return sorted(self.catalog.communes_under(root), key=lambda u: u.code)

    def day(self, start: date, end: date) -> date:
        return start + timedelta(days=self.rng.randrange((end - start).days + 1))

    def after(self, day: date, low: int, high: int, last: date) -> date:
        return min(day + timedelta(days=self.rng.randint(low, high)), last)

    def pick(self, options: Sequence[T]) -> T:
        return self.rng.choice(options)

    def bar(self, items: range, label: str) -> Iterator[int]:
        return iter(tqdm(items, desc=label, unit="rec", disable=not self.progress, leave=False))

    # models

    def model(self, unit: Unit, on: date, fields: list[str] | None = None) -> UUID:
        outcome = self.registry.register_model(
            title=self.pick(MODEL_TITLES),
            description="",
            unit_code=unit.code,
            body=self.pick(REGISTERING_BODIES),
            sector=str(self.pick(list(Sector))),
            fields=fields or [str(self.pick(list(ModelField)))],
            year=on.year,
            registered_on=on,
            actor=LOADER,
        )
        return UUID(outcome.response["id"])

    def progress_report(self, model_id: UUID, on: date) -> None:
        self.registry.report_progress(
            model_id, summary=self.pick(PROGRESS_SUMMARIES), reported_on=on, actor=LOADER
        )

    def model_career(
        self,
        model_id: UUID,
        unit: Unit,
        on: date,
        last: date,
        replicate_to: list[Unit],
        reformed: list[Unit] | None = None,
    ) -> None:
        """Recognition for some, then commendation or replication for some of those.

        A replication from 1 July 2025 on goes to one of the 2025 units in `reformed`."""
        if self.rng.random() >= 0.3:
            return
        recognised_on = self.after(on, 60, 400, last)
        self.registry.recognise_model(
            model_id,
            level=str(self.pick(list(RecognitionLevel)[1:])),
            recognised_on=recognised_on,
            decision=None,
            actor=LOADER,
        )
        roll = self.rng.random()
        if roll < 0.3:
            self.registry.commend_model(
                model_id,
                award="Giấy khen",
                level="district",
                commended_on=recognised_on,
                actor=LOADER,
            )
        elif roll < 0.6:
            after_reform = reformed is not None and recognised_on >= REFORM_START
            target = self.pick(reformed if after_reform and reformed is not None else replicate_to)
            if target.code != unit.code:
                self.registry.replicate_model(
                    model_id, to_unit_code=target.code, replicated_on=recognised_on, actor=LOADER
                )

    def award(self, unit: Unit, on: date, conferred_by: str) -> UUID:
        """A medal, certificate of merit or commendation to a person or a collective of a unit."""
        collective = self.rng.random() < 0.3
        outcome = self.registry.confer_award(
            award=str(self.pick(list(AwardKind))),
            recipient_kind="collective" if collective else "individual",
            recipient=f"Tập thể {unit.name}" if collective else self.pick(RECIPIENTS),
            unit_code=unit.code,
            conferred_by=conferred_by,
            conferred_on=on,
            reason="Có nhiều đóng góp cho sự nghiệp dân vận",
            actor=LOADER,
        )
        return UUID(outcome.response["id"])

    # supervision and kiến nghị

    def supervision(self, unit: Unit, kind: str, on: date, body: str | None = None) -> UUID:
        outcome = self.dialogue.start_supervision(
            unit_code=unit.code,
            body=body or self.pick(MONITORING_BODIES),
            kind=kind,
            subject="Việc thực hiện chính sách ở địa phương",
            title=SUPERVISION_TITLES[kind],
            started_on=on,
            actor=LOADER,
        )
        return UUID(outcome.response["id"])

    def finding(
        self, supervision_id: UUID, on: date, violation: bool, recommendation: str | None
    ) -> UUID | None:
        outcome = self.dialogue.raise_finding(
            supervision_id,
            summary="Kết quả giám sát",
            violation_signs=violation,
            recommendation=recommendation,
            category=self.pick(CATEGORIES),
            raised_on=on,
            actor=LOADER,
        )
        opened = outcome.response.get("kien_nghi_id")
        return UUID(opened) if opened else None

    def conclude(self, supervision_id: UUID, on: date) -> None:
        self.dialogue.conclude_supervision(
            supervision_id, conclusion="Kết luận giám sát", concluded_on=on, actor=LOADER
        )

    def dialogue_held(self, unit: Unit, on: date, participants: int) -> UUID:
        dialogue_id = self.dialogue_scheduled(unit, on)
        held = Holding(
            held_on=on, participants=participants, topics=None, summary="Đối thoại trực tiếp"
        )
        self.dialogue.hold_dialogue(dialogue_id, held, actor=LOADER)
        return dialogue_id

    def dialogue_scheduled(self, unit: Unit, on: date) -> UUID:
        outcome = self.dialogue.schedule_dialogue(
            unit_code=unit.code,
            host_body=self.pick(("party_committee", "government")),
            host_title="Bí thư" if self.rng.random() < 0.5 else "Chủ tịch UBND",
            kind=self.pick(("periodic", "periodic", "thematic", "ad_hoc")),
            title="Hội nghị đối thoại giữa người đứng đầu với Nhân dân",
            topics=["đất đai"],
            scheduled_on=on,
            actor=LOADER,
        )
        return UUID(outcome.response["id"])

    def kien_nghi(self, unit: Unit, on: date, source: str, source_id: str | None = None) -> UUID:
        outcome = self.dialogue.receive_kien_nghi(
            source=source,
            source_id=source_id,
            unit_code=unit.code,
            category=self.pick(CATEGORIES),
            content="Đề nghị xem xét, giải quyết",
            received_on=on,
            actor=LOADER,
        )
        return UUID(outcome.response["id"])

    def handle(self, kien_nghi_id: UUID, on: date, last: date, resolve: float = 0.85) -> None:
        """Assign (due when the handling rules say, or on an earlier day the caller sets), then
        mostly resolve (sometimes late), sometimes decline; some get rated."""
        due = self.pick((None, None, on + timedelta(days=10)))
        self.dialogue.assign_kien_nghi(
            kien_nghi_id, agency=self.pick(AGENCIES), due_on=due, assigned_on=on, actor=LOADER
        )
        roll = self.rng.random()
        done = self.after(on, 5, 60, last)
        if self.handling_steps(kien_nghi_id, on, done):
            return  # merged as a duplicate: its master is settled, not it
        if roll < resolve:
            self.dialogue.resolve_kien_nghi(
                kien_nghi_id, resolution="Đã giải quyết", resolved_on=done, actor=LOADER
            )
            if self.rng.random() < 0.6:
                self.dialogue.rate_kien_nghi(
                    kien_nghi_id,
                    rating=self.pick((3, 4, 4, 5, 5)),
                    comment="",
                    rated_on=done,
                    actor=LOADER,
                )
            if self.recount and self.steps_rng.random() < 0.05:  # not settled after all
                self.dialogue.reopen_kien_nghi(
                    kien_nghi_id,
                    reason="Chưa được giải quyết dứt điểm",
                    reopened_on=done,
                    actor=LOADER,
                )
        elif roll < resolve + 0.05:
            self.dialogue.decline_kien_nghi(
                kien_nghi_id, reason="Không thuộc thẩm quyền", declined_on=done, actor=LOADER
            )

    def handling_steps(self, kien_nghi_id: UUID, on: date, done: date) -> bool:
        """Between its assignment (on) and its settling (done): some classified urgent or
        complex, most acknowledged (a few late), some transferred, some given more time or
        refused it, a few escalated by hand; with recount, a few merged into the kiến nghị
        handled before (then True)."""
        draw, day = self.steps_rng, on

        def next_day(low: int, high: int) -> date:
            nonlocal day
            day = min(max(day, on + timedelta(days=draw.randint(low, high))), done)
            return day

        if draw.random() < 0.15:
            self.dialogue.classify_kien_nghi(
                kien_nghi_id,
                priority=draw.choice(("urgent", "complex")),
                category=None,
                classified_on=on,
                actor=LOADER,
            )
        if draw.random() < 0.9:
            late = draw.random() < 0.15
            moment = time(8 + draw.randrange(9), draw.randrange(60))
            self.dialogue.acknowledge_kien_nghi(
                kien_nghi_id,
                acknowledged_at=min(  # not ahead of now, for one received today
                    datetime.combine(next_day(*(1, 6) if late else (0, 0)), moment, VIETNAM),
                    self.dialogue.now(),
                ),
                actor=LOADER,
            )
        if draw.random() < 0.08:
            self.dialogue.transfer_kien_nghi(
                kien_nghi_id,
                agency=draw.choice(AGENCIES) + " (chuyển)",
                reason="Không thuộc thẩm quyền, chuyển cơ quan có thẩm quyền",
                transferred_on=next_day(1, 5),
                actor=LOADER,
            )
        if draw.random() < 0.12:
            with suppress(RuleBroken):  # an urgent one's rules grant no extension
                self.dialogue.request_extension(
                    kien_nghi_id,
                    reason="Cần xác minh thêm",
                    requested_on=next_day(3, 15),
                    actor=LOADER,
                )
                if draw.random() < 0.8:
                    self.dialogue.grant_extension(
                        kien_nghi_id,
                        reason="Đồng ý gia hạn",
                        granted_on=day,
                        due_on=None,
                        actor=LOADER,
                    )
                else:
                    self.dialogue.refuse_extension(
                        kien_nghi_id, reason="Không đủ căn cứ gia hạn", refused_on=day, actor=LOADER
                    )
        if draw.random() < 0.03:
            self.dialogue.escalate_kien_nghi(
                kien_nghi_id, reason="Vượt thẩm quyền", escalated_on=next_day(2, 10), actor=LOADER
            )
        master, self.last_handled = self.last_handled, kien_nghi_id
        if not (self.recount and master is not None and draw.random() < 0.02):
            return False
        try:
            self.dialogue.merge_kien_nghi(
                kien_nghi_id, master_id=master, reason="Trùng nội dung", merged_on=day, actor=LOADER
            )
        except (RuleBroken, InvalidInput):  # a master merged itself, or received later
            return False
        return True

    # parts written whole

    def is_saved(self, app: ServiceApplication, aggregate_id: UUID) -> bool:
        try:
            app.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return False
        return True

    def pending_events(self, service: str) -> int:
        """Events the service's batch holds, not yet saved."""
        batch = self.batches[service]
        return sum(len(aggregate.pending_events) for aggregate in batch.pending.values())

    def commit(self, service: str, *aggregates: Aggregate) -> int:
        """Saves what the service's batch holds together with these aggregates (a part's
        marker, say) in one transaction, in the saver's thread while the caller goes on; the
        number of events. Later commands must not change these aggregates again."""
        batch = self.batches[service]
        whole = [*batch.pending.values(), *aggregates]
        batch.pending.clear()
        events = sum(len(aggregate.pending_events) for aggregate in whole)
        app = self.registry if service == "registry" else self.dialogue
        assert self.saver is not None, "commit() needs batched()"
        self.saver.submit(app, whole)
        return events


class Saver:
    """Saves committed parts in a thread of its own while the next part is being decided (the
    database's time overlaps the commands'). One part at a time: a commit first waits for the
    part before it, so at most two parts are held in memory, and a failed save is raised there."""

    def __init__(self) -> None:
        self.executor = ThreadPoolExecutor(1, thread_name_prefix="scenario-saver")
        self.saving: Future[Any] | None = None

    def submit(self, app: ServiceApplication, aggregates: list[Aggregate]) -> None:
        self.wait()
        self.saving = self.executor.submit(app.save, *aggregates)

    def wait(self) -> None:
        saving, self.saving = self.saving, None
        if saving is not None:
            saving.result()

    def close(self) -> None:
        try:
            self.wait()
        finally:
            self.executor.shutdown()


@contextmanager
def batched(writer: ScenarioWriter, size: int = 500) -> Iterator[ScenarioWriter]:
    """The writer's commands saved size aggregates per transaction (and what is left at the
    end); on an exception what was not yet saved is dropped (a part being saved is saved)."""
    with ExitStack() as stack:
        writer.saver = Saver()
        stack.callback(writer.saver.close)
        writer.batches = {
            "registry": stack.enter_context(writer.registry.batch(size)),
            "dialogue": stack.enter_context(writer.dialogue.batch(size)),
        }
        yield writer


MODEL_TITLES = (
    "Dân vận khéo trong xây dựng nông thôn mới",
    "Tuyến phố văn minh",
    "Chuyển đổi số vì dân",
    "Vận động hiến đất làm đường",
    "Tổ tự quản an ninh trật tự",
    "Phân loại rác tại nguồn",
    "Hỗ trợ hộ nghèo thoát nghèo",
    "Dân vận khéo trong giải phóng mặt bằng",
)
PROGRESS_SUMMARIES = (
    "Đã tổ chức ra quân, vận động được đông đảo Nhân dân tham gia",
    "Hoàn thành giai đoạn một, đang sơ kết rút kinh nghiệm",
    "Đã huy động nguồn lực xã hội hóa, tiến độ đạt kế hoạch",
)
REGISTERING_BODIES = (
    "Hội LHPN",
    "Hội Nông dân",
    "Đoàn Thanh niên",
    "Hội Cựu chiến binh",
    "UBND",
    "Công an",
    "Ban Chỉ huy Quân sự",
    "MTTQ",
)
RECIPIENTS = (
    "Nguyễn Văn An",
    "Trần Thị Bình",
    "Lê Văn Cường",
    "Phạm Thị Dung",
    "Hoàng Văn Em",
    "Vũ Thị Giang",
)
SUPERVISION_TITLES = {
    "supervision": "Giám sát việc thực hiện chính sách",
    "social_criticism": "Hội nghị phản biện xã hội dự thảo",
    "inspection_case": "Vụ việc Ban Thanh tra nhân dân giám sát",
}
