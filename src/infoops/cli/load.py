"""``infoops load``: one sub-command per source format."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich import box
from rich.progress import (
    BarColumn,
    DownloadColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from infoops.cli.console import out
from infoops.cli.options import (
    DEFAULT_CHUNK_ROWS,
    ChunkRowsOption,
    DbOption,
    Neo4jUriOption,
    QuarantineOption,
    QuietOption,
    ReleasedOption,
    TitleOption,
    engine_settings,
)
from infoops.cli.progress import progress_bar
from infoops.cli.table_fit import ColumnSpec, fit_table
from infoops.engines import EngineSettings, open_engine
from infoops.errors import InfoopsError

if TYPE_CHECKING:
    from infoops.engines import GraphEngine
    from infoops.loaders.load_report import LoadProgress
    from infoops.loaders.twitter_io import LoadReport

app = typer.Typer(help="Load takedown disclosures into the graph.", no_args_is_help=True)


@app.command("twitter")
def twitter(
    paths: Annotated[
        list[str],
        typer.Argument(help="Users / tweets files, folders, globs, .zip or .gz archives."),
    ],
    disclosure: Annotated[
        str,
        typer.Option(
            "--disclosure",
            "-d",
            help="Name of the release, e.g. twitter-2020-06-china_052020. Loads of the same "
            "name add to (never duplicate) what is there.",
        ),
    ],
    name: TitleOption = None,
    released: ReleasedOption = None,
    quarantine: QuarantineOption = None,
    chunk_rows: ChunkRowsOption = DEFAULT_CHUNK_ROWS,
    db: DbOption = None,
    neo4j_uri: Neo4jUriOption = None,
    quiet: QuietOption = False,
) -> None:
    """Load a Twitter information-operations release (users and tweets files).

    Files are recognised by their header. Loading is idempotent and safe to re-run after an
    interruption; rows that cannot be read go to a quarantine CSV with file, line and reason.

    Example: infoops load twitter data/china_052020/ --disclosure twitter-2020-06-china_052020
    """
    # Imported here, not at the top: `infoops --help` must not wait for pandas and pyarrow.
    from infoops.loaders.twitter_io import load_twitter

    run_load(
        engine_settings(db, neo4j_uri),
        lambda engine, progress: load_twitter(
            engine,
            paths,
            disclosure,
            name=name,
            released=released,
            quarantine_path=quarantine,
            chunk_rows=chunk_rows,
            progress=progress,
        ),
        quiet=quiet,
    )


def run_load(
    settings: EngineSettings,
    load: Callable[[GraphEngine, LoadProgress | None], LoadReport],
    *,
    quiet: bool,
) -> None:
    """What every ``infoops load`` command does around its loader: a progress bar over the
    input's bytes, a new Ladybug database removed again if the load failed before writing to
    it, the report, and an error when the counts do not reconcile."""
    from infoops.loaders.load_report import LoadProgress

    created = NewDatabase(settings)
    try:
        with (
            open_engine(settings) as engine,
            progress_bar(
                quiet,
                TextColumn("{task.description}"),
                BarColumn(),
                DownloadColumn(),
                TimeElapsedColumn(),
                TimeRemainingColumn(),
            ) as bar,
        ):
            hooks = None
            if bar is not None:
                task = bar.add_task("loading", total=None)
                hooks = LoadProgress(
                    on_start=lambda total: bar.update(task, total=total),
                    on_bytes=lambda n: bar.advance(task, n),
                    on_file=lambda f: bar.update(task, description=Path(f).name[-40:]),
                )
            try:
                report = load(engine, hooks)
            except BaseException:
                created.keep_if_written(engine)
                raise
    except BaseException:
        created.remove_if_empty()
        raise
    print_report(report, settings.describe())
    if not report.reconciles:
        raise InfoopsError("row counts do not reconcile (read != loaded + present + rejected)")


def common_folder(names: list[str]) -> tuple[str, list[str]]:
    """The folder every file name starts with (said once, above the table) and the names
    without it; ``("", names)`` when they share none. A zip member's name is
    ``archive.zip!member.csv``: its folder is the archive's."""
    folders = {os.path.dirname(name.split("!", 1)[0]) for name in names}
    if not names or "" in folders:
        return "", names
    folder = os.path.commonpath(list(folders))
    if folder in ("", os.sep):
        return "", names
    prefix = folder.rstrip(os.sep) + os.sep
    if not all(name.startswith(prefix) for name in names):
        return "", names
    return folder, [name[len(prefix) :] for name in names]


