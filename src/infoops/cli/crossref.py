"""``infoops crossref A B [C...]``: what disclosures share, per kind, with evidence; as a table,
CSV, JSON or an HTML page (overlap summary and a graph of the shared things)."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from infoops.analysis.crossref import KIND_NAMES
from infoops.cli.console import err, out
from infoops.cli.options import DbOption, Neo4jUriOption, engine_settings
from infoops.cli.output import RawOption, ResultFormat, ResultFormatOption, short
from infoops.engines import open_engine

if TYPE_CHECKING:
    from infoops.analysis.crossref import CrossrefReport, KindResult

DEFAULT_HTML = Path("crossref.html")
TABLE_ROWS = 25  # shared things per kind in the table (the most used first); CSV/JSON have all


def crossref(
    disclosures: Annotated[
        list[str],
        typer.Argument(help="Two or more loaded disclosure ids.", show_default=False),
    ],
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            help=f"Kinds to compare, comma-separated: {', '.join(KIND_NAMES)}. \\[default: all]",
            show_default=False,
        ),
    ] = None,
    output_format: ResultFormatOption = ResultFormat.table,
    out_path: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="Write the output to this file instead of stdout "
            f"(html: default ./{DEFAULT_HTML}).",
            show_default=False,
        ),
    ] = None,
    min_similarity: Annotated[
        float,
        typer.Option(
            "--min-similarity",
            help="text: the least similarity (Jaccard index of word bigrams) of two texts "
            "reported as near-identical.",
        ),
    ] = 0.8,
    evidence: Annotated[
        int,
        typer.Option(
            "--evidence", min=0, help="Evidence rows (tweets) kept per shared thing and disclosure."
        ),
    ] = 20,
    raw: RawOption = False,
    db: DbOption = None,
    neo4j_uri: Neo4jUriOption = None,
) -> None:
    """What disclosures share: accounts (numeric ids, renamed ones too), screen names, hashtags,
    URLs, domains, retweeted accounts and tweets, near-identical texts and published indicators,
    with how much each disclosure uses them, when, and the tweets behind it. Hashed user ids are
    never matched across disclosures: each release salts them differently. Read-only.

    Example: infoops crossref twitter-2019-08-china twitter-2020-06-china --by accounts,text
    """
    # Imported here, not at the top: `infoops --help` must not wait for pyarrow.
    from infoops.analysis.crossref import crossref as compute_crossref

    with open_engine(engine_settings(db, neo4j_uri), read_only=True) as engine:
        report = compute_crossref(
            engine, disclosures, by, min_similarity=min_similarity, evidence=evidence
        )
    command = "infoops crossref " + " ".join(disclosures)
    if output_format is ResultFormat.html:
        from infoops.visualisations.crossref import write_crossref_html

        written = write_crossref_html(report, out_path or DEFAULT_HTML, command=command)
        err.print(f"wrote {written}", highlight=False, markup=False, soft_wrap=True)
        return
    if output_format is ResultFormat.table and out_path is None:
        for renderable in tables(report):
            out.print(renderable)
        return
    if output_format is ResultFormat.json:
        text = json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"
    elif output_format is ResultFormat.csv:
        text = report_csv(report, raw=raw)
    else:
        text = _plain_tables(report)
    if out_path is None:
        sys.stdout.write(text)
        return
    out_path.write_text(text, encoding="utf-8")
    err.print(f"wrote {out_path}", highlight=False, markup=False, soft_wrap=True)


def report_csv(report: CrossrefReport, *, raw: bool = False) -> str:
    """One line per kind, shared thing and disclosure; columns are the union over kinds."""
    from infoops.csv_writer import csv_text

    rows = report.rows()
    header: dict[str, None] = {}
    for row in rows:
        header.update(dict.fromkeys(row))
    if not rows:
        header = dict.fromkeys(["kind", "key", "disclosure", "uses", "accounts", "first", "last"])
    columns = list(header)
    return csv_text(columns, [[row.get(c) for c in columns] for row in rows], raw=raw)


def tables(report: CrossrefReport) -> list[Any]:
    summary = Table(title="Cross-reference: " + ", ".join(report.disclosures), title_justify="left")
    summary.add_column("kind")
    summary.add_column("shared", justify="right")
    summary.add_column("what")
    for result in report.kinds:
        summary.add_row(Text(result.kind), f"{len(result.items):,}", Text(result.title))
    shown: list[Any] = [summary, *(Text(note) for note in report.notes)]
    for result in report.kinds:
        if result.items or result.notes:
            shown.append(_kind_table(report, result))
    return shown


def _kind_table(report: CrossrefReport, result: KindResult) -> Table:
    more = len(result.items) - TABLE_ROWS
    caption = [*result.notes, *([f"{more:,} more in --format csv or json"] if more > 0 else [])]
    table = Table(
        title=f"{result.kind}: {result.title}",
        title_justify="left",
        caption=Text("\n".join(caption)) if caption else None,
        caption_justify="left",
    )
    table.add_column("key", overflow="fold")
    table.add_column("detail", overflow="fold")
    for disclosure in report.disclosures:
        table.add_column(Text(f"{disclosure}\nuses/accounts, first..last"), overflow="fold")
    for item in result.items[:TABLE_ROWS]:
        cells = []
        for disclosure in report.disclosures:
            presence = item.presence.get(disclosure)
            if presence is None:
                cells.append(Text("-"))
                continue
            extra = ", ".join(f"{k}: {short(v)}" for k, v in presence.detail.items())
            when = f"{presence.first} .. {presence.last}" if presence.first else ""
            text = f"{presence.uses}/{presence.accounts} {when}" + (f"\n{extra}" if extra else "")
            cells.append(Text(text))
        detail = ", ".join(f"{k}: {short(v)}" for k, v in item.detail.items())
        table.add_row(Text(short(item.key)), Text(detail), *cells)
    return table


def _plain_tables(report: CrossrefReport) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, width=200, color_system=None)
    for renderable in tables(report):
        console.print(renderable)
    return buffer.getvalue()
