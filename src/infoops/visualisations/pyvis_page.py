"""A view as one self-contained, offline HTML file: pyvis data, vis.js inlined, data escaped.

pyvis builds the vis-network node and edge objects and ships the vis-network bundle that gets
inlined. Its own page template is not used: it links Bootstrap from a CDN whatever
``cdn_resources`` says (pyvis #229), prints the heading and select-menu ids unescaped, and
``write_html`` writes in the system encoding. Nodes and edges are also not added with
``add_node``/``add_edge``, which check membership in a list (quadratic: minutes at 10k nodes);
ids are unique by construction here.

The page carries a Content-Security-Policy that allows only its own inline scripts (by hash)
and no network access at all: a page that tried to fetch anything, or an injected script or
``onerror`` handler, would be blocked by the browser as well.
"""

from __future__ import annotations

import datetime as dt
import math
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import pyvis
from markupsafe import Markup
from pyvis.edge import Edge as PyvisEdge
from pyvis.network import Network
from pyvis.node import Node as PyvisNode

import infoops
from infoops.errors import ViewError
from infoops.visualisations.escaping import csp_hash, finite, script_json
from infoops.visualisations.graph_data import (
    SIZE_AMPLIFICATION,
    SIZE_DEGREE,
    GraphView,
    compute_degrees,
    plural,
)
from infoops.visualisations.layout import PHYSICS_MAX_NODES, place_nodes
from infoops.visualisations.legend import Legend, colour_nodes
from infoops.visualisations.offline import strip_external_references
from infoops.visualisations.tooltip_text import TextNumbers

VIS_VERSION = "9.1.2"
FONT = "system-ui, -apple-system, Segoe UI, Noto Sans, Noto Sans CJK SC, sans-serif"
DEFAULT_COMMAND = "infoops Python API"
STAR_MIN_SHARE = 0.5  # a star (the seed) is drawn at least half-way up the size range
# (smallest, largest) in pixels; small views can afford bigger dots
NODE_PX, SMALL_VIEW_NODE_PX = (6.0, 36.0), (9.0, 36.0)
EDGE_PX = (1.0, 10.0)
SMALL_VIEW_MAX_NODES = PHYSICS_MAX_NODES
# Labels under dots and stars, drawn by the page script (assets/network.js) at a fixed size on
# screen: the largest nodes first, one label per LABEL_AREA_PX of visible canvas at most, none
# overlapping another. Zooming in spreads the nodes apart, so smaller nodes' labels come in.
LABEL_AREA_PX = 20_000  # about 40 labels on a 1,060 x 790 px canvas
ARROWS_MIN_SCALE = 0.4
LABEL_RULE: dict[str, Any] = {
    "areaPerLabel": LABEL_AREA_PX,
    "minLabels": 5,
    "minPx": 11,  # label font on screen: smallest node .. largest node
    "maxPx": 15,
    "gapPx": 3,
    "annotationPx": 13,
    "shapes": ["dot", "star"],  # shapes vis would label below the node; a box holds its text
    "face": FONT,
    # room left around the drawing when fitted: half a label at the sides, one below
    "fitMarginPx": {"side": 60, "top": 16, "bottom": 34},
    # a small or tight drawing is enlarged to fill the canvas, but no node to over 54 px
    "maxFitScale": 2.0,
    "maxFitNodePx": 54,
    # arrowheads only from this zoom on: below it they are about a pixel long on screen
    "arrowsMinScale": ARROWS_MIN_SCALE,
}
LABEL_NOTE = (
    "Labels: drawn for the largest nodes on screen, at most one per "
    f"{LABEL_AREA_PX // 1000:,}k px² of canvas and none over another; zoom in to see smaller "
    "nodes' labels, hover over or select a node to see its own. Arrowheads are drawn once "
    "zoomed in far enough to see them."
)
SIZE_NOTES = {
    SIZE_DEGREE: "accounts (or nodes) it is linked to in this view",
    SIZE_AMPLIFICATION: "retweets the account received, across the whole graph",
}


@cache
def _environment() -> jinja2.Environment:
    assets = resources.files("infoops.visualisations") / "assets"
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(assets)),
        autoescape=True,  # every {{ value }} is HTML-escaped unless it is Markup
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


@cache
def asset(name: str) -> str:
    return _html_newlines(
        (resources.files("infoops.visualisations") / "assets" / name).read_text("utf-8")
    )


