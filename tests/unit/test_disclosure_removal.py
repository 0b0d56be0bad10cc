"""``infoops disclosures remove``: removing disclosure A from a graph holding A and B leaves the
graph a load of B alone makes, node for node and property for property, on both engines."""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from conftest import engine_args, engine_env, graph_contents, graph_counts
from infoops.cli import disclosures
from infoops.engines import EngineSettings, GraphEngine, open_engine
from infoops.engines.base import node_table, rel_table
from infoops.errors import DisclosureNotFoundError, RemovalRefusedError
from infoops.loaders.disclosure_list import disclosure_ids
from infoops.loaders.removal import remove_disclosure
from infoops.loaders.removal.remove import STALE_ANALYSIS_HINT
from infoops.loaders.twitter_io import load_twitter
from twitter_files import account, tweet, write_tweets

SHARED = account("100", "shared_acct", follower_count="40")  # released by both
ONLY_A = account("200", "only_a")  # released by A; B retweets, replies to and quotes its tweets
MENTIONED_BY_B = account("201", "mentioned_by_b")  # released by A, mentioned by B
A_ALONE = account("202", "a_alone")  # released by A, nothing of B refers to it
ONLY_B = account("300", "only_b")  # released by B, mentioned by A (a placeholder of A's)

SHARED_TWEET = tweet(
    "5000",
    SHARED,
    hashtags="['Both']",
    urls="['https://shared.example/x']",
    tweet_time="2020-02-01 08:00",
)


def rows_of_a() -> list[dict[str, str]]:
    return [
        SHARED_TWEET,
        tweet("2001", ONLY_A, hashtags="['Both', 'OnlyA']", tweet_time="2020-01-01 10:00"),
        tweet("2002", ONLY_A, urls="['https://shared.example/z']", tweet_time="2020-01-02 10:00"),
        tweet("2003", ONLY_A, tweet_time="2020-01-03 10:00"),
        tweet("2010", MENTIONED_BY_B, user_mentions="[300, 900]", tweet_time="2020-01-04 10:00"),
        tweet(
            "2011",
            A_ALONE,
            is_retweet="True",
            retweet_userid="901",
            retweet_tweetid="9001",
            tweet_text="RT @ext_user: outside",
            urls="['https://onlya.example/y']",
            tweet_time="2020-01-05 10:00",
        ),
        tweet(
            "2012",
            A_ALONE,
            is_retweet="True",
            retweet_userid="300",
            retweet_tweetid="3002",
            tweet_text="RT @only_b: text of 3002",
            tweet_time="2020-01-06 10:00",
        ),
        tweet(  # A retweets A: both go
            "2013",
            MENTIONED_BY_B,
            is_retweet="True",
            retweet_userid="202",
            retweet_tweetid="2014",
            tweet_text="RT @a_alone: inside",
            tweet_time="2020-01-07 10:00",
        ),
        tweet("2014", A_ALONE, tweet_time="2020-01-07 09:00"),
        tweet(  # A retweets the shared account's tweet: AMPLIFIED counts it until A goes
            "2015",
            ONLY_A,
            is_retweet="True",
            retweet_userid="100",
            retweet_tweetid="5000",
            tweet_text="RT @shared_acct: text of 5000",
            tweet_time="2020-03-01 10:00",
        ),
    ]


def rows_of_b() -> list[dict[str, str]]:
    return [
        SHARED_TWEET,
        tweet(
            "3001",
            SHARED,
            is_retweet="True",
            retweet_userid="200",
            retweet_tweetid="2001",
            tweet_text="RT @only_a: text of 2001",
            hashtags="['Both']",
            user_mentions="[201]",
            urls="['https://shared.example/x']",
            tweet_time="2020-02-02 10:00",
        ),
        tweet("3002", ONLY_B, tweet_time="2020-01-01 12:00"),
        tweet(
            "3003",
            ONLY_B,
            in_reply_to_tweetid="2002",
            in_reply_to_userid="200",
            tweet_time="2020-02-03 10:00",
        ),
        tweet("3004", ONLY_B, quoted_tweet_tweetid="2003", tweet_time="2020-02-04 10:00"),
        tweet(
            "3005",
            ONLY_B,
            is_retweet="True",
            retweet_userid="100",
            retweet_tweetid="5000",
            tweet_text="RT @shared_acct: text of 5000",
            tweet_time="2020-02-05 10:00",
        ),
    ]


