"""``infoops queries list|show|run`` and ``infoops query`` through Typer's CliRunner."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sys
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from test_query_library import A, B, Fixture, busiest_core_account, shared_fixture
from typer.testing import CliRunner, Result

from conftest import graph_counts
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
]


@pytest.fixture(scope="session")
def fx(tmp_path_factory: pytest.TempPathFactory) -> Fixture:
    return shared_fixture(tmp_path_factory)


def invoke(*args: str, stdin: str | None = None) -> Result:
    # A wide terminal, so that rich tables print ids whole.
    return CliRunner(env={"COLUMNS": "240"}).invoke(app, list(args), input=stdin)


def ok(*args: str, stdin: str | None = None) -> Result:
    result = invoke(*args, stdin=stdin)
    assert result.exit_code == 0, (result.output, result.exception)
    return result


def as_json(result: Result) -> list[dict[str, Any]]:
    data = json.loads(result.stdout)
    assert isinstance(data, list)
    return data


def counts(db: Path) -> dict[str, int]:
    with open_engine(EngineSettings(db=db), read_only=True) as engine:
        return dict(graph_counts(engine))


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
    db = str(fx.db)
    seed = busiest_core_account(fx.files)
    with open_engine(EngineSettings(db=fx.db), read_only=True) as engine:
        expected = run_canned(engine, "amplifiers-of-account", {"account": seed}).result
    args = ["queries", "run", "amplifiers-of-account", "--db", db, "-p", f"account={seed}"]
    data = as_json(ok(*args, "--format", "json"))
    assert [row["userid"] for row in data] == expected.column("userid")
    assert all(isinstance(row["retweets"], int) for row in data)
    table = list(csv.reader(io.StringIO(ok(*args, "--format", "csv").stdout)))
    assert table[0] == expected.columns and len(table) == len(expected) + 1
    assert [row[1] for row in table[1:]] == expected.column("userid")
    printed = ok(*args)
    assert expected.column("userid")[0] in printed.stdout
    assert f"{len(expected)} rows in" in printed.stderr and "(ladybug)" in printed.stderr
    assert "rows in" not in ok(*args, "--quiet").stderr


def test_run_graph_results_as_json_dicts(fx: Fixture) -> None:
    seed = busiest_core_account(fx.files)
    args = ["queries", "run", "amplification-chains", "--db", str(fx.db), "-p", f"account={seed}"]
    data = as_json(ok(*args, "-p", "depth=1", "-p", "limit=3", "-f", "json"))
    assert len(data) == 3
    path = data[0]["p"]
    assert path["element"] == "path" and path["relationships"][0]["type"] == "AMPLIFIED"
    assert path["nodes"][-1]["properties"]["userid"] == seed
    assert path["nodes"][0]["element"] == "node" and path["nodes"][0]["label"] == "Account"


def test_run_parameter_errors_are_clear(fx: Fixture) -> None:
    db = str(fx.db)
    unknown = invoke("queries", "run", "top-amplified-accounts", "--db", db, "-p", "limt=3")
    assert isinstance(unknown.exception, QueryParameterError)
    assert "has no parameter limt; it takes: limit" in str(unknown.exception)
    missing = invoke("queries", "run", "tweet-cascade", "--db", db)
    assert isinstance(missing.exception, QueryParameterError)
    assert "needs tweetid" in str(missing.exception) and "--param tweetid=" in str(
        missing.exception
    )
    typed = invoke("queries", "run", "top-amplified-accounts", "--db", db, "-p", "limit=ten")
    assert "limit must be an integer" in str(typed.exception)
    shape = invoke("queries", "run", "top-amplified-accounts", "--db", db, "-p", "limit")
    assert "is not name=value" in str(shape.exception)
    depth = invoke(
        "queries", "run", "amplification-chains", "--db", db, "-p", "account=x", "-p", "depth=9"
    )
    assert "depth must be <= 4" in str(depth.exception)


def test_run_writes_html_to_a_file(
    fx: Fixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed = busiest_core_account(fx.files)
    target = tmp_path / "net.html"
    args = ["queries", "run", "account-amplification-network", "--db", str(fx.db)]
    result = ok(*args, "-p", f"account={seed}", "--format", "html", "--out", str(target))
    page = target.read_text(encoding="utf-8")
    assert f"wrote {target}" in result.stderr and "<html" in page.lower()
    assert fx.files.screen_name(seed) in page
    monkeypatch.chdir(tmp_path)
    table = ok("queries", "run", "overview-disclosures", "--db", str(fx.db), "-f", "html")
    assert "wrote query.html" in table.stderr
    assert A in (tmp_path / "query.html").read_text(encoding="utf-8")


# -- query: ad-hoc Cypher -------------------------------------------------------------------------


def test_query_reads_argument_stdin_and_file(fx: Fixture, tmp_path: Path) -> None:
    db = str(fx.db)
    statement = "MATCH (d:Disclosure) RETURN d.id AS id ORDER BY id;"
    expected = [{"id": A}, {"id": B}]
    assert as_json(ok("query", statement, "--db", db, "-f", "json")) == expected
    assert as_json(ok("query", "-", "--db", db, "-f", "json", stdin=statement)) == expected
    file = tmp_path / "q.cypher"
    file.write_text("// disclosures\n" + statement + "\n", encoding="utf-8")
    assert as_json(ok("query", "--file", str(file), "--db", db, "-f", "json")) == expected
    both = invoke("query", statement, "--file", str(file), "--db", db)
    assert isinstance(both.exception, QueryError)
    none = invoke("query", "--db", db)
    assert isinstance(none.exception, QueryError)
    two = invoke("query", "RETURN 1 AS a; RETURN 2 AS b", "--db", db)
    assert "one statement at a time" in str(two.exception)


def test_query_parameters_are_text_unless_typed(fx: Fixture) -> None:
    db = str(fx.db)
    seed = busiest_core_account(fx.files)
    by_id = "MATCH (a:Account) WHERE a.userid = $id RETURN a.userid AS userid"
    assert as_json(ok("query", by_id, "--db", db, "-p", f"id={seed}", "-f", "json")) == [
        {"userid": seed}
    ]
    limited = "MATCH (a:Account) RETURN a.userid AS u ORDER BY u LIMIT $n"
    assert len(as_json(ok("query", limited, "--db", db, "-p", "n:int=4", "-f", "json"))) == 4
    listed = "MATCH (d:Disclosure) WHERE d.id IN $ids RETURN d.id AS id"
    assert as_json(ok("query", listed, "--db", db, "-p", f"ids:list={B}", "-f", "json")) == [
        {"id": B}
    ]
    bad = invoke("query", limited, "--db", db, "-p", "n:int=four")
    assert isinstance(bad.exception, QueryParameterError)


def test_syntax_error_shows_the_engine_message_and_position(fx: Fixture) -> None:
    result = invoke("query", "MATCH (a:Account RETURN a", "--db", str(fx.db))
    assert isinstance(result.exception, CypherSyntaxError)
    message = str(result.exception)
    assert "Parser exception" in message and "line: 1, offset: 17" in message


def test_syntax_error_reaches_the_user_as_one_message_without_traceback(
    fx: Fixture, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["infoops", "query", "MATCH (a:Account RETURN a", "--db", str(fx.db)]
    monkeypatch.setattr(sys, "argv", argv)
    with pytest.raises(SystemExit) as stopped:
        main()
    assert stopped.value.code == 1
    captured = capsys.readouterr()
    assert "error:" in captured.err and "offset: 17" in captured.err
    assert "Traceback" not in captured.err + captured.out


@pytest.mark.parametrize("statement", WRITES)
def test_writes_are_refused_without_write(fx: Fixture, statement: str) -> None:
    before = counts(fx.db)
    result = invoke("query", statement, "--db", str(fx.db))
    assert isinstance(result.exception, WriteRefusedError)
    assert "pass --write" in str(result.exception) or "unless you pass --write" in str(
        result.exception
    )
    assert counts(fx.db) == before


def test_write_runs_with_write_on_a_copy(fx: Fixture, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    shutil.copy(fx.db, copy)
    before = counts(copy)
    ok(
        "query",
        "CREATE (:Hashtag {tag: 'planted', spelling: 'Planted'})",
        "--db",
        str(copy),
        "--write",
    )
    after = counts(copy)
    assert after["Hashtag"] == before["Hashtag"] + 1
    assert {k: v for k, v in after.items() if k != "Hashtag"} == {
        k: v for k, v in before.items() if k != "Hashtag"
    }


def test_an_injection_looking_parameter_is_only_a_value(fx: Fixture, tmp_path: Path) -> None:
    before = counts(fx.db)
    canned = ok(
        "queries",
        "run",
        "amplifiers-of-account",
        "--db",
        str(fx.db),
        "-p",
        f"account={INJECTION}",
        "-f",
        "json",
    )
    assert as_json(canned) == []
    adhoc = "MATCH (n:Account) WHERE n.screen_name = $name RETURN count(n) AS n"
    found = as_json(ok("query", adhoc, "--db", str(fx.db), "-p", f"name={INJECTION}", "-f", "json"))
    assert found == [{"n": 0}]
    assert counts(fx.db) == before
    copy = tmp_path / "copy.db"  # even on a writable connection it stays a value
    shutil.copy(fx.db, copy)
    ok("query", adhoc, "--db", str(copy), "--write", "-p", f"name={INJECTION}")
    assert counts(copy) == before


def test_graph_results_are_limited_tables_are_not(fx: Fixture) -> None:
    db = str(fx.db)
    accounts = counts(fx.db)["Account"]
    limited = ok("query", "MATCH (a:Account) RETURN a", "--db", db, "--limit", "5", "-f", "json")
    assert len(as_json(limited)) == 5
    assert f"showing the first 5 of {accounts:,} rows (--limit 0 for all)" in limited.stderr
    default = ok("query", "MATCH (t:Tweet) RETURN t", "--db", db, "-f", "json", "-q")
    assert len(as_json(default)) == 1000 < counts(fx.db)["Tweet"]
    everything = ok("query", "MATCH (a:Account) RETURN a", "--db", db, "--limit", "0", "-f", "json")
    assert len(as_json(everything)) == accounts
    table = ok(
        "query", "MATCH (a:Account) RETURN a.userid AS u", "--db", db, "--limit", "5", "-f", "json"
    )
    assert len(as_json(table)) == accounts and "showing the first" not in table.stderr


def test_every_command_has_help_ending_with_an_example() -> None:
    for command in (["queries", "list"], ["queries", "show"], ["queries", "run"], ["query"]):
        shown = ok(*command, "--help").stdout
        assert "Example: infoops " + command[0] in shown.replace("\n", " ").replace("  ", " ")
    assert "--write" in ok("query", "--help").stdout and "--limit" in ok("query", "--help").stdout


# -- export of query results --------------------------------------------------------------------


def test_export_a_canned_query_result_and_an_adhoc_one(fx: Fixture, tmp_path: Path) -> None:
    db = str(fx.db)
    expected = as_json(
        ok("queries", "run", "top-amplified-accounts", "-p", "limit=5", "--db", db, "-f", "json")
    )
    ok(
        "export",
        "csv",
        "--query",
        "top-amplified-accounts",
        "-p",
        "limit=5",
        "--db",
        db,
        "--out",
        str(tmp_path / "top"),
    )
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
        "--db",
        db,
        "--out",
        str(graph),
    )
    edges = ElementTree.parse(graph).getroot().findall(".//{*}edge")
    with open_engine(EngineSettings(db=fx.db), read_only=True) as engine:
        strong = engine.count("MATCH ()-[r:AMPLIFIED]->() WHERE r.count >= 3 RETURN count(r)")
    assert strong > 0 and len(edges) == strong

    refused = invoke(
        "export",
        "csv",
        "--cypher",
        "MATCH (a:Account) SET a.role = 'x' RETURN a",
        "--db",
        db,
        "--out",
        str(tmp_path / "w"),
    )
    assert refused.exit_code != 0 and "read-only" in str(refused.exception or refused.output)
