"""Engine-neutral result values.

Both engines return rows made of plain Python values plus these three graph types, so queries,
visualisations and exports never see a Ladybug ``_ID`` dict or a ``neo4j.graph.Node``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Node:
    """A node: ``id`` is engine-internal (stable within one result), ``key`` the model's id."""

    id: str
    label: str
    properties: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def key(self) -> str | None:
        from infoops.graph_model import NODE_KEYS

        key_name = NODE_KEYS.get(self.label)
        value = self.properties.get(key_name) if key_name else None
        return None if value is None else str(value)


@dataclass(frozen=True)
class Relationship:
    id: str
    type: str
    start: str  # Node.id of the start node
    end: str
    properties: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Path:
    nodes: tuple[Node, ...]
    relationships: tuple[Relationship, ...]


GraphValue = Node | Relationship | Path


def model_properties(values: dict[str, Any], schema_order: list[str]) -> dict[str, Any]:
    """A graph value's properties as both engines return them: the set ones only, in the model's
    order, any others after by name.

    Left to themselves the engines differ: Ladybug returns every column of the table (unset ones
    as null) in schema order, Neo4j only the properties a node has, in its own order. Tooltips,
    export columns and JSON output must not depend on which one answered.
    """
    rank = {name: index for index, name in enumerate(schema_order)}
    names = sorted(
        (name for name, value in values.items() if value is not None),
        key=lambda name: (rank.get(name, len(rank)), name),
    )
    return {name: values[name] for name in names}


@dataclass
class QueryResult:
    columns: list[str]
    rows: list[list[Any]]

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[list[Any]]:
        return iter(self.rows)

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def scalar(self) -> Any:
        """The single value of a one-row, one-column result (``None`` when empty)."""
        return self.rows[0][0] if self.rows and self.rows[0] else None

    def column(self, name: str) -> list[Any]:
        index = self.columns.index(name)
        return [row[index] for row in self.rows]

    def has_graph(self) -> bool:
        return any(_contains_graph(value) for row in self.rows for value in row)

    def graph_elements(self) -> tuple[dict[str, Node], dict[str, Relationship]]:
        """Every node and relationship in the result, de-duplicated by engine id."""
        nodes: dict[str, Node] = {}
        rels: dict[str, Relationship] = {}
        for row in self.rows:
            for value in row:
                _collect(value, nodes, rels)
        return nodes, rels


def _contains_graph(value: Any) -> bool:
    if isinstance(value, Node | Relationship | Path):
        return True
    if isinstance(value, list | tuple):
        return any(_contains_graph(item) for item in value)
    return False


def _collect(value: Any, nodes: dict[str, Node], rels: dict[str, Relationship]) -> None:
    if isinstance(value, Node):
        nodes[value.id] = value
    elif isinstance(value, Relationship):
        rels[value.id] = value
    elif isinstance(value, Path):
        for node in value.nodes:
            nodes[node.id] = node
        for rel in value.relationships:
            rels[rel.id] = rel
    elif isinstance(value, list | tuple):
        for item in value:
            _collect(item, nodes, rels)
