"""The statements a removal sends, built per label or relationship type in one place. Each
works on a batch of keys (``$keys``), so that no transaction holds more than a batch."""

from __future__ import annotations

from infoops.graph_model import NODE_KEYS, NODE_SPECS, REL_SPECS

# The labels a disclosure releases (the sources of IN_DISCLOSURE).
RELEASED_LABELS = tuple(src for src, _ in REL_SPECS["IN_DISCLOSURE"].endpoints)
UNFINISHED_LOADS = "MATCH (d:Disclosure) WHERE d.load_stage IS NOT NULL RETURN d.id ORDER BY d.id"
DELETE_DISCLOSURE = "MATCH (d:Disclosure {id: $id}) DETACH DELETE d"
# The retweets of an account's tweets, whose ``RT @name:`` prefix names the account when only
# they refer to it.
RETWEETS_OF_ACCOUNTS = (
    "UNWIND $keys AS k MATCH (a:Account {userid: k})-[:POSTED]->(:Tweet)<-[:RETWEET_OF]-"
    "(t:Tweet) RETURN a.userid AS userid, t.tweetid AS tweetid, t.text AS text"
)
COORDINATION_EDGES = "MATCH ()-[r:COORDINATED_WITH]->() RETURN count(r)"
CLUSTERED_ACCOUNTS = (
    "MATCH (a:Account) WHERE a.cluster IS NOT NULL OR a.kcore IS NOT NULL OR a.role IS NOT NULL "
    "RETURN a.userid AS userid"
)


def _released(label: str) -> str:
    if label not in RELEASED_LABELS:
        raise ValueError(f"{label} nodes are not released by a disclosure")
    return NODE_KEYS[label]


def _pair(rel_type: str, src_label: str, dst_label: str) -> tuple[str, str]:
    if (src_label, dst_label) not in REL_SPECS[rel_type].endpoints:
        raise ValueError(f"{rel_type} does not go from {src_label} to {dst_label}")
    return NODE_KEYS[src_label], NODE_KEYS[dst_label]


def members_cypher(label: str) -> str:
    """The ``label`` nodes disclosure ``$id`` releases."""
    key = _released(label)
    return f"MATCH (n:{label})-[:IN_DISCLOSURE]->(d:Disclosure {{id: $id}}) RETURN n.{key} AS k"


def shared_members_cypher(label: str) -> str:
    """The ``label`` nodes disclosure ``$id`` releases that another disclosure releases too."""
    key = _released(label)
    return (
        f"MATCH (o:Disclosure)<-[:IN_DISCLOSURE]-(n:{label})-[:IN_DISCLOSURE]->"
        f"(d:Disclosure {{id: $id}}) WHERE o.id <> $id RETURN DISTINCT n.{key} AS k"
    )


def unlink_cypher(label: str) -> str:
    """The IN_DISCLOSURE edges of the ``label`` nodes keyed ``$keys`` to disclosure ``$id``."""
    key = _released(label)
    return (
        f"UNWIND $keys AS k MATCH (n:{label} {{{key}: k}})-[r:IN_DISCLOSURE]->"
        "(d:Disclosure {id: $id}) DELETE r"
    )


def ends_cypher(rel_type: str, src_label: str, dst_label: str, incoming: bool = False) -> str:
    """The other end of the ``rel_type`` edges of the nodes keyed ``$keys``: the nodes they
    point at (``incoming`` false: the keys are sources), or point from (the keys are ends)."""
    src_key, dst_key = _pair(rel_type, src_label, dst_label)
    if incoming:
        return (
            f"UNWIND $keys AS k MATCH (m:{src_label})-[:{rel_type}]->(n:{dst_label} "
            f"{{{dst_key}: k}}) RETURN DISTINCT m.{src_key} AS k"
        )
    return (
        f"UNWIND $keys AS k MATCH (n:{src_label} {{{src_key}: k}})-[:{rel_type}]->"
        f"(m:{dst_label}) RETURN DISTINCT m.{dst_key} AS k"
    )


def having_cypher(rel_type: str, src_label: str, dst_label: str, incoming: bool = False) -> str:
    """Which of the nodes keyed ``$keys`` have a ``rel_type`` edge: going out (they are its
    sources) or, ``incoming``, coming in (they are its ends)."""
    src_key, dst_key = _pair(rel_type, src_label, dst_label)
    if incoming:
        return (
            f"UNWIND $keys AS k MATCH (:{src_label})-[:{rel_type}]->(n:{dst_label} "
            f"{{{dst_key}: k}}) RETURN DISTINCT n.{dst_key} AS k"
        )
    return (
        f"UNWIND $keys AS k MATCH (n:{src_label} {{{src_key}: k}})-[:{rel_type}]->"
        f"(:{dst_label}) RETURN DISTINCT n.{src_key} AS k"
    )


def delete_edges_cypher(
    rel_type: str, src_label: str, dst_label: str, incoming: bool = False
) -> str:
    """The ``rel_type`` edges going out of the nodes keyed ``$keys`` deleted (``incoming``:
    those coming in)."""
    src_key, dst_key = _pair(rel_type, src_label, dst_label)
    if incoming:
        return (
            f"UNWIND $keys AS k MATCH (:{src_label})-[r:{rel_type}]->(n:{dst_label} "
            f"{{{dst_key}: k}}) DELETE r"
        )
    return (
        f"UNWIND $keys AS k MATCH (n:{src_label} {{{src_key}: k}})-[r:{rel_type}]->"
        f"(:{dst_label}) DELETE r"
    )


def delete_nodes_cypher(label: str, placeholders_only: bool = False) -> str:
    """The ``label`` nodes keyed ``$keys`` deleted with their edges; ``placeholders_only``:
    only those no disclosure releases (``in_disclosure`` false)."""
    key = NODE_KEYS[label]
    guard = ""
    if placeholders_only:
        if "in_disclosure" not in NODE_SPECS[label].property_names:
            raise ValueError(f"{label} nodes have no placeholders")
        guard = " WHERE n.in_disclosure = false"
    return f"UNWIND $keys AS k MATCH (n:{label} {{{key}: k}}){guard} DETACH DELETE n"


def statements() -> list[tuple[str, str]]:
    """The fixed statements of this module, for the Cypher linter (tests collect them)."""
    return [
        ("removal:unfinished-loads", UNFINISHED_LOADS),
        ("removal:delete-disclosure", DELETE_DISCLOSURE),
        ("removal:retweets-of-accounts", RETWEETS_OF_ACCOUNTS),
        ("removal:coordination-edges", COORDINATION_EDGES),
        ("removal:clustered-accounts", CLUSTERED_ACCOUNTS),
    ]
