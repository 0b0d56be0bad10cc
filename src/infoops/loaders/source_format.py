"""What a source supplies to the load pipeline (loaders/pipeline.py): one ``SourceFormat``.

A plain frozen dataclass of values and functions rather than a base class to inherit from: a
format is then one small module that fills one in (twitter_io/twitter_format.py), its parts are
the functions it already has, and nothing of the pipeline's machinery leaks into it. The
Protocols below only name the shapes the pipeline relies on; a source's own types (its chunks,
its records, its writer) stay its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from infoops.engines.base import GraphEngine
from infoops.loaders.load_report import ReadCounts
from infoops.loaders.quarantine import Quarantine
from infoops.loaders.sources import InputFile
from infoops.loaders.staging import Stage


class MalformedFile(Exception):
    """Raised by a format's fast reader at a record it cannot place: the pipeline reads the
    file again with the format's exact reader. It never leaves the pipeline."""


class ParsedChunk(Protocol):
    """A chunk's records. ``rejected``: its rows refused so far; the writer may add the ones it
    finds conflicting, and the pipeline reads it after writing."""

    @property
    def rejected(self) -> int: ...


class StagedChunk(Protocol):
    """What the writer did with a chunk's rows that were not rejected."""

    @property
    def loaded(self) -> int: ...  # rows that become (or complete) nodes of the disclosure

    @property
    def already_present(self) -> int: ...  # rows the disclosure already holds


class FastReader(Protocol):
    """Chunks of a file, counted into ``counts``; raises ``MalformedFile``
    at the first record it cannot place (the file is then read again on the exact reader)."""

    def __call__(
        self,
        source: InputFile,
        counts: ReadCounts,
        *,
        chunk_rows: int,
        on_bytes: Callable[[int], None] | None = None,
    ) -> Iterator[Any]: ...


class ExactReader(Protocol):
    """Chunks of a file, each record with its physical line; a malformed record is quarantined
    with its line, counted as ``counts.malformed``, and passed over."""

    def __call__(
        self,
        source: InputFile,
        quarantine: Quarantine,
        counts: ReadCounts,
        *,
        chunk_rows: int,
        on_bytes: Callable[[int], None] | None = None,
    ) -> Iterator[Any]: ...


@dataclass(frozen=True)
class SourceKind:
    """One kind of file of a source (Twitter: users, tweets): how a chunk of it is parsed into
    records, and which method of the format's writer stages them."""

    name: str  # as ``SourceFormat.recognise`` returns it and the report shows it
    parse: Callable[[Any, Quarantine], ParsedChunk]  # (chunk, quarantine) -> records
    stage: Callable[[Any, Any], StagedChunk]  # (writer, records) -> outcome; writer.method


@dataclass(frozen=True)
class SourceFormat:
    """Everything the pipeline needs to know of a source: plain values and functions, no base
    class, so a new format is one small module that fills one of these in.

    - ``platform``: the Disclosure node's platform ("twitter");
    - ``recognise(file)``: the name of the file's kind, from its header, or an InputFileError
      of one line naming the file (nothing is read further, nothing written);
    - ``kinds``: the kinds, in the order their files load (a later kind may use an earlier one);
    - ``read_fast`` / ``read_exact``: a file as chunks (see ``FastReader``, ``ExactReader``), and
      the fast reader hands a file to the exact one by raising ``MalformedFile``;
    - ``writer(engine, disclosure, stage)``: the object that stages one load's parsed records,
      what the graph and the stage already hold left out; each kind's ``stage`` calls it;
    - ``survey(writer, files)``, optional: what the writer learns from all the files before
      any is staged (the 538 set names accounts by handle, across files, with no users file).
    """

    platform: str
    recognise: Callable[[InputFile], str]
    kinds: tuple[SourceKind, ...]
    read_fast: FastReader
    read_exact: ExactReader
    writer: Callable[[GraphEngine, str, Stage], Any]
    survey: Callable[[Any, list[InputFile]], None] | None = None

    def kind(self, name: str) -> SourceKind:
        for kind in self.kinds:
            if kind.name == name:
                return kind
        raise ValueError(f"{self.platform} has no kind of file named {name!r}")
