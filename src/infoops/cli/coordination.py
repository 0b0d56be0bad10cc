"""``infoops coordination``: coordination networks (one subcommand per method), the evidence
behind an edge, and the methods combined. A thin layer over ``infoops.analysis.coordination``."""

from __future__ import annotations

import json
from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from infoops.analysis.coordination.methods import DEFAULT_SIMILARITY, METHODS, ObjectKind
from infoops.cli.console import err
from infoops.cli.options import DbOption, Neo4jUriOption, engine_settings
from infoops.engines import open_engine

if TYPE_CHECKING:
    from infoops.engines import GraphEngine
    from infoops.engines.results import QueryResult

# Kept in step with analysis/coordination/event_time.py (TIME_RULE): this module must not
# import numpy or pyarrow at start.
TIME_RULE = (
    "Times: the tweet id's snowflake time (milliseconds) where it agrees with tweet_time to "
    "the minute, else tweet_time (minutes only: old or non-snowflake ids)."
)
WEIGHT_RULE = (
    "The weight of A -> B is the number of distinct tweets of A that have a tweet of B with "
    "the same object within the window (inclusive), as QUT's coordination-network-toolkit "
    "counts it; no self-loops."
)

app = typer.Typer(
    help="Coordination networks: accounts that post the same thing within seconds of each "
    f"other, stored as COORDINATED_WITH edges. {TIME_RULE}",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)


class PairsFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


WindowOption = Annotated[
    int, typer.Option("--window", "-w", min=0, help="Largest gap in seconds between two tweets.")
]
MinWeightOption = Annotated[
    int,
    typer.Option("--min-weight", "-m", min=1, help="Keep an edge A -> B of at least this weight."),
]
DisclosureOption = Annotated[
    str | None,
    typer.Option(
        "--disclosure",
        "-d",
        help="Only the tweets of this disclosure. \\[default: every released tweet]",
        show_default=False,
    ),
]
PairsFormatOption = Annotated[
    PairsFormat, typer.Option("--format", "-f", help="table for people; csv or json for scripts.")
]
TopOption = Annotated[int, typer.Option("--top", "-n", min=1, help="Pairs to print.")]
ThresholdOption = Annotated[
    float,
    typer.Option(
        "--threshold",
        min=0.0,
        max=1.0,
        help="Smallest Jaccard similarity of the two tweets' word sets (the toolkit's).",
    ),
]


def _network_command(name: str) -> Callable[..., None]:
    method = METHODS[name]
    similar = method.kind is ObjectKind.similar

    def command(
        window: WindowOption = 60,
        min_weight: MinWeightOption = 2,
        threshold: ThresholdOption = DEFAULT_SIMILARITY,
        disclosure: DisclosureOption = None,
        output_format: PairsFormatOption = PairsFormat.table,
        top: TopOption = 20,
        db: DbOption = None,
        neo4j_uri: Neo4jUriOption = None,
    ) -> None:
        from infoops.analysis.coordination.network import compute_network

        with open_engine(engine_settings(db, neo4j_uri)) as engine:
            run = compute_network(
                engine, name, window, min_weight, disclosure=disclosure, threshold=threshold
            )
            pairs = _named_pairs(engine, run.edges.slice(0, top).to_pylist())
        summary = {
            "method": run.method,
            "window_s": run.window_s,
            "min_weight": run.min_weight,
            "events": run.events,
            "edges": run.written,
            "seconds": round(run.seconds, 3),
        }
        if similar:
            summary["threshold"] = threshold
        if output_format is PairsFormat.json:
            print(json.dumps({**summary, "top": pairs}, indent=2, ensure_ascii=False))
            return
        err.print(
            f"{run.method}: {run.written:,} COORDINATED_WITH edges stored (window {window} s, "
            f"min weight {min_weight}, {run.events:,} events, {run.seconds:.1f} s)",
            highlight=False,
            markup=False,
        )
        _print_rows(pairs, output_format, f"Top {run.method} pairs")

    command.__name__ = name.replace("-", "_")
    command.__doc__ = (
        f"Accounts linked by {method.summary}, within the window.\n\n"
        f"{WEIGHT_RULE} Replaces the stored {name} edges of the same window. {TIME_RULE}\n\n"
        f"Example: infoops coordination {name} --window 60 --min-weight 2"
        + (" --threshold 0.8" if similar else "")
    )
    if not similar:
        # The option only co-similar-tweet has: drop it from the signature Typer reads.
        import inspect

        signature = inspect.signature(command, eval_str=True)
        command.__signature__ = signature.replace(  # type: ignore[attr-defined]
            parameters=[p for p in signature.parameters.values() if p.name != "threshold"]
        )
    return command


