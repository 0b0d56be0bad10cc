"""``compute_summary`` and ``infoops summary`` against real graphs with known answers.

Every test with a graph runs on both engines: the fixture files loaded into a Ladybug file and
into the Neo4j test server give the same figures.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from conftest import ENGINES, Neo4jServer, engine_args, engine_env
from infoops.analysis.summary import (
    WEEKDAYS,
    DisclosureSummary,
    compute_summary,
    summary_queries,
)
from infoops.engines import EngineSettings, GraphEngine, open_engine
from infoops.errors import InfoopsError
from infoops.loaders.twitter_io import load_twitter
from twitter_files import REAL_USERS

SAMPLE_USERS = REAL_USERS

TWEET_HEADER_LINE = (
    "tweetid,userid,user_display_name,user_screen_name,user_reported_location,"
    "user_profile_description,user_profile_url,follower_count,following_count,"
    "account_creation_date,account_language,tweet_language,tweet_text,tweet_time,"
    "tweet_client_name,in_reply_to_userid,in_reply_to_tweetid,quoted_tweet_tweetid,is_retweet,"
    "retweet_userid,retweet_tweetid,latitude,longitude,quote_count,reply_count,like_count,"
    "retweet_count,hashtags,urls,user_mentions,poll_choices"
)
TWEET_HEADER = TWEET_HEADER_LINE.split(",")

# userid: (followers, creation date); two hashed ids, one account without a follower count.
ACCOUNTS = {
    "1001": ("0.0", "2019-11-05"),
    "Hq3mXbL0qPZr9dNwTfE2vKc8sYuA1oJgR7iWnB4xCe=": ("0.0", "2019-12-01"),
    "1003": ("5.0", "2019-10-20"),
    "Zt8pLw2QxN5vRk7cYm1HjF4sDg9aE3uBnK6oTiV0W=": ("7.0", "2018-03-02"),
    "1005": ("100.0", "2019-11-30"),
    "1006": ("", "2020-01-15"),
}
HASHED_1, HASHED_2 = (u for u in ACCOUNTS if not u.isdigit())

WEB, ANDROID = "Twitter Web App", "Twitter for Android"
RT_1, RT_2 = ("999", "5000"), ("999", "5001")
# (tweetid, userid, UTC time, lang, client, hashtags, retweet of (userid, tweetid) or None),
# with the Asia/Shanghai (UTC+8) local time on the right.
TWEETS = [
    ("9001", "1001", "2020-01-06 01:00", "zh", WEB, "['HongKong']", None),  # Mon 09:00 office
    ("9002", "1001", "2020-01-06 10:30", "zh", WEB, "['HongKong', 'COVID19']", None),  # Mon 18:30
    ("9003", HASHED_1, "2020-01-05 16:00", "en", WEB, "['hongkong']", RT_1),  # Sun -> Mon 00:00
    ("9004", "1003", "2020-01-10 09:59", "zh", ANDROID, "['COVID19']", None),  # Fri 17:59 office
    ("9005", HASHED_2, "2020-01-11 02:00", "en", ANDROID, "[]", RT_2),  # Sat 10:00, weekend
    ("9006", "1005", "2018-01-15 00:30", "zh", "Twitter Web Client", "[]", None),  # Mon 08:30
    ("9007", "1006", "2020-04-30 23:59", "ja", "Twitter for iPhone", "", None),  # Thu -> Fri 07:59
    ("9008", "1001", "2019-12-31 20:00", "zh", WEB, "['Taiwan']", None),  # Tue -> Wed 04:00
]
DISCLOSURE = "test-2020-06-fixture"
OTHER = "test-other"


def tweet_row(
    tweetid: str,
    userid: str,
    time: str,
    lang: str,
    client: str,
    hashtags: str,
    retweet: tuple[str, str] | None,
) -> list[str]:
    followers, created = ACCOUNTS.get(userid, ("3.0", "2015-05-05"))
    hashed = not userid.isdigit()
    name = userid if hashed else f"user{userid}"
    text = f"RT @someone: tweet {tweetid}" if retweet else f"tweet {tweetid} {hashtags}"
    row = {
        "tweetid": tweetid,
        "userid": userid,
        "user_display_name": name,
        "user_screen_name": name,
        "follower_count": followers,
        "following_count": "10.0",
        "account_creation_date": created,
        "account_language": "zh-cn",
        "tweet_language": lang,
        "tweet_text": text,
        "tweet_time": time,
        "tweet_client_name": client,
        "is_retweet": "True" if retweet else "False",
        "retweet_userid": retweet[0] if retweet else "",
        "retweet_tweetid": retweet[1] if retweet else "",
        "latitude": "absent",
        "longitude": "absent",
        "quote_count": "0.0",
        "reply_count": "0.0",
        "like_count": "1.0",
        "retweet_count": "0.0",
        "hashtags": hashtags,
        "urls": "[]",
        "user_mentions": "[]",
    }
    return [row.get(column, "") for column in TWEET_HEADER]


def write_tweets(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writerow(TWEET_HEADER)
        writer.writerows(rows)
    return path


@dataclass(frozen=True)
class Graph:
    """The fixture graph on one engine; ``settings()`` (re)loads it on Neo4j if it was cleared."""

    settings: Callable[[], EngineSettings]


@pytest.fixture(scope="module")
def fixture_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Fixture tweets in one disclosure, one more account and tweet in another."""
    folder = tmp_path_factory.mktemp("summary")
    write_tweets(folder / "fixture_tweets_csv_hashed.csv", [tweet_row(*t) for t in TWEETS])
    write_tweets(
        folder / "other_tweets_csv_hashed.csv",
        [tweet_row("9100", "2001", "2020-02-03 12:00", "ru", "dlvr.it", "['Other']", None)],
    )
    return folder


