"""``infoops push``: copy the embedded database into a Neo4j server."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from infoops.cli.console import out
from infoops.cli.options import DbOption, QuietOption, engine_settings
from infoops.cli.progress import progress_bar
from infoops.engines import open_engine
from infoops.errors import ConfigurationError, InfoopsError
from infoops.transfer.options import BATCH_ROWS

if TYPE_CHECKING:
    from infoops.transfer.push import PushReport

TargetOption = Annotated[
    str | None,
    typer.Option(
        "--neo4j-uri",
        envvar="NEO4J_URI",
        help="The Neo4j 5 server to copy into (bolt://, neo4j://, neo4j+s://). Credentials come "
        "from NEO4J_USERNAME / NEO4J_PASSWORD, database from NEO4J_DATABASE.",
        show_default=False,
    ),
]


def push(
    db: DbOption = None,
    neo4j_uri: TargetOption = None,
    batch_rows: Annotated[
        int,
        typer.Option(help="Rows written per Neo4j transaction.", min=100, max=50_000),
    ] = BATCH_ROWS,
    quiet: QuietOption = False,
) -> None:
    """Copy an embedded database (--db) into a Neo4j 5 server, then check counts on both sides.

    Nodes are matched by key and relationships by their two ends, so pushing again adds nothing,
    a push killed half-way can simply be run again, and a server that already holds other
    disclosures keeps them. It fails if the server ends up with fewer nodes of any label or
    relationships of any type than the embedded database holds (or other counts, when it was
    empty before).

    Example: infoops push --db infoops.db --neo4j-uri bolt://localhost:7687
    """
    # Imported here, not at the top: `infoops --help` must not wait for the engines' pyarrow.
    from infoops.transfer.push import PushProgress, push_graph

    settings = engine_settings(db, neo4j_uri)
    if not settings.neo4j_uri:
        raise ConfigurationError(
            "push needs a Neo4j server to copy into: --neo4j-uri bolt://HOST:7687 or NEO4J_URI "
            "(credentials from NEO4J_USERNAME / NEO4J_PASSWORD)"
        )
    with (
        open_engine(replace(settings, neo4j_uri=None), read_only=True) as source,
        open_engine(settings) as target,
        progress_bar(
            quiet,
            TextColumn("{task.description:<16}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("rows"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
        ) as bar,
    ):
        hooks = None
        if bar is not None:
            task = bar.add_task("counting", total=None)
            hooks = PushProgress(
                on_start=lambda total: bar.update(task, total=total),
                on_step=lambda name: bar.update(task, description=name),
                on_rows=lambda count: bar.advance(task, count),
            )
        report = push_graph(source, target, batch_rows=batch_rows, progress=hooks)
    print_report(report, f"Ladybug database {settings.db}", settings.describe())
    if not report.matches:
        raise InfoopsError("count check failed: " + "; ".join(report.shortfalls()))


def print_report(report: PushReport, source: str, target: str) -> None:
    # The title on a line of its own: a table title would wrap at the table's width.
    out.print(
        Text(
            f"Pushed {source} into {target} in {report.seconds:.1f} s "
            f"({report.rows_per_second:,.0f} rows/s)"
        )
    )
    table = Table()
    for column in ("label / type", "source", "target before", "target after", "created", "updated"):
        first = column == "label / type"
        table.add_column(column, justify="left" if first else "right", no_wrap=first)
    for name, count in report.source.items():
        table.add_row(
            name,
            f"{count:,}",
            f"{report.target_before.get(name, 0):,}",
            f"{report.target.get(name, 0):,}",
            f"{report.created.get(name, 0):,}",
            f"{report.updated.get(name, 0):,}",
        )
    out.print(table)
    if report.target_was_empty:
        rule = "the target was empty, so it must now hold exactly the source's counts"
    else:
        rule = (
            "the target already held data, so it must hold at least the source's counts "
            "(more is what it held before)"
        )
    verdict = "ok" if report.matches else "FAILED"
    out.print(f"count check per label and type: {verdict} ({rule})", highlight=False)
