"""Meta's threat-indicator CSVs as chunks of rows, each with the physical line it starts on.

Two layouts, told apart by the header: the flat ``indicator_type, indicator_value, comment,
ds`` and the kill-chain ``Tactic, Technique, Procedure, Indicator, Note``. The files are small
(hundreds of rows), so both readers are Python's csv module: the fast one raises
``MalformedFile`` at the first record it cannot place, the exact one quarantines that record
with its line and goes on, as the load pipeline expects (loaders/source_format.py).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import Enum

from infoops.errors import InputFileError
from infoops.loaders.csv_records import checked_records, header_row, read_header
from infoops.loaders.load_report import ReadCounts
from infoops.loaders.quarantine import Quarantine
from infoops.loaders.source_format import MalformedFile
from infoops.loaders.sources import InputFile


class Layout(Enum):
    FLAT = "indicators"  # indicator_type, indicator_value, comment, ds
    KILL_CHAIN = "kill-chain"  # Tactic, Technique, Procedure, Indicator, Note


# The columns each layout needs (comment, ds and Note may be missing: they read as empty).
_REQUIRED = {
    Layout.FLAT: ("indicator_type", "indicator_value"),
    Layout.KILL_CHAIN: ("tactic", "technique", "procedure", "indicator"),
}


@dataclass
class RawChunk:
    source: InputFile
    layout: Layout
    columns: dict[str, int]  # lower-cased column name -> position
    rows: list[list[str]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)

    def field(self, row: list[str], name: str) -> str:
        at = self.columns.get(name)
        return row[at] if at is not None else ""


def _layout(source: InputFile, header: list[str]) -> tuple[Layout, dict[str, int]]:
    columns = {name.strip().lower(): at for at, name in enumerate(header)}
    for layout, required in _REQUIRED.items():
        if all(name in columns for name in required):
            return layout, columns
    raise InputFileError(
        f"{source.name}: not a Meta threat-indicator file: expected the columns "
        "indicator_type, indicator_value, comment, ds or Tactic, Technique, Procedure, "
        f"Indicator, Note; found {', '.join(header)[:200]}"
    )


def recognise(source: InputFile) -> str:
    """The layout of a file, by its header, as the pipeline names its kind."""
    return _layout(source, read_header(source))[0].value


def read_chunks_fast(
    source: InputFile,
    counts: ReadCounts,
    *,
    chunk_rows: int,
    on_bytes: Callable[[int], None] | None = None,
) -> Iterator[RawChunk]:
    def malformed(line: int, reason: str, row: list[str]) -> None:
        raise MalformedFile(f"line {line}: {reason}")

    return _read(source, counts, chunk_rows, on_bytes, malformed)


def read_chunks_exact(
    source: InputFile,
    quarantine: Quarantine,
    counts: ReadCounts,
    *,
    chunk_rows: int,
    on_bytes: Callable[[int], None] | None = None,
) -> Iterator[RawChunk]:
    def malformed(line: int, reason: str, row: list[str]) -> None:
        counts.malformed += 1
        quarantine.reject(source.name, line, reason, row)

    return _read(source, counts, chunk_rows, on_bytes, malformed)


def _read(
    source: InputFile,
    counts: ReadCounts,
    chunk_rows: int,
    on_bytes: Callable[[int], None] | None,
    malformed: Callable[[int, str, list[str]], None],
) -> Iterator[RawChunk]:
    with source.open_text(on_bytes) as stream:
        reader = csv.reader(stream)
        header = header_row(source, reader)
        layout, columns = _layout(source, header)
        chunk = RawChunk(source, layout, columns)
        for start_line, row in checked_records(reader, header, list(header), counts, malformed):
            chunk.rows.append(row)
            chunk.lines.append(start_line)
            if len(chunk.rows) >= chunk_rows:
                yield chunk
                chunk = RawChunk(source, layout, columns)
        if chunk.rows:
            yield chunk
