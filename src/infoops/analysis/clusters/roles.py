"""An account's role from what it does in the release: core, amplifier or peripheral.

The rule, applied to each released account in scope:

- **core**: at least ``CORE_MIN_AMPLIFIERS`` (3) *other* accounts retweeted its tweets (distinct
  accounts with an AMPLIFIED relationship to it). Core accounts post the originals the network
  pushes; that others pick them up is what sets them apart, whatever else they do (the core
  retweets its own cluster a lot too, up to half of its tweets on the generator's releases). Three
  distinct accounts, not one: an account someone retweeted once or twice by chance is not the
  source of anything; the planted core accounts are retweeted by 4 to 75 accounts each.
- **amplifier**: not core, and retweets are at least ``AMPLIFIER_MIN_RETWEET_SHARE`` (25%) of
  its tweets. An amplifier's own originals (copy-paste texts) are not retweeted by anyone; what
  it does is retweet. A quarter, not a half: amplifiers that also post copy-paste waves retweet
  in a third of their tweets at least, while ordinary users retweet now and then (a tenth at
  most on the generator's releases, far less in Twitter's own samples of organic accounts).
- **peripheral**: everything else: accounts that post and are not picked up, reply, or are silent.

Only behaviour is read (tweets, retweets, AMPLIFIED relationships), never the cluster: a role
must mean the same on any graph choice, and nothing here reads a generator's truth file.
External accounts (retweeted, never released) get no role: the release shows nothing they do.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from infoops.engines import GraphEngine

CORE_MIN_AMPLIFIERS = 3
AMPLIFIER_MIN_RETWEET_SHARE = 0.25

CORE, AMPLIFIER, PERIPHERAL = "core", "amplifier", "peripheral"
ROLES = (CORE, AMPLIFIER, PERIPHERAL)


@dataclass(frozen=True)
class Behaviour:
    """What one released account did: its tweets, how many were retweets, and how many other
    accounts retweeted it."""

    tweets: int = 0
    retweets: int = 0
    amplifiers: int = 0

    @property
    def retweet_share(self) -> float:
        return self.retweets / self.tweets if self.tweets else 0.0


def role_of(behaviour: Behaviour) -> str:
    """The role of an account that did ``behaviour`` (the rule in the module doc)."""
    if behaviour.amplifiers >= CORE_MIN_AMPLIFIERS:
        return CORE
    if behaviour.tweets and behaviour.retweet_share >= AMPLIFIER_MIN_RETWEET_SHARE:
        return AMPLIFIER
    return PERIPHERAL


def read_behaviour(engine: GraphEngine, userids: list[str]) -> list[Behaviour]:
    """The behaviour of each of ``userids`` (released accounts), in that order."""
    posted = engine.run_table(
        "MATCH (a:Account)-[:POSTED]->(t:Tweet) "
        "WHERE a.in_disclosure = true AND t.in_disclosure = true "
        "RETURN a.userid AS userid, count(t) AS tweets, "
        "sum(CASE WHEN t.is_retweet = true THEN 1 ELSE 0 END) AS retweets"
    ).to_pydict()
    amplified = engine.run_table(
        "MATCH (x:Account)-[:AMPLIFIED]->(a:Account) "
        "WHERE a.in_disclosure = true AND x.userid <> a.userid "
        "RETURN a.userid AS userid, count(DISTINCT x.userid) AS amplifiers"
    ).to_pydict()
    # int(): Ladybug's sum() is a Decimal.
    tweets = {
        u: (int(n), int(r or 0))
        for u, n, r in zip(posted["userid"], posted["tweets"], posted["retweets"], strict=True)
    }
    amplifiers = {
        u: int(n) for u, n in zip(amplified["userid"], amplified["amplifiers"], strict=True)
    }
    return [
        Behaviour(*tweets.get(userid, (0, 0)), amplifiers=amplifiers.get(userid, 0))
        for userid in userids
    ]


def assign_roles(engine: GraphEngine, userids: list[str]) -> list[str]:
    """The role of each of ``userids``, in that order."""
    return [role_of(behaviour) for behaviour in read_behaviour(engine, userids)]
