"""Find string keys among many, in compact sorted arrays rather than Python sets or dicts.

A load looks up every chunk's ids among the nodes its disclosure already holds (a re-load of a
million tweets looks up a million ids). A Python dict of a million ids costs about 150 MB, and
Arrow's ``index_in`` hashes its whole value set again on every call (quadratic over a load's
chunks); a sorted array of fixed-width keys costs the keys' bytes and answers a chunk with one
binary search per key.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


def fixed_width(keys: pa.Array | pa.ChunkedArray, width: int | None = None) -> np.ndarray:
    """Each key's UTF-8 bytes, then a 0x01 byte, zero-padded to ``width`` (by default the
    longest key's length plus one): numpy compares ``S`` values without their trailing zeros,
    and the 0x01 keeps ``'a'`` and ``'a\\x00'`` apart. A key too long for ``width`` comes out
    empty, which no key of an index equals."""
    if isinstance(keys, pa.ChunkedArray):
        keys = keys.combine_chunks()
    keys = keys.cast(pa.string()).fill_null("")
    lengths = pc.binary_length(keys).to_numpy(zero_copy_only=False).astype(np.int64)
    if width is None:
        width = int(lengths.max()) + 1 if len(keys) else 1
    too_long = lengths >= width
    if too_long.any():
        keys = pc.if_else(pa.array(too_long), "", keys)
        lengths[too_long] = 0
    count = len(keys)
    out = np.zeros((count, width), dtype=np.uint8)
    if lengths.any():
        offsets = np.frombuffer(
            keys.buffers()[1], dtype=np.int32, count=count + 1, offset=keys.offset * 4
        )
        data = np.frombuffer(keys.buffers()[2], dtype=np.uint8)[offsets[0] : offsets[-1]]
        # Row-major order of the key bytes is the order of the keys' data in the buffer.
        out[np.arange(width) < lengths[:, None]] = data
    out[np.arange(count), lengths] = 1
    marked: np.ndarray = out.view(f"S{width}").reshape(count)
    marked[too_long] = b""
    return marked


class KeyIndex:
    """Keys looked up by key: their position in the array the index was built from (built
    once, never changed). Plain numbers as 64-bit integers, the other keys as bytes."""

    def __init__(self, keys: pa.Array | pa.ChunkedArray) -> None:
        array = _as_array(keys)
        numeric, numbers = _numbers(array)
        self._count = len(array)
        self._numbers = _Sorted(numbers, np.flatnonzero(numeric))
        self._texts = _Sorted(
            fixed_width(array.filter(pa.array(~numeric))), np.flatnonzero(~numeric)
        )

    def __len__(self) -> int:
        return self._count

    def find(self, keys: pa.Array | pa.ChunkedArray) -> np.ndarray:
        """Position of each of ``keys`` in the array the index was built from, -1 if absent."""
        array = _as_array(keys)
        numeric, numbers = _numbers(array)
        found = np.full(len(array), -1, dtype=np.int64)
        found[numeric] = self._numbers.find(numbers)
        if not numeric.all() and len(self._texts.values):
            texts = fixed_width(array.filter(pa.array(~numeric)), self._texts.values.dtype.itemsize)
            found[~numeric] = self._texts.find(texts)
        return found


class _Sorted:
    """Values sorted for binary search, each with the position it came from."""

    def __init__(self, values: np.ndarray, positions: np.ndarray) -> None:
        order = np.argsort(values, kind="stable")
        self.values = values[order]
        self.positions = positions[order]

    def find(self, wanted: np.ndarray) -> np.ndarray:
        if not len(self.values) or not len(wanted):
            return np.full(len(wanted), -1, dtype=np.int64)
        at = _positions(self.values, wanted)
        return np.where(self.values[at] == wanted, self.positions[at], -1).astype(np.int64)


class KeySet:
    """A set of string keys that grows chunk by chunk, in sorted blocks merged as they pile
    up. Keys that are plain numbers (tweet ids, most user ids) are kept as 64-bit integers,
    which sort and compare several times faster than bytes; the others as fixed-width bytes."""

    def __init__(self) -> None:
        self._numbers = _Blocks()
        self._texts = _Blocks()

    def __len__(self) -> int:
        return len(self._numbers) + len(self._texts)

    def add(self, keys: pa.Array | pa.ChunkedArray | list[str] | set[str]) -> None:
        array = _as_array(keys)
        numeric, numbers = _numbers(array)
        self._numbers.add(numbers)
        if not numeric.all():
            self._texts.add(fixed_width(array.filter(pa.array(~numeric))))

    def contains(self, keys: pa.Array | pa.ChunkedArray | list[str]) -> np.ndarray:
        """Whether each of ``keys`` is in the set."""
        array = _as_array(keys)
        numeric, numbers = _numbers(array)
        found = np.zeros(len(array), dtype=bool)
        found[numeric] = self._numbers.contains(numbers)
        if not numeric.all() and len(self._texts):
            texts = array.filter(pa.array(~numeric))
            found[~numeric] = self._texts.contains(fixed_width(texts, self._texts.width))
        return found

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and bool(self.contains([key])[0])


def _numbers(keys: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(which keys are plain numbers: digits, no leading zero, at most 19 of them; those keys
    as uint64). Each such text is one number and each number one text."""
    digits = pc.utf8_is_digit(keys)
    length = pc.binary_length(keys)
    plain = pc.and_(
        pc.and_(digits, pc.less_equal(length, 19)),
        pc.or_(pc.equal(length, 1), pc.invert(pc.starts_with(keys, "0"))),
    )
    numeric = np.asarray(pc.fill_null(plain, False).to_numpy(zero_copy_only=False), dtype=bool)
    values = pc.cast(keys.filter(pa.array(numeric)), pa.uint64())
    return numeric, values.to_numpy(zero_copy_only=False)


