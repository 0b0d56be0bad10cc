"""Cypher that the engines build at run time, per label or relationship type, in one place.

Both engines read through ``lookup_cypher`` / ``existing_keys_cypher``; the Neo4j engine writes
through the ``UNWIND $rows`` statements. Exact-string tests pin every builder
(tests/unit/test_engine_cypher.py), and the Cypher linter sees them as the tests send them.
"""

from __future__ import annotations

from collections.abc import Sequence

from infoops.graph_model import NODE_KEYS, NODE_SPECS, REL_SPECS


def lookup_cypher(label: str, props: Sequence[str]) -> str:
    """Which of ``$keys`` exist as ``label`` nodes, with some of their properties."""
    key = NODE_SPECS[label].key
    columns = "".join(f", n.{p}" for p in props)
    return f"UNWIND $keys AS k MATCH (n:{label} {{{key}: k}}) RETURN n.{key}{columns}"


def existing_keys_cypher(label: str) -> str:
    key = NODE_SPECS[label].key
    return f"UNWIND $keys AS k MATCH (n:{label} {{{key}: k}}) RETURN n.{key} AS k"


def insert_nodes_cypher(label: str) -> str:
    return f"UNWIND $rows AS r CREATE (n:{label}) SET n = r"


def insert_rels_cypher(rel_type: str, src_label: str, dst_label: str) -> str:
    """Rows ``{src, dst, <the type's properties>}``. The properties are named in the pattern,
    not set from a map: ``SET x = r.props`` made Neo4j's planner put an Eager before it (a
    possible read/set conflict with the key lookups), materialising every row of the batch."""
    names = REL_SPECS[rel_type].property_names
    props = " {" + ", ".join(f"{p}: r.{p}" for p in names) + "}" if names else ""
    return (
        f"UNWIND $rows AS r "
        f"MATCH (a:{src_label} {{{NODE_KEYS[src_label]}: r.src}}) "
        f"MATCH (b:{dst_label} {{{NODE_KEYS[dst_label]}: r.dst}}) "
        f"CREATE (a)-[:{rel_type}{props}]->(b)"
    )


def update_rels_cypher(rel_type: str, src_label: str, dst_label: str) -> str:
    """Rows ``{src, dst, <the type's properties>}`` set on the existing relationship between
    the two keyed nodes (derived edges whose counts a load adds to)."""
    names = REL_SPECS[rel_type].property_names
    if not names:
        raise ValueError(f"{rel_type} has no properties to update")
    assignments = ", ".join(f"e.{p} = r.{p}" for p in names)
    return (
        f"UNWIND $rows AS r "
        f"MATCH (a:{src_label} {{{NODE_KEYS[src_label]}: r.src}})"
        f"-[e:{rel_type}]->(b:{dst_label} {{{NODE_KEYS[dst_label]}: r.dst}}) "
        f"SET {assignments}"
    )


def update_nodes_cypher(label: str) -> str:
    key = NODE_KEYS[label]
    return f"UNWIND $rows AS r MATCH (n:{label} {{{key}: r.{key}}}) SET n += r"


def count_nodes_cypher(label: str) -> str:
    return f"MATCH (n:{label}) RETURN count(n)"


def count_rels_cypher(
    rel_type: str, src_label: str | None = None, dst_label: str | None = None
) -> str:
    """Every ``rel_type`` relationship (Neo4j answers from its counts store), or those of one
    endpoint pair of a relationship group."""
    if src_label is None or dst_label is None:
        return f"MATCH ()-[r:{rel_type}]->() RETURN count(r)"
    return f"MATCH (:{src_label})-[r:{rel_type}]->(:{dst_label}) RETURN count(r)"


def delete_rels_cypher(rel_type: str) -> str:
    return f"MATCH ()-[r:{rel_type}]->() DELETE r"


def delete_rels_batch_cypher(rel_type: str) -> str:
    """One batch of ``rel_type`` relationships deleted; repeated until it deletes nothing."""
    return f"MATCH ()-[r:{rel_type}]->() WITH r LIMIT $batch DELETE r RETURN count(*)"


# Batches of ``delete_everything``, each repeated until it deletes nothing: relationships first,
# so that a node batch never drags a hub's hundred thousand relationships into one transaction.
DELETE_RELS_BATCH = "MATCH ()-[r]->() WITH r LIMIT $batch DELETE r RETURN count(*)"
DELETE_NODES_BATCH = "MATCH (n) WITH n LIMIT $batch DETACH DELETE n RETURN count(*)"
