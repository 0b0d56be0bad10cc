"""An engine's memory stays flat over the many calls of a large load.

A load of ten million tweets makes hundreds of look-ups with a table of keys each. Ladybug's
connection cached a prepared statement per call with a table parameter (the table's identity
is part of the cache key) and kept each one's state: about 3 MB a call here, over a gigabyte
for such a load. The engine now drops those statements (engines/ladybug_engine.py).
"""

from __future__ import annotations

import ctypes
import gc

from infoops.engines.base import GraphEngine

CALLS, KEYS = 30, 100_000
ALLOWED_GROWTH_MB = 40  # without the fix: about 85 MB over these calls


def anonymous_memory_mb() -> float:
    """Resident memory that is not a mapped file, after handing freed memory back."""
    gc.collect()
    ctypes.CDLL("libc.so.6").malloc_trim(0)
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("RssAnon:"):
                return int(line.split()[1]) / 1024
    raise AssertionError("no RssAnon in /proc/self/status")


def test_repeated_lookups_with_a_table_of_keys_keep_memory_flat(engine: GraphEngine) -> None:
    keys = [str(10**18 + number) for number in range(KEYS)]
    for _ in range(3):  # the first calls allocate what every call reuses
        engine.lookup("Tweet", keys, ["userid"])
    before = anonymous_memory_mb()
    for _ in range(CALLS):
        assert engine.lookup("Tweet", keys, ["userid"]) == {}
    growth = anonymous_memory_mb() - before
    assert growth < ALLOWED_GROWTH_MB, f"{growth:.0f} MB more after {CALLS} look-ups"
