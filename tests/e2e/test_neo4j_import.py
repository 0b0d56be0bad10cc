"""``infoops export neo4j-import`` end to end, with Neo4j's own bulk importer.

A synthetic release is loaded into each engine, with a few hand-made nodes and relationships for
what the synthetic data lacks (a float, an empty string beside a null, texts with quotes, commas,
CR/LF, a trailing backslash, emoji; an Indicator and a COORDINATED_WITH edge, so every label and
type has rows). The export goes through ``scripts/neo4j-server.sh import``, the real
``neo4j-admin database import full`` into a second Neo4j server in a home of the test's own,
and every node and relationship there is compared, typed, with the source graph. Opening the
imported graph with infoops must create the constraints and indexes (``ensure_schema``).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import engine_args, engine_env, graph_contents, graph_counts, neo4j_required
from infoops.cli.app import app
from infoops.engines import EngineSettings, GraphEngine, open_engine
from infoops.engines.base import node_table, rel_table
from infoops.engines.schema import NEO4J_INDEXES
from infoops.graph_model import NODES, RELS
from infoops.loaders.twitter_io import load_twitter
from infoops.synthetic import SynthConfig, generate_disclosure
from infoops.transfer.neo4j_import import (
    ARGS_FILE,
    Neo4jImportError,
    key_ranges,
    write_neo4j_import,
)

ROOT = Path(__file__).resolve().parents[2]
SERVER_SCRIPT = ROOT / "scripts" / "neo4j-server.sh"
DISCLOSURE = "synth-import"
# Small enough for a test, big enough that a page holds part of a label (page_rows below).
CONFIG = SynthConfig(accounts=40, tweets=600, seed=11, base="synth_import")
PAGE_ROWS = 97
# The importer reads in buffers of this size instead of 4 MiB, so that rows with line breaks,
# quotes and backslashes straddle many buffer boundaries even in a small test file.
READ_BUFFER = "--read-buffer-size=16k"

NASTY_TEXT = '\n"Quoted", comma, CR\rLF\r\nline ""double"" 中文 🇭🇰 عربى \\"end\\'
EDGE_ACCOUNT = "edge-account"
EDGE_TWEET = "edge-tweet"


def build_graph(engine: GraphEngine, tmp_path: Path) -> None:
    release = generate_disclosure(tmp_path / "release", CONFIG)
    report = load_twitter(
        engine,
        [release.users_path, *release.tweet_paths],
        DISCLOSURE,
        quarantine_path=tmp_path / "quarantine.csv",
    )
    assert report.reconciles and report.total("rejected") == 0
    some_account = engine.run("MATCH (a:Account) RETURN min(a.userid)").scalar()
    engine.insert_nodes(
        "Account",
        node_table(
            "Account",
            {
                "userid": [EDGE_ACCOUNT],
                "screen_name": ["Edge_Case"],
                "screen_name_lc": ["edge_case"],
                "display_name": ['"Ed, the \\ edge" 👀'],
                "hashed": [False],
                "in_disclosure": [True],
                "location": [""],  # an empty string, not a missing value
                "description": [NASTY_TEXT],
                "followers": [0],
                "following": [-1],
                "created_s": [-86400],
            },
        ),
    )
    engine.insert_nodes(
        "Tweet",
        node_table(
            "Tweet",
            {
                "tweetid": [EDGE_TWEET],
                "userid": [EDGE_ACCOUNT],
                "text": [NASTY_TEXT],
                "time_s": [0],
                "likes": [2**53 + 1],  # beyond a double's exact integers
                "is_retweet": [False],
                "in_disclosure": [True],
                "latitude": [22.319300000000002],
                "longitude": [-0.0],
                "poll_choices": [""],
            },
        ),
    )
    engine.insert_nodes(
        "Indicator",
        node_table(
            "Indicator",
            {
                "id": ["ind-1", "ind-2"],
                "type": ["domain", "url"],
                "value": ["a,b", 'https://x.example/?q="1",2\\'],
                "comment": ["", None],
            },
        ),
    )
    engine.insert_rels(
        "POSTED", "Account", "Tweet", rel_table("POSTED", [EDGE_ACCOUNT], [EDGE_TWEET])
    )
    engine.insert_rels(
        "IN_DISCLOSURE",
        "Indicator",
        "Disclosure",
        rel_table("IN_DISCLOSURE", ["ind-1", "ind-2"], [DISCLOSURE, DISCLOSURE]),
    )
    engine.insert_rels(
        "NAMES", "Indicator", "Account", rel_table("NAMES", ["ind-1"], [EDGE_ACCOUNT])
    )
    engine.insert_rels(
        "COORDINATED_WITH",
        "Account",
        "Account",
        rel_table(
            "COORDINATED_WITH",
            [EDGE_ACCOUNT, some_account],
            [some_account, EDGE_ACCOUNT],
            {"weight": [0.1 + 0.2, 1e-300], "window_s": [60, None], "method": ["co-retweet", None]},
        ),
    )


# -- the graph, typed, as both sides hold it -----------------------------------------------------


def non_null_values(rows: list[tuple[tuple[str, Any], ...]]) -> int:
    """What Neo4j must hold as a label's properties, nothing more (it stores no nulls)."""
    return sum(value is not None for row in rows for _, value in row)


