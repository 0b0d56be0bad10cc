"""The 538 files read by the Twitter archive's readers (twitter_io/reader.py), with the 538
header check in place of Twitter's."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from infoops.loaders.csv_records import read_header
from infoops.loaders.ira538.columns import KIND, classify_ira538_header
from infoops.loaders.load_report import ReadCounts
from infoops.loaders.quarantine import Quarantine
from infoops.loaders.sources import InputFile
from infoops.loaders.twitter_io.reader import RawChunk, read_chunks_exact, read_chunks_fast


def recognise(source: InputFile) -> str:
    classify_ira538_header(source.name, read_header(source))
    return KIND


def read_fast(
    source: InputFile,
    counts: ReadCounts,
    *,
    chunk_rows: int,
    on_bytes: Callable[[int], None] | None = None,
) -> Iterator[RawChunk]:
    return read_chunks_fast(
        source, counts, chunk_rows=chunk_rows, on_bytes=on_bytes, classify=classify_ira538_header
    )


def read_exact(
    source: InputFile,
    quarantine: Quarantine,
    counts: ReadCounts,
    *,
    chunk_rows: int,
    on_bytes: Callable[[int], None] | None = None,
) -> Iterator[RawChunk]:
    return read_chunks_exact(
        source,
        quarantine,
        counts,
        chunk_rows=chunk_rows,
        on_bytes=on_bytes,
        classify=classify_ira538_header,
    )
