"""``infoops queries list|show|run`` (the canned library) and ``infoops query`` (ad-hoc Cypher)."""

from __future__ import annotations

import json
import re
import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich import box
from rich.panel import Panel
from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text

from infoops.cli.console import err, out
from infoops.cli.options import DbOption, Neo4jUriOption, OutputFormat, engine_settings
from infoops.cli.output import (
    OutOption,
    ResultFormat,
    ResultFormatOption,
    ResultRawOption,
    write_result,
)
from infoops.engines import open_engine
from infoops.queries import DEFAULT_GRAPH_LIMIT, Category, QueryError

if TYPE_CHECKING:
    from infoops.queries import CannedQuery, QueryRun

# The library and the runner are imported inside the commands, not at the top: they need
# pydantic, YAML and pyarrow, which `infoops --help` must not wait for.

app = typer.Typer(
    help="The canned query library: proven Cypher for common questions, by name.",
    no_args_is_help=True,
)

ParamOption = Annotated[
    list[str] | None,
    typer.Option(
        "--param",
        "-p",
        help="A parameter as name=value; repeat for several.",
        show_default=False,
    ),
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No row count or timing.")]


@app.command("list")
def list_queries(
    category: Annotated[
        Category | None, typer.Option("--category", "-c", help="Only this category.")
    ] = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="table for people, json for scripts.")
    ] = OutputFormat.table,
) -> None:
    """List the canned queries: id, category, title and parameters.

    Example: infoops queries list --category amplification
    """
    from infoops.queries import load_library

    queries = load_library().in_category(category)
    if output_format is OutputFormat.json:
        print(json.dumps([_summary(q) for q in queries], ensure_ascii=False, indent=2))
        return
    out.print(_list_table(queries), soft_wrap=False)
    out.print("show one with: infoops queries show ID", highlight=False, markup=False)


def _list_table(queries: list[CannedQuery]) -> Table:
    """One row per query under its category's heading: the id whole (it is what a user types),
    the title wrapped at words beside it and the parameters under the title, so that the
    whole list reads at 80 columns."""
    table = Table(
        title=f"{len(queries)} canned queries",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        show_edge=False,
    )
    table.add_column("id", no_wrap=True)
    table.add_column("title", ratio=1)
    by_category: dict[Category, list[CannedQuery]] = {}
    for q in queries:
        by_category.setdefault(q.category, []).append(q)
    for category, members in by_category.items():
        table.add_row(Text(category.value, style="bold"), "")
        for q in members:
            table.add_row(Text("  " + q.id), _described(q))
    return table


def _described(q: CannedQuery) -> Text:
    described = Text(q.title)
    if q.returns != "table":
        described.append(f" ({q.returns})", style="dim")
    if q.params:
        params = ", ".join(p.name if p.required else f"[{p.name}]" for p in q.params)
        described.append("\nparameters: " + params, style="dim")
    return described


def _summary(query: CannedQuery) -> dict[str, object]:
    return {
        "id": query.id,
        "title": query.title,
        "category": query.category.value,
        "returns": query.returns,
        "params": [p.model_dump(mode="json", exclude_none=True) for p in query.params],
        "description": query.description,
    }


@app.command("show")
def show(
    query_id: Annotated[str, typer.Argument(metavar="ID", help="Query id (see queries list).")],
) -> None:
    """Show a query: what it answers, its parameters, its Cypher on both engines.

    Example: infoops queries show amplification-chains
    """
    from infoops.queries import ENGINES, load_library

    query = load_library().get_query(query_id)
    paragraph = re.sub(r"\s*\n\s*", " ", query.description)
    out.print(Panel(Text(paragraph), title=Text(f"{query.id}: {query.title}")), soft_wrap=False)
    out.print(
        f"category: {query.category.value}    returns: {query.returns}",
        highlight=False,
        markup=False,
    )
    if query.params:
        table = Table(title="parameters", title_justify="left")
        for column in ("name", "type", "default", "help"):
            table.add_column(column)
        for p in query.params:
            default = "(required)" if p.required else json.dumps(p.default, ensure_ascii=False)
            inline = " (written into the query text)" if p.inline else ""
            table.add_row(p.name, p.describe_type(), Text(default), Text(p.help + inline))
        out.print(table, soft_wrap=False)
    forms = query.forms()
    if forms["ladybug"] == forms["neo4j"]:
        out.print(Text("Cypher (both engines)", style="bold"))
        out.print(Syntax(forms["neo4j"], "cypher", word_wrap=True), soft_wrap=False)
    else:
        for engine in ENGINES:
            out.print(Text(f"Cypher on {engine}", style="bold"))
            out.print(Syntax(forms[engine], "cypher", word_wrap=True), soft_wrap=False)
    example = " ".join(f"--param {p.name}=..." for p in query.params if p.required)
    out.print(
        f"run it with: infoops queries run {query.id} {example}".rstrip(),
        highlight=False,
        markup=False,
    )