ANY_NODE = "MATCH (n) RETURN count(n) AS nodes"


class NewDatabase:
    """The Ladybug database a load command creates, removed again (with Ladybug's side files:
    write-ahead log, shadow pages, locks) when the load failed before writing to it. One that
    existed before the command is never removed, nor is anything on a server."""

    def __init__(self, settings: EngineSettings) -> None:
        self.path = None if settings.neo4j_uri else settings.db.absolute()
        self.existing = self._files()
        self.keep = self.path is None or self.path in self.existing

    def _files(self) -> set[Path]:
        if self.path is None or not self.path.parent.is_dir():
            return set()
        side = self.path.name + "."
        return {
            path
            for path in self.path.parent.iterdir()
            if path.name == self.path.name or (path.name.startswith(side) and path.is_file())
        }

    def keep_if_written(self, engine: GraphEngine) -> None:
        """A failed load writes nothing before its Disclosure node; if the graph cannot say
        whether it holds one, the database stays."""
        if self.keep:
            return
        try:
            self.keep = engine.count(ANY_NODE) > 0
        except Exception:
            self.keep = True

    def remove_if_empty(self) -> None:
        if self.keep:
            return
        for path in self._files() - self.existing:
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)


def print_report(report: LoadReport, where: str) -> None:
    counts = ("rows_read", "loaded", "already_present", "rejected")
    columns = [
        # Cut in the middle: the file name is the useful part.
        ColumnSpec("file", kind="path", keep=True),
        ColumnSpec("kind", keep=True),
        *(ColumnSpec(name.replace("_", " "), justify="right", keep=True) for name in counts),
    ]
    folder, names = common_folder([f.name for f in report.files])
    rows = [
        [name, f.kind, *(f"{getattr(f, count):,}" for count in counts)]
        for name, f in zip(names, report.files, strict=True)
    ]
    rows.append(["total", "", *(f"{report.total(count):,}" for count in counts)])
    title = f"Loaded {report.disclosure} into {where} in {report.seconds:.1f} s"
    if folder:
        title += f", files in {folder}"
    table = fit_table(
        columns,
        rows,
        width=out.width,
        # A file or zip member name is data: fit_table never reads a cell as rich markup.
        # No side borders: their room goes to the file names.
        make_table=lambda: Table(
            title=Text(title), box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False
        ),
        row_styles=[*(None for _ in report.files), "bold"],
    )
    out.print(table, soft_wrap=False)  # the title wraps to the table's width
    for copy in report.skipped:  # one line each: a name from the data is never markup
        out.print(copy.message, highlight=False, markup=False)
    if report.resumed:
        out.print(
            "an earlier load of this disclosure was interrupted while writing; it was finished "
            "first from its staged files",
            highlight=False,
            soft_wrap=False,  # prose: wrapped at words to the terminal
        )
    derived = ", ".join(f"{k} {v:,}" for k, v in report.derived.items())
    unchanged = "unchanged (this load added no retweets, replies or mentions)"
    out.print(f"derived account edges: {derived or unchanged}", highlight=False, soft_wrap=False)
    status = "reconciled" if report.reconciles else "NOT reconciled"
    out.print(f"rows read = loaded + already present + rejected: {status}", highlight=False)
    if report.quarantine_path:
        out.print(
            f"{report.total('rejected'):,} rejected rows (with line and reason) are in "
            f"{report.quarantine_path}",
            highlight=False,
            markup=False,
        )
