"""Load Meta threat-indicator files: the load pipeline with the indicator format."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from infoops.engines.base import GraphEngine
from infoops.loaders.load_report import LoadProgress, LoadReport
from infoops.loaders.meta_indicators.indicator_format import META_INDICATORS
from infoops.loaders.pipeline import DEFAULT_CHUNK_ROWS, load_files


def load_indicators(
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
) -> LoadReport:
    """Load indicator files of either layout (files, folders, globs, zips, .gz) into ``engine``
    as disclosure ``disclosure`` (platform "meta"): Indicator nodes in the disclosure, each
    linked with NAMES to the Domain, Url or Account it names. Staging, journal, quarantine,
    idempotence and report are the Twitter loader's (loaders/pipeline.py)."""
    return load_files(
        engine,
        paths,
        disclosure,
        META_INDICATORS,
        name=name,
        released=released,
        quarantine_path=quarantine_path,
        chunk_rows=chunk_rows,
        progress=progress,
        staging_dir=staging_dir,
    )
