"""The event stores' JSON transcoder: the library's, decoding with orjson.

The library decodes with the standard json module and an object hook; orjson parses the same
bytes in a quarter of the time (7.0 → 1.9 µs for a stored dialogue event here), and the walk
below then gives each object to the library's own hook, innermost first, as json.loads does.
Encoding is the library's, untouched: stored bytes stay exactly as they were.
"""

from __future__ import annotations

from typing import Any

import orjson
from eventsourcing.persistence import JSONTranscoder


class OrjsonTranscoder(JSONTranscoder):
    def decode(self, data: bytes) -> Any:
        try:
            parsed = orjson.loads(data)
        except orjson.JSONDecodeError:  # what json reads and orjson refuses (NaN, huge ints)
            return super().decode(data)
        return self._revive(parsed)

    def _revive(self, value: Any) -> Any:
        if type(value) is dict:
            for key, item in value.items():
                if type(item) is dict or type(item) is list:
                    value[key] = self._revive(item)
            return self._decode_obj(value)
        if type(value) is list:
            return [
                self._revive(item) if type(item) is dict or type(item) is list else item
                for item in value
            ]
        return value
