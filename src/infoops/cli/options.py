"""Options shared by every command, declared once (the sqlite-utils habit)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from infoops.engines import EngineSettings

DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        envvar="INFOOPS_DB",
        help="Ladybug database file (the embedded default engine). \\[default: ./infoops.db]",
        show_default=False,
    ),
]
Neo4jUriOption = Annotated[
    str | None,
    typer.Option(
        "--neo4j-uri",
        envvar="NEO4J_URI",
        help="Use a Neo4j 5 server instead (bolt://, neo4j://, neo4j+s://). Credentials come "
        "from NEO4J_USERNAME / NEO4J_PASSWORD, database from NEO4J_DATABASE.",
        show_default=False,
    ),
]
QuietOption = Annotated[
    bool, typer.Option("--quiet", "-q", help="No progress bar; print only the result.")
]


# The options of every load command (twitter, ira538, indicators).
TitleOption = Annotated[str | None, typer.Option("--name", help="Human-readable title.")]
ReleasedOption = Annotated[str | None, typer.Option("--released", help="Release date, YYYY-MM-DD.")]
QuarantineOption = Annotated[
    Path | None,
    typer.Option(
        "--quarantine", help="Where rejected rows go. \\[default: infoops-quarantine/NAME.csv]"
    ),
]
ChunkRowsOption = Annotated[
    int,
    typer.Option("--chunk-rows", help="Rows parsed and staged at a time (memory vs speed).", min=1),
]
DEFAULT_CHUNK_ROWS = 50_000


class OutputFormat(StrEnum):
    table = "table"
    json = "json"


FormatOption = Annotated[
    OutputFormat, typer.Option("--format", "-f", help="table for people, json for scripts.")
]


def engine_settings(db: Path | None, neo4j_uri: str | None) -> EngineSettings:
    return EngineSettings.from_env(db=db, neo4j_uri=neo4j_uri)
