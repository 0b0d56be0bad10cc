"""``infoops push``: an embedded graph copied into a real Neo4j server, node for node and property
for property; pushed again (nothing added), into a server holding other data, and re-run after a
kill -9 of the command, which must end with the graph a clean push gives."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pyarrow as pa
import pytest

from conftest import graph_contents, graph_counts
from infoops.engines import EngineSettings, GraphEngine, open_engine
from infoops.engines.base import node_table, rel_table
from infoops.engines.ladybug_engine import LadybugEngine
from infoops.loaders.twitter_io import load_twitter
from infoops.synthetic import SynthConfig, generate_disclosure
from infoops.transfer.push import PushError, push_graph

INFOOPS = [sys.executable, "-m", "infoops.cli"]
DISCLOSURE = "synth-push"
# Values a careless copy would damage: line breaks, quotes, backslashes and non-BMP characters in
# text, int64 beyond a double's 53 bits, a float very close to zero, an explicit false, nulls.
ODD_TEXT = "line one\nline two, \"quoted\" 'single' \\ back\\slash — «ünïcödé» 🚀 香港\r\n"
ODD_TWEET = {
    "tweetid": "9000000000000000001",
    "text": ODD_TEXT,
    "time": "2020-01-01T00:00:00+00:00",
    "time_s": 1_577_836_800,
    "likes": 0,
    "retweets": 2**62 + 1,
    "is_retweet": False,
    "in_disclosure": True,
    "latitude": 48.856613,
    "longitude": -2.5e-7,
}  # lang, client, replies, quotes, poll_choices: null
ODD_INDICATOR = {"id": "ind-1", "type": "domain", "value": "example.org", "comment": "a\nb ✓"}


@pytest.fixture(scope="module")
def source_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A loaded synthetic disclosure plus hand-made odd values, in an embedded database."""
    folder = tmp_path_factory.mktemp("push")
    files = generate_disclosure(folder / "release", SynthConfig(accounts=120, tweets=1500, seed=4))
    db = folder / "source.db"
    with open_engine(EngineSettings(db=db)) as engine:
        load_twitter(
            engine, [files.users_path, *files.tweet_paths], DISCLOSURE, quarantine_path=folder / "q"
        )
        add_odd_values(engine)
    return db


def add_odd_values(engine: GraphEngine) -> None:
    author, other = (
        row[0]
        for row in engine.run(
            "MATCH (a:Account) WHERE a.in_disclosure RETURN a.userid ORDER BY a.userid LIMIT 2"
        ).rows
    )
    engine.insert_nodes(
        "Tweet", node_table("Tweet", {k: [v] for k, v in (ODD_TWEET | {"userid": author}).items()})
    )
    engine.insert_nodes(
        "Indicator", node_table("Indicator", {k: [v] for k, v in ODD_INDICATOR.items()})
    )
    engine.update_nodes(
        "Account",
        pa.table(
            {
                "userid": [author],
                "cluster": pa.array([3], pa.int64()),
                "kcore": pa.array([2], pa.int64()),
                "role": ["core"],
            }
        ),
    )
    engine.insert_rels(
        "POSTED", "Account", "Tweet", rel_table("POSTED", [author], [ODD_TWEET["tweetid"]])
    )
    engine.insert_rels(
        "IN_DISCLOSURE",
        "Indicator",
        "Disclosure",
        rel_table("IN_DISCLOSURE", ["ind-1"], [DISCLOSURE]),
    )
    engine.insert_rels("NAMES", "Indicator", "Account", rel_table("NAMES", ["ind-1"], [author]))
    engine.insert_rels(
        "COORDINATED_WITH",
        "Account",
        "Account",
        rel_table(
            "COORDINATED_WITH",
            [author, other],
            [other, author],
            {"weight": [0.75, 1e-300], "window_s": [60, None], "method": ["co-retweet", None]},
        ),
    )


def assert_same_graph(source: dict[str, list[Any]], target: dict[str, list[Any]]) -> None:
    for name, rows in source.items():
        assert len(target[name]) == len(rows), f"{name}: {len(target[name])} != {len(rows)}"
        for mine, theirs in zip(rows, target[name], strict=True):
            assert mine == theirs, f"{name} differs"


def source_snapshot(db: Path) -> tuple[dict[str, list[Any]], dict[str, int]]:
    with LadybugEngine(db, read_only=True) as source:
        return graph_contents(source), graph_counts(source)


