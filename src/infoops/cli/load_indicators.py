"""``infoops load indicators``: Meta's threat indicators, as ``infoops load twitter`` loads a
release (registered by cli/app.py on the ``load`` group)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from infoops.cli.load import run_load
from infoops.cli.options import DbOption, Neo4jUriOption, QuietOption, engine_settings


def indicators(
    paths: Annotated[
        list[str],
        typer.Argument(help="Indicator CSV files (either layout), folders, globs, .zip or .gz."),
    ],
    disclosure: Annotated[
        str,
        typer.Option(
            "--disclosure",
            "-d",
            help="Name of the report, e.g. meta-2023-q2-spamouflage. Loads of the same name add "
            "to (never duplicate) what is there.",
        ),
    ],
    name: Annotated[str | None, typer.Option(help="Human-readable title.")] = None,
    released: Annotated[str | None, typer.Option(help="Release date, YYYY-MM-DD.")] = None,
    quarantine: Annotated[
        Path | None,
        typer.Option(help="Where rejected rows go. \\[default: infoops-quarantine/NAME.csv]"),
    ] = None,
    chunk_rows: Annotated[
        int, typer.Option(help="Rows parsed and staged at a time (memory vs speed).", min=1)
    ] = 50_000,
    db: DbOption = None,
    neo4j_uri: Neo4jUriOption = None,
    quiet: QuietOption = False,
) -> None:
    """Load Meta threat indicators (indicator_type, indicator_value, comment, ds; or the
    kill-chain Tactic, Technique, Procedure, Indicator, Note).

    Defanged values (example[.]com, hxxps[:]//) are re-fanged; each indicator is linked to the
    Domain, Url or Twitter / X Account it names, so a Twitter disclosure loaded before or after
    meets the same nodes. Accounts loaded later are linked by re-running this load. Loading is
    idempotent; unusable rows go to a quarantine CSV with file, line and reason.

    Example: infoops load indicators Q2_2023_Spamouflage.csv --disclosure meta-2023-q2-spamouflage
    """
    # Imported here, not at the top: `infoops --help` must not wait for pyarrow.
    from infoops.loaders.meta_indicators import load_indicators

    run_load(
        engine_settings(db, neo4j_uri),
        lambda engine, progress: load_indicators(
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
