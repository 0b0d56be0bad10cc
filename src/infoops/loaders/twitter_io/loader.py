"""Load a Twitter information-operations release: the load pipeline with the Twitter format."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from infoops.engines.base import GraphEngine
from infoops.loaders.load_report import FileReport, LoadProgress, LoadReport
from infoops.loaders.pipeline import DEFAULT_CHUNK_ROWS, load_files
from infoops.loaders.twitter_io.twitter_format import TWITTER

# Imported from here by the CLI, the tests and the benchmarks.
__all__ = ["DEFAULT_CHUNK_ROWS", "FileReport", "LoadProgress", "LoadReport", "load_twitter"]


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
    return load_files(
        engine,
        paths,
        disclosure,
        TWITTER,
        name=name,
        released=released,
        quarantine_path=quarantine_path,
        chunk_rows=chunk_rows,
        progress=progress,
        staging_dir=staging_dir,
        part_rows=part_rows,
    )
