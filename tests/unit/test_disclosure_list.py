"""``infoops disclosures``: every loaded disclosure with its counts, source files and the state
of its load, on both engines, from the library and through the command."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import typer
from test_disclosure_removal import Killed, Releases, killed_at
from typer.testing import CliRunner

from conftest import engine_args, engine_env
from infoops.cli import disclosures
from infoops.engines import EngineSettings, GraphEngine, open_engine
from infoops.loaders.disclosure_list import loaded_disclosures
from infoops.loaders.twitter_io import load_twitter

ISO_SECOND = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def listed(engine: GraphEngine) -> list[dict[str, object]]:
    found = [disclosure.to_dict() for disclosure in loaded_disclosures(engine)]
    for row in found:
        assert ISO_SECOND.match(str(row.pop("loaded_at"))), row
    return found


def expected_row(disclosure: str, source: str, **counts: object) -> dict[str, object]:
    return {
        "id": disclosure,
        "name": disclosure,
        "platform": "twitter",
        "released": None,
        "source": source,
        **counts,
    }


def test_every_disclosure_with_its_counts_and_sources(engine: GraphEngine, tmp_path: Path) -> None:
    """Counts are per disclosure: the shared account, tweet and indicator count in both."""
    assert loaded_disclosures(engine) == []
    releases = Releases(tmp_path)
    releases.load_a(engine)
    releases.load_b(engine)
    a = expected_row("A", "a_tweets.csv", accounts=4, tweets=10, indicators=2)
    b = expected_row("B", "b_tweets.csv", accounts=2, tweets=6, indicators=1)
    assert listed(engine) == [{**a, "unfinished_load": False}, {**b, "unfinished_load": False}]


def test_an_interrupted_load_is_listed_as_unfinished(engine: GraphEngine, tmp_path: Path) -> None:
    releases = Releases(tmp_path)
    releases.load_b(engine)
    with killed_at(engine, 5), pytest.raises(Killed):
        load_twitter(engine, [releases.a], "A", quarantine_path=tmp_path / "qa.csv")
    state = {row["id"]: row["unfinished_load"] for row in listed(engine)}
    assert state == {"A": True, "B": False}


def cli() -> typer.Typer:
    """The command as the lead registers it."""
    root = typer.Typer()
    root.add_typer(disclosures.app, name="disclosures")
    return root


def test_the_command_lists_by_default_as_table_or_json(
    engine_settings: EngineSettings, tmp_path: Path
) -> None:
    with open_engine(engine_settings) as engine:
        Releases(tmp_path).load_a(engine)
    runner = CliRunner()
    env = engine_env(engine_settings)
    args = engine_args(engine_settings)
    as_json = runner.invoke(cli(), ["disclosures", "--format", "json", *args], env=env)
    assert as_json.exit_code == 0, as_json.output
    rows = json.loads(as_json.stdout)
    assert [(row["id"], row["tweets"], row["unfinished_load"]) for row in rows] == [
        ("A", 10, False)
    ]
    table = runner.invoke(cli(), ["disclosures", *args], env={**env, "COLUMNS": "250"})
    assert table.exit_code == 0, table.output
    assert "a_tweets.csv" in table.stdout and "done" in table.stdout
    same = runner.invoke(cli(), ["disclosures", "list", "-f", "json", *args], env=env)
    assert json.loads(same.stdout) == rows
    # At 80 columns: nothing wider, counts whole, each file name whole on a line of its own.
    narrow = runner.invoke(cli(), ["disclosures", *args], env={**env, "COLUMNS": "80"})
    lines = narrow.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert any(line.strip() == "a_tweets.csv" for line in lines)
    assert any("│     10 │" in line for line in lines), narrow.stdout
