"""One CSV writer for the whole project (``infoops.csv_writer``), safe to open in a spreadsheet.

``infoops query --format csv``, ``infoops queries run --format csv`` and ``infoops export csv``
(rows.csv, and nodes.csv of a graph result) on both engines, over accounts whose text fields are
formulas: escaped with a leading apostrophe by default, exactly as stored with ``--raw``; a
number, negative or not, stays a number. And no other CSV writer in src/ but the few that must
stay byte-exact, each named with its reason.
"""

from __future__ import annotations

import ast
import csv
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import engine_args, engine_env
from infoops.cli.app import app
from infoops.csv_writer import csv_cell, csv_text
from infoops.engines import EngineSettings, open_engine
from infoops.engines.base import node_table

SRC = Path(__file__).resolve().parents[2] / "src" / "infoops"

# What a spreadsheet would run as a formula (OWASP): =, +, -, @, tab, carriage return.
HOSTILE = ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "\tcmd", "\rcmd"]
ESCAPED = ["'" + text for text in HOSTILE]
USERIDS = [f"u{index}" for index in range(len(HOSTILE))]
# account-profile's text columns, one formula each (for account u0)
PROFILE = {
    "screen_name": HOSTILE[0],
    "display_name": HOSTILE[1],
    "location": HOSTILE[2],
    "description": HOSTILE[3],
    "language": HOSTILE[4],
    "created_at": HOSTILE[5],
}
ROWS_CYPHER = (
    "MATCH (a:Account) RETURN a.userid AS userid, a.screen_name AS text, "
    "a.followers AS followers ORDER BY userid"
)

# Writers of CSV that must not escape, and why. Everything else goes through infoops.csv_writer.
ALLOWED_WRITERS = {
    "csv_writer.py": "the one writer",
    "transfer/neo4j_import.py": "neo4j-admin's import files, byte-exact (Arrow's CSV writer)",
    "synthetic/writer.py": "synthetic takedown files in the platform's format: loader input",
}
CSV_MODULES = {"csv", "pyarrow.csv"}
WRITER_NAMES = {"writer", "DictWriter", "CSVWriter", "write_csv"}


@pytest.fixture
def formulas(engine_settings: EngineSettings) -> EngineSettings:
    """A graph of accounts whose screen names (and u0's profile) are formulas; followers -2."""
    count = len(HOSTILE) + 1
    columns: dict[str, list[Any]] = {
        "userid": [*USERIDS, "u9"],
        "screen_name": [*HOSTILE, "plain"],
        "followers": [-2] * len(HOSTILE) + [3],
    }
    for name, value in PROFILE.items():
        if name != "screen_name":
            columns[name] = [value] + [None] * (count - 1)
    with open_engine(engine_settings) as engine:
        engine.insert_nodes("Account", node_table("Account", columns))
    return engine_settings


def cli(settings: EngineSettings, *args: str) -> str:
    result = CliRunner().invoke(
        app, [*args, *engine_args(settings)], env=engine_env(settings) | {"COLUMNS": "240"}
    )
    assert result.exit_code == 0, (result.output, result.exception)
    return result.stdout


