"""Rows a loader cannot read are kept, not dropped: file, line number, reason and the raw record."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import IO


class Quarantine:
    """A CSV of rejected rows, created on the first rejection (no empty files lying around)."""

    COLUMNS = ("file", "line", "reason", "record")

    def __init__(self, path: Path | str | None) -> None:
        """``path=None`` holds rejections in memory until ``replay_into`` (see the loader)."""
        self.path = Path(path) if path is not None else None
        self.count = 0
        self.held: list[tuple[str, int, str, list[str]]] = []
        self._stream: IO[str] | None = None
        self._writer: csv.DictWriter[str] | None = None

    def reject(self, file: str, line: int, reason: str, record: list[str]) -> None:
        self.count += 1
        if self.path is None:
            self.held.append((file, line, reason, record))
            return
        if self._writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._stream = self.path.open("w", encoding="utf-8", newline="")
            self._writer = csv.DictWriter(self._stream, self.COLUMNS, quoting=csv.QUOTE_ALL)
            self._writer.writeheader()
        self._writer.writerow(
            {"file": file, "line": line, "reason": reason, "record": _as_csv(record)}
        )

    def replay_into(self, other: Quarantine) -> None:
        for rejection in self.held:
            other.reject(*rejection)
        self.held.clear()

    def close(self) -> None:
        if self._stream is not None:
            self._stream.close()
            self._stream = None
            self._writer = None


def _as_csv(record: list[str]) -> str:
    """The rejected fields as one CSV line, so the original values survive byte for byte."""
    import io

    buffer = io.StringIO()
    csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="").writerow(record)
    return buffer.getvalue()
