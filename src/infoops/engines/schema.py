"""Each engine's DDL for the graph model (infoops/graph_model.py): Ladybug's node and
relationship tables, Neo4j's uniqueness constraints and secondary indexes."""

from __future__ import annotations

from infoops.graph_model import NODES, RELS, RelSpec

# Secondary indexes worth having on Neo4j (Ladybug indexes primary keys only).
NEO4J_INDEXES: tuple[tuple[str, str], ...] = (
    ("Account", "screen_name_lc"),
    ("Account", "in_disclosure"),
    ("Account", "cluster"),
    ("Tweet", "time_s"),
    ("Tweet", "userid"),
    ("Tweet", "in_disclosure"),
)


def ladybug_ddl() -> list[str]:
    """``CREATE ... TABLE IF NOT EXISTS`` statements, nodes before relationships."""
    statements = []
    for node in NODES:
        columns = ", ".join(f"{name} {kind}" for name, kind in node.properties)
        statements.append(
            f"CREATE NODE TABLE IF NOT EXISTS {node.label}({columns}, PRIMARY KEY ({node.key}))"
        )
    statements += [ladybug_rel_ddl(rel) for rel in RELS]
    return statements


def ladybug_rel_ddl(rel: RelSpec) -> str:
    parts = [f"FROM {src} TO {dst}" for src, dst in rel.endpoints]
    parts += [f"{name} {kind}" for name, kind in rel.properties]
    return f"CREATE REL TABLE IF NOT EXISTS {rel.type}({', '.join(parts)})"


def neo4j_ddl() -> list[str]:
    """Uniqueness constraints on every key (they also index it) plus the secondary indexes."""
    statements = [
        f"CREATE CONSTRAINT {node.label.lower()}_{node.key}_unique IF NOT EXISTS "
        f"FOR (n:{node.label}) REQUIRE n.{node.key} IS UNIQUE"
        for node in NODES
    ]
    statements += [
        f"CREATE INDEX {label.lower()}_{prop} IF NOT EXISTS FOR (n:{label}) ON (n.{prop})"
        for label, prop in NEO4J_INDEXES
    ]
    return statements
