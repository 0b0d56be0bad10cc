"""``infoops load ira538``: the Clemson / FiveThirtyEight IRA tweets, as ``infoops load twitter``
loads a release (registered by the lead on the ``load`` group)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from infoops.cli.load import run_load
from infoops.cli.options import DbOption, Neo4jUriOption, QuietOption, engine_settings

# As loaders/ira538 names it; written out so that --help imports no loader.
DEFAULT_DISCLOSURE = "fivethirtyeight-ira"


def ira538(
    paths: Annotated[
        list[str],
        typer.Argument(help="IRAhandle_tweets_N.csv files, folders, globs, .zip or .gz archives."),
    ],
    disclosure: Annotated[
        str,
        typer.Option(
            "--disclosure",
            "-d",
            help="Name of the release. Loads of the same name add to (never duplicate) what "
            "is there.",
        ),
    ] = DEFAULT_DISCLOSURE,
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
    """Load the Clemson / FiveThirtyEight IRA tweets (IRAhandle_tweets_N.csv, 21 columns).

    Accounts are keyed by alt_external_id (external_author_id is float-damaged and not used),
    so they meet the same numeric accounts of Twitter's own releases; account_category and
    account_type are kept on the account, tco1..3_step1 become links, hashtags and @mentions
    are read from the text, and a retweet whose text starts "RT @name:" amplifies that
    account. Languages are stored as codes (English -> en). Loading is idempotent; rows that
    cannot be read go to a quarantine CSV with file, line and reason.

    Example: infoops load ira538 IRAhandle_tweets_*.csv
    """
    # Imported here, not at the top: `infoops --help` must not wait for pyarrow.
    from infoops.loaders.ira538 import load_ira538

    run_load(
        engine_settings(db, neo4j_uri),
        lambda engine, progress: load_ira538(
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
