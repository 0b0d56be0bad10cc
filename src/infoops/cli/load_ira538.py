"""``infoops load ira538``: the Clemson / FiveThirtyEight IRA tweets, as ``infoops load twitter``
loads a release (registered by the lead on the ``load`` group)."""

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
    name: TitleOption = None,
    released: ReleasedOption = None,
    quarantine: QuarantineOption = None,
    chunk_rows: ChunkRowsOption = DEFAULT_CHUNK_ROWS,
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
