"""Turn what an investigator types (files, folders, globs, zips, .gz) into readable inputs.

Archives are read in place, never unpacked to disk; every input reports how many bytes it holds
so progress can be shown against the uncompressed size.

Released archives arrive cut short or damaged. Every byte a loader reads passes through
``_Checked``, which turns the decompressors' own exceptions (``EOFError`` of a truncated
stream, ``zlib.error``, ``gzip.BadGzipFile``, ``zipfile.BadZipFile`` of a bad CRC) into one
InputFileError naming the file, and the member of a zip (``release.zip!member.csv.gz``), with
what is wrong. Readers on top (csv, Arrow's CSV reader) pass it through unchanged.

A release's split parts (``_1`` .. ``_12``, ``_part1``, ``_2013``, ``_a``) come out in their
natural order, however they were named or globbed, so a release loads the same as its unsplit
file. A content found twice (a zip beside the CSV it was unpacked to, a ``.gz`` beside its
``.csv``) is read once: ``distinct_contents`` says which copy it skipped.
"""

from __future__ import annotations

import glob
import gzip
import hashlib
import io
import os
import re
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
        stored, unpacked = self._sizes()
        return unpacked or stored

    @property
    def layers(self) -> int:
        """How many decompressions reading it takes: the plain file is the cheapest copy."""
        return (self.member is not None) + self.gzipped

    def _sizes(self) -> tuple[int, int | None]:
        """The file's bytes (a zip member's once unzipped), and what its gzip stream says it
        unpacks to: the size mod 2**32 (RFC 1952), 0 when it cannot be told; None when the
        file is not gzipped."""
        with self._translated("zip archive" if self.member is not None else "file"):
            if self.member is not None:
                with zipfile.ZipFile(self.path) as archive:
                    info = archive.getinfo(self.member)
                if not self.gzipped:
                    return info.file_size, None
                if info.compress_type == zipfile.ZIP_STORED:
                    return info.file_size, _stored_gzip_size(self.path, info)
                return info.file_size, 0  # a deflated .gz: its trailer is not read in place
            size = self.path.stat().st_size
            if not self.gzipped:
                return size, None
            if size < _GZIP_SMALLEST:
                return size, 0
            with self.path.open("rb") as raw:  # gzip keeps the size mod 2**32 at its end
                raw.seek(-4, os.SEEK_END)
                return size, int(struct.unpack("<I", raw.read(4))[0])

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
    """Expand paths, folders and globs into inputs, in the order named; what one folder, glob
    or zip holds in natural order. The same file named twice is one input.

    The parts of one set (``x_tweets_csv_hashed_1.csv`` .. ``_12``) load in part order wherever
    they were named, at the place of the first one named: a shell glob lists ``_10`` before
    ``_2``, and which copy of a repeated tweet is kept must not depend on that.
    """
    inputs: list[InputFile] = []
    for spec in specs:
        text = str(spec)
        matches = glob.glob(text, recursive=True) if glob.has_magic(text) else [text]
        if not matches:
            raise InputFileError(f"{printable(text)}: no file matches this pattern")
        for match in sorted(matches, key=natural_key):
            inputs.extend(_expand(Path(match)))
    sets: dict[str, list[InputFile]] = {}
    seen: set[tuple[Path, str | None]] = set()
    for item in inputs:
        identity = (item.path.resolve(), item.member)
        if identity not in seen:
            seen.add(identity)
            sets.setdefault(_set_name(item), []).append(item)
    return [item for parts in sets.values() for item in sorted(parts, key=_part_order)]


# What a split release appends to a set's file name: _1, _01, _part1, a year (_2013, _2020_01),
# a letter (_a .. _d). A set's files are its name and these, before the extension.
_PART_SUFFIX = re.compile(r"(?:[_-](?:part)?[0-9]+|[_-][a-z])+$", re.IGNORECASE)
_EXTENSION = re.compile(r"(?:\.[a-z]+)*$", re.IGNORECASE)


def _base_name(item: InputFile) -> str:
    return (item.member or item.path.name).rsplit("/", 1)[-1]


def _set_name(item: InputFile) -> str:
    """The set a file belongs to: its base name without extension and part suffix."""
    stem = _EXTENSION.sub("", _base_name(item))
    return _PART_SUFFIX.sub("", stem).lower() or stem


def _part_order(item: InputFile) -> tuple[tuple[tuple[str | int, ...], str], ...]:
    return natural_key(_base_name(item)), natural_key(item.name)


_NUMBER = re.compile(r"([0-9]+)")  # ASCII digits only: int() of other Unicode digits fails


def natural_key(name: str) -> tuple[tuple[str | int, ...], str]:
    """Sort key reading runs of digits as numbers: ``part2`` < ``part10``, ``_2013`` < ``_2014``,
    ``_a`` < ``_b``. Split on digit runs, text and numbers alternate at fixed positions, so two
    keys always compare; the name itself breaks ties (``_01`` and ``_1``)."""
    pieces = _NUMBER.split(name)
    return tuple(int(piece) if index % 2 else piece for index, piece in enumerate(pieces)), name


LIST_SEPARATOR = ", "


