"""Views and query results as files for Gephi and spreadsheets: GEXF, GraphML, CSV.

GEXF and GraphML are written with ``xml.etree`` (escaping is the serializer's job); characters
XML 1.0 cannot hold at all (most control characters, which do occur in tweet texts) are
dropped first, or the files would not parse. Node attributes are the colour categories, the
size metrics and the model properties, typed per column (a column with mixed types is a string).

CSV files follow Gephi's spreadsheet import (``Id``/``Label``, ``Source``/``Target``/``Type``/
``Weight``) and are written by ``infoops.csv_writer``: text cells a spreadsheet would run as a
formula get a leading apostrophe (the data is hostile, and investigators open CSV files in
Excel), unless ``raw``.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import infoops
from infoops.csv_writer import write_csv_file
from infoops.engines.results import QueryResult
from infoops.errors import ViewError
from infoops.visualisations.graph_data import GraphView, ViewEdge, ViewNode, compute_degrees
from infoops.visualisations.legend import colour_nodes
from infoops.visualisations.options import ExportFormat
from infoops.visualisations.result_view import cell_text, view_from_result

GEXF_NS = "http://www.gexf.net/1.2draft"
GEXF_VIZ_NS = "http://www.gexf.net/1.2draft/viz"
GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
_XML_ILLEGAL = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# Names the formats use for their own fields; a property of that name gets a "_property" suffix.
_NODE_RESERVED = {"id", "label", "kind"}
_EDGE_RESERVED = {"id", "source", "target", "weight", "kind"}


def export_view(
    view: GraphView, fmt: ExportFormat | str, out: str | Path, *, raw: bool = False
) -> list[Path]:
    """Write ``view`` as ``fmt``: a file for GEXF/GraphML, a folder (nodes.csv, edges.csv) for
    CSV (``raw``: text cells as they are, formulas included). Returns the paths written."""
    fmt = _format(fmt)
    compute_degrees(view)
    if fmt is ExportFormat.gexf:
        return [write_gexf(view, out)]
    if fmt is ExportFormat.graphml:
        return [write_graphml(view, out)]
    return write_csv(view, out, raw=raw)


def export_result(
    result: QueryResult, fmt: ExportFormat | str, out: str | Path, *, raw: bool = False
) -> list[Path]:
    """Write a query result: its graph (nodes, relationships, paths) in any format, or its
    rows as ``rows.csv`` when it holds no graph values (CSV only)."""
    fmt = _format(fmt)
    if result.has_graph():
        return export_view(view_from_result(result, title="query result"), fmt, out, raw=raw)
    if fmt is not ExportFormat.csv:
        raise ViewError(
            f"the result holds no nodes or relationships, so there is no graph to write as "
            f"{fmt.value}; return nodes and relationships (RETURN a, r, b) or export it as csv"
        )
    path = Path(out) / "rows.csv"
    return [write_csv_file(path, result.columns, result.rows, raw=raw, text_of=cell_text)]


# -- GEXF ---------------------------------------------------------------------------------


def write_gexf(view: GraphView, path: str | Path) -> Path:
    ET.register_namespace("", GEXF_NS)
    ET.register_namespace("viz", GEXF_VIZ_NS)
    root = ET.Element(f"{{{GEXF_NS}}}gexf", {"version": "1.2"})
    meta = ET.SubElement(
        root, f"{{{GEXF_NS}}}meta", {"lastmodifieddate": dt.date.today().isoformat()}
    )
    ET.SubElement(meta, f"{{{GEXF_NS}}}creator").text = f"infoops {infoops.__version__}"
    ET.SubElement(meta, f"{{{GEXF_NS}}}description").text = xml_text(view.title)
    graph = ET.SubElement(
        root,
        f"{{{GEXF_NS}}}graph",
        {"mode": "static", "defaultedgetype": "directed" if view.directed else "undirected"},
    )
    node_columns = _columns(_node_attributes(node) for node in view.nodes)
    edge_columns = _columns(_edge_attributes(edge) for edge in view.edges)
    for cls, columns in (("node", node_columns), ("edge", edge_columns)):
        block = ET.SubElement(graph, f"{{{GEXF_NS}}}attributes", {"class": cls})
        for index, (name, kind) in enumerate(columns.items()):
            ET.SubElement(
                block,
                f"{{{GEXF_NS}}}attribute",
                {"id": str(index), "title": name, "type": _GEXF_TYPES[kind]},
            )
    choice = view.color_choices[0] if view.nodes else ""
    order = view.colour_orders.get(choice, ())  # a cluster keeps its page colour in Gephi
    colours = colour_nodes(view.nodes, choice, order=order).colours if view.nodes else {}
    nodes = ET.SubElement(graph, f"{{{GEXF_NS}}}nodes")
    for node in view.nodes:
        element = ET.SubElement(
            nodes, f"{{{GEXF_NS}}}node", {"id": xml_text(node.id), "label": xml_text(node.label)}
        )
        _gexf_values(element, _node_attributes(node), node_columns)
        red, green, blue = _rgb(colours[node.id])
        ET.SubElement(
            element, f"{{{GEXF_VIZ_NS}}}color", {"r": str(red), "g": str(green), "b": str(blue)}
        )
        size = 4.0 + 2.0 * node.metrics.get("degree", 0.0) ** 0.5
        ET.SubElement(element, f"{{{GEXF_VIZ_NS}}}size", {"value": f"{size:.2f}"})
        if node.x is not None and node.y is not None:
            ET.SubElement(
                element,
                f"{{{GEXF_VIZ_NS}}}position",
                {"x": f"{node.x:g}", "y": f"{-node.y:g}", "z": "0"},  # GEXF's y points up
            )
    edges = ET.SubElement(graph, f"{{{GEXF_NS}}}edges")
    for index, edge in enumerate(view.edges):
        element = ET.SubElement(
            edges,
            f"{{{GEXF_NS}}}edge",
            {
                "id": str(index),
                "source": xml_text(edge.source),
                "target": xml_text(edge.target),
                "weight": f"{edge.weight:g}",
                "label": xml_text(edge.kind),
            },
        )
        _gexf_values(element, _edge_attributes(edge), edge_columns)
    return _write_xml(root, path)


def _gexf_values(element: ET.Element, values: dict[str, Any], columns: dict[str, str]) -> None:
    block = ET.SubElement(element, f"{{{GEXF_NS}}}attvalues")
    for index, name in enumerate(columns):
        value = values.get(name)
        if value is not None:
            ET.SubElement(
                block,
                f"{{{GEXF_NS}}}attvalue",
                {"for": str(index), "value": _xml_value(value, columns[name])},
            )


# -- GraphML ------------------------------------------------------------------------------


def write_graphml(view: GraphView, path: str | Path) -> Path:
    ET.register_namespace("", GRAPHML_NS)
    root = ET.Element(f"{{{GRAPHML_NS}}}graphml")
    node_columns = _columns(_node_attributes(node) for node in view.nodes)
    edge_columns = _columns(_edge_attributes(edge) for edge in view.edges)
    node_keys = {name: f"node_{index}" for index, name in enumerate(node_columns)}
    edge_keys = {name: f"edge_{index}" for index, name in enumerate(edge_columns)}
    declared = [("node", "label", "label", "string"), ("edge", "weight", "weight", "double")]
    declared += [("node", node_keys[n], n, _GRAPHML_TYPES[k]) for n, k in node_columns.items()]
    declared += [("edge", edge_keys[n], n, _GRAPHML_TYPES[k]) for n, k in edge_columns.items()]
    for target, key, name, kind in declared:
        ET.SubElement(
            root,
            f"{{{GRAPHML_NS}}}key",
            {"id": key, "for": target, "attr.name": name, "attr.type": kind},
        )
    graph = ET.SubElement(
        root,
        f"{{{GRAPHML_NS}}}graph",
        {"id": "G", "edgedefault": "directed" if view.directed else "undirected"},
    )
    for node in view.nodes:
        element = ET.SubElement(graph, f"{{{GRAPHML_NS}}}node", {"id": xml_text(node.id)})
        _graphml_data(element, "label", node.label, "string")
        for name, value in _node_attributes(node).items():
            if value is not None:
                _graphml_data(element, node_keys[name], value, node_columns[name])
    for index, edge in enumerate(view.edges):
        element = ET.SubElement(
            graph,
            f"{{{GRAPHML_NS}}}edge",
            {"id": f"e{index}", "source": xml_text(edge.source), "target": xml_text(edge.target)},
        )
        _graphml_data(element, "weight", edge.weight, "double")
        for name, value in _edge_attributes(edge).items():
            if value is not None:
                _graphml_data(element, edge_keys[name], value, edge_columns[name])
    return _write_xml(root, path)


def _graphml_data(element: ET.Element, key: str, value: Any, kind: str) -> None:
    data = ET.SubElement(element, f"{{{GRAPHML_NS}}}data", {"key": key})
    data.text = _xml_value(value, kind)


# -- CSV ----------------------------------------------------------------------------------


def write_csv(view: GraphView, folder: str | Path, *, raw: bool = False) -> list[Path]:
    """``nodes.csv`` and ``edges.csv`` in ``folder``, in Gephi's spreadsheet-import layout."""
    out = Path(folder)
    if out.suffix.lower() == ".csv":
        raise ViewError(f"CSV export writes nodes.csv and edges.csv into a folder; got {out}")
    node_columns = _columns(_node_attributes(node) for node in view.nodes)
    edge_columns = _columns(_edge_attributes(edge) for edge in view.edges)
    kind = "Directed" if view.directed else "Undirected"
    nodes = (
        [node.id, node.label, *_cells(_node_attributes(node), node_columns)] for node in view.nodes
    )
    edges = (
        [
            edge.source,
            edge.target,
            kind,
            _number(edge.weight),
            *_cells(_edge_attributes(edge), edge_columns),
        ]
        for edge in view.edges
    )
    nodes_header = ["Id", "Label", *node_columns]
    edges_header = ["Source", "Target", "Type", "Weight", *edge_columns]
    return [
        write_csv_file(out / "nodes.csv", nodes_header, nodes, raw=raw, text_of=cell_text),
        write_csv_file(out / "edges.csv", edges_header, edges, raw=raw, text_of=cell_text),
    ]


