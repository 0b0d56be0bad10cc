"""The Cypher the engines build at run time (engines/cypher.py), pinned by exact string.

A change here changes what every load sends to Neo4j (and, for the look-ups, to Ladybug): it
must be deliberate. tests/unit/test_cypher_lint.py lints the output of every builder for every
label and relationship type; this file says what that output is.
"""

from __future__ import annotations

import pytest

from infoops.engines.cypher import (
    count_nodes_cypher,
    count_rels_cypher,
    delete_rels_cypher,
    existing_keys_cypher,
    insert_nodes_cypher,
    insert_rels_cypher,
    lookup_cypher,
    update_nodes_cypher,
    update_rels_cypher,
)


@pytest.mark.parametrize(
    ("label", "props", "expected"),
    [
        (
            "Account",
            ["in_disclosure"],
            "UNWIND $keys AS k MATCH (n:Account {userid: k}) RETURN n.userid, n.in_disclosure",
        ),
        (
            "Tweet",
            ["in_disclosure", "userid"],
            "UNWIND $keys AS k MATCH (n:Tweet {tweetid: k}) "
            "RETURN n.tweetid, n.in_disclosure, n.userid",
        ),
        ("Hashtag", [], "UNWIND $keys AS k MATCH (n:Hashtag {tag: k}) RETURN n.tag"),
        ("Domain", (), "UNWIND $keys AS k MATCH (n:Domain {name: k}) RETURN n.name"),
    ],
)
def test_lookup_cypher(label: str, props: list[str], expected: str) -> None:
    assert lookup_cypher(label, props) == expected


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Disclosure", "UNWIND $keys AS k MATCH (n:Disclosure {id: k}) RETURN n.id AS k"),
        ("Account", "UNWIND $keys AS k MATCH (n:Account {userid: k}) RETURN n.userid AS k"),
        ("Url", "UNWIND $keys AS k MATCH (n:Url {url: k}) RETURN n.url AS k"),
    ],
)
def test_existing_keys_cypher(label: str, expected: str) -> None:
    assert existing_keys_cypher(label) == expected


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Disclosure", "UNWIND $rows AS r CREATE (n:Disclosure) SET n = r"),
        ("Tweet", "UNWIND $rows AS r CREATE (n:Tweet) SET n = r"),
        ("Indicator", "UNWIND $rows AS r CREATE (n:Indicator) SET n = r"),
    ],
)
def test_insert_nodes_cypher(label: str, expected: str) -> None:
    assert insert_nodes_cypher(label) == expected


@pytest.mark.parametrize(
    ("rel_type", "src", "dst", "expected"),
    [
        (
            "POSTED",
            "Account",
            "Tweet",
            "UNWIND $rows AS r MATCH (a:Account {userid: r.src}) "
            "MATCH (b:Tweet {tweetid: r.dst}) CREATE (a)-[:POSTED]->(b)",
        ),
        (
            "IN_DISCLOSURE",
            "Indicator",
            "Disclosure",
            "UNWIND $rows AS r MATCH (a:Indicator {id: r.src}) "
            "MATCH (b:Disclosure {id: r.dst}) "
            "CREATE (a)-[:IN_DISCLOSURE {screen_name: r.screen_name}]->(b)",
        ),
        (
            "ON_DOMAIN",
            "Url",
            "Domain",
            "UNWIND $rows AS r MATCH (a:Url {url: r.src}) "
            "MATCH (b:Domain {name: r.dst}) CREATE (a)-[:ON_DOMAIN]->(b)",
        ),
        (
            "AMPLIFIED",
            "Account",
            "Account",
            "UNWIND $rows AS r MATCH (a:Account {userid: r.src}) "
            "MATCH (b:Account {userid: r.dst}) CREATE (a)-[:AMPLIFIED {count: r.count, "
            "first: r.first, last: r.last, first_s: r.first_s, last_s: r.last_s}]->(b)",
        ),
    ],
)
def test_insert_rels_cypher(rel_type: str, src: str, dst: str, expected: str) -> None:
    assert insert_rels_cypher(rel_type, src, dst) == expected


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Account", "UNWIND $rows AS r MATCH (n:Account {userid: r.userid}) SET n += r"),
        ("Tweet", "UNWIND $rows AS r MATCH (n:Tweet {tweetid: r.tweetid}) SET n += r"),
        ("Hashtag", "UNWIND $rows AS r MATCH (n:Hashtag {tag: r.tag}) SET n += r"),
    ],
)
def test_update_nodes_cypher(label: str, expected: str) -> None:
    assert update_nodes_cypher(label) == expected


@pytest.mark.parametrize(
    ("rel_type", "expected"),
    [
        (
            "AMPLIFIED",
            "UNWIND $rows AS r MATCH (a:Account {userid: r.src})-[e:AMPLIFIED]->"
            "(b:Account {userid: r.dst}) SET e.count = r.count, e.first = r.first, "
            "e.last = r.last, e.first_s = r.first_s, e.last_s = r.last_s",
        ),
        (
            "MENTIONED",
            "UNWIND $rows AS r MATCH (a:Account {userid: r.src})-[e:MENTIONED]->"
            "(b:Account {userid: r.dst}) SET e.count = r.count, e.first = r.first, "
            "e.last = r.last, e.first_s = r.first_s, e.last_s = r.last_s",
        ),
    ],
)
def test_update_rels_cypher(rel_type: str, expected: str) -> None:
    """A load adds its counts to the derived edges a disclosure already holds."""
    assert update_rels_cypher(rel_type, "Account", "Account") == expected


def test_update_rels_cypher_refuses_a_type_without_properties() -> None:
    with pytest.raises(ValueError, match="POSTED has no properties"):
        update_rels_cypher("POSTED", "Account", "Tweet")


@pytest.mark.parametrize(
    ("rel_type", "expected"),
    [
        ("AMPLIFIED", "MATCH ()-[r:AMPLIFIED]->() DELETE r"),
        ("MENTIONED", "MATCH ()-[r:MENTIONED]->() DELETE r"),
        ("COORDINATED_WITH", "MATCH ()-[r:COORDINATED_WITH]->() DELETE r"),
    ],
)
def test_delete_rels_cypher(rel_type: str, expected: str) -> None:
    assert delete_rels_cypher(rel_type) == expected


def test_an_unknown_label_is_refused_where_a_key_is_needed() -> None:
    """Builders that need the label's key fail loudly on a label the model does not have."""
    for build in (existing_keys_cypher, update_nodes_cypher):
        with pytest.raises(KeyError):
            build("Acount")
    with pytest.raises(KeyError):
        lookup_cypher("Acount", [])
    with pytest.raises(KeyError):
        insert_rels_cypher("POSTED", "Acount", "Tweet")


def test_count_builders() -> None:
    assert count_nodes_cypher("Tweet") == "MATCH (n:Tweet) RETURN count(n)"
    assert count_rels_cypher("TAGGED") == "MATCH ()-[r:TAGGED]->() RETURN count(r)"
    assert (
        count_rels_cypher("IN_DISCLOSURE", "Tweet", "Disclosure")
        == "MATCH (:Tweet)-[r:IN_DISCLOSURE]->(:Disclosure) RETURN count(r)"
    )
