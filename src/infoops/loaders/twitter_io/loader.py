"""Load a Twitter information-operations release: files in, graph and a reconciled report out."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

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
from infoops.loaders.memory import release_memory
from infoops.loaders.quarantine import Quarantine
from infoops.loaders.sources import (
    InputFile,
    SkippedCopy,
    distinct_contents,
    listed_files,
    resolve_inputs,
)
from infoops.loaders.staging import (
    Stage,
    database_file,
    default_staging_dir,
    disk_full,
    staging_disk_full,
    writing_disk_full,
)
from infoops.loaders.twitter_io.columns import FileKind
from infoops.loaders.twitter_io.graph_writer import GraphWriter
from infoops.loaders.twitter_io.reader import (
    MalformedFile,
    RawChunk,
    ReadCounts,
    peek_kind,
    read_chunks_exact,
    read_chunks_fast,
)
from infoops.loaders.twitter_io.records import parse_tweets_chunk, parse_users_chunk

DEFAULT_CHUNK_ROWS = 100_000


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


def load_twitter(
    engine: GraphEngine,
    paths: Iterable[str | Path],
    disclosure: str,
    *,
    name: str | None = None,
    released: str | None = None,
    quarantine_path: str | Path | None = None,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    progress: LoadProgress | None = None,
    staging_dir: Path | None = None,
    part_rows: int | None = None,
) -> LoadReport:
    """Load users and tweets files (any mix of files, folders, globs, zips, .gz) into ``engine``.

    Every input is recognised by its header before anything is written, so a wrong file fails
    fast with nothing half-loaded. Rows are staged on disk and written at the end, one journaled
    transaction per staged file (loaders/staging.py, loaders/load_journal.py): a load that
    failed or was killed before writing left the graph untouched (not even a Disclosure node)
    and no staged files, one killed while writing is finished by the next. A full disk, in
    either phase, is a DiskFullError that says how much space the load needs.
    Users files load first, so that retweets with an empty ``retweet_userid`` can be resolved
    from the ``RT @name:`` prefix against known accounts.
    """
    started = time.perf_counter()
    check_disclosure_id(disclosure)
    progress = progress or LoadProgress()
    inputs, skipped = distinct_contents(resolve_inputs(paths))
    kinds = {source: peek_kind(source) for source in inputs}
    ordered = [s for s in inputs if kinds[s] is FileKind.USERS]
    ordered += [s for s in inputs if kinds[s] is FileKind.TWEETS]

    quarantine = Quarantine(quarantine_path or Path("infoops-quarantine") / f"{disclosure}.csv")
    report = LoadReport(disclosure, skipped=skipped)
    try:
        report.resumed = _resume(engine, disclosure, progress)
        area = staging_dir or default_staging_dir(engine)
        if staging_dir is None:
            sweep_abandoned(engine, area)
        stage = _stage(
            engine,
            disclosure,
            [(source, kinds[source]) for source in ordered],
            area,
            report,
            quarantine,
            chunk_rows=chunk_rows,
            part_rows=part_rows,
            progress=progress,
        )
        release_memory()  # the staging phase's garbage, before the engine needs its page cache
        try:
            with engine.transaction():  # the graph is touched from here on, all in one commit
                ensure_disclosure(
                    engine,
                    disclosure,
                    platform="twitter",
                    name=name,
                    released=released,
                    source=listed_files(Path(s.name).name for s in inputs),
                )
                start_journal(engine, disclosure, stage.dir)
            report.written, report.derived = write_staged(
                engine, disclosure, stage.dir, on_step=progress.on_file
            )
        except BaseException as exc:
            _after_failed_write(engine, disclosure, stage)
            full = writing_disk_full(exc, database_file(engine), stage.dir)
            if full is not None:
                raise full from None
            raise
    finally:
        quarantine.close()
    report.quarantine_path = quarantine.path if quarantine.count else None
    report.seconds = time.perf_counter() - started
    return report


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
    sources: list[tuple[InputFile, FileKind]],
    area: Path,
    report: LoadReport,
    quarantine: Quarantine,
    *,
    chunk_rows: int,
    part_rows: int | None,
    progress: LoadProgress,
) -> Stage:
    """Read and stage every input. Failed, it leaves nothing behind: the graph was only read,
    and the staged files go (with the staging area, when no other load uses it)."""
    input_bytes = sum(source.size for source, _ in sources)
    stage: Stage | None = None
    try:
        stage = Stage(area, part_rows=part_rows or engine.write_part_rows)
        writer = GraphWriter(engine, disclosure, stage)
        progress.on_start(input_bytes)
        for source, kind in sources:
            progress.on_file(source.name)
            report.files.append(_load_file(source, kind, writer, quarantine, chunk_rows, progress))
        plan = stage.seal()
        # What the load adds to the derived edges, from what the graph writer staged for them.
        counted = {source: stage.side_files(counted_rows(source)) for source, _ in SOURCES.values()}
        stage_derived(engine, stage.dir, plan, counted)
        return stage
    except BaseException as exc:
        if stage is not None:
            stage.close()
        if disk_full(exc):
            raise staging_disk_full(exc, area, database_file(engine), input_bytes) from None
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


def _load_file(
    source: InputFile,
    kind: FileKind,
    writer: GraphWriter,
    quarantine: Quarantine,
    chunk_rows: int,
    progress: LoadProgress,
) -> FileReport:
    """Fast path first; on a malformed record, the exact path re-reads the whole file.

    Rows the fast pass already wrote come back as already present on the exact pass: they are
    moved back to ``loaded`` so the report says what this load did. Content rejections of the
    fast pass are held back and dropped, since the exact pass rejects the same rows again.
    """
    held_back = Quarantine(None)
    fast = FileReport(source.name, kind.value)
    try:
        counts = ReadCounts()
        chunks = read_chunks_fast(source, counts, chunk_rows=chunk_rows, on_bytes=progress.on_bytes)
        _write_chunks(chunks, kind, writer, held_back, fast)
        fast.rows_read, fast.repeated_headers = counts.rows_read, counts.repeated_headers
        held_back.replay_into(quarantine)
        return fast
    except MalformedFile:
        progress.on_bytes(-source.size)  # the progress bar starts this file again
    exact = FileReport(source.name, kind.value)
    counts = ReadCounts()
    chunks = read_chunks_exact(
        source, quarantine, counts, chunk_rows=chunk_rows, on_bytes=progress.on_bytes
    )
    _write_chunks(chunks, kind, writer, quarantine, exact)
    exact.rows_read, exact.repeated_headers = counts.rows_read, counts.repeated_headers
    exact.rejected += counts.malformed
    exact.loaded += fast.loaded
    exact.already_present -= fast.loaded
    return exact


def _write_chunks(
    chunks: Iterable[RawChunk],
    kind: FileKind,
    writer: GraphWriter,
    quarantine: Quarantine,
    report: FileReport,
) -> None:
    for chunk in chunks:
        if kind is FileKind.USERS:
            records = parse_users_chunk(chunk, quarantine)
            outcome = writer.write_users(records)
        else:
            records = parse_tweets_chunk(chunk, quarantine)
            outcome = writer.write_tweets(records)
        report.loaded += outcome.loaded
        report.already_present += outcome.already_present
        report.rejected += records.rejected
