"""Web domains the released tweets linked to, ranked by the distinct accounts that linked them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from infoops.engines.base import GraphEngine

TOP_DOMAINS = (
    " MATCH (t)-[:LINKS_TO]->(:Url)-[:ON_DOMAIN]->(dom:Domain)"
    " WITH dom, count(DISTINCT t.userid) AS accounts, count(*) AS links"
    " WITH accounts, links, dom.name AS domain"
    " ORDER BY accounts DESC, links DESC, domain LIMIT $top"
    " RETURN domain, accounts, links"
)


@dataclass(frozen=True)
class DomainCount:
    domain: str
    accounts: int  # distinct authors that linked to it
    links: int  # links (a tweet with two links to it counts twice)

    def to_dict(self) -> dict[str, Any]:
        return {"domain": self.domain, "accounts": self.accounts, "links": self.links}


def top_domains(engine: GraphEngine, cypher: str, params: dict[str, Any]) -> list[DomainCount]:
    """The ``$top`` domains from ``cypher``: a selection of tweets (as ``t``) + ``TOP_DOMAINS``."""
    found = [
        DomainCount(str(row["domain"]), int(row["accounts"] or 0), int(row["links"] or 0))
        for row in engine.run(cypher, params).records()
    ]
    found.sort(key=lambda d: (-d.accounts, -d.links, d.domain))
    return found
