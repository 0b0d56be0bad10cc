"""Node positions computed with igraph, so big pages need no physics in the browser.

vis.js physics freezes a page at about 2k nodes. Every view gets a Fruchterman-Reingold layout
(igraph switches to its grid variant above 1,000 nodes: 10k nodes take under a second) scaled to
pixel coordinates; small views keep physics on, starting from those positions, so they can still
be dragged around and settle; above ``PHYSICS_MAX_NODES`` physics is off and the positions stay.
"""

from __future__ import annotations

import math
import random
import statistics

import igraph as ig

from infoops.visualisations.graph_data import GraphView

PHYSICS_MAX_NODES = 300
EDGE_LENGTH_PX = 110.0  # median drawn edge length after scaling
_SEED = 20200611  # same view, same picture


def place_nodes(view: GraphView, *, physics_max_nodes: int = PHYSICS_MAX_NODES) -> bool:
    """Give every node ``x``/``y`` (unless the view placed them itself); True = keep physics."""
    if view.fixed_layout:
        return False
    count = len(view.nodes)
    if count == 0:
        return False
    index = {node.id: i for i, node in enumerate(view.nodes)}
    pairs = [(index[e.source], index[e.target]) for e in view.edges if e.source != e.target]
    graph = ig.Graph(n=count, edges=pairs, directed=False)
    weights = [1.0 + math.log1p(max(e.weight, 0.0)) for e in view.edges if e.source != e.target]
    rng = random.Random(_SEED)
    # igraph's own start area: squeezed into a unit square, its grid variant (used above 1,000
    # nodes) puts every node in one cell and turns quadratic (20 s instead of 0.4 s at 5k).
    spread = math.sqrt(count) / 2
    start = [[rng.uniform(-spread, spread), rng.uniform(-spread, spread)] for _ in range(count)]
    ig.set_random_number_generator(rng)  # FR draws random numbers too: same view, same picture
    try:
        coords = graph.layout_fruchterman_reingold(seed=start, weights=weights or None).coords
    finally:
        ig.set_random_number_generator(random)
    scale = _scale(coords, pairs, count)
    cx = statistics.fmean(x for x, _ in coords)
    cy = statistics.fmean(y for _, y in coords)
    for node, (x, y) in zip(view.nodes, coords, strict=True):
        node.x = round((x - cx) * scale, 1)
        node.y = round((y - cy) * scale, 1)
    return count <= physics_max_nodes


def _scale(coords: list[list[float]], pairs: list[tuple[int, int]], count: int) -> float:
    lengths = [math.dist(coords[a], coords[b]) for a, b in pairs if coords[a] != coords[b]]
    if lengths:
        return EDGE_LENGTH_PX / max(statistics.median(lengths), 1e-9)
    width = max(x for x, _ in coords) - min(x for x, _ in coords)
    height = max(y for _, y in coords) - min(y for _, y in coords)
    return EDGE_LENGTH_PX * math.sqrt(count) / max(width, height, 1e-9)
