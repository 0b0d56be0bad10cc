"""A fingerprint of each row's content: is a row whose id came again an exact copy, or not?

When an id comes again (in the same chunk, a later chunk or file, or a later load), the graph
writer compares fingerprints: the same is an exact copy (already present), different is a
conflict (quarantined, naming the copy kept). The fingerprint is stored on the node
(``fingerprint``), so a later load compares its rows with the graph's copies without reading
their properties back.

Stored, it must be the same in every process: a BLAKE2b digest of 128 bits (never Python's
per-process ``hash``), as 32 hexadecimal characters. 128 bits, so that no file can be crafted
for a conflicting row to pass as an exact copy (two contents with one fingerprint would take
about 2**64 tries).
"""

from __future__ import annotations

import binascii
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from infoops.loaders.quarantine import Quarantine
from infoops.loaders.twitter_io.reader import RawChunk

# What "the same content" means for two rows with one id: what the loader keeps of a row, as it
# normalises it ('3.0' and '3' are the same count, 'absent' and '' the same coordinate). That is
# the node properties it writes, except the key, properties derived from others (time from
# time_s; screen_name_lc, hashed and created_s) and in_disclosure (true for every released row).
# Columns the loader does not keep do not count, nor do the edges a row makes (retweet, reply and
# quote targets, hashtags, urls, mentions): the graph holds those apart from the node, comparing
# them with a later load would cost a query per edge type, and hashtags, urls and mentions come
# from the text, which counts. A tweets row's user columns are the account's, not the tweet's.
TWEET_CONTENT = (
    "userid",
    "text",
    "time_s",
    "lang",
    "client",
    "likes",
    "retweets",
    "replies",
    "quotes",
    "is_retweet",
    "latitude",
    "longitude",
    "poll_choices",
)
ACCOUNT_CONTENT = (
    "screen_name",
    "display_name",
    "location",
    "description",
    "url",
    "followers",
    "following",
    "created_at",
    "language",
)

FINGERPRINT = "S32"  # numpy dtype of fingerprints in memory: the hexadecimal text's bytes
_PERSON = b"infoops-content"  # BLAKE2b's personalisation: these digests are only this
_ROWS_AT_ONCE = 65_536  # the bytes of the rows hashed at once are a copy of them
_NULL = -1  # the length of a null text in a row's header (a text's length is never negative)


def content_fingerprints(table: pa.Table, columns: Sequence[str]) -> np.ndarray:
    """The fingerprint of ``columns`` of each row (dtype ``FINGERPRINT``). Rows from a file
    and rows read back from the graph fingerprint alike when their typed values are equal."""
    fingerprints = np.empty(table.num_rows, dtype=FINGERPRINT)
    for start in range(0, table.num_rows, _ROWS_AT_ONCE):
        part = table.slice(start, _ROWS_AT_ONCE)
        fingerprints[start : start + part.num_rows] = _fingerprint_rows(part, columns)
    return fingerprints


def _fingerprint_rows(table: pa.Table, columns: Sequence[str]) -> np.ndarray:
    """Each row as bytes, hashed: a header of 8-byte words, one per column in order (a
    number's value, a boolean as 0 or 1, a float's bits; a text's length in bytes; a null
    flag after each number), then the texts' bytes. The header says where every text ends, so
    no text can pass for another column's, and no number is ever written out as text."""
    words: list[np.ndarray] = []
    texts: list[pa.Array] = []
    for name in columns:
        column = table.column(name).combine_chunks()
        if pa.types.is_string(column.type):
            length = pc.binary_length(column).to_numpy(zero_copy_only=False)
            words.append(np.where(np.isnan(length), _NULL, length).astype(np.int64))
            texts.append(pc.cast(column.fill_null(""), pa.binary()))
            continue
        valid = column.is_valid().to_numpy(zero_copy_only=False)
        if pa.types.is_floating(column.type):
            values = column.fill_null(0.0).to_numpy(zero_copy_only=False).view(np.int64)
        else:
            values = column.cast(pa.int64()).fill_null(0).to_numpy(zero_copy_only=False)
        words += [values.astype(np.int64), valid.astype(np.int64)]
    header = np.ascontiguousarray(np.column_stack(words).astype("<i8"))
    row_bytes = header.shape[1] * 8
    headers = pa.Array.from_buffers(
        pa.binary(row_bytes), len(header), [None, pa.py_buffer(header)]
    ).cast(pa.binary())
    joined = pc.binary_join_element_wise(headers, *texts, b"").to_pylist()
    digests = b"".join(map(_digest, joined))
    return np.frombuffer(binascii.hexlify(digests), dtype=FINGERPRINT)


