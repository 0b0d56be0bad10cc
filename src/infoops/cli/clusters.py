"""``infoops clusters``: communities, k-core numbers and roles of released accounts, written onto
the Account nodes, and the table of clusters."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from infoops.analysis.clusters.options import (
    DEFAULT_MIN_SIZE,
    DEFAULT_RESOLUTION,
    Algorithm,
    GraphKind,
)
from infoops.cli.console import err
from infoops.cli.options import DbOption, Neo4jUriOption, QuietOption, engine_settings
from infoops.cli.output import ResultFormat, ResultRawOption, write_result
from infoops.engines import open_engine

if TYPE_CHECKING:
    from infoops.analysis.clusters import ClusterRun
    from infoops.engines import GraphEngine

# What computes (igraph, leidenalg, pyarrow) and what draws (pyvis) is imported inside the
# command: `infoops --help` must not wait for them.


class TableFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


def clusters(
    graph: Annotated[
        GraphKind,
        typer.Option(
            "--graph",
            "-g",
            help="Ties between released accounts to cluster: amplified (AMPLIFIED retweet "
            "counts, both directions summed) or coordinated (COORDINATED_WITH weights, summed "
            "over methods and directions; run `infoops coordination` first).",
        ),
    ] = GraphKind.amplified,
    algorithm: Annotated[
        Algorithm,
        typer.Option(
            "--algorithm",
            "-a",
            help="leiden (connected communities, the default) or louvain. Seeded: the same "
            "graph gives the same clusters.",
        ),
    ] = Algorithm.leiden,
    resolution: Annotated[
        float,
        typer.Option(
            "--resolution",
            "-r",
            help="Modularity resolution: above 1 gives more, smaller clusters; below 1 fewer, "
            "larger ones.",
        ),
    ] = DEFAULT_RESOLUTION,
    min_size: Annotated[
        int,
        typer.Option(
            "--min-size",
            "-m",
            min=1,
            help="Smallest cluster kept; accounts of smaller ones get no cluster (NULL).",
        ),
    ] = DEFAULT_MIN_SIZE,
    disclosure: Annotated[
        str | None,
        typer.Option(
            "--disclosure",
            "-d",
            help="Only the released accounts of this disclosure. \\[default: every released "
            "account]",
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[
        TableFormat,
        typer.Option("--format", "-f", help="table for people; csv or json for scripts."),
    ] = TableFormat.table,
    out_path: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="Also write an HTML view of the accounts, coloured by cluster, core emphasised.",
            show_default=False,
        ),
    ] = None,
    overview_path: Annotated[
        Path | None,
        typer.Option(
            "--overview",
            help="Also write an HTML overview: one node per cluster, edges = amplification "
            "between clusters (for networks too big to draw account by account).",
            show_default=False,
        ),
    ] = None,
    raw: ResultRawOption = False,
    db: DbOption = None,
    neo4j_uri: Neo4jUriOption = None,
    quiet: QuietOption = False,
) -> None:
    """Find clusters, k-cores and roles of released accounts and write them to the graph.

    Communities (python-igraph + leidenalg) of the accounts' amplification or coordination
    graph, numbered by size (0 = largest); the k-core number of each account; and its role from
    what it does: core (at least 3 other accounts retweeted it), amplifier (retweets are at least
    a quarter of its tweets) or peripheral. Written onto Account nodes as cluster, kcore and
    role (earlier values are cleared first), where Cypher and the cluster queries read them
    (`infoops queries run cluster-sizes`). Prints one row per cluster: size, roles, most
    amplified accounts, top hashtags and the span of creation dates.

    Example: infoops clusters --resolution 1.5 --min-size 5 --out clusters.html
    """
    from infoops.analysis.clusters import ClusterSettings, cluster_table, compute_clusters

    settings = ClusterSettings(
        graph=graph,
        algorithm=algorithm,
        resolution=resolution,
        min_size=min_size,
        disclosure=disclosure,
    )
    with open_engine(engine_settings(db, neo4j_uri)) as engine:
        run = compute_clusters(engine, settings)
        if not quiet:
            _report(run)
        table = cluster_table(engine)
        _write_views(engine, out_path, overview_path, disclosure)
    write_result(table, ResultFormat(output_format.value), title="Clusters", raw=raw)


def _report(run: ClusterRun) -> None:
    roles = ", ".join(f"{count:,} {role}" for role, count in sorted(run.roles.items()))
    err.print(
        f"{run.accounts:,} released accounts, {run.edges:,} ties: {run.clusters:,} clusters "
        f"hold {run.clustered_accounts:,} accounts; roles: {roles or 'none'}",
        highlight=False,
        markup=False,
        soft_wrap=True,
    )


def _write_views(
    engine: GraphEngine, out_path: Path | None, overview_path: Path | None, disclosure: str | None
) -> None:
    if out_path is None and overview_path is None:
        return
    from infoops.visualisations.clusters import write_cluster_overview, write_clusters_view

    for path, write in ((out_path, write_clusters_view), (overview_path, write_cluster_overview)):
        if path is not None:
            write(engine, path, disclosure=disclosure)
            err.print(f"wrote {path}", highlight=False, markup=False, soft_wrap=True)