# Indicators as the indicators loader writes them (one node per indicator, linked to each
# disclosure that publishes it, NAMES to the domain when the graph has it).
INDICATORS_A = ["domain_name:onlya.example", "domain_name:shared.example"]
INDICATORS_B = ["domain_name:shared.example"]


def publish_indicators(engine: GraphEngine, disclosure: str, ids: list[str]) -> None:
    with engine.transaction():
        new = [key for key in ids if key not in engine.existing_keys("Indicator", ids)]
        values = [key.split(":", 1)[1] for key in new]
        engine.insert_nodes(
            "Indicator",
            node_table(
                "Indicator", {"id": new, "type": ["domain_name"] * len(new), "value": values}
            ),
        )
        engine.insert_rels(
            "IN_DISCLOSURE",
            "Indicator",
            "Disclosure",
            rel_table("IN_DISCLOSURE", ids, [disclosure] * len(ids)),
        )
        domains = engine.existing_keys("Domain", values)
        named = [(key, value) for key, value in zip(new, values, strict=True) if value in domains]
        engine.insert_rels(
            "NAMES",
            "Indicator",
            "Domain",
            rel_table("NAMES", [k for k, _ in named], [v for _, v in named]),
        )


class Releases:
    """The two releases' files, written once per test."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.a = write_tweets(folder / "a" / "a_tweets.csv", rows_of_a())
        self.b = write_tweets(folder / "b" / "b_tweets.csv", rows_of_b())

    def load_a(self, engine: GraphEngine) -> None:
        load_twitter(engine, [self.a], "A", quarantine_path=self.folder / "qa.csv")
        publish_indicators(engine, "A", INDICATORS_A)

    def load_b(self, engine: GraphEngine) -> None:
        load_twitter(engine, [self.b], "B", quarantine_path=self.folder / "qb.csv")
        publish_indicators(engine, "B", INDICATORS_B)


def contents(engine: GraphEngine) -> dict[str, list[Any]]:
    """graph_contents with each Disclosure's loaded_at left out: the one thing two loads of the
    same files do not share."""
    found = graph_contents(engine)
    at = 5  # the model's order: id, platform, name, released, source, loaded_at, ...
    found["Disclosure"] = [row[:at] + row[at + 1 :] for row in found["Disclosure"]]
    return found


def b_alone(engine: GraphEngine, releases: Releases) -> dict[str, list[Any]]:
    """The graph of B loaded into an empty database; the database emptied again after."""
    releases.load_b(engine)
    expected = contents(engine)
    engine.delete_everything()
    return expected


def plant_analysis(engine: GraphEngine) -> None:
    """A coordination edge between B's accounts and a cluster on one: stale once A goes."""
    with engine.transaction():
        engine.insert_rels(
            "COORDINATED_WITH",
            "Account",
            "Account",
            rel_table(
                "COORDINATED_WITH",
                ["100"],
                ["300"],
                {"weight": [2.0], "window_s": [60], "method": ["co_retweet"]},
            ),
        )
        engine.run(
            "MATCH (a:Account {userid: '300'}) SET a.cluster = 1, a.kcore = 2, a.role = 'hub'"
        )


@pytest.mark.parametrize("order", ["A-then-B", "B-then-A"])
def test_removing_a_leaves_the_graph_of_b_alone(
    engine: GraphEngine, tmp_path: Path, order: str
) -> None:
    """Shared account and tweet, a tweet of A retweeted, replied to and quoted by B, accounts
    of A mentioned by B and of B by A, hashtags, URLs, domains and indicators of both and of A
    alone, derived edges counting A's tweets: every one of them as B alone has it."""
    releases = Releases(tmp_path)
    expected = b_alone(engine, releases)
    loads = [releases.load_a, releases.load_b]
    for load in loads if order == "A-then-B" else loads[::-1]:
        load(engine)
    plant_analysis(engine)
    assert contents(engine) != expected  # A is there: the comparison below can fail

    report = remove_disclosure(engine, "A", batch=2)

    assert contents(engine) == expected
    assert disclosure_ids(engine) == ["B"]
    assert report.stale_analysis
    assert (report.coordination_edges_cleared, report.clustered_accounts_cleared) == (1, 1)
    assert report.unlinked == {"Account": 1, "Tweet": 1, "Indicator": 1}
    # 2001-2003 referred to by B; 200 (posted them) and 201 (mentioned) likewise.
    assert report.placeholders == {"Tweet": 3, "Account": 2}


