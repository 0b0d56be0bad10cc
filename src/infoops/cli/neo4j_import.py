"""``infoops export neo4j-import``: a thin layer over ``infoops.transfer.neo4j_import``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, TaskID, TextColumn

from infoops.cli.console import out
from infoops.cli.options import DbOption, Neo4jUriOption, QuietOption, engine_settings
from infoops.cli.progress import progress_bar
from infoops.engines import open_engine
from infoops.transfer.options import DEFAULT_DATABASE

if TYPE_CHECKING:
    from infoops.transfer.neo4j_import import Neo4jImportExport


def export_neo4j_import(
    outdir: Annotated[
        Path, typer.Argument(help="Folder to write the CSV files, import.args and import.sh into.")
    ],
    database: Annotated[
        str,
        typer.Option(
            "--database", help="Database the import creates (Neo4j Community has one: neo4j)."
        ),
    ] = DEFAULT_DATABASE,
    db: DbOption = None,
    neo4j_uri: Neo4jUriOption = None,
    quiet: QuietOption = False,
) -> None:
    """The whole graph as CSV files for Neo4j 5's bulk importer, with the command to run.

    One header and one data file per label and per relationship type and endpoint pair, typed
    columns, nulls left out; import.args holds the arguments of `neo4j-admin database import full`
    (run it from OUTDIR, DBMS stopped; it replaces the database) and import.sh runs it.
    `bash scripts/neo4j-server.sh import OUTDIR` imports into the project's own server and starts
    it; opening the imported graph with infoops creates its constraints and indexes. Read-only.

    Example: infoops export neo4j-import neo4j-import/ --db infoops.db
    """
    # Imported here, not at the top: `infoops --help` must not wait for pyarrow.
    from infoops.transfer.neo4j_import import write_neo4j_import

    bar_columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with (
        open_engine(engine_settings(db, neo4j_uri), read_only=True) as engine,
        progress_bar(quiet, *bar_columns) as bar,
    ):
        tasks: dict[str, TaskID] = {}

        def progress(what: str, done: int, total: int) -> None:
            if bar is None:
                return
            if what not in tasks:
                tasks[what] = bar.add_task(what, total=total)
            bar.update(tasks[what], completed=done)

        export = write_neo4j_import(engine, outdir, database=database, progress=progress)
    _report(export, quiet)


def _report(export: Neo4jImportExport, quiet: bool) -> None:
    if quiet:
        out.print(str(export.args_file), highlight=False, markup=False)
        return
    lines = [
        f"wrote {sum(export.nodes.values()):,} nodes and "
        f"{sum(export.relationships.values()):,} relationships to {export.outdir} "
        f"in {export.seconds:.1f} s ({len(export.files)} files)"
    ]
    counts = {**export.nodes, **export.relationships}
    width = max(len(name) for name in counts)
    lines += [f"  {name:<{width}}  {count:>12,}" for name, count in counts.items()]
    lines += [
        f"import (Neo4j stopped; replaces the database {export.database}):",
        f"  {export.command}",
        f"  or into the project's server: bash scripts/neo4j-server.sh import {export.outdir}",
    ]
    out.print("\n".join(lines), highlight=False, markup=False)
