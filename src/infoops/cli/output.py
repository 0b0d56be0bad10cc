"""A QueryResult as a rich table, CSV, JSON or an HTML view, for every command that prints rows.

JSON and CSV are plain text on stdout (no colour, no wrapping) so they can be piped; nodes,
relationships and paths become dicts (``{"element": "node", ...}``) in JSON and JSON text in CSV.
CSV goes through ``infoops.csv_writer``, so text a spreadsheet would run as a formula is escaped
unless ``--raw``. A table fits the terminal (``infoops.cli.table_fit``): long ids are shortened
in the middle unless ``--raw``, and a column that cannot fit is left out and named.
"""

from __future__ import annotations

import io
import json
import math
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer
from rich.cells import cell_len
from rich.table import Table

from infoops.cli.console import err, out
from infoops.cli.table_fit import ColumnSpec, fit_table
from infoops.csv_writer import csv_text
from infoops.engines.results import Node, QueryResult, Relationship
from infoops.engines.results import Path as GraphPath

MAX_CELL = 120  # characters of a table cell before it is cut (the full value is in csv/json)
FILE_WIDTH = 200  # a table written to a file with --out is laid out this wide


class ResultFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    html = "html"


ResultFormatOption = Annotated[
    ResultFormat,
    typer.Option(
        "--format",
        "-f",
        help="table for people; csv or json for scripts; html draws nodes, relationships and "
        "paths as a graph (else a table) in a file.",
    ),
]
OutOption = Annotated[
    Path | None,
    typer.Option(
        "--out",
        "-o",
        help="Write the output to this file instead of stdout (html: default ./query.html).",
        show_default=False,
    ),
]

_FORMULA_HELP = (
    "By default a csv cell starting with = + - @ or a tab or carriage return gets a leading ' so "
    "that a spreadsheet shows it instead of running it as a formula."
)
RawOption = Annotated[
    bool,
    typer.Option("--raw", help="csv only: write text cells exactly as they are. " + _FORMULA_HELP),
]
# For commands that print a result as a table too (write_result reads raw for both).
ResultRawOption = Annotated[
    bool,
    typer.Option(
        "--raw",
        help="Cells exactly as they are. "
        + _FORMULA_HELP
        + " A table shortens long ids in the middle (head…tail) to fit the terminal; with --raw "
        "it shows them whole (and leaves out the columns that no longer fit).",
    ),
]

DEFAULT_HTML = Path("query.html")


# -- plain values --------------------------------------------------------------------------------


def plain(value: Any) -> Any:
    """Graph values as dicts, everything else JSON-ready (non-finite floats become null)."""
    if isinstance(value, Node):
        return {
            "element": "node",
            "id": value.id,
            "label": value.label,
            "key": value.key,
            "properties": plain(value.properties),
        }
    if isinstance(value, Relationship):
        return {
            "element": "relationship",
            "id": value.id,
            "type": value.type,
            "start": value.start,
            "end": value.end,
            "properties": plain(value.properties),
        }
    if isinstance(value, GraphPath):
        return {
            "element": "path",
            "nodes": [plain(n) for n in value.nodes],
            "relationships": [plain(r) for r in value.relationships],
        }
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def to_json(result: QueryResult) -> str:
    """A JSON list with one object per row, keyed by column."""
    rows = [{c: plain(v) for c, v in zip(result.columns, row, strict=True)} for row in result]
    return json.dumps(rows, ensure_ascii=False, indent=2)


def to_csv(result: QueryResult, *, raw: bool = False) -> str:
    """A header and one line per row; graph values, lists and maps as JSON text."""
    return csv_text(result.columns, result.rows, raw=raw, text_of=_json_cell)


def _json_cell(value: Any) -> str:
    return json.dumps(plain(value), ensure_ascii=False)


# -- table -----------------------------------------------------------------------------------


def short(value: Any) -> str:
    """One cell of text: graph values as Cypher-like patterns, long text cut."""
    if value is None:
        return ""
    if isinstance(value, Node):
        return f"(:{value.label} {value.key or value.id})"
    if isinstance(value, Relationship):
        count = value.properties.get("count")
        return f"[:{value.type}{'' if count is None else f' {count}'}]"
    if isinstance(value, GraphPath):
        if not value.nodes:
            return "()"
        parts = [short(value.nodes[0])]
        for rel, node in zip(value.relationships, value.nodes[1:], strict=False):
            parts.append(f"-[:{rel.type}]-{short(node)}")
        return "".join(parts)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, list | tuple):
        return ", ".join(short(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(plain(value), ensure_ascii=False)
    text = str(value)
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def to_table(
    result: QueryResult,
    title: str | None = None,
    *,
    width: int | None = None,
    whole: bool = False,
) -> Table:
    """The rows as a table no wider than ``width`` (default: the terminal's): see
    ``infoops.cli.table_fit`` for what gives way. ``whole``: every id whole and unbroken."""
    columns = [
        ColumnSpec(name, justify="right" if _is_numeric(result, i) else "left")
        for i, name in enumerate(result.columns)
    ]
    width = out.width if width is None else width
    table = fit_table(
        columns,
        [[short(v) for v in row] for row in result.rows],
        width=width,
        make_table=lambda: Table(title=title, title_justify="left", show_lines=False),
        whole=whole,
    )
    # As wide as the title (up to the terminal): a narrow result must not wrap its title.
    table.min_width = min(cell_len(title or ""), width)
    return table


def _is_numeric(result: QueryResult, index: int) -> bool:
    values = [row[index] for row in result.rows if row[index] is not None]
    return bool(values) and all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in values
    )


# -- writing ---------------------------------------------------------------------------------


def write_result(
    result: QueryResult,
    output_format: ResultFormat,
    *,
    out_path: Path | None = None,
    title: str,
    command: str | None = None,
    raw: bool = False,
) -> Path | None:
    """Print or write ``result``; returns the file written, if any. ``raw``: CSV text cells as
    they are, formulas included."""
    if output_format is ResultFormat.html:
        from infoops.visualisations.result_view import write_result_html

        target = out_path or DEFAULT_HTML
        written = write_result_html(result, target, title=title, command=command)
        err.print(f"wrote {written}", highlight=False, markup=False, soft_wrap=True)
        return Path(written)
    if output_format is ResultFormat.table:
        if out_path is None:
            # soft_wrap off: the out console keeps long lines whole for copying, a table's title
            # and caption must wrap to its width.
            out.print(to_table(result, title, whole=raw), soft_wrap=False)
            _stdout().flush()
            return None
        text = _table_text(result, title, whole=raw)
    elif output_format is ResultFormat.json:
        text = to_json(result) + "\n"
    else:
        text = to_csv(result, raw=raw)
    if out_path is None:
        # Flushed now: the timing line that follows goes to stderr and must come after.
        _stdout().write(text)
        _stdout().flush()
        return None
    out_path.write_text(text, encoding="utf-8")
    err.print(f"wrote {out_path}", highlight=False, markup=False, soft_wrap=True)
    return out_path


def _table_text(result: QueryResult, title: str | None, *, whole: bool) -> str:
    from rich.console import Console

    buffer = io.StringIO()
    table = to_table(result, title, width=FILE_WIDTH, whole=whole)
    Console(file=buffer, width=FILE_WIDTH, color_system=None).print(table)
    return buffer.getvalue()


def _stdout() -> TextIO:
    import sys

    return sys.stdout