def _cells(values: dict[str, Any], columns: dict[str, str]) -> list[Any]:
    return [values.get(name) for name in columns]


def _number(value: float) -> int | float:
    """A weight as Gephi reads it best: 3, not 3.0."""
    return int(value) if float(value).is_integer() else value


# -- shared -------------------------------------------------------------------------------

_GEXF_TYPES = {"bool": "boolean", "int": "long", "float": "double", "str": "string"}
_GRAPHML_TYPES = {"bool": "boolean", "int": "long", "float": "double", "str": "string"}


def xml_text(value: Any) -> str:
    """Text without the characters XML 1.0 cannot represent (escaping is ElementTree's job)."""
    return _XML_ILLEGAL.sub("", "" if value is None else str(value))


def _xml_value(value: Any, kind: str) -> str:
    if kind == "bool":
        return "true" if value else "false"
    if kind in ("int", "float") and isinstance(value, bool | int | float):
        return f"{value:g}" if kind == "float" else str(int(value))
    return xml_text(cell_text(value))


def _node_attributes(node: ViewNode) -> dict[str, Any]:
    """Kind, model properties (role and disclosures included) and the size metrics."""
    values: dict[str, Any] = {"kind": node.kind}
    for name, value in node.properties.items():
        values.setdefault(f"{name}_property" if name in _NODE_RESERVED else name, value)
    for name, metric in node.metrics.items():
        values.setdefault(name, metric)
    return values