def test_removing_b_then_a_leaves_an_empty_graph_that_loads_again(
    engine: GraphEngine, tmp_path: Path
) -> None:
    releases = Releases(tmp_path)
    releases.load_a(engine)
    releases.load_b(engine)
    remove_disclosure(engine, "B")
    remove_disclosure(engine, "A")
    assert set(graph_counts(engine).values()) == {0}
    releases.load_b(engine)  # the schema stayed
    assert disclosure_ids(engine) == ["B"]


def test_an_unknown_name_is_a_one_line_error_listing_the_loaded_ones(
    engine: GraphEngine, tmp_path: Path
) -> None:
    releases = Releases(tmp_path)
    with pytest.raises(DisclosureNotFoundError, match=r"'A'; loaded: none$"):
        remove_disclosure(engine, "A")
    releases.load_a(engine)
    releases.load_b(engine)
    with pytest.raises(DisclosureNotFoundError) as raised:
        remove_disclosure(engine, "C")
    assert str(raised.value) == "no disclosure named 'C'; loaded: A, B"
    assert graph_counts(engine)["Tweet"] > 0


class Killed(Exception):
    """Stands for a kill -9: nothing of the transaction it stops is committed."""


@contextlib.contextmanager
def killed_at(engine: GraphEngine, transaction: int) -> Iterator[list[int]]:
    """The engine's ``transaction``-th transaction from now never starts: it raises Killed."""
    real = engine.transaction
    started = [0]

    def counting() -> Any:
        started[0] += 1
        if started[0] == transaction:
            raise Killed(f"killed at transaction {transaction}")
        return real()

    engine.transaction = counting  # type: ignore[method-assign]
    try:
        yield started
    finally:
        engine.transaction = real  # type: ignore[method-assign]


@pytest.mark.parametrize("kill_at", [2, 20, 60, 68, 75, 80])
def test_a_removal_killed_half_way_is_finished_by_running_it_again(
    engine: GraphEngine, tmp_path: Path, kill_at: int
) -> None:
    """Killed (batches of one key, 80 transactions in all) while unlinking shared nodes,
    stripping A's tweets, settling its tweets, its accounts, rewriting the derived edges, or
    just before the Disclosure node goes: a second run leaves the graph of B alone."""
    releases = Releases(tmp_path)
    expected = b_alone(engine, releases)
    releases.load_a(engine)
    releases.load_b(engine)
    with killed_at(engine, kill_at), pytest.raises(Killed):
        remove_disclosure(engine, "A", batch=1)
    assert disclosure_ids(engine) == ["A", "B"]
    remove_disclosure(engine, "A", batch=1)
    assert contents(engine) == expected


def test_a_disclosure_whose_load_was_killed_is_finished_then_removed(
    engine: GraphEngine, tmp_path: Path
) -> None:
    """A's last rows are not yet linked to it: the removal finishes A's load from its staged
    files first, so none of A's rows stays behind unlinked."""
    releases = Releases(tmp_path)
    expected = b_alone(engine, releases)
    releases.load_b(engine)
    # The Disclosure node and journal, then a few staged files, then killed.
    with killed_at(engine, 5), pytest.raises(Killed):
        load_twitter(engine, [releases.a], "A", quarantine_path=tmp_path / "qa.csv")
    assert engine.run("MATCH (d:Disclosure {id: 'A'}) RETURN d.load_stage").scalar()
    report = remove_disclosure(engine, "A")
    assert report.resumed_load
    assert contents(engine) == expected


def test_removal_refuses_while_another_disclosure_has_an_unfinished_load(
    engine: GraphEngine, tmp_path: Path
) -> None:
    releases = Releases(tmp_path)
    releases.load_a(engine)
    with killed_at(engine, 5), pytest.raises(Killed):
        load_twitter(engine, [releases.b], "B", quarantine_path=tmp_path / "qb.csv")
    before = graph_counts(engine)
    with pytest.raises(RemovalRefusedError, match="a load of B was interrupted while writing"):
        remove_disclosure(engine, "A")
    assert graph_counts(engine) == before