_HASHER = hashlib.blake2b(digest_size=16, person=_PERSON)


def _digest(row: bytes, start: Callable[[], Any] = _HASHER.copy) -> bytes:
    """BLAKE2b of one row (a copy of a set-up hasher: a quarter faster than a new one)."""
    hasher = start()
    hasher.update(row)
    digest: bytes = hasher.digest()
    return digest


def fingerprint_column(fingerprints: np.ndarray) -> pa.Array:
    """Fingerprints as the string column stored on nodes (no copy of their bytes)."""
    count = len(fingerprints)
    offsets = np.arange(0, 32 * (count + 1), 32, dtype=np.int32)
    data = np.ascontiguousarray(fingerprints).view(np.uint8)
    return pa.Array.from_buffers(
        pa.string(), count, [None, pa.py_buffer(offsets), pa.py_buffer(data)]
    )


def stored_fingerprints(column: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """Fingerprints read back from nodes; a node without one (a database loaded before they
    were stored) gets an empty value, which no fingerprint equals."""
    values = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    values = values.cast(pa.string())
    whole = pc.fill_null(pc.equal(pc.binary_length(values), 32), False)
    if len(values) and pc.all(whole).as_py():
        offsets = np.frombuffer(values.buffers()[1], np.int32, len(values) + 1, values.offset * 4)
        data = np.frombuffer(values.buffers()[2], np.uint8)[offsets[0] : offsets[-1]]
        return data.view(FINGERPRINT).copy()
    return np.array(
        [value if value is not None and len(value) == 32 else "" for value in values.to_pylist()],
        dtype=FINGERPRINT,
    )


@dataclass
class Copies:
    """Every row of a chunk that passed the checks, in file order, for telling an id that comes
    again as an exact copy from a conflicting one. The first row of each id in the chunk is the
    one the records hold; the others are its repeats."""

    key: str  # "tweetid" or "userid", for messages
    keys: pa.Array
    fingerprints: np.ndarray  # content_fingerprints of each row
    first_of: np.ndarray  # position of the first row with the same key
    rows: np.ndarray  # index of each row in the chunk
    chunk: RawChunk
    quarantine: Quarantine

    @staticmethod
    def of(
        chunk: RawChunk,
        quarantine: Quarantine,
        good: np.ndarray,
        rows: pa.Table,
        key: str,
        columns: Sequence[str],
    ) -> Copies:
        """``rows``: the normalised table of the good rows of ``chunk`` (``good`` marks them),
        all of them, before keeping the first row per key."""
        keys = rows.column(key).combine_chunks()
        # Dictionary codes number the keys in the order they first appear: 0, 1, 2...
        codes = pc.dictionary_encode(keys).indices.to_numpy(zero_copy_only=False)
        _, first_index = np.unique(codes, return_index=True)
        return Copies(
            key=key,
            keys=keys,
            fingerprints=content_fingerprints(rows, columns),
            first_of=first_index[codes].astype(np.int64),
            rows=np.flatnonzero(good),
            chunk=chunk,
            quarantine=quarantine,
        )

    @property
    def first(self) -> np.ndarray:
        """Whether each row is the first of its key in the chunk."""
        first: np.ndarray = self.first_of == np.arange(len(self.first_of))
        return first

    def line(self, position: int) -> int:
        return int(self.chunk.lines[int(self.rows[position])])

    def lines(self) -> np.ndarray:
        """The line where each row starts."""
        lines: np.ndarray = np.asarray(self.chunk.lines)[self.rows]
        return lines

    def reject(self, position: int, reason: str) -> None:
        row = int(self.rows[position])
        self.quarantine.reject(
            self.chunk.source.name, int(self.chunk.lines[row]), reason, self.chunk.record(row)
        )