@cache
def vis_bundle() -> tuple[str, str]:
    """(vis-network.min.js, vis-network.css) as shipped inside the pyvis package."""
    folder = Path(pyvis.__file__).parent / "templates" / "lib" / f"vis-{VIS_VERSION}"
    return (
        _html_newlines((folder / "vis-network.min.js").read_text("utf-8")),
        _html_newlines((folder / "vis-network.css").read_text("utf-8")),
    )


def _html_newlines(text: str) -> str:
    """Line breaks as the HTML parser will see them (it turns CR and CRLF into LF), so that the
    script hashes in the Content-Security-Policy match what the browser hashes."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def render_view_html(
    view: GraphView,
    *,
    color_by: str,
    size_by: str = SIZE_DEGREE,
    command: str | None = None,
    physics_max_nodes: int = PHYSICS_MAX_NODES,
) -> str:
    """The complete HTML page for ``view`` (layout computed, colours and sizes chosen)."""
    if color_by not in view.color_choices:
        choices = ", ".join(view.color_choices)
        raise ViewError(f"cannot colour this view by {color_by!r}; choose one of {choices}")
    size_notes = size_choices(view)
    if size_by not in size_notes:
        raise ViewError(f"cannot size nodes by {size_by!r}; choose one of {', '.join(size_notes)}")
    compute_degrees(view)
    physics = place_nodes(view, physics_max_nodes=physics_max_nodes)
    legend = colour_nodes(
        view.nodes,
        color_by,
        note=view.legend_notes.get(color_by, ""),
        order=view.colour_orders.get(color_by, ()),
    )
    if view.star_note and any(node.shape == "star" for node in view.nodes):
        legend.extra.append(view.star_note)
    network, details = build_network(view, legend, size_by=size_by)
    nodes, edges, *_ = network.get_network_data()
    nodes += [
        {
            "id": f"annotation:{i}",
            "label": note.text,
            "shape": "text",
            "x": note.x,
            "y": note.y,
            "fixed": True,
            "physics": False,
            "annotation": True,
            "font": {"size": 15, "color": "#57606a", "face": FONT},
        }
        for i, note in enumerate(view.annotations)
    ]
    large = len(view.nodes) > physics_max_nodes
    options = vis_options(physics=physics, directed=view.directed, large=large)
    if view.fixed_layout:  # positions carry meaning (a time axis): straight edges read better
        options["edges"]["smooth"] = False
    options["groups"] = network.options
    labels = LABEL_RULE | {"nodePx": node_pixels(view)}  # label font follows node size
    payload = {"nodes": nodes, "edges": edges, "options": options, "labels": labels}
    vis_js, vis_css = vis_bundle()
    page_js = asset("network.js")
    context = page_context(view.title, command, view.notices, scripts=(vis_js, page_js))
    context.update(
        subtitle=(
            f"{plural(len(view.nodes), 'node')}, {plural(len(view.edges), 'edge')}"
            + (f" — {view.summary[0]}" if view.summary else "")
        ),
        summary=view.summary[1:],
        legend=legend,
        size_title=size_by,
        size_note=size_notes[size_by] + " (node area grows with it)",
        edge_note=view.edge_note,
        layout_note=_layout_note(view, physics, physics_max_nodes),
        label_note=LABEL_NOTE,
        vis_css=Markup(vis_css),
        vis_js=Markup(vis_js),
        page_js=Markup(page_js),
        data_json=Markup(script_json(payload)),
        details_json=Markup(script_json(details)),
    )
    return finish(_environment().get_template("network.html.j2").render(context))


def size_choices(view: GraphView) -> dict[str, str]:
    """Size choice -> what it measures: the page's own (degree, amplification), in the view's
    words where it has them, then the view's own choices (a metric its nodes carry)."""
    return SIZE_NOTES | view.size_notes


def write_view_html(
    view: GraphView,
    path: str | Path,
    *,
    color_by: str,
    size_by: str = SIZE_DEGREE,
    command: str | None = None,
    physics_max_nodes: int = PHYSICS_MAX_NODES,
) -> Path:
    """Write ``view`` as a self-contained HTML page (UTF-8, whatever the system encoding)."""
    page = render_view_html(
        view,
        color_by=color_by,
        size_by=size_by,
        command=command,
        physics_max_nodes=physics_max_nodes,
    )
    return write_page(page, path)


