"""The Twitter loader against the real Ladybug engine, one test per quirk of the real files."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import shutil
import zipfile
from pathlib import Path

import ladybug
import pytest

from conftest import graph_counts
from infoops.engines import EngineSettings, GraphEngine, open_engine
from infoops.engines.schema import ladybug_ddl
from infoops.errors import InputFileError
from infoops.loaders.derived_edges import DERIVATIONS
from infoops.loaders.twitter_io import load_twitter
from twitter_files import (
    REAL_USERS,
    TWEET_COLUMNS,
    account,
    tweet,
    write_tweets,
    write_users,
)

DISCLOSURE = "test-disclosure"
ALICE = account("1180000000000000001", "alice_hk", follower_count="12")
HASHED = account("q2SMGvHasu+nugbpNMDCjr2qlZp3FCiGYDLht+gW5pw=")


def load(engine: GraphEngine, tmp_path: Path, *paths: Path | str):  # type: ignore[no-untyped-def]
    return load_twitter(engine, list(paths), DISCLOSURE, quarantine_path=tmp_path / "q.csv")


def value(engine: GraphEngine, cypher: str, **params: object) -> object:
    return engine.run(cypher, params).scalar()


# -- the real users file -------------------------------------------------------------------------


def test_real_users_file_loads_744_accounts_254_hashed_even_twice(
    engine: GraphEngine, tmp_path: Path
) -> None:
    for _ in range(2):
        report = load(engine, tmp_path, REAL_USERS)
        assert report.reconciles
        assert value(engine, "MATCH (a:Account) RETURN count(a)") == 744
        assert value(engine, "MATCH (a:Account) WHERE a.hashed RETURN count(a)") == 254
    first, second = report.files[0], report.files[0]
    assert (second.rows_read, second.loaded, second.already_present) == (744, 0, 744)
    assert first.rejected == 0
    linked = "MATCH (a:Account)-[:IN_DISCLOSURE]->(d:Disclosure {id: $d}) RETURN count(a)"
    assert value(engine, linked, d=DISCLOSURE) == 744


def test_real_users_file_keeps_multiline_profiles_and_exact_ids(
    engine: GraphEngine, tmp_path: Path
) -> None:
    load(engine, tmp_path, REAL_USERS)
    with REAL_USERS.open(encoding="utf-8", newline="") as stream:
        expected = {row["userid"]: row for row in csv.DictReader(stream)}
    result = engine.run("MATCH (a:Account) RETURN a.userid, a.description, a.followers")
    assert {row[0] for row in result.rows} == set(expected)
    multiline = [row for row in result.rows if row[1] and "\n" in row[1]]
    assert multiline, "profiles with line breaks must survive"
    for userid, description, followers in result.rows:
        assert (description or "") == expected[userid]["user_profile_description"]
        assert followers == int(expected[userid]["follower_count"])


# -- tweets quirks --------------------------------------------------------------------------------


def test_ids_stay_strings_and_float_damaged_ids_are_quarantined(
    engine: GraphEngine, tmp_path: Path
) -> None:
    rows = [
        tweet("906000000000000000123", ALICE),
        tweet("1.01421E+18", ALICE),
    ]
    report = load(engine, tmp_path, write_tweets(tmp_path / "t.csv", rows))
    assert value(engine, "MATCH (t:Tweet {in_disclosure: true}) RETURN t.tweetid") == (
        "906000000000000000123"
    )
    assert value(engine, "MATCH (a:Account) RETURN a.userid") == "1180000000000000001"
    quarantined = list(csv.DictReader((tmp_path / "q.csv").open(encoding="utf-8")))
    assert [q["line"] for q in quarantined] == ["3"]
    assert "tweetid" in quarantined[0]["reason"]
    assert report.total("rejected") == 1 and report.reconciles


def test_swapped_reply_columns_of_2018_are_read_by_name(
    engine: GraphEngine, tmp_path: Path
) -> None:
    columns = list(TWEET_COLUMNS)
    a, b = columns.index("in_reply_to_userid"), columns.index("in_reply_to_tweetid")
    columns[a], columns[b] = columns[b], columns[a]  # October 2018 order
    bob = account("22", "bob")
    rows = [
        tweet("100", bob),
        tweet("101", ALICE, in_reply_to_userid="22", in_reply_to_tweetid="100"),
    ]
    load(engine, tmp_path, write_tweets(tmp_path / "t.csv", rows, columns))
    assert value(engine, "MATCH (r:Tweet)-[:REPLY_TO]->(o:Tweet) RETURN o.tweetid") == "100"
    replied = "MATCH (a:Account)-[e:REPLIED_TO]->(b:Account) RETURN a.userid + '>' + b.userid"
    assert value(engine, replied) == f"{ALICE['userid']}>22"


def test_lists_geo_and_float_counts(engine: GraphEngine, tmp_path: Path) -> None:
    rows = [
        tweet(
            "200",
            ALICE,
            hashtags="['HongKong', 'covid19']",
            urls="['https://www.news.example/a']",
            user_mentions="[443196382, 12]",
            like_count="3.0",
            retweet_count="",
            latitude="22.3",
            longitude="114.2",
        ),
        tweet("201", ALICE, hashtags="['hongkong']", urls="", user_mentions=""),
    ]
    load(engine, tmp_path, write_tweets(tmp_path / "t.csv", rows))
    tags = engine.run(
        "MATCH (t:Tweet)-[:TAGGED]->(h:Hashtag) RETURN h.tag, count(t) ORDER BY h.tag"
    )
    assert tags.rows == [["covid19", 1], ["hongkong", 2]]  # keys lower-cased, spellings merged
    assert value(engine, "MATCH (:Url)-[:ON_DOMAIN]->(d:Domain) RETURN d.name") == "news.example"
    mentioned = engine.run(
        "MATCH (:Tweet)-[:MENTIONS]->(a:Account) RETURN a.userid, a.in_disclosure ORDER BY a.userid"
    )
    assert mentioned.rows == [["12", False], ["443196382", False]]
    props = engine.run(
        "MATCH (t:Tweet {tweetid: '200'}) RETURN t.likes, t.retweets, t.latitude, t.longitude"
    )
    assert props.rows == [[3, None, 22.3, 114.2]]
    assert value(engine, "MATCH (t:Tweet {tweetid: '201'}) RETURN t.latitude") is None


def test_retweets_create_originals_and_authors_outside_the_release(
    engine: GraphEngine, tmp_path: Path
) -> None:
    rows = [
        tweet(
            "300",
            ALICE,
            is_retweet="True",
            retweet_userid="555",
            retweet_tweetid="900",
            tweet_text="RT @cgtn: news",
        ),
    ]
    load(engine, tmp_path, write_tweets(tmp_path / "t.csv", rows))
    original = engine.run(
        "MATCH (a:Account)-[:POSTED]->(o:Tweet)<-[:RETWEET_OF]-(t:Tweet {tweetid: '300'}) "
        "RETURN a.userid, a.in_disclosure, o.tweetid, o.in_disclosure"
    )
    assert original.rows == [["555", False, "900", False]]
    amplified = engine.run(
        "MATCH (a:Account)-[e:AMPLIFIED]->(b:Account) RETURN a.userid, b.userid, e.count, e.first"
    )
    assert amplified.rows == [[ALICE["userid"], "555", 1, "2020-01-06T01:30:00Z"]]


def test_empty_retweet_userid_falls_back_to_rt_prefix(engine: GraphEngine, tmp_path: Path) -> None:
    bob = account("22", "Bob_Core")
    users = write_users(tmp_path / "users.csv", [ALICE, bob])
    rows = [
        tweet(
            "400",
            ALICE,
            is_retweet="True",
            retweet_userid="",
            retweet_tweetid="401",
            tweet_text="RT @bob_core: original",
        ),
        tweet(
            "402",
            ALICE,
            is_retweet="True",
            retweet_userid="",
            retweet_tweetid="403",
            tweet_text="RT @nobody_known: x",
        ),
    ]
    report = load(engine, tmp_path, users, write_tweets(tmp_path / "tweets.csv", rows))
    assert report.reconciles
    authors = engine.run(
        "MATCH (t:Tweet)-[:RETWEET_OF]->(o:Tweet)<-[:POSTED]-(a:Account) "
        "RETURN t.tweetid, a.userid ORDER BY t.tweetid"
    )
    assert authors.rows == [["400", "22"], ["402", "@nobody_known"]]


def test_original_later_in_the_file_upgrades_its_placeholder(
    engine: GraphEngine, tmp_path: Path
) -> None:
    bob = account("22", "bob")
    rows = [
        tweet("500", ALICE, is_retweet="True", retweet_userid="22", retweet_tweetid="501"),
        tweet("501", bob, tweet_text="the original", hashtags="['tag']"),
    ]
    load_twitter(
        engine,
        [write_tweets(tmp_path / "t.csv", rows)],
        DISCLOSURE,
        quarantine_path=tmp_path / "q.csv",
        chunk_rows=1,
    )
    result = engine.run(
        "MATCH (a:Account)-[:POSTED]->(o:Tweet {tweetid: '501'}) "
        "RETURN a.userid, a.in_disclosure, o.in_disclosure, o.text"
    )
    assert result.rows == [["22", True, True, "the original"]]  # one POSTED edge, not two
    assert value(engine, "MATCH (:Tweet {tweetid: '501'})-[:TAGGED]->(h) RETURN h.tag") == "tag"


def test_repeated_headers_and_multiline_text(engine: GraphEngine, tmp_path: Path) -> None:
    part1 = write_tweets(tmp_path / "a.csv", [tweet("600", ALICE, tweet_text="line one\nline two")])
    part2 = write_tweets(tmp_path / "b.csv", [tweet("601", ALICE)])
    joined = tmp_path / "joined.csv"
    joined.write_bytes(part1.read_bytes() + part2.read_bytes())  # concatenated parts
    report = load(engine, tmp_path, joined)
    assert report.files[0].repeated_headers == 1
    assert report.files[0].rows_read == 2 and report.files[0].loaded == 2
    assert value(engine, "MATCH (t:Tweet {tweetid: '600'}) RETURN t.text") == "line one\nline two"


def test_unquoted_mirror_export_loads(engine: GraphEngine, tmp_path: Path) -> None:
    path = tmp_path / "mirror.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, TWEET_COLUMNS, lineterminator="\n")  # minimal quoting
        writer.writeheader()
        writer.writerow(tweet("700", ALICE, hashtags="['a', 'b']"))
    load(engine, tmp_path, path)
    assert value(engine, "MATCH (:Tweet {tweetid: '700'})-[:TAGGED]->(h) RETURN count(h)") == 2


# -- inputs ---------------------------------------------------------------------------------------


def test_folder_zip_gz_glob_and_split_parts(engine: GraphEngine, tmp_path: Path) -> None:
    src = tmp_path / "src"
    write_users(src / "x_users_csv_hashed.csv", [ALICE])
    write_tweets(src / "x_tweets_csv_hashed_1.csv", [tweet("801", ALICE)])
    write_tweets(src / "x_tweets_csv_hashed_2.csv", [tweet("802", ALICE)])
    archive = tmp_path / "release.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for part in src.iterdir():
            zipped.write(part, f"inner/{part.name}")
    gz = tmp_path / "y_tweets_csv_hashed.csv.gz"
    with gzip.open(gz, "wb") as stream:
        stream.write(write_tweets(tmp_path / "tmp.csv", [tweet("803", ALICE)]).read_bytes())
    folder = tmp_path / "folder"
    write_tweets(folder / "deep" / "z_tweets_csv_hashed.csv", [tweet("804", ALICE)])
    glob_dir = tmp_path / "globbed"
    shutil.copy(
        src / "x_tweets_csv_hashed_1.csv", glob_dir / "g1.csv"
    ) if glob_dir.mkdir() is None else None
    write_tweets(glob_dir / "g2.csv", [tweet("805", ALICE)])

    report = load(engine, tmp_path, archive, gz, folder, str(glob_dir / "g*.csv"))
    ids = engine.run("MATCH (t:Tweet) RETURN t.tweetid ORDER BY t.tweetid").column("t.tweetid")
    assert ids == ["801", "802", "803", "804", "805"]
    kinds = [f.kind for f in report.files]
    assert kinds[0] == "users"  # users files load first, wherever they were named
    # g1.csv is a byte copy of the zip's first part: that content is read once, from g1.csv
    assert report.total("already_present") == 0
    assert [s.name for s in report.skipped] == [f"{archive}!inner/x_tweets_csv_hashed_1.csv"]


# -- quarantine, reconciliation, errors -----------------------------------------------------------


def test_bad_rows_go_to_quarantine_with_line_and_reason(
    engine: GraphEngine, tmp_path: Path
) -> None:
    good = tweet("900", ALICE, tweet_text="first\nsecond\nthird")  # 3 physical lines
    path = write_tweets(
        tmp_path / "t.csv",
        [
            good,
            tweet("901", ALICE, tweet_time="yesterday"),
            tweet("902", ALICE, like_count="many"),
            tweet("903", ALICE, userid=""),
        ],
    )
    with path.open("a", encoding="utf-8") as stream:
        stream.write('"904","too","few"\n')
    report = load(engine, tmp_path, path)
    rows = list(csv.DictReader((tmp_path / "q.csv").open(encoding="utf-8")))
    rows.sort(key=lambda r: int(r["line"]))
    assert [(r["line"], r["reason"].split(" ")[0]) for r in rows] == [
        ("5", "tweet_time"),
        ("6", "like_count"),
        ("7", "userid"),
        ("8", "expected"),
    ]
    assert rows[0]["file"] == str(path)
    assert next(csv.reader([rows[3]["record"]])) == ["904", "too", "few"]  # raw values kept
    f = report.files[0]
    assert (f.rows_read, f.loaded, f.rejected) == (5, 1, 4)
    assert report.reconciles and report.quarantine_path == tmp_path / "q.csv"


def test_missing_column_is_a_one_line_error_naming_file_and_column(
    engine: GraphEngine, tmp_path: Path
) -> None:
    columns = [c for c in TWEET_COLUMNS if c != "tweet_time"]
    path = write_tweets(tmp_path / "t.csv", [], columns)
    with pytest.raises(InputFileError) as caught:
        load(engine, tmp_path, path)
    message = str(caught.value)
    assert "t.csv" in message and "tweet_time" in message and "\n" not in message


def test_non_takedown_file_is_refused_before_anything_is_written(
    engine: GraphEngine, tmp_path: Path
) -> None:
    meta = REAL_USERS.parents[1] / "meta_indicators"
    indicators = next(meta.glob("2022_*.csv"))
    good = write_users(tmp_path / "users.csv", [ALICE])
    with pytest.raises(InputFileError, match="not a Twitter information-operations"):
        load(engine, tmp_path, good, indicators)
    assert value(engine, "MATCH (a:Account) RETURN count(a)") == 0


def test_missing_path_is_a_clear_error(engine: GraphEngine, tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="no such file"):
        load(engine, tmp_path, tmp_path / "nope.csv")


def test_reload_changes_no_count(engine: GraphEngine, tmp_path: Path) -> None:
    rows = [
        tweet("1000", ALICE, hashtags="['a']", urls="['http://x.example/1']"),
        tweet("1001", ALICE, is_retweet="True", retweet_userid="9", retweet_tweetid="1000"),
        tweet("1002", HASHED, user_mentions="[1180000000000000001]"),
    ]
    path = write_tweets(tmp_path / "t.csv", rows)
    load(engine, tmp_path, REAL_USERS, path)
    before = graph_counts(engine)
    report = load(engine, tmp_path, REAL_USERS, path)
    assert graph_counts(engine) == before
    assert report.total("loaded") == 0 and report.reconciles


def test_second_disclosure_sharing_a_tweet_links_it_once_more(
    engine: GraphEngine, tmp_path: Path
) -> None:
    path = write_tweets(tmp_path / "t.csv", [tweet("1100", ALICE)])
    load(engine, tmp_path, path)
    load_twitter(engine, [path], "other-release", quarantine_path=tmp_path / "q2.csv")
    linked = engine.run(
        "MATCH (:Tweet {tweetid: '1100'})-[:IN_DISCLOSURE]->(d:Disclosure) "
        "RETURN d.id ORDER BY d.id"
    )
    assert linked.column("d.id") == ["other-release", DISCLOSURE]
    assert value(engine, "MATCH (t:Tweet) RETURN count(t)") == 1


def test_outside_accounts_get_their_screen_name_from_the_rt_prefix(
    engine: GraphEngine, tmp_path: Path
) -> None:
    rows = [
        tweet(
            "1200",
            ALICE,
            is_retweet="True",
            retweet_userid="555",
            retweet_tweetid="900",
            tweet_text="RT @CGTNOfficial: news",
        ),
        # Same original, retweet_userid left empty: the other row already names its author.
        tweet(
            "1201",
            HASHED,
            is_retweet="True",
            retweet_userid="",
            retweet_tweetid="900",
            tweet_text="RT @CGTNOfficial: news",
        ),
    ]
    load(engine, tmp_path, write_tweets(tmp_path / "t.csv", rows))
    outside = engine.run(
        "MATCH (a:Account {in_disclosure: false}) RETURN a.userid, a.screen_name, a.screen_name_lc"
    )
    assert outside.rows == [["555", "CGTNOfficial", "cgtnofficial"]]  # no '@cgtnofficial' twin
    amplifiers = engine.run(
        "MATCH (a:Account)-[e:AMPLIFIED]->(:Account {userid: '555'}) RETURN count(a)"
    )
    assert amplifiers.scalar() == 2


def test_files_without_poll_choices_and_header_only_files_load(
    engine: GraphEngine, tmp_path: Path
) -> None:
    columns = [c for c in TWEET_COLUMNS if c != "poll_choices"]  # 2020-05 Russia, 2020-12 on
    rows = [{k: v for k, v in tweet("1300", ALICE).items() if k != "poll_choices"}]
    recent = write_tweets(tmp_path / "recent.csv", rows, columns)
    empty = write_tweets(tmp_path / "empty.csv", [])
    report = load(engine, tmp_path, recent, empty)
    assert [f.rows_read for f in report.files] == [1, 0] and report.reconciles
    assert value(engine, "MATCH (t:Tweet {tweetid: '1300'}) RETURN t.poll_choices") is None


def test_crlf_mirror_keeps_line_numbers(engine: GraphEngine, tmp_path: Path) -> None:
    path = tmp_path / "crlf.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, TWEET_COLUMNS, lineterminator="\r\n")
        writer.writeheader()
        writer.writerow(tweet("1400", ALICE, tweet_text="two\r\nlines"))
        writer.writerow(tweet("1401", ALICE, tweet_time="never"))
    report = load(engine, tmp_path, path)
    assert report.files[0].loaded == 1 and report.files[0].rejected == 1
    rows = list(csv.DictReader((tmp_path / "q.csv").open(encoding="utf-8")))
    assert [r["line"] for r in rows] == ["4"]  # header, a record of two lines, then this one
    assert value(engine, "MATCH (t:Tweet {tweetid: '1400'}) RETURN t.text") == "two\r\nlines"


def test_a_second_disclosure_rebuilds_derived_edges_from_both(
    engine: GraphEngine, tmp_path: Path
) -> None:
    bob = account("22", "bob")
    first = write_tweets(
        tmp_path / "a.csv",
        [
            tweet(
                "1500",
                ALICE,
                is_retweet="True",
                retweet_userid="22",
                retweet_tweetid="1599",
                tweet_time="2020-01-01 10:00",
            )
        ],
    )
    second = write_tweets(
        tmp_path / "b.csv",
        [
            tweet(
                "1501",
                ALICE,
                is_retweet="True",
                retweet_userid="22",
                retweet_tweetid="1598",
                tweet_time="2020-03-01 10:00",
            ),
            tweet("1502", bob, user_mentions="[1180000000000000001]"),
        ],
    )
    load(engine, tmp_path, first)
    load_twitter(engine, [second], "second-release", quarantine_path=tmp_path / "q2.csv")
    edges = engine.run(
        "MATCH (a:Account)-[e:AMPLIFIED]->(b:Account) RETURN a.userid, b.userid, e.count, "
        "e.first, e.last"
    )
    assert edges.rows == [
        [ALICE["userid"], "22", 2, "2020-01-01T10:00:00Z", "2020-03-01T10:00:00Z"]
    ]
    assert value(engine, "MATCH ()-[e:MENTIONED]->() RETURN sum(e.count)") == 1


# -- derived edges: added to, as a recount would count them ---------------------------------------


def recounted(engine: GraphEngine) -> dict[str, list[list[object]]]:
    """Every derived type counted afresh from the tweet-level edges."""
    return {rel: sorted(engine.run(cypher).rows, key=repr) for rel, cypher in DERIVATIONS.items()}


def derived_edges(engine: GraphEngine) -> dict[str, list[list[object]]]:
    """Every derived edge as the graph holds it, in the recount's columns."""
    found = {}
    for rel in DERIVATIONS:
        rows = engine.run(
            f"MATCH (a:Account)-[e:{rel}]->(b:Account) "
            "RETURN a.userid, b.userid, e.count, e.first_s, e.last_s, e.first, e.last"
        ).rows
        for row in rows:  # the ISO times say what the epoch seconds say
            assert row[5:] == [iso(row[3]), iso(row[4])], row
        found[rel] = sorted((row[:5] for row in rows), key=repr)
    return found


