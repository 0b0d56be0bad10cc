"""Node positions computed with igraph, so big pages need no physics in the browser.

vis.js physics freezes a page at about 2k nodes. Every view gets a Fruchterman-Reingold layout
(igraph switches to its grid variant above 1,000 nodes: 10k nodes take under a second) scaled to
pixel coordinates; small views keep physics on, starting from those positions, so they can still
be dragged around and settle; above ``PHYSICS_MAX_NODES`` physics is off and the positions stay.

A view with ``layout_groups`` (clusters) is laid out one group at a time instead, each group a
disc sized by its number of nodes, the discs packed apart; physics stays off so they stay apart.
"""

from __future__ import annotations

import math
import random
import statistics
from collections import defaultdict

import igraph as ig

from infoops.visualisations.graph_data import GraphView

PHYSICS_MAX_NODES = 300
EDGE_LENGTH_PX = 110.0  # median drawn edge length after scaling
BLOCK_SPACING_PX = 40.0  # a block's area is this squared per node
# empty space between blocks: a share of the largest block's radius, and at least a few node
# spacings (small blocks next to each other still read as two)
BLOCK_GAP, BLOCK_MIN_GAP_PX = 0.15, 3 * BLOCK_SPACING_PX
HUB_WEIGHT = 0.05  # pull of a block's hidden hub, against 1 + log(1 + retweets) per edge
DISC_QUANTILE = 0.97  # nodes beyond this share of distances from the hub sit on the rim
PACK_ANGLES = 36  # places tried around each placed block for the next one
_SEED = 20200611  # same view, same picture


def place_nodes(view: GraphView, *, physics_max_nodes: int = PHYSICS_MAX_NODES) -> bool:
    """Give every node ``x``/``y`` (unless the view placed them itself); True = keep physics."""
    if view.fixed_layout:
        return False
    count = len(view.nodes)
    if count == 0:
        return False
    if view.layout_groups:
        _place_in_blocks(view, view.layout_groups)
        return False  # physics would pull the blocks back into one another
    index = {node.id: i for i, node in enumerate(view.nodes)}
    pairs, weights = _edges(view, index)
    coords = _fruchterman_reingold(count, pairs, weights)
    scale = _scale(coords, pairs, count)
    cx = statistics.fmean(x for x, _ in coords)
    cy = statistics.fmean(y for _, y in coords)
    for node, (x, y) in zip(view.nodes, coords, strict=True):
        node.x = round((x - cx) * scale, 1)
        node.y = round((y - cy) * scale, 1)
    return count <= physics_max_nodes


def _edges(view: GraphView, index: dict[str, int]) -> tuple[list[tuple[int, int]], list[float]]:
    """Edges between the nodes of ``index`` (by position), no self-loops, with layout weights."""
    pairs, weights = [], []
    for edge in view.edges:
        if edge.source != edge.target and edge.source in index and edge.target in index:
            pairs.append((index[edge.source], index[edge.target]))
            weights.append(1.0 + math.log1p(max(edge.weight, 0.0)))
    return pairs, weights


def _fruchterman_reingold(
    count: int, pairs: list[tuple[int, int]], weights: list[float]
) -> list[list[float]]:
    graph = ig.Graph(n=count, edges=pairs, directed=False)
    rng = random.Random(_SEED)
    # igraph's own start area: squeezed into a unit square, its grid variant (used above 1,000
    # nodes) puts every node in one cell and turns quadratic (20 s instead of 0.4 s at 5k).
    spread = math.sqrt(count) / 2
    start = [[rng.uniform(-spread, spread), rng.uniform(-spread, spread)] for _ in range(count)]
    ig.set_random_number_generator(rng)  # FR draws random numbers too: same view, same picture
    try:
        coords: list[list[float]] = graph.layout_fruchterman_reingold(
            seed=start, weights=weights or None
        ).coords
    finally:
        ig.set_random_number_generator(random)
    return coords


# --- one block per group ---------------------------------------------------------------------