def load_fixture(settings: EngineSettings, folder: Path) -> None:
    main, other = folder / "fixture_tweets_csv_hashed.csv", folder / "other_tweets_csv_hashed.csv"
    with open_engine(settings) as engine:
        for path, disclosure in ((main, DISCLOSURE), (other, OTHER)):
            report = load_twitter(
                engine, [path], disclosure, quarantine_path=folder / f"{disclosure}.csv"
            )
            assert report.reconciles and report.total("rejected") == 0


@pytest.fixture(scope="module", params=ENGINES)
def graph(request: pytest.FixtureRequest, fixture_files: Path) -> Graph:
    """The same files loaded into a Ladybug file, or into the shared Neo4j server."""
    if request.param == "ladybug":
        settings = EngineSettings(db=fixture_files / "graph.db")
        load_fixture(settings, fixture_files)
        return Graph(lambda: settings)
    server: Neo4jServer = request.getfixturevalue("neo4j_server")

    def loaded() -> EngineSettings:
        server.shared("test_summary:fixture", lambda s: load_fixture(s, fixture_files))
        return server.settings

    loaded()
    return Graph(loaded)


@pytest.fixture
def graph_settings(graph: Graph) -> EngineSettings:
    return graph.settings()


@pytest.fixture
def engine(graph_settings: EngineSettings) -> Iterator[GraphEngine]:
    """The fixture graph, read-only (this module's ``engine`` is loaded, not empty)."""
    with open_engine(graph_settings, read_only=True) as opened:
        yield opened


@pytest.fixture
def fixture_summary(engine: GraphEngine) -> DisclosureSummary:
    return compute_summary(engine, DISCLOSURE, tz="Asia/Shanghai")


def test_counts_exclude_accounts_and_tweets_outside_the_release(
    fixture_summary: DisclosureSummary,
) -> None:
    s = fixture_summary
    assert (s.accounts, s.hashed_accounts, s.tweets) == (6, 2, 8)
    assert (s.first_tweet, s.last_tweet) == ("2018-01-15T00:30:00Z", "2020-04-30T23:59:00Z")
    assert (s.retweets.count, s.retweets.of, s.retweets.percent) == (2, 8, 25.0)


def test_follower_shares_leave_unknown_counts_out(fixture_summary: DisclosureSummary) -> None:
    s = fixture_summary
    assert s.followers_unknown == 1 and s.followers_known == 5
    assert (s.zero_followers.count, s.zero_followers.of, s.zero_followers.percent) == (2, 5, 40.0)
    assert (s.few_followers.count, s.few_followers.percent) == (4, 80.0)


def test_creation_months(fixture_summary: DisclosureSummary) -> None:
    s = fixture_summary
    assert s.created_by_month == {
        "2018-03": 1,
        "2019-10": 1,
        "2019-11": 2,
        "2019-12": 1,
        "2020-01": 1,
    }
    assert list(s.created_by_month) == sorted(s.created_by_month)
    assert s.created_unknown == 0
    assert s.created_by_day == {
        "2018-03-02": 1,
        "2019-10-20": 1,
        "2019-11-05": 1,
        "2019-11-30": 1,
        "2019-12-01": 1,
        "2020-01-15": 1,
    }
    # Six accounts on six days: nothing stands out from the release's own baseline.
    bursts = s.creation_bursts
    assert (bursts.by_day.first, bursts.by_day.last) == ("2018-03-02", "2020-01-15")
    assert bursts.by_day.periods == 685 and bursts.by_month.periods == 23
    assert bursts.by_day.bursts == [] and bursts.by_month.bursts == []


