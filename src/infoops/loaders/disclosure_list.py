"""What the graph holds per disclosure: its node's fields and how many accounts, tweets and
indicators it releases. Read-only; ``infoops disclosures`` prints it."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from infoops.engines.base import GraphEngine

DISCLOSURES = (
    "MATCH (d:Disclosure) RETURN d.id, d.name, d.platform, d.released, d.source, d.loaded_at, "
    "d.load_stage ORDER BY d.id"
)
DISCLOSURE_IDS = "MATCH (d:Disclosure) RETURN d.id ORDER BY d.id"
# The labels a disclosure releases (IN_DISCLOSURE's sources), and the field counting each.
MEMBER_LABELS = {"Account": "accounts", "Tweet": "tweets", "Indicator": "indicators"}


def members_per_disclosure_cypher(label: str) -> str:
    """How many ``label`` nodes each disclosure releases."""
    if label not in MEMBER_LABELS:
        raise ValueError(f"{label} nodes are not released by a disclosure")
    return f"MATCH (n:{label})-[:IN_DISCLOSURE]->(d:Disclosure) RETURN d.id AS id, count(n) AS n"


@dataclass(frozen=True)
class LoadedDisclosure:
    id: str
    name: str | None
    platform: str | None
    released: str | None
    source: str | None  # the files of the release, as the loads listed them
    loaded_at: str | None
    accounts: int
    tweets: int
    indicators: int
    unfinished_load: bool  # a load was killed while writing: running it again finishes it

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def loaded_disclosures(engine: GraphEngine) -> list[LoadedDisclosure]:
    """Every Disclosure node, by id, with its released accounts, tweets and indicators."""
    counts = {
        field: {
            row[0]: int(row[1]) for row in engine.run(members_per_disclosure_cypher(label)).rows
        }
        for label, field in MEMBER_LABELS.items()
    }
    found = []
    for row in engine.run(DISCLOSURES).rows:
        disclosure_id = row[0]
        found.append(
            LoadedDisclosure(
                id=disclosure_id,
                name=row[1],
                platform=row[2],
                released=row[3],
                source=row[4],
                loaded_at=row[5],
                accounts=counts["accounts"].get(disclosure_id, 0),
                tweets=counts["tweets"].get(disclosure_id, 0),
                indicators=counts["indicators"].get(disclosure_id, 0),
                unfinished_load=row[6] is not None,
            )
        )
    return found


def disclosure_ids(engine: GraphEngine) -> list[str]:
    """The ids of every loaded disclosure, sorted."""
    return [row[0] for row in engine.run(DISCLOSURE_IDS).rows]