def test_a_large_removal_goes_in_batches_of_bounded_transactions(
    engine: GraphEngine, tmp_path: Path
) -> None:
    """No transaction of a removal touches more than its batch of keys: with a batch of 50,
    2,000 released tweets go in many transactions, and the graph is empty after."""
    rows = [
        tweet(str(10_000 + n), account(str(1_000 + n % 40)), hashtags=f"['t{n % 7}']")
        for n in range(2_000)
    ]
    path = write_tweets(tmp_path / "big_tweets.csv", rows)
    load_twitter(engine, [path], "BIG", quarantine_path=tmp_path / "q.csv")
    with killed_at(engine, 10_000) as started:
        remove_disclosure(engine, "BIG", batch=50)
    assert started[0] >= 2 * 2_000 // 50  # stripped, then settled, 50 tweets a time
    assert set(graph_counts(engine).values()) == {0}


def test_the_remove_command_reports_and_says_to_recompute_stale_analysis(
    engine_settings: EngineSettings, tmp_path: Path
) -> None:
    releases = Releases(tmp_path)
    with open_engine(engine_settings) as engine:
        releases.load_a(engine)
        releases.load_b(engine)
        plant_analysis(engine)
    root = typer.Typer()
    root.add_typer(disclosures.app, name="disclosures")
    runner = CliRunner()
    env, args = engine_env(engine_settings), engine_args(engine_settings)
    done = runner.invoke(root, ["disclosures", "remove", "A", "--quiet", *args], env=env)
    assert done.exit_code == 0, done.output
    assert done.stdout.startswith("removed A: deleted ")
    assert done.stderr.strip() == STALE_ANALYSIS_HINT
    unknown = runner.invoke(root, ["disclosures", "remove", "A", *args], env=env)
    assert isinstance(unknown.exception, DisclosureNotFoundError)
    assert str(unknown.exception) == "no disclosure named 'A'; loaded: B"


def test_a_killed_load_whose_staged_files_are_gone_is_refused(
    engine: GraphEngine, tmp_path: Path
) -> None:
    """Without the staged files nothing says which of the graph's unlinked rows are A's: the
    removal says so and changes nothing."""
    releases = Releases(tmp_path)
    releases.load_b(engine)
    with killed_at(engine, 5), pytest.raises(Killed):
        load_twitter(engine, [releases.a], "A", quarantine_path=tmp_path / "qa.csv")
    staged = engine.run("MATCH (d:Disclosure {id: 'A'}) RETURN d.load_stage").scalar()
    shutil.rmtree(staged)
    before = contents(engine)
    with pytest.raises(RemovalRefusedError, match=r"staged files \(.*\) are gone"):
        remove_disclosure(engine, "A")
    assert contents(engine) == before


def test_removing_a_twitter_release_keeps_what_an_indicator_file_names(
    engine: GraphEngine, tmp_path: Path
) -> None:
    """An indicator file names a domain and a URL that a Twitter release also links to; the
    indicators loader makes those nodes itself when the graph lacks them. Removing the Twitter
    release must leave them as loading the indicators alone makes them: NAMES keeps a Url or
    Domain as a tweet's link does."""
    from infoops.loaders.meta_indicators import load_indicators

    link = "https://shared.example/story"
    tweets = write_tweets(
        tmp_path / "t" / "t_tweets.csv",
        [tweet("5001", SHARED, urls=f"['{link}']", tweet_time="2020-01-01 10:00")],
    )
    indicators = tmp_path / "i" / "indicators.csv"
    indicators.parent.mkdir()
    indicators.write_text(
        "indicator_type,indicator_value,comment,ds\n"
        "domain_name,shared[.]example,a domain,2022-09-27\n"
        f"cib_url,{link.replace('https', 'hxxps').replace('.example', '[.]example')},a url,"
        "2022-09-27\n",
        encoding="utf-8",
    )

    def load_i() -> None:
        load_indicators(engine, [indicators], "I", quarantine_path=tmp_path / "qi.csv")

    load_i()
    expected = contents(engine)
    engine.delete_everything()
    load_twitter(engine, [tweets], "T", quarantine_path=tmp_path / "qt.csv")
    load_i()
    assert engine.count("MATCH (:Indicator)-[r:NAMES]->() RETURN count(r)") == 2

    remove_disclosure(engine, "T")

    assert contents(engine) == expected
