"""Coordination networks on hand-made tweets, on both engines: the window's edge, directed and
asymmetric weights, min_weight, no self-pairs, the time rule, replace-on-rerun, the evidence of
every stored edge, and the CLI. The sweep itself is checked against brute force."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np
import pyarrow as pa
import pytest
import typer
from typer.testing import CliRunner

from infoops.analysis.coordination import event_time, store
from infoops.analysis.coordination.combined import combined_pairs
from infoops.analysis.coordination.event_time import (
    SNOWFLAKE_EPOCH_MS,
    event_time_ms,
    event_time_ms_of,
)
from infoops.analysis.coordination.events import read_events
from infoops.analysis.coordination.evidence import evidence, stored_evidence
from infoops.analysis.coordination.methods import METHODS, get_method
from infoops.analysis.coordination.network import compute_edges, compute_network
from infoops.analysis.coordination.store import all_stored, stored_edges
from infoops.analysis.coordination.text_objects import normalised_text, token_set
from infoops.analysis.coordination.windowed_pairs import CodedEvents, directed_weights, encode
from infoops.cli import coordination as coordination_cli
from infoops.engines import EngineSettings, GraphEngine
from infoops.engines.base import node_table, rel_table
from infoops.errors import CoordinationError

T0 = int(datetime(2020, 3, 1, 10, 0, tzinfo=UTC).timestamp())  # a minute's start, in seconds


def snowflake(ms: int, sequence: int = 0) -> str:
    return str(((ms - SNOWFLAKE_EPOCH_MS) << 22) | sequence)


@dataclass
class Tweet:
    """One released tweet. ``tweetid`` of a few digits is not a snowflake: its time is
    ``time_s`` (the fallback of the time rule), which makes windows exact in whole seconds."""

    tweetid: str
    account: str
    time_s: int
    retweet_of: str | None = None
    reply_to: str | None = None
    text: str = "original"
    urls: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


def build(engine: GraphEngine, tweets: list[Tweet], disclosure: str = "d1") -> None:
    """The graph the loader would make of ``tweets``: accounts, tweets (targets outside the
    release as placeholders), POSTED, RETWEET_OF, REPLY_TO, LINKS_TO, TAGGED, IN_DISCLOSURE."""
    accounts = sorted({t.account for t in tweets})
    released = {t.tweetid for t in tweets}
    targets = sorted({x for t in tweets for x in (t.retweet_of, t.reply_to) if x} - released)
    urls = sorted({u for t in tweets for u in t.urls})
    tags = sorted({g for t in tweets for g in t.tags})
    with engine.transaction():
        engine.insert_nodes("Disclosure", node_table("Disclosure", {"id": [disclosure]}))
        engine.insert_nodes(
            "Account",
            node_table(
                "Account",
                {
                    "userid": accounts,
                    "screen_name": [f"name_{a}" for a in accounts],
                    "screen_name_lc": [f"name_{a}" for a in accounts],
                    "in_disclosure": [True] * len(accounts),
                },
            ),
        )
        engine.insert_nodes(
            "Tweet",
            node_table(
                "Tweet",
                {
                    "tweetid": [t.tweetid for t in tweets] + targets,
                    "userid": [t.account for t in tweets] + ["outside"] * len(targets),
                    "text": [t.text for t in tweets] + [None] * len(targets),
                    "time_s": [t.time_s for t in tweets] + [None] * len(targets),
                    "is_retweet": [t.retweet_of is not None for t in tweets]
                    + [False] * len(targets),
                    "in_disclosure": [True] * len(tweets) + [False] * len(targets),
                },
            ),
        )
        if urls:
            engine.insert_nodes("Url", node_table("Url", {"url": urls}))
        if tags:
            engine.insert_nodes("Hashtag", node_table("Hashtag", {"tag": tags}))

        def rels(kind: str, src: str, dst: str, pairs: list[tuple[str, str]]) -> None:
            if pairs:
                rows = rel_table(kind, [p[0] for p in pairs], [p[1] for p in pairs])
                engine.insert_rels(kind, src, dst, rows)

        rels("POSTED", "Account", "Tweet", [(t.account, t.tweetid) for t in tweets])
        rels("IN_DISCLOSURE", "Tweet", "Disclosure", [(t.tweetid, disclosure) for t in tweets])
        rels(
            "RETWEET_OF",
            "Tweet",
            "Tweet",
            [(t.tweetid, t.retweet_of) for t in tweets if t.retweet_of],
        )
        rels("REPLY_TO", "Tweet", "Tweet", [(t.tweetid, t.reply_to) for t in tweets if t.reply_to])
        rels("LINKS_TO", "Tweet", "Url", [(t.tweetid, u) for t in tweets for u in t.urls])
        rels("TAGGED", "Tweet", "Hashtag", [(t.tweetid, g) for t in tweets for g in t.tags])


def edges_of(engine: GraphEngine, method: str, window_s: int) -> dict[tuple[str, str], int]:
    table = stored_edges(engine, method, window_s)
    return {(r["src"], r["dst"]): r["weight"] for r in table.to_pylist()}


def retweet(tweetid: str, account: str, offset: int, original: str = "900") -> Tweet:
    return Tweet(tweetid, account, T0 + offset, retweet_of=original, text="RT @x: original")


# -- the window, the weights -----------------------------------------------------------------------


def test_tweets_exactly_a_window_apart_count_one_second_more_does_not(engine: GraphEngine) -> None:
    build(engine, [retweet("1", "a", 0), retweet("2", "b", 60), retweet("3", "c", 61)])
    run = compute_network(engine, "co-retweet", 60, 1)
    # a-b: exactly 60 s (in); a-c: 61 s (out); b-c: 1 s (in).
    expected = {("a", "b"): 1, ("b", "a"): 1, ("b", "c"): 1, ("c", "b"): 1}
    assert edges_of(engine, "co-retweet", 60) == expected
    assert run.written == 4 and run.events == 3


def test_weights_count_distinct_tweets_per_side_and_min_weight_cuts(engine: GraphEngine) -> None:
    build(
        engine,
        [
            # a retweets original 900 twice and 901 once; b once each: a's three tweets each
            # have one of b's within the window, b's two each have a's.
            retweet("1", "a", 0, "900"),
            retweet("2", "a", 5, "900"),
            retweet("3", "b", 10, "900"),
            retweet("4", "a", 100, "901"),
            retweet("5", "b", 130, "901"),
            retweet("6", "c", 500, "901"),  # too late for anyone
        ],
    )
    compute_network(engine, "co-retweet", 60, 1)
    assert edges_of(engine, "co-retweet", 60) == {("a", "b"): 3, ("b", "a"): 2}
    compute_network(engine, "co-retweet", 60, 3)
    assert edges_of(engine, "co-retweet", 60) == {("a", "b"): 3}


def test_an_account_is_never_paired_with_itself(engine: GraphEngine) -> None:
    build(engine, [retweet("1", "a", 0), retweet("2", "a", 1), retweet("3", "a", 2)])
    run = compute_network(engine, "co-retweet", 60, 1)
    assert run.written == 0 and all_stored(engine) == []


def test_rerun_replaces_that_method_and_window_only(engine: GraphEngine) -> None:
    tweets = [
        retweet("1", "a", 0),
        retweet("2", "b", 30),
        retweet("3", "c", 300),
        Tweet("4", "a", T0, text="Same words"),
        Tweet("5", "c", T0 + 20, text="same   WORDS @someone"),
    ]
    build(engine, tweets)
    compute_network(engine, "co-retweet", 60, 1)
    compute_network(engine, "co-retweet", 600, 1)
    compute_network(engine, "co-tweet", 60, 1)
    before = sorted(map(str, all_stored(engine)))
    assert edges_of(engine, "co-tweet", 60) == {("a", "c"): 1, ("c", "a"): 1}
    assert len(edges_of(engine, "co-retweet", 600)) == 6
    compute_network(engine, "co-retweet", 60, 2)  # nothing that heavy: the window's edges go
    assert edges_of(engine, "co-retweet", 60) == {}
    assert len(edges_of(engine, "co-retweet", 600)) == 6
    assert edges_of(engine, "co-tweet", 60) == {("a", "c"): 1, ("c", "a"): 1}
    compute_network(engine, "co-retweet", 60, 1)
    compute_network(engine, "co-retweet", 60, 1)  # twice: replaced, not doubled
    assert sorted(map(str, all_stored(engine))) == before


def test_the_time_rule_snowflake_where_it_agrees_with_tweet_time(engine: GraphEngine) -> None:
    # Both retweets say 10:00 in tweet_time; their snowflakes are 54.5 s apart.
    early = snowflake(T0 * 1000 + 5_000)
    late = snowflake(T0 * 1000 + 59_500)
    # A snowflake a day off its tweet_time is not believed: tweet_time (T0 + 120) is used.
    off = snowflake((T0 + 86_400) * 1000)
    build(engine, [retweet(early, "a", 0), retweet(late, "b", 0), retweet(off, "c", 120)])
    compute_network(engine, "co-retweet", 30, 1)
    assert edges_of(engine, "co-retweet", 30) == {}  # tweet_time alone would pair a and b
    compute_network(engine, "co-retweet", 55, 1)
    assert edges_of(engine, "co-retweet", 55) == {("a", "b"): 1, ("b", "a"): 1}
    compute_network(engine, "co-retweet", 61, 1)  # b at 59.5 s, c at 120 s: 60.5 s apart
    assert edges_of(engine, "co-retweet", 61) == {
        ("a", "b"): 1,
        ("b", "a"): 1,
        ("b", "c"): 1,
        ("c", "b"): 1,
    }
    events = read_events(engine, get_method("co-retweet"))
    times = dict(
        zip(events.column("tweetid").to_pylist(), events.column("time_ms").to_pylist(), strict=True)
    )
    assert times == {early: T0 * 1000 + 5_000, late: T0 * 1000 + 59_500, off: (T0 + 120) * 1000}


def test_event_time_rows_and_columns_agree() -> None:
    ids = [snowflake(T0 * 1000 + 1_234), snowflake(T0 * 1000 + 61_000), "12345", "x1", "9" * 19]
    seconds = [T0, T0, T0, T0, T0]
    column = event_time_ms(pa.array(ids), pa.array(seconds, pa.int64()))
    assert column.tolist() == [event_time_ms_of(i, s) for i, s in zip(ids, seconds, strict=True)]
    assert column.tolist() == [T0 * 1000 + 1_234, T0 * 1000, T0 * 1000, T0 * 1000, T0 * 1000]
    assert event_time_ms_of("1", None) is None
    assert (
        "snowflake" in event_time.TIME_RULE and event_time.TIME_RULE == coordination_cli.TIME_RULE
    )


# -- what an object is, per method -----------------------------------------------------------------


def test_texts_match_as_the_toolkit_normalises_them() -> None:
    assert normalised_text("Hello  @Bob World\n") == normalised_text("hello world") == "hello world"
    # The toolkit's mention pattern runs to the next space: an address loses its domain too.
    assert normalised_text("mail me at me@example.com now") == "mail me at me now"
    # A tweet of mentions only is empty, and empty texts match each other (as in the toolkit).
    assert normalised_text("@a @b") == normalised_text("  @c") == ""
    assert token_set("Orange, orange! 'quoted' @x") == token_set("orange orange , ! ' 'quoted'")


def test_empty_texts_pair_and_retweets_carry_no_text_or_links(engine: GraphEngine) -> None:
    build(
        engine,
        [
            Tweet("1", "a", T0, text="@x"),
            Tweet("2", "b", T0 + 5, text="@y @z"),
            Tweet("3", "c", T0 + 1, text="@x", retweet_of="900", urls=["https://u.example/1"]),
            Tweet("4", "d", T0 + 2, text="look", urls=["https://u.example/1"]),
            Tweet("5", "e", T0 + 3, text="see", urls=["https://u.example/1"]),
        ],
    )
    compute_network(engine, "co-tweet", 60, 1)
    assert edges_of(engine, "co-tweet", 60) == {("a", "b"): 1, ("b", "a"): 1}
    compute_network(engine, "co-link", 60, 1)
    assert edges_of(engine, "co-link", 60) == {("d", "e"): 1, ("e", "d"): 1}


def test_co_reply_co_hashtag_co_post_and_similar_text(engine: GraphEngine) -> None:
    build(
        engine,
        [
            Tweet("1", "a", T0, reply_to="800", text="the quick brown fox jumps", tags=["x"]),
            Tweet("2", "b", T0 + 9, reply_to="800", text="The quick brown fox jumps!", tags=["x"]),
            Tweet("3", "c", T0 + 20, reply_to="801", text="nothing alike here", tags=["y"]),
        ],
    )
    for method in ("co-reply", "co-hashtag", "co-similar-tweet"):
        compute_network(engine, method, 60, 1, threshold=0.8)
        assert edges_of(engine, method, 60) == {("a", "b"): 1, ("b", "a"): 1}, method
    compute_network(engine, "co-similar-tweet", 60, 1, threshold=0.9)  # 5 of 6 tokens shared
    assert edges_of(engine, "co-similar-tweet", 60) == {}
    compute_network(engine, "co-post", 15, 1)
    assert edges_of(engine, "co-post", 15) == {
        ("a", "b"): 1,
        ("b", "a"): 1,
        ("b", "c"): 1,
        ("c", "b"): 1,
    }


def test_a_disclosure_limits_the_events(engine: GraphEngine) -> None:
    build(engine, [retweet("1", "a", 0), retweet("2", "b", 10)], disclosure="d1")
    compute_network(engine, "co-retweet", 60, 1, disclosure="d1")
    assert len(edges_of(engine, "co-retweet", 60)) == 2
    compute_network(engine, "co-retweet", 60, 1, disclosure="other")
    assert edges_of(engine, "co-retweet", 60) == {}


def test_evidence_of_one_disclosure_lists_its_tweets_only(
    engine: GraphEngine, engine_settings: EngineSettings
) -> None:
    # d1 pairs a and b once; a tweet of d2 would pair them a second time.
    build(engine, [retweet("1", "a", 0), retweet("2", "b", 10)], disclosure="d1")
    with engine.transaction():
        engine.insert_nodes("Disclosure", node_table("Disclosure", {"id": ["d2"]}))
        engine.insert_nodes(
            "Tweet",
            node_table(
                "Tweet",
                {
                    "tweetid": ["3"],
                    "userid": ["a"],
                    "time_s": [T0 + 20],
                    "in_disclosure": [True],
                },
            ),
        )
        for kind, src, dst, pair in (
            ("POSTED", "Account", "Tweet", ("a", "3")),
            ("IN_DISCLOSURE", "Tweet", "Disclosure", ("3", "d2")),
            ("RETWEET_OF", "Tweet", "Tweet", ("3", "900")),
        ):
            engine.insert_rels(kind, src, dst, rel_table(kind, [pair[0]], [pair[1]]))
    compute_network(engine, "co-retweet", 60, 1, disclosure="d1")
    assert edges_of(engine, "co-retweet", 60) == {("a", "b"): 1, ("b", "a"): 1}
    assert len({r.tweet for r in stored_evidence(engine, "a", "b") if r.account == "a"}) == 2
    only = stored_evidence(engine, "a", "b", disclosure="d1")
    assert {(r.account, r.tweet, r.other_tweet) for r in only} == {("a", "1", "2"), ("b", "2", "1")}
    engine.close()  # the CLI opens the database itself
    rows = json.loads(
        cli(engine_settings, "evidence", "a", "b", "--disclosure", "d1", "-f", "json")
    )
    assert {(r["account"], r["tweet"]) for r in rows} == {("a", "1"), ("b", "2")}


def by_tweet(events: pa.Table) -> pa.Table:
    return events.sort_by([("tweetid", "ascending"), ("object", "ascending")])


def test_events_read_in_parts_are_the_events_read_at_once(engine: GraphEngine) -> None:
    # Neo4j reads a method's events in parts at once, by the tweet's minute: every tweet in
    # exactly one part, whatever the number of parts, a time before 1970 too.
    build(engine, [*random_tweets(5), retweet("5001", "u1", -T0 - 90, "91")])
    for name in ("co-retweet", "co-tweet", "co-link", "co-hashtag"):
        engine.read_sessions = 1
        whole = by_tweet(read_events(engine, get_method(name)))
        assert whole.num_rows > 100
        for parts in (2, 3, 7):
            engine.read_sessions = parts
            assert by_tweet(read_events(engine, get_method(name))).equals(whole), (name, parts)
    retweets = read_events(engine, get_method("co-retweet")).to_pylist()
    assert {"account": "u1", "tweetid": "5001", "time_ms": -90_000, "object": "91"} in retweets


def test_a_part_without_events_is_no_loss(engine: GraphEngine) -> None:
    build(engine, [retweet("1", "a", 0), retweet("2", "b", 10)])  # one minute: one part of two
    engine.read_sessions = 2
    assert sorted(read_events(engine, get_method("co-retweet")).column("tweetid").to_pylist()) == [
        "1",
        "2",
    ]
    compute_network(engine, "co-retweet", 60, 1)
    assert edges_of(engine, "co-retweet", 60) == {("a", "b"): 1, ("b", "a"): 1}


def test_edges_written_in_small_parts_are_the_edges_written_at_once(
    engine: GraphEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A million tweets' edges go in several transactions of several statements each.
    build(engine, random_tweets(7))
    compute_network(engine, "co-retweet", 120, 1)
    whole = edges_of(engine, "co-retweet", 120)
    assert len(whole) > 30
    monkeypatch.setattr(store, "SOURCES_PER_STATEMENT", 2)
    monkeypatch.setattr(engine, "write_part_rows", 7)
    run = compute_network(engine, "co-retweet", 120, 1)
    assert run.written == len(whole) and edges_of(engine, "co-retweet", 120) == whole


# -- evidence --------------------------------------------------------------------------------------


def random_tweets(seed: int) -> list[Tweet]:
    rng = random.Random(seed)
    tweets = []
    for n in range(400):
        account = f"u{rng.randrange(12)}"
        offset = rng.randrange(3_000)
        if rng.random() < 0.6:
            tweets.append(retweet(str(n + 1), account, offset, f"9{rng.randrange(8)}"))
        else:
            words = rng.sample(["red", "blue", "green", "cat", "dog", "sun", "moon"], 4)
            tweets.append(
                Tweet(
                    str(n + 1),
                    account,
                    T0 + offset,
                    text=" ".join(words),
                    urls=[f"https://x.example/{rng.randrange(5)}"],
                    tags=[f"t{rng.randrange(4)}"],
                )
            )
    return tweets


def test_every_stored_edge_is_explained_by_its_evidence(engine: GraphEngine) -> None:
    build(engine, random_tweets(3))
    for method in ("co-retweet", "co-link", "co-hashtag", "co-similar-tweet"):
        compute_network(engine, method, 120, 2, threshold=0.6)
    stored = all_stored(engine)
    assert len({e["method"] for e in stored}) == 4 and len(stored) > 40
    for pair in {tuple(sorted((e["src"], e["dst"]))) for e in stored}:
        a, b = pair
        rows = stored_evidence(engine, a, b, threshold=0.6)
        for edge in (e for e in stored if {e["src"], e["dst"]} == {a, b}):
            mine = {
                r.tweet for r in rows if r.method == edge["method"] and r.account == edge["src"]
            }
            assert len(mine) == edge["weight"], (edge, len(mine))
        for row in rows:
            assert abs(row.time_ms - row.other_time_ms) <= row.window_s * 1000
    # One method's rows only, and both tweets' objects are the one shown.
    a, b = stored[0]["src"], stored[0]["dst"]
    only = stored_evidence(engine, a, b, "co-retweet")
    assert {r.method for r in only} <= {"co-retweet"}


def test_evidence_of_a_pair_without_edges_is_empty(engine: GraphEngine) -> None:
    build(engine, [retweet("1", "a", 0), retweet("2", "b", 500)])
    assert stored_evidence(engine, "a", "b") == []
    assert evidence(engine, "a", "b", "co-retweet", 499) == []
    rows = evidence(engine, "a", "b", "co-retweet", 500)
    assert [(r.account, r.tweet, r.other_tweet, r.shared) for r in rows] == [
        ("a", "1", "2", "900"),
        ("b", "2", "1", "900"),
    ]


# -- the sweep against brute force -----------------------------------------------------------------


def brute_force(
    events: list[tuple[str, str, int, str]], window_ms: int, min_weight: int
) -> dict[tuple[str, str], int]:
    tweets: dict[tuple[str, str], set[str]] = {}
    for account, tweet, time_ms, obj in events:
        for other, _tweet, other_ms, other_obj in events:
            if other != account and obj == other_obj and abs(time_ms - other_ms) <= window_ms:
                tweets.setdefault((account, other), set()).add(tweet)
    return {pair: len(t) for pair, t in tweets.items() if len(t) >= min_weight}


@pytest.mark.parametrize("numeric", [False, True])  # ids coded by hashing / by sorting numbers
@pytest.mark.parametrize("spread", [5_000, 10**17])  # the second splits objects into chunks
def test_the_sweep_equals_brute_force(spread: int, numeric: bool) -> None:
    rng = random.Random(spread)
    events = []
    for n in range(600):
        tweet = str(10**18 - 7 * n) if numeric else f"t{n}"
        account = f"a{rng.randrange(15)}"
        time_ms = rng.randrange(spread)
        for obj in rng.sample(range(150), rng.choice([1, 1, 2])):
            events.append((account, tweet, time_ms, str(obj) if numeric else f"o{obj}"))
    table = pa.table(
        {
            "account": [e[0] for e in events],
            "tweetid": [e[1] for e in events],
            "time_ms": pa.array([e[2] for e in events], pa.int64()),
            "object": [e[3] for e in events],
        }
    )
    window = spread // 40
    for min_weight in (1, 2):
        found = directed_weights(CodedEvents.of(table), window, min_weight, batch=97)
        got = {(r["src"], r["dst"]): r["weight"] for r in found.to_pylist()}
        assert got == brute_force(events, window, min_weight)
        assert got


@pytest.mark.parametrize(
    "texts",
    [
        ["10", "9", "10", "123456789012345678", "9"],  # numbers: coded by sorting
        ["7", "007", "+7", "7"],  # one number written three ways: three values
        ["b", "a", "b", ""],
    ],
)
def test_encode_codes_equal_texts_alike_and_keeps_each_text(texts: list[str]) -> None:
    codes, dictionary = encode(pa.array(texts, pa.string()))
    assert [dictionary[int(code)].as_py() for code in codes] == texts
    assert len(dictionary) == len(set(texts))
    assert sorted(set(codes.tolist())) == list(range(len(dictionary)))


def test_compute_edges_orders_heaviest_first() -> None:
    table = pa.table(
        {
            "account": ["a", "a", "b", "c", "c"],
            "tweetid": ["1", "2", "3", "4", "5"],
            "time_ms": pa.array([0, 1, 2, 3, 4], pa.int64()),
            "object": ["o"] * 5,
        }
    )
    edges = compute_edges(table, get_method("co-retweet"), 1, 1).to_pylist()
    weights = [e["weight"] for e in edges]
    assert weights == sorted(weights, reverse=True) and np.sum(weights) > 0


# -- the command line ------------------------------------------------------------------------------


def cli(settings: EngineSettings, *args: str) -> str:
    from conftest import engine_args, engine_env

    root = typer.Typer()
    root.add_typer(coordination_cli.app, name="coordination")
    env = {k: v for k, v in engine_env(settings).items() if v is not None}
    result = CliRunner().invoke(root, ["coordination", *args, *engine_args(settings)], env=env)
    assert result.exit_code == 0, result.output
    return result.output


def test_cli_computes_prints_explains_and_combines(
    engine: GraphEngine, engine_settings: EngineSettings
) -> None:
    build(
        engine,
        [
            retweet("1", "a", 0),
            retweet("2", "b", 30),
            retweet("3", "b", 35, "901"),
            retweet("4", "a", 40, "901"),
        ],
    )
    engine.close()  # the CLI opens the database itself
    found = json.loads(
        cli(engine_settings, "co-retweet", "--window", "60", "--min-weight", "2", "-f", "json")
    )
    assert found["edges"] == 2 and found["method"] == "co-retweet"
    assert {(p["src"], p["dst"], p["weight"]) for p in found["top"]} == {
        ("a", "b", 2),
        ("b", "a", 2),
    }
    assert {p["src_name"] for p in found["top"]} == {"name_a", "name_b"}
    table = cli(engine_settings, "co-retweet", "--window", "60", "--min-weight", "2")
    assert "2 COORDINATED_WITH edges stored" in table and "name_a" in table
    rows = json.loads(
        cli(engine_settings, "evidence", "@name_a", "b", "--method", "co-retweet", "-f", "json")
    )
    assert {(r["account"], r["tweet"], r["other_tweet"]) for r in rows} == {
        ("a", "1", "2"),
        ("a", "4", "3"),
        ("b", "2", "1"),
        ("b", "3", "4"),
    }
    csv_text = cli(engine_settings, "evidence", "a", "b", "-f", "csv")
    assert csv_text.splitlines()[0].startswith("method,window_s,account,tweet,time")
    cli(engine_settings, "co-post", "--window", "60", "--min-weight", "1")
    combined = json.loads(cli(engine_settings, "combined", "--min-methods", "2", "-f", "json"))
    assert {(r["src"], r["n_methods"], r["methods"]) for r in combined} == {
        ("a", 2, "co-post@60s, co-retweet@60s"),
        ("b", 2, "co-post@60s, co-retweet@60s"),
    }


def test_cli_help_states_the_time_rule_and_every_method_has_a_command() -> None:
    root = typer.Typer()
    root.add_typer(coordination_cli.app, name="coordination")
    runner = CliRunner()
    for name in METHODS:
        result = runner.invoke(root, ["coordination", name, "--help"], env={"COLUMNS": "300"})
        assert result.exit_code == 0 and "snowflake" in result.output, name
        assert ("--threshold" in result.output) == (name == "co-similar-tweet"), name
    assert (
        "snowflake"
        in runner.invoke(root, ["coordination", "--help"], env={"COLUMNS": "300"}).output
    )


def test_unknown_method_and_account_are_errors_a_user_can_act_on(engine: GraphEngine) -> None:
    build(engine, [retweet("1", "a", 0)])
    with pytest.raises(CoordinationError, match="unknown coordination method"):
        compute_network(engine, "co-nothing", 60, 1)
    from infoops.analysis.coordination.evidence import resolve_account

    with pytest.raises(CoordinationError, match="no account"):
        resolve_account(engine, "@nobody")
    assert resolve_account(engine, "@NAME_A") == "a"
    with pytest.raises(CoordinationError, match="minimum weight"):
        compute_network(engine, "co-retweet", 60, 0)


def test_combined_lists_methods_and_weights(engine: GraphEngine) -> None:
    build(
        engine,
        [
            retweet("1", "a", 0),
            retweet("2", "b", 30),
            Tweet("3", "a", T0, text="x"),
            Tweet("4", "b", T0 + 1, text="X"),
        ],
    )
    compute_network(engine, "co-retweet", 60, 1)
    compute_network(engine, "co-tweet", 60, 1)
    rows = combined_pairs(engine, min_methods=2)
    assert [(r["src"], r["methods"], r["weights"], r["total"]) for r in rows] == [
        ("a", "co-retweet@60s, co-tweet@60s", "1, 1", 2),
        ("b", "co-retweet@60s, co-tweet@60s", "1, 1", 2),
    ]


def test_every_method_the_field_uses_is_registered() -> None:
    assert set(METHODS) == {
        "co-retweet",
        "co-tweet",
        "co-similar-tweet",
        "co-reply",
        "co-link",
        "co-domain",
        "co-hashtag",
        "co-mention",
        "co-post",
    }
