"""Records of a CSV file read with Python's csv module, each with the line it starts on.

What every source's exact reader does alike (Twitter's, and Meta's indicators): the header
(an empty file, a header the csv module cannot read or that is not UTF-8 is a one-line error
naming the file); then each record numbered by its first physical line, with blank lines and
repeated headers passed over and counted, and the records that cannot be loaded (unreadable
CSV, bytes that are not UTF-8, the wrong number of fields) handed to ``malformed`` with their
line and reason, for the quarantine or to give up on the fast path.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator
from typing import Any

from infoops.errors import InputFileError
from infoops.loaders.load_report import ReadCounts
from infoops.loaders.sources import InputFile, printable

csv.field_size_limit(16 * 1024 * 1024)  # a real tweet or bio is far smaller; bounds runaway quotes
# What ``surrogateescape`` makes of a byte that is not UTF-8 (see InputFile.open_text).
_UNDECODED_BYTE = re.compile("[\udc80-\udcff]")

Malformed = Callable[[int, str, list[str]], None]  # (line, reason, raw fields)


def read_header(source: InputFile) -> list[str]:
    """The header of ``source``, opened for it alone."""
    with source.open_text() as stream:
        return header_row(source, csv.reader(stream))


def header_row(source: InputFile, reader: Iterator[list[str]]) -> list[str]:
    """The first record of an open ``csv.reader``, checked as a header."""
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise InputFileError(f"{source.name}: cannot read header: {exc}") from None
    if not header:
        raise InputFileError(f"{source.name}: file is empty")
    problem = undecodable(header, [f"column {i + 1}" for i in range(len(header))])
    if problem:
        # Columns are matched by name: a header that is not UTF-8 cannot be read at all.
        raise InputFileError(
            f"{source.name}: cannot read header: not UTF-8 ({problem}); re-encode the file as UTF-8"
        )
    return header


def checked_records(
    reader: Any,
    header: list[str],
    names: list[str],
    counts: ReadCounts,
    malformed: Malformed,
) -> Iterator[tuple[int, list[str]]]:
    """(first line, fields) of each loadable record after the header; ``names``: the columns
    as a reason names them."""
    previous_end = reader.line_num
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            counts.rows_read += 1
            malformed(previous_end + 1, f"unreadable CSV: {exc}", [])
            previous_end = reader.line_num
            continue
        start_line, previous_end = previous_end + 1, reader.line_num
        if not row:
            continue  # a blank line
        if row == header:
            counts.repeated_headers += 1
            continue
        counts.rows_read += 1
        not_utf8 = undecodable(row, names)
        if not_utf8:
            reason = f"not UTF-8: {not_utf8}; re-encode the file as UTF-8 to load this row"
            malformed(start_line, reason, row)
        elif len(row) != len(header):
            malformed(start_line, f"expected {len(header)} fields, found {len(row)}", row)
        else:
            yield start_line, row


def undecodable(fields: list[str], names: list[str]) -> str | None:
    """Where the first byte that was not UTF-8 sits in a record: 'byte 0xe9 in <column>'."""
    if not _UNDECODED_BYTE.search("".join(fields)):  # one search per record, in C
        return None
    for index, value in enumerate(fields):
        found = _UNDECODED_BYTE.search(value)
        if found:
            column = names[index] if index < len(names) else f"field {index + 1}"
            return f"byte 0x{ord(found.group()) - 0xDC00:02x} in {printable(column)}"
    return None
