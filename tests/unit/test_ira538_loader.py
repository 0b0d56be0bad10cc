"""The Clemson / FiveThirtyEight IRA loader on both engines: the real excerpt, variants of it the
tests write (bad rows, retweets naming their author), and Twitter's own IRA release in the same
graph."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
import typer
from typer.testing import CliRunner

from conftest import engine_args, engine_env, graph_counts
from infoops.cli.load_ira538 import DEFAULT_DISCLOSURE as CLI_DEFAULT
from infoops.cli.load_ira538 import ira538
from infoops.engines import EngineSettings, GraphEngine
from infoops.errors import InputFileError
from infoops.loaders.ira538 import DEFAULT_DISCLOSURE, load_ira538
from infoops.loaders.ira538.languages import language_codes
from infoops.loaders.twitter_io import load_twitter
from infoops.loaders.twitter_io.fields import domain_of
from twitter_files import SAMPLES, account, write_users

SAMPLE = SAMPLES / "ira_538" / "IRAhandle_tweets_1_excerpt.csv"
TWITTER_IRA = [
    SAMPLES / "twitter_io" / "ira_users_csv_hashed_excerpt.csv",
    SAMPLES / "twitter_io" / "ira_tweets_csv_hashed_excerpt.csv",
]
TEN_GOP_ID = "4224729994"


def sample_rows() -> tuple[list[str], list[dict[str, str]]]:
    with SAMPLE.open(encoding="utf-8", newline="") as stream:
        reader = csv.DictReader(stream)
        return list(reader.fieldnames or []), list(reader)


HEADER, ROWS = sample_rows()


def variant(path: Path, rows: list[dict[str, str]]) -> Path:
    """A 538 file of ``rows`` (sample rows with some fields changed), written as the set is."""
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, HEADER, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def row(index: int = 0, **changed: str) -> dict[str, str]:
    return {**ROWS[index], **changed}


def rows_of(engine: GraphEngine, cypher: str, **params: object) -> list[list[Any]]:
    return engine.run(cypher, params).rows


def load(engine: GraphEngine, tmp_path: Path, *paths: Path, disclosure: str = DEFAULT_DISCLOSURE):  # type: ignore[no-untyped-def]
    return load_ira538(engine, list(paths), disclosure, quarantine_path=tmp_path / "q.csv")


# -- the real excerpt ----------------------------------------------------------------------------


def test_real_excerpt_loads_reconciled_with_labels_links_and_times(
    engine: GraphEngine, tmp_path: Path
) -> None:
    report = load(engine, tmp_path, SAMPLE)
    assert report.reconciles and report.quarantine_path is None
    (f,) = report.files
    assert (f.kind, f.rows_read, f.loaded, f.already_present, f.rejected) == (
        "tweets",
        11,
        11,
        0,
        0,
    )
    # The account is keyed by alt_external_id; external_author_id (float-damaged) is no id.
    first = ROWS[0]
    assert first["external_author_id"] == "906000000000000000"
    assert rows_of(engine, "MATCH (a:Account) WHERE a.in_disclosure RETURN a.userid") == [
        [first["alt_external_id"]]
    ]
    assert (
        rows_of(engine, "MATCH (a:Account {userid: $id}) RETURN a", id="906000000000000000") == []
    )
    assert rows_of(
        engine,
        "MATCH (a:Account {userid: $id})-[:IN_DISCLOSURE]->(d:Disclosure) "
        "RETURN a.screen_name, a.hashed, a.account_category, a.account_type, a.followers, "
        "a.following, d.id, d.platform",
        id=first["alt_external_id"],
    ) == [["10_GOP", False, "RightTroll", "Right", 9636, 1052, DEFAULT_DISCLOSURE, "twitter"]]
    # Every row a tweet of the disclosure, posted by the account, at its publish_date (UTC).
    tweets = rows_of(
        engine,
        "MATCH (a:Account)-[:POSTED]->(t:Tweet)-[:IN_DISCLOSURE]->(:Disclosure) "
        "RETURN t.tweetid, a.userid, t.time, t.time_s, t.lang, t.is_retweet, t.text "
        "ORDER BY t.tweetid",
    )
    assert len(tweets) == 11
    by_id = {tweet[0]: tweet for tweet in tweets}
    assert by_id["914580356430536707"][1:] == [
        first["alt_external_id"],
        "2017-10-01T19:58:00Z",
        1506887880,
        "en",
        False,
        first["content"],
    ]
    assert by_id["914312219952861184"][2] == "2017-10-01T02:13:00Z"  # single-digit hour
    retweets = sorted(r["tweet_id"] for r in ROWS if r["post_type"] == "RETWEET")
    assert sorted(t[0] for t in tweets if t[5]) == retweets and len(retweets) == 3
    # Links: the expanded tco*_step1 URLs, each on its domain, as the Twitter loader links urls.
    expected = {
        (r["tweet_id"], r[c])
        for r in ROWS
        for c in ("tco1_step1", "tco2_step1", "tco3_step1")
        if r[c]
    }
    links = rows_of(
        engine,
        "MATCH (t:Tweet)-[:LINKS_TO]->(u:Url)-[:ON_DOMAIN]->(d:Domain) "
        "RETURN t.tweetid, u.url, d.name",
    )
    assert {(t, u) for t, u, _ in links} == expected and len(links) == len(expected) == 8
    assert all(d == domain_of(u) for _, u, d in links)
    assert {d for _, _, d in links} == {"twitter.com", "cnn.com"}
    # Hashtags and @mentions from the text; a handle never seen is an account keyed '@name'.
    tags = rows_of(
        engine, "MATCH (t:Tweet)-[:TAGGED]->(h:Hashtag) RETURN t.tweetid, h.tag, h.spelling"
    )
    assert sorted(tags) == [
        ["914312219952861184", "standforouranthem", "StandForOurAnthem"],
        ["914623490375979008", "boycottnfl", "BoycottNFL"],
    ]
    mentioned = rows_of(
        engine,
        "MATCH (a:Account)-[e:MENTIONED]->(b:Account) "
        "RETURN a.userid, b.userid, b.screen_name, b.in_disclosure, e.count",
    )
    assert sorted(mentioned) == [
        [first["alt_external_id"], "@carmenyulincruz", "CarmenYulinCruz", False, 1],
        [first["alt_external_id"], "@cnn", "CNN", False, 2],
        [first["alt_external_id"], "@nedryun", "nedryun", False, 1],
        [first["alt_external_id"], "@senatormenendez", "SenatorMenendez", False, 1],
    ]


def test_reloading_the_excerpt_loads_nothing_and_changes_no_count(
    engine: GraphEngine, tmp_path: Path
) -> None:
    load(engine, tmp_path, SAMPLE)
    before = graph_counts(engine)
    report = load(engine, tmp_path, SAMPLE)
    (f,) = report.files
    assert (f.rows_read, f.loaded, f.already_present, f.rejected) == (11, 0, 11, 0)
    assert report.reconciles and graph_counts(engine) == before


# -- rows the loader refuses ---------------------------------------------------------------------


def test_bad_rows_are_quarantined_with_line_and_reason(engine: GraphEngine, tmp_path: Path) -> None:
    rows = [
        row(0, content="first line\nsecond line"),  # lines 2-3
        row(1, alt_external_id=""),  # 4
        row(2, alt_external_id="9.05875E+17"),  # 5: a spreadsheet's float
        row(3, tweet_id="9.14639E+17"),  # 6
        row(4, publish_date="2/30/2017 2:13"),  # 7: Arrow alone would read March 2
        row(5, publish_date="2017-10-01 02:47"),  # 8
        row(6, followers="many"),  # 9
        row(7, retweet="yes"),  # 10
        row(8, post_type="REPLY"),  # 11
        row(9, alt_external_id="abc"),  # 12
        row(0, content="the same tweet id, other text"),  # 13: a conflicting copy
        row(10),  # 14
    ]
    path = variant(tmp_path / "IRAhandle_tweets_9.csv", rows)
    with path.open("a", encoding="utf-8") as stream:
        stream.write("1,too,few\n")  # 15
    report = load(engine, tmp_path, path)
    with (tmp_path / "q.csv").open(encoding="utf-8", newline="") as stream:
        rejected = sorted(csv.DictReader(stream), key=lambda r: int(r["line"]))
    assert [(r["line"], r["reason"]) for r in rejected] == [
        ("4", "alt_external_id is empty"),
        ("5", "alt_external_id was damaged by float conversion: '9.05875E+17'"),
        ("6", "tweet_id was damaged by float conversion: '9.14639E+17'"),
        ("7", "publish_date is not M/D/YYYY H:MM: '2/30/2017 2:13'"),
        ("8", "publish_date is not M/D/YYYY H:MM: '2017-10-01 02:47'"),
        ("9", "followers is not a number: 'many'"),
        ("10", "retweet is not 0 or 1: 'yes'"),
        ("11", "post_type is not RETWEET, QUOTE_TWEET or empty: 'REPLY'"),
        ("12", "alt_external_id is not a numeric id: 'abc'"),
        (
            "13",
            f"conflict: tweetid {ROWS[0]['tweet_id']} has different content than the copy "
            f"kept from {path} line 2",
        ),
        ("15", "expected 21 fields, found 3"),
    ]
    # The record is the row as the file has it, in its 21 columns.
    assert next(csv.reader([rejected[1]["record"]])) == [rows[2][c] for c in HEADER]
    assert next(csv.reader([rejected[9]["record"]]))[HEADER.index("content")] == (
        "the same tweet id, other text"
    )
    (f,) = report.files
    assert (f.rows_read, f.loaded, f.already_present, f.rejected) == (13, 2, 0, 11)
    assert report.reconciles
    assert rows_of(engine, "MATCH (t:Tweet) RETURN t.tweetid ORDER BY t.tweetid") == sorted(
        [[ROWS[0]["tweet_id"]], [ROWS[10]["tweet_id"]]]
    )
    assert rows_of(
        engine, "MATCH (t:Tweet {tweetid: $id}) RETURN t.text", id=ROWS[0]["tweet_id"]
    ) == [["first line\nsecond line"]]


def test_a_file_that_is_not_538_is_refused_before_anything_is_written(
    engine: GraphEngine, tmp_path: Path
) -> None:
    with pytest.raises(InputFileError, match="not a Clemson / FiveThirtyEight IRA tweets file"):
        load(engine, tmp_path, SAMPLE, TWITTER_IRA[0])
    assert sum(graph_counts(engine).values()) == 0


# -- retweets, mentions and labels across accounts ------------------------------------------------


def test_rt_prefix_retweets_amplify_the_named_account_even_one_loaded_later(
    engine: GraphEngine, tmp_path: Path
) -> None:
    ten_gop = {"author": "TEN_GOP", "alt_external_id": TEN_GOP_ID, "account_category": "RightTroll"}
    first = variant(
        tmp_path / "IRAhandle_tweets_1.csv",
        [
            row(
                0, tweet_id="11", post_type="RETWEET", retweet="1", content="RT @ten_gop: Big news"
            ),
            row(1, tweet_id="12", post_type="RETWEET", retweet="1", content="RT @nobody_known: x"),
            row(2, tweet_id="13", post_type="RETWEET", retweet="1", content="no prefix here"),
            row(3, tweet_id="14", content="RT @TEN_GOP: not a retweet by post_type or flag"),
            row(4, tweet_id="15", post_type="", retweet="0", content="hello @Ten_Gop"),
        ],
    )
    # The retweeted account's own rows come in a later file (the set is sorted by author).
    second = variant(tmp_path / "IRAhandle_tweets_2.csv", [row(5, tweet_id="21", **ten_gop)])
    report = load(engine, tmp_path, first, second)
    assert report.reconciles and report.total("loaded") == 6
    gop = ROWS[0]["alt_external_id"]
    retweeted = rows_of(
        engine,
        "MATCH (t:Tweet)-[:RETWEET_OF]->(o:Tweet)<-[:POSTED]-(a:Account) "
        "RETURN t.tweetid, o.tweetid, o.in_disclosure, a.userid ORDER BY t.tweetid",
    )
    assert retweeted == [
        ["11", "retweeted-by-11", False, TEN_GOP_ID],
        ["12", "retweeted-by-12", False, "@nobody_known"],
    ]
    amplified = rows_of(
        engine,
        "MATCH (a:Account)-[e:AMPLIFIED]->(b:Account) RETURN a.userid, b.userid, e.count, e.first",
    )
    assert sorted(amplified) == [
        [gop, TEN_GOP_ID, 1, "2017-10-01T19:58:00Z"],
        [gop, "@nobody_known", 1, "2017-10-01T22:43:00Z"],
    ]
    mentioned = rows_of(
        engine,
        "MATCH (a:Account)-[e:MENTIONED]->(b:Account {userid: $id}) RETURN a.userid, e.count",
        id=TEN_GOP_ID,
    )
    assert mentioned == [[gop, 3]]  # 11, 14 and 15: the handle in any case
    assert rows_of(
        engine,
        "MATCH (a:Account {userid: $id}) RETURN a.screen_name, a.in_disclosure, a.account_category",
        id=TEN_GOP_ID,
    ) == [["TEN_GOP", True, "RightTroll"]]
    assert rows_of(engine, "MATCH (a:Account) WHERE a.userid = '@ten_gop' RETURN a") == []


def test_labels_and_mentions_meet_an_account_another_disclosure_released(
    engine: GraphEngine, tmp_path: Path
) -> None:
    gop = ROWS[0]["alt_external_id"]
    users = write_users(
        tmp_path / "users.csv",
        [account(gop, "10_GOP", follower_count="9000"), account("555", "NedRyun")],
    )
    load_twitter(engine, [users], "twitter-numeric", quarantine_path=tmp_path / "q0.csv")
    report = load(engine, tmp_path, SAMPLE)
    assert report.reconciles
    assert rows_of(
        engine,
        "MATCH (a:Account {userid: $id})-[:IN_DISCLOSURE]->(d:Disclosure) "
        "RETURN d.id, a.account_category, a.account_type ORDER BY d.id",
        id=gop,
    ) == [[DEFAULT_DISCLOSURE, "RightTroll", "Right"], ["twitter-numeric", "RightTroll", "Right"]]
    # '@nedryun' in the text is the account the graph knows under that screen name.
    assert rows_of(
        engine,
        "MATCH (:Account {userid: $id})-[e:MENTIONED]->(b:Account {userid: '555'}) RETURN e.count",
        id=gop,
    ) == [[1]]
    assert rows_of(engine, "MATCH (a:Account {userid: '@nedryun'}) RETURN a") == []


@pytest.mark.parametrize("twitter_first", [True, False], ids=["twitter-first", "538-first"])
def test_twitter_ira_release_and_538_rows_share_accounts_where_ids_match(
    engine: GraphEngine, tmp_path: Path, twitter_first: bool
) -> None:
    """The real excerpts share no id: Twitter's IRA accounts are hashed, and the only numeric
    account they name (2572896396, ruopentwit, retweeted) has no row in the 538 excerpt. So a
    538 variant adds rows by that account: the two releases then meet on it."""
    twitter_ids = set()
    for path in TWITTER_IRA:
        with path.open(encoding="utf-8", newline="") as stream:
            for r in csv.DictReader(stream):
                twitter_ids |= {r["userid"], r.get("retweet_userid", ""), r.get("tweetid", "")}
    in_538 = {r["alt_external_id"] for r in ROWS} | {r["tweet_id"] for r in ROWS}
    assert not twitter_ids & in_538
    assert "2572896396" in twitter_ids
    ruopentwit = {
        "author": "ruopentwit",
        "alt_external_id": "2572896396",
        "account_type": "Russian",
    }
    extra = variant(tmp_path / "IRAhandle_tweets_7.csv", [row(0, tweet_id="71", **ruopentwit)])

    def twitter() -> None:
        report = load_twitter(
            engine, TWITTER_IRA, "twitter-ira", quarantine_path=tmp_path / "t.csv"
        )
        assert report.reconciles

    if twitter_first:
        twitter()
    assert load(engine, tmp_path, SAMPLE, extra).reconciles
    if not twitter_first:
        twitter()
    shared = rows_of(
        engine,
        "MATCH (d1:Disclosure {id: 'twitter-ira'})<-[:IN_DISCLOSURE]-(x)-[:IN_DISCLOSURE]->"
        "(d2:Disclosure {id: $d}) RETURN x",
        d=DEFAULT_DISCLOSURE,
    )
    assert shared == []  # released by one, only named by the other
    joined = rows_of(
        engine,
        "MATCH (a:Account {userid: '2572896396'})-[:IN_DISCLOSURE]->(d:Disclosure) "
        "RETURN a.screen_name, a.in_disclosure, a.account_type, d.id",
    )
    assert joined == [["ruopentwit", True, "Russian", DEFAULT_DISCLOSURE]]
    # Twitter's retweet of it counts on the one node, as the 538 tweet it posted does.
    assert rows_of(
        engine,
        "MATCH (a:Account)-[e:AMPLIFIED]->(b:Account {userid: '2572896396'}) "
        "RETURN a.hashed, e.count",
    ) == [[True, 1]]
    posted = rows_of(
        engine, "MATCH (:Account {userid: '2572896396'})-[:POSTED]->(t:Tweet) RETURN t.tweetid"
    )
    assert sorted(posted) == [["71"], ["877917212119416832"]]  # the latter: Twitter's original
    accounts = rows_of(engine, "MATCH (a:Account) WHERE a.userid = '2572896396' RETURN count(a)")
    assert accounts == [[1]]


# -- languages and the command -------------------------------------------------------------------


def test_languages_become_twitter_codes_and_unknown_names_stay() -> None:
    names = pa.array(["English", "Russian", "LANGUAGE UNDEFINED", "Farsi (Persian)", "Klingon", ""])
    assert language_codes(names).to_pylist() == ["en", "ru", "und", "fa", "klingon", ""]


def test_command_loads_the_excerpt_and_prints_a_reconciled_report(
    engine_settings: EngineSettings, tmp_path: Path
) -> None:
    app = typer.Typer()
    app.command()(ira538)
    args = [
        str(SAMPLE),
        *engine_args(engine_settings),
        "-q",
        "--quarantine",
        str(tmp_path / "q.csv"),
    ]
    result = CliRunner().invoke(app, args, env=engine_env(engine_settings))
    assert result.exit_code == 0, result.output
    assert f"Loaded {DEFAULT_DISCLOSURE}" in result.output
    assert "rows read = loaded + already present + rejected: reconciled" in result.output
    assert CLI_DEFAULT == DEFAULT_DISCLOSURE
