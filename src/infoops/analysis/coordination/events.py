"""A method's events read from the graph: one Arrow table of account, tweetid, time_ms, object.

One portable statement per method (``events_statement``) returns the tweets and their objects;
which tweets are retweets comes from a second one (a tweet with a retweet target, as the
toolkit decides it), and the rest is columnar: the time rule (``event_time``), the text
normalisation, one row per tweet and object.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from infoops.analysis.coordination.event_time import event_time_ms
from infoops.analysis.coordination.methods import Method, ObjectKind, Tweets
from infoops.analysis.coordination.text_objects import map_distinct, normalised_text, token_set
from infoops.analysis.coordination.windowed_pairs import count_distinct, encode
from infoops.engines.base import GraphEngine, unlisted

EVENT_COLUMNS = ("account", "tweetid", "time_ms", "object")


def _where(*, accounts: bool, part: bool = False) -> str:
    """The released tweets with an author and a time (the rows of a release, not the
    placeholders of retweeted originals), of some accounts. (A tweet's id is its key: never
    null, but said, so that the lists of ``lists`` rows stay aligned whatever happens.)
    ``part``: those of part ``$part`` of ``$parts``, by the tweet's minute (a property read
    anyway; every tweet in exactly one part, a negative time too)."""
    where = (
        "t.in_disclosure = true AND t.time_s IS NOT NULL AND t.userid IS NOT NULL "
        "AND t.tweetid IS NOT NULL"
    )
    if accounts:
        where += " AND t.userid IN $accounts"
    if part:
        where += " AND abs(t.time_s / 60) % $parts = $part"
    return where


def _tweets_clause(
    *, disclosure: bool, accounts: bool, pattern: str = "", scan: bool = False, part: bool = False
) -> str:
    """``MATCH (t:Tweet)<pattern> WHERE ...``: the object's pattern in the same MATCH as the
    tweet (Ladybug planned the two MATCHes of that as a join: twice as slow), then the
    disclosure. ``scan``: Neo4j starts from every relationship of the pattern's first type
    (``USING SCAN``) instead of from each tweet's list of relationships; its planner picks the
    tweets by the in_disclosure index, then walks every relationship of every tweet (co-retweet
    on 1M tweets: 4.3 s against 2.9 s). Not for a few accounts' events, found by their index."""
    first = _FIRST_HOP.match(pattern) if scan and not accounts else None
    if first:
        pattern = f"-[scanned:{first.group(1)}]->{pattern[first.end() :]}"
        clause = f"MATCH (t:Tweet){pattern} USING SCAN scanned:{first.group(1)}"
        clause += f" WHERE {_where(accounts=accounts, part=part)}"
    else:
        clause = f"MATCH (t:Tweet){pattern} WHERE {_where(accounts=accounts, part=part)}"
    if disclosure:
        clause += " MATCH (t)-[:IN_DISCLOSURE]->(:Disclosure {id: $disclosure})"
    return clause


_FIRST_HOP = re.compile(r"-\[:([A-Z_]+)\]->")


def _object_path(method: Method) -> str:
    """The method's pattern less its leading ``MATCH (t)``: what follows ``(t:Tweet)``."""
    head = "MATCH (t)"
    if not method.pattern.startswith(head):
        raise ValueError(f"{method.name}: its pattern must start with {head!r}")
    return method.pattern.removeprefix(head)


def events_statement(
    method: Method,
    *,
    disclosure: bool = False,
    accounts: bool = False,
    lists: bool = False,
    part: bool = False,
) -> str:
    """The statement returning ``method``'s raw events: account, tweetid, time_s, object.
    ``lists``: one row holding each column as a list, for an engine whose rows cost more than
    their values (Neo4j through Bolt: 653k rows took 20 s, the same values in lists 4 s; one
    row spares the server grouping them by account, a second). ``collect`` drops nulls: a
    text object, which may be null, goes in as ``[text]`` (a list holding a null is kept), so
    that the lists stay aligned; a node's key and the none kind's '' are never null.
    ``part``: only the events of part ``$part`` of ``$parts`` (``_where``)."""
    if method.kind is ObjectKind.node:
        clause = _tweets_clause(
            disclosure=disclosure,
            accounts=accounts,
            pattern=_object_path(method),
            scan=lists,
            part=part,
        )
        obj = f"o.{method.object_key}"
    else:
        clause = _tweets_clause(disclosure=disclosure, accounts=accounts, part=part)
        obj = "''" if method.kind is ObjectKind.none else "t.text"
    if lists:
        collected = f"[{obj}]" if _nullable(method) else obj
        return (
            f"{clause} RETURN collect(t.userid) AS account, "
            f"collect(t.tweetid) AS tweetid, collect(t.time_s) AS time_s, "
            f"collect({collected}) AS object"
        )
    return (
        f"{clause} RETURN t.userid AS account, t.tweetid AS tweetid, t.time_s AS time_s, "
        f"{obj} AS object"
    )


