"""The engine-neutral view model: what a page or an export shows, built from Cypher results.

A ``GraphView`` holds nodes and edges with everything a page needs (labels, tooltip facts,
categories for every colour choice, metrics for every size choice) and everything an export
needs (the raw model properties). Pages, exports and the node budget all work on this one shape,
whichever engine the data came from.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

# Colour choices every account view offers; query results add "label" (the node's label).
COLOR_ROLE, COLOR_CLUSTER, COLOR_DISCLOSURE, COLOR_LABEL = "role", "cluster", "disclosure", "label"
SIZE_DEGREE, SIZE_AMPLIFICATION = "degree", "amplification"


class ColorBy(StrEnum):
    role = COLOR_ROLE
    cluster = COLOR_CLUSTER
    disclosure = COLOR_DISCLOSURE


class SizeBy(StrEnum):
    degree = SIZE_DEGREE
    amplification = SIZE_AMPLIFICATION


TWEET_CATEGORY = "the tweet"  # colour category of the tweet node in a cascade
TEXT_PREVIEW = 160  # characters of a tweet or profile text shown in a tooltip


@dataclass
class ViewNode:
    """One node of a view. ``id`` is the model key (userid, tweetid) or ``Label:key``."""

    id: str
    label: str
    kind: str  # the model label: Account, Tweet, Hashtag, ...
    facts: list[tuple[str, str]] = field(default_factory=list)  # tooltip lines, in order
    examples: list[str] = field(default_factory=list)  # example tweets for the tooltip
    categories: dict[str, str] = field(default_factory=dict)  # colour choice -> category
    metrics: dict[str, float] = field(default_factory=dict)  # size choice -> value
    properties: dict[str, Any] = field(default_factory=dict)  # raw model properties (exports)
    shape: str | None = None  # vis shape override, e.g. "star" for a seed
    x: float | None = None
    y: float | None = None


@dataclass
class ViewEdge:
    source: str
    target: str
    kind: str  # AMPLIFIED, RETWEETED, POSTED, or the relationship type of a query result
    weight: float = 1.0  # edge width; retweet count for amplification edges
    facts: list[tuple[str, str]] = field(default_factory=list)
    properties: dict[str, Any] = field(default_factory=dict)
    label: str | None = None  # drawn on the edge (short: a delay, a count)


@dataclass(frozen=True)
class Annotation:
    """Text placed on the canvas (an axis tick); drawn by pages, never exported."""

    text: str
    x: float
    y: float


@dataclass
class GraphView:
    """A graph ready to draw or export.

    ``notices`` are shown prominently in the page (truncation, placeholders); ``summary`` lines
    are key figures; ``legend_notes`` explain a colour choice (e.g. how roles were derived).
    ``size_notes`` explain the size choices: the page's own (degree, amplification) in this
    view's words, or size choices of the view's own (a metric every node carries).
    ``colour_orders`` give a colour choice's categories in the order they take the palette (the
    same category, the same colour in every view that gives the same order).
    ``fixed_layout`` means the builder placed every node itself (``x``/``y``) and the page must
    not move them; ``layout_groups`` names a colour choice whose categories the layout keeps
    apart (each one its own block).
    """

    title: str
    nodes: list[ViewNode]
    edges: list[ViewEdge]
    directed: bool = True
    color_choices: tuple[str, ...] = (COLOR_ROLE, COLOR_CLUSTER, COLOR_DISCLOSURE)
    size_notes: dict[str, str] = field(default_factory=dict)
    colour_orders: dict[str, tuple[str, ...]] = field(default_factory=dict)
    edge_note: str = ""
    legend_notes: dict[str, str] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)
    annotations: list[Annotation] = field(default_factory=list)
    pinned: frozenset[str] = frozenset()  # node ids a budget must keep (the seed)
    fixed_layout: bool = False
    layout_note: str = ""  # how a fixed layout reads (e.g. "x = time since the tweet")
    layout_groups: str = ""  # colour choice whose categories are laid out as separate blocks
    star_note: str = ""  # what a star-shaped node is, for the legend

    def __post_init__(self) -> None:
        ids = [node.id for node in self.nodes]
        if len(set(ids)) != len(ids):
            duplicates = [key for key, n in Counter(ids).items() if n > 1][:5]
            raise ValueError(f"duplicate node ids in view: {duplicates}")
        known = set(ids)
        missing = {e.source for e in self.edges} | {e.target for e in self.edges}
        missing -= known
        if missing:
            raise ValueError(f"edges refer to nodes not in the view: {sorted(missing)[:5]}")

    @property
    def node_ids(self) -> set[str]:
        return {node.id for node in self.nodes}

    def node(self, node_id: str) -> ViewNode:
        for node in self.nodes:
            if node.id == node_id:
                return node
        raise KeyError(node_id)

    def with_graph(self, nodes: list[ViewNode], edges: list[ViewEdge]) -> GraphView:
        """A copy holding other nodes and edges (same title, notes and choices)."""
        return replace(self, nodes=nodes, edges=edges, notices=list(self.notices))


def compute_degrees(view: GraphView) -> None:
    """Set ``metrics['degree']``: distinct neighbours of each node within the view."""
    neighbours: dict[str, set[str]] = {node.id: set() for node in view.nodes}
    for edge in view.edges:
        if edge.source != edge.target:
            neighbours[edge.source].add(edge.target)
            neighbours[edge.target].add(edge.source)
    for node in view.nodes:
        node.metrics[SIZE_DEGREE] = float(len(neighbours[node.id]))


def preview(text: str | None, limit: int = TEXT_PREVIEW) -> str:
    """Text shortened for a tooltip, line breaks kept as spaces; ``''`` for missing text."""
    if not text:
        return ""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count:,} {word}"


def account_label(userid: str, screen_name: str | None) -> str:
    """``@screen_name`` when known; hashed accounts carry the hash as their screen name."""
    if screen_name and screen_name != userid:
        return f"@{screen_name}"
    return short_id(userid)


def short_id(value: str, keep: int = 10) -> str:
    """Long ids (base64 hashes) shortened for a canvas label; the tooltip has the full id."""
    return value if len(value) <= keep + 2 else value[:keep] + "…"
