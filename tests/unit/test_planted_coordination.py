"""Every coordinated group the generator plants is found by its own method, on both engines.

The generator plants small groups per method (``planted_coordination`` in the truth file): each
member acts on the same object three times, all within 30 s. With the generator's window (60 s)
and minimum (3), every planted pair must come out of ``compute_network`` in both directions with
a weight of at least 3, and the evidence of each such edge must name the planted object kind.
Other pairs may be found too (organic coincidences, squads' bursts): this checks recall only;
the toolkit parity test checks the weights edge for edge.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import Neo4jServer
from infoops.analysis.coordination.evidence import evidence
from infoops.analysis.coordination.network import compute_network
from infoops.analysis.coordination.store import stored_edges
from infoops.engines import EngineSettings, open_engine
from infoops.loaders.twitter_io import load_twitter
from infoops.synthetic import (
    COORDINATION_MIN_SHARED,
    DIFFICULTIES,
    PLANTED_METHODS,
    SynthConfig,
    generate_disclosure,
)

DISCLOSURE = "planted-coordination"
_RELEASE: dict[str, Any] = {}


def planted_release(factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    if not _RELEASE:
        root = factory.mktemp("planted")
        config = SynthConfig(
            accounts=300, tweets=5000, seed=11, base="planted_2020", **DIFFICULTIES["noisy"]
        )
        result = generate_disclosure(root / "files", config)
        _RELEASE["root"] = root
        _RELEASE["truth"] = json.loads(result.truth_path.read_text(encoding="utf-8"))
    return _RELEASE["root"], _RELEASE["truth"]


def _load(files: Path, settings: EngineSettings, quarantine: Path) -> EngineSettings:
    with open_engine(settings) as engine:
        report = load_twitter(engine, [files], DISCLOSURE, quarantine_path=quarantine)
        assert report.reconciles and report.total("rejected") == 0
    return settings


@pytest.fixture(params=["ladybug", "neo4j"])
def planted_graph(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[EngineSettings, dict[str, Any]]:
    root, truth = planted_release(tmp_path_factory)
    if request.param == "ladybug":
        db = root / "graph.db"
        if not db.exists():
            _load(root / "files", EngineSettings(db=db), root / "ladybug.quarantine")
        return EngineSettings(db=db), truth
    server: Neo4jServer = request.getfixturevalue("neo4j_server")
    settings = server.shared(
        "planted-coordination",
        lambda s: _load(root / "files", s, root / "neo4j.quarantine"),
    )
    assert isinstance(settings, EngineSettings)
    return settings, truth


@pytest.mark.parametrize("method", PLANTED_METHODS)
def test_every_planted_pair_is_found_by_its_method(
    planted_graph: tuple[EngineSettings, dict[str, Any]], method: str
) -> None:
    settings, truth = planted_graph
    planted = {tuple(pair) for pair in truth["planted_coordination"][method]}
    assert planted, f"the generator planted no {method} pairs: the test would prove nothing"
    window = int(truth["planted_coordination_window_s"])
    with open_engine(settings) as engine:
        run = compute_network(engine, method, window, COORDINATION_MIN_SHARED)
        weights = {
            (row["src"], row["dst"]): row["weight"]
            for row in stored_edges(engine, method, window).to_pylist()
        }
        assert run.written == len(weights)
        missing = [
            (a, b)
            for a, b in sorted(planted)
            if weights.get((a, b), 0) < COORDINATION_MIN_SHARED
            or weights.get((b, a), 0) < COORDINATION_MIN_SHARED
        ]
        assert not missing, f"{method}: planted pairs not found: {missing[:5]}"
        a, b = sorted(planted)[0]
        rows = evidence(engine, a, b, method, window)
        assert {row.method for row in rows} == {method}
        assert len({row.tweet for row in rows if row.account == a}) >= COORDINATION_MIN_SHARED
