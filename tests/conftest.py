from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # tests/twitter_files.py and friends

from infoops.engines import EngineSettings, GraphEngine, open_engine
from infoops.engines.schema import NODES, RELS


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[GraphEngine]:
    """A fresh embedded Ladybug database (the real engine, no mocks)."""
    with open_engine(EngineSettings(db=tmp_path / "graph.db")) as opened:
        yield opened


@pytest.fixture
def neo4j_settings() -> EngineSettings:
    uri = os.environ.get("NEO4J_URI")
    if not uri:
        pytest.skip("NEO4J_URI is not set: no Neo4j 5 server to test against")
    return EngineSettings.from_env()


def graph_counts(engine: GraphEngine) -> dict[str, int]:
    """Node count per label and relationship count per type: the fingerprint of a load."""
    counts = {node.label: engine.count(f"MATCH (n:{node.label}) RETURN count(n)") for node in NODES}
    for rel in RELS:
        counts[rel.type] = engine.count(f"MATCH ()-[r:{rel.type}]->() RETURN count(r)")
    return counts