def listed_files(names: Iterable[str], earlier: str | None = None) -> str:
    """A release's file list as its Disclosure node keeps it: ``names`` and those an earlier
    load listed (``earlier``), each once, in natural order, so parts loaded in several runs
    are listed as one release."""
    listed = set(earlier.split(LIST_SEPARATOR)) if earlier else set()
    listed.update(names)
    listed.discard("")
    return LIST_SEPARATOR.join(sorted(listed, key=natural_key))


@dataclass(frozen=True)
class SkippedCopy:
    """An input not read because another input holds the same content."""

    name: str  # the copy left out, as messages show it
    same_as: str  # the copy read instead
    size: int  # bytes of the content, decompressed

    @property
    def message(self) -> str:
        """What the user is told, in one line."""
        return (
            f"skipped {self.name}: same content as {self.same_as} ({self.size:,} bytes), read once"
        )


_GLIMPSE_BYTES = 1 << 16  # compared first: parts of a release differ within their first rows
_READ_BYTES = 1 << 20


@dataclass(frozen=True)
class _Glimpse:
    """What tells contents apart without reading them whole."""

    start: bytes  # a digest of the first _GLIMPSE_BYTES
    whole: int | None  # the content's length when the glimpse was all of it
    size_mod32: int | None  # the decompressed size mod 2**32 where the file says it


def distinct_contents(inputs: list[InputFile]) -> tuple[list[InputFile], list[SkippedCopy]]:
    """``inputs`` with each content once, in their order, and the copies left out.

    Two inputs are the same content when their decompressed bytes are: same length and same
    BLAKE2b digest, read streaming; names do not count (a zip member, its extracted file and
    a .gz of it are one content, two files that share a name need not be). Only inputs that
    begin alike (a digest of their first 64 KiB) and whose sizes, where the file says them,
    agree are read whole. Of the copies of one content the one with fewest decompression
    layers is read (the extracted CSV rather than the zip member), then the first in order.
    """
    glimpses = [_glimpse(source) for source in inputs]
    alike: dict[tuple[bytes, int | None], list[int]] = {}
    for index, glimpse in enumerate(glimpses):
        alike.setdefault((glimpse.start, glimpse.whole), []).append(index)
    contents: dict[tuple[int, bytes], list[int]] = {}
    for indices in alike.values():
        if len(indices) < 2:
            continue
        for index in _possibly_equal(indices, glimpses):
            glimpse = glimpses[index]
            content = (
                (glimpse.whole, glimpse.start)
                if glimpse.whole is not None
                else _content_digest(inputs[index])
            )
            contents.setdefault(content, []).append(index)
    skipped_as: dict[int, SkippedCopy] = {}
    for (size, _), indices in contents.items():
        kept = min(indices, key=lambda index: (inputs[index].layers, index))
        for index in indices:
            if index != kept:
                skipped_as[index] = SkippedCopy(inputs[index].name, inputs[kept].name, size)
    distinct = [source for index, source in enumerate(inputs) if index not in skipped_as]
    return distinct, [skipped_as[index] for index in sorted(skipped_as)]


def _possibly_equal(indices: list[int], glimpses: list[_Glimpse]) -> list[int]:
    """Those of ``indices`` (inputs that begin alike) that another one may equal: a known size
    shared with another, or a size not known."""
    sizes = [glimpses[index].size_mod32 for index in indices]
    if None in sizes:
        return indices
    return [index for index, size in zip(indices, sizes, strict=True) if sizes.count(size) > 1]


def _glimpse(source: InputFile) -> _Glimpse:
    with source._decompressed(None) as raw:
        start = io.BufferedReader(raw, buffer_size=_GLIMPSE_BYTES).read(_GLIMPSE_BYTES + 1)
    # A gzip trailer gives the size of its last member only: a concatenated .gz may be taken
    # for a different content (read twice, as before), never for the same one.
    stored, unpacked = source._sizes()
    size = stored if unpacked is None else unpacked or None  # 0: the trailer was not read
    return _Glimpse(
        start=hashlib.blake2b(start[:_GLIMPSE_BYTES]).digest(),
        whole=len(start) if len(start) <= _GLIMPSE_BYTES else None,
        size_mod32=None if size is None else size % (1 << 32),
    )


def _content_digest(source: InputFile) -> tuple[int, bytes]:
    """Length and BLAKE2b digest of the decompressed bytes, read a megabyte at a time."""
    digest = hashlib.blake2b()
    length = 0
    with source._decompressed(None) as raw:
        stream = io.BufferedReader(raw, buffer_size=_READ_BYTES)
        while block := stream.read(_READ_BYTES):
            digest.update(block)
            length += len(block)
    return length, digest.digest()


def _expand(path: Path) -> list[InputFile]:
    shown = printable(str(path))
    if not path.exists():
        raise InputFileError(f"{shown}: no such file or folder")
    if path.is_dir():
        found = [
            child
            for child in sorted(path.rglob("*"), key=lambda child: natural_key(str(child)))
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
    members = sorted((info.filename for info in infos if _is_data(info.filename)), key=natural_key)
    if not members:
        raise InputFileError(f"{shown}: zip archive holds no .csv or .csv.gz file")
    return [InputFile(f"{shown}{MEMBER_SEPARATOR}{printable(m)}", path, m) for m in members]


def _is_data(name: str) -> bool:
    return name.lower().endswith(DATA_SUFFIXES)
