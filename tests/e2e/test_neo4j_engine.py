"""The Neo4j engine against the real Neo4j 5 server: connection errors, credentials, drivers.

Loads, queries and views run on both engines through conftest's ``engine`` fixtures; this file
holds what only the server path has: logins, addresses, databases and a caller's own driver.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import uuid
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

import neo4j
import pytest

from conftest import Neo4jServer, graph_counts
from infoops.engines import EngineSettings, open_engine
from infoops.engines.neo4j_address import parse_neo4j_uri, redact, redact_uri
from infoops.engines.neo4j_engine import Neo4jEngine
from infoops.errors import ConfigurationError, CypherSyntaxError, WriteRefusedError
from infoops.loaders.twitter_io import load_twitter
from twitter_files import REAL_USERS, account, tweet, write_tweets

SECRET = "s3cret-Pa55word"


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


def _host_port(settings: EngineSettings) -> str:
    return urlsplit(settings.neo4j_uri or "").netloc


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.neo4j
def test_neo4j_load_matches_ladybug(neo4j_settings: EngineSettings, tmp_path: Path) -> None:
    files = _files(tmp_path)
    with open_engine(neo4j_settings) as neo4j_engine:
        report = load_twitter(neo4j_engine, files, "neo4j-test", quarantine_path=tmp_path / "q1")
        assert report.reconciles
        neo4j_counts = graph_counts(neo4j_engine)
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


@pytest.mark.neo4j
def test_wrong_password_is_one_line_without_the_password(neo4j_server: Neo4jServer) -> None:
    wrong = replace(neo4j_server.settings, neo4j_password=SECRET)
    with pytest.raises(ConfigurationError) as caught:
        open_engine(wrong)
    message = str(caught.value)
    assert "refused the login of user 'neo4j'" in message
    assert neo4j_server.settings.neo4j_uri in message
    assert SECRET not in message and "\n" not in message


@pytest.mark.neo4j
def test_credentials_inside_the_uri_log_in_and_never_show(neo4j_server: Neo4jServer) -> None:
    settings = neo4j_server.settings
    host = _host_port(settings)
    password = settings.neo4j_password or ""
    with_login = EngineSettings(neo4j_uri=f"bolt://neo4j:{password}@{host}")
    with open_engine(with_login, read_only=True) as engine:
        assert engine.run("RETURN 1 AS one").rows == [[1]]
        assert isinstance(engine, Neo4jEngine) and password not in engine.uri
    with pytest.raises(ConfigurationError) as caught:
        open_engine(EngineSettings(neo4j_uri=f"bolt://neo4j:{SECRET}@{host}"))
    assert SECRET not in str(caught.value) and f"bolt://{host}" in str(caught.value)


@pytest.mark.neo4j
def test_unknown_database_is_one_line(neo4j_server: Neo4jServer) -> None:
    settings = replace(neo4j_server.settings, neo4j_database="no_such_db")
    with pytest.raises(ConfigurationError, match=r"has no database 'no_such_db'"):
        open_engine(settings, read_only=True)


@pytest.mark.neo4j
def test_an_existing_driver_and_database(neo4j_server: Neo4jServer) -> None:
    settings = neo4j_server.settings
    auth = (settings.neo4j_user or "neo4j", settings.neo4j_password or "")
    with neo4j.GraphDatabase.driver(settings.neo4j_uri or "", auth=auth) as driver:
        engine = Neo4jEngine(driver=driver, database="neo4j", read_only=True)
        assert engine.run("RETURN 1 AS one").rows == [[1]]
        assert engine.uri == settings.neo4j_uri
        engine.close()  # the caller's driver stays open
        driver.verify_connectivity()


@pytest.mark.neo4j
def test_cli_errors_against_the_server_name_the_uri_never_the_password(
    neo4j_server: Neo4jServer,
) -> None:
    host = _host_port(neo4j_server.settings)
    stopped = f"127.0.0.1:{_free_port()}"
    cases = {
        f"bolt://neo4j:{SECRET}@{host}": "refused the login of user 'neo4j'",
        f"bolt://neo4j:{SECRET}@{stopped}": "no server answers there",
        f"bolt://neo4j:{SECRET}@{host}:notaport": "cannot read the Neo4j address",
        f"http://neo4j:{SECRET}@{host}": "use a Bolt address",
    }
    for uri, expected in cases.items():
        done = subprocess.run(
            [sys.executable, "-m", "infoops.cli", "summary", "--neo4j-uri", uri],
            capture_output=True,
            text=True,
            env={"PATH": "/usr/bin:/bin", "NEO4J_PASSWORD": ""},
            timeout=60,
        )
        output = done.stdout + done.stderr
        assert done.returncode == 1, output
        assert expected in output, output
        assert SECRET not in output and "Traceback" not in output, output
        assert len(done.stderr.strip().splitlines()) == 1, output


def test_addresses_are_parsed_and_redacted_without_a_server() -> None:
    address = parse_neo4j_uri("bolt://alice:p%40ss@db.example:7687")
    assert (address.uri, address.user, address.password) == (
        "bolt://db.example:7687",
        "alice",
        "p@ss",
    )
    assert redact_uri("neo4j+s://u:pw@h:7687/x") == "neo4j+s://h:7687/x"
    assert redact_uri("bolt://u:pw@h:bad") == "bolt://h:bad"
    assert redact_uri("bolt://h:7687") == "bolt://h:7687"
    assert redact_uri("bolt://neo4j:se/cr?e#t@localhost:7687") == "bolt://localhost:7687"
    with pytest.raises(ConfigurationError) as caught:
        parse_neo4j_uri("bolt://neo4j:se/cret@localhost:notaport")
    assert "se/cret" not in str(caught.value) and "cret" not in str(caught.value)


def test_the_userinfo_ends_at_the_last_at_sign() -> None:
    # urlsplit would take "/o:pw@h:7687" for a path: the password would ride in the "clean" URI.
    address = parse_neo4j_uri("bolt://ne/o:p@ss/w?rd#x@db.example:7687")
    assert (address.uri, address.user, address.password) == (
        "bolt://db.example:7687",
        "ne/o",
        "p@ss/w?rd#x",
    )
    assert "p@ss" not in repr(address) and "p@ss" not in repr(EngineSettings(neo4j_uri="b"))
    with pytest.raises(ConfigurationError) as caught:
        parse_neo4j_uri("bolt://neo4j:pw@db.example:7687\n:1")
    assert str(caught.value) == (
        "cannot read the Neo4j address bolt://db.example:7687\\n:1: it holds a control character"
    )


def test_text_is_redacted_of_uri_credentials_and_every_form_of_a_secret() -> None:
    text = (
        "failed: bolt://neo4j:p%40ss%2Fw@h:1 and neo4j+s://u:x@y@other:2/db, "
        "password 'p@ss/w' (p%40ss/w, p%40ss%2Fw)"
    )
    assert redact(text, ["p@ss/w"]) == (
        "failed: bolt://h:1 and neo4j+s://other:2/db, password '***' (***, ***)"
    )
    assert redact("nothing secret here: bolt://h:1", []) == "nothing secret here: bolt://h:1"


def test_unreachable_neo4j_is_a_clear_error_without_a_server() -> None:
    # Runs everywhere: port 1 on loopback refuses at once.
    settings = EngineSettings(neo4j_uri="bolt://127.0.0.1:1", neo4j_password="x")
    with pytest.raises(ConfigurationError, match=r"cannot reach Neo4j at bolt://127\.0\.0\.1:1"):
        open_engine(settings)
    with pytest.raises(ConfigurationError, match="cannot reach Neo4j"):
        open_engine(EngineSettings(neo4j_uri="http://127.0.0.1:7474"))  # not a Bolt scheme
