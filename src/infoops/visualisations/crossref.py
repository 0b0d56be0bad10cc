"""The crossref page: an overlap summary and a graph of what the disclosures share.

Each disclosure is a star; each shared thing (an account, a screen name, a hashtag, a URL, a
domain, a retweeted tweet or account, a pair of near-identical texts, an indicator) is a node
coloured by its kind, linked to every disclosure that holds it, the link as wide as its uses
there. The summary lines count the shared things per kind; the notices say what was not
compared (hashed ids) and what the page leaves out when a kind shares more than it draws. Drawn
with the same page as every view (pyvis_page): data escaped, offline, Content-Security-Policy.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

from infoops.visualisations.graph_data import (
    GraphView,
    ViewEdge,
    ViewNode,
    plural,
    preview,
    short_id,
)
from infoops.visualisations.pyvis_page import write_view_html

if TYPE_CHECKING:
    from infoops.analysis.crossref import CrossrefReport, SharedItem

COLOR_KIND = "kind"
DISCLOSURE_CATEGORY = "disclosure"
DEFAULT_ITEMS_PER_KIND = 150  # shared things drawn per kind (the most used first)
LABEL_CHARS = 32
CIRCLE_PX, CELL_PX = 700.0, 70.0
LAYOUT_NOTE = (
    "Layout: the disclosures (stars) evenly around a circle; each shared thing in a block "
    "between the disclosures that hold it, in rows by kind. Drag nodes to rearrange."
)
KIND_NOTE = "each shared thing is coloured by its kind; stars are the disclosures"


def _label(kind: str, item: SharedItem) -> str:
    if kind == "hashtags":
        return "#" + item.key
    if kind == "screen_names":
        if item.detail.get("match") == "renamed":
            names = [p.detail.get("screen_name") or "?" for p in item.presence.values()]
            return " → ".join(f"@{name}" for name in names)
        return "@" + item.key
    if kind == "accounts":
        names = [p.detail.get("screen_name") for p in item.presence.values()]
        named = next((name for name in names if name), None)
        return f"@{named}" if named else short_id(item.key)
    if kind in ("retweeted_tweets", "retweeted_accounts"):
        return short_id(item.key, 14)
    if kind == "text":
        return f"{item.detail.get('similarity', '')} “{preview(item.key, LABEL_CHARS)}”"
    return preview(item.key, LABEL_CHARS)


def _item_facts(kind: str, item: SharedItem) -> list[tuple[str, str]]:
    facts = [("kind", kind), ("key", preview(item.key, 300))]
    facts += [(name, str(value)) for name, value in item.detail.items()]
    for disclosure, presence in item.presence.items():
        when = f"{presence.first} .. {presence.last}" if presence.first else "no tweets"
        facts.append(
            (
                disclosure,
                f"{plural(presence.uses, 'use')}, {plural(presence.accounts, 'account')}; {when}",
            )
        )
        for name, value in presence.detail.items():
            text = " ".join(map(str, value)) if isinstance(value, list) else str(value)
            facts.append((f"{disclosure} {name}", preview(text, 200)))
    return facts


def crossref_view(
    report: CrossrefReport, *, items_per_kind: int = DEFAULT_ITEMS_PER_KIND
) -> GraphView:
    """The report as a graph: disclosures as stars, shared things around them."""
    nodes = [
        ViewNode(
            f"disclosure:{disclosure}",
            disclosure,
            "Disclosure",
            facts=[("disclosure", disclosure)],
            categories={COLOR_KIND: DISCLOSURE_CATEGORY},
            shape="star",
        )
        for disclosure in report.disclosures
    ]
    edges: list[ViewEdge] = []
    notices = list(report.notes)
    for result in report.kinds:
        for note in result.notes:
            notices.append(f"{result.kind}: {note}")
        drawn = result.items[:items_per_kind]
        if len(result.items) > len(drawn):
            notices.append(
                f"{result.kind}: {len(drawn):,} of {len(result.items):,} shared things drawn "
                "(the most used); the CSV and JSON outputs have them all"
            )
        for n, item in enumerate(drawn):
            node_id = f"{result.kind}:{n}"
            nodes.append(
                ViewNode(
                    node_id,
                    _label(result.kind, item),
                    result.kind,
                    facts=_item_facts(result.kind, item),
                    categories={COLOR_KIND: result.kind},
                    properties={"key": item.key},
                )
            )
            for disclosure, presence in item.presence.items():
                edges.append(
                    ViewEdge(
                        f"disclosure:{disclosure}",
                        node_id,
                        "SHARES",
                        weight=float(max(presence.uses, 1)),
                        facts=[("uses", str(presence.uses)), ("accounts", str(presence.accounts))],
                    )
                )
    _place(nodes, report.disclosures, edges)
    counts = ", ".join(f"{r.kind.replace('_', ' ')} {len(r.items):,}" for r in report.kinds)
    summary = [f"shared: {counts}"]
    summary += [f"{r.title}: {len(r.items):,}" for r in report.kinds]
    return GraphView(
        title="Cross-reference: " + " · ".join(report.disclosures),
        nodes=nodes,
        edges=edges,
        directed=False,
        color_choices=(COLOR_KIND,),
        colour_orders={COLOR_KIND: (DISCLOSURE_CATEGORY, *(r.kind for r in report.kinds))},
        edge_note="a link: the disclosure uses the shared thing (width: its uses there)",
        legend_notes={COLOR_KIND: KIND_NOTE},
        notices=notices,
        summary=summary,
        star_note="star: a disclosure",
        fixed_layout=True,
        layout_note=LAYOUT_NOTE,
    )


def _place(nodes: list[ViewNode], disclosures: list[str], edges: list[ViewEdge]) -> None:
    """Disclosures evenly on a circle (two: left and right); each shared thing in a block
    at the centre of the disclosures holding it, the block's rows in kind order."""
    count = len(disclosures)
    at = {}
    for i, disclosure in enumerate(disclosures):
        angle = math.pi + 2 * math.pi * i / count
        at[f"disclosure:{disclosure}"] = (CIRCLE_PX * math.cos(angle), CIRCLE_PX * math.sin(angle))
    holders: dict[str, list[str]] = {}
    for edge in edges:
        holders.setdefault(edge.target, []).append(edge.source)
    blocks: dict[tuple[str, ...], list[ViewNode]] = {}
    for node in nodes:
        if node.id in at:
            node.x, node.y = at[node.id]
        else:
            blocks.setdefault(tuple(sorted(holders.get(node.id, []))), []).append(node)
    for holding, members in blocks.items():
        centre_x = sum(at[h][0] for h in holding) / max(len(holding), 1)
        centre_y = sum(at[h][1] for h in holding) / max(len(holding), 1)
        columns = max(1, math.ceil(math.sqrt(len(members) * 1.5)))
        rows = math.ceil(len(members) / columns)
        for n, node in enumerate(members):
            row, column = divmod(n, columns)
            node.x = centre_x + (column - (columns - 1) / 2) * CELL_PX
            node.y = centre_y + (row - (rows - 1) / 2) * CELL_PX


def write_crossref_html(
    report: CrossrefReport,
    path: str | Path,
    *,
    command: str | None = None,
    items_per_kind: int = DEFAULT_ITEMS_PER_KIND,
) -> Path:
    """Write the crossref page (self-contained, offline) and return its path."""
    view = crossref_view(report, items_per_kind=items_per_kind)
    return write_view_html(view, path, color_by=COLOR_KIND, command=command)
