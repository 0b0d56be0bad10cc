"""Hand memory freed by one phase of a load back to the system before the next phase.

A load parses in Python and Arrow, then writes in the engine. Both allocators keep what they
freed for reuse (glibc's malloc, Arrow's mimalloc), so without this the parsing phase's garbage
sits in the process while Ladybug fills its page cache, and peak RSS is the sum of the two.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc

import pyarrow as pa


def release_memory() -> None:
    gc.collect()
    pa.default_memory_pool().release_unused()
    libc_name = ctypes.util.find_library("c")
    if libc_name:
        libc = ctypes.CDLL(libc_name)
        if hasattr(libc, "malloc_trim"):  # glibc only; elsewhere this is a no-op
            libc.malloc_trim(0)