class _Blocks:
    """Sorted, distinct arrays of one kind (uint64, or fixed-width bytes), largest first."""

    def __init__(self) -> None:
        self._blocks: list[np.ndarray] = []

    def __len__(self) -> int:
        return sum(len(block) for block in self._blocks)

    @property
    def width(self) -> int:
        return max(block.dtype.itemsize for block in self._blocks)

    def add(self, values: np.ndarray) -> None:
        if not len(values):
            return
        values = values[~self.contains(values)] if self._blocks else values
        if not len(values):
            return
        block = np.sort(values, kind="stable")  # ids often come in order: runs
        block = block[np.concatenate(([True], block[1:] != block[:-1]))]
        self._blocks.append(block)
        # Merge while the newest block is as large as the one before it.
        while len(self._blocks) > 1 and len(self._blocks[-1]) * 2 >= len(self._blocks[-2]):
            newer, older = self._blocks.pop(), self._blocks.pop()
            if newer.dtype != older.dtype:  # bytes of two widths: zeros pad the narrower
                kind = f"S{max(newer.dtype.itemsize, older.dtype.itemsize)}"
                newer, older = newer.astype(kind), older.astype(kind)
            merged = np.concatenate([older, newer])
            merged.sort(kind="stable")
            self._blocks.append(merged)

    def contains(self, values: np.ndarray) -> np.ndarray:
        if not self._blocks or not len(values):
            return np.zeros(len(values), dtype=bool)
        # Searched in sorted order: successive searches then touch nearby keys.
        order = np.argsort(values, kind="stable")
        wanted = values[order]
        hits = np.zeros(len(values), dtype=bool)
        for block in self._blocks:
            query = wanted
            if wanted.dtype.kind == "S":
                query = _narrowed(wanted, block.dtype.itemsize)
            hits |= _in_block(block, query)
        found = np.zeros(len(values), dtype=bool)
        found[order] = hits
        return found


def _narrowed(wanted: np.ndarray, width: int) -> np.ndarray:
    """Fixed-width keys at a smaller ``width``: a key longer than that is in no block of it,
    and becomes empty rather than cut (a cut key could pass for another)."""
    if wanted.dtype.itemsize <= width:
        return wanted
    fits = np.char.str_len(wanted) <= width
    narrowed: np.ndarray = np.where(fits, wanted, b"").astype(f"S{width}")
    return narrowed


def _in_block(block: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    at = np.minimum(np.searchsorted(block, wanted), len(block) - 1)
    hit: np.ndarray = block[at] == wanted
    return hit


def _positions(block: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Where each of ``wanted`` is or would be in the sorted ``block`` (clipped to its end).
    Searched in sorted order: successive searches then touch nearby keys, four times faster
    than searching a million keys in the order they come."""
    order = np.argsort(wanted, kind="stable")
    at = np.empty(len(wanted), dtype=np.int64)
    at[order] = np.searchsorted(block, wanted[order])
    return np.minimum(at, len(block) - 1)


def _as_array(keys: pa.Array | pa.ChunkedArray | list[str] | set[str]) -> pa.Array:
    if isinstance(keys, pa.ChunkedArray):
        return keys.combine_chunks()
    if isinstance(keys, pa.Array):
        return keys
    return pa.array(list(keys), pa.string())
