"""Whom the released accounts amplified: most amplified (by distinct amplifiers) and most
retweeted (by retweets) accounts, from the account-level AMPLIFIED relationships.

An amplifier is a released account of the selection; the target may be released or not (state
media, diplomats). ``AMPLIFIED.count`` is the number of retweets from one account to another
over the whole graph (an account released in two disclosures brings its retweets of both).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from infoops.engines.base import GraphEngine

# Sorted again in Python (ties by userid in code-point order, as the summary does).
_AMPLIFIED = (
    " MATCH (a)-[r:AMPLIFIED]->(b:Account)"
    " WITH b, count(a) AS amplifiers, sum(r.count) AS retweets"
    " WITH b, amplifiers, retweets, b.userid AS userid"
)
MOST_AMPLIFIED = (
    _AMPLIFIED + " ORDER BY amplifiers DESC, retweets DESC, userid LIMIT $top"
    " RETURN userid, b.screen_name AS screen_name, b.in_disclosure AS released,"
    " amplifiers, retweets"
)
MOST_RETWEETED = (
    _AMPLIFIED + " ORDER BY retweets DESC, amplifiers DESC, userid LIMIT $top"
    " RETURN userid, b.screen_name AS screen_name, b.in_disclosure AS released,"
    " amplifiers, retweets"
)


@dataclass(frozen=True)
class AmplifiedAccount:
    userid: str
    screen_name: str | None
    released: bool  # in a disclosure (the operation's own) or outside (state media, ...)
    amplifiers: int  # distinct released accounts of the selection that retweeted it
    retweets: int

    @property
    def name(self) -> str:
        return f"@{self.screen_name}" if self.screen_name else self.userid

    def to_dict(self) -> dict[str, Any]:
        return {
            "userid": self.userid,
            "screen_name": self.screen_name,
            "released": self.released,
            "amplifiers": self.amplifiers,
            "retweets": self.retweets,
        }


def most_amplified(
    engine: GraphEngine, cypher: str, params: dict[str, Any]
) -> list[AmplifiedAccount]:
    """From ``cypher``: a selection of accounts (as ``a``) + ``MOST_AMPLIFIED``."""
    found = _read(engine, cypher, params)
    found.sort(key=lambda x: (-x.amplifiers, -x.retweets, x.userid))
    return found


def most_retweeted(
    engine: GraphEngine, cypher: str, params: dict[str, Any]
) -> list[AmplifiedAccount]:
    """From ``cypher``: a selection of accounts (as ``a``) + ``MOST_RETWEETED``."""
    found = _read(engine, cypher, params)
    found.sort(key=lambda x: (-x.retweets, -x.amplifiers, x.userid))
    return found


def _read(engine: GraphEngine, cypher: str, params: dict[str, Any]) -> list[AmplifiedAccount]:
    return [
        AmplifiedAccount(
            userid=str(row["userid"]),
            screen_name=row["screen_name"],
            released=bool(row["released"]),
            amplifiers=int(row["amplifiers"] or 0),
            retweets=int(row["retweets"] or 0),
        )
        for row in engine.run(cypher, params).records()
    ]
