"""The PostgreSQL recorder the scenario loader writes with: the library's own, inserting the same
rows in one transaction under the same table lock and notification, but

- passing the batch as four arrays of plain types in binary instead of one array of the
  composite stored-event type in text, which psycopg dumps and PostgreSQL parses many times
  faster (bench/national.py measures the load);
- outside psycopg's pipeline mode, in which a statement of tens of megabytes (a part of the
  national scenario: up to ~70,000 events) never reached the server: client and server each
  waited for the other for good."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from eventsourcing.persistence import ProgrammingError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from eventsourcing.utils import get_topic, retry
from psycopg import Cursor, InterfaceError, OperationalError
from psycopg.rows import DictRow, tuple_row
from psycopg.sql import SQL, Identifier


class BulkPostgresRecorder(PostgresApplicationRecorder):
    def __init__(self, datastore: PostgresDatastore, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        self.bulk_insert_statement = SQL(
            "INSERT INTO {schema}.{table} (originator_id, originator_version, topic, state) "
            "SELECT * FROM unnest(%b::{id_type}[], %b::bigint[], %b::text[], %b::bytea[]) "
            "RETURNING notification_id"
        ).format(
            schema=Identifier(self.datastore.schema),
            table=Identifier(self.events_table_name),
            id_type=SQL(self.datastore.originator_id_type),
        )

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        with self.datastore.get_connection() as conn, conn.transaction(), conn.cursor() as curs:
            self._insert_events(curs, stored_events, **kwargs)
            if not stored_events:
                return []
            self._insert_stored_events(curs, stored_events, **kwargs)
            rows = cast("Cursor[tuple[Any, ...]]", curs)  # the same cursor, given tuple rows
            rows.row_factory = tuple_row  # no dict per returned position
            ids = [row[0] for row in rows.fetchall()]
            if len(ids) != len(stored_events):
                raise ProgrammingError(f"{len(ids)} positions for {len(stored_events)} events")
            return ids

    def _insert_stored_events(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **_: Any
    ) -> None:
        self._lock_table(curs)
        self._notify_channel(curs)
        curs.execute(
            self.bulk_insert_statement,
            (
                [e.originator_id for e in stored_events],
                [e.originator_version for e in stored_events],
                [e.topic for e in stored_events],
                [e.state for e in stored_events],
            ),
        )


RECORDER_TOPIC = get_topic(BulkPostgresRecorder)
