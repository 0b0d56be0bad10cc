"""``infoops chains``, ``infoops cascade`` and ``infoops export``: thin layers over
``infoops.visualisations``."""

from __future__ import annotations

import inspect
import shlex
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape as rich_escape

from infoops.cli.console import err, out
from infoops.cli.options import DbOption, Neo4jUriOption, QuietOption, engine_settings
from infoops.cli.output import RawOption
from infoops.engines import open_engine
from infoops.engines.neo4j_address import redact_uri
from infoops.errors import ViewError
from infoops.visualisations import (
    DEFAULT_NODE_BUDGET,
    MAX_DEPTH,
    ColorBy,
    Direction,
    ExportFormat,
    GraphView,
    SizeBy,
)

if TYPE_CHECKING:
    from infoops.engines import GraphEngine

# What draws, exports and queries is imported inside the commands, not at the top: it needs
# pyvis, igraph, pydantic and pyarrow, which `infoops --help` must not wait for.

ColorByOption = Annotated[
    ColorBy,
    typer.Option(
        "--color-by",
        help="Node colour: role (stored, or derived: external / amplifier / poster), cluster, "
        "or disclosure.",
    ),
]
SizeByOption = Annotated[
    SizeBy,
    typer.Option(
        "--size-by",
        help="Node size: amplification (retweets received) or degree (links in the view).",
    ),
]
NodeBudgetOption = Annotated[
    int,
    typer.Option(
        "--node-budget",
        min=3,
        help="Most nodes to draw; a bigger view keeps its strongest edges and says so on the page.",
    ),
]
AccountOption = Annotated[
    str,
    typer.Option("--account", "-a", help="Seed account: a userid or @screen_name."),
]
DepthOption = Annotated[
    int, typer.Option("--depth", min=1, max=MAX_DEPTH, help="Hops along AMPLIFIED from the seed.")
]
DirectionOption = Annotated[
    Direction,
    typer.Option(
        "--direction",
        help="in: who amplifies the seed (through others too); out: whom it amplifies; both.",
    ),
]
MinCountOption = Annotated[
    int, typer.Option("--min-count", min=1, help="Only edges with at least this many retweets.")
]


def chains(
    account: AccountOption,
    out_path: Annotated[Path, typer.Option("--out", "-o", help="HTML file to write.")] = Path(
        "chains.html"
    ),
    depth: DepthOption = 3,
    direction: DirectionOption = Direction.both,
    min_count: MinCountOption = 1,
    color_by: ColorByOption = ColorBy.role,
    size_by: SizeByOption = SizeBy.amplification,
    node_budget: NodeBudgetOption = DEFAULT_NODE_BUDGET,
    db: DbOption = None,
    neo4j_uri: Neo4jUriOption = None,
    quiet: QuietOption = False,
) -> None:
    """Amplification chains around an account, as an interactive HTML page (works offline).

    Follows AMPLIFIED (retweeter -> retweeted author) up to --depth hops: who pushes the seed's
    content and through how many hands (in), whose content the seed pushes (out), or both.
    Edge width is the retweet count; hover for an account's facts and example tweets. Read-only.

    Example: infoops chains --account @StateNewsCN --depth 2 --direction in --out chains.html
    """
    from infoops.visualisations import amplification_chains, write_view_html

    command = _command(
        "chains",
        [
            ("--account", account),
            ("--depth", depth),
            ("--direction", direction.value),
            ("--min-count", min_count),
            ("--color-by", color_by.value),
            ("--size-by", size_by.value),
            ("--node-budget", node_budget),
            ("--out", out_path),
        ],
        db,
        neo4j_uri,
    )
    with _engine(db, neo4j_uri) as engine:
        view = amplification_chains(
            engine,
            account,
            depth=depth,
            direction=direction,
            min_count=min_count,
            node_budget=node_budget,
        )
    path = write_view_html(view, out_path, color_by=color_by, size_by=size_by, command=command)
    _report(path, view, quiet)


def cascade(
    tweet: Annotated[
        str, typer.Option("--tweet", "-t", help="Tweet id (a retweet's id works too).")
    ],
    out_path: Annotated[Path, typer.Option("--out", "-o", help="HTML file to write.")] = Path(
        "cascade.html"
    ),
    color_by: ColorByOption = ColorBy.role,
    size_by: SizeByOption = SizeBy.amplification,
    node_budget: NodeBudgetOption = DEFAULT_NODE_BUDGET,
    db: DbOption = None,
    neo4j_uri: Neo4jUriOption = None,
    quiet: QuietOption = False,
) -> None:
    """The retweets of one tweet over time, as an interactive HTML page (works offline).

    Accounts are placed by how long after the tweet they retweeted it (log time axis), stacked
    when they retweeted at the same moment: bursts of coordinated retweets stand out. Read-only.

    Example: infoops cascade --tweet 1189443769095686933 --out cascade.html
    """
    from infoops.visualisations import retweet_cascade, write_view_html

    command = _command(
        "cascade",
        [
            ("--tweet", tweet),
            ("--color-by", color_by.value),
            ("--size-by", size_by.value),
            ("--node-budget", node_budget),
            ("--out", out_path),
        ],
        db,
        neo4j_uri,
    )
    with _engine(db, neo4j_uri) as engine:
        view = retweet_cascade(engine, tweet, node_budget=node_budget)
    path = write_view_html(view, out_path, color_by=color_by, size_by=size_by, command=command)
    _report(path, view, quiet)


export_app = typer.Typer(
    help="Write a view or a query result as GEXF, GraphML or CSV (for Gephi and spreadsheets).",
    no_args_is_help=True,
)

