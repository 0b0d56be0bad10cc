"""The load pipeline, written once for every source: files in, graph and a reconciled report out.

A source says only what is its own, in a ``SourceFormat`` (loaders/source_format.py); all the
rest happens here, in this order, each stage handing its output to the next:

1. inputs: files, folders, globs, zips and .gz resolved, a content given twice read once
   (loaders/sources.py);
2. recognition: every file by its header, before anything is written, so a wrong file fails
   fast with nothing half-loaded; then the files in the order of the format's kinds;
3. resume: a load of this disclosure killed while writing is finished first; then the staging
   area is swept of loads killed while staging (loaders/load_journal.py);
4. staging: each file read chunk by chunk on the format's fast reader, and, at its first
   malformed record, read again on the exact one; each chunk parsed into records (rows the
   format refuses go to the quarantine with their line) and handed to the format's writer,
   which stages what the graph lacks (loaders/staging.py); the stage sealed into a plan, and
   what the load adds to the derived account edges counted beside it (loaders/derived_edges.py);
5. writing: the Disclosure node created and the journal started in one transaction, then the
   staged files written one journaled transaction each;
6. clean-up: a load that failed before writing leaves the graph untouched (not even a
   Disclosure node) and no staged files; one killed while writing is finished by the next. A
   full disk, in either phase, is a DiskFullError that says how much space the load needs.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from infoops.engines.base import GraphEngine
from infoops.loaders.derived_edges import SOURCES, counted_rows, stage_derived
from infoops.loaders.disclosure import check_disclosure_id, ensure_disclosure
from infoops.loaders.load_journal import (
    read_journal_stage,
    resume_interrupted,
    start_journal,
    sweep_abandoned,
    write_staged,
)
from infoops.loaders.load_report import FileReport, LoadProgress, LoadReport, ReadCounts
from infoops.loaders.memory import release_memory
from infoops.loaders.quarantine import Quarantine
from infoops.loaders.source_format import MalformedFile, SourceFormat, SourceKind
from infoops.loaders.sources import InputFile, distinct_contents, listed_files, resolve_inputs
from infoops.loaders.staging import (
    Stage,
    database_file,
    default_staging_dir,
    disk_full,
    staging_disk_full,
    writing_disk_full,
)

DEFAULT_CHUNK_ROWS = 100_000


@dataclass(frozen=True)
class _Options:
    """How the staging phase reads and stages (the same for every file of a load)."""

    chunk_rows: int
    part_rows: int | None
    progress: LoadProgress


@dataclass(frozen=True)
class _DisclosureNode:
    """What the load writes on its Disclosure node."""

    id: str
    platform: str
    name: str | None
    released: str | None
    source: str  # the files of the release, as listed_files lists them


def load_files(
    engine: GraphEngine,
    paths: Iterable[str | Path],
    disclosure: str,
    source_format: SourceFormat,
    *,
    name: str | None = None,
    released: str | None = None,
    quarantine_path: str | Path | None = None,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    progress: LoadProgress | None = None,
    staging_dir: Path | None = None,
    part_rows: int | None = None,
) -> LoadReport:
    """Load the files of ``source_format`` (any mix of files, folders, globs, zips, .gz) into
    ``engine`` as disclosure ``disclosure``; see the module's docstring for the stages."""
    started = time.perf_counter()
    check_disclosure_id(disclosure)
    options = _Options(chunk_rows, part_rows, progress or LoadProgress())
    inputs, skipped = distinct_contents(resolve_inputs(paths))
    listed = listed_files(Path(source.name).name for source in inputs)  # for the Disclosure node
    files = _in_load_order(inputs, source_format)
    quarantine = Quarantine(quarantine_path or Path("infoops-quarantine") / f"{disclosure}.csv")
    report = LoadReport(disclosure, skipped=skipped)
    try:
        report.resumed = _resume(engine, disclosure, options.progress)
        area = staging_dir or default_staging_dir(engine)
        if staging_dir is None:
            sweep_abandoned(engine, area)
        stage = _stage(engine, disclosure, source_format, files, area, report, quarantine, options)
        release_memory()  # the staging phase's garbage, before the engine needs its page cache
        node = _DisclosureNode(disclosure, source_format.platform, name, released, listed)
        _write(engine, node, stage, report, options.progress)
    finally:
        quarantine.close()
    report.quarantine_path = quarantine.path if quarantine.count else None
    report.seconds = time.perf_counter() - started
    return report


def _in_load_order(
    inputs: list[InputFile], source_format: SourceFormat
) -> list[tuple[InputFile, SourceKind]]:
    """Every input recognised by its header (the first wrong one stops the load), then ordered
    by the format's kinds, each kind's files in the order given."""
    kinds = {source: source_format.kind(source_format.recognise(source)) for source in inputs}
    return [(s, kind) for kind in source_format.kinds for s in inputs if kinds[s] is kind]


