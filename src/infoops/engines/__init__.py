"""Graph engines behind one interface: Ladybug (embedded, default) and Neo4j 5 (server).

``GraphEngine`` is imported on first use (PEP 562): its module needs pyarrow, and the settings
below are read by every CLI command as it starts, ``--help`` included.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from infoops.engines.results import Node, QueryResult, Relationship
from infoops.engines.results import Path as GraphPath
from infoops.lazy_exports import lazy_getattr

if TYPE_CHECKING:
    from infoops.engines.base import GraphEngine

DEFAULT_DB = "infoops.db"

__all__ = [
    "DEFAULT_DB",
    "EngineSettings",
    "GraphEngine",
    "GraphPath",
    "Node",
    "QueryResult",
    "Relationship",
    "open_engine",
]

if not TYPE_CHECKING:  # to a type checker, the import above is the one definition
    __getattr__ = lazy_getattr(__name__, globals(), {"base": ("GraphEngine",)})


@dataclass(frozen=True)
class EngineSettings:
    """Where the graph lives. A Neo4j URI selects Neo4j; otherwise the Ladybug folder ``db``."""

    db: Path = Path(DEFAULT_DB)
    neo4j_uri: str | None = None
    neo4j_user: str | None = None
    neo4j_password: str | None = None
    neo4j_database: str | None = None

    @classmethod
    def from_env(cls, db: str | Path | None = None, neo4j_uri: str | None = None) -> EngineSettings:
        return cls(
            db=Path(db or os.environ.get("INFOOPS_DB") or DEFAULT_DB),
            neo4j_uri=neo4j_uri or os.environ.get("NEO4J_URI") or None,
            neo4j_user=os.environ.get("NEO4J_USERNAME") or None,
            neo4j_password=os.environ.get("NEO4J_PASSWORD") or None,
            neo4j_database=os.environ.get("NEO4J_DATABASE") or None,
        )

    def __repr__(self) -> str:
        # Never the password, nor one written into the URI: settings end up in tracebacks.
        return (
            f"EngineSettings(db={str(self.db)!r}, neo4j_uri={self.describe_uri() or None!r}, "
            f"neo4j_user={self.neo4j_user!r}, neo4j_database={self.neo4j_database!r})"
        )

    @property
    def engine_name(self) -> str:
        return "neo4j" if self.neo4j_uri else "ladybug"

    def describe_uri(self) -> str:
        """The Neo4j address without any credentials written into it."""
        from infoops.engines.neo4j_address import redact_uri

        return redact_uri(self.neo4j_uri or "")

    def describe(self) -> str:
        return (
            f"Neo4j at {self.describe_uri()}" if self.neo4j_uri else f"Ladybug database {self.db}"
        )


def open_engine(settings: EngineSettings | None = None, *, read_only: bool = False) -> GraphEngine:
    """Open the configured engine; writers get the schema created on the way in."""
    settings = settings or EngineSettings.from_env()
    engine: GraphEngine
    if settings.neo4j_uri:
        from infoops.engines.neo4j_engine import Neo4jEngine

        engine = Neo4jEngine(
            settings.neo4j_uri,
            user=settings.neo4j_user,
            password=settings.neo4j_password,
            database=settings.neo4j_database,
            read_only=read_only,
        )
    else:
        from infoops.engines.ladybug_engine import LadybugEngine

        engine = LadybugEngine(settings.db, read_only=read_only)
    if not read_only:
        engine.ensure_schema()
    return engine
