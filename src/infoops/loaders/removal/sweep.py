"""Nodes that nothing keeps any more, deleted: what a load creates for a disclosure's rows
besides the rows themselves (placeholder tweets and accounts, hashtags, URLs, domains) goes
when the last row that used it goes, exactly as a load of the rest would not have made it.

A placeholder tweet is kept by a retweet, reply or quote of it; a placeholder account by a
mention of it or a tweet it posted (placeholder tweets name their author); a hashtag, URL or
domain by a tweet or URL using it, or an indicator naming it. A node some disclosure releases
is never swept here: it goes only when its disclosure does (loaders/removal/remove.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from infoops.engines.base import GraphEngine
from infoops.loaders.removal.cypher import delete_nodes_cypher, ends_cypher, having_cypher

# What keeps a node: (type, from label, to label, the node is the edge's end), as
# having_cypher takes them.
KEPT_BY: dict[str, tuple[tuple[str, str, str, bool], ...]] = {
    "Tweet": (
        ("RETWEET_OF", "Tweet", "Tweet", True),
        ("REPLY_TO", "Tweet", "Tweet", True),
        ("QUOTES", "Tweet", "Tweet", True),
    ),
    "Account": (("MENTIONS", "Tweet", "Account", True), ("POSTED", "Account", "Tweet", False)),
    "Hashtag": (("TAGGED", "Tweet", "Hashtag", True),),
    # An indicator that names a URL or domain keeps it: the indicators loader makes the node
    # itself when the graph lacks it, so a load of the rest would have it too.
    "Url": (("LINKS_TO", "Tweet", "Url", True), ("NAMES", "Indicator", "Url", True)),
    "Domain": (("ON_DOMAIN", "Url", "Domain", True), ("NAMES", "Indicator", "Domain", True)),
}
# Deleting a node of the label may leave the nodes at the other end of this edge unkept: a
# placeholder tweet's author, a URL's domain. (type, from, to, incoming, the other end's label)
CASCADES: dict[str, tuple[str, str, str, bool, str]] = {
    "Tweet": ("POSTED", "Account", "Tweet", True, "Account"),
    "Url": ("ON_DOMAIN", "Url", "Domain", False, "Domain"),
}
ORDER = ("Tweet", "Account", "Hashtag", "Url", "Domain")  # cascades go forward only
WITH_PLACEHOLDERS = ("Tweet", "Account")


def keys_of(engine: GraphEngine, statement: str, keys: list[str]) -> set[str]:
    """The ``k`` column of ``statement`` run over ``$keys``."""
    if not keys:
        return set()
    return {row[0] for row in engine.run(statement, {"keys": keys}).rows}


def sweep_unkept(engine: GraphEngine, candidates: Mapping[str, Iterable[str]]) -> dict[str, int]:
    """Delete the ``candidates`` (keys per label) that nothing keeps, and what their going
    leaves unkept; inside the caller's transaction. Returns nodes deleted per label."""
    pending = {label: set(keys) for label, keys in candidates.items()}
    deleted: dict[str, int] = {}
    for label in ORDER:
        keys = sorted(pending.get(label, ()))
        if not keys:
            continue
        kept: set[str] = set()
        for rule in KEPT_BY[label]:
            kept |= keys_of(engine, having_cypher(*rule), keys)
        unkept = [key for key in keys if key not in kept]
        if label in WITH_PLACEHOLDERS:
            found = engine.lookup(label, unkept, ["in_disclosure"])
            gone = sorted(key for key, (released,) in found.items() if not released)
        else:
            gone = sorted(engine.existing_keys(label, unkept))
        if not gone:
            continue
        if label in CASCADES:
            rel_type, src, dst, incoming, other = CASCADES[label]
            found_ends = keys_of(engine, ends_cypher(rel_type, src, dst, incoming), gone)
            pending.setdefault(other, set()).update(found_ends)
        engine.run(delete_nodes_cypher(label, label in WITH_PLACEHOLDERS), {"keys": gone})
        deleted[label] = deleted.get(label, 0) + len(gone)
    return deleted
