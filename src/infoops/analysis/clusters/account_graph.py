"""The graph of released accounts that communities and k-cores are computed on.

Vertices are the released accounts (``in_disclosure = true``) in scope, every one of them, so
that an account without any tie is still analysed (k-core 0, a cluster of its own that
``--min-size`` drops). External accounts (state media, others only seen as retweeted) are left
out: every cluster amplifies the same few state-media hubs, and with them in the graph Leiden
pulls the amplifiers that retweet mostly state media into the hub's cluster instead of their own
(NMI 0.92 against 0.99 without them, on the generator's default release).

Edges are undirected and weighted: for the amplification graph the AMPLIFIED retweet count,
summed over both directions; for the coordination graph the COORDINATED_WITH weight, summed over
methods, windows and both directions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import igraph as ig
import pyarrow as pa

from infoops.analysis.clusters.options import GraphKind
from infoops.engines.base import unlisted
from infoops.errors import ClusterError

if TYPE_CHECKING:
    from infoops.engines import GraphEngine


_REL_TYPE = {GraphKind.amplified: "AMPLIFIED", GraphKind.coordinated: "COORDINATED_WITH"}
_WEIGHT = {GraphKind.amplified: "count", GraphKind.coordinated: "weight"}


@dataclass(frozen=True)
class AccountGraph:
    """An undirected weighted igraph Graph whose vertex ``i`` is the account ``userids[i]``."""

    graph: ig.Graph
    userids: list[str]
    kind: GraphKind

    @property
    def edge_count(self) -> int:
        return int(self.graph.ecount())


def scope_match(alias: str, disclosure: str | None) -> str:
    """A MATCH pattern for released accounts ``alias``, of one disclosure when given."""
    if disclosure is None:
        return f"MATCH ({alias}:Account) WHERE {alias}.in_disclosure = true"
    return (
        f"MATCH ({alias}:Account)-[:IN_DISCLOSURE]->(:Disclosure {{id: $disclosure}}) "
        f"WHERE {alias}.in_disclosure = true"
    )


def released_accounts(engine: GraphEngine, disclosure: str | None = None) -> list[str]:
    """The userids of the released accounts in scope, sorted (a stable vertex order)."""
    table = engine.run_table(
        f"{scope_match('a', disclosure)} RETURN DISTINCT a.userid AS userid",
        _params(disclosure),
    )
    return sorted(str(u) for u in table.column("userid").to_pylist())


def build_account_graph(
    engine: GraphEngine, kind: GraphKind = GraphKind.amplified, disclosure: str | None = None
) -> AccountGraph:
    """The account graph of ``kind`` over the released accounts in scope (see module doc)."""
    if disclosure is not None and not engine.count(
        "MATCH (d:Disclosure {id: $disclosure}) RETURN count(d)", {"disclosure": disclosure}
    ):
        raise ClusterError(f"no disclosure {disclosure!r} in the graph")
    userids = released_accounts(engine, disclosure)
    index = {userid: i for i, userid in enumerate(userids)}
    table = _ties(engine, kind)
    weights: dict[tuple[int, int], float] = {}
    for src, dst, value in zip(
        table.column("src").to_pylist(),
        table.column("dst").to_pylist(),
        table.column("weight").to_pylist(),
        strict=True,
    ):
        a, b = index.get(src), index.get(dst)
        if a is None or b is None:
            continue
        pair = (a, b) if a < b else (b, a)
        weights[pair] = weights.get(pair, 0.0) + float(value if value is not None else 1)
    pairs = sorted(weights)  # a stable edge order: same graph, same communities
    graph = ig.Graph(n=len(userids), edges=pairs, directed=False)
    graph.es["weight"] = [weights[pair] for pair in pairs]
    return AccountGraph(graph, userids, kind)


def _ties_statement(kind: GraphKind, *, lists: bool = False) -> str:
    """Every tie of ``kind`` between two released accounts (the scope is applied in Python,
    so one statement serves every scope); ``lists``: as one row of lists (a missing weight
    counts 1, as ``collect`` would drop it). Listed by ``statements`` for the linter."""
    rel_type, weight = _REL_TYPE[kind], _WEIGHT[kind]
    match = (
        f"MATCH (a:Account)-[r:{rel_type}]->(b:Account) "
        "WHERE a.in_disclosure = true AND b.in_disclosure = true AND a.userid <> b.userid "
    )
    if lists:
        return (
            f"{match}RETURN collect(a.userid) AS src, collect(b.userid) AS dst, "
            f"collect(coalesce(r.{weight}, 1)) AS weight"
        )
    return f"{match}RETURN a.userid AS src, b.userid AS dst, r.{weight} AS weight"


def _ties(engine: GraphEngine, kind: GraphKind) -> pa.Table:
    # Neo4j: 466k ties as rows took 9.5 s of the cluster run.
    if engine.rows_cost_more:
        return unlisted(engine.run_table(_ties_statement(kind, lists=True)))
    return engine.run_table(_ties_statement(kind))


def statements() -> list[tuple[str, str]]:
    return [
        (f"clusters:ties:{kind.value}:{lists}", _ties_statement(kind, lists=lists))
        for kind in _REL_TYPE
        for lists in (False, True)
    ]


def _params(disclosure: str | None) -> Mapping[str, Any] | None:
    return None if disclosure is None else {"disclosure": disclosure}
