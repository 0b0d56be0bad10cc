"""Load Clemson / FiveThirtyEight IRA tweets files: the load pipeline with the 538 format."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from infoops.engines.base import GraphEngine
from infoops.loaders.ira538.ira538_format import IRA538
from infoops.loaders.load_report import LoadProgress, LoadReport
from infoops.loaders.pipeline import DEFAULT_CHUNK_ROWS, load_files

DEFAULT_DISCLOSURE = "fivethirtyeight-ira"


def load_ira538(
    engine: GraphEngine,
    paths: Iterable[str | Path],
    disclosure: str = DEFAULT_DISCLOSURE,
    *,
    name: str | None = None,
    released: str | None = None,
    quarantine_path: str | Path | None = None,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    progress: LoadProgress | None = None,
) -> LoadReport:
    """Load ``IRAhandle_tweets_N.csv`` files (files, folders, globs, zips, .gz) into ``engine``,
    with the staging, journal, quarantine and report of every load (loaders/pipeline.py)."""
    return load_files(
        engine,
        paths,
        disclosure,
        IRA538,
        name=name,
        released=released,
        quarantine_path=quarantine_path,
        chunk_rows=chunk_rows,
        progress=progress,
    )
