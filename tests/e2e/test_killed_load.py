"""A load killed with SIGKILL mid-transaction can simply be re-run and ends like a clean load.

On both engines: on Neo4j the server rolls back the killed client's open transaction, and the
journal on the Disclosure node says which staged file to write next.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import Neo4jServer, graph_contents, graph_counts
from infoops.engines import EngineSettings, GraphEngine, open_engine
from infoops.loaders.staging import read_plan
from infoops.loaders.twitter_io import load_twitter
from twitter_files import account, tweet, write_tweets, write_users

KILLER = textwrap.dedent(
    """
    import os, signal, sys
    from infoops.engines import EngineSettings, open_engine
    from infoops.loaders.twitter_io import load_twitter

    db, data, method = sys.argv[1], sys.argv[2], sys.argv[3]
    kill_at, part_rows = int(sys.argv[4]), int(sys.argv[5])
    engine = open_engine(EngineSettings.from_env(db=db))  # NEO4J_URI in its env: the server
    real_method, calls = getattr(engine, method), [0]

    def call_then_maybe_die(*args, **kwargs):
        result = real_method(*args, **kwargs)
        calls[0] += 1
        if calls[0] == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
        return result

    setattr(engine, method, call_then_maybe_die)
    load_twitter(engine, [data], "killed", quarantine_path=db + ".q.csv", chunk_rows=300,
                 part_rows=part_rows)
    print("finished without being killed")
    """
)


# Kills the load right after its N-th write to the journal (start, each step, end), before the
# transaction holding it commits. Paths are relative to the working folder it runs in.
JOURNAL_KILLER = textwrap.dedent(
    """
    import os, signal, sys
    from infoops.engines import EngineSettings, open_engine
    from infoops.loaders import load_journal
    from infoops.loaders.twitter_io import load_twitter

    db, data, kill_at = sys.argv[1], sys.argv[2], int(sys.argv[3])
    engine = open_engine(EngineSettings.from_env(db=db))  # NEO4J_URI in its env: the server
    journal = {load_journal.JOURNAL_START, load_journal.JOURNAL_STEP, load_journal.JOURNAL_END}
    real_run, writes = engine.run, [0]

    def run_then_maybe_die(cypher, params=None):
        result = real_run(cypher, params)
        if cypher in journal:
            writes[0] += 1
            if writes[0] == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)
        return result

    engine.run = run_then_maybe_die
    load_twitter(engine, [data], "killed", quarantine_path="q.csv", chunk_rows=100)
    print("finished without being killed")
    """
)


def _dataset(folder: Path) -> Path:
    core = [account(str(10_000 + i), f"core{i}") for i in range(40)]
    rows = []
    for i in range(3_000):
        author = core[i % 40]
        extra = {"hashtags": f"['tag{i % 7}']", "urls": f"['http://site{i % 5}.example/{i}']"}
        if i % 3:  # retweets of earlier tweets and of an outside account
            target = str(500_000 + i // 2) if i % 2 else str(900_000 + i % 50)
            extra |= {
                "is_retweet": "True",
                "retweet_tweetid": target,
                "retweet_userid": str(10_000 + (i // 2) % 40) if i % 2 else "77",
            }
        rows.append(tweet(str(500_000 + i), author, **extra))
    write_users(folder / "k_users_csv_hashed.csv", core)
    write_tweets(folder / "k_tweets_csv_hashed.csv", rows)
    return folder


def _amplified(engine: GraphEngine) -> list[list[object]]:
    return engine.run(
        "MATCH (a:Account)-[e:AMPLIFIED]->(b:Account) "
        "RETURN a.userid, b.userid, e.count, e.first_s, e.last_s ORDER BY a.userid, b.userid"
    ).rows


@pytest.mark.parametrize(
    ("method", "kill_at", "part_rows"),
    [
        ("lookup", 12, 1_000_000),  # while chunks are being read and staged
        ("copy_rels", 4, 1_000_000),  # while writing: after the nodes and some relationships
        ("copy_nodes", 3, 500),  # while writing a table staged in several parts
    ],
)
def test_killed_load_rerun_matches_clean_load(
    tmp_path: Path,
    engine_settings: EngineSettings,
    request: pytest.FixtureRequest,
    method: str,
    kill_at: int,
    part_rows: int,
) -> None:
    data = _dataset(tmp_path / "data")
    on_neo4j = engine_settings.neo4j_uri is not None
    killed_db = tmp_path / "killed.db"
    staging_area = tmp_path / "staging" if on_neo4j else killed_db.with_name("killed.db.staging")
    env = {key: value for key, value in os.environ.items() if not key.startswith("NEO4J_")}
    env["INFOOPS_STAGING_DIR"] = str(staging_area)  # where a server's loads stage
    if on_neo4j:
        env |= {
            "NEO4J_URI": engine_settings.neo4j_uri or "",
            "NEO4J_USERNAME": engine_settings.neo4j_user or "neo4j",
            "NEO4J_PASSWORD": engine_settings.neo4j_password or "",
        }
    process = subprocess.run(
        [
            sys.executable,
            "-c",
            KILLER,
            str(killed_db),
            str(data),
            method,
            str(kill_at),
            str(part_rows),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env=env,
        cwd=tmp_path / "data",  # resumed below from another working folder
    )
    assert process.returncode == -signal.SIGKILL, process.stdout + process.stderr

    killed = engine_settings if on_neo4j else EngineSettings(db=killed_db)
    os.environ["INFOOPS_STAGING_DIR"] = str(staging_area)
    try:
        rerun_counts, rerun_amplified = _resume(killed, data, tmp_path, method, staging_area)
    finally:
        del os.environ["INFOOPS_STAGING_DIR"]

    if on_neo4j:
        server: Neo4jServer = request.getfixturevalue("neo4j_server")
        server.clear()
        clean = engine_settings
    else:
        clean = EngineSettings(db=tmp_path / "clean.db")
    with open_engine(clean) as engine:
        load_twitter(engine, [data], "killed", quarantine_path=tmp_path / "q2.csv")  # one part
        assert graph_counts(engine) == rerun_counts
        assert _amplified(engine) == rerun_amplified
    assert rerun_counts["Tweet"] > 3_000  # released tweets plus outside originals


def _resume(
    settings: EngineSettings, data: Path, tmp_path: Path, method: str, staging_area: Path
) -> tuple[dict[str, int], list[list[object]]]:
    with open_engine(settings) as engine:
        journal = engine.run("MATCH (d:Disclosure) RETURN d.load_stage, d.load_step").rows
        tweets = engine.count("MATCH (t:Tweet) RETURN count(t)")
        if method == "lookup":  # killed while staging: the graph was not touched at all
            assert tweets == 0 and journal == []
        else:  # killed while writing: part is written, and the journal says how far it got
            assert tweets > 0 and journal[0][1] >= 1
        report = load_twitter(engine, [data], "killed", quarantine_path=tmp_path / "q.csv")
        assert report.reconciles
        assert report.resumed == (method != "lookup")
        assert engine.run("MATCH (d:Disclosure) RETURN d.load_stage").rows == [[None]]
        assert not list(staging_area.glob("infoops-stage-*")), "staged files were left behind"
        return graph_counts(engine), _amplified(engine)


def test_derived_edges_too_many_for_one_transaction_are_written_in_parts(
    tmp_path: Path, engine: GraphEngine
) -> None:
    data = _dataset(tmp_path / "data")
    more = write_tweets(
        tmp_path / "more" / "m_tweets_csv_hashed.csv",
        [  # new retweets between accounts that already amplify each other: counts change
            tweet(
                str(800_000 + i),
                account(str(10_000 + i % 40), f"core{i % 40}"),
                is_retweet="True",
                retweet_tweetid=str(500_000 + (i * 7) % 3_000),
                retweet_userid=str(10_000 + ((i * 7) % 3_000) % 40),
            )
            for i in range(200)
        ],
    )
    with open_engine(EngineSettings(db=tmp_path / "whole.db")) as whole:
        load_twitter(whole, [data], "parts", quarantine_path=tmp_path / "q1.csv")
        load_twitter(whole, [more], "parts-2", quarantine_path=tmp_path / "q2.csv")
        expected_counts, expected_amplified = graph_counts(whole), _amplified(whole)
    assert expected_counts["AMPLIFIED"] > 20  # so that 20 per transaction means several parts

    load_twitter(engine, [data], "parts", quarantine_path=tmp_path / "q3.csv")
    engine.write_part_rows = 20  # from now on this engine holds 20 derived edges at most
    # The second load recounts every derived edge and replaces the first load's, in parts.
    load_twitter(
        engine, [more], "parts-2", quarantine_path=tmp_path / "q4.csv", part_rows=1_000_000
    )
    assert graph_counts(engine) == expected_counts
    assert _amplified(engine) == expected_amplified


def _small_dataset(folder: Path) -> Path:
    """Users, their tweets, retweets of each other and of an outside account, mentions: a plan
    with every kind of step (nodes, relationships, the derived edges) and few steps of each."""
    core = [account(str(20_000 + i), f"small{i}") for i in range(12)]
    rows = []
    for i in range(240):
        extra: dict[str, str] = {"user_mentions": f"[{20_000 + (i + 1) % 12}]"}
        if i % 2:
            target = str(600_000 + i - 1) if i % 3 else str(990_000 + i % 9)
            extra |= {"is_retweet": "True", "retweet_tweetid": target}
            extra["retweet_userid"] = str(20_000 + (i - 1) % 12) if i % 3 else "88"
        rows.append(tweet(str(600_000 + i), core[i % 12], **extra))
    write_users(folder / "s_users_csv_hashed.csv", core)
    write_tweets(folder / "s_tweets_csv_hashed.csv", rows)
    return folder


def test_a_load_killed_at_any_journal_write_is_finished_from_another_working_folder(
    tmp_path: Path,
    engine_settings: EngineSettings,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """kill -9 after each write to the journal in turn, until a load is not killed: every time
    the next load, run from another working folder, ends with the graph of a clean load."""
    data = _small_dataset(tmp_path / "data")
    on_neo4j = engine_settings.neo4j_uri is not None
    clean = engine_settings if on_neo4j else EngineSettings(db=tmp_path / "clean.db")
    with open_engine(clean) as engine:
        load_twitter(engine, [data], "killed", quarantine_path=tmp_path / "q.csv")
        expected = _contents(engine)
    server: Neo4jServer | None = request.getfixturevalue("neo4j_server") if on_neo4j else None
    env = {key: value for key, value in os.environ.items() if not key.startswith("NEO4J_")}
    env["INFOOPS_STAGING_DIR"] = "staging"  # relative, as a user may set it
    if on_neo4j:
        env |= {
            "NEO4J_URI": engine_settings.neo4j_uri or "",
            "NEO4J_USERNAME": engine_settings.neo4j_user or "neo4j",
            "NEO4J_PASSWORD": engine_settings.neo4j_password or "",
        }
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    steps = 0
    for kill_at in range(1, 40):
        if server is not None:
            server.clear()
        work = tmp_path / f"killed-at-{kill_at}"
        work.mkdir()
        process = subprocess.run(
            [sys.executable, "-c", JOURNAL_KILLER, "killed.db", "../data", str(kill_at)],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
            env=env,
            cwd=work,
        )
        if process.returncode == 0:
            assert "finished without being killed" in process.stdout
            break
        assert process.returncode == -signal.SIGKILL, process.stdout + process.stderr
        area = work / "staging" if on_neo4j else work / "killed.db.staging"
        monkeypatch.setenv("INFOOPS_STAGING_DIR", str(area))
        killed = engine_settings if on_neo4j else EngineSettings(db=work / "killed.db")
        with open_engine(killed) as engine:
            journal = engine.run("MATCH (d:Disclosure) RETURN d.load_stage").rows
            if kill_at == 1:  # before the first commit: not even a Disclosure node
                assert journal == []
            else:
                steps = len(read_plan(Path(journal[0][0])))
            report = load_twitter(engine, [data.resolve()], "killed", quarantine_path="q.csv")
            assert report.reconciles
            assert report.resumed == (kill_at > 1), f"killed at journal write {kill_at}"
            assert _contents(engine) == expected, f"killed at journal write {kill_at}"
        assert not list(area.glob("infoops-stage-*")), f"staged files left ({kill_at})"
    # Killed at the start, after each step (the derived edges' included) and at the end.
    assert kill_at == 1 + (steps + 1) + 1 + 1 and steps >= 7


def _contents(engine: GraphEngine) -> dict[str, list[tuple[tuple[str, object], ...]]]:
    """``graph_contents`` without the Disclosure's ``loaded_at`` (a load's own time)."""
    found = graph_contents(engine)
    found["Disclosure"] = [row[:5] + row[6:] for row in found["Disclosure"]]
    return found
