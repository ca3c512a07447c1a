"""Each write service's eventsourcing Application name: it names its PostgreSQL tables, so the
write services and the aggregator (which reads those stores directly) take it from here. Never
rename: a store's tables keep the name they were made with."""

from __future__ import annotations

REGISTRY = "Registry"
DIALOGUE = "Dialogue"
APPLICATION_NAMES = {"registry": REGISTRY, "dialogue": DIALOGUE}
