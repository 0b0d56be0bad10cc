"""Rows a loader cannot read are kept, not dropped: file, line number, reason and the raw record.

The cells hold data from files that may be hostile, and investigators open this CSV in a
spreadsheet: text that is not valid UTF-8 is written as backslash escapes (``\\xe9``), and the
file goes through the project's CSV writer (``infoops.csv_writer``), which prefixes a cell that
a spreadsheet would run as a formula with ``'``. The record cell is itself a CSV line with every
field quoted, so it always starts with ``"``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import IO

from infoops.csv_writer import RowWriter, quoted_line


class Quarantine:
    """A CSV of rejected rows, created on the first rejection (no empty files lying around)."""

    COLUMNS = ("file", "line", "reason", "record")

    def __init__(self, path: Path | str | None) -> None:
        """``path=None`` holds rejections in memory until ``replay_into`` (see the loader)."""
        self.path = Path(path) if path is not None else None
        self.count = 0
        self.held: list[tuple[str, int, str, list[str]]] = []
        self._stream: IO[str] | None = None
        self._writer: RowWriter | None = None

    def reject(self, file: str, line: int, reason: str, record: list[str]) -> None:
        self.count += 1
        if self.path is None:
            self.held.append((file, line, reason, record))
            return
        if self._writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._stream = self.path.open("w", encoding="utf-8", newline="")
            self._writer = RowWriter(self._stream, self.COLUMNS)
        # The project's writer escapes formulas in file and reason; the record is one quoted
        # CSV line, so it starts with a quote.
        record_line = quoted_line([utf8_text(field) for field in record])
        self._writer.write([utf8_text(file), line, utf8_text(reason), record_line])

    def replay_into(self, other: Quarantine) -> None:
        for rejection in self.held:
            other.reject(*rejection)
        self.held.clear()

    def close(self) -> None:
        if self._stream is not None:
            self._stream.close()
            self._stream = None
            self._writer = None


_SURROGATE = re.compile("[\ud800-\udfff]")


def utf8_text(text: str) -> str:
    """``text`` with the bytes that were not UTF-8 (kept as lone surrogates by the reader's
    ``surrogateescape``) written as ``\\xe9``, so the cell can be written as UTF-8 at all."""
    if not _SURROGATE.search(text):
        return text
    return _SURROGATE.sub(_escape_surrogate, text)


def _escape_surrogate(found: re.Match[str]) -> str:
    code = ord(found.group())
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"