# -- a second Neo4j server, from the import -------------------------------------------------------


def neo4j_server_script(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NEO4J_HEAP": "1g", "NEO4J_PAGECACHE": "256m"}
    return subprocess.run(
        ["bash", str(SERVER_SCRIPT), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


@pytest.fixture
def imported_home(tmp_path: Path) -> Iterator[Path]:
    """A Neo4j home of the test's own; its server is discarded whatever happens (killed: the
    home goes with the test, a clean shutdown would only checkpoint it first)."""
    if shutil.which("java") is None:
        reason = "java is not installed: scripts/neo4j-server.sh import needs it"
        if neo4j_required():
            pytest.fail(reason)
        pytest.skip(reason)
    home = tmp_path / "imported-neo4j"
    try:
        yield home
    finally:
        neo4j_server_script("discard", str(home))


def import_and_start(outdir: Path, home: Path) -> EngineSettings:
    result = neo4j_server_script("import", str(outdir), str(home))
    # stdout carries the password: only stderr (the importer's last lines) goes in a message.
    assert result.returncode == 0, result.stderr
    printed = dict(
        line.split("=", 1) for line in result.stdout.splitlines() if line.startswith("NEO4J_")
    )
    assert set(printed) == {"NEO4J_URI", "NEO4J_USERNAME", "NEO4J_PASSWORD"}
    return EngineSettings(
        neo4j_uri=printed["NEO4J_URI"],
        neo4j_user=printed["NEO4J_USERNAME"],
        neo4j_password=printed["NEO4J_PASSWORD"],
    )


def use_small_read_buffer(outdir: Path) -> None:
    args = outdir / ARGS_FILE
    lines = args.read_text(encoding="utf-8").splitlines()
    database_line = next(i for i, line in enumerate(lines) if not line.startswith("#"))
    lines.insert(database_line + 1, READ_BUFFER)
    args.write_text("\n".join(lines) + "\n", encoding="utf-8")


# -- the tests -----------------------------------------------------------------------------------


@pytest.mark.neo4j
def test_export_imports_into_neo4j_with_everything_intact(
    engine: GraphEngine, tmp_path: Path, imported_home: Path
) -> None:
    build_graph(engine, tmp_path)
    expected_counts = graph_counts(engine)
    expected = graph_contents(engine)
    outdir = tmp_path / "export"

    export = write_neo4j_import(engine, outdir, page_rows=PAGE_ROWS)

    assert {**export.nodes, **export.relationships} == expected_counts
    assert all(expected_counts.values()), "every label and type has rows"
    assert Path("nodes/Tweet.csv") in export.multiline_files
    assert "--multiline-fields=true" in export.arguments and export.arguments[0] == "neo4j"
    for path in export.files:
        assert (outdir / path).is_file()
    assert (
        (outdir / "nodes/Account.header.csv")
        .read_text(encoding="utf-8")
        .startswith("userid:ID(Account),screen_name:string,")
    )
    assert "followers:long" in (outdir / "nodes/Account.header.csv").read_text(encoding="utf-8")
    assert (outdir / "relationships/IN_DISCLOSURE.Indicator-Disclosure.header.csv").read_text(
        encoding="utf-8"
    ) == ":START_ID(Indicator),:END_ID(Disclosure),screen_name:string\n"
    assert os.access(export.script, os.X_OK)

    use_small_read_buffer(outdir)
    imported_settings = import_and_start(outdir, imported_home)
    with open_engine(imported_settings) as imported:  # not read-only: ensure_schema runs
        constraints = {row[0] for row in imported.run("SHOW CONSTRAINTS YIELD name").rows}
        indexes = {row[0] for row in imported.run("SHOW INDEXES YIELD name").rows}
        assert {f"{n.label.lower()}_{n.key}_unique" for n in NODES} <= constraints
        assert {f"{label.lower()}_{prop}" for label, prop in NEO4J_INDEXES} <= indexes

        assert graph_counts(imported) == expected_counts
        got = graph_contents(imported)
        for name, rows in expected.items():
            assert got[name] == rows, f"{name} differs after the import"
        # Nulls stayed absent (no empty strings in their place), empty strings stayed.
        held = {
            node.label: imported.count(f"MATCH (n:{node.label}) RETURN sum(size(keys(n)))")
            for node in NODES
        }
        assert held == {n.label: non_null_values(expected[n.label]) for n in NODES}
        indicator = imported.run(
            "MATCH (i:Indicator) RETURN i.id, keys(i), i.comment ORDER BY i.id"
        ).rows
        assert indicator[0][2] == "" and "comment" not in indicator[1][1]
        text = imported.run("MATCH (t:Tweet {tweetid: $id}) RETURN t.text", {"id": EDGE_TWEET})
        assert text.scalar() == NASTY_TEXT


def test_key_ranges_cover_every_key_once() -> None:
    import pyarrow as pa

    keys = pa.array([f"k{i:03d}" for i in range(10)])
    for parts in range(0, 13):
        ranges = key_ranges(keys, parts)
        assert len(ranges) == min(parts, 10)
        covered = [k for r in ranges for k in keys.to_pylist() if r.first <= k <= r.last]
        assert covered == (keys.to_pylist() if parts else [])
    assert key_ranges(pa.array([], pa.string()), 3) == []


def test_cli_writes_the_export_and_prints_the_command(
    engine_settings: EngineSettings, tmp_path: Path
) -> None:
    with open_engine(engine_settings) as engine:
        build_graph(engine, tmp_path)
        counts = graph_counts(engine)
    outdir = tmp_path / "cli-export"
    runner = CliRunner(env={**engine_env(engine_settings), "COLUMNS": "200"})

    result = runner.invoke(
        app, ["export", "neo4j-import", str(outdir), *engine_args(engine_settings)]
    )

    assert result.exit_code == 0, (result.output, result.exception)
    total_nodes = sum(counts[n.label] for n in NODES)
    total_rels = sum(counts[r.type] for r in RELS)
    assert f"wrote {total_nodes:,} nodes and {total_rels:,} relationships" in result.stdout
    assert re.search(rf"\n  Tweet +{counts['Tweet']:,}\n", result.stdout)
    assert "neo4j-admin database import full --overwrite-destination=true @import.args" in (
        result.stdout
    )
    assert engine_settings.neo4j_password is None or (
        engine_settings.neo4j_password not in result.output
    )
    arguments = [
        line
        for line in (outdir / ARGS_FILE).read_text(encoding="utf-8").splitlines()
        if not line.startswith("#")
    ]
    for argument in arguments:
        if argument.startswith(("--nodes=", "--relationships=")):
            for path in argument.split("=", 2)[2].split(","):
                assert (outdir / path).is_file(), argument

    quiet = runner.invoke(
        app, ["export", "neo4j-import", str(outdir), "-q", *engine_args(engine_settings)]
    )
    assert quiet.exit_code == 0 and quiet.stdout.strip() == str(outdir / ARGS_FILE)

    refused = runner.invoke(
        app,
        [
            "export",
            "neo4j-import",
            str(outdir),
            "--database",
            "no such",
            *engine_args(engine_settings),
        ],
    )
    assert isinstance(refused.exception, Neo4jImportError)
    assert "not a Neo4j database name" in str(refused.exception)
