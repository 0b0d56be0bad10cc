"""Stage indicators for one disclosure, with the nodes they name, without duplicates.

An indicator is one node whatever disclosure published it (key ``<type>:<value>``); a row
whose indicator this disclosure already holds is *already present*, one another disclosure
published only gains this disclosure's IN_DISCLOSURE edge. What an indicator names:

- a domain: the Domain node, created when the graph lacks it;
- a URL: the Url node, created with its ON_DOMAIN edge when the graph lacks it (a later
  Twitter load then links its tweets to that very node: it adds ON_DOMAIN only to URLs it
  creates); its domain is reached through ON_DOMAIN, not named: a petition on change.org does
  not make change.org an indicator;
- a Twitter / X account (a profile URL, or a handle or id under a Twitter type): every Account
  the graph holds with that screen name (case-insensitive) or numeric id. Accounts are never
  created: the Account model is Twitter's, and a TikTok or Facebook handle matched to a Twitter
  account of the same name would be a false overlap. An account loaded after its indicator is
  linked by re-running the indicator load (NAMES edges the graph lacks are added to indicators
  already present, so a re-load stays idempotent otherwise).
"""

from __future__ import annotations

from dataclasses import dataclass

from infoops.engines.base import GraphEngine, node_table
from infoops.loaders.meta_indicators.records import IndicatorRecords, IndicatorRow
from infoops.loaders.meta_indicators.values import Kind
from infoops.loaders.staging import Stage
from infoops.loaders.twitter_io.graph_writer import ACCOUNTS_BY_SCREEN_NAME

MEMBERS = "MATCH (i:Indicator)-[:IN_DISCLOSURE]->(:Disclosure {id: $disclosure}) RETURN i.id"
NAMED = {
    "Domain": "UNWIND $ids AS id MATCH (i:Indicator {id: id})-[:NAMES]->(t:Domain) "
    "RETURN i.id, t.name",
    "Url": "UNWIND $ids AS id MATCH (i:Indicator {id: id})-[:NAMES]->(t:Url) RETURN i.id, t.url",
    "Account": "UNWIND $ids AS id MATCH (i:Indicator {id: id})-[:NAMES]->(t:Account) "
    "RETURN i.id, t.userid",
}


def statements() -> list[tuple[str, str]]:
    """The statements this writer sends itself, for the Cypher linter."""
    return [("indicator-members", MEMBERS), *((f"named-{k}", v) for k, v in NAMED.items())]


@dataclass
class ChunkOutcome:
    loaded: int = 0  # rows whose indicator becomes a member of the disclosure
    already_present: int = 0  # rows whose indicator the disclosure already holds


