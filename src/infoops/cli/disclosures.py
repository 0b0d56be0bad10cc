"""``infoops disclosures``: what is loaded (the default), and ``remove`` to take one out. A thin
layer over ``infoops.loaders.disclosure_list`` and ``infoops.loaders.removal``."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from rich.text import Text

from infoops.cli.console import err, out
from infoops.cli.options import (
    DbOption,
    FormatOption,
    Neo4jUriOption,
    OutputFormat,
    QuietOption,
    engine_settings,
)
from infoops.engines import open_engine

if TYPE_CHECKING:
    from infoops.loaders.disclosure_list import LoadedDisclosure
    from infoops.loaders.removal import RemovalReport

# The loaders (pyarrow) are imported inside the commands: `infoops --help` must not wait.

app = typer.Typer(
    help="The disclosures loaded, with counts and source files; `remove` takes one out.",
    pretty_exceptions_show_locals=False,
)


@app.callback(invoke_without_command=True)
def disclosures(
    ctx: typer.Context,
    output_format: FormatOption = OutputFormat.table,
    db: DbOption = None,
    neo4j_uri: Neo4jUriOption = None,
) -> None:
    """Every loaded disclosure: id, name, platform, release date, source files, when it was
    loaded, how many accounts, tweets and indicators it releases, and whether a load of it was
    interrupted (run that load again to finish it). Read-only.

    Example: infoops disclosures --format json
    """
    if ctx.invoked_subcommand is None:
        list_disclosures(output_format, db, neo4j_uri)


@app.command("list")
def list_command(
    output_format: FormatOption = OutputFormat.table,
    db: DbOption = None,
    neo4j_uri: Neo4jUriOption = None,
) -> None:
    """The same as `infoops disclosures` alone.

    Example: infoops disclosures list --format json
    """
    list_disclosures(output_format, db, neo4j_uri)


def list_disclosures(output_format: OutputFormat, db: DbOption, neo4j_uri: Neo4jUriOption) -> None:
    from infoops.loaders.disclosure_list import loaded_disclosures

    with open_engine(engine_settings(db, neo4j_uri), read_only=True) as engine:
        found = loaded_disclosures(engine)
    if output_format is OutputFormat.json:
        print(json.dumps([disclosure.to_dict() for disclosure in found], indent=2))
        return
    if not found:
        err.print("no disclosure is loaded", highlight=False)
        return
    for table in _tables(found):
        out.print(table)


def _tables(found: list[LoadedDisclosure]) -> tuple[Table, Text]:
    """The figures, one line each, then when and from which files each was loaded: as lines of
    text, one file a line, because file names are long and a table column folds them."""
    figures = Table(title="Disclosures")
    figures.add_column("id", overflow="fold")  # a count cut short would be a wrong count
    if any(disclosure.platform for disclosure in found):
        figures.add_column("platform")
    dated = any(disclosure.released for disclosure in found)
    if dated:
        figures.add_column("released")
    for name in _COUNTS:
        widest = max(len(f"{getattr(disclosure, name):,}") for disclosure in found)
        figures.add_column(name, justify="right", no_wrap=True, min_width=max(widest, 6))
    figures.add_column("load")
    sources = Text()
    for disclosure in found:
        platform = [disclosure.platform or ""] if any(d.platform for d in found) else []
        released = [disclosure.released or ""] if dated else []
        figures.add_row(
            disclosure.id,
            *platform,
            *released,
            *(f"{getattr(disclosure, name):,}" for name in _COUNTS),
            "unfinished" if disclosure.unfinished_load else "done",
        )
        sources.append(f"\n{disclosure.id}", style="bold")
        sources.append(f"  {disclosure.name or ''}, loaded {disclosure.loaded_at or '?'}\n")
        for path in (disclosure.source or "").split(", "):
            if path:
                sources.append(f"  {path}\n")
    return figures, sources


_COUNTS = ("accounts", "tweets", "indicators")


@app.command("remove")
def remove(
    name: Annotated[
        str, typer.Argument(help="The disclosure's id, as `infoops disclosures` lists it.")
    ],
    quiet: QuietOption = False,
    db: DbOption = None,
    neo4j_uri: Neo4jUriOption = None,
) -> None:
    """Remove one disclosure and nothing another still holds: what another disclosure also
    releases stays; a tweet or account still referred to becomes a placeholder again; tweet
    edges, placeholders, hashtags, URLs, domains and indicators only it used go; the derived
    account edges are recounted. Coordination edges and clusters are cleared (they counted its
    tweets): run `infoops coordination` and `infoops clusters` again. Interrupted, run it
    again: it finishes the job.

    Example: infoops disclosures remove twitter-2020-06-china_052020
    """
    from infoops.loaders.removal import remove_disclosure

    def step(text: str) -> None:
        if not quiet:
            err.print(f"removing {name}: {text}", highlight=False, markup=False, soft_wrap=True)

    with open_engine(engine_settings(db, neo4j_uri)) as engine:
        report = remove_disclosure(engine, name, on_step=step)
    out.print(_summary(report), highlight=False, markup=False)
    if report.stale_analysis:
        from infoops.loaders.removal.remove import STALE_ANALYSIS_HINT

        err.print(STALE_ANALYSIS_HINT, highlight=False, markup=False, soft_wrap=True)


def _summary(report: RemovalReport) -> str:
    def listed(counts: dict[str, int]) -> str:
        shown = [f"{count:,} {label}" for label, count in sorted(counts.items()) if count]
        return ", ".join(shown) or "nothing"

    finished = "finished its interrupted load, then " if report.resumed_load else ""
    return (
        f"{finished}removed {report.disclosure}: deleted {listed(report.deleted)}; "
        f"placeholders again {listed(report.placeholders)}; "
        f"kept for other disclosures {listed(report.unlinked)}"
    )
