"""``infoops load indicators``: Meta's threat indicators, as ``infoops load twitter`` loads a
release (registered by cli/app.py on the ``load`` group)."""

from __future__ import annotations

from typing import Annotated

import typer

from infoops.cli.load import run_load
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
    name: TitleOption = None,
    released: ReleasedOption = None,
    quarantine: QuarantineOption = None,
    chunk_rows: ChunkRowsOption = DEFAULT_CHUNK_ROWS,
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
