"""Meta's threat indicators: both real layouts, defanging, what an indicator names, and the
cross-reference with a Twitter disclosure that links to one of its domains, on both engines."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from conftest import engine_args, engine_env, graph_counts
from infoops.cli.load_indicators import indicators as indicators_cli
from infoops.engines import EngineSettings, GraphEngine, open_engine
from infoops.errors import InputFileError
from infoops.loaders.load_report import LoadReport
from infoops.loaders.meta_indicators import load_indicators
from infoops.loaders.meta_indicators.values import Kind, Named, UnusableValue, classify
from infoops.loaders.twitter_io import load_twitter
from twitter_files import SAMPLES, account, tweet, write_tweets, write_users

META = SAMPLES / "meta_indicators"
FLAT = META / "2022_09_removing_coordinated_inauthentic_behavior_from_china_and_russia.csv"
KILL_CHAIN = META / "Q2_2023_Spamouflage_China_based_CIB_updated.csv"
FLAT_HEADER = ["indicator_type", "indicator_value", "comment", "ds"]
KILL_CHAIN_HEADER = ["Tactic", "Technique", "Procedure", "Indicator", "Note"]
TWITTER_STEP = ["0. Acquiring assets", "0.9 Acquiring social media accounts"]
GARCIA = account("1500000000000000001", "GarciaJasmyn1")
NUMERIC = account("1500000000000000002", "someone_else")


def load(engine: GraphEngine, tmp_path: Path, disclosure: str, *paths: Path) -> LoadReport:
    return load_indicators(engine, list(paths), disclosure, quarantine_path=tmp_path / "q.csv")


def write_rows(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream, lineterminator="\n").writerows([header, *rows])
    return path


def rows(engine: GraphEngine, cypher: str, **params: object) -> list[list[object]]:
    return sorted(engine.run(cypher, params).rows)


# -- values: defanged, normalised, classified ---------------------------------------------------

URL = Kind.URL
CASES = [
    ("example[.]com", False, Named(Kind.DOMAIN, "example.com", "example.com")),
    ("www[.]Example[.]COM", False, Named(Kind.DOMAIN, "example.com", "example.com")),
    ("bad(.)example", False, Named(Kind.DOMAIN, "bad.example", "bad.example")),
    ("bad[dot]example", False, Named(Kind.DOMAIN, "bad.example", "bad.example")),
    ("hxxps[:]//bad[.]example/a?b=1", False, Named(URL, "https://bad.example/a?b=1", "bad.example")),  # noqa: E501
    ("hxxp://bad{.}example/x", False, Named(URL, "http://bad.example/x", "bad.example")),
    ("hXXps[://]www[.]bad[.]example", False, Named(URL, "https://www.bad.example", "bad.example")),
    ("  https://t.me/london_rumors ", False, Named(URL, "https://t.me/london_rumors", "t.me")),
    ("bad[.]example/path", False, Named(URL, "bad.example/path", "bad.example")),
    ("https://vk[.]com/s[.]dsdd", False, Named(URL, "https://vk.com/s.dsdd", "vk.com")),
    (
        "https://www[.]site[.]com/a[.]html [comment]",
        False,
        Named(URL, "https://www.site.com/a.html", "site.com"),
    ),
    (
        "https://twitter[.]com/GarciaJasmyn1/",
        False,
        Named(URL, "https://twitter.com/GarciaJasmyn1/", "twitter.com", "garciajasmyn1"),
    ),
    (
        "hxxps://x[.]com/i/user/1500000000000000002",
        False,
        Named(
            URL,
            "https://x.com/i/user/1500000000000000002",
            "x.com",
            userid="1500000000000000002",
        ),
    ),
    (
        "https://twitter.com/GarciaJasmyn1/status/1",  # names a tweet, not an account
        False,
        Named(URL, "https://twitter.com/GarciaJasmyn1/status/1", "twitter.com"),
    ),
    (
        "https://www[.]tiktok[.]com/@deandrela3",  # another platform: no account
        False,
        Named(URL, "https://www.tiktok.com/@deandrela3", "tiktok.com"),
    ),
    ("@GarciaJasmyn1", True, Named(Kind.HANDLE, "@garciajasmyn1", screen_name="garciajasmyn1")),
    ("1500000000000000002", True, Named(Kind.HANDLE, "1500000000000000002", userid="1500000000000000002")),  # noqa: E501
    ("@GarciaJasmyn1", False, Named(Kind.TEXT, "@GarciaJasmyn1")),
    ("7,704 Facebook  accounts", False, Named(Kind.TEXT, "7,704 Facebook accounts")),
    ("Who is the (dot) man", False, Named(Kind.TEXT, "Who is the (dot) man")),
]  # fmt: skip


@pytest.mark.parametrize(("raw", "twitter_hint", "expected"), CASES)
def test_defanged_values_are_refanged_normalised_and_classified(
    raw: str, twitter_hint: bool, expected: Named
) -> None:
    assert classify(raw, twitter_hint=twitter_hint) == expected


@pytest.mark.parametrize("raw", ["", "   ", "hxxps[:]//", "https:///path"])
def test_values_that_cannot_be_indicators_are_refused(raw: str) -> None:
    with pytest.raises(UnusableValue):
        classify(raw)


# -- the real files ------------------------------------------------------------------------------


def test_both_real_files_load_reconcile_and_reload_as_already_present(
    engine: GraphEngine, tmp_path: Path
) -> None:
    first = load(engine, tmp_path, "meta-real", FLAT, KILL_CHAIN)
    assert first.reconciles
    got = [(f.kind, f.rows_read, f.loaded, f.already_present, f.rejected) for f in first.files]
    # Repeated indicators (two domains, medium / reddit handles, post titles) are present once.
    assert got == [("indicators", 350, 348, 2, 0), ("kill-chain", 529, 517, 11, 1)]
    quarantined = list(csv.DictReader((tmp_path / "q.csv").open(encoding="utf-8")))
    assert [(Path(q["file"]).name, q["line"], q["reason"]) for q in quarantined] == [
        (KILL_CHAIN.name, "257", "no indicator value")  # the empty row between two tactics
    ]
    assert engine.run("MATCH (d:Disclosure) RETURN d.id, d.platform").rows == [
        ["meta-real", "meta"]
    ]
    types = dict(engine.run("MATCH (i:Indicator) RETURN i.type, count(i)").rows)
    assert types == {
        "domain_name": 311,
        "cib_url": 22,
        "telegram_url": 15,
        "0.9.4 Acquiring X / Twitter accounts": 35,
        "0.9.6 Acquiring TikTok accounts": 5,
        # One of them "https://www[.]indiatimes[.]com/...html [comment]": its URL, annotated.
        "0.9.8 Acquiring accounts on online forums": 203,
        "6.1.3 Posting original content on blogs": 269,
        "description": 5,  # counts of assets and one sentence about them
    }
    described = rows(engine, "MATCH (i:Indicator {type: 'description'}) RETURN i.value")
    assert ["7,704 Facebook accounts"] in described
    assert rows(engine, "MATCH (i:Indicator {id: $id}) RETURN i.raw, i.tactic", id=(
        "0.9.4 Acquiring X / Twitter accounts:https://twitter.com/GarciaJasmyn1/"
    )) == [["https://twitter[.]com/GarciaJasmyn1/", "0. Acquiring assets"]]  # fmt: skip
    assert rows(
        engine,
        "MATCH (i:Indicator)-[:NAMES]->(d:Domain {name: 'rrn.world'}) RETURN i.id, i.published",
    ) == [["domain_name:rrn.world", "2022-09-27"]]
    assert rows(
        engine,
        "MATCH (i:Indicator)-[:NAMES]->(:Url)-[:ON_DOMAIN]->(d:Domain) WHERE d.name = 't.me' "
        "RETURN count(i)",
    ) == [[15]]
    unnamed = "MATCH (i:Indicator) WHERE NOT (i)-[:NAMES]->() RETURN i.type, count(i)"
    assert rows(engine, unnamed) == [
        ["6.1.3 Posting original content on blogs", 269],
        ["description", 5],
    ]

    before = graph_counts(engine)
    again = load(engine, tmp_path, "meta-real", FLAT, KILL_CHAIN)
    assert again.reconciles and again.total("loaded") == 0
    assert again.total("already_present") == 350 + 528
    assert graph_counts(engine) == before


def test_a_file_of_another_format_is_refused_before_anything_is_written(
    engine: GraphEngine, tmp_path: Path
) -> None:
    good = write_rows(tmp_path / "good.csv", FLAT_HEADER, [["domain_name", "a.example", "", ""]])
    other = write_users(tmp_path / "users.csv", [GARCIA])
    with pytest.raises(InputFileError, match="not a Meta threat-indicator file"):
        load(engine, tmp_path, "meta", good, other)
    assert graph_counts(engine)["Disclosure"] == 0


# -- quarantine --------------------------------------------------------------------------------


def test_unusable_rows_are_quarantined_with_line_and_reason(
    engine: GraphEngine, tmp_path: Path
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "indicator_type,indicator_value,comment,ds\n"
        "domain_name,good[.]example,fine,2022-09-27\n"  # line 2
        "domain_name,,empty value,2022-09-27\n"  # 3
        ",lost[.]example,no type,2022-09-27\n"  # 4
        "cib_url,hxxps[:]//,no host,2022-09-27\n"  # 5
        "domain_name,late[.]example,bad date,27/09/2022\n"  # 6
        'domain_name,"multi\nline[.]example",two lines,2022-09-27\n'  # 7-8: names nothing
        "domain_name,short[.]example\n"  # 9: a field missing
        "domain_name,fine2[.]example,fine,2022-09-27\n",  # 10
        encoding="utf-8",
    )
    report = load(engine, tmp_path, "meta-bad", path)
    quarantined = list(csv.DictReader((tmp_path / "q.csv").open(encoding="utf-8")))
    assert [(q["line"], q["reason"]) for q in quarantined] == [
        ("9", "expected 4 fields, found 2"),
        ("3", "no indicator value"),
        ("4", "no indicator_type"),
        ("5", "URL without a host: 'hxxps[:]//'"),
        ("6", "ds is not a date (YYYY-MM-DD): '27/09/2022'"),
    ]
    assert report.reconciles
    read = (report.total("rows_read"), report.total("loaded"), report.total("rejected"))
    assert read == (8, 3, 5)
    names = rows(engine, "MATCH (i:Indicator)-[:NAMES]->(d:Domain) RETURN d.name")
    assert names == [["fine2.example"], ["good.example"]]


# -- what an indicator names --------------------------------------------------------------------


def accounts_file(tmp_path: Path) -> Path:
    on_x, on_tiktok = "0.9.4 Acquiring X / Twitter accounts", "0.9.6 Acquiring TikTok accounts"
    values = [
        (on_x, "https://twitter[.]com/garciajasmyn1"),
        (on_x, "@GARCIAJASMYN1"),
        (on_x, f"https://x[.]com/i/user/{NUMERIC['userid']}"),
        (on_x, "https://twitter[.]com/nobody_here"),
        (on_tiktok, "https://www[.]tiktok[.]com/@GarciaJasmyn1"),
        ("0.9.1 Acquiring Facebook assets", "12 Facebook accounts"),
    ]
    rows = [[*TWITTER_STEP, procedure, value, ""] for procedure, value in values]
    return write_rows(tmp_path / "accounts.csv", KILL_CHAIN_HEADER, rows)


NAMED_ACCOUNTS = (
    "MATCH (i:Indicator)-[:NAMES]->(a:Account) RETURN i.value, a.userid ORDER BY i.value"
)


def test_indicators_name_twitter_accounts_by_handle_or_id_and_no_other_platform(
    engine: GraphEngine, tmp_path: Path
) -> None:
    load_twitter(engine, [write_users(tmp_path / "users.csv", [GARCIA, NUMERIC])], "tw")
    report = load(engine, tmp_path, "meta-accounts", accounts_file(tmp_path))
    assert report.reconciles and report.total("loaded") == 6
    assert rows(engine, NAMED_ACCOUNTS) == [
        ["@garciajasmyn1", GARCIA["userid"]],  # case-insensitive
        ["https://twitter.com/garciajasmyn1", GARCIA["userid"]],
        [f"https://x.com/i/user/{NUMERIC['userid']}", NUMERIC["userid"]],
    ]
    # No Account for a handle the graph lacks, nor for other platforms; their URLs are named.
    assert graph_counts(engine)["Account"] == 2
    urls = rows(engine, "MATCH (:Indicator)-[:NAMES]->(u:Url)-[:ON_DOMAIN]->(d) RETURN d.name")
    assert urls == [["tiktok.com"], ["twitter.com"], ["twitter.com"], ["x.com"]]


def test_an_account_loaded_after_its_indicator_is_named_on_reload(
    engine: GraphEngine, tmp_path: Path
) -> None:
    load(engine, tmp_path, "meta-accounts", accounts_file(tmp_path))
    assert rows(engine, NAMED_ACCOUNTS) == []
    load_twitter(engine, [write_users(tmp_path / "users.csv", [GARCIA, NUMERIC])], "tw")
    report = load(engine, tmp_path, "meta-accounts", accounts_file(tmp_path))
    assert report.total("loaded") == 0 and report.total("already_present") == 6
    assert len(rows(engine, NAMED_ACCOUNTS)) == 3
    before = graph_counts(engine)
    load(engine, tmp_path, "meta-accounts", accounts_file(tmp_path))
    assert graph_counts(engine) == before


def test_the_same_indicator_in_two_disclosures_is_one_node_with_two_edges(
    engine: GraphEngine, tmp_path: Path
) -> None:
    first = write_rows(
        tmp_path / "first.csv",
        FLAT_HEADER,
        [
            ["domain_name", "shared[.]example", "", "2022-09-27"],
            ["cib_url", "hxxps://shared[.]example/p", "", ""],
        ],
    )
    second = write_rows(
        tmp_path / "second.csv",
        FLAT_HEADER,
        [
            ["domain_name", "www.SHARED.example", "again", "2023-01-01"],
            ["domain_name", "own.example", "", ""],
        ],
    )
    load(engine, tmp_path, "meta-a", first)
    report = load(engine, tmp_path, "meta-b", second)
    assert report.total("loaded") == 2  # new to meta-b, though one node already existed
    assert rows(
        engine,
        "MATCH (i:Indicator)-[:IN_DISCLOSURE]->(d:Disclosure) RETURN i.id, d.id, i.published",
    ) == [
        ["cib_url:https://shared.example/p", "meta-a", None],
        ["domain_name:own.example", "meta-b", None],
        ["domain_name:shared.example", "meta-a", "2022-09-27"],  # the first publication kept
        ["domain_name:shared.example", "meta-b", "2022-09-27"],
    ]
    counts = graph_counts(engine)
    assert (counts["Indicator"], counts["Domain"], counts["NAMES"]) == (3, 2, 3)


# -- the cross-reference: an indicator names the domain a tweet links to ---------------------------

LINKED = (
    "MATCH (i:Indicator)-[:NAMES]->(d:Domain)<-[:ON_DOMAIN]-(:Url)<-[:LINKS_TO]-(t:Tweet) "
    "RETURN i.id, d.name, t.tweetid"
)
SAME_URL = "MATCH (i:Indicator)-[:NAMES]->(:Url)<-[:LINKS_TO]-(t:Tweet) RETURN i.id, t.tweetid"


@pytest.mark.parametrize(
    "indicators_first", [True, False], ids=["indicators-first", "tweets-first"]
)
def test_an_indicator_file_cross_references_a_twitter_disclosure_using_its_domain(
    engine: GraphEngine, tmp_path: Path, indicators_first: bool
) -> None:
    author = account("1600000000000000001", "poster")
    tweets = write_tweets(
        tmp_path / "tweets.csv",
        [
            tweet("1700000000000000001", author, urls="['https://www.rrn.world/2022/09/story']"),
            tweet("1700000000000000002", author, urls="['https://t.me/london_rumors']"),
            tweet("1700000000000000003", author, urls="['https://unrelated.example/a']"),
        ],
    )

    def twitter() -> None:
        assert load_twitter(
            engine, [tweets], "twitter-x", quarantine_path=tmp_path / "t.csv"
        ).reconciles

    def meta() -> None:
        assert load(engine, tmp_path, "meta-2022-09", FLAT).reconciles

    for step in (meta, twitter) if indicators_first else (twitter, meta):
        step()
    assert rows(engine, LINKED) == [["domain_name:rrn.world", "rrn.world", "1700000000000000001"]]
    assert rows(engine, SAME_URL) == [
        ["telegram_url:https://t.me/london_rumors", "1700000000000000002"]
    ]
    one_each = "MATCH (d:Domain) WHERE d.name IN ['rrn.world', 't.me'] RETURN d.name, count(*)"
    assert rows(engine, one_each) == [["rrn.world", 1], ["t.me", 1]]
    assert rows(engine, "MATCH (u:Url {url: 'https://t.me/london_rumors'}) RETURN count(u)") == [
        [1]
    ]


# -- the command ---------------------------------------------------------------------------------


def test_the_command_loads_both_layouts_and_prints_the_reconciled_report(
    engine_settings: EngineSettings, tmp_path: Path
) -> None:
    app = typer.Typer()
    app.command("indicators")(indicators_cli)
    quarantine = tmp_path / "q.csv"
    args = [str(FLAT), str(KILL_CHAIN), "--disclosure", "meta-cli", "--quiet"]
    args += ["--quarantine", str(quarantine), *engine_args(engine_settings)]
    result = CliRunner(env={"COLUMNS": "240"}).invoke(app, args, env=engine_env(engine_settings))
    assert result.exit_code == 0, (result.output, result.exception)
    assert "rows read = loaded + already present + rejected: reconciled" in result.output
    assert f"1 rejected rows (with line and reason) are in {quarantine}" in result.output
    with open_engine(engine_settings) as engine:
        assert engine.count("MATCH (i:Indicator) RETURN count(i)") == 865
