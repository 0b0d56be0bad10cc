"""What a load counts and reports, whatever its source: per file, per load, and progress hooks.

Every row a reader sees ends as exactly one of loaded, already present or rejected, so a file's
report reconciles with what was read (``FileReport.reconciles``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from infoops.loaders.sources import SkippedCopy


@dataclass
class ReadCounts:
    """What a reader counted in one file, before any record was parsed."""

    rows_read: int = 0  # data records seen (headers and blank lines excluded)
    malformed: int = 0  # rejected by the reader, before field parsing
    repeated_headers: int = 0


@dataclass
class FileReport:
    name: str
    kind: str
    rows_read: int = 0
    loaded: int = 0
    already_present: int = 0
    rejected: int = 0
    repeated_headers: int = 0

    @property
    def reconciles(self) -> bool:
        return self.rows_read == self.loaded + self.already_present + self.rejected


@dataclass
class LoadReport:
    disclosure: str
    files: list[FileReport] = field(default_factory=list)
    skipped: list[SkippedCopy] = field(default_factory=list)  # copies of a content read once
    written: dict[str, int] = field(default_factory=dict)  # nodes / relationships created
    resumed: bool = False  # an interrupted earlier load of this disclosure was finished first
    derived: dict[str, int] = field(default_factory=dict)
    quarantine_path: Path | None = None
    seconds: float = 0.0

    def total(self, attribute: str) -> int:
        return sum(int(getattr(report, attribute)) for report in self.files)

    @property
    def reconciles(self) -> bool:
        return all(report.reconciles for report in self.files)


@dataclass
class LoadProgress:
    """Hooks for a progress display; the library itself prints nothing."""

    on_start: Callable[[int], None] = lambda total_bytes: None
    on_bytes: Callable[[int], None] = lambda count: None
    on_file: Callable[[str], None] = lambda name: None