def build_network(
    view: GraphView, legend: Legend, *, size_by: str
) -> tuple[Network, dict[str, Any]]:
    """The pyvis network of ``view`` and the tooltip details kept beside it (every text once,
    numbered: ``tooltip_text``).

    Node colours are vis groups (one per legend entry) and tooltip details stay out of the vis
    data sets: vis-network copies and parses every option of every item, so per-item colours,
    shapes, arrows and fact lists cost over a second at 10k nodes.
    """
    network = Network(height="100%", width="100%", directed=view.directed, cdn_resources="in_line")
    groups = {colour: f"g{i}" for i, colour in enumerate(dict.fromkeys(legend.colours.values()))}
    node_px = node_pixels(view)
    sizes = _scaled(
        {node.id: node.metrics.get(size_by, 0.0) for node in view.nodes},
        node_px,
        min_span=3.0,
        stars=view,
    )
    widths = _scaled(
        {str(i): edge.weight for i, edge in enumerate(view.edges)}, EDGE_PX, min_span=4.0
    )
    number = TextNumbers()
    node_details: dict[str, Any] = {}
    # vis draws nodes in data order: small ones first, so amplifiers do not hide their hub
    for node in sorted(view.nodes, key=lambda n: sizes[n.id]):
        size = sizes[node.id]
        options: dict[str, Any] = {"group": groups[legend.colours[node.id]], "size": size}
        if node.x is not None and node.y is not None:
            options["x"], options["y"] = finite(node.x), finite(node.y)
        if view.fixed_layout:
            options["physics"] = False
        if node.shape == "star":
            options["borderWidth"] = 3
        elif node.shape == "box":
            options["widthConstraint"] = {"maximum": 260}
            options["font"] = {"size": 14, "face": FONT, "align": "left"}
            # a box shows text: keep it readable when zoomed out
            options["scaling"] = {"label": {"drawThreshold": 3}}
        vis_node = PyvisNode(node.id, node.shape or "dot", label=node.label, **options).options
        if vis_node["shape"] == "dot":  # the default: no need to repeat it 10k times
            del vis_node["shape"]
        network.nodes.append(vis_node)
        network.node_ids.append(node.id)
        network.node_map[node.id] = vis_node
        node_details[node.id] = [
            number(f"{node.label} ({node.kind})"),
            number.facts(node.facts),
            [number(example) for example in node.examples],
        ]
    labels = {node.id: node.label for node in view.nodes}
    edge_details: dict[str, Any] = {}
    for index, edge in enumerate(view.edges):
        options = {"id": f"e{index}", "width": widths[str(index)]}
        if edge.label:
            options["label"] = edge.label
        vis_edge = PyvisEdge(edge.source, edge.target, view.directed, **options).options
        vis_edge.pop("arrows", None)  # set once for all edges in the options
        network.edges.append(vis_edge)
        caption = [number(labels[edge.source]), number(labels[edge.target]), number(edge.kind)]
        edge_details[f"e{index}"] = [caption, number.facts(edge.facts), []]
    network.options = vis_options_groups(groups)
    return network, {"text": number.texts, "nodes": node_details, "edges": edge_details}


def node_pixels(view: GraphView) -> tuple[float, float]:
    """(smallest, largest) node radius in pixels: small views can afford bigger dots."""
    return SMALL_VIEW_NODE_PX if len(view.nodes) <= SMALL_VIEW_MAX_NODES else NODE_PX


def _scaled(
    metrics: dict[str, float],
    pixels: tuple[float, float],
    *,
    min_span: float,
    stars: GraphView | None = None,
) -> dict[str, float]:
    """Metric -> pixels, by square root (area follows the metric: one hub with 1,000 retweets
    does not shrink everything else to a dot). ``min_span`` (in square-root units) keeps small
    differences small: with it, 1 and 2 retweets are not drawn as thinnest and thickest.
    Stars get at least the middle of the range.

    Sizes are computed here rather than by vis-network's ``value`` scaling, which costs about
    half a second per 10k items when the page loads.
    """
    roots = {key: math.sqrt(max(finite(value), 0.0)) for key, value in metrics.items()}
    low = min(roots.values(), default=0.0)
    span = max(max(roots.values(), default=0.0) - low, min_span)
    smallest, largest = pixels
    if low > 0 and max(roots.values()) == low:
        # All alike and more than nothing (four clusters of one size): the middle size, not
        # the smallest dot that a range of no width would give them.
        middle = round((smallest + largest) / 2, 1)
        scaled = dict.fromkeys(roots, middle)
    else:
        scaled = {
            key: round(smallest + (largest - smallest) * (root - low) / span, 1)
            for key, root in roots.items()
        }
    if stars is not None:
        floor = smallest + STAR_MIN_SHARE * (largest - smallest)
        for node in stars.nodes:
            if node.shape == "star":
                scaled[node.id] = max(scaled[node.id], floor)
    return scaled


