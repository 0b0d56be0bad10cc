"""``infoops report``: the investigator's report, one offline HTML page of figures and plots."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Annotated

import typer

from infoops.cli.console import out
from infoops.cli.options import DbOption, Neo4jUriOption, engine_settings
from infoops.engines import open_engine
from infoops.engines.neo4j_address import redact_uri

DEFAULT_TOP = 15


def report(
    out_path: Annotated[
        Path,
        typer.Option("--out", "-o", help="HTML file to write.", dir_okay=False),
    ],
    disclosures: Annotated[
        list[str] | None,
        typer.Option(
            "--disclosure",
            "-d",
            help="Disclosure id; give it two or more times for the figures side by side, one "
            "column per disclosure. \\[default: every released account and tweet]",
            show_default=False,
        ),
    ] = None,
    tz: Annotated[
        str,
        typer.Option("--tz", help="IANA time zone for hour-of-day, weekday and monthly figures."),
    ] = "UTC",
    top: Annotated[
        int, typer.Option("--top", min=1, help="Entries in each top list and ranked plot.")
    ] = DEFAULT_TOP,
    db: DbOption = None,
    neo4j_uri: Neo4jUriOption = None,
) -> None:
    """One self-contained HTML page to attach to a write-up: headline figures, account-creation
    dates by month and day with the bursts found from the data, followers and following, activity
    by hour and weekday in a chosen time zone, languages, clients, hashtags, domains, the most
    amplified and retweeted accounts, retweet share over time and, once `infoops clusters` ran,
    the clusters. Plots are inline SVG; the page opens offline. Read-only.

    Example: infoops report -d twitter-2019-08-china -d twitter-2020-06-china_052020
    --tz Asia/Shanghai --out report.html
    """
    # Imported here, not at the top: `infoops --help` must not wait for pandas or matplotlib.
    from infoops.analysis.report import compute_report
    from infoops.analysis.summary import resolve_timezone
    from infoops.visualisations.report import write_report_html

    resolve_timezone(tz)  # a bad name fails before the database is opened
    with open_engine(engine_settings(db, neo4j_uri), read_only=True) as engine:
        figures = compute_report(engine, disclosures, tz=tz, top=top)
    written = write_report_html(
        figures, out_path, command=_command(disclosures, tz, top, out_path, db, neo4j_uri)
    )
    size_mb = written.stat().st_size / 1e6
    out.print(f"wrote {written} ({size_mb:.1f} MB)", highlight=False, markup=False, soft_wrap=True)


def _command(
    disclosures: list[str] | None,
    tz: str,
    top: int,
    out_path: Path,
    db: Path | None,
    neo4j_uri: str | None,
) -> str:
    """The command line that reproduces the page, for its header (never with a password)."""
    words = ["infoops", "report"]
    for disclosure in disclosures or []:
        words += ["--disclosure", disclosure]
    words += ["--tz", tz, "--top", str(top), "--out", str(out_path)]
    if neo4j_uri:
        words += ["--neo4j-uri", redact_uri(neo4j_uri)]
    elif db:
        words += ["--db", str(db)]
    return shlex.join(words)