_EXPORT_HELP = {
    ExportFormat.gexf: (
        "GEXF 1.2 file for Gephi, with colours, sizes and every property as attributes.",
        "infoops export gexf --account @StateNewsCN --depth 2 --out chains.gexf",
    ),
    ExportFormat.graphml: (
        "GraphML file (Gephi, Cytoscape, igraph, networkx), properties as typed data keys.",
        "infoops export graphml --tweet 1189443769095686933 --out cascade.graphml",
    ),
    ExportFormat.csv: (
        "nodes.csv and edges.csv in a folder, in Gephi's spreadsheet-import layout; a Cypher "
        "result without nodes or relationships becomes rows.csv. Text a spreadsheet would run "
        "as a formula gets a leading ' (--raw writes it as it is).",
        'infoops export csv --cypher "MATCH (a:Account)-[r:AMPLIFIED]->(b:Account) '
        'WHERE r.count >= 5 RETURN a, r, b" --out amplified/',
    ),
}


def _export_command(fmt: ExportFormat) -> Callable[..., None]:
    def export(
        out_path: Annotated[
            Path,
            typer.Option(
                "--out", "-o", help="File to write (a folder for csv).", show_default=False
            ),
        ],
        account: Annotated[
            str | None,
            typer.Option("--account", "-a", help="Export the chains view around this account."),
        ] = None,
        tweet: Annotated[
            str | None,
            typer.Option("--tweet", "-t", help="Export the retweet cascade of this tweet."),
        ] = None,
        cypher: Annotated[
            str | None,
            typer.Option("--cypher", help="Export the result of this read-only Cypher query."),
        ] = None,
        query_id: Annotated[
            str | None,
            typer.Option(
                "--query", "-q", help="Export the result of this canned query (see queries list)."
            ),
        ] = None,
        params: Annotated[
            list[str] | None,
            typer.Option(
                "--param",
                "-p",
                help="Query parameter, repeatable, as for `infoops query` / `queries run`: "
                "NAME=VALUE (for --cypher a string unless typed, NAME:int=VALUE; for --query "
                "typed from the query's definition).",
            ),
        ] = None,
        depth: DepthOption = 3,
        direction: DirectionOption = Direction.both,
        min_count: MinCountOption = 1,
        raw: RawOption = False,
        db: DbOption = None,
        neo4j_uri: Neo4jUriOption = None,
    ) -> None:
        from infoops.queries import (
            adhoc_params,
            canned_values,
            load_library,
            run_canned,
            run_cypher,
        )
        from infoops.visualisations import (
            amplification_chains,
            export_result,
            export_view,
            retweet_cascade,
        )

        sources = (("--account", account), ("--tweet", tweet), ("--cypher", cypher))
        chosen = [name for name, value in (*sources, ("--query", query_id)) if value]
        if len(chosen) != 1:
            raise ViewError(
                "say what to export with exactly one of --account (chains view), --tweet "
                "(cascade view), --cypher or --query (query result); "
                f"got {', '.join(chosen) or 'none'}"
            )
        with _engine(db, neo4j_uri) as engine:
            if query_id:
                query = load_library().get_query(query_id)
                run = run_canned(engine, query, canned_values(query, params or []))
                paths = export_result(run.result, fmt, out_path, raw=raw)
            elif cypher:
                run = run_cypher(engine, cypher, adhoc_params(params or []), graph_limit=None)
                paths = export_result(run.result, fmt, out_path, raw=raw)
            else:
                view = (
                    amplification_chains(
                        engine, account, depth=depth, direction=direction, min_count=min_count
                    )
                    if account
                    else retweet_cascade(engine, str(tweet))
                )
                paths = export_view(view, fmt, out_path, raw=raw)
        for path in paths:
            out.print(f"wrote {path}", highlight=False, markup=False)

    summary, example = _EXPORT_HELP[fmt]
    export.__doc__ = (
        f"{summary}\n\nExports everything: no node budget applies (Gephi copes with big graphs). "
        # rich reads the docstring as markup: "[r:AMPLIFIED]" in an example must stay text.
        f"Read-only.\n\nExample: {rich_escape(example)}"
    )
    export.__name__ = f"export_{fmt.value}"
    if fmt is not ExportFormat.csv:
        # --raw is about spreadsheet formulas in CSV cells: GEXF and GraphML do not offer it
        # (Typer reads the options from the signature).
        signature = inspect.signature(export, eval_str=True)
        export.__signature__ = signature.replace(  # type: ignore[attr-defined]
            parameters=[p for p in signature.parameters.values() if p.name != "raw"]
        )
    return export


for _fmt in ExportFormat:
    export_app.command(_fmt.value)(_export_command(_fmt))


def _engine(db: Path | None, neo4j_uri: str | None) -> GraphEngine:
    return open_engine(engine_settings(db, neo4j_uri), read_only=True)


def _command(
    name: str, options: list[tuple[str, object]], db: Path | None, neo4j_uri: str | None
) -> str:
    """The command line that reproduces a page, for its header (never with a password)."""
    words = ["infoops", name]
    for flag, value in options:
        words += [flag, str(value)]
    if neo4j_uri:
        words += ["--neo4j-uri", redact_uri(neo4j_uri)]
    elif db:
        words += ["--db", str(db)]
    return shlex.join(words)


def _report(path: Path, view: GraphView, quiet: bool) -> None:
    if quiet:
        out.print(str(path), highlight=False, markup=False)
        return
    out.print(
        f"wrote {path}: {len(view.nodes):,} nodes, {len(view.edges):,} edges",
        highlight=False,
        markup=False,
    )
    for notice in view.notices:
        err.print(f"note: {notice}", highlight=False, markup=False)
