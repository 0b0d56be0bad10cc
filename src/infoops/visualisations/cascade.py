"""Retweet cascades: the retweets of one tweet over time, with the accounts and the timing.

Twitter's retweets always point at the original, so a cascade is a star: the tweet, its author,
and every account that retweeted it. What matters is *when*: the view places each retweeting
account by the delay after the original on a logarithmic time axis (seconds to months), and
stacks accounts that retweeted at the same moment, so a squad retweeting within seconds shows as
one tall column.

Retweet times come from the tweet id when it is a Twitter snowflake (milliseconds; the
``tweet_time`` column only has minutes), else from ``time_s``.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from infoops.engines.base import GraphEngine
from infoops.errors import ViewError
from infoops.visualisations.accounts import AMPLIFICATION_NOTE, ROLE_NOTE, account_nodes
from infoops.visualisations.budget import DEFAULT_NODE_BUDGET
from infoops.visualisations.graph_data import (
    COLOR_CLUSTER,
    COLOR_DISCLOSURE,
    COLOR_ROLE,
    SIZE_AMPLIFICATION,
    TWEET_CATEGORY,
    Annotation,
    GraphView,
    ViewEdge,
    ViewNode,
    account_label,
    plural,
    preview,
)
from infoops.visualisations.pyvis_page import write_view_html
from infoops.visualisations.seeds import resolve_tweet

TWITTER_EPOCH_MS = 1288834974657
SNOWFLAKE_TOLERANCE_S = 120  # tweet_time has minutes only; ids disagreeing more are not snowflakes
BURST_WINDOW_S = 60

# Time axis: x = AXIS_START + PX_PER_DECADE * log10(1 + delay in seconds)
AXIS_START, PX_PER_DECADE, SLOT_PX = 230.0, 240.0, 28.0
TICKS = (
    (10, "+10 s"),
    (60, "+1 min"),
    (600, "+10 min"),
    (3600, "+1 h"),
    (6 * 3600, "+6 h"),
    (86400, "+1 day"),
    (7 * 86400, "+1 week"),
    (30 * 86400, "+30 days"),
    (365 * 86400, "+1 year"),
)

TWEET_CYPHER = (
    "MATCH (t:Tweet {tweetid: $tweetid}) "
    "RETURN t.tweetid AS tweetid, t.userid AS userid, t.text AS text, t.time AS time, "
    "t.time_s AS time_s, t.is_retweet AS is_retweet, t.in_disclosure AS in_disclosure, "
    "t.lang AS lang, t.client AS client, t.likes AS likes, t.retweets AS retweets"
)
ORIGINAL_OF_CYPHER = (
    "MATCH (t:Tweet {tweetid: $tweetid})-[:RETWEET_OF]->(o:Tweet) RETURN o.tweetid AS tweetid"
)
RETWEETS_CYPHER = (
    "MATCH (r:Tweet)-[:RETWEET_OF]->(o:Tweet {tweetid: $tweetid}) "
    "RETURN r.tweetid AS tweetid, r.userid AS userid, r.time AS time, r.time_s AS time_s, "
    "r.client AS client ORDER BY r.time_s, r.tweetid"
)
EDGE_NOTE = (
    "Arrow: from each retweeting account to the tweet (RETWEETED) and from the author to the "
    "tweet (POSTED); hover over an edge for the retweet's time and delay."
)
LAYOUT_NOTE = (
    "Layout: left to right is time since the tweet, on a log scale (ticks at the top); accounts "
    "that retweeted at the same moment are stacked, so a tall column is a burst."
)


@dataclass(frozen=True)
class Retweet:
    tweetid: str
    userid: str
    time: str | None
    seconds: float  # epoch seconds, from the snowflake id when it is one
    client: str | None


def statements() -> list[tuple[str, str]]:
    return [
        ("view-cascade-tweet", TWEET_CYPHER),
        ("view-cascade-original-of", ORIGINAL_OF_CYPHER),
        ("view-cascade-retweets", RETWEETS_CYPHER),
    ]


def tweet_seconds(tweetid: str, time_s: int | None) -> float | None:
    """Epoch seconds of a tweet: from its snowflake id when that agrees with ``time_s``."""
    if tweetid.isdigit():
        seconds = ((int(tweetid) >> 22) + TWITTER_EPOCH_MS) / 1000.0
        if time_s is None or abs(seconds - time_s) <= SNOWFLAKE_TOLERANCE_S:
            return seconds
    return None if time_s is None else float(time_s)


def retweet_cascade(
    engine: GraphEngine, tweetid: str, *, node_budget: int | None = None
) -> GraphView:
    """The cascade of ``tweetid`` (or of its original, when it is itself a retweet).

    ``node_budget`` (None: no limit) keeps the earliest retweeting accounts and says how many
    were left out in ``view.notices``.
    """
    if node_budget is not None and node_budget < 3:
        raise ViewError(f"a cascade needs a node budget of at least 3, got {node_budget}")
    notices: list[str] = []
    asked = resolve_tweet(engine, tweetid)
    original = engine.run(ORIGINAL_OF_CYPHER, {"tweetid": asked}).records()
    tweetid = str(original[0]["tweetid"]) if original else asked
    if original:
        notices.append(
            f"Tweet {asked} is a retweet: this is the cascade of its original, {tweetid}."
        )
    tweet = engine.run(TWEET_CYPHER, {"tweetid": tweetid}).records()[0]
    start = tweet_seconds(tweetid, tweet["time_s"])
    retweets, unknown = _retweets(engine, tweetid)
    if unknown:
        notices.append(
            f"{plural(unknown, 'retweet')} of this tweet have no known retweeting account "
            "and are not drawn."
        )
    first_by_account: dict[str, list[Retweet]] = defaultdict(list)
    for retweet in retweets:
        first_by_account[retweet.userid].append(retweet)
    retweeters = list(first_by_account)  # in order of first retweet
    author = tweet["userid"]
    if node_budget is not None and len(retweeters) + 2 > node_budget:
        keep = node_budget - 2
        notices.append(
            f"Truncated: {plural(len(retweeters), 'account')} retweeted this tweet, over the node "
            f"budget of {node_budget:,}. Showing the first {keep:,} to retweet; the last "
            f"{len(retweeters) - keep:,} are not drawn. Raise the budget (--node-budget) or export "
            "the whole cascade (infoops export gexf --tweet ...)."
        )
        retweeters = retweeters[:keep]
    accounts = account_nodes(engine, [*([author] if author else []), *retweeters], examples=2)
    tweet_node = _tweet_node(tweet, accounts.get(author) if author else None)
    nodes: list[ViewNode] = [tweet_node]
    edges: list[ViewEdge] = []
    if author and author in accounts:
        author_node = accounts[author]
        author_node.shape = "star"
        author_node.facts[1:1] = [("in this view", "author of the tweet")]
        author_node.x, author_node.y = -200.0, 0.0
        tweet_node.x, tweet_node.y = 0.0, 0.0
        nodes.append(author_node)
        edges.append(
            ViewEdge(author, tweet_node.id, "POSTED", facts=[("posted", str(tweet["time"]))])
        )
    else:
        tweet_node.x, tweet_node.y = 0.0, 0.0
    negative = 0
    columns: dict[int, int] = defaultdict(int)
    for userid in retweeters:
        if userid == author or userid not in accounts:
            continue
        mine = first_by_account[userid]
        delay = mine[0].seconds - start if start is not None else 0.0
        if delay < 0:
            negative += 1
            delay = 0.0
        node = accounts[userid]
        node.x, node.y = _place(delay, columns)
        node.facts[1:1] = [("retweeted", f"{_delay(delay)} after the tweet")]
        nodes.append(node)
        edges.append(_retweet_edge(userid, tweet_node.id, mine, start))
    if negative:
        notices.append(
            f"{plural(negative, 'retweet')} carry a time before the tweet's own (minute-resolution "
            "times in the files); drawn at +0 s."
        )
    delays = [
        max(0.0, r.seconds - start) for r in retweets if start is not None and r.userid in accounts
    ]
    tallest = max(columns.values(), default=0)
    return GraphView(
        title=f"Retweet cascade of tweet {tweetid} by {tweet_node.properties.get('author_label')}",
        nodes=nodes,
        edges=edges,
        color_choices=(COLOR_ROLE, COLOR_CLUSTER, COLOR_DISCLOSURE),
        size_notes={SIZE_AMPLIFICATION: AMPLIFICATION_NOTE},
        edge_note=EDGE_NOTE,
        legend_notes={COLOR_ROLE: ROLE_NOTE},
        notices=notices,
        summary=_summary(tweet, retweets, first_by_account, delays),
        annotations=_ticks(delays, tallest),
        pinned=frozenset([tweet_node.id]),
        fixed_layout=True,
        layout_note=LAYOUT_NOTE,
        star_note="Star: the author of the tweet.",
    )


def write_cascade_view(
    engine: GraphEngine,
    tweetid: str,
    out_path: str | Path,
    *,
    color_by: str = COLOR_ROLE,
    size_by: str = SIZE_AMPLIFICATION,
    node_budget: int | None = DEFAULT_NODE_BUDGET,
    command: str | None = None,
) -> Path:
    """Write the cascade of ``tweetid`` as a self-contained HTML page; returns its path."""
    view = retweet_cascade(engine, tweetid, node_budget=node_budget)
    if command is None:
        command = (
            f"write_cascade_view(engine, {tweetid!r}, {str(out_path)!r}, color_by={color_by!r}, "
            f"size_by={size_by!r}, node_budget={node_budget!r})"
        )
    return write_view_html(view, out_path, color_by=color_by, size_by=size_by, command=command)


def _retweets(engine: GraphEngine, tweetid: str) -> tuple[list[Retweet], int]:
    retweets, unknown = [], 0
    for row in engine.run(RETWEETS_CYPHER, {"tweetid": tweetid}).records():
        seconds = tweet_seconds(str(row["tweetid"]), row["time_s"])
        if not row["userid"] or seconds is None:
            unknown += 1
            continue
        retweets.append(
            Retweet(str(row["tweetid"]), str(row["userid"]), row["time"], seconds, row["client"])
        )
    retweets.sort(key=lambda r: (r.seconds, r.tweetid))
    return retweets, unknown


def _tweet_node(tweet: dict[str, Any], author: ViewNode | None) -> ViewNode:
    tweetid = str(tweet["tweetid"])
    author_label = author.label if author else account_label(str(tweet["userid"] or "?"), None)
    facts = [
        ("tweetid", tweetid),
        ("author", author_label),
        ("time", str(tweet["time"] or "?")),
        ("released", "yes" if tweet["in_disclosure"] else "no (seen only as retweeted)"),
    ]
    for name in ("lang", "client"):
        if tweet[name]:
            facts.append((name, str(tweet[name])))
    if tweet["retweets"] is not None or tweet["likes"] is not None:
        facts.append(
            (
                "platform counts",
                f"{tweet['retweets'] or 0:,} retweets, {tweet['likes'] or 0:,} likes",
            )
        )
    facts.append(("text", preview(tweet["text"], 500) or "(no text in the files)"))
    category = {choice: TWEET_CATEGORY for choice in (COLOR_ROLE, COLOR_CLUSTER, COLOR_DISCLOSURE)}
    return ViewNode(
        id=f"tweet:{tweetid}",
        label=preview(tweet["text"], 80) or f"tweet {tweetid}",
        kind="Tweet",
        facts=facts,
        categories=category,
        properties={key: value for key, value in tweet.items() if value is not None}
        | {"author_label": author_label},
        shape="box",
    )


def _retweet_edge(userid: str, target: str, mine: list[Retweet], start: float | None) -> ViewEdge:
    first = mine[0]
    delay = max(0.0, first.seconds - start) if start is not None else 0.0
    facts = [
        ("retweet", first.tweetid),
        ("time", str(first.time or "?")),
        ("delay", _delay(delay)),
    ]
    if first.client:
        facts.append(("client", first.client))
    if len(mine) > 1:
        facts.append(("retweets by this account", f"{len(mine):,} (first shown)"))
    return ViewEdge(
        userid,
        target,
        "RETWEETED",
        weight=float(len(mine)),
        facts=facts,
        properties={
            "retweets": len(mine),
            "first_tweetid": first.tweetid,
            "delay_s": round(delay, 3),
        },
    )


def _place(delay: float, columns: dict[int, int]) -> tuple[float, float]:
    """x from the delay; y alternately below and above the axis within the delay's column."""
    x = AXIS_START + PX_PER_DECADE * math.log10(1.0 + delay)
    column = int(x // SLOT_PX)
    k = columns[column]
    columns[column] += 1
    level = (k + 1) // 2
    y = level * SLOT_PX * (1 if k % 2 else -1) if k else 0.0
    return column * SLOT_PX + SLOT_PX / 2, y


def _ticks(delays: list[float], tallest: int) -> list[Annotation]:
    if not delays:
        return []
    longest = max(delays)
    top = -(tallest // 2 + 2) * SLOT_PX - 20
    ticks = [Annotation("time since the tweet →", 0.0, top)]
    for seconds, text in TICKS:
        if seconds > max(longest * 1.5, 60):
            break
        ticks.append(Annotation(text, AXIS_START + PX_PER_DECADE * math.log10(1 + seconds), top))
    return ticks


def _delay(seconds: float) -> str:
    if seconds < 60:
        text = f"{seconds:.0f} s"
    elif seconds < 3600:
        text = f"{seconds / 60:.0f} min"
    elif seconds < 86400:
        text = f"{seconds / 3600:.1f} h"
    else:
        text = f"{seconds / 86400:.1f} days"
    return text


def _summary(
    tweet: dict[str, Any],
    retweets: list[Retweet],
    by_account: dict[str, list[Retweet]],
    delays: list[float],
) -> list[str]:
    lines = [f"posted {tweet['time'] or '?'}: “{preview(tweet['text'], 90)}”"]
    if not retweets:
        lines.append("no retweets of this tweet in the graph")
        return lines
    if not delays:
        lines.append(f"{plural(len(retweets), 'retweet')}; the tweet's own time is unknown")
        return lines
    lines.append(
        f"{plural(len(retweets), 'retweet')} by {plural(len(by_account), 'account')}; "
        f"first after {_delay(min(delays))}, median after {_delay(statistics.median(delays))}, "
        f"last after {_delay(max(delays))}"
    )
    within = sum(1 for d in delays if d <= BURST_WINDOW_S)
    lines.append(f"{plural(within, 'retweet')} within the first minute")
    lines.append(f"largest burst: {plural(_largest_burst(retweets), 'retweet')} within 60 s")
    return lines


def _largest_burst(retweets: list[Retweet]) -> int:
    times = sorted(r.seconds for r in retweets)
    best, left = 0, 0
    for right, moment in enumerate(times):
        while moment - times[left] > BURST_WINDOW_S:
            left += 1
        best = max(best, right - left + 1)
    return best
