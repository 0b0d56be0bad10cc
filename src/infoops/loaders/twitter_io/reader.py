"""Stream a Twitter archive CSV as chunks of string columns, each row with its starting line.

Two readers, one output shape:

- the fast path is Arrow's multithreaded CSV parser (``newlines_in_values`` for the quoted
  multi-line fields). Line numbers are derived by counting the line breaks inside each record,
  which is exact as long as every physical line belongs to a well-formed record;
- the exact path is Python's csv module, which reports physical line numbers itself and lets a
  malformed record (wrong field count, blank line) be quarantined and passed over.

A file starts on the fast path; the first malformed record makes the fast reader raise
``MalformedFile`` and the load pipeline (loaders/pipeline.py) re-reads that file on the exact
path. Because loading is idempotent, whatever the fast path already staged is recognised as
present, not duplicated.

Bytes that are not UTF-8 (a latin-1 byte ``0xe9`` in one profile) make Arrow refuse their whole
block, so such a file takes the exact path, where only the record holding them is rejected. A
damaged archive is not a malformed record: its InputFileError (loaders/sources.py) goes straight
up, from either path.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from infoops.loaders.csv_records import checked_records, header_row, read_header
from infoops.loaders.load_report import ReadCounts
from infoops.loaders.quarantine import Quarantine
from infoops.loaders.source_format import MalformedFile
from infoops.loaders.sources import InputFile
from infoops.loaders.twitter_io.columns import FileKind, canonical_columns, classify_header

# Arrow's streaming reader parses dozens of blocks ahead: with 8 MB blocks it held about 300 MB
# more than with 2 MB, and read no faster. A record longer than a block (never in real files)
# makes Arrow refuse it, and the file takes the exact path.
_BLOCK_BYTES = 2 << 20


# Checks a file's header (its name, its fields) and says which kind of file it is. Another
# source with a CSV of its own (loaders/ira538) reads it with these readers and its own check.
HeaderCheck = Callable[[str, list[str]], FileKind]


@dataclass
class RawChunk:
    source: InputFile
    kind: FileKind
    table: pa.Table  # every column a string, named by columns.canonical_column, empty cells ""
    lines: np.ndarray  # physical line where each row starts (1 = header)

    def record(self, index: int) -> list[str]:
        """Row ``index`` as the list of its raw fields (for the quarantine)."""
        return [str(self.table.column(i)[index].as_py()) for i in range(self.table.num_columns)]


def peek_kind(source: InputFile) -> FileKind:
    return classify_header(source.name, read_header(source))


def recognise(source: InputFile) -> str:
    """The kind of a file, by its header, as the pipeline names it ("users", "tweets")."""
    return peek_kind(source).value


def _names(header: list[str]) -> list[str]:
    return canonical_columns(header)


def _string_table(names: list[str], rows: list[list[str]]) -> pa.Table:
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in names]
    return pa.table(
        {name: pa.array(col, pa.string()) for name, col in zip(names, columns, strict=True)}
    )


def read_chunks_fast(
    source: InputFile,
    counts: ReadCounts,
    *,
    chunk_rows: int,
    on_bytes: Callable[[int], None] | None = None,
    classify: HeaderCheck = classify_header,
) -> Iterator[RawChunk]:
    header = read_header(source)
    kind = classify(source.name, header)
    names = _names(header)
    problems: list[Any] = []

    def note_problem(row: Any) -> str:
        problems.append(row)
        return "skip"

    with source.open_binary(on_bytes) as binary:
        try:  # opening parses the first block already
            reader = pa_csv.open_csv(
                binary,
                read_options=pa_csv.ReadOptions(
                    block_size=_BLOCK_BYTES, column_names=names, skip_rows=1, use_threads=True
                ),
                parse_options=pa_csv.ParseOptions(
                    newlines_in_values=True,
                    ignore_empty_lines=False,
                    invalid_row_handler=note_problem,
                ),
                convert_options=pa_csv.ConvertOptions(
                    column_types={name: pa.string() for name in names},
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                ),
            )
        except pa.ArrowInvalid as exc:
            raise MalformedFile(str(exc)) from None
        next_line = 2  # the header is line 1 (a header with line breaks takes the exact path)
        pending: list[pa.RecordBatch] = []
        pending_rows = 0
        while True:
            try:
                batch = reader.read_next_batch()
            except StopIteration:
                break
            except pa.ArrowInvalid as exc:  # also bytes that are not UTF-8
                raise MalformedFile(str(exc)) from None
            if problems:
                raise MalformedFile(f"{len(problems)} malformed record(s)")
            pending.append(batch)
            pending_rows += batch.num_rows
            while pending_rows >= chunk_rows:
                table = pa.Table.from_batches(pending)
                head, rest = table.slice(0, chunk_rows), table.slice(chunk_rows)
                pending, pending_rows = rest.to_batches(), rest.num_rows
                chunk, next_line = _fast_chunk(source, kind, header, head, next_line, counts)
                yield chunk
        if problems:
            raise MalformedFile(f"{len(problems)} malformed record(s)")
        if pending_rows:
            table = pa.Table.from_batches(pending)
            chunk, next_line = _fast_chunk(source, kind, header, table, next_line, counts)
            yield chunk


def _has_line_break(column: pa.ChunkedArray) -> bool:
    """Scan the raw character buffers: far cheaper than a per-row count."""
    for chunk in column.chunks:
        data = chunk.buffers()[2]
        if data is not None and np.frombuffer(data, dtype=np.uint8).__contains__(10):
            return True
    return False


def _fast_chunk(
    source: InputFile,
    kind: FileKind,
    header: list[str],
    table: pa.Table,
    first_line: int,
    counts: ReadCounts,
) -> tuple[RawChunk, int]:
    # Each record spans 1 + (line breaks inside its fields) physical lines.
    spans = np.ones(table.num_rows, dtype=np.int64)
    for column in table.columns:
        if _has_line_break(column):  # most columns never do; counting per row costs more
            spans += (
                pc.count_substring(column, "\n").to_numpy(zero_copy_only=False).astype(np.int64)
            )
    ends = np.cumsum(spans)
    starts = first_line + ends - spans
    next_line = first_line + int(ends[-1]) if len(ends) else first_line
    # Concatenated split parts repeat the header: not data, counted apart.
    repeated = pc.equal(table.column(0), header[0]).to_numpy(zero_copy_only=False)
    for index, name in enumerate(header[1:], start=1):
        if not repeated.any():  # the common case, known from the first column alone
            break
        repeated &= pc.equal(table.column(index), name).to_numpy(zero_copy_only=False)
    if repeated.any():
        counts.repeated_headers += int(repeated.sum())
        keep = ~repeated
        table, starts = table.filter(pa.array(keep)), starts[keep]
    counts.rows_read += table.num_rows
    return RawChunk(source, kind, table, starts), next_line


def read_chunks_exact(
    source: InputFile,
    quarantine: Quarantine,
    counts: ReadCounts,
    *,
    chunk_rows: int,
    on_bytes: Callable[[int], None] | None = None,
    classify: HeaderCheck = classify_header,
) -> Iterator[RawChunk]:
    with source.open_text(on_bytes) as stream:
        reader = csv.reader(stream)
        header = header_row(source, reader)
        kind = classify(source.name, header)
        names = _names(header)
        rows: list[list[str]] = []
        lines: list[int] = []

        def malformed(line: int, reason: str, row: list[str]) -> None:
            counts.malformed += 1
            quarantine.reject(source.name, line, reason, row)

        for start_line, row in checked_records(reader, header, names, counts, malformed):
            rows.append(row)
            lines.append(start_line)
            if len(rows) >= chunk_rows:
                yield RawChunk(source, kind, _string_table(names, rows), np.array(lines))
                rows, lines = [], []
        if rows:
            yield RawChunk(source, kind, _string_table(names, rows), np.array(lines))
