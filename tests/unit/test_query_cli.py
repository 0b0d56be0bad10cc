"""``infoops queries list|show|run`` and ``infoops query`` through Typer's CliRunner.

Everything that reads the graph runs on both engines (``[ladybug]``, ``[neo4j]``) against the
fixture graph of test_query_library.py; the Neo4j password reaches the CLI through the
environment, never on the command line.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from test_query_library import A, B, Fixture, busiest_core_account, shared_fixture
from typer.testing import CliRunner, Result

from conftest import ENGINES, Neo4jServer, engine_args, engine_env, graph_counts
from infoops.cli.app import app, main
from infoops.engines import EngineSettings, open_engine
from infoops.errors import CypherSyntaxError, WriteRefusedError
from infoops.queries import (
    QueryError,
    QueryParameterError,
    UnknownQueryError,
    load_library,
    run_canned,
)

INJECTION = "x' }) DETACH DELETE n //"
WRITES = [
    "CREATE (:Hashtag {tag: 'planted'})",
    "MERGE (h:Hashtag {tag: 'planted'}) RETURN h",
    "MATCH (a:Account) SET a.cluster = 99",
    "MATCH (a:Account) DETACH DELETE a",
    "MATCH ()-[r:AMPLIFIED]->() DELETE r",
    "DROP TABLE Hashtag",
    "DROP INDEX account_cluster IF EXISTS",
]
SYNTAX_ERROR = "MATCH (a:Account RETURN a"
# Each engine's own words for SYNTAX_ERROR, with the position of the error (offset 17).
SYNTAX_MESSAGE = {
    "ladybug": "Parser exception: Invalid input <MATCH (a:Account RETURN>: expected rule "
    "oC_SingleQuery (line: 1, offset: 17)",
    "neo4j": "(line 1, column 18 (offset: 17))",
}


@pytest.fixture(scope="session", params=ENGINES)
def query_engine(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def fx(query_engine: str, request: pytest.FixtureRequest) -> Fixture:
    return shared_fixture(query_engine, request)


def invoke(*args: str, stdin: str | None = None, on: Fixture | None = None) -> Result:
    """The CLI; ``on`` a fixture graph adds the options (and environment) that select it."""
    env: dict[str, str | None] = {"NEO4J_URI": None}
    if on is not None:
        args = (*args, *engine_args(on.settings))
        env = engine_env(on.settings)
    # A wide terminal, so that rich tables print ids whole.
    return CliRunner(env={"COLUMNS": "240"}).invoke(app, list(args), input=stdin, env=env)


def ok(*args: str, stdin: str | None = None, on: Fixture | None = None) -> Result:
    result = invoke(*args, stdin=stdin, on=on)
    assert result.exit_code == 0, (result.output, result.exception)
    return result


def as_json(result: Result) -> list[dict[str, Any]]:
    data = json.loads(result.stdout)
    assert isinstance(data, list)
    return data


def counts(settings: EngineSettings) -> dict[str, int]:
    with open_engine(settings, read_only=True) as engine:
        return dict(graph_counts(engine))


@contextmanager
def writable(fx: Fixture, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Fixture]:
    """A graph a test may write to: a copy of the Ladybug file; on Neo4j the shared graph itself,
    with what the test planted removed after it (or the server emptied, so that the next test
    loads the graph again, if anything else changed)."""
    if fx.engine == "ladybug":
        copy = tmp_path / "copy.db"
        shutil.copy(fx.db, copy)
        yield Fixture(fx.release, EngineSettings(db=copy))
        return
    before = counts(fx.settings)
    try:
        yield fx
    finally:
        with open_engine(fx.settings) as engine:
            engine.run("MATCH (h:Hashtag {tag: 'planted'}) DETACH DELETE h")
        if counts(fx.settings) != before:
            server: Neo4jServer = request.getfixturevalue("neo4j_server")
            server.clear()


# -- queries list / show ------------------------------------------------------------------------


def test_list_shows_every_query_and_filters_by_category() -> None:
    everything = as_json(ok("queries", "list", "--format", "json"))
    assert {q["id"] for q in everything} == set(load_library())
    amplification = as_json(ok("queries", "list", "--category", "amplification", "-f", "json"))
    assert amplification and {q["category"] for q in amplification} == {"amplification"}
    assert all(q["params"] is not None and q["description"] for q in amplification)
    table = ok("queries", "list", "-c", "crossref").stdout
    assert "hashtags-shared-by-disclosures" in table and "top-amplified" not in table
    assert invoke("queries", "list", "--category", "gossip").exit_code != 0


def test_show_gives_description_parameters_and_both_dialects() -> None:
    shown = ok("queries", "show", "amplification-chains").stdout
    assert "Cypher on ladybug" in shown and "Cypher on neo4j" in shown
    assert "is_acyclic(p)" in shown and "single(m IN nodes(p)" in shown
    assert "depth" in shown and "1..4" in shown and "written into the query text" in shown
    assert "infoops queries run amplification-chains --param account=..." in shown
    portable = ok("queries", "show", "top-amplified-accounts").stdout
    assert "Cypher (both engines)" in portable
    missing = invoke("queries", "show", "top-amplified-acounts")
    assert isinstance(missing.exception, UnknownQueryError)
    assert "top-amplified-accounts" in str(missing.exception)


# -- queries run ---------------------------------------------------------------------------------


def test_run_prints_json_csv_and_table(fx: Fixture) -> None:
    seed = busiest_core_account(fx.files)
    with open_engine(fx.settings, read_only=True) as engine:
        expected = run_canned(engine, "amplifiers-of-account", {"account": seed}).result
    args = ["queries", "run", "amplifiers-of-account", "-p", f"account={seed}"]
    data = as_json(ok(*args, "--format", "json", on=fx))
    assert [row["userid"] for row in data] == expected.column("userid")
    assert all(isinstance(row["retweets"], int) for row in data)
    # --raw: cells exactly as stored (hashed ids may start with '+', which CSV output escapes)
    table = list(csv.reader(io.StringIO(ok(*args, "--format", "csv", "--raw", on=fx).stdout)))
    assert table[0] == expected.columns and len(table) == len(expected) + 1
    assert [row[1] for row in table[1:]] == expected.column("userid")
    printed = ok(*args, on=fx)
    assert expected.column("userid")[0] in printed.stdout
    assert f"{len(expected)} rows in" in printed.stderr and f"({fx.engine})" in printed.stderr
    assert "rows in" not in ok(*args, "--quiet", on=fx).stderr


def test_run_graph_results_as_json_dicts(fx: Fixture) -> None:
    seed = busiest_core_account(fx.files)
    args = ["queries", "run", "amplification-chains", "-p", f"account={seed}"]
    data = as_json(ok(*args, "-p", "depth=1", "-p", "limit=3", "-f", "json", on=fx))
    assert len(data) == 3
    path = data[0]["p"]
    assert path["element"] == "path" and path["relationships"][0]["type"] == "AMPLIFIED"
    assert path["nodes"][-1]["properties"]["userid"] == seed
    assert path["nodes"][0]["element"] == "node" and path["nodes"][0]["label"] == "Account"
    sources = [row["p"]["nodes"][0]["properties"]["userid"] for row in data]
    assert sources == sorted(sources)  # in a stable order: both engines cut the same paths


def test_run_parameter_errors_are_clear(fx: Fixture) -> None:
    unknown = invoke("queries", "run", "top-amplified-accounts", "-p", "limt=3", on=fx)
    assert isinstance(unknown.exception, QueryParameterError)
    assert "has no parameter limt; it takes: limit" in str(unknown.exception)
    missing = invoke("queries", "run", "tweet-cascade", on=fx)
    assert isinstance(missing.exception, QueryParameterError)
    assert "needs tweetid" in str(missing.exception) and "--param tweetid=" in str(
        missing.exception
    )
    typed = invoke("queries", "run", "top-amplified-accounts", "-p", "limit=ten", on=fx)
    assert "limit must be an integer" in str(typed.exception)
    shape = invoke("queries", "run", "top-amplified-accounts", "-p", "limit", on=fx)
    assert "is not name=value" in str(shape.exception)
    depth = invoke(
        "queries", "run", "amplification-chains", "-p", "account=x", "-p", "depth=9", on=fx
    )
    assert "depth must be <= 4" in str(depth.exception)
    kind = invoke("queries", "run", "top-amplified-accounts", "-p", "limit:string=3", on=fx)
    assert "parameter limit of top-amplified-accounts is int, not string" in str(kind.exception)


def test_run_writes_html_to_a_file(
    fx: Fixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed = busiest_core_account(fx.files)
    target = tmp_path / "net.html"
    args = ["queries", "run", "account-amplification-network", "-p", f"account={seed}"]
    result = ok(*args, "--format", "html", "--out", str(target), on=fx)
    page = target.read_text(encoding="utf-8")
    assert f"wrote {target}" in result.stderr and "<html" in page.lower()
    assert fx.files.screen_name(seed) in page
    monkeypatch.chdir(tmp_path)
    table = ok("queries", "run", "overview-disclosures", "-f", "html", on=fx)
    assert "wrote query.html" in table.stderr
    assert A in (tmp_path / "query.html").read_text(encoding="utf-8")


# -- query: ad-hoc Cypher -------------------------------------------------------------------------


def test_query_reads_argument_stdin_and_file(fx: Fixture, tmp_path: Path) -> None:
    statement = "MATCH (d:Disclosure) RETURN d.id AS id ORDER BY id;"
    expected = [{"id": A}, {"id": B}]
    assert as_json(ok("query", statement, "-f", "json", on=fx)) == expected
    assert as_json(ok("query", "-", "-f", "json", stdin=statement, on=fx)) == expected
    file = tmp_path / "q.cypher"
    file.write_text("// disclosures\n" + statement + "\n", encoding="utf-8")
    assert as_json(ok("query", "--file", str(file), "-f", "json", on=fx)) == expected
    both = invoke("query", statement, "--file", str(file), on=fx)
    assert isinstance(both.exception, QueryError)
    none = invoke("query", on=fx)
    assert isinstance(none.exception, QueryError)
    two = invoke("query", "RETURN 1 AS a; RETURN 2 AS b", on=fx)
    assert "one statement at a time" in str(two.exception)


def test_query_parameters_are_text_unless_typed(fx: Fixture) -> None:
    seed = busiest_core_account(fx.files)
    by_id = "MATCH (a:Account) WHERE a.userid = $id RETURN a.userid AS userid"
    assert as_json(ok("query", by_id, "-p", f"id={seed}", "-f", "json", on=fx)) == [
        {"userid": seed}
    ]
    limited = "MATCH (a:Account) RETURN a.userid AS u ORDER BY u LIMIT $n"
    assert len(as_json(ok("query", limited, "-p", "n:int=4", "-f", "json", on=fx))) == 4
    listed = "MATCH (d:Disclosure) WHERE d.id IN $ids RETURN d.id AS id"
    assert as_json(ok("query", listed, "-p", f"ids:list={B}", "-f", "json", on=fx)) == [{"id": B}]
    typed = (
        "RETURN $n + 1 AS n, $x * 2 AS x, $flag AS flag, size($tags) AS tags, $m.k AS k, $id AS id"
    )
    values = ["n:int=41", "x:float=1.25", "flag:bool=yes", "tags:list=a,b,c", 'm:json={"k": [1]}']
    args = [arg for value in [*values, "id=1180000000000000001"] for arg in ("-p", value)]
    assert as_json(ok("query", typed, *args, "-f", "json", on=fx)) == [
        {"n": 42, "x": 2.5, "flag": True, "tags": 3, "k": [1], "id": "1180000000000000001"}
    ]
    bad = invoke("query", limited, "-p", "n:int=four", on=fx)
    assert isinstance(bad.exception, QueryParameterError)


def test_syntax_error_shows_the_engine_message_and_position(fx: Fixture) -> None:
    result = invoke("query", SYNTAX_ERROR, on=fx)
    assert isinstance(result.exception, CypherSyntaxError)
    assert SYNTAX_MESSAGE[fx.engine] in str(result.exception)


def test_syntax_error_reaches_the_user_as_one_message_without_traceback(
    fx: Fixture, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name, value in engine_env(fx.settings).items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    argv = ["infoops", "query", SYNTAX_ERROR, *engine_args(fx.settings)]
    monkeypatch.setattr(sys, "argv", argv)
    with pytest.raises(SystemExit) as stopped:
        main()
    assert stopped.value.code == 1
    captured = capsys.readouterr()
    first, *rest = captured.err.splitlines()
    # The first line says what and where; the engine may add the statement and a caret below.
    assert first.startswith("error: ") and SYNTAX_MESSAGE[fx.engine] in first
    assert captured.err.count("error:") == 1 and len(rest) <= 2
    assert "Traceback" not in captured.err + captured.out and captured.out == ""


@pytest.mark.parametrize("statement", WRITES)
def test_writes_are_refused_without_write(fx: Fixture, statement: str) -> None:
    before = counts(fx.settings)
    result = invoke("query", statement, on=fx)
    assert isinstance(result.exception, WriteRefusedError)
    assert "unless you pass --write" in str(result.exception)
    assert result.exit_code != 0 and counts(fx.settings) == before


# Ways around the denylist of write clauses that issue 8 found, one statement each; {dir} is the
# test's own folder, holding secret.csv. Each loads a library, reads a file (U+180E is a blank to
# Ladybug; Neo4j ends a // comment at a lone CR), changes a setting or writes (a comment Ladybug
# ends later than everyone else) on one engine or the other if it reaches it.
BYPASSES = {
    "load-library": "LOAD '{dir}/libinfoops-planted.so'",
    "load-from-file": "LOAD\u180eFROM '{dir}/secret.csv' RETURN *",
    "load-csv-after-cr": "WITH 1 AS x // x\rLOAD CSV FROM 'file:///{dir}/secret.csv' AS r RETURN r",
    "setting": "CALL `threads`=1",
    "comment-ends-late": "MATCH (a:Account) /* **/ RETURN 'x /* */ DETACH DELETE a //' AS s",
}
SECRET = "planted-secret-4242"
GUARD_REFUSAL = "error: refusing to run a statement that may not be read-only ("


def plant_secret(folder: Path) -> Path:
    secret = folder / "secret.csv"
    secret.write_text(f"name,value\n{SECRET},1\n", encoding="utf-8")
    return secret


def run_main(
    args: list[str],
    on: Fixture,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> tuple[object, str, str]:
    """``infoops ARGS`` through the real entry point: (exit code, stdout, stderr)."""
    for name, value in engine_env(on.settings).items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    monkeypatch.setattr(sys, "argv", ["infoops", *args, *engine_args(on.settings)])
    with pytest.raises(SystemExit) as stopped:
        main()
    captured = capsys.readouterr()
    return stopped.value.code, captured.out, captured.err


@pytest.mark.parametrize("bypass", list(BYPASSES))
def test_bypasses_are_refused_before_the_engine_by_every_command(
    fx: Fixture,
    bypass: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``query``, ``query --file`` and ``export csv --cypher``: exit code 1, one line that names
    where and mentions --write, nothing read, nothing written, nothing exported."""
    plant_secret(tmp_path)
    statement = BYPASSES[bypass].replace("{dir}", str(tmp_path))
    file = tmp_path / "statement.cypher"
    file.write_text(statement, encoding="utf-8", newline="")
    exported = tmp_path / "exported"
    before = counts(fx.settings)
    for args in (
        ["query", statement],
        ["query", "--file", str(file)],
        ["export", "csv", "--cypher", statement, "--out", str(exported)],
    ):
        code, out, err = run_main(args, fx, monkeypatch, capsys)
        assert (code, out) == (1, ""), (args[:2], code, out, err)
        assert len(err.splitlines()) == 1 and err.startswith(GUARD_REFUSAL), (args[:2], err)
        assert err.rstrip().endswith("queries are read-only unless you pass --write")
        assert SECRET not in out + err and not exported.exists()
    assert counts(fx.settings) == before