class IndicatorWriter:
    def __init__(self, engine: GraphEngine, disclosure_id: str, stage: Stage) -> None:
        self.engine = engine
        self.disclosure_id = disclosure_id
        self.stage = stage
        rows = engine.run(MEMBERS, {"disclosure": disclosure_id}).rows
        self.members: set[str] = {row[0] for row in rows}
        self._named: set[tuple[str, str, str]] = (
            set()
        )  # (label, indicator, key): in graph or staged

    def write(self, records: IndicatorRecords) -> ChunkOutcome:
        outcome = ChunkOutcome()
        joining: dict[str, IndicatorRow] = {}  # new members, each from its first row
        distinct: dict[str, IndicatorRow] = {}
        for row in records.rows:
            distinct.setdefault(row.id, row)
            if row.id in self.members:
                outcome.already_present += 1
                continue
            self.members.add(row.id)
            joining[row.id] = row
            outcome.loaded += 1
        self._nodes(list(joining.values()))
        ids = list(joining)
        self.stage.add_rels(
            "IN_DISCLOSURE", "Indicator", "Disclosure", ids, [self.disclosure_id] * len(ids)
        )
        self._names(list(distinct.values()))
        return outcome

    def _nodes(self, rows: list[IndicatorRow]) -> None:
        """Indicators neither in the graph nor staged become nodes."""
        staged = self.stage.keys["Indicator"]
        ids = [row.id for row in rows]
        unstaged = [row for row, s in zip(rows, staged.contains(ids), strict=True) if not s]
        known = self.engine.existing_keys("Indicator", [row.id for row in unstaged])
        new = [row for row in unstaged if row.id not in known]
        staged.add(list(known))
        self.stage.add_nodes(
            "Indicator",
            node_table(
                "Indicator",
                {
                    "id": [row.id for row in new],
                    "type": [row.type for row in new],
                    "value": [row.named.value for row in new],
                    "raw": [row.raw for row in new],
                    "comment": [row.comment for row in new],
                    "tactic": [row.tactic for row in new],
                    "technique": [row.technique for row in new],
                    "published": [row.published for row in new],
                },
            ),
            "id",
        )

    def _names(self, rows: list[IndicatorRow]) -> None:
        """Stage the NAMES edges of ``rows`` that neither the graph nor this load has yet."""
        ids = [row.id for row in rows]
        for label, statement in NAMED.items():
            for indicator, key in self.engine.run(statement, {"ids": ids}).rows:
                self._named.add((label, indicator, key))
        wanted: list[tuple[str, str, str]] = []
        urls: dict[str, str | None] = {}
        domains: list[str] = []
        for row in rows:
            named = row.named
            if named.kind is Kind.DOMAIN:
                wanted.append(("Domain", row.id, named.value))
                domains.append(named.value)
            elif named.kind is Kind.URL:
                wanted.append(("Url", row.id, named.value))
                urls[named.value] = named.domain
        wanted += self._accounts(rows)
        self._ensure_domains(domains)
        self._ensure_urls(urls)
        for label in NAMED:
            edges = [e for e in dict.fromkeys(wanted) if e[0] == label and e not in self._named]
            self._named.update(edges)
            self.stage.add_rels(
                "NAMES", "Indicator", label, [e[1] for e in edges], [e[2] for e in edges]
            )

    def _accounts(self, rows: list[IndicatorRow]) -> list[tuple[str, str, str]]:
        """("Account", indicator, userid) for each account the graph holds that a row names."""
        by_name = [(row.id, row.named.screen_name) for row in rows if row.named.screen_name]
        by_id = [(row.id, row.named.userid) for row in rows if row.named.userid]
        names = sorted({name for _, name in by_name if name})
        userids: dict[str, list[str]] = {}
        if names:
            for name, userid in self.engine.run(ACCOUNTS_BY_SCREEN_NAME, {"names": names}).rows:
                userids.setdefault(name, []).append(userid)
        known = self.engine.existing_keys("Account", sorted({u for _, u in by_id if u}))
        edges = [
            ("Account", indicator, userid)
            for indicator, name in by_name
            for userid in sorted(userids.get(name or "", []))
        ]
        return edges + [("Account", i, u) for i, u in by_id if u in known]

    def _ensure_domains(self, domains: list[str]) -> None:
        staged = self.stage.keys["Domain"]
        wanted = list(dict.fromkeys(domains))
        unstaged = [d for d, s in zip(wanted, staged.contains(wanted), strict=True) if not s]
        known = self.engine.existing_keys("Domain", unstaged)
        staged.add(list(known))
        new = [d for d in unstaged if d not in known]
        self.stage.add_nodes("Domain", node_table("Domain", {"name": new}), "name")

    def _ensure_urls(self, urls: dict[str, str | None]) -> None:
        """New Url nodes get their ON_DOMAIN edge, as the Twitter loader gives its own."""
        staged = self.stage.keys["Url"]
        wanted = list(urls)
        unstaged = [u for u, s in zip(wanted, staged.contains(wanted), strict=True) if not s]
        known = self.engine.existing_keys("Url", unstaged)
        staged.add(list(known))
        new = [u for u in unstaged if u not in known]
        self.stage.add_nodes("Url", node_table("Url", {"url": new}), "url")
        on_domain = [(u, d) for u in new if (d := urls[u])]
        self._ensure_domains([d for _, d in on_domain])
        self.stage.add_rels(
            "ON_DOMAIN", "Url", "Domain", [u for u, _ in on_domain], [d for _, d in on_domain]
        )