def _place_in_blocks(view: GraphView, choice: str) -> None:
    """Lay out each group (the nodes sharing ``categories[choice]``) on its own, as a disc whose
    area follows its number of nodes, then pack the discs apart: on a big graph one layout of
    everything draws a single mixed blob, and the groups are what the reader looks for.

    Within a block, a hidden hub tied weakly to every node keeps the nodes without an edge in
    the block (many, once a budget drops edges) inside the disc instead of scattered around it.
    Blocks are placed largest first, each touching one already placed, as close as it can get
    to the blocks it shares the most edges with.
    """
    groups: dict[str, list[int]] = defaultdict(list)
    for i, node in enumerate(view.nodes):
        groups[node.categories.get(choice, "")].append(i)
    position = {node.id: i for i, node in enumerate(view.nodes)}
    group_of = [""] * len(view.nodes)
    for name, members in groups.items():
        for i in members:
            group_of[i] = name
    between: dict[tuple[str, str], float] = defaultdict(float)
    for edge in view.edges:
        a, b = group_of[position[edge.source]], group_of[position[edge.target]]
        if a != b:
            between[(min(a, b), max(a, b))] += 1.0 + math.log1p(max(edge.weight, 0.0))
    discs = {name: _disc(view, members) for name, members in groups.items()}
    radii = {
        name: BLOCK_SPACING_PX * math.sqrt(len(members) / math.pi)
        for name, members in groups.items()
    }
    centres = _pack(radii, between)
    for name, members in groups.items():
        cx, cy = centres[name]
        for i, (x, y) in zip(members, discs[name], strict=True):
            view.nodes[i].x = round(cx + x * radii[name], 1)
            view.nodes[i].y = round(cy + y * radii[name], 1)


def _disc(view: GraphView, members: list[int]) -> list[tuple[float, float]]:
    """Positions of ``members`` in the unit disc, from a layout of their own subgraph."""
    if len(members) == 1:
        return [(0.0, 0.0)]
    index = {view.nodes[i].id: k for k, i in enumerate(members)}
    pairs, weights = _edges(view, index)
    hub = len(members)
    pairs += [(k, hub) for k in range(hub)]
    weights += [HUB_WEIGHT] * hub
    coords = _fruchterman_reingold(hub + 1, pairs, weights)
    hx, hy = coords[hub]
    distances = sorted(math.dist(point, (hx, hy)) for point in coords[:hub])
    # a few stragglers do not shrink everyone else: they are pulled onto the rim
    reach = max(distances[int(DISC_QUANTILE * (hub - 1))], 1e-9)
    disc = []
    for x, y in coords[:hub]:
        dx, dy = (x - hx) / reach, (y - hy) / reach
        length = math.hypot(dx, dy)
        if length > 1.0:
            dx, dy = dx / length, dy / length
        disc.append((dx, dy))
    return disc


def _pack(
    radii: dict[str, float], between: dict[tuple[str, str], float]
) -> dict[str, tuple[float, float]]:
    """Centres for discs of ``radii``, with at least the block gap between any two."""
    gap = max(BLOCK_GAP * max(radii.values()), BLOCK_MIN_GAP_PX)
    order = sorted(radii, key=lambda name: (-radii[name], name))
    centres: dict[str, tuple[float, float]] = {order[0]: (0.0, 0.0)}
    angles = [2 * math.pi * step / PACK_ANGLES for step in range(PACK_ANGLES)]
    for name in order[1:]:
        radius = radii[name]
        ties: dict[str, float] = {}
        for (a, b), weight in between.items():
            other = b if a == name else a if b == name else None
            if other is not None and other in centres:
                ties[other] = weight
        target = _target(centres, radii, ties)
        best: tuple[float, float] | None = None
        best_distance = math.inf
        for other, (ox, oy) in centres.items():
            reach = radii[other] + radius + gap
            for angle in angles:
                x, y = ox + reach * math.cos(angle), oy + reach * math.sin(angle)
                if any(
                    math.dist((x, y), centre) < radii[placed] + radius + gap - 1e-6
                    for placed, centre in centres.items()
                ):
                    continue
                distance = math.dist((x, y), target)
                if distance < best_distance:
                    best, best_distance = (x, y), distance
        if best is None:  # every place tried was taken: to the right of everything
            right = max(x + radii[placed] for placed, (x, _) in centres.items())
            best = (right + gap + radius, 0.0)
        centres[name] = best
    return centres


def _target(
    centres: dict[str, tuple[float, float]],
    radii: dict[str, float],
    ties: dict[str, float],
) -> tuple[float, float]:
    """Where a block would best sit: among the blocks it shares edges with (weighted), or in
    the middle of those already placed (by area) when it shares none."""
    weights = ties or {name: radii[name] ** 2 for name in centres}
    total = sum(weights.values())
    return (
        sum(centres[name][0] * w for name, w in weights.items()) / total,
        sum(centres[name][1] * w for name, w in weights.items()) / total,
    )


def _scale(coords: list[list[float]], pairs: list[tuple[int, int]], count: int) -> float:
    lengths = [math.dist(coords[a], coords[b]) for a, b in pairs if coords[a] != coords[b]]
    if lengths:
        return EDGE_LENGTH_PX / max(statistics.median(lengths), 1e-9)
    width = max(x for x, _ in coords) - min(x for x, _ in coords)
    height = max(y for _, y in coords) - min(y for _, y in coords)
    return EDGE_LENGTH_PX * math.sqrt(count) / max(width, height, 1e-9)
