"""Every CSV that infoops writes for people, in one dialect, safe to open in a spreadsheet.

Investigators open these files in Excel or LibreOffice, and the data is hostile: tweet texts,
screen names and profile fields are written by the operators under study. A text cell starting
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be read as a formula
(``=HYPERLINK(...)`` phones home when clicked, ``=cmd|...`` asks to run a program), so it gets a
leading apostrophe, as OWASP's CSV-injection guidance says; the spreadsheet shows the text.
``raw=True`` writes text exactly as it is, for scripts that must read the values back.

Cells: ``None`` is empty, booleans are ``true``/``false`` (as Cypher and JSON write them), numbers
are written as numbers and never escaped (``-2`` stays minus two), text is text, and anything
else (lists, maps, nodes) is rendered by the caller's ``text_of`` (JSON by default) and then
treated as text.

Files for machines that must stay byte-exact are not written here: neo4j-admin's import files
(``transfer/neo4j_import.py``, Arrow's CSV writer) and the synthetic takedown files that stand in
for a platform's own.
"""

from __future__ import annotations

import csv
import io
import json
import numbers
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TextIO

# What a spreadsheet takes for the start of a formula (OWASP, "CSV Injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# RFC 4180's line end, for files and stdout alike. Python's csv quotes a cell only for the
# characters of the line end (besides delimiter and quote): with "\n" alone a carriage return
# inside a cell would go out bare and split the row for every reader.
LINE_END = "\r\n"

TextOf = Callable[[Any], str]


def escape_formula(text: str) -> str:
    """``text`` as a spreadsheet will show it rather than evaluate it."""
    return "'" + text if text.startswith(FORMULA_START) else text


def json_text(value: Any) -> str:
    """Lists and maps as JSON; other values (dates, say) as their text."""
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def csv_cell(value: Any, *, raw: bool = False, text_of: TextOf = json_text) -> str | numbers.Number:
    """One value as a cell: numbers as they are, everything else as (escaped) text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, numbers.Number):  # int, float, Decimal (Ladybug's sum)
        return value
    text = value if isinstance(value, str) else text_of(value)
    return text if raw else escape_formula(text)


class RowWriter:
    """``header``, then rows one at a time, as CSV into ``stream`` (for files written as they
    grow, like the loaders' quarantine)."""

    def __init__(
        self,
        stream: TextIO,
        header: Sequence[Any],
        *,
        raw: bool = False,
        text_of: TextOf = json_text,
    ) -> None:
        self._writer = csv.writer(stream, lineterminator=LINE_END)
        self._raw, self._text_of = raw, text_of
        self.rows = 0
        self._writer.writerow(self._cells(header))

    def write(self, row: Sequence[Any]) -> None:
        self._writer.writerow(self._cells(row))
        self.rows += 1

    def _cells(self, row: Sequence[Any]) -> list[str | numbers.Number]:
        return [csv_cell(value, raw=self._raw, text_of=self._text_of) for value in row]


def write_rows(
    stream: TextIO,
    header: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    *,
    raw: bool = False,
    text_of: TextOf = json_text,
) -> int:
    """``header`` then ``rows`` as CSV into ``stream``; returns the rows written."""
    writer = RowWriter(stream, header, raw=raw, text_of=text_of)
    for row in rows:
        writer.write(row)
    return writer.rows


def quoted_line(fields: Sequence[str]) -> str:
    """``fields`` as one CSV line, every field quoted and none escaped, without a line end: a
    rejected record kept whole inside one cell (it starts with a quote, so it is never a
    formula)."""
    buffer = io.StringIO()
    csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="").writerow(fields)
    return buffer.getvalue()


def csv_text(
    header: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    *,
    raw: bool = False,
    text_of: TextOf = json_text,
) -> str:
    """The CSV as a string (for stdout)."""
    buffer = io.StringIO()
    write_rows(buffer, header, rows, raw=raw, text_of=text_of)
    return buffer.getvalue()


def write_csv_file(
    path: str | Path,
    header: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    *,
    raw: bool = False,
    text_of: TextOf = json_text,
) -> Path:
    """The CSV as a UTF-8 file at ``path`` (its folder is created); returns the path."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8", newline="") as stream:
        write_rows(stream, header, rows, raw=raw, text_of=text_of)
    return target