def test_a_table_function_that_crashes_the_process_is_never_called(
    fx: Fixture, tmp_path: Path
) -> None:
    """Ladybug's read_csv_parallel (also read_csv_serial, read_parquet) reads any file and on
    this one kills the process (SIGSEGV): run in a process of its own."""
    statement = f"CALL read_csv_parallel('{plant_secret(tmp_path)}') RETURN *"
    env = {k: v for k, v in os.environ.items() if k not in engine_env(fx.settings)}
    env |= {k: v for k, v in engine_env(fx.settings).items() if v is not None}
    run = subprocess.run(
        [str(Path(sys.executable).with_name("infoops")), "query", statement,
         *engine_args(fx.settings)],
        env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert run.returncode == 1, (run.returncode, run.stderr[-500:])
    assert run.stdout == "" and SECRET not in run.stderr
    assert run.stderr.splitlines() == [
        f"{GUARD_REFUSAL}CALL read_csv_parallel at line 1, column 1: not a known read-only "
        "procedure): queries are read-only unless you pass --write"
    ]


@pytest.mark.parametrize(
    ("args", "name", "says"),
    [
        (["queries", "run", "office-hours-accounts", "-p", "min_share=nan"], "min_share", "nan"),
        (["queries", "run", "retweeters-and-posters", "-p", "threshold=NaN"], "threshold", "NaN"),
        (["queries", "run", "cluster-hashtags", "-p", f"cluster={2**64}"], "cluster", "64-bit"),
        (["queries", "run", "top-amplified-accounts", "-p", f"limit={2**63}"], "limit", "64-bit"),
        (["query", "RETURN $x AS x", "-p", "x:float=nan"], "x", "not a finite number"),
        (["query", "RETURN $x AS x", "-p", "x:float=inf"], "x", "not a finite number"),
        (["query", "RETURN $n AS n", "-p", f"n:int={-(2**63) - 1}"], "n", "64-bit"),
        (["query", "RETURN $n AS n", "-p", f"n:int={10**30}"], "n", "64-bit"),
        (["query", "RETURN $m AS m", "-p", f"m:json=[1, {2**63}]"], "m", "64-bit"),
        (["query", "RETURN $m AS m", "-p", 'm:json={"k": NaN}'], "m", "not a finite number"),
        (["query", "RETURN $m AS m", "-p", "m:json=[1e999]"], "m", "not a finite number"),
    ],
)
def test_numbers_the_engines_cannot_take_are_refused_naming_the_parameter(
    fx: Fixture, args: list[str], name: str, says: str
) -> None:
    result = invoke(*args, on=fx)
    assert isinstance(result.exception, QueryParameterError), (result.exception, result.output)
    message = str(result.exception)
    assert f"parameter {name} " in message and says in message and "\n" not in message


def test_64_bit_integers_pass_and_one_beyond_is_refused(fx: Fixture) -> None:
    edges = ["-p", f"n:int={2**63 - 1}", "-p", f"m:int={-(2**63)}", "-p", "x:float=1e308"]
    rows = as_json(ok("query", "RETURN $n AS n, $m AS m, $x AS x", *edges, "-f", "json", on=fx))
    assert rows == [{"n": 2**63 - 1, "m": -(2**63), "x": 1e308}]
    beyond = invoke("query", "RETURN $n AS n", "-p", f"n:int={2**63}", on=fx)
    assert isinstance(beyond.exception, QueryParameterError), beyond.exception
    assert str(beyond.exception) == (
        f"parameter n must be an integer: got {2**63}, outside the 64-bit range "
        f"{-(2**63)}..{2**63 - 1}"
    )


def test_write_runs_with_write(fx: Fixture, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    with writable(fx, tmp_path, request) as target:
        before = counts(target.settings)
        planted = "CREATE (:Hashtag {tag: 'planted', spelling: 'Planted'})"
        ok("query", planted, "--write", on=target)
        after = counts(target.settings)
        assert after["Hashtag"] == before["Hashtag"] + 1
        assert {k: v for k, v in after.items() if k != "Hashtag"} == {
            k: v for k, v in before.items() if k != "Hashtag"
        }
    assert counts(fx.settings) == before  # the shared graph is as it was


def test_an_injection_looking_parameter_is_only_a_value(
    fx: Fixture, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    before = counts(fx.settings)
    canned = ok(
        "queries",
        "run",
        "amplifiers-of-account",
        "-p",
        f"account={INJECTION}",
        "-f",
        "json",
        on=fx,
    )
    assert as_json(canned) == []
    adhoc = "MATCH (n:Account) WHERE n.screen_name = $name RETURN count(n) AS n"
    found = as_json(ok("query", adhoc, "-p", f"name={INJECTION}", "-f", "json", on=fx))
    assert found == [{"n": 0}]
    assert counts(fx.settings) == before
    with writable(fx, tmp_path, request) as target:  # even a writable connection keeps a value
        ok("query", adhoc, "--write", "-p", f"name={INJECTION}", on=target)
        assert counts(target.settings) == before


def test_graph_results_are_limited_tables_are_not(fx: Fixture) -> None:
    total = counts(fx.settings)
    accounts = total["Account"]
    limited = ok("query", "MATCH (a:Account) RETURN a", "--limit", "5", "-f", "json", on=fx)
    assert len(as_json(limited)) == 5
    assert f"showing the first 5 of {accounts:,} rows (--limit 0 for all)" in limited.stderr
    default = ok("query", "MATCH (t:Tweet) RETURN t", "-f", "json", "-q", on=fx)
    assert len(as_json(default)) == 1000 < total["Tweet"]
    everything = ok("query", "MATCH (a:Account) RETURN a", "--limit", "0", "-f", "json", on=fx)
    assert len(as_json(everything)) == accounts
    table = ok(
        "query", "MATCH (a:Account) RETURN a.userid AS u", "--limit", "5", "-f", "json", on=fx
    )
    assert len(as_json(table)) == accounts and "showing the first" not in table.stderr


def test_every_command_has_help_ending_with_an_example() -> None:
    for command in (["queries", "list"], ["queries", "show"], ["queries", "run"], ["query"]):
        shown = ok(*command, "--help").stdout
        assert "Example: infoops " + command[0] in shown.replace("\n", " ").replace("  ", " ")
    assert "--write" in ok("query", "--help").stdout and "--limit" in ok("query", "--help").stdout


# -- export of query results --------------------------------------------------------------------


def test_export_a_canned_query_result_and_an_adhoc_one(fx: Fixture, tmp_path: Path) -> None:
    expected = as_json(
        ok("queries", "run", "top-amplified-accounts", "-p", "limit=5", "-f", "json", on=fx)
    )
    out = str(tmp_path / "top")
    ok("export", "csv", "--query", "top-amplified-accounts", "-p", "limit=5", "--out", out, on=fx)
    with (tmp_path / "top" / "rows.csv").open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    assert [r["userid"] for r in rows] == [e["userid"] for e in expected]

    graph = tmp_path / "amplified.graphml"
    ok(
        "export",
        "graphml",
        "--cypher",
        "MATCH (a:Account)-[r:AMPLIFIED]->(b:Account) WHERE r.count >= $n RETURN a, r, b",
        "-p",
        "n:int=3",
        "--out",
        str(graph),
        on=fx,
    )
    edges = ElementTree.parse(graph).getroot().findall(".//{*}edge")
    with open_engine(fx.settings, read_only=True) as engine:
        strong = engine.count("MATCH ()-[r:AMPLIFIED]->() WHERE r.count >= 3 RETURN count(r)")
    assert strong > 0 and len(edges) == strong

    before = counts(fx.settings)
    refused = invoke(
        "export",
        "csv",
        "--cypher",
        "MATCH (a:Account) SET a.role = 'x' RETURN a",
        "--out",
        str(tmp_path / "w"),
        on=fx,
    )
    assert refused.exit_code != 0 and "read-only" in str(refused.exception or refused.output)
    assert counts(fx.settings) == before
