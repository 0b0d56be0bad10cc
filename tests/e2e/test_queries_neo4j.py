"""Every canned query on a Neo4j 5 server gives the same answer as on the embedded engine.

Runs when NEO4J_URI points at a server (see docker-compose.yml); skipped otherwise. The same two
synthetic disclosures are loaded into Neo4j and into a Ladybug database; each query runs on both
with the same parameters and the rows must agree (as multisets; graph values compared by their
accounts' userids). The database must be empty or hold only these test disclosures: it is
cleared before and after.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from infoops.cli.app import app
from infoops.engines import (
    EngineSettings,
    GraphEngine,
    GraphPath,
    Node,
    Relationship,
    open_engine,
)
from infoops.errors import WriteRefusedError
from infoops.queries import load_library, run_canned, run_cypher

sys.path.insert(0, str(Path(__file__).parents[1] / "unit"))  # the shared fixture graph
from test_query_library import (
    A,
    B,
    Fixture,
    busiest_core_account,
    samples,
    shared_fixture,
)

pytestmark = pytest.mark.neo4j


@pytest.fixture(scope="module")
def fx(tmp_path_factory: pytest.TempPathFactory) -> Fixture:
    return shared_fixture(tmp_path_factory)


def clear(engine: GraphEngine) -> None:
    engine.run("MATCH (n) DETACH DELETE n")  # a few thousand nodes: one transaction is fine


@pytest.fixture(scope="module")
def server() -> EngineSettings:
    """Like conftest's ``neo4j_settings``, but loaded once for the module."""
    if not os.environ.get("NEO4J_URI"):
        pytest.skip("NEO4J_URI is not set: no Neo4j 5 server to test against")
    return EngineSettings.from_env()


@pytest.fixture(scope="module")
def neo4j(server: EngineSettings, fx: Fixture) -> Iterator[GraphEngine]:
    neo4j_settings = server
    with open_engine(neo4j_settings) as engine:
        present = set(engine.run("MATCH (d:Disclosure) RETURN d.id").column("d.id"))
        others = engine.count("MATCH (n) WHERE NOT n:Disclosure RETURN count(n)")
        if present - {A, B} or (others and not present):
            pytest.skip("the Neo4j database holds other data; point NEO4J_DATABASE at an empty one")
        clear(engine)
        from infoops.loaders.twitter_io import load_twitter

        root = fx.db.parent
        load_twitter(engine, [root / "a"], A, quarantine_path=root / "neo4j-a.q")
        load_twitter(engine, [root / "b", root / "overlap"], B, quarantine_path=root / "neo4j-b.q")
        with open_engine(EngineSettings(db=fx.db), read_only=True) as ladybug:
            clusters = ladybug.run(
                "MATCH (a:Account) WHERE a.cluster IS NOT NULL RETURN a.userid AS userid, "
                "a.cluster AS cluster"
            ).records()
        engine.run(
            "UNWIND $rows AS r MATCH (a:Account {userid: r.userid}) SET a.cluster = r.cluster",
            {"rows": clusters},
        )
    with open_engine(neo4j_settings, read_only=True) as reader:
        yield reader
    with open_engine(neo4j_settings) as engine:
        clear(engine)


@pytest.fixture(scope="module")
def ladybug(fx: Fixture) -> Iterator[GraphEngine]:
    with open_engine(EngineSettings(db=fx.db), read_only=True) as engine:
        yield engine


def comparable(value: Any) -> Any:
    """Engine-neutral form: graph values by their model keys, floats rounded, lists sorted."""
    if isinstance(value, Node):
        return ("node", value.label, value.key)
    if isinstance(value, Relationship):
        return ("rel", value.type, value.properties.get("count"))
    if isinstance(value, GraphPath):
        return ("path", tuple(n.key for n in value.nodes))
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, list):
        return tuple(sorted((comparable(v) for v in value), key=repr))
    return value


def answer(engine: GraphEngine, query_id: str, values: dict[str, Any]) -> Counter[tuple[Any, ...]]:
    result = run_canned(engine, query_id, values).result
    return Counter(tuple(comparable(v) for v in row) for row in result.rows)


@pytest.mark.parametrize("query_id", sorted(load_library()))
def test_neo4j_gives_the_embedded_engines_answer(
    query_id: str, neo4j: GraphEngine, ladybug: GraphEngine, fx: Fixture
) -> None:
    query = load_library()[query_id]
    sample = samples(fx)
    values = {p.name: sample[p.name] for p in query.params if p.required}
    if "limit" in {p.name for p in query.params}:
        values["limit"] = 1_000_000  # no ties cut differently at the limit
    expected = answer(ladybug, query_id, values)
    assert expected
    if query.id in ("shortest-amplification-path",):  # any one of the shortest paths
        found = answer(neo4j, query_id, values)
        assert [len(k[0][1]) for k in found] == [len(k[0][1]) for k in expected]
        return
    assert answer(neo4j, query_id, values) == expected


@pytest.mark.parametrize(
    "statement",
    [
        "CREATE (:Hashtag {tag: 'planted'})",
        "MERGE (h:Hashtag {tag: 'planted'}) RETURN h",
        "MATCH (a:Account) SET a.cluster = 99",
        "MATCH (a:Account) DETACH DELETE a",
        "DROP INDEX account_cluster IF EXISTS",
    ],
)
def test_writes_are_refused_on_neo4j(neo4j: GraphEngine, statement: str) -> None:
    before = neo4j.count("MATCH (n) RETURN count(n)")
    with pytest.raises(WriteRefusedError):
        run_cypher(neo4j, statement)
    with pytest.raises(WriteRefusedError):  # the engine's own barrier, behind the guard
        neo4j.run(statement)
    assert neo4j.count("MATCH (n) RETURN count(n)") == before


def test_cli_on_neo4j(server: EngineSettings, neo4j: GraphEngine, fx: Fixture) -> None:
    uri = server.neo4j_uri or ""
    seed = busiest_core_account(fx.files)
    runner = CliRunner()
    result = runner.invoke(
        app,
        ["queries", "run", "amplifiers-of-account", "--neo4j-uri", uri, "-p", f"account={seed}"],
    )
    assert result.exit_code == 0, result.output
    assert "(neo4j)" in result.stderr
    syntax = runner.invoke(app, ["query", "MATCH (a:Account RETURN a", "--neo4j-uri", uri])
    assert "line 1" in str(syntax.exception).lower() or "position" in str(syntax.exception)
    injection = runner.invoke(
        app,
        [
            "query",
            "MATCH (n:Account) WHERE n.screen_name = $name RETURN count(n) AS n",
            "--neo4j-uri",
            uri,
            "-p",
            "name=x' }) DETACH DELETE n //",
        ],
    )
    assert injection.exit_code == 0
    assert neo4j.count("MATCH (n:Account) RETURN count(n)") > 0