for _name in METHODS:
    app.command(_name)(_network_command(_name))


@app.command("evidence")
def evidence(
    account_a: Annotated[str, typer.Argument(help="A userid or @screen_name.")],
    account_b: Annotated[str, typer.Argument(help="A userid or @screen_name.")],
    method: Annotated[
        str | None,
        typer.Option(
            "--method",
            help=f"Only this method ({', '.join(METHODS)}). \\[default: every stored method]",
            show_default=False,
        ),
    ] = None,
    threshold: ThresholdOption = DEFAULT_SIMILARITY,
    disclosure: DisclosureOption = None,
    output_format: PairsFormatOption = PairsFormat.table,
    db: DbOption = None,
    neo4j_uri: Neo4jUriOption = None,
) -> None:
    """The tweets that tie two accounts: for every stored edge between them (either way),
    each tweet of one with a tweet of the other on the same object within the edge's window:
    both tweet ids, both times, the gap and the shared object. An edge A -> B of weight w
    lists w distinct tweets of A. Give the --threshold (co-similar-tweet) and --disclosure the
    network was computed with: neither is stored with the edge.

    Example: infoops coordination evidence @alice @bob --method co-retweet
    """
    from infoops.analysis.coordination.evidence import resolve_account, stored_evidence

    with open_engine(engine_settings(db, neo4j_uri), read_only=True) as engine:
        a = resolve_account(engine, account_a)
        b = resolve_account(engine, account_b)
        found = stored_evidence(engine, a, b, method, threshold=threshold, disclosure=disclosure)
        rows = [row.as_dict() for row in found]
    if not rows and output_format is not PairsFormat.json:
        err.print(
            "no stored coordination edge between them: run `infoops coordination METHOD` first",
            highlight=False,
            markup=False,
        )
    if output_format is PairsFormat.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    _print_rows(rows, output_format, f"Evidence {account_a} / {account_b}")


@app.command("combined")
def combined(
    min_methods: Annotated[
        int,
        typer.Option("--min-methods", min=1, help="Pairs linked by at least this many methods."),
    ] = 1,
    output_format: PairsFormatOption = PairsFormat.table,
    top: TopOption = 20,
    db: DbOption = None,
    neo4j_uri: Neo4jUriOption = None,
) -> None:
    """Account pairs across every stored method: the methods that link them and their weights,
    pairs linked by the most methods first.

    Example: infoops coordination combined --min-methods 2
    """
    from infoops.analysis.coordination.combined import combined_pairs

    with open_engine(engine_settings(db, neo4j_uri), read_only=True) as engine:
        pairs = combined_pairs(engine, min_methods=min_methods)
        rows = _named_pairs(engine, pairs[:top])
    if output_format is PairsFormat.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    err.print(f"{len(pairs):,} pairs", highlight=False, markup=False)
    _print_rows(rows, output_format, "Pairs across methods")


def _named_pairs(engine: GraphEngine, pairs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``pairs`` (src, dst, ...) with the screen names of both accounts after their ids."""
    keys = sorted({p["src"] for p in pairs} | {p["dst"] for p in pairs})
    names = engine.lookup("Account", keys, ["screen_name"])
    named = []
    for pair in pairs:
        rest = {k: v for k, v in pair.items() if k not in ("src", "dst")}
        named.append(
            {
                "src": pair["src"],
                "src_name": names.get(pair["src"], (None,))[0],
                "dst": pair["dst"],
                "dst_name": names.get(pair["dst"], (None,))[0],
                **rest,
            }
        )
    return named


def _print_rows(rows: list[dict[str, Any]], output_format: PairsFormat, title: str) -> None:
    from infoops.cli.output import ResultFormat, write_result

    write_result(_as_result(rows), ResultFormat(output_format.value), title=title)


def _as_result(rows: list[dict[str, Any]]) -> QueryResult:
    from infoops.engines.results import QueryResult

    columns = list(rows[0]) if rows else ["src", "dst"]
    return QueryResult(columns, [[row[c] for c in columns] for row in rows])