def test_top_lists(fixture_summary: DisclosureSummary) -> None:
    s = fixture_summary
    assert s.languages == [("zh", 5), ("en", 2), ("ja", 1)]
    assert s.clients == [
        ("Twitter Web App", 4),
        ("Twitter for Android", 2),
        ("Twitter Web Client", 1),
        ("Twitter for iPhone", 1),
    ]
    # 'HongKong' and 'hongkong' are one hashtag; the first spelling seen is kept.
    by_tweets = [(h.tag, h.spelling, h.tweets, h.accounts) for h in s.hashtags_by_tweets]
    assert by_tweets == [
        ("hongkong", "HongKong", 3, 2),
        ("covid19", "COVID19", 2, 2),
        ("taiwan", "Taiwan", 1, 1),
    ]
    # Ranked by distinct authors; a tie on accounts goes to more tweets.
    by_accounts = [(h.tag, h.accounts) for h in s.hashtags_by_accounts]
    assert by_accounts == [("hongkong", 2), ("covid19", 2), ("taiwan", 1)]


def test_top_limits_every_list(engine: GraphEngine) -> None:
    s = compute_summary(engine, DISCLOSURE, top=1)
    assert s.languages == [("zh", 5)]
    assert s.clients == [("Twitter Web App", 4)]
    assert [h.tag for h in s.hashtags_by_tweets] == ["hongkong"]
    assert [h.tag for h in s.hashtags_by_accounts] == ["hongkong"]


def test_activity_in_shanghai_time(fixture_summary: DisclosureSummary) -> None:
    s = fixture_summary
    expected_hours = [0] * 24
    for hour in (9, 18, 0, 17, 10, 8, 7, 4):
        expected_hours[hour] += 1
    assert s.hour_of_day == expected_hours
    # 9003 (Sun 16:00 UTC) is Monday in Beijing; 9007 (Thu) becomes Friday, 9008 (Tue) Wednesday.
    assert dict(zip(WEEKDAYS, s.weekday, strict=True)) == {
        "Mon": 4,
        "Tue": 0,
        "Wed": 1,
        "Thu": 0,
        "Fri": 2,
        "Sat": 1,
        "Sun": 0,
    }
    # Mon 09:00 and Fri 17:59 are in; Mon 18:30, Sat 10:00 and Mon 08:30 are out.
    assert (s.office_hours.count, s.office_hours.of, s.office_hours.percent) == (2, 8, 25.0)
    assert s.timed_tweets == 8


def test_activity_in_utc_by_default(engine: GraphEngine) -> None:
    s = compute_summary(engine, DISCLOSURE)
    assert s.timezone == "UTC"
    expected_hours = [0] * 24
    for hour in (1, 10, 16, 9, 2, 0, 23, 20):
        expected_hours[hour] += 1
    assert s.hour_of_day == expected_hours
    assert s.weekday == [3, 1, 0, 1, 1, 1, 1]
    # UTC office hours: Mon 10:30 and Fri 09:59.
    assert (s.office_hours.count, s.office_hours.percent) == (2, 25.0)


def test_without_disclosure_everything_released_counts(engine: GraphEngine) -> None:
    s = compute_summary(engine)
    assert s.disclosure is None
    assert (s.accounts, s.tweets) == (7, 9)
    assert ("ru", 1) in s.languages
    only_other = compute_summary(engine, OTHER)
    assert (only_other.accounts, only_other.tweets, only_other.hashed_accounts) == (1, 1, 0)
    assert only_other.followers_known == 1 and only_other.few_followers.percent == 100.0


def test_unknown_disclosure_lists_the_loaded_ones(engine: GraphEngine) -> None:
    with pytest.raises(InfoopsError) as caught:
        compute_summary(engine, "twitter-2020-06-nope")
    message = str(caught.value)
    assert "twitter-2020-06-nope" in message
    assert DISCLOSURE in message and OTHER in message