def test_push_copies_the_whole_graph_and_a_second_push_adds_nothing(
    source_db: Path, neo4j_settings: EngineSettings
) -> None:
    with LadybugEngine(source_db, read_only=True) as source, open_engine(neo4j_settings) as target:
        report = push_graph(source, target, batch_rows=2_000)
        assert report.matches and report.target_was_empty, report.shortfalls()
        assert report.source == graph_counts(source) == graph_counts(target) == report.target
        assert all(report.source.values()), "every label and type should be exercised"
        assert_same_graph(graph_contents(source), graph_contents(target))

        tweet = target.run(
            "MATCH (t:Tweet {tweetid: $id}) RETURN properties(t)", {"id": ODD_TWEET["tweetid"]}
        ).scalar()
        assert {k: v for k, v in tweet.items() if k != "userid"} == ODD_TWEET  # nulls absent
        assert type(tweet["retweets"]) is int and type(tweet["longitude"]) is float
        indicator = target.run("MATCH (i:Indicator) RETURN properties(i)").scalar()
        assert indicator == ODD_INDICATOR
        coordinated = target.run(
            "MATCH ()-[r:COORDINATED_WITH]->() RETURN r.weight, r.window_s, r.method "
            "ORDER BY r.weight"
        ).rows
        assert coordinated == [[1e-300, None, None], [0.75, 60, "co-retweet"]]

        again = push_graph(source, target, batch_rows=5_000)
        assert again.matches and not again.target_was_empty
        assert sum(again.created.values()) == 0 and sum(again.updated.values()) == 0
        assert again.target == report.target


def test_push_into_a_server_holding_other_data_repairs_and_keeps(
    source_db: Path, neo4j_settings: EngineSettings
) -> None:
    with LadybugEngine(source_db, read_only=True) as source, open_engine(neo4j_settings) as target:
        placeholder = source.run(
            "MATCH (a:Account) WHERE NOT a.in_disclosure RETURN a.userid ORDER BY a.userid LIMIT 1"
        ).scalar()
        target.run(
            "CREATE (:Disclosure {id: 'other'})<-[:IN_DISCLOSURE]-(:Account {userid: 'foreign'}) "
            "CREATE (:Account {userid: $id, screen_name: 'elsewhere', in_disclosure: true})",
            {"id": placeholder},
        )
        first = push_graph(source, target, batch_rows=3_000)
        assert first.matches and not first.target_was_empty
        assert first.target["Account"] == first.source["Account"] + 1  # the foreign account
        # A placeholder in the source never overwrites what another disclosure released.
        kept = target.run(
            "MATCH (a:Account {userid: $id}) RETURN a.screen_name, a.in_disclosure",
            {"id": placeholder},
        ).rows
        assert kept == [["elsewhere", True]]

        # Damage the copy, and give an account a value the source does not know.
        amplified = target.run(
            "MATCH (a)-[e:AMPLIFIED]->(b) WITH a, e, b ORDER BY a.userid, b.userid LIMIT 1 "
            "SET e.count = -1 RETURN a.userid, b.userid"
        ).rows[0]
        target.run("MATCH (t:Tweet {tweetid: $id}) REMOVE t.text", {"id": ODD_TWEET["tweetid"]})
        target.run("MATCH (:Tweet)-[r:TAGGED]->(:Hashtag) WITH r LIMIT 3 DELETE r")
        target.run("MATCH (a:Account {userid: 'foreign'}) SET a.cluster = 7")
        unclustered = source.run(
            "MATCH (a:Account) WHERE a.in_disclosure AND a.cluster IS NULL "
            "RETURN a.userid ORDER BY a.userid LIMIT 1"
        ).scalar()
        target.run("MATCH (a:Account {userid: $id}) SET a.kcore = 9", {"id": unclustered})

        second = push_graph(source, target, batch_rows=3_000)
        assert second.matches
        assert second.created == {**dict.fromkeys(second.source, 0), "TAGGED": 3}
        assert second.updated == {**dict.fromkeys(second.source, 0), "Tweet": 1, "AMPLIFIED": 1}
        assert amplified_count(target, *amplified) == amplified_count(source, *amplified)
        text = "MATCH (t:Tweet {tweetid: $id}) RETURN t.text"
        assert target.run(text, {"id": ODD_TWEET["tweetid"]}).scalar() == ODD_TEXT
        # What the source does not know (null there) is kept.
        assert target.count("MATCH (a:Account {userid: 'foreign'}) RETURN a.cluster") == 7
        kcore = "MATCH (a:Account {userid: $id}) RETURN a.kcore"
        assert target.count(kcore, {"id": unclustered}) == 9
        assert target.count("MATCH (d:Disclosure) RETURN count(d)") == 2


def amplified_count(engine: GraphEngine, src: str, dst: str) -> int:
    return engine.count(
        "MATCH (:Account {userid: $a})-[e:AMPLIFIED]->(:Account {userid: $b}) RETURN e.count",
        {"a": src, "b": dst},
    )


