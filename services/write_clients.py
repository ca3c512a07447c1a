"""The write services as HTTP clients of the aggregator's work pages and of imports: no
credential of their own, each request carries the signed-in user's."""

from __future__ import annotations

import httpx

from shared.settings import Settings


def write_clients(settings: Settings) -> dict[str, httpx.Client]:
    """At the addresses these settings name (`danvan up` sets them)."""
    timeout = httpx.Timeout(30, connect=5)
    return {
        name: httpx.Client(base_url=url, timeout=timeout)
        for name, url in (("registry", settings.registry_url), ("dialogue", settings.dialogue_url))
    }
