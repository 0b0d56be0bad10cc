"""Account nodes for views: key facts, role, cluster, disclosure, amplification, example tweets.

Every statement is a plain ``UNWIND $ids`` look-up that runs unchanged on Ladybug and Neo4j and
returns one row per account (aggregated in Cypher), except the example tweets, which come back
as an Arrow table and are picked here: per-account ``LIMIT`` needs list slicing or ``CALL``
subqueries, and neither is portable.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from infoops.engines.base import GraphEngine
from infoops.visualisations.graph_data import (
    COLOR_CLUSTER,
    COLOR_DISCLOSURE,
    COLOR_ROLE,
    SIZE_AMPLIFICATION,
    ViewNode,
    account_label,
    plural,
    preview,
)

EXAMPLE_TWEETS = 3
AMPLIFIER_SHARE = 0.5  # "mostly retweets": more than half of an account's tweets

ROLE_EXTERNAL, ROLE_AMPLIFIER, ROLE_POSTER, ROLE_SILENT = (
    "external",
    "amplifier",
    "poster",
    "silent",
)
ROLE_NOTE = (
    "Role is the account's stored role (set by analysis) where there is one; otherwise derived "
    "here: external = not in any released users file (seen only when retweeted or mentioned), "
    "amplifier = more than half of its tweets are retweets, poster = the other released "
    "accounts with tweets, silent = released accounts without tweets."
)
NO_CLUSTER = "no cluster"
EXTERNAL_DISCLOSURE = "not released (external)"
AMPLIFICATION_NOTE = "retweets the account received, across the whole graph"

ACCOUNTS_CYPHER = (
    "UNWIND $ids AS id MATCH (a:Account {userid: id}) "
    "RETURN a.userid AS userid, a.screen_name AS screen_name, a.display_name AS display_name, "
    "a.hashed AS hashed, a.in_disclosure AS in_disclosure, a.followers AS followers, "
    "a.following AS following, a.created_at AS created_at, a.location AS location, "
    "a.description AS description, a.language AS language, a.cluster AS cluster, "
    "a.kcore AS kcore, a.role AS role"
)
DISCLOSURES_CYPHER = (
    "UNWIND $ids AS id MATCH (a:Account {userid: id})-[:IN_DISCLOSURE]->(d:Disclosure) "
    "RETURN a.userid AS userid, d.id AS disclosure"
)
ACTIVITY_CYPHER = (
    "UNWIND $ids AS id MATCH (a:Account {userid: id})-[:POSTED]->(t:Tweet) "
    "RETURN a.userid AS userid, count(t) AS tweets, "
    "sum(CASE WHEN t.is_retweet THEN 1 ELSE 0 END) AS retweets"
)
AMPLIFIED_BY_CYPHER = (
    "UNWIND $ids AS id MATCH (b:Account)-[r:AMPLIFIED]->(a:Account {userid: id}) "
    "RETURN a.userid AS userid, count(b) AS accounts, sum(r.count) AS retweets"
)
AMPLIFIES_CYPHER = (
    "UNWIND $ids AS id MATCH (a:Account {userid: id})-[r:AMPLIFIED]->(b:Account) "
    "RETURN a.userid AS userid, count(b) AS accounts, sum(r.count) AS retweets"
)
EXAMPLES_CYPHER = (
    "UNWIND $ids AS id MATCH (a:Account {userid: id})-[:POSTED]->(t:Tweet) "
    "WHERE t.is_retweet = false AND t.text IS NOT NULL "
    "RETURN a.userid AS userid, t.text AS text, t.time AS time, t.retweets AS retweets"
)
# External accounts have no screen name in the files; the "RT @name:" of a retweet has it.
NAME_FROM_RETWEET_CYPHER = (
    "UNWIND $ids AS id "
    "MATCH (a:Account {userid: id})-[:POSTED]->(o:Tweet)<-[:RETWEET_OF]-(r:Tweet) "
    "RETURN a.userid AS userid, min(r.text) AS text"
)
_RT_PREFIX = re.compile(r"^RT @(\w{1,50}):")


@dataclass
class _Counts:
    accounts: int = 0
    retweets: int = 0


def statements() -> list[tuple[str, str]]:
    """(name, Cypher) of every statement here, for linting against Neo4j's own linter."""
    return [
        ("view-accounts", ACCOUNTS_CYPHER),
        ("view-account-disclosures", DISCLOSURES_CYPHER),
        ("view-account-activity", ACTIVITY_CYPHER),
        ("view-amplified-by", AMPLIFIED_BY_CYPHER),
        ("view-amplifies", AMPLIFIES_CYPHER),
        ("view-example-tweets", EXAMPLES_CYPHER),
        ("view-name-from-retweet", NAME_FROM_RETWEET_CYPHER),
    ]


def account_nodes(
    engine: GraphEngine, userids: Sequence[str], *, examples: int = EXAMPLE_TWEETS
) -> dict[str, ViewNode]:
    """A view node for each of ``userids`` that exists, keyed by userid."""
    ids = list(dict.fromkeys(userids))
    if not ids:
        return {}
    params = {"ids": ids}
    records = {row["userid"]: row for row in engine.run(ACCOUNTS_CYPHER, params).records()}
    disclosures: dict[str, list[str]] = defaultdict(list)
    for row in engine.run(DISCLOSURES_CYPHER, params).records():
        disclosures[row["userid"]].append(str(row["disclosure"]))
    activity = {
        row["userid"]: (int(row["tweets"] or 0), int(row["retweets"] or 0))
        for row in engine.run(ACTIVITY_CYPHER, params).records()
    }
    amplified_by = _counts(engine, AMPLIFIED_BY_CYPHER, params)
    amplifies = _counts(engine, AMPLIFIES_CYPHER, params)
    nameless = [
        uid for uid, row in records.items() if not row["screen_name"] and not row["in_disclosure"]
    ]
    names = _names_from_retweets(engine, nameless) if nameless else {}
    tweets = _example_tweets(engine, ids, examples) if examples else {}
    nodes = {}
    for uid in ids:
        if uid not in records:
            continue
        nodes[uid] = _account_node(
            records[uid],
            sorted(disclosures.get(uid, [])),
            activity.get(uid, (0, 0)),
            amplified_by.get(uid, _Counts()),
            amplifies.get(uid, _Counts()),
            names.get(uid),
            tweets.get(uid, []),
        )
    return nodes