def _nullable(method: Method) -> bool:
    """Whether the method's object can be null (a tweet's text can; a node's key cannot)."""
    return method.kind in (ObjectKind.text, ObjectKind.similar)


def retweets_cypher(
    *, disclosure: bool = False, accounts: bool = False, lists: bool = False
) -> str:
    """The ids of the retweets in scope (``lists``: in one list, one row)."""
    pattern = "-[:RETWEET_OF]->(:Tweet)"
    clause = _tweets_clause(disclosure=disclosure, accounts=accounts, pattern=pattern, scan=lists)
    if lists:
        return f"{clause} RETURN collect(DISTINCT t.tweetid) AS tweetid"
    return f"{clause} RETURN DISTINCT t.tweetid AS tweetid"


def statements() -> list[tuple[str, str]]:
    """Every statement this module sends, for the Cypher linter."""
    from infoops.analysis.coordination.methods import METHODS

    found = []
    for disclosure in (False, True):
        for accounts in (False, True):
            suffix = f"{'d' if disclosure else ''}{'a' if accounts else ''}"
            found += [
                (
                    f"events:{m.name}:{suffix}{'l' if lists else ''}{'p' if part else ''}",
                    events_statement(
                        m, disclosure=disclosure, accounts=accounts, lists=lists, part=part
                    ),
                )
                for m in METHODS.values()
                for lists, part in ((False, False), (True, False), (True, True))
            ]
            found += [
                (
                    f"retweets:{suffix}{'l' if lists else ''}",
                    retweets_cypher(disclosure=disclosure, accounts=accounts, lists=lists),
                )
                for lists in (False, True)
            ]
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
    # Ladybug hands over Arrow columns as they are; other engines' rows cost more than their
    # values, and they send the events as lists in one row.
    lists = engine.rows_cost_more
    if not lists:
        raw = engine.run_table(events_statement(method, **where), params)
    else:
        # Parts pay for a scan of the whole relationship type, not for a few accounts' events.
        parts = engine.read_sessions if accounts is None else 1
        statement = events_statement(method, **where, lists=True, part=True)
        raw = _read_in_parts(engine, statement, params, parts)
        if raw.num_rows and _nullable(method):  # each object inside a list of its own
            raw = raw.set_column(
                raw.column_names.index("object"), "object", pc.list_flatten(raw.column("object"))
            )
    if not raw.num_rows:
        return empty_events()
    tweetid = pc.cast(raw.column("tweetid"), pa.string())
    if method.tweets is Tweets.originals:
        retweets = engine.run_table(retweets_cypher(**where, lists=lists), params)
        column = (unlisted(retweets) if lists else retweets).column("tweetid")
        if len(column):
            ids = pc.cast(column, pa.string()).combine_chunks()
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
    return _distinct_events(events)


def _read_in_parts(
    engine: GraphEngine, statement: str, params: dict[str, object], parts: int
) -> pa.Table:
    """The events of a ``lists`` + ``part`` statement, its ``parts`` read at once, as one
    table of plain columns."""
    tables = engine.run_tables(
        [(statement, {**params, "parts": parts, "part": part}) for part in range(parts)]
    )
    # A part without events has columns of no type: promoted to the others' types.
    return pa.concat_tables([unlisted(table) for table in tables], promote_options="default")


def _distinct_events(events: pa.Table) -> pa.Table:
    """One row per tweet and object: two URLs of one tweet on the same domain are one event.
    (A tweet id is a node's key: its account and time come with it.) By integer codes: a
    group-by on the four text columns took a third of a second on a million tweets."""
    if count_distinct(events.column("tweetid")) == events.num_rows:
        return events  # every tweet once: nothing to merge (co-retweet, co-tweet, co-post)
    tweet, _ = encode(events.column("tweetid"))
    obj, _ = encode(events.column("object"))
    order = np.lexsort((obj, tweet))
    first = np.r_[
        True, (tweet[order][1:] != tweet[order][:-1]) | (obj[order][1:] != obj[order][:-1])
    ]
    return events.take(pa.array(np.sort(order[first])))


def empty_events() -> pa.Table:
    return pa.table(
        {
            "account": pa.array([], pa.string()),
            "tweetid": pa.array([], pa.string()),
            "time_ms": pa.array([], pa.int64()),
            "object": pa.array([], pa.string()),
        }
    )
