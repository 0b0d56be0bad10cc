"""The tweets that tie two accounts: for each method, each tweet of one that has a tweet of the
other with the same object within the window (both ids, both times, the object).

The rows of a stored edge u->v of weight w name exactly w distinct tweets of u: the evidence is
computed by the same sweep as the edge, over the two accounts' events only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from infoops.analysis.coordination.events import read_events
from infoops.analysis.coordination.methods import DEFAULT_SIMILARITY, ObjectKind, get_method
from infoops.analysis.coordination.similar_text import jaccard
from infoops.analysis.coordination.store import stored_between
from infoops.analysis.coordination.windowed_pairs import CodedEvents, window_pairs
from infoops.engines.base import GraphEngine
from infoops.errors import CoordinationError

RESOLVE_ACCOUNT = (
    "MATCH (a:Account) WHERE a.userid = $account OR a.screen_name_lc = $name "
    "RETURN a.userid AS userid, a.screen_name AS screen_name ORDER BY userid"
)


@dataclass(frozen=True)
class EvidenceRow:
    method: str
    window_s: int
    account: str  # whose tweet ``tweet`` is (one of the two)
    tweet: str
    time_ms: int
    other_account: str
    other_tweet: str
    other_time_ms: int
    shared: str  # the object; for co-similar-tweet the Jaccard similarity of the two texts

    def as_dict(self) -> dict[str, object]:
        return {
            "method": self.method,
            "window_s": self.window_s,
            "account": self.account,
            "tweet": self.tweet,
            "time": iso_ms(self.time_ms),
            "other_account": self.other_account,
            "other_tweet": self.other_tweet,
            "other_time": iso_ms(self.other_time_ms),
            "gap_s": abs(self.time_ms - self.other_time_ms) / 1000,
            "shared": self.shared,
        }


def iso_ms(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]


def resolve_account(engine: GraphEngine, text: str) -> str:
    """The userid of an account named by userid or screen name (with or without @)."""
    name = text.removeprefix("@")
    rows = engine.run(RESOLVE_ACCOUNT, {"account": name, "name": name.lower()}).rows
    if not rows:
        raise CoordinationError(f"no account with userid or screen name {text!r}")
    exact = [row for row in rows if row[0] == name]
    return str((exact or rows)[0][0])


def evidence(
    engine: GraphEngine,
    a: str,
    b: str,
    method_name: str,
    window_s: int,
    *,
    threshold: float = DEFAULT_SIMILARITY,
    disclosure: str | None = None,
) -> list[EvidenceRow]:
    """Every pair of tweets, one of a and one of b, that ties them by ``method_name`` within
    ``window_s``: a row from each side (``account`` is whose ``tweet`` it is), ordered by time.
    Userids, not screen names. ``disclosure``: its tweets only, as the network was computed."""
    method = get_method(method_name)
    events = read_events(engine, method, disclosure=disclosure, accounts=[a, b])
    if not events.num_rows:
        return []
    coded = CodedEvents.of(events)
    accounts = coded.accounts.to_pylist()
    tweets = coded.tweets.to_pylist()
    similar = method.kind is ObjectKind.similar
    objects = events.column("object").to_pylist()
    obj = np.zeros_like(coded.obj) if similar else coded.obj
    rows = []
    if a not in accounts or b not in accounts:
        return []
    for i, j in window_pairs(obj, coded.time_ms, window_s * 1000):
        # Each pair comes both ways: a row per tweet of a and per tweet of b.
        mine = np.flatnonzero(coded.account[i] != coded.account[j])
        for x, y in zip(i[mine].tolist(), j[mine].tolist(), strict=True):
            shared = objects[x]
            if similar:
                score = jaccard(objects[x], objects[y])
                if score < threshold:
                    continue
                shared = f"jaccard {score:.3f}"
            rows.append(
                EvidenceRow(
                    method=method.name,
                    window_s=window_s,
                    account=accounts[coded.account[x]],
                    tweet=tweets[coded.tweet[x]],
                    time_ms=int(coded.time_ms[x]),
                    other_account=accounts[coded.account[y]],
                    other_tweet=tweets[coded.tweet[y]],
                    other_time_ms=int(coded.time_ms[y]),
                    shared=shared,
                )
            )
    rows.sort(key=lambda r: (r.time_ms, r.tweet, r.other_time_ms, r.other_tweet, r.shared))
    return rows


def stored_evidence(
    engine: GraphEngine,
    a: str,
    b: str,
    method_name: str | None = None,
    *,
    threshold: float = DEFAULT_SIMILARITY,
    disclosure: str | None = None,
) -> list[EvidenceRow]:
    """The evidence of every stored edge between a and b (of one method, or all): per method
    and window stored, the rows of ``evidence`` (``threshold`` and ``disclosure`` are not
    stored with an edge: the caller gives those the network was computed with)."""
    if method_name is not None:
        get_method(method_name)
    found = sorted(
        {
            (edge["method"], edge["window_s"])
            for edge in stored_between(engine, a, b)
            if method_name is None or edge["method"] == method_name
        }
    )
    rows = []
    for method, window_s in found:
        rows += evidence(engine, a, b, method, window_s, threshold=threshold, disclosure=disclosure)
    return rows
