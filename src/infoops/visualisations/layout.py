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
import numpy as np

from infoops.visualisations.graph_data import GraphView

PHYSICS_MAX_NODES = 300
EDGE_LENGTH_PX = 110.0  # median drawn edge length after scaling
# a block's area is this squared per node: big views draw small dots and few labels, small
# ones every label (as far apart as the median edge of an ungrouped layout)
BLOCK_SPACING_PX, SMALL_BLOCK_SPACING_PX = 40.0, EDGE_LENGTH_PX
# empty space between blocks: a share of the largest block's radius, and at least a few node
# spacings (small blocks next to each other still read as two)
BLOCK_GAP, BLOCK_MIN_GAP_SPACINGS = 0.15, 3.0
HUB_WEIGHT = 0.05  # pull of a block's hidden hub, against 1 + log(1 + retweets) per edge
DISC_QUANTILE = 0.97  # nodes beyond this share of distances from the middle sit on the rim
PACK_ANGLES = 36  # places tried around each placed block for the next one
PACK_AROUND = 24  # placed blocks (nearest the next one's target) tried around
_SEED = 20200611  # same view, same picture


def place_nodes(view: GraphView, *, physics_max_nodes: int = PHYSICS_MAX_NODES) -> bool:
    """Give every node ``x``/``y`` (unless the view placed them itself); True = keep physics."""
    if view.fixed_layout:
        return False
    count = len(view.nodes)
    if count == 0:
        return False
    if view.layout_groups:
        spacing = SMALL_BLOCK_SPACING_PX if count <= physics_max_nodes else BLOCK_SPACING_PX
        _place_in_blocks(view, view.layout_groups, spacing)
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


def _place_in_blocks(view: GraphView, choice: str, spacing: float) -> None:
    """Lay out each group (the nodes sharing ``categories[choice]``) on its own, as a disc whose
    area follows its number of nodes (``spacing`` squared each), then pack the discs apart: on
    a big graph one layout of everything draws a single mixed blob, and the groups are what
    the reader looks for.

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
    radii = {name: spacing * math.sqrt(len(members) / math.pi) for name, members in groups.items()}
    centres = _pack(radii, between, min_gap=BLOCK_MIN_GAP_SPACINGS * spacing)
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
    # the middle of the members, not the hub: FR may leave the hub off-centre
    mx = statistics.fmean(x for x, _ in coords[:hub])
    my = statistics.fmean(y for _, y in coords[:hub])
    distances = sorted(math.dist(point, (mx, my)) for point in coords[:hub])
    # a few stragglers do not shrink everyone else: they are pulled onto the rim
    reach = max(distances[int(DISC_QUANTILE * (hub - 1))], 1e-9)
    disc = []
    for x, y in coords[:hub]:
        dx, dy = (x - mx) / reach, (y - my) / reach
        length = math.hypot(dx, dy)
        if length > 1.0:
            dx, dy = dx / length, dy / length
        disc.append((dx, dy))
    return disc


def _pack(
    radii: dict[str, float], between: dict[tuple[str, str], float], *, min_gap: float
) -> dict[str, tuple[float, float]]:
    """Centres for discs of ``radii``, with at least the block gap between any two.

    Places tried for the next disc: ``PACK_ANGLES`` around each of the ``PACK_AROUND`` placed
    discs nearest its target, each checked against every placed disc at once (numpy): a few
    hundred clusters take well under a second.
    """
    gap = max(BLOCK_GAP * max(radii.values()), min_gap)
    order = sorted(radii, key=lambda name: (-radii[name], name))
    slot = {name: i for i, name in enumerate(order)}
    ties: dict[int, dict[int, float]] = defaultdict(dict)
    for (a, b), weight in between.items():
        ties[slot[a]][slot[b]] = ties[slot[b]][slot[a]] = weight
    angles = np.linspace(0.0, 2 * math.pi, PACK_ANGLES, endpoint=False)
    around = np.column_stack([np.cos(angles), np.sin(angles)])
    size = np.array([radii[name] for name in order])
    centre = np.zeros((len(order), 2))
    for i in range(1, len(order)):
        placed, placed_size = centre[:i], size[:i]
        # among the blocks it shares edges with (weighted), else amid all placed (by area)
        near = {j: w for j, w in ties[i].items() if j < i}
        weights = np.zeros(i)
        if near:
            weights[list(near)] = list(near.values())
        else:
            weights = placed_size**2
        target = weights @ placed / weights.sum()
        reach = np.hypot(*(placed - target).T) - placed_size
        hosts = np.argsort(reach, kind="stable")[:PACK_AROUND]
        tried = placed[hosts, None, :] + (placed_size[hosts, None, None] + size[i] + gap) * around
        tried = tried.reshape(-1, 2)
        # only the blocks that could overlap a place tried: those near the target
        farthest = np.hypot(*(tried - target).T).max()
        local = reach <= farthest + size[i] + gap
        others, others_size = placed[local], placed_size[local]
        apart = np.hypot(
            tried[:, None, 0] - others[None, :, 0], tried[:, None, 1] - others[None, :, 1]
        )
        free = (apart >= others_size + size[i] + gap - 1e-6).all(axis=1)
        if free.any():
            candidates = tried[free]
            centre[i] = candidates[np.argmin(np.hypot(*(candidates - target).T))]
        else:  # every place tried was taken: to the right of everything
            centre[i] = ((placed[:, 0] + placed_size).max() + gap + size[i], 0.0)
    return {name: (float(centre[i, 0]), float(centre[i, 1])) for name, i in slot.items()}


def _scale(coords: list[list[float]], pairs: list[tuple[int, int]], count: int) -> float:
    lengths = [math.dist(coords[a], coords[b]) for a, b in pairs if coords[a] != coords[b]]
    if lengths:
        return EDGE_LENGTH_PX / max(statistics.median(lengths), 1e-9)
    width = max(x for x, _ in coords) - min(x for x, _ in coords)
    height = max(y for _, y in coords) - min(y for _, y in coords)
    return EDGE_LENGTH_PX * math.sqrt(count) / max(width, height, 1e-9)