@pytest.mark.parametrize("zone", ["Mars/Olympus", "Asia", "", "/etc/localtime", "../UTC"])
def test_bad_time_zone(engine: GraphEngine, zone: str) -> None:
    with pytest.raises(InfoopsError, match="time zone"):
        compute_summary(engine, DISCLOSURE, tz=zone)


def test_to_dict_is_json_with_stable_keys(fixture_summary: DisclosureSummary) -> None:
    data = json.loads(json.dumps(fixture_summary.to_dict()))
    assert list(data) == ["disclosure", "timezone", "top", "accounts", "tweets"]
    assert list(data["accounts"]) == [
        "released",
        "hashed",
        "followers_known",
        "followers_unknown",
        "zero_followers",
        "under_8_followers",
        "created_by_month",
        "created_by_day",
        "created_unknown",
        "creation_bursts",
    ]
    assert list(data["tweets"]) == [
        "released",
        "first",
        "last",
        "retweets",
        "languages",
        "clients",
        "hashtags_by_tweets",
        "hashtags_by_accounts",
        "timed",
        "hour_of_day",
        "weekday",
        "office_hours",
        "by_month",
    ]
    assert data["accounts"]["zero_followers"] == {"count": 2, "of": 5, "percent": 40.0}
    assert list(data["accounts"]["creation_bursts"]) == ["day", "month"]
    month = data["accounts"]["creation_bursts"]["month"]
    assert month["bursts"] == [] and month["periods"] == 23
    assert "median month" in month["rule"] and "empty months included" in month["rule"]
    assert data["tweets"]["languages"][0] == {"lang": "zh", "tweets": 5}
    assert data["tweets"]["hashtags_by_tweets"][0] == {
        "tag": "hongkong",
        "spelling": "HongKong",
        "tweets": 3,
        "accounts": 2,
    }
    assert data["tweets"]["office_hours"]["window"] == "Mon-Fri 09:00-18:00"
    assert data["tweets"]["office_hours"]["timezone"] == "Asia/Shanghai"
    # Local (Beijing) months: 9008 (2019-12-31 20:00 UTC) is a January tweet there.
    assert data["tweets"]["by_month"] == {
        "2018-01": {"tweets": 1, "retweets": 0},
        "2020-01": {"tweets": 6, "retweets": 2},
        "2020-05": {"tweets": 1, "retweets": 0},
    }
    assert len(data["tweets"]["hour_of_day"]) == 24


def test_empty_graph_gives_zeros_not_errors(engine_settings: EngineSettings) -> None:
    open_engine(engine_settings).close()  # creates the schema
    with open_engine(engine_settings, read_only=True) as engine:
        s = compute_summary(engine, tz="Asia/Shanghai")
        with pytest.raises(InfoopsError, match="none"):
            compute_summary(engine, "anything")
    data = s.to_dict()
    assert data["accounts"]["released"] == 0 and data["tweets"]["released"] == 0
    assert data["accounts"]["zero_followers"]["percent"] is None
    assert data["tweets"]["office_hours"]["percent"] is None
    assert data["tweets"]["first"] is None and sum(data["tweets"]["hour_of_day"]) == 0


def test_ties_are_ordered_by_name_the_same_on_both_engines(
    engine_settings: EngineSettings, tmp_path: Path
) -> None:
    # U+FF5A sorts before U+20000 by code point and after it by UTF-16 code unit (how Neo4j
    # orders text that was not read from the store): ties go by code point on both engines.
    high, astral = "\uff5a client", "\U00020000 client"
    rows = [
        tweet_row("9201", "1001", "2020-01-06 01:00", "zh", astral, "['\U00020001']", None),
        tweet_row("9202", "1001", "2020-01-06 02:00", "zh", high, "['\uff5a\uff5a']", None),
    ]
    path = write_tweets(tmp_path / "ties_tweets_csv_hashed.csv", rows)
    with open_engine(engine_settings) as writer:
        load_twitter(writer, [path], DISCLOSURE, quarantine_path=tmp_path / "q.csv")
    with open_engine(engine_settings, read_only=True) as engine:
        s = compute_summary(engine, DISCLOSURE)
    assert s.clients == [(high, 1), (astral, 1)]
    assert [h.tag for h in s.hashtags_by_tweets] == sorted(h.tag for h in s.hashtags_by_tweets)
    assert [h.tag for h in s.hashtags_by_accounts] == [h.tag for h in s.hashtags_by_tweets]
    assert len(s.hashtags_by_tweets) == 2


