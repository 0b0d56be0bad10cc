"""Accounts outside the release (state media and others) and their tweets.

They never have rows of their own: their tweets appear only as the targets of released
accounts' retweets and replies (``retweet_userid`` / ``retweet_tweetid``).
"""

from __future__ import annotations

import random
from array import array

from infoops.synthetic.config import SynthConfig
from infoops.synthetic.content import OTHER, STATE
from infoops.synthetic.ids import SnowflakeIds, external_userid
from infoops.synthetic.timeline import Timeline

__all__ = ["Externals", "external_tweet_count"]

_STATE_NAMES = (
    "StateNewsCN",
    "GlobalVoiceCN",
    "XinNewsWire",
    "DailyPeopleEN",
    "CTVOfficial",
    "ChinaNewsHub",
    "MFASpokesDesk",
    "HKObserverNews",
)
_OTHER_NAMES = ("FootballDaily", "WeatherNowHK", "FoodieWorld", "TechNewsNow")


def external_tweet_count(config: SynthConfig) -> int:
    """How many outside tweets a release has (state media first, then the others)."""
    return _state_tweet_count(config) + max(2, config.tweets // 500)


def _state_tweet_count(config: SynthConfig) -> int:
    return max(5, min(50_000, config.tweets // 25))


class Externals:
    """Outside accounts (one entry per account) and their tweets (one entry per tweet)."""

    def __init__(self, config: SynthConfig, rng: random.Random) -> None:
        self.cfg = config
        self.rng = rng
        self.userid: list[str] = []
        self.name: list[str] = []
        self.numeric: list[str] = []
        self.kind: list[str] = []  # "state_media" or "other"
        self.tid = array("q")
        self.author = array("i")
        self.t = array("q")
        self.code = array("q")
        self.group = array("b")
        self.n_state_tweets = 0

    def build(self, timeline: Timeline, ids: SnowflakeIds, used_names: set[str]) -> None:
        """Accounts with names unlike ``used_names`` (lower-cased), then their tweets."""
        rng, cfg = self.rng, self.cfg
        n_state = max(3, min(60, cfg.accounts // 300))
        n_other = max(2, min(20, cfg.accounts // 1000))
        for i in range(n_state + n_other):
            state = i < n_state
            names = _STATE_NAMES if state else _OTHER_NAMES
            j = i if state else i - n_state
            name = names[j % len(names)] + (str(j // len(names)) if j >= len(names) else "")
            while name.lower() in used_names:
                name += str(rng.randrange(10))
            used_names.add(name.lower())
            uid = external_userid(rng, old=i % 2 == 0)
            self.userid.append(uid)
            self.name.append(name)
            self.numeric.append(uid)
            self.kind.append("state_media" if state else "other")
        n_state_tweets = _state_tweet_count(cfg)
        n_other_tweets = external_tweet_count(cfg) - n_state_tweets
        span = timeline.end_s - timeline.start_s - 6 * 3600
        for i in range(n_state_tweets + n_other_tweets):
            state = i < n_state_tweets
            t = timeline.start_s + rng.randrange(span)
            self.tid.append(ids.new(t))
            self.author.append(
                rng.randrange(n_state) if state else n_state + rng.randrange(n_other)
            )
            self.t.append(t)
            self.code.append(rng.getrandbits(48))
            self.group.append(STATE if state else OTHER)
        self.n_state_tweets = n_state_tweets

    def random_state_tweet(self) -> int:
        """A state-media tweet, as a tweet reference (``-index - 1``)."""
        return -self.rng.randrange(self.n_state_tweets) - 1

    def random_other_tweet(self) -> int:
        """Another outside tweet, as a tweet reference (``-index - 1``)."""
        n_other = len(self.tid) - self.n_state_tweets
        return -(self.n_state_tweets + self.rng.randrange(n_other)) - 1