@app.command("run")
def run(
    query_id: Annotated[str, typer.Argument(metavar="ID", help="Query id (see queries list).")],
    param: ParamOption = None,
    output_format: ResultFormatOption = ResultFormat.table,
    out_path: OutOption = None,
    raw: ResultRawOption = False,
    db: DbOption = None,
    neo4j_uri: Neo4jUriOption = None,
    quiet: QuietOption = False,
) -> None:
    """Run a canned query by id, read-only, on the embedded database or Neo4j.

    Parameters are typed from the query's definition; unknown or missing
    ones are errors.

    Example: infoops queries run amplifiers-of-account -p account=Amy_li20
    """
    from infoops.queries import canned_values, load_library, run_canned

    query = load_library().get_query(query_id)
    values = canned_values(query, param or [])
    query.bind(values)  # a bad parameter fails before the database is opened
    with open_engine(engine_settings(db, neo4j_uri), read_only=True) as engine:
        result = run_canned(engine, query, values)
    command = shlex.join(["infoops", "queries", "run", query_id, *_param_args(param)])
    _emit(result, output_format, out_path, title=query.title, command=command, quiet=quiet, raw=raw)


def query(
    cypher: Annotated[
        str | None,
        typer.Argument(
            metavar="[CYPHER]",
            help="The statement, or - to read it from stdin.",
            show_default=False,
        ),
    ] = None,
    file: Annotated[
        Path | None,
        typer.Option(
            "--file",
            help="Read the statement from this file.",
            exists=True,
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    param: ParamOption = None,
    output_format: ResultFormatOption = ResultFormat.table,
    out_path: OutOption = None,
    raw: ResultRawOption = False,
    write: Annotated[
        bool,
        typer.Option("--write", help="Allow statements that change the graph (opened writable)."),
    ] = False,
    limit: Annotated[
        int,
        typer.Option(
            "--limit",
            min=0,
            help="Keep at most this many rows of a result holding nodes, relationships or "
            "paths (0 keeps all). Tables of plain values are never cut.",
        ),
    ] = DEFAULT_GRAPH_LIMIT,
    db: DbOption = None,
    neo4j_uri: Neo4jUriOption = None,
    quiet: QuietOption = False,
) -> None:
    """Run your own Cypher, read-only unless --write, on either engine.

    Parameters are text unless typed: -p name=Amy_li20, -p n:int=10,
    -p tags:list=a,b, -p 'm:json={"k": 1}'. Ids are text in this graph,
    so -p userid=1180000000000000001 stays a string.

    A syntax error shows the engine's message with line and offset. See
    docs/cypher-dialects.md for what differs between Neo4j and Ladybug.

    Example: infoops query "MATCH (a:Account) RETURN count(a) AS n"
    """
    from infoops.queries import adhoc_params, run_cypher

    text = _statement(cypher, file)
    params = adhoc_params(param or [])
    with open_engine(engine_settings(db, neo4j_uri), read_only=not write) as engine:
        result = run_cypher(engine, text, params, write=write, graph_limit=limit or None)
    if result.truncated:
        err.print(
            f"note: the result holds graph values; showing the first {len(result.result):,} of "
            f"{result.total_rows:,} rows (--limit 0 for all)",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
    _emit(result, output_format, out_path, title="Cypher query", command=text, quiet=quiet, raw=raw)


def _statement(cypher: str | None, file: Path | None) -> str:
    if file is not None and cypher is not None:
        raise QueryError("give the statement either as CYPHER or with --file, not both")
    if file is not None:
        return file.read_text(encoding="utf-8")
    if cypher == "-":
        return sys.stdin.read()
    if cypher is None:
        raise QueryError(
            'no statement: infoops query "MATCH (n) RETURN count(n)" (or --file, or -)'
        )
    return cypher


def _param_args(params: list[str] | None) -> list[str]:
    return [arg for p in params or [] for arg in ("--param", p)]


def _emit(
    run: QueryRun,
    output_format: ResultFormat,
    out_path: Path | None,
    *,
    title: str,
    command: str,
    quiet: bool,
    raw: bool,
) -> None:
    write_result(
        run.result, output_format, out_path=out_path, title=title, command=command, raw=raw
    )
    if not quiet:
        rows = len(run.result)
        err.print(
            f"{rows:,} row{'s' if rows != 1 else ''} in {run.seconds * 1000:.0f} ms ({run.engine})",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
