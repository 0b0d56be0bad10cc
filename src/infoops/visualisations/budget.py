"""The node budget: big views keep their strongest edges, and the page says what was left out.

A browser draws about 10k nodes in a few seconds; past that a page stops being usable. Rather
than cutting at an arbitrary point, a view over budget keeps the edges with the largest weight
(retweet count) as long as their endpoints fit, always keeping pinned nodes (the seed), and adds
a notice with the exact counts. Nothing is dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass

from infoops.visualisations.graph_data import GraphView, ViewEdge, ViewNode

DEFAULT_NODE_BUDGET = 5_000
EDGES_PER_NODE = 5  # the edge budget, relative to the node budget


@dataclass(frozen=True)
class BudgetReport:
    nodes_before: int
    edges_before: int
    nodes_after: int
    edges_after: int
    min_weight: float | None  # smallest weight among the kept edges

    @property
    def truncated(self) -> bool:
        return (self.nodes_after, self.edges_after) != (self.nodes_before, self.edges_before)


def apply_node_budget(
    view: GraphView,
    node_budget: int | None = DEFAULT_NODE_BUDGET,
    *,
    edge_budget: int | None = None,
    weight_name: str = "weight",
) -> tuple[GraphView, BudgetReport]:
    """``view`` cut down to ``node_budget`` nodes (and ``edge_budget`` edges) with a notice.

    ``None`` means no budget. Edges are taken strongest first; an edge whose new endpoints
    would overflow the node budget is skipped. Nodes left without a kept edge come back, most
    connected first, only while there is room.
    """
    if node_budget is not None and node_budget < 1:
        raise ValueError(f"the node budget must be at least 1, got {node_budget}")
    if edge_budget is None and node_budget is not None:
        edge_budget = EDGES_PER_NODE * node_budget
    nodes_before, edges_before = len(view.nodes), len(view.edges)
    within = (node_budget is None or nodes_before <= node_budget) and (
        edge_budget is None or edges_before <= edge_budget
    )
    if within:
        return view, BudgetReport(nodes_before, edges_before, nodes_before, edges_before, None)

    node_limit = node_budget if node_budget is not None else nodes_before
    edge_limit = edge_budget if edge_budget is not None else edges_before
    kept_ids: set[str] = {node_id for node_id in view.pinned if node_id in view.node_ids}
    kept_edges: list[ViewEdge] = []
    filled = False
    strength: dict[str, float] = {node.id: 0.0 for node in view.nodes}
    for edge in view.edges:
        strength[edge.source] += edge.weight
        strength[edge.target] += edge.weight
    # Ties end on the ids: the same view keeps the same edges whatever order it was built in.
    ranked = sorted(
        view.edges,
        key=lambda e: (-e.weight, -(strength[e.source] + strength[e.target]), e.source, e.target),
    )
    for edge in ranked:
        if len(kept_edges) >= edge_limit:
            break
        new = {edge.source, edge.target} - kept_ids
        if len(kept_ids) + len(new) <= node_limit:
            kept_ids |= new
            kept_edges.append(edge)
    for node in sorted(view.nodes, key=lambda n: (-strength[n.id], n.id)):
        if len(kept_ids) >= node_limit:
            break
        if node.id not in kept_ids:
            kept_ids.add(node.id)
            filled = True
    if filled:  # nodes added last may join edges skipped earlier
        taken = {id(edge) for edge in kept_edges}
        for edge in ranked:
            if len(kept_edges) >= edge_limit:
                break
            if id(edge) not in taken and edge.source in kept_ids and edge.target in kept_ids:
                kept_edges.append(edge)
    kept_nodes: list[ViewNode] = [node for node in view.nodes if node.id in kept_ids]
    min_weight = min((edge.weight for edge in kept_edges), default=None)
    report = BudgetReport(nodes_before, edges_before, len(kept_nodes), len(kept_edges), min_weight)
    cut = view.with_graph(kept_nodes, kept_edges)
    cut.notices.append(budget_notice(report, node_budget, edge_budget, weight_name))
    return cut, report


def budget_notice(
    report: BudgetReport, node_budget: int | None, edge_budget: int | None, weight_name: str
) -> str:
    limits = []
    if node_budget is not None:
        limits.append(f"node budget of {node_budget:,}")
    if edge_budget is not None:
        limits.append(f"edge budget of {edge_budget:,}")
    strongest = (
        f" (every kept edge has {weight_name} ≥ {report.min_weight:g})"
        if report.min_weight is not None
        else ""
    )
    return (
        f"Truncated: the full view has {report.nodes_before:,} nodes and "
        f"{report.edges_before:,} edges, over the {' and '.join(limits)}. Showing "
        f"{report.nodes_after:,} nodes and {report.edges_after:,} edges, the strongest edges "
        f"first{strongest}; {report.nodes_before - report.nodes_after:,} nodes and "
        f"{report.edges_before - report.edges_after:,} edges are not drawn. Raise the budget "
        "(--node-budget) or export the whole graph for Gephi (infoops export gexf)."
    )