def iso(seconds: object) -> str:
    return dt.datetime.fromtimestamp(int(seconds), dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")  # type: ignore[call-overload]


def retweet(tweetid: str, author: dict[str, str], original: str, by: str, when: str) -> dict:  # type: ignore[type-arg]
    return tweet(
        tweetid,
        author,
        is_retweet="True",
        retweet_tweetid=original,
        retweet_userid=by,
        tweet_time=when,
    )


@pytest.mark.parametrize("small_parts", [False, True], ids=["one-part", "parts-of-two-rows"])
def test_derived_edges_are_added_to_as_a_recount_would_count_them(
    engine: GraphEngine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_parts: bool
) -> None:
    """Loads add what they stage to the derived edges without recounting the graph in Cypher:
    new account pairs, pairs already counted (earlier first, later last), retweets the graph
    held of a tweet whose author a later load makes known; a re-load changes nothing. A load
    that changes the author the graph had counted recounts, and still agrees. With parts of
    two rows, the staged rows, the counts per pair and the new edges are each made and merged
    a part at a time, as in a release of millions of tweets."""
    bob, carol = account("22", "bob"), account("33", "carol")
    part_rows = 2 if small_parts else None
    if small_parts:
        monkeypatch.setattr(engine, "write_part_rows", 2)
    sent: list[str] = []
    for method in ("run", "run_table"):
        real = getattr(engine, method)

        def recording(cypher: str, params: object = None, _real=real):  # type: ignore[no-untyped-def]
            sent.append(cypher)
            return _real(cypher, params)

        monkeypatch.setattr(engine, method, recording)

    def load_and_check(name: str, rows: list[dict[str, str]], disclosure: str) -> bool:
        """Load, compare with a recount; whether the load recounted."""
        sent.clear()
        path = write_tweets(tmp_path / f"{name}.csv", rows)
        report = load_twitter(
            engine, [path], disclosure, quarantine_path=tmp_path / "q.csv", part_rows=part_rows
        )
        recounting = bool(set(sent) & set(DERIVATIONS.values()))
        assert report.reconciles
        assert derived_edges(engine) == recounted(engine), name
        return recounting

    first = [
        retweet("100", ALICE, "900", "555", "2020-01-03 10:00"),
        retweet("101", ALICE, "901", "", "2020-01-04 10:00"),  # author unknown: not counted
        retweet("104", ALICE, "904", "", "2020-01-04 11:00"),
        tweet(
            "102",
            bob,
            in_reply_to_tweetid="902",
            in_reply_to_userid="33",
            user_mentions="[1180000000000000001, 33]",
        ),
        retweet("103", bob, "900", "555", "2020-01-05 10:00"),
    ]
    assert not load_and_check("first", first, "first"), "a first load recounted"

    second = [
        tweet("901", carol, tweet_time="2019-12-30 10:00"),  # the placeholder, released
        retweet("110", ALICE, "900", "555", "2019-12-01 10:00"),  # an earlier first
        retweet("111", ALICE, "900", "555", "2020-02-01 10:00"),  # a later last
        retweet("112", bob, "904", "44", "2020-01-06 10:00"),  # 904's author, learned
        tweet("113", carol, user_mentions="[22]"),
    ]
    assert not load_and_check("second", second, "second"), "a second disclosure recounted"
    amplified = {(row[0], row[1]): row[2] for row in derived_edges(engine)["AMPLIFIED"]}
    assert amplified == {
        (ALICE["userid"], "555"): 3,
        (ALICE["userid"], "33"): 1,  # 101's retweet of 901, counted once 901 has an author
        (ALICE["userid"], "44"): 1,  # 104's retweet of 904, likewise
        ("22", "555"): 1,
        ("22", "44"): 1,
    }

    assert not load_and_check("first", first, "first"), "a re-load recounted"

    changed = [tweet("900", account("66", "other"))]  # 900 was counted as 555's
    assert load_and_check("third", changed, "third"), "a changed author was not recounted"
    assert (ALICE["userid"], "555") not in {
        (row[0], row[1]) for row in derived_edges(engine)["AMPLIFIED"]
    }


def test_a_ladybug_database_made_before_fingerprints_gains_the_column(tmp_path: Path) -> None:
    """Ladybug only (a Neo4j property needs no schema): a database whose tables lack the
    fingerprint column gets it when opened for writing, and the next load stores them."""
    db = tmp_path / "older.db"
    older = ladybug.Database(str(db))
    connection = ladybug.Connection(older)
    for statement in ladybug_ddl():
        # A database of that time had none of the columns the model gained since (IRA labels).
        for later in (", account_category STRING, account_type STRING", ", fingerprint STRING"):
            statement = statement.replace(later, "")
        connection.execute(statement)
    connection.close()
    older.close()
    with open_engine(EngineSettings(db=db)) as engine:
        load(engine, tmp_path, write_tweets(tmp_path / "t.csv", [tweet("40", ALICE)]))
        stored = engine.run("MATCH (t:Tweet {tweetid: '40'}) RETURN t.fingerprint").scalar()
        author = engine.run("MATCH (a:Account) RETURN a.fingerprint, a.role").rows
    assert isinstance(stored, str) and len(stored) == 32
    assert len(author[0][0]) == 32 and author[0][1] is None  # columns in the model's order