def read_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def read_csv_file(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def expected_rows(texts: list[str]) -> list[list[str]]:
    rows = [[userid, text, "-2"] for userid, text in zip(USERIDS, texts, strict=True)]
    return [["userid", "text", "followers"], *rows, ["u9", "plain", "3"]]


def test_query_csv_escapes_formulas_unless_raw(formulas: EngineSettings) -> None:
    assert read_csv(cli(formulas, "query", ROWS_CYPHER, "-f", "csv")) == expected_rows(ESCAPED)
    raw = cli(formulas, "query", ROWS_CYPHER, "-f", "csv", "--raw")
    assert read_csv(raw) == expected_rows(HOSTILE)


def test_queries_run_csv_escapes_formulas_unless_raw(formulas: EngineSettings) -> None:
    args = ["queries", "run", "account-profile", "-p", "account=u0", "-f", "csv"]
    (escaped,) = csv.DictReader(io.StringIO(cli(formulas, *args), newline=""))
    (raw,) = csv.DictReader(io.StringIO(cli(formulas, *args, "--raw"), newline=""))
    assert {name: escaped[name] for name in PROFILE} == {
        name: "'" + text for name, text in PROFILE.items()
    }
    assert {name: raw[name] for name in PROFILE} == PROFILE
    assert escaped["followers"] == raw["followers"] == "-2"


def test_export_csv_escapes_formulas_unless_raw(formulas: EngineSettings, tmp_path: Path) -> None:
    for flags, texts in (([], ESCAPED), (["--raw"], HOSTILE)):
        rows_dir, nodes_dir = tmp_path / f"rows{len(flags)}", tmp_path / f"nodes{len(flags)}"
        cli(formulas, "export", "csv", "--cypher", ROWS_CYPHER, "--out", str(rows_dir), *flags)
        with (rows_dir / "rows.csv").open(encoding="utf-8", newline="") as stream:
            assert list(csv.reader(stream)) == expected_rows(texts)
        graph = "MATCH (a:Account) RETURN a"
        cli(formulas, "export", "csv", "--cypher", graph, "--out", str(nodes_dir), *flags)
        nodes = read_csv_file(nodes_dir / "nodes.csv")
        by_user = {node["userid"]: node for node in nodes}
        assert [by_user[userid]["screen_name"] for userid in USERIDS] == texts
        assert {by_user[userid]["followers"] for userid in USERIDS} == {"-2"}


def test_cells_escape_text_only() -> None:
    assert [csv_cell(text) for text in HOSTILE] == ESCAPED
    assert [csv_cell(text, raw=True) for text in HOSTILE] == HOSTILE
    numbers = [-2, -2.5, Decimal("-2")]  # Ladybug's sum() is a Decimal
    assert [csv_cell(number) for number in numbers] == numbers
    assert [csv_cell(value) for value in (None, True, False, "a=b", "")] == [
        "",
        "true",
        "false",
        "a=b",
        "",
    ]
    assert csv_cell(["=x", -1]) == '["=x", -1]'  # JSON text starts with [: nothing to run
    assert csv_text(["=col"], [["-x", "a\rb"]]) == "'=col\r\n'-x,\"a\rb\"\r\n"


def csv_writer_calls(path: Path) -> list[str]:
    """``line: call`` for each CSV writer made in ``path``: csv.writer / DictWriter, Arrow's
    CSVWriter / write_csv, pandas' DataFrame.to_csv, however the module was imported."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules: set[str] = set()  # local names of the csv modules
    direct: set[str] = set()  # writer names imported from them
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in CSV_MODULES:
                    modules.add(alias.asname or alias.name)
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                if f"{node.module}.{alias.name}" in CSV_MODULES:
                    modules.add(alias.asname or alias.name)
                elif node.module in CSV_MODULES and alias.name in WRITER_NAMES:
                    direct.add(alias.asname or alias.name)
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func, text = node.func, ast.unparse(node.func)
        made_by_module = isinstance(func, ast.Attribute) and (
            func.attr == "to_csv"
            or (func.attr in WRITER_NAMES and ast.unparse(func.value) in modules)
        )
        if made_by_module or (isinstance(func, ast.Name) and func.id in direct):
            found.append((node.lineno, text))
    return [f"{line}: {text}" for line, text in sorted(found)]


def test_every_csv_goes_through_the_one_writer() -> None:
    found = {
        path.relative_to(SRC).as_posix(): calls
        for path in sorted(SRC.rglob("*.py"))
        if (calls := csv_writer_calls(path))
    }
    others = {name: calls for name, calls in found.items() if name not in ALLOWED_WRITERS}
    assert not others, f"write CSV with infoops.csv_writer instead: {others}"
    assert "csv_writer.py" in found  # the check sees csv.writer at all


def test_the_writer_check_sees_every_import_form(tmp_path: Path) -> None:
    module = tmp_path / "probe.py"
    module.write_text(
        "import csv\nimport pyarrow.csv as pa_csv\nfrom csv import DictWriter as W\n"
        "from pyarrow import csv as pc\n"
        "csv.writer(f)\npa_csv.CSVWriter(p, s)\nW(f, [])\npc.write_csv(t, p)\ndf.to_csv(p)\n"
        "write_csv(view, out)\n",  # a function of our own by that name is not a CSV module's
        encoding="utf-8",
    )
    assert csv_writer_calls(module) == [
        "5: csv.writer",
        "6: pa_csv.CSVWriter",
        "7: W",
        "8: pc.write_csv",
        "9: df.to_csv",
    ]
