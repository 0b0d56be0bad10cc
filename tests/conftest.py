"""Fixtures shared by every test: the two engines, real and side by side.

Every test that touches a graph runs twice, ``[ladybug]`` (a fresh embedded database file) and
``[neo4j]`` (the Neo4j 5 server that ``scripts/test.sh`` starts with scripts/neo4j-server.sh and
names in ``INFOOPS_TEST_NEO4J_URI`` / ``INFOOPS_TEST_NEO4J_PASSWORD``). Neo4j Community has one
user database, so the server is shared: ``engine_settings`` empties it for each test, and graphs
that several read-only tests share are loaded once and kept while nothing else writes (see
``Neo4jServer.holding``).

The test variables are not ``NEO4J_URI``: the CLI reads that one, and a test that means the
embedded engine must never reach the server by accident. Where the server is required (CI, or
``INFOOPS_REQUIRE_NEO4J=1`` as scripts/test.sh sets) a missing one fails the Neo4j tests instead
of skipping them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # tests/twitter_files.py and friends

from infoops.engines import EngineSettings, GraphEngine, open_engine
from infoops.engines.cypher import count_nodes_cypher, count_rels_cypher
from infoops.graph_model import NODE_KEYS, NODES, RELS

pytest_plugins = ["cypher_recorder"]
ENGINES = ("ladybug", "neo4j")


def neo4j_required() -> bool:
    return bool(os.environ.get("CI")) or os.environ.get("INFOOPS_REQUIRE_NEO4J") == "1"


@dataclass
class Neo4jServer:
    """The test server and what it holds now (a key naming a shared graph, or None)."""

    settings: EngineSettings
    holding: str | None = None
    _graphs: dict[str, object] = field(default_factory=dict)

    def clear(self) -> None:
        """Empty the database (nodes, relationships; the schema stays) for a test of its own."""
        clear_neo4j(self.settings)
        self.holding = None

    def shared(self, key: str, build: Callable[[EngineSettings], object]) -> object:
        """A graph several read-only tests share: built once, rebuilt after anything cleared it.

        ``build`` loads into the (empty) server and returns what the tests need to know about
        the graph; it is returned again, without reloading, while the server still holds it.
        """
        if self.holding != key or key not in self._graphs:
            self.clear()
            self._graphs[key] = build(self.settings)
            self.holding = key
        return self._graphs[key]


def clear_neo4j(settings: EngineSettings) -> None:
    import neo4j

    auth = (settings.neo4j_user or "neo4j", settings.neo4j_password or "")
    driver = neo4j.GraphDatabase.driver(
        settings.neo4j_uri or "", auth=auth, notifications_min_severity="OFF"
    )
    with driver, driver.session(database=settings.neo4j_database) as session:
        # Batched, in transactions of their own: a large test graph must not need one huge
        # transaction's memory.
        # Relationships first: a batch of nodes must not bring a hub's 100k relationships along.
        session.run(
            "MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS"
        ).consume()
        session.run("MATCH (n) CALL (n) { DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()


@pytest.fixture(scope="session")
def neo4j_server() -> Neo4jServer:
    uri = os.environ.get("INFOOPS_TEST_NEO4J_URI")
    if not uri:
        reason = (
            "INFOOPS_TEST_NEO4J_URI is not set: no Neo4j 5 server to test against "
            "(scripts/test.sh starts one with scripts/neo4j-server.sh)"
        )
        if neo4j_required():
            pytest.fail(reason)
        pytest.skip(reason)
    settings = EngineSettings(
        neo4j_uri=uri,
        neo4j_user=os.environ.get("INFOOPS_TEST_NEO4J_USERNAME", "neo4j"),
        neo4j_password=os.environ.get("INFOOPS_TEST_NEO4J_PASSWORD", ""),
    )
    return Neo4jServer(settings)


@pytest.fixture
def neo4j_settings(neo4j_server: Neo4jServer) -> EngineSettings:
    """The test server, emptied for this test."""
    neo4j_server.clear()
    return neo4j_server.settings


@pytest.fixture(params=ENGINES)
def engine_name(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def engine_settings(
    engine_name: str, tmp_path: Path, request: pytest.FixtureRequest
) -> EngineSettings:
    """Where this test's graph lives: a new Ladybug file, or the emptied Neo4j server."""
    if engine_name == "ladybug":
        return EngineSettings(db=tmp_path / "graph.db")
    settings: EngineSettings = request.getfixturevalue("neo4j_settings")
    return settings