def test_push_refuses_a_source_with_an_unfinished_load(
    source_db: Path, neo4j_settings: EngineSettings, tmp_path: Path
) -> None:
    unfinished = tmp_path / "unfinished.db"
    shutil.copy(source_db, unfinished)
    with open_engine(EngineSettings(db=unfinished)) as engine:
        engine.run("MATCH (d:Disclosure) SET d.load_stage = '/gone', d.load_step = 1")
    with LadybugEngine(unfinished, read_only=True) as source, open_engine(neo4j_settings) as target:
        with pytest.raises(PushError, match=f"load of {DISCLOSURE} .* was interrupted"):
            push_graph(source, target)
        assert target.count("MATCH (n) RETURN count(n)") == 0


def cli_env(settings: EngineSettings, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("NEO4J_")}
    env["NEO4J_USERNAME"] = settings.neo4j_user or "neo4j"
    env["NEO4J_PASSWORD"] = settings.neo4j_password or ""
    return env | extra


def test_push_killed_with_sigkill_and_run_again_equals_a_clean_push(
    source_db: Path, neo4j_settings: EngineSettings
) -> None:
    expected, counts = source_snapshot(source_db)
    command = [
        *INFOOPS,
        "push",
        "--db",
        str(source_db),
        "--neo4j-uri",
        str(neo4j_settings.neo4j_uri),
    ]
    process = subprocess.Popen(
        [*command, "--batch-rows", "100", "-q"],
        env=cli_env(neo4j_settings),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    with open_engine(neo4j_settings) as target:
        # Kill as soon as the first page of tweets is in: some but not all of them.
        deadline = time.monotonic() + 120
        while process.poll() is None and time.monotonic() < deadline:
            if target.count("MATCH (t:Tweet) RETURN count(t)"):
                break
            time.sleep(0.02)
        process.send_signal(signal.SIGKILL)
        _, stderr = process.communicate(timeout=30)
        assert process.returncode == -signal.SIGKILL, stderr.decode()
        partial = graph_counts(target)
        assert 0 < partial["Tweet"] < counts["Tweet"], "killed too late to test a resumption"
        assert partial["POSTED"] == 0

        rerun = subprocess.run(
            [*command, "-q"],
            env=cli_env(neo4j_settings),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert rerun.returncode == 0, rerun.stderr
        assert "count check per label and type: ok" in rerun.stdout
        assert graph_counts(target) == counts
        assert_same_graph(expected, graph_contents(target))


def test_push_from_the_command_line_shows_progress_and_the_count_check(
    source_db: Path, neo4j_settings: EngineSettings
) -> None:
    # Credentials written into the address work, and are never shown.
    password = neo4j_settings.neo4j_password or ""
    host = str(neo4j_settings.neo4j_uri).split("://", 1)[1]
    uri = f"bolt://{quote(neo4j_settings.neo4j_user or 'neo4j')}:{quote(password, safe='')}@{host}"
    env = {key: value for key, value in os.environ.items() if not key.startswith("NEO4J_")}
    done = subprocess.run(
        [*INFOOPS, "push", "--db", str(source_db), "--neo4j-uri", uri],
        env=env | {"TTY_COMPATIBLE": "1", "TTY_INTERACTIVE": "1", "COLUMNS": "150"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert len(password) >= 8 and password not in done.stdout + done.stderr
    # The progress bar: its last frame counts every row (which label a frame names depends on
    # how fast the push ran between refreshes).
    assert re.search(r"(\d+)/\1\S* rows", done.stderr), done.stderr[-500:]
    assert f"into Neo4j at bolt://{host}" in done.stdout
    assert "count check per label and type: ok (the target was empty" in done.stdout
    lines = {line.split("│")[1].strip(): line for line in done.stdout.splitlines() if "│" in line}
    assert "Tweet" in lines and "COORDINATED_WITH" in lines


def test_push_errors_are_one_line(tmp_path: Path) -> None:
    """A missing database and a missing server fail before anything connects."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("NEO4J_", "INFOOPS_"))
    }
    cases = [
        (
            [
                "--db",
                str(tmp_path / "missing.db"),
                "--neo4j-uri",
                "bolt://neo4j:s3cret@127.0.0.1:1",
            ],
            "no infoops database at",
        ),
        (["--db", str(tmp_path / "missing.db")], "push needs a Neo4j server"),
    ]
    for args, expected in cases:
        done = subprocess.run(
            [*INFOOPS, "push", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 1
        assert done.stderr.startswith("error: ") and expected in done.stderr, done.stderr
        assert len(done.stderr.strip().splitlines()) == 1 and "s3cret" not in done.stderr
        assert not (tmp_path / "missing.db").exists()
