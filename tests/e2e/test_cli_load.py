"""The ``infoops`` command as an investigator runs it: exit codes, messages, no tracebacks; on
both engines (``--db`` or ``--neo4j-uri``, the password in the environment only)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from conftest import run_infoops
from infoops.engines import EngineSettings
from twitter_files import REAL_USERS, TWEET_COLUMNS, account, tweet, write_tweets


def run(*args: str | Path, cwd: Path, settings: EngineSettings) -> subprocess.CompletedProcess[str]:
    return run_infoops(*args, cwd=cwd, settings=settings)


def test_load_summary_and_reload_from_the_command_line(
    tmp_path: Path, engine_settings: EngineSettings
) -> None:
    on = engine_settings
    first = run(
        "load", "twitter", REAL_USERS, "-d", "china-082019", "-q", cwd=tmp_path, settings=on
    )
    assert first.returncode == 0, first.stderr
    assert "reconciled" in first.stdout and "744" in first.stdout
    second = run(
        "load", "twitter", REAL_USERS, "-d", "china-082019", "-q", cwd=tmp_path, settings=on
    )
    assert second.returncode == 0
    summary = run("summary", "--format", "json", cwd=tmp_path, settings=on)
    figures = json.loads(summary.stdout)
    assert figures["accounts"]["released"] == 744 and figures["accounts"]["hashed"] == 254


def test_bad_inputs_are_one_line_errors_with_exit_code_1(
    tmp_path: Path, engine_settings: EngineSettings
) -> None:
    columns = [c for c in TWEET_COLUMNS if c != "retweet_tweetid"]
    missing = write_tweets(tmp_path / "t.csv", [], columns)
    meta = next((REAL_USERS.parents[1] / "meta_indicators").glob("2022_*.csv"))
    for path, expected in (
        (missing, "has no column retweet_tweetid"),
        (meta, "not a Twitter information-operations"),
        (tmp_path / "absent.csv", "no such file"),
    ):
        result = run(
            "load", "twitter", path, "-d", "x", "-q", cwd=tmp_path, settings=engine_settings
        )
        assert result.returncode == 1
        assert "Traceback" not in result.stderr
        assert expected in result.stderr
        assert result.stderr.count("\n") == 1  # one line, however long the path
        if not engine_settings.neo4j_uri:  # nothing was written: no database was left behind
            assert not list(tmp_path.glob(f"{engine_settings.db.name}*")), path


def test_quarantine_is_reported_with_its_path(
    tmp_path: Path, engine_settings: EngineSettings
) -> None:
    bad = write_tweets(
        tmp_path / "t.csv",
        [tweet("1", account("5", "x")), tweet("2", account("5", "x"), tweet_time="not a time")],
    )
    result = run("load", "twitter", bad, "-d", "q", "-q", cwd=tmp_path, settings=engine_settings)
    assert result.returncode == 0
    quarantine = tmp_path / "infoops-quarantine" / "q.csv"
    assert quarantine.exists() and "1 rejected rows" in result.stdout
    shutil.rmtree(tmp_path / "infoops-quarantine")
