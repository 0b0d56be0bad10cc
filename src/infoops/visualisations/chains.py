"""Amplification chains: who pushes whose content, through how many hands.

In Twitter's data a retweet always points at the original, so a chain is a path in the
account-level AMPLIFIED graph: C amplified B, who amplified the seed A. The view is the
neighbourhood of a seed up to ``depth`` hops, upstream (``in``: who amplifies the seed, directly
or through others), downstream (``out``: whom the seed amplifies) or both.

It is collected hop by hop (breadth first, one ``UNWIND $ids`` statement per hop) rather than
with one variable-length pattern: enumerating paths explodes (a 600-account synthetic release
already has 50k amplification paths of length <= 3 into its most amplified account; real
releases have millions), while the hop-by-hop walk touches each edge once and keeps the Cypher
in the subset both engines run. Only the edges on a path of length <= ``depth`` from the seed
are kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from infoops.engines.base import GraphEngine
from infoops.errors import ViewError
from infoops.visualisations.accounts import AMPLIFICATION_NOTE, ROLE_NOTE, account_nodes
from infoops.visualisations.budget import DEFAULT_NODE_BUDGET, apply_node_budget
from infoops.visualisations.graph_data import (
    COLOR_ROLE,
    SIZE_AMPLIFICATION,
    GraphView,
    ViewEdge,
    ViewNode,
    plural,
)
from infoops.visualisations.options import MAX_DEPTH, Direction
from infoops.visualisations.pyvis_page import write_view_html
from infoops.visualisations.seeds import resolve_account

UPSTREAM_HOP_CYPHER = (
    "UNWIND $ids AS id MATCH (b:Account)-[r:AMPLIFIED]->(a:Account {userid: id}) "
    "WHERE r.count >= $min_count "
    "RETURN b.userid AS source, a.userid AS target, r.count AS count, r.first AS first, "
    "r.last AS last"
)
DOWNSTREAM_HOP_CYPHER = (
    "UNWIND $ids AS id MATCH (a:Account {userid: id})-[r:AMPLIFIED]->(b:Account) "
    "WHERE r.count >= $min_count "
    "RETURN a.userid AS source, b.userid AS target, r.count AS count, r.first AS first, "
    "r.last AS last"
)
EDGE_NOTE = (
    "Arrow: from the retweeter to the account it retweeted (AMPLIFIED). Width: number of retweets."
)


@dataclass
class _Walk:
    """What the hop-by-hop walk found: edges with their properties, hop distances per side."""

    edges: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    upstream: dict[str, int] = field(default_factory=dict)  # account -> hops to reach the seed
    downstream: dict[str, int] = field(default_factory=dict)  # account -> hops from the seed


def statements() -> list[tuple[str, str]]:
    return [
        ("view-chains-upstream-hop", UPSTREAM_HOP_CYPHER),
        ("view-chains-downstream-hop", DOWNSTREAM_HOP_CYPHER),
    ]


def amplification_chains(
    engine: GraphEngine,
    account: str,
    *,
    depth: int = 3,
    direction: Direction | str = Direction.both,
    min_count: int = 1,
    node_budget: int | None = None,
) -> GraphView:
    """The amplification graph around ``account`` (a userid or ``@screen_name``).

    Edges are AMPLIFIED relationships with at least ``min_count`` retweets on a path of at most
    ``depth`` hops from the seed. ``node_budget`` (None: no limit) keeps the strongest edges of
    a bigger graph and says so in ``view.notices``; account details are fetched afterwards, for
    the kept accounts only.
    """
    direction = _direction(direction)
    if not 1 <= depth <= MAX_DEPTH:
        raise ViewError(f"depth must be between 1 and {MAX_DEPTH}, got {depth}")
    if min_count < 1:
        raise ViewError(f"min-count must be at least 1, got {min_count}")
    seed_notes: list[str] = []
    seed = resolve_account(engine, account, seed_notes)
    walk = _Walk()
    params = {"min_count": min_count}
    if direction in (Direction.upstream, Direction.both):
        walk.upstream = _walk(
            engine, UPSTREAM_HOP_CYPHER, seed, depth, params, walk.edges, "source"
        )
    if direction in (Direction.downstream, Direction.both):
        walk.downstream = _walk(
            engine, DOWNSTREAM_HOP_CYPHER, seed, depth, params, walk.edges, "target"
        )
    ids = list(dict.fromkeys([seed, *walk.upstream, *walk.downstream]))
    bare = GraphView(
        title="",
        nodes=[ViewNode(id=uid, label=uid, kind="Account") for uid in ids],
        edges=[
            ViewEdge(source, target, "AMPLIFIED", weight=float(props["count"] or 0))
            for (source, target), props in walk.edges.items()
        ],
        pinned=frozenset([seed]),
    )
    kept, _report = apply_node_budget(bare, node_budget, weight_name="retweets")
    details = account_nodes(engine, [node.id for node in kept.nodes])
    nodes = [details[node.id] for node in kept.nodes if node.id in details]
    seed_node = details[seed]
    seed_node.shape = "star"
    for node in nodes:
        node.facts[1:1] = _chain_facts(node.id, seed, seed_node.label, walk)
    edges = [
        _edge(edge, walk.edges[(edge.source, edge.target)], details)
        for edge in kept.edges
        if edge.source in details and edge.target in details
    ]
    where = {
        Direction.upstream: "amplifying",
        Direction.downstream: "amplified by",
        Direction.both: "around",
    }[direction]
    view = GraphView(
        title=f"Amplification chains {where} {seed_node.label}",
        nodes=nodes,
        edges=edges,
        size_notes={SIZE_AMPLIFICATION: AMPLIFICATION_NOTE},
        edge_note=EDGE_NOTE,
        legend_notes={COLOR_ROLE: ROLE_NOTE},
        notices=seed_notes + kept.notices,
        summary=_summary(seed_node.label, direction, depth, min_count, walk, len(ids)),
        pinned=frozenset([seed]),
        star_note="Star: the seed account the chains start from (drawn at least mid-sized).",
    )
    return view


def write_chains_view(
    engine: GraphEngine,
    account: str,
    out_path: str | Path,
    *,
    depth: int = 3,
    direction: Direction | str = Direction.both,
    min_count: int = 1,
    color_by: str = COLOR_ROLE,
    size_by: str = SIZE_AMPLIFICATION,
    node_budget: int | None = DEFAULT_NODE_BUDGET,
    command: str | None = None,
) -> Path:
    """Write the chains view around ``account`` as a self-contained HTML page; returns its path."""
    direction = _direction(direction)
    view = amplification_chains(
        engine,
        account,
        depth=depth,
        direction=direction,
        min_count=min_count,
        node_budget=node_budget,
    )
    if command is None:
        command = (
            f"write_chains_view(engine, {account!r}, {str(out_path)!r}, depth={depth}, "
            f"direction={direction.value!r}, min_count={min_count}, color_by={color_by!r}, "
            f"size_by={size_by!r}, node_budget={node_budget!r})"
        )
    return write_view_html(view, out_path, color_by=color_by, size_by=size_by, command=command)


def _direction(value: Direction | str) -> Direction:
    try:
        return Direction(value)
    except ValueError:
        raise ViewError(f"direction must be in, out or both, got {value!r}") from None


def _walk(
    engine: GraphEngine,
    cypher: str,
    seed: str,
    depth: int,
    params: dict[str, int],
    edges: dict[tuple[str, str], dict[str, Any]],
    far_end: str,
) -> dict[str, int]:
    """Breadth-first over AMPLIFIED; returns hops from the seed of every account reached."""
    hops = {seed: 0}
    frontier = [seed]
    for level in range(1, depth + 1):
        if not frontier:
            break
        reached: list[str] = []
        rows = engine.run(cypher, {**params, "ids": frontier}).records()
        # Engines return rows in their own order: strongest first, then by ids, on both, so the
        # view (node order, layout, what a node budget keeps) is the same whichever engine ran.
        rows.sort(key=lambda row: (-int(row["count"] or 0), row["source"], row["target"]))
        for row in rows:
            edges[(row["source"], row["target"])] = row
            other = row[far_end]
            if other not in hops:
                hops[other] = level
                reached.append(other)
        frontier = reached
    del hops[seed]
    return hops


def _chain_facts(userid: str, seed: str, seed_label: str, walk: _Walk) -> list[tuple[str, str]]:
    if userid == seed:
        return [("in this view", "the seed account")]
    facts = []
    if userid in walk.upstream:
        facts.append(("amplifies the seed", f"{seed_label}, {_hops(walk.upstream[userid])}"))
    if userid in walk.downstream:
        facts.append(("amplified by the seed", f"{seed_label}, {_hops(walk.downstream[userid])}"))
    return facts


def _hops(count: int) -> str:
    return "directly" if count == 1 else f"through {count - 1} other account{'s' * (count > 2)}"


def _edge(edge: ViewEdge, props: dict[str, Any], nodes: dict[str, ViewNode]) -> ViewEdge:
    count = int(props["count"] or 0)
    facts = [
        ("retweets", f"{count:,}"),
        ("first", str(props.get("first") or "?")),
        ("last", str(props.get("last") or "?")),
    ]
    return ViewEdge(
        edge.source,
        edge.target,
        "AMPLIFIED",
        weight=float(count),
        facts=facts,
        properties={key: value for key, value in props.items() if key not in ("source", "target")},
    )


def _summary(
    seed_label: str,
    direction: Direction,
    depth: int,
    min_count: int,
    walk: _Walk,
    total: int,
) -> list[str]:
    strength = f"edges of at least {plural(min_count, 'retweet')}" if min_count > 1 else "all edges"
    sides = {
        Direction.upstream: "upstream (who amplifies it)",
        Direction.downstream: "downstream (whom it amplifies)",
        Direction.both: "upstream and downstream",
    }[direction]
    lines = [f"seed {seed_label}, up to {plural(depth, 'hop')} {sides}, {strength}"]
    retweets = sum(int(props["count"] or 0) for props in walk.edges.values())
    lines.append(
        f"found {plural(total, 'account')} joined by {plural(len(walk.edges), 'amplification')} "
        f"({plural(retweets, 'retweet')})"
    )
    wanted = {
        Direction.upstream: ("upstream",),
        Direction.downstream: ("downstream",),
        Direction.both: ("upstream", "downstream"),
    }[direction]
    for name in wanted:
        hops = walk.upstream if name == "upstream" else walk.downstream
        if hops:
            lines.append(f"{name}: {plural(len(hops), 'account')} ({_per_level(hops, depth)})")
        else:
            lines.append(f"{name}: no accounts")
    return lines


def _per_level(hops: dict[str, int], depth: int) -> str:
    counts = [sum(1 for h in hops.values() if h == level) for level in range(1, depth + 1)]
    return ", ".join(
        f"{n:,} at {level} hop{'s' * (level > 1)}" for level, n in enumerate(counts, 1) if n
    )