def derive_role(in_disclosure: bool, tweets: int, retweets: int) -> str:
    if not in_disclosure:
        return ROLE_EXTERNAL
    if tweets == 0:
        return ROLE_SILENT
    return ROLE_AMPLIFIER if retweets > AMPLIFIER_SHARE * tweets else ROLE_POSTER


def _counts(engine: GraphEngine, cypher: str, params: dict[str, Any]) -> dict[str, _Counts]:
    return {
        row["userid"]: _Counts(int(row["accounts"] or 0), int(row["retweets"] or 0))
        for row in engine.run(cypher, params).records()
    }


def _names_from_retweets(engine: GraphEngine, userids: list[str]) -> dict[str, str]:
    names = {}
    for row in engine.run(NAME_FROM_RETWEET_CYPHER, {"ids": userids}).records():
        match = _RT_PREFIX.match(row["text"] or "")
        if match:
            names[row["userid"]] = match.group(1)
    return names


def _example_tweets(engine: GraphEngine, userids: list[str], keep: int) -> dict[str, list[str]]:
    """Up to ``keep`` original tweets per account: most retweeted first, then earliest."""
    table = engine.run_table(EXAMPLES_CYPHER, {"ids": userids})
    candidates: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    columns = [table.column(name).to_pylist() for name in ("userid", "text", "time", "retweets")]
    for userid, text, time, retweets in zip(*columns, strict=True):
        candidates[userid].append((-(retweets or 0), time or "", text))
    picked = {}
    for userid, rows in candidates.items():
        rows.sort()
        picked[userid] = [
            f"{time[:16].replace('T', ' ')}  {preview(text)}".strip()
            for _, time, text in rows[:keep]
        ]
    return picked


def _account_node(
    row: dict[str, Any],
    disclosures: list[str],
    activity: tuple[int, int],
    amplified_by: _Counts,
    amplifies: _Counts,
    name_from_retweet: str | None,
    examples: list[str],
) -> ViewNode:
    userid = str(row["userid"])
    in_disclosure = bool(row["in_disclosure"])
    tweets, retweets = activity
    screen_name = row["screen_name"] or name_from_retweet
    stored_role = row["role"]
    role = stored_role or derive_role(in_disclosure, tweets, retweets)
    cluster = row["cluster"]
    facts: list[tuple[str, str]] = [("userid", userid)]
    if screen_name and screen_name != userid:
        source = " (from a retweet's text)" if not row["screen_name"] else ""
        facts.append(("screen name", f"@{screen_name}{source}"))
    if row["hashed"]:
        facts.append(("hashed", "yes: Twitter hashed this account's identity (small account)"))
    if row["display_name"] and row["display_name"] not in (userid, screen_name):
        facts.append(("display name", str(row["display_name"])))
    facts.append(("role", f"{role} ({'stored' if stored_role else 'derived'})"))
    if cluster is not None:
        facts.append(("cluster", str(cluster)))
    facts.append(("released in", ", ".join(disclosures) if disclosures else "none (external)"))
    if row["followers"] is not None or row["following"] is not None:
        facts.append(
            ("followers / following", f"{_num(row['followers'])} / {_num(row['following'])}")
        )
    for name, key in (
        ("created", "created_at"),
        ("location", "location"),
        ("language", "language"),
    ):
        if row[key]:
            facts.append((name, preview(str(row[key]), 60)))
    if tweets:
        share = 100.0 * retweets / tweets
        facts.append(("tweets", f"{tweets:,} ({plural(retweets, 'retweet')}, {share:.0f}%)"))
    facts.append(("amplified by", _reach(amplified_by)))
    facts.append(("amplifies", _reach(amplifies)))
    if row["description"]:
        facts.append(("profile", preview(str(row["description"]))))
    return ViewNode(
        id=userid,
        label=account_label(userid, screen_name),
        kind="Account",
        facts=facts,
        examples=examples,
        categories={
            COLOR_ROLE: str(role),
            COLOR_CLUSTER: NO_CLUSTER if cluster is None else f"cluster {cluster}",
            COLOR_DISCLOSURE: " + ".join(disclosures) if disclosures else EXTERNAL_DISCLOSURE,
        },
        metrics={SIZE_AMPLIFICATION: float(amplified_by.retweets)},
        properties={key: value for key, value in row.items() if value is not None}
        | {"role": role, "role_source": "stored" if stored_role else "derived"}
        | ({"disclosures": ";".join(disclosures)} if disclosures else {})
        | ({"screen_name_from_retweet": name_from_retweet} if name_from_retweet else {}),
    )


def _num(value: Any) -> str:
    return "?" if value is None else f"{int(value):,}"


def _reach(counts: _Counts) -> str:
    return f"{plural(counts.accounts, 'account')}, {plural(counts.retweets, 'retweet')}"