def test_queries_take_values_only_as_parameters() -> None:
    for disclosure in (None, "x"):
        for cypher in summary_queries(disclosure).values():
            assert "'" not in cypher and '"' not in cypher
    assert "$disclosure" in summary_queries("x")["tweet_counts"]
    assert "in_disclosure = true" in summary_queries(None)["account_counts"]


# -- the real users file ------------------------------------------------------------------------


def test_real_users_file_matches_direct_count(
    engine_settings: EngineSettings, tmp_path: Path
) -> None:
    with SAMPLE_USERS.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    followers = [int(float(r["follower_count"])) for r in rows if r["follower_count"].strip()]
    unknown = len(rows) - len(followers)
    zero = sum(1 for n in followers if n == 0)
    few = sum(1 for n in followers if n < 8)

    with open_engine(engine_settings) as writer:
        load_twitter(
            writer, [SAMPLE_USERS], "twitter-2019-08-china", quarantine_path=tmp_path / "q.csv"
        )
    with open_engine(engine_settings, read_only=True) as engine:
        s = compute_summary(engine, "twitter-2019-08-china")
    assert (s.accounts, s.hashed_accounts) == (744, 254)
    assert s.followers_unknown == unknown
    assert (s.zero_followers.count, s.zero_followers.of) == (zero, len(followers))
    assert s.few_followers.count == few
    assert s.zero_followers.percent == round(100 * zero / len(followers), 2)
    assert s.few_followers.percent == round(100 * few / len(followers), 2)
    months: dict[str, int] = {}
    for r in rows:
        months[r["account_creation_date"][:7]] = months.get(r["account_creation_date"][:7], 0) + 1
    assert s.created_by_month == dict(sorted(months.items()))
    assert s.tweets == 0 and s.office_hours.percent is None


# -- the command --------------------------------------------------------------------------------


def cli_app() -> typer.Typer:
    try:
        from infoops.cli.app import app
    except ImportError:  # a sibling command module is missing: test this command on its own
        from infoops.cli.summary import summary

        app = typer.Typer()
        app.command("summary")(summary)
        app.command("noop")(lambda: None)  # keep "summary" a sub-command, as in the real app
    return app


def test_cli_json_is_plain_parseable_json(graph_settings: EngineSettings) -> None:
    result = CliRunner().invoke(
        cli_app(),
        [
            "summary",
            *engine_args(graph_settings),
            "--disclosure",
            DISCLOSURE,
            "--tz",
            "Asia/Shanghai",
            "--format",
            "json",
        ],
        env=engine_env(graph_settings),
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["disclosure"] == DISCLOSURE and data["timezone"] == "Asia/Shanghai"
    assert data["accounts"]["released"] == 6 and data["tweets"]["released"] == 8
    assert data["tweets"]["hour_of_day"][9] == 1 and data["tweets"]["hour_of_day"][0] == 1
    assert data["tweets"]["weekday"]["Mon"] == 4
    assert data["tweets"]["office_hours"]["percent"] == 25.0


def test_cli_table_shows_the_figures(graph_settings: EngineSettings) -> None:
    result = CliRunner().invoke(
        cli_app(),
        ["summary", *engine_args(graph_settings), "--tz", "Asia/Shanghai", "--top", "2"],
        env=engine_env(graph_settings),
    )
    assert result.exit_code == 0, result.output
    for expected in ("all released accounts and tweets", "#HongKong", "Twitter Web App", "Mon"):
        assert expected in result.stdout
    assert "Twitter Web Client" not in result.stdout  # --top 2


def test_cli_errors(graph_settings: EngineSettings) -> None:
    runner = CliRunner(env=engine_env(graph_settings))
    where = engine_args(graph_settings)
    bad_zone = runner.invoke(cli_app(), ["summary", *where, "--tz", "Nowhere"])
    assert isinstance(bad_zone.exception, InfoopsError)
    missing = runner.invoke(cli_app(), ["summary", *where, "-d", "nope"])
    assert isinstance(missing.exception, InfoopsError)
    assert DISCLOSURE in str(missing.exception)


def test_cli_help_ends_with_an_example() -> None:
    result = CliRunner().invoke(cli_app(), ["summary", "--help"])
    assert result.exit_code == 0
    assert "infoops summary --disclosure" in result.stdout
    assert "every released account" in result.stdout  # the bracketed default survives markup
    for option in ("--disclosure", "--format", "--tz", "--top", "--db", "--neo4j-uri"):
        assert option in result.stdout
