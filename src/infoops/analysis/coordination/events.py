"""A method's events read from the graph: one Arrow table of account, tweetid, time_ms, object.

One portable statement per method (``events_statement``) returns the tweets and their objects;
which tweets are retweets comes from a second one (a tweet with a retweet target, as the
toolkit decides it), and the rest is columnar: the time rule (``event_time``), the text
normalisation, one row per tweet and object.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyarrow as pa
import pyarrow.compute as pc

from infoops.analysis.coordination.event_time import event_time_ms
from infoops.analysis.coordination.methods import Method, ObjectKind, Tweets
from infoops.analysis.coordination.text_objects import map_distinct, normalised_text, token_set
from infoops.engines.base import GraphEngine

EVENT_COLUMNS = ("account", "tweetid", "time_ms", "object")


def _tweets_clause(*, disclosure: bool, accounts: bool) -> str:
    """The released tweets with an author and a time (the rows of a release, not the
    placeholders of retweeted originals), of one disclosure and of some accounts."""
    where = "t.in_disclosure = true AND t.time_s IS NOT NULL AND t.userid IS NOT NULL"
    if accounts:
        where += " AND t.userid IN $accounts"
    clause = f"MATCH (t:Tweet) WHERE {where}"
    if disclosure:
        clause += " MATCH (t)-[:IN_DISCLOSURE]->(:Disclosure {id: $disclosure})"
    return clause


def events_statement(method: Method, *, disclosure: bool = False, accounts: bool = False) -> str:
    """The statement returning ``method``'s raw events: account, tweetid, time_s, object."""
    clause = _tweets_clause(disclosure=disclosure, accounts=accounts)
    if method.kind is ObjectKind.node:
        clause += f" {method.pattern}"
        obj = f"o.{method.object_key}"
    elif method.kind is ObjectKind.none:
        obj = "''"
    else:
        obj = "t.text"
    return (
        f"{clause} RETURN t.userid AS account, t.tweetid AS tweetid, t.time_s AS time_s, "
        f"{obj} AS object"
    )


def retweets_cypher(*, disclosure: bool = False, accounts: bool = False) -> str:
    clause = _tweets_clause(disclosure=disclosure, accounts=accounts)
    return f"{clause} MATCH (t)-[:RETWEET_OF]->(:Tweet) RETURN DISTINCT t.tweetid AS tweetid"


def statements() -> list[tuple[str, str]]:
    """Every statement this module sends, for the Cypher linter."""
    from infoops.analysis.coordination.methods import METHODS

    found = []
    for disclosure in (False, True):
        for accounts in (False, True):
            suffix = f"{'d' if disclosure else ''}{'a' if accounts else ''}"
            found += [
                (
                    f"events:{m.name}:{suffix}",
                    events_statement(m, disclosure=disclosure, accounts=accounts),
                )
                for m in METHODS.values()
            ]
            found.append(
                (f"retweets:{suffix}", retweets_cypher(disclosure=disclosure, accounts=accounts))
            )
    return found


def read_events(
    engine: GraphEngine,
    method: Method,
    *,
    disclosure: str | None = None,
    accounts: Sequence[str] | None = None,
) -> pa.Table:
    """``method``'s events: one row per tweet and object, times by the time rule."""
    params: dict[str, object] = {}
    if disclosure is not None:
        params["disclosure"] = disclosure
    if accounts is not None:
        params["accounts"] = list(accounts)
    where = {"disclosure": disclosure is not None, "accounts": accounts is not None}
    raw = engine.run_table(events_statement(method, **where), params)
    if not raw.num_rows:
        return empty_events()
    tweetid = pc.cast(raw.column("tweetid"), pa.string())
    if method.tweets is Tweets.originals:
        retweets = engine.run_table(retweets_cypher(**where), params)
        if retweets.num_rows:
            ids = pc.cast(retweets.column("tweetid"), pa.string()).combine_chunks()
            keep = pc.invert(pc.is_in(tweetid, value_set=ids))
            raw, tweetid = raw.filter(keep), tweetid.filter(keep)
    obj = raw.column("object")
    if method.kind is ObjectKind.text:
        obj = map_distinct(obj, normalised_text)
    elif method.kind is ObjectKind.similar:
        obj = map_distinct(obj, token_set)
    events = pa.table(
        {
            "account": pc.cast(raw.column("account"), pa.string()),
            "tweetid": tweetid,
            "time_ms": pa.array(event_time_ms(tweetid, raw.column("time_s")), pa.int64()),
            "object": pc.cast(obj, pa.string()),
        }
    ).filter(pc.is_valid(obj))
    # One row per tweet and object: two URLs of one tweet on the same domain are one event.
    distinct = events.group_by(list(EVENT_COLUMNS), use_threads=False).aggregate([])
    return distinct.select(list(EVENT_COLUMNS))


def empty_events() -> pa.Table:
    return pa.table(
        {
            "account": pa.array([], pa.string()),
            "tweetid": pa.array([], pa.string()),
            "time_ms": pa.array([], pa.int64()),
            "object": pa.array([], pa.string()),
        }
    )
