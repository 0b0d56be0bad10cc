"""Any query result as a page: a network when it holds nodes, relationships or paths, else a
table. Used by ``infoops query --format html`` and by the exports of ad-hoc Cypher."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from infoops.engines.results import Node, QueryResult, Relationship
from infoops.engines.results import Path as GraphPath
from infoops.visualisations.accounts import NO_CLUSTER
from infoops.visualisations.budget import DEFAULT_NODE_BUDGET, apply_node_budget
from infoops.visualisations.graph_data import (
    COLOR_CLUSTER,
    COLOR_LABEL,
    COLOR_ROLE,
    SIZE_AMPLIFICATION,
    SIZE_DEGREE,
    GraphView,
    ViewEdge,
    ViewNode,
    account_label,
    plural,
    preview,
)
from infoops.visualisations.pyvis_page import (
    page_context,
    render_template,
    render_view_html,
    write_page,
)

MAX_TABLE_ROWS = 10_000
RESULT_SIZE_NOTES = {
    SIZE_DEGREE: "nodes it is linked to in this result",
    SIZE_AMPLIFICATION: "retweets received over the AMPLIFIED relationships in this result",
}
_WEIGHT_KEYS = ("count", "weight")


def write_result_html(
    result: QueryResult, path: Path, *, title: str, command: str | None = None
) -> Path:
    """Write ``result`` as a self-contained page: a graph view if it holds nodes,
    relationships or paths, else an escaped HTML table. Returns ``path``."""
    if result.has_graph():
        view, _report = apply_node_budget(
            view_from_result(result, title=title), DEFAULT_NODE_BUDGET
        )
        page = render_view_html(view, color_by=COLOR_LABEL, size_by=SIZE_DEGREE, command=command)
    else:
        page = render_table_html(result, title=title, command=command)
    return write_page(page, path)


def render_table_html(result: QueryResult, *, title: str, command: str | None = None) -> str:
    notices = []
    rows = result.rows
    if len(rows) > MAX_TABLE_ROWS:
        notices.append(
            f"Truncated: the result has {len(rows):,} rows; this page shows the first "
            f"{MAX_TABLE_ROWS:,}. Export it as CSV (infoops export csv --cypher ...) to get all."
        )
        rows = rows[:MAX_TABLE_ROWS]
    context = page_context(title, command, notices)
    context.update(
        columns=result.columns,
        rows=[[cell_text(value) for value in row] for row in rows],
        row_count=len(result.rows),
    )
    return render_template("table.html.j2", context)


def cell_text(value: Any) -> str:
    """One table cell as text (escaped later by the template)."""
    if value is None:
        return ""
    if isinstance(value, Node):
        return f"(:{value.label} {value.key or value.id})"
    if isinstance(value, Relationship):
        return f"[:{value.type}]"
    if isinstance(value, GraphPath):
        return f"path of {plural(len(value.relationships), 'relationship')}"
    if isinstance(value, bool | int | float | str):
        return str(value)
    return json.dumps(value, ensure_ascii=False, default=cell_text)


def view_from_result(result: QueryResult, *, title: str) -> GraphView:
    """The nodes and relationships of ``result`` as a view (scalar columns are left out and
    the page says so)."""
    found_nodes, found_rels = result.graph_elements()
    ids = {engine_id: _view_id(node) for engine_id, node in found_nodes.items()}
    nodes = [_node(node, ids[engine_id]) for engine_id, node in found_nodes.items()]
    notices = []
    ends = {rel.start for rel in found_rels.values()} | {rel.end for rel in found_rels.values()}
    missing = sorted(ends - set(found_nodes))
    for engine_id in missing:
        ids[engine_id] = f"?:{engine_id}"
        nodes.append(
            ViewNode(
                id=ids[engine_id],
                label="(not returned)",
                kind="not returned",
                facts=[("engine id", engine_id)],
                categories={COLOR_LABEL: "not returned"},
            )
        )
    if missing:
        notices.append(
            f"{plural(len(missing), 'relationship end')} were not in the result and are drawn as "
            "grey placeholders: return the nodes too (RETURN a, r, b) to see them."
        )
    edges = [_edge(rel, ids[rel.start], ids[rel.end]) for rel in found_rels.values()]
    # A network has no row order: drawn in key order, the same result gives the same page (and
    # layout, and budget cut) on both engines, whatever order each returned the rows in.
    nodes.sort(key=lambda node: node.id)
    edges.sort(key=lambda edge: (edge.source, edge.target, edge.kind, repr(edge.properties)))
    received: dict[str, float] = {}
    for edge in edges:
        if edge.kind == "AMPLIFIED":
            received[edge.target] = received.get(edge.target, 0.0) + edge.weight
    for node in nodes:
        node.metrics[SIZE_AMPLIFICATION] = received.get(node.id, 0.0)
    scalar_columns = [
        column
        for index, column in enumerate(result.columns)
        if not any(
            isinstance(row[index], Node | Relationship | GraphPath | list) for row in result.rows
        )
    ]
    if scalar_columns:
        notices.append(
            f"Columns {', '.join(scalar_columns)} hold no nodes or relationships and are not "
            "drawn; see them as a table or CSV."
        )
    return GraphView(
        title=title,
        nodes=nodes,
        edges=edges,
        color_choices=(COLOR_LABEL, COLOR_ROLE, COLOR_CLUSTER),
        size_notes=RESULT_SIZE_NOTES,
        edge_note="Arrow: relationship direction. Width: its count or weight, when it has one.",
        notices=notices,
        summary=[f"{plural(len(result.rows), 'row')}, columns {', '.join(result.columns)}"],
    )


def _view_id(node: Node) -> str:
    return f"{node.label}:{node.key}" if node.key is not None else f"{node.label}:#{node.id}"


def _node(node: Node, view_id: str) -> ViewNode:
    props = node.properties  # the set ones, in the model's order, on either engine
    facts = [(name, preview(str(value))) for name, value in props.items()]
    role = props.get("role")
    cluster = props.get("cluster")
    return ViewNode(
        id=view_id,
        label=_display(node),
        kind=node.label,
        facts=facts,
        categories={
            COLOR_LABEL: node.label,
            COLOR_ROLE: str(role) if role else "(no role)",
            COLOR_CLUSTER: NO_CLUSTER if cluster is None else f"cluster {cluster}",
        },
        properties=dict(props),
    )


def _display(node: Node) -> str:
    props = node.properties
    key = node.key or node.id
    if node.label == "Account":
        return account_label(key, props.get("screen_name"))
    if node.label == "Tweet":
        return preview(props.get("text"), 40) or key
    if node.label == "Hashtag":
        return "#" + str(props.get("spelling") or key)
    if node.label == "Indicator":
        return f"{props.get('type') or 'indicator'}: {preview(props.get('value'), 40)}"
    return preview(key, 50)


def _edge(rel: Relationship, source: str, target: str) -> ViewEdge:
    props = rel.properties
    weight = next((props[k] for k in _WEIGHT_KEYS if props.get(k) is not None), 1)
    try:
        value = float(weight)
    except (TypeError, ValueError):
        value = 1.0
    facts = [(name, preview(str(v))) for name, v in props.items()]
    return ViewEdge(source, target, rel.type, weight=value, facts=facts, properties=dict(props))
