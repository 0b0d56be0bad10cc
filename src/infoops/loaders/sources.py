"""Turn what an investigator types (files, folders, globs, zips, .gz) into readable inputs.

Archives are read in place, never unpacked to disk; every input reports how many bytes it holds
so progress can be shown against the uncompressed size.
"""

from __future__ import annotations

import glob
import gzip
import io
import os
import struct
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from infoops.errors import InputFileError

# Data files are CSV, optionally gzipped; .txt covers media lists shipped next to them.
DATA_SUFFIXES = (".csv", ".csv.gz", ".tsv", ".tsv.gz", ".gz")


@dataclass(frozen=True)
class InputFile:
    """One CSV stream: a plain file, a .gz, or a member of a .zip."""

    name: str  # what messages show: path, or 'archive.zip:member.csv'
    path: Path
    member: str | None = None

    @property
    def size(self) -> int:
        """Uncompressed size in bytes (best effort), for progress bars."""
        if self.member is not None:
            with zipfile.ZipFile(self.path) as archive:
                return archive.getinfo(self.member).file_size
        if self.path.suffix == ".gz":
            with self.path.open("rb") as raw:  # gzip keeps the size mod 2**32 in its last 4 bytes
                raw.seek(-4, os.SEEK_END)
                return int(struct.unpack("<I", raw.read(4))[0]) or self.path.stat().st_size
        return self.path.stat().st_size

    @contextmanager
    def open_text(self, on_bytes: Callable[[int], None] | None = None) -> Iterator[IO[str]]:
        """UTF-8 text, BOM stripped, newlines kept inside quoted fields (``newline=''``)."""
        with self._open_binary() as binary:
            counted: Any = _CountingReader(binary, on_bytes) if on_bytes else binary
            text = io.TextIOWrapper(counted, encoding="utf-8-sig", newline="")
            try:
                yield text
            finally:
                text.detach()

    @contextmanager
    def open_binary(self, on_bytes: Callable[[int], None] | None = None) -> Iterator[Any]:
        """Decompressed bytes with a UTF-8 BOM skipped; ``on_bytes`` follows the reading."""
        with self._open_binary() as binary:
            stream = io.BufferedReader(
                _CountingReader(binary, on_bytes or (lambda n: None)), buffer_size=1 << 20
            )
            if stream.peek(3)[:3] == b"\xef\xbb\xbf":
                stream.read(3)
            yield stream

    @contextmanager
    def _open_binary(self) -> Iterator[Any]:
        if self.member is not None:
            with zipfile.ZipFile(self.path) as archive, archive.open(self.member) as member:
                yield member
        elif self.path.suffix == ".gz":
            with gzip.open(self.path, "rb") as stream:
                yield stream
        else:
            with self.path.open("rb") as stream:
                yield stream


class _CountingReader(io.RawIOBase):
    """Reports every chunk of bytes read, so a progress bar can follow a stream."""

    def __init__(self, inner: IO[bytes], on_bytes: Callable[[int], None]) -> None:
        self._inner = inner
        self._on_bytes = on_bytes

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self._inner.read(len(buffer))
        buffer[: len(data)] = data
        self._on_bytes(len(data))
        return len(data)


def resolve_inputs(specs: Iterable[str | Path]) -> list[InputFile]:
    """Expand paths, folders and globs into inputs, sorted so split parts load in order."""
    inputs: list[InputFile] = []
    for spec in specs:
        text = str(spec)
        matches = sorted(glob.glob(text, recursive=True)) if glob.has_magic(text) else [text]
        if not matches:
            raise InputFileError(f"{text}: no file matches this pattern")
        for match in matches:
            inputs.extend(_expand(Path(match)))
    seen: set[tuple[Path, str | None]] = set()
    unique = []
    for item in inputs:
        identity = (item.path.resolve(), item.member)
        if identity not in seen:
            seen.add(identity)
            unique.append(item)
    return unique


def _expand(path: Path) -> list[InputFile]:
    if not path.exists():
        raise InputFileError(f"{path}: no such file or folder")
    if path.is_dir():
        found = [
            child
            for child in sorted(path.rglob("*"))
            if child.is_file() and (_is_data(child.name) or child.suffix == ".zip")
        ]
        if not found:
            raise InputFileError(f"{path}: folder holds no .csv, .csv.gz or .zip file")
        return [item for child in found for item in _expand(child)]
    if path.suffix == ".zip":
        try:
            with zipfile.ZipFile(path) as archive:
                members = [
                    info.filename
                    for info in archive.infolist()
                    if not info.is_dir()
                    and _is_data(info.filename)
                    and not info.filename.startswith("__MACOSX")
                ]
        except zipfile.BadZipFile as exc:
            raise InputFileError(f"{path}: not a readable zip archive ({exc})") from None
        if not members:
            raise InputFileError(f"{path}: zip archive holds no .csv file")
        return [InputFile(f"{path}:{m}", path, m) for m in sorted(members)]
    return [InputFile(str(path), path)]


def _is_data(name: str) -> bool:
    return name.lower().endswith(DATA_SUFFIXES)
