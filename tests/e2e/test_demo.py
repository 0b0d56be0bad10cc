"""The README's main command: ``infoops demo`` builds everything from scratch, offline; on the
embedded engine (the README's) and into the Neo4j server (``--neo4j-uri``)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import engine_env
from infoops.engines import EngineSettings, open_engine


def run_demo(
    out: Path, settings: EngineSettings, check: bool = True
) -> subprocess.CompletedProcess[str]:
    command = ["demo", str(out), "--accounts", "120", "--tweets", "3000", "-q"]
    env = {key: value for key, value in os.environ.items() if not key.startswith("NEO4J_")}
    if settings.neo4j_uri:
        command += ["--neo4j-uri", settings.neo4j_uri]
        env |= {k: v for k, v in engine_env(settings).items() if v is not None}
    result = subprocess.run(
        [sys.executable, "-m", "infoops.cli", *command],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env=env,
    )
    assert result.returncode == 0 or not check, result.stderr
    return result


DEMO_TWEETS = (
    "MATCH (t:Tweet)-[:IN_DISCLOSURE]->(:Disclosure {id: 'synthetic-demo'}) RETURN count(t)"
)


def test_demo_builds_data_graph_summary_and_offline_views(
    tmp_path: Path, engine_settings: EngineSettings
) -> None:
    out = tmp_path / "demo"
    result = run_demo(out, engine_settings)
    graph = engine_settings if engine_settings.neo4j_uri else EngineSettings(db=out / "infoops.db")
    assert "reconciled" in result.stdout and "NOT reconciled" not in result.stdout

    truth = json.loads(next((out / "data").glob("*_truth.json")).read_text(encoding="utf-8"))
    with open_engine(graph, read_only=True) as engine:
        released = engine.count(DEMO_TWEETS)
        accounts = engine.count(
            "MATCH (a:Account)-[:IN_DISCLOSURE]->(:Disclosure {id: 'synthetic-demo'}) "
            "RETURN count(a)"
        )
    assert released == truth["counts"]["tweet_rows"]
    assert accounts == truth["counts"]["users_rows"]

    pages = (
        "chains.html",
        "cascade.html",
        "clusters.html",
        "clusters-overview.html",
        "report.html",
    )
    for page in pages:
        html = (out / page).read_text(encoding="utf-8")
        assert "infoops demo" in html  # the page says which command produced it
        assert not re.search(r"<(script|link)[^>]+(src|href)=[\"']?(https?:)?//", html)

    # Clusters, roles and the co-retweet network are in the graph for Cypher to read.
    with open_engine(graph, read_only=True) as engine:
        clusters = engine.count(
            "MATCH (a:Account) WHERE a.cluster IS NOT NULL RETURN count(DISTINCT a.cluster)"
        )
        cores = engine.count("MATCH (a:Account {role: 'core'}) RETURN count(a)")
        co_retweet = engine.count(
            "MATCH ()-[e:COORDINATED_WITH {method: 'co-retweet'}]->() RETURN count(e)"
        )
    assert clusters == truth["config"]["clusters"]
    assert cores == truth["counts"]["core_accounts"]
    assert co_retweet > 0

    # The two overlapping disclosures are loaded and the crossref page names what they share.
    overlap = json.loads(next((out / "data" / "overlap").glob("*truth*.json")).read_text("utf-8"))
    crossref_page = (out / "crossref.html").read_text(encoding="utf-8")
    assert "synthetic-overlap-a" in crossref_page and "synthetic-overlap-b" in crossref_page
    assert overlap["files"]
    assert f"{co_retweet:,} COORDINATED_WITH edges stored" in result.stdout

    # Running it again starts from scratch and gives the same graph.
    run_demo(out, engine_settings)
    with open_engine(graph, read_only=True) as engine:
        assert engine.count(DEMO_TWEETS) == released


@pytest.mark.neo4j
def test_demo_refuses_a_server_that_holds_other_disclosures(
    tmp_path: Path, neo4j_settings: EngineSettings
) -> None:
    with open_engine(neo4j_settings) as engine:
        engine.run("CREATE (:Disclosure {id: $id})", {"id": "someone-elses-release"})
    result = run_demo(tmp_path / "demo", neo4j_settings, check=False)
    assert result.returncode == 1
    assert "holds other disclosures (someone-elses-release)" in result.stderr
    with open_engine(neo4j_settings, read_only=True) as engine:
        assert engine.count("MATCH (n) RETURN count(n)") == 1  # nothing was touched