def _resume(engine: GraphEngine, disclosure: str, progress: LoadProgress) -> bool:
    try:
        return resume_interrupted(engine, disclosure, on_step=progress.on_file)
    except BaseException as exc:
        staged = None
        with contextlib.suppress(Exception):
            staged = read_journal_stage(engine, disclosure)
        full = writing_disk_full(exc, database_file(engine), Path(staged) if staged else None)
        if full is not None:
            raise full from None
        raise


def _stage(
    engine: GraphEngine,
    disclosure: str,
    source_format: SourceFormat,
    files: list[tuple[InputFile, SourceKind]],
    area: Path,
    report: LoadReport,
    quarantine: Quarantine,
    options: _Options,
) -> Stage:
    """Read and stage every input. Failed, it leaves nothing behind: the graph was only read,
    and the staged files go (with the staging area, when no other load uses it)."""
    input_bytes = sum(source.size for source, _ in files)
    stage: Stage | None = None
    try:
        stage = Stage(area, part_rows=options.part_rows or engine.write_part_rows)
        writer = source_format.writer(engine, disclosure, stage)
        if source_format.survey is not None:
            source_format.survey(writer, [source for source, _ in files])
        options.progress.on_start(input_bytes)
        for source, kind in files:
            options.progress.on_file(source.name)
            report.files.append(
                _stage_file(source_format, source, kind, writer, quarantine, options)
            )
        plan = stage.seal()
        # What the load adds to the derived edges, from what the writer staged for them.
        counted = {edge: stage.side_files(counted_rows(edge)) for edge, _ in SOURCES.values()}
        stage_derived(engine, stage.dir, plan, counted)
        return stage
    except BaseException as exc:
        if stage is not None:
            stage.close()
        if disk_full(exc):
            raise staging_disk_full(exc, area, database_file(engine), input_bytes) from None
        raise


def _stage_file(
    source_format: SourceFormat,
    source: InputFile,
    kind: SourceKind,
    writer: Any,
    quarantine: Quarantine,
    options: _Options,
) -> FileReport:
    """Fast path first; on a malformed record, the exact path re-reads the whole file.

    Rows the fast pass already staged come back as already present on the exact pass: they are
    moved back to ``loaded`` so the report says what this load did. Content rejections of the
    fast pass are held back and dropped, since the exact pass rejects the same rows again.
    """
    on_bytes = options.progress.on_bytes
    held_back = Quarantine(None)
    fast = FileReport(source.name, kind.name)
    try:
        counts = ReadCounts()
        chunks = source_format.read_fast(
            source, counts, chunk_rows=options.chunk_rows, on_bytes=on_bytes
        )
        _stage_chunks(chunks, kind, writer, held_back, fast)
        fast.rows_read, fast.repeated_headers = counts.rows_read, counts.repeated_headers
        held_back.replay_into(quarantine)
        return fast
    except MalformedFile:
        on_bytes(-source.size)  # the progress bar starts this file again
    exact = FileReport(source.name, kind.name)
    counts = ReadCounts()
    chunks = source_format.read_exact(
        source, quarantine, counts, chunk_rows=options.chunk_rows, on_bytes=on_bytes
    )
    _stage_chunks(chunks, kind, writer, quarantine, exact)
    exact.rows_read, exact.repeated_headers = counts.rows_read, counts.repeated_headers
    exact.rejected += counts.malformed
    exact.loaded += fast.loaded
    exact.already_present -= fast.loaded
    return exact


def _stage_chunks(
    chunks: Iterable[Any],
    kind: SourceKind,
    writer: Any,
    quarantine: Quarantine,
    report: FileReport,
) -> None:
    parse, stage = kind.parse, kind.stage
    for chunk in chunks:
        records = parse(chunk, quarantine)
        outcome = stage(writer, records)
        report.loaded += outcome.loaded
        report.already_present += outcome.already_present
        report.rejected += records.rejected  # read after staging: the writer adds conflicts


def _write(
    engine: GraphEngine,
    disclosure: _DisclosureNode,
    stage: Stage,
    report: LoadReport,
    progress: LoadProgress,
) -> None:
    """Create the Disclosure node and start the journal in one transaction (the graph is
    touched from here on, all in one commit), then write the staged files in journaled steps."""
    try:
        with engine.transaction():
            ensure_disclosure(
                engine,
                disclosure.id,
                platform=disclosure.platform,
                name=disclosure.name,
                released=disclosure.released,
                source=disclosure.source,
            )
            start_journal(engine, disclosure.id, stage.dir)
        report.written, report.derived = write_staged(
            engine, disclosure.id, stage.dir, on_step=progress.on_file
        )
    except BaseException as exc:
        _after_failed_write(engine, disclosure.id, stage)
        full = writing_disk_full(exc, database_file(engine), stage.dir)
        if full is not None:
            raise full from None
        raise


def _after_failed_write(engine: GraphEngine, disclosure: str, stage: Stage) -> None:
    """Failed before the journal pointed at the staged files (the graph is as it was): they
    go. After, the next run resumes from them. When the journal cannot be read (the engine
    itself failed), keep them: a stale folder is cheaper than a lost resume."""
    try:
        journal = read_journal_stage(engine, disclosure)
    except Exception:
        journal = str(stage.dir)
    if journal != str(stage.dir):
        stage.close()
