"""The table of clusters, read from what is stored on the Account nodes (so it reads the same
whenever it is asked, not only right after a run): per cluster its size, how many core,
amplifier and peripheral accounts it holds, its most amplified accounts, the hashtags most of
its accounts use, and the span of its accounts' creation dates (a cluster of accounts all made
in the same weeks is a signature of a bought or farmed network)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from infoops.analysis.clusters.roles import AMPLIFIER, CORE, PERIPHERAL
from infoops.engines.results import QueryResult

if TYPE_CHECKING:
    from infoops.engines import GraphEngine

TOP = 3
COLUMNS = [
    "cluster",
    "accounts",
    "core",
    "amplifiers",
    "peripheral",
    "top_accounts",
    "top_hashtags",
    "created_first",
    "created_last",
]


@dataclass
class ClusterRow:
    cluster: int
    accounts: int = 0
    roles: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    top_accounts: list[str] = field(default_factory=list)
    top_hashtags: list[str] = field(default_factory=list)
    created: list[str] = field(default_factory=list)

    def values(self) -> list[Any]:
        return [
            self.cluster,
            self.accounts,
            self.roles[CORE],
            self.roles[AMPLIFIER],
            self.roles[PERIPHERAL],
            self.top_accounts,
            self.top_hashtags,
            min(self.created, default=None),
            max(self.created, default=None),
        ]


def cluster_table(engine: GraphEngine, top: int = TOP) -> QueryResult:
    """One row per stored cluster, cluster 0 (the largest) first; no rows before a run."""
    accounts = engine.run_table(
        "MATCH (a:Account) WHERE a.cluster IS NOT NULL RETURN a.cluster AS cluster, "
        "a.userid AS userid, a.screen_name AS screen_name, a.role AS role, "
        "a.created_at AS created_at"
    ).to_pylist()
    received = engine.run_table(
        "MATCH (x:Account)-[r:AMPLIFIED]->(a:Account) "
        "WHERE a.cluster IS NOT NULL AND x.userid <> a.userid "
        "RETURN a.userid AS userid, sum(r.count) AS retweets"
    ).to_pydict()
    retweets = {u: int(n) for u, n in zip(received["userid"], received["retweets"], strict=True)}
    rows: dict[int, ClusterRow] = {}
    ranked: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for account in accounts:
        row = rows.setdefault(int(account["cluster"]), ClusterRow(int(account["cluster"])))
        row.accounts += 1
        if account["role"]:
            row.roles[account["role"]] += 1
        if account["created_at"]:
            row.created.append(str(account["created_at"])[:10])
        name = account["screen_name"] or account["userid"]
        ranked[row.cluster].append((retweets.get(account["userid"], 0), name))
    for number, names in ranked.items():
        names.sort(key=lambda item: (-item[0], item[1]))
        rows[number].top_accounts = [name for count, name in names[:top] if count > 0]
    for number, tags in _top_hashtags(engine, top).items():
        rows[number].top_hashtags = tags
    return QueryResult(COLUMNS, [rows[number].values() for number in sorted(rows)])


def _top_hashtags(engine: GraphEngine, top: int) -> dict[int, list[str]]:
    """Per cluster, the hashtags used by most of its accounts (then by most tweets)."""
    table = engine.run_table(
        "MATCH (a:Account)-[:POSTED]->(t:Tweet)-[:TAGGED]->(h:Hashtag) "
        "WHERE a.cluster IS NOT NULL "
        "RETURN a.cluster AS cluster, h.tag AS tag, h.spelling AS spelling, "
        "count(DISTINCT a.userid) AS accounts, count(t) AS tweets"
    ).to_pylist()
    by_cluster: dict[int, list[tuple[int, int, str, str]]] = defaultdict(list)
    for row in table:
        by_cluster[int(row["cluster"])].append(
            (-int(row["accounts"]), -int(row["tweets"]), row["tag"], row["spelling"] or row["tag"])
        )
    return {
        number: ["#" + spelling for *_, spelling in sorted(tags)[:top]]
        for number, tags in by_cluster.items()
    }
