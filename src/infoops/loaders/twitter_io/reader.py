"""Stream a Twitter archive CSV as chunks of raw records, each with its starting line number.

The csv module is used rather than pandas because it reports physical line numbers (needed for
the quarantine) and copes with line breaks inside quoted fields, unquoted mirror re-exports, and
repeated header rows where split parts were concatenated.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from infoops.errors import InputFileError
from infoops.loaders.quarantine import Quarantine
from infoops.loaders.sources import InputFile
from infoops.loaders.twitter_io.columns import FileKind, classify_header

csv.field_size_limit(
    16 * 1024 * 1024
)  # a real tweet or bio is far smaller; this bounds runaway quotes


@dataclass
class RawChunk:
    source: InputFile
    kind: FileKind
    columns: dict[str, int]  # lower-cased column name -> position
    rows: list[list[str]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)


@dataclass
class ReadCounts:
    rows_read: int = 0  # data records seen (headers and blank lines excluded)
    malformed: int = 0  # rejected here, before field parsing
    repeated_headers: int = 0


def peek_kind(source: InputFile) -> FileKind:
    with source.open_text() as stream:
        header = next(csv.reader(stream), None)
    if not header:
        raise InputFileError(f"{source.name}: file is empty")
    return classify_header(source.name, header)


def read_chunks(
    source: InputFile,
    quarantine: Quarantine,
    counts: ReadCounts,
    *,
    chunk_rows: int = 50_000,
    on_bytes: Callable[[int], None] | None = None,
) -> Iterator[RawChunk]:
    with source.open_text(on_bytes) as stream:
        reader = csv.reader(stream)
        try:
            header = next(reader)
        except StopIteration:
            raise InputFileError(f"{source.name}: file is empty") from None
        except (csv.Error, UnicodeDecodeError) as exc:
            raise InputFileError(f"{source.name}: cannot read header: {exc}") from None
        kind = classify_header(source.name, header)
        columns = {name.strip().lower(): i for i, name in enumerate(header)}
        width = len(header)
        chunk = RawChunk(source, kind, columns)
        previous_end = reader.line_num
        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            except UnicodeDecodeError as exc:
                raise InputFileError(
                    f"{source.name}: not UTF-8 after line {previous_end} ({exc.reason}); "
                    "re-encode the file as UTF-8"
                ) from None
            except csv.Error as exc:
                counts.rows_read += 1
                counts.malformed += 1
                quarantine.reject(source.name, previous_end + 1, f"unreadable CSV: {exc}", [])
                previous_end = reader.line_num
                continue
            start_line = previous_end + 1
            previous_end = reader.line_num
            if not row:
                continue  # blank line
            if row == header:
                counts.repeated_headers += 1
                continue
            counts.rows_read += 1
            if len(row) != width:
                counts.malformed += 1
                quarantine.reject(
                    source.name,
                    start_line,
                    f"expected {width} fields, found {len(row)}",
                    row,
                )
                continue
            chunk.rows.append(row)
            chunk.lines.append(start_line)
            if len(chunk.rows) >= chunk_rows:
                yield chunk
                chunk = RawChunk(source, kind, columns)
        if chunk.rows:
            yield chunk
