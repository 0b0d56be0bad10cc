"""Turn what an investigator types (files, folders, globs, zips, .gz) into readable inputs.

Archives are read in place, never unpacked to disk; every input reports how many bytes it holds
so progress can be shown against the uncompressed size.

Released archives arrive cut short or damaged. Every byte a loader reads passes through
``_Checked``, which turns the decompressors' own exceptions (``EOFError`` of a truncated
stream, ``zlib.error``, ``gzip.BadGzipFile``, ``zipfile.BadZipFile`` of a bad CRC) into one
InputFileError naming the file, and the member of a zip (``release.zip!member.csv.gz``), with
what is wrong. Readers on top (csv, Arrow's CSV reader) pass it through unchanged.
"""

from __future__ import annotations

import glob
import gzip
import io
import os
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from infoops.errors import InputFileError

# Data files are CSV, optionally gzipped; .txt covers media lists shipped next to them.
DATA_SUFFIXES = (".csv", ".csv.gz", ".tsv", ".tsv.gz", ".gz")
MEMBER_SEPARATOR = "!"  # release.zip!inner/x_tweets_csv_hashed.csv.gz, as jar: URLs write it
_GZIP_SMALLEST = 18  # header and trailer of an empty gzip stream


def printable(text: str) -> str:
    """``text`` safe to show on one terminal line: control characters (a file or member name
    from a hostile archive may hold line breaks or escape sequences) and bytes that were not
    UTF-8 (decoded with ``surrogateescape``) become backslash escapes."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else _escape(char) for char in text)


def _escape(char: str) -> str:
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, kept by surrogateescape
        return f"\\x{code - 0xDC00:02x}"
    return char.encode("unicode_escape").decode("ascii")


@dataclass(frozen=True)
class InputFile:
    """One CSV stream: a plain file, a .gz, or a member of a .zip (itself maybe a .gz)."""

    name: str  # what messages show: path, or 'archive.zip!member.csv', printable
    path: Path
    member: str | None = None

    @property
    def gzipped(self) -> bool:
        return (self.member or self.path.name).lower().endswith(".gz")

    @property
    def size(self) -> int:
        """Uncompressed size in bytes (best effort), for progress bars."""
        with self._translated("zip archive" if self.member is not None else "file"):
            if self.member is not None:
                with zipfile.ZipFile(self.path) as archive:
                    info = archive.getinfo(self.member)
                    if self.gzipped and info.compress_type == zipfile.ZIP_STORED:
                        return _stored_gzip_size(self.path, info) or info.file_size
                    return info.file_size
            size = self.path.stat().st_size
            if self.gzipped and size >= _GZIP_SMALLEST:
                with self.path.open("rb") as raw:  # gzip keeps the size mod 2**32 at its end
                    raw.seek(-4, os.SEEK_END)
                    return int(struct.unpack("<I", raw.read(4))[0]) or size
            return size

    @contextmanager
    def open_text(self, on_bytes: Callable[[int], None] | None = None) -> Iterator[IO[str]]:
        """UTF-8 text, BOM stripped, newlines kept inside quoted fields (``newline=''``).

        Bytes that are not UTF-8 do not stop the reading: they arrive as lone surrogates
        (``surrogateescape``), so the reader can reject the one row holding them.
        """
        with self._decompressed(on_bytes) as raw:
            text = io.TextIOWrapper(
                io.BufferedReader(raw, buffer_size=1 << 16),
                encoding="utf-8-sig",
                errors="surrogateescape",
                newline="",
            )
            try:
                yield text
            finally:
                text.detach()

    @contextmanager
    def open_binary(self, on_bytes: Callable[[int], None] | None = None) -> Iterator[Any]:
        """Decompressed bytes with a UTF-8 BOM skipped; ``on_bytes`` follows the reading."""
        with self._decompressed(on_bytes) as raw:
            stream = io.BufferedReader(raw, buffer_size=1 << 20)
            if stream.peek(3)[:3] == b"\xef\xbb\xbf":
                stream.read(3)
            yield stream

    @contextmanager
    def _decompressed(self, on_bytes: Callable[[int], None] | None) -> Iterator[_Checked]:
        """The layers of this input, each read through a ``_Checked`` naming what it is."""
        with ExitStack() as layers:
            # Only opening is translated here: exceptions of whoever reads the stream must not
            # be taken for damage of the archive.
            if self.member is not None:
                with self._translated("zip archive"):
                    archive = layers.enter_context(zipfile.ZipFile(self.path))
                    member = layers.enter_context(archive.open(self.member))
                stream = _Checked(member, self.name, "zip member")
            else:
                with self._translated("file"):
                    stream = _Checked(layers.enter_context(self.path.open("rb")), self.name, "file")
            if self.gzipped:
                gzipped = layers.enter_context(gzip.GzipFile(fileobj=stream, mode="rb"))
                stream = _Checked(gzipped, self.name, "gzip stream")
            stream.on_bytes = on_bytes
            yield stream

    @contextmanager
    def _translated(self, layer: str) -> Iterator[None]:
        try:
            yield
        except _DAMAGE as exc:
            raise InputFileError(f"{self.name}: {describe_damage(exc, layer)}") from None


def _stored_gzip_size(path: Path, info: zipfile.ZipInfo) -> int:
    """The size a .gz stored (not deflated) in a zip unpacks to, from its last 4 bytes, read in
    place: seeking a member to its end would read the whole member first."""
    if info.flag_bits & 0x1 or info.compress_size < _GZIP_SMALLEST:
        return 0  # encrypted, or too short to be a gzip stream
    with path.open("rb") as raw:
        raw.seek(info.header_offset)
        local = raw.read(30)  # the local file header; its name and extra field come after
        if len(local) < 30 or local[:4] != b"PK\x03\x04":
            return 0
        name_length, extra_length = struct.unpack("<HH", local[26:30])
        raw.seek(info.header_offset + 30 + name_length + extra_length + info.compress_size - 4)
        trailer = raw.read(4)
    return int(struct.unpack("<I", trailer)[0]) if len(trailer) == 4 else 0


# What damaged or unreadable archives raise; gzip.BadGzipFile is an OSError. RuntimeError and
# NotImplementedError are zipfile's ways of saying "encrypted" and "unknown compression".
_DAMAGE = (EOFError, zlib.error, zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError)


def describe_damage(exc: BaseException, layer: str) -> str:
    """What is wrong, in words, for an exception of ``_DAMAGE`` met reading ``layer``."""
    detail = printable(str(exc))
    if isinstance(exc, EOFError):
        return f"truncated {layer}: the file ends before its compressed data does"
    if isinstance(exc, gzip.BadGzipFile):
        return f"corrupt {layer} ({detail})"
    if isinstance(exc, zlib.error):
        return f"corrupt {layer}: its compressed data cannot be decompressed ({detail})"
    if isinstance(exc, zipfile.BadZipFile):
        if layer == "zip archive" and "not a zip file" in detail:
            return f"not a zip archive, or a truncated one ({detail})"
        return f"corrupt zip ({detail})"
    if isinstance(exc, NotImplementedError | RuntimeError):  # encrypted, unknown compression
        return f"cannot read this zip member ({detail})"
    return f"cannot read the {layer} ({detail})"


class _Checked(io.RawIOBase):
    """One layer of an input: reports the bytes read, and says which file is damaged."""

    def __init__(self, inner: IO[bytes] | gzip.GzipFile, name: str, layer: str) -> None:
        self._inner = inner
        self._name = name
        self._layer = layer
        self.on_bytes: Callable[[int], None] | None = None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        try:
            data = self._inner.read(len(buffer))
        except InputFileError:
            raise  # an inner layer already said what is wrong
        except _DAMAGE as exc:
            raise InputFileError(f"{self._name}: {describe_damage(exc, self._layer)}") from None
        buffer[: len(data)] = data
        if self.on_bytes is not None:
            self.on_bytes(len(data))
        return len(data)


def resolve_inputs(specs: Iterable[str | Path]) -> list[InputFile]:
    """Expand paths, folders and globs into inputs, sorted so split parts load in order."""
    inputs: list[InputFile] = []
    for spec in specs:
        text = str(spec)
        matches = sorted(glob.glob(text, recursive=True)) if glob.has_magic(text) else [text]
        if not matches:
            raise InputFileError(f"{printable(text)}: no file matches this pattern")
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
    shown = printable(str(path))
    if not path.exists():
        raise InputFileError(f"{shown}: no such file or folder")
    if path.is_dir():
        found = [
            child
            for child in sorted(path.rglob("*"))
            if child.is_file() and (_is_data(child.name) or child.suffix.lower() == ".zip")
        ]
        if not found:
            raise InputFileError(f"{shown}: folder holds no .csv, .csv.gz or .zip file")
        return [item for child in found for item in _expand(child)]
    if path.suffix.lower() == ".zip":
        return _zip_members(path)
    return [InputFile(shown, path)]


def _zip_members(path: Path) -> list[InputFile]:
    shown = printable(str(path))
    try:
        with zipfile.ZipFile(path) as archive:
            infos = [
                info
                for info in archive.infolist()
                if not info.is_dir() and not info.filename.startswith("__MACOSX")
            ]
    except _DAMAGE as exc:
        raise InputFileError(f"{shown}: {describe_damage(exc, 'zip archive')}") from None
    for info in infos:
        if info.filename.lower().endswith(".zip"):
            # Reading a zip member as a zip means seeking in a decompressed stream; unzipping
            # the outer archive is one command and makes the inner one an ordinary input.
            raise InputFileError(
                f"{shown}{MEMBER_SEPARATOR}{printable(info.filename)}: a zip inside a zip is "
                f"not read; unzip {printable(path.name)} and load the inner archive"
            )
    members = sorted(info.filename for info in infos if _is_data(info.filename))
    if not members:
        raise InputFileError(f"{shown}: zip archive holds no .csv or .csv.gz file")
    return [InputFile(f"{shown}{MEMBER_SEPARATOR}{printable(m)}", path, m) for m in members]


def _is_data(name: str) -> bool:
    return name.lower().endswith(DATA_SUFFIXES)