@pytest.fixture
def engine(engine_settings: EngineSettings) -> Iterator[GraphEngine]:
    """A fresh, empty graph on each engine (the real engines, no mocks)."""
    with open_engine(engine_settings) as opened:
        yield opened


def engine_args(settings: EngineSettings) -> list[str]:
    """CLI arguments that select ``settings``' engine (credentials go in ``engine_env``)."""
    if settings.neo4j_uri:
        return ["--neo4j-uri", settings.neo4j_uri]
    return ["--db", str(settings.db)]


def engine_env(settings: EngineSettings) -> dict[str, str | None]:
    """Environment for a CLI run against ``settings``: the password never goes on argv."""
    if settings.neo4j_uri:
        return {
            "NEO4J_URI": None,
            "NEO4J_USERNAME": settings.neo4j_user or "neo4j",
            "NEO4J_PASSWORD": settings.neo4j_password or "",
            "NEO4J_DATABASE": None,
        }
    return {"NEO4J_URI": None, "NEO4J_USERNAME": None, "NEO4J_PASSWORD": None}


def run_infoops(
    *args: str | Path,
    cwd: Path,
    settings: EngineSettings,
    extra_env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """``infoops ARGS`` in a process of its own against ``settings``' engine: the environment
    without the caller's NEO4J_* variables, the engine's own (``engine_env``) and ``extra_env``."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("NEO4J_")}
    env |= {key: value for key, value in engine_env(settings).items() if value is not None}
    env |= extra_env or {}
    return subprocess.run(
        [sys.executable, "-m", "infoops.cli", *map(str, args), *engine_args(settings)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        check=False,
        env=env,
    )


def graph_counts(engine: GraphEngine) -> dict[str, int]:
    """Node count per label and relationship count per type: the fingerprint of a load."""
    counts = {node.label: engine.count(count_nodes_cypher(node.label)) for node in NODES}
    counts |= {rel.type: engine.count(count_rels_cypher(rel.type)) for rel in RELS}
    return counts


def typed(row: list[Any]) -> tuple[tuple[str, Any], ...]:
    # 1 == 1.0 == True in Python: the type is part of the value compared.
    return tuple((type(value).__name__, value) for value in row)


def graph_contents(engine: GraphEngine) -> dict[str, list[tuple[tuple[str, Any], ...]]]:
    """Every node's properties per label and every relationship (ends and properties) per type
    and endpoint pair, typed and sorted: equal contents are equal graphs of the infoops model,
    whichever engines hold them."""
    contents = {}
    for node in NODES:
        columns = ", ".join(f"n.{name}" for name in node.property_names)
        rows = engine.run(f"MATCH (n:{node.label}) RETURN {columns}").rows
        contents[node.label] = sorted((typed(row) for row in rows), key=repr)
    for rel in RELS:
        props = "".join(f", r.{name}" for name in rel.property_names)
        for src, dst in rel.endpoints:
            statement = (
                f"MATCH (a:{src})-[r:{rel.type}]->(b:{dst}) "
                f"RETURN a.{NODE_KEYS[src]}, b.{NODE_KEYS[dst]}{props}"
            )
            rows = engine.run(statement).rows
            contents[f"{rel.type} {src}->{dst}"] = sorted((typed(row) for row in rows), key=repr)
    return contents