def _edge_attributes(edge: ViewEdge) -> dict[str, Any]:
    values: dict[str, Any] = {"kind": edge.kind}
    for name, value in edge.properties.items():
        values.setdefault(f"{name}_property" if name in _EDGE_RESERVED else name, value)
    return values


def _columns(rows: Iterable[dict[str, Any]]) -> dict[str, str]:
    """Column name -> type ("bool", "int", "float", "str"), in first-seen order."""
    kinds: dict[str, str] = {}
    for row in rows:
        for name, value in row.items():
            if value is None:
                kinds.setdefault(name, "")
                continue
            kind = _kind(value)
            seen = kinds.get(name, "")
            if not seen:
                kinds[name] = kind
            elif seen != kind:
                kinds[name] = "float" if {seen, kind} == {"int", "float"} else "str"
    return {name: kind or "str" for name, kind in kinds.items()}


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    return "str"


def _rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _write_xml(root: ET.Element, path: str | Path) -> Path:
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    ET.indent(root)
    ET.ElementTree(root).write(target, encoding="utf-8", xml_declaration=True)
    return target


def _format(fmt: ExportFormat | str) -> ExportFormat:
    try:
        return ExportFormat(fmt)
    except ValueError:
        raise ViewError(f"export format must be gexf, graphml or csv, got {fmt!r}") from None