def vis_options_groups(groups: dict[str, str]) -> dict[str, Any]:
    """vis ``groups``: one per colour, with a darker border and a highlight."""
    return {
        name: {
            "color": {
                "background": colour,
                "border": _darker(colour),
                "highlight": {"background": colour, "border": "#1f2328"},
                "hover": {"background": colour, "border": "#1f2328"},
            }
        }
        for colour, name in groups.items()
    }


def _darker(colour: str, factor: float = 0.7) -> str:
    value = colour.lstrip("#")
    red, green, blue = (int(value[i : i + 2], 16) for i in (0, 2, 4))
    return f"#{int(red * factor):02x}{int(green * factor):02x}{int(blue * factor):02x}"


def vis_options(*, physics: bool, directed: bool, large: bool) -> dict[str, Any]:
    """vis-network options: no physics and straight edges for big views (drawing speed)."""
    return {
        "autoResize": True,
        "nodes": {
            "shape": "dot",
            "borderWidth": 1,
            "font": {
                "size": 11 if large else 14,
                "face": FONT,
                "strokeWidth": 3,
                "strokeColor": "#ffffff",
            },
            # labels smaller than this on screen are not drawn (an overview stays readable)
            "scaling": {"label": {"drawThreshold": 9 if large else 8}},
        },
        "edges": {
            "color": {
                "color": "#8c959f",
                "highlight": "#1f2328",
                "hover": "#1f2328",
                "opacity": 0.6,
            },
            "smooth": False if large else {"enabled": True, "type": "continuous", "roundness": 0.3},
            # arrowheads are drawn over the nodes: small ones keep crowded hubs visible
            "arrows": {"to": {"enabled": directed, "scaleFactor": 0.3 if large else 0.5}},
            "font": {"size": 11, "face": FONT, "align": "top", "color": "#57606a"},
            "selectionWidth": 2,
        },
        "physics": {
            "enabled": physics,
            "solver": "barnesHut",
            "barnesHut": {
                "gravitationalConstant": -6000,
                "springLength": 110,
                "springConstant": 0.03,
                "damping": 0.4,
                "avoidOverlap": 0.2,
            },
            "stabilization": {"enabled": physics, "iterations": 200, "fit": True},
        },
        "layout": {"improvedLayout": False},
        "interaction": {
            "hover": True,
            "tooltipDelay": 100,
            "hideEdgesOnDrag": large,
            "hideEdgesOnZoom": large,
            "multiselect": True,
        },
    }


def write_page(page: str, path: str | Path) -> Path:
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(page, encoding="utf-8", newline="\n")
    return target


def finish(page: str) -> str:
    """Last pass over a rendered page: no external resource may survive it."""
    cleaned, _removed = strip_external_references(page)
    return cleaned


def render_template(name: str, context: dict[str, Any]) -> str:
    return finish(_environment().get_template(name).render(context))


def page_context(
    title: str, command: str | None, notices: list[str], *, scripts: tuple[str, ...] = ()
) -> dict[str, Any]:
    """What every infoops page shows at the top, plus a Content-Security-Policy that allows
    exactly ``scripts`` (inline, by hash) and nothing from the network."""
    for script in scripts:
        if "</script" in script.lower():  # would end the inline script early
            raise ValueError("an inline script contains '</script'")
    script_src = " ".join(csp_hash(script) for script in scripts) or "'none'"
    csp = (
        f"default-src 'none'; script-src {script_src}; style-src 'unsafe-inline'; "
        "img-src data:; font-src data:; base-uri 'none'; form-action 'none'"
    )
    generator = (
        f"infoops {infoops.__version__}, pyvis {pyvis.__version__}, vis-network {VIS_VERSION}"
    )
    return {
        "title": title,
        "subtitle": "",
        "command": command or DEFAULT_COMMAND,
        "generated": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "generator": generator,
        "notices": notices,
        "page_css": Markup(asset("page.css")),
        "csp": csp,
    }


def _layout_note(view: GraphView, physics: bool, physics_max_nodes: int) -> str:
    if view.fixed_layout:
        return view.layout_note or "Layout: positions computed by infoops."
    if view.layout_groups:
        return (
            f"Layout: each {view.layout_groups} laid out on its own with igraph "
            f"(Fruchterman-Reingold), then the {view.layout_groups} blocks placed apart, each "
            "block's area following its number of nodes; physics is off so that the blocks stay "
            "apart (drag nodes to rearrange)."
        )
    if physics:
        return (
            "Layout: igraph Fruchterman-Reingold, then settled by vis physics; drag nodes to "
            "rearrange."
        )
    return (
        f"Layout: precomputed with igraph (Fruchterman-Reingold); physics is off because the "
        f"view has more than {physics_max_nodes:,} nodes."
    )
