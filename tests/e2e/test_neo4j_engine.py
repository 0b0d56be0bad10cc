"""The Neo4j engine against a real Neo4j 5 server: runs when NEO4J_URI is set, skips otherwise.

Start one with `docker compose -f docker/docker-compose.yml up -d --wait` and export NEO4J_URI,
NEO4J_USERNAME and NEO4J_PASSWORD. The tests load into a disclosure of their own and compare the
graph with what the embedded engine builds from the same files.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from conftest import graph_counts
from infoops.engines import EngineSettings, open_engine
from infoops.errors import ConfigurationError, CypherSyntaxError, WriteRefusedError
from infoops.loaders.twitter_io import load_twitter
from twitter_files import REAL_USERS, account, tweet, write_tweets


def _files(tmp_path: Path) -> list[Path]:
    alice, bob = account("1180000000000000001", "alice"), account("22", "bob")
    rows = [
        tweet("100", bob, hashtags="['HongKong']", urls="['https://news.example/a']"),
        tweet("101", alice, is_retweet="True", retweet_userid="22", retweet_tweetid="100"),
        tweet("102", alice, is_retweet="True", retweet_userid="77", retweet_tweetid="900"),
        tweet(
            "103", alice, in_reply_to_userid="22", in_reply_to_tweetid="100", user_mentions="[22]"
        ),
    ]
    return [REAL_USERS, write_tweets(tmp_path / "t.csv", rows)]


@pytest.mark.neo4j
def test_neo4j_load_matches_ladybug(neo4j_settings: EngineSettings, tmp_path: Path) -> None:
    files = _files(tmp_path)
    with open_engine(neo4j_settings) as neo4j:
        neo4j.run("MATCH (n) DETACH DELETE n")  # the test server is the tests' own
        report = load_twitter(neo4j, files, "neo4j-test", quarantine_path=tmp_path / "q1.csv")
        assert report.reconciles
        neo4j_counts = graph_counts(neo4j)
        again = load_twitter(neo4j, files, "neo4j-test", quarantine_path=tmp_path / "q2.csv")
        assert again.total("loaded") == 0 and graph_counts(neo4j) == neo4j_counts
    with open_engine(EngineSettings(db=tmp_path / "lb.db")) as ladybug:
        load_twitter(ladybug, files, "neo4j-test", quarantine_path=tmp_path / "q3.csv")
        assert graph_counts(ladybug) == neo4j_counts


@pytest.mark.neo4j
def test_neo4j_read_only_refuses_writes(neo4j_settings: EngineSettings) -> None:
    marker = f"infoops-{uuid.uuid4()}"
    with open_engine(neo4j_settings, read_only=True) as engine:
        with pytest.raises(WriteRefusedError):
            engine.run("CREATE (:Disclosure {id: $id})", {"id": marker})
        assert engine.count("MATCH (d:Disclosure {id: $id}) RETURN count(d)", {"id": marker}) == 0
        with pytest.raises(CypherSyntaxError):
            engine.run("MATCH (a:Account RETURN a")


def test_unreachable_neo4j_is_a_clear_error_without_a_server() -> None:
    # Runs everywhere: port 1 on loopback refuses at once.
    settings = EngineSettings(neo4j_uri="bolt://127.0.0.1:1", neo4j_password="x")
    with pytest.raises(ConfigurationError, match=r"cannot reach Neo4j at bolt://127\.0\.0\.1:1"):
        open_engine(settings)
    with pytest.raises(ConfigurationError, match="cannot reach Neo4j"):
        open_engine(EngineSettings(neo4j_uri="http://127.0.0.1:7474"))  # not a Bolt scheme
