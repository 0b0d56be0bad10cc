"""``compute_report``, the report page and ``infoops report``, on both engines.

The graph: a synthetic release with its planted clusters written onto the accounts and hostile
strings (``INJECTION_STRINGS``, a TeX-looking ``$`` text) planted as the most amplified
account's screen name, the top hashtag's spelling, a domain and a client; next to it, as a
second disclosure, the real August 2019 China users file (accounts only, with known bursts).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from conftest import ENGINES, Neo4jServer, engine_args, engine_env
from infoops.analysis.report import Report, compute_report, report_queries
from infoops.engines import EngineSettings, GraphEngine, open_engine
from infoops.errors import InfoopsError
from infoops.loaders.twitter_io import load_twitter
from infoops.synthetic import INJECTION_STRINGS, SynthConfig, generate_disclosure
from infoops.visualisations.offline import external_references
from infoops.visualisations.report import render_report_html
from twitter_files import REAL_USERS

SYNTH_ID, REAL_ID = "synthetic-report", "twitter-2019-08-china"
SYNTH = SynthConfig(accounts=200, tweets=3000, seed=5)
TEX = "$\\notacommand{x}$"  # mathtext would raise on it: text must stay text
HOSTILE_NAME, HOSTILE_TAG = INJECTION_STRINGS[0], INJECTION_STRINGS[1]
HOSTILE_DOMAIN, HOSTILE_CLIENT = "<b>evil</b>.example", TEX
HOSTILE_LINK = {"url": f"https://{HOSTILE_DOMAIN}/", "domain": HOSTILE_DOMAIN}
NEO4J_KEY = f"test_report:{SYNTH_ID}:{SYNTH.accounts}x{SYNTH.tweets}:seed{SYNTH.seed}"

PLANT = [
    (
        "MATCH (x:Account)-[r:AMPLIFIED]->(b:Account) WITH b, count(x) AS n, b.userid AS u "
        "ORDER BY n DESC, u LIMIT 1 SET b.screen_name = $name",
        {"name": HOSTILE_NAME},
    ),
    (
        "MATCH (t:Tweet)-[:TAGGED]->(h:Hashtag) WITH h, count(t) AS n, h.tag AS tag "
        "ORDER BY n DESC, tag LIMIT 1 SET h.spelling = $tag",
        {"tag": HOSTILE_TAG},
    ),
    # A domain's name is its key: a new one, linked from the first tweets of 60 accounts.
    ("CREATE (:Url {url: $url})-[:ON_DOMAIN]->(:Domain {name: $domain})", HOSTILE_LINK),
    (
        "MATCH (t:Tweet) WHERE t.in_disclosure = true AND t.userid IS NOT NULL "
        "WITH t.userid AS userid, min(t.tweetid) AS first ORDER BY userid LIMIT 60 "
        "MATCH (t:Tweet {tweetid: first}) MATCH (u:Url {url: $url}) CREATE (t)-[:LINKS_TO]->(u)",
        HOSTILE_LINK,
    ),
    (
        "MATCH (t:Tweet) WHERE t.in_disclosure = true WITH t, t.tweetid AS id "
        "ORDER BY id LIMIT 40 SET t.client = $client",
        {"client": HOSTILE_CLIENT},
    ),
]
SET_CLUSTERS = "UNWIND $rows AS r MATCH (a:Account {userid: r.userid}) SET a.cluster = r.cluster"


@dataclass(frozen=True)
class Release:
    folder: Path
    users: Path
    truth: dict[str, Any]


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Release:
    folder = tmp_path_factory.mktemp("report")
    synth = generate_disclosure(folder / "data", SYNTH)
    return Release(folder, synth.users_path, json.loads(synth.truth_path.read_text("utf-8")))


def build(settings: EngineSettings, release: Release) -> None:
    with open_engine(settings) as engine:
        for path, disclosure in ((release.folder / "data", SYNTH_ID), (REAL_USERS, REAL_ID)):
            load_twitter(engine, [path], disclosure, quarantine_path=release.folder / "q.csv")
        for cypher, params in PLANT:
            engine.run(cypher, params)
        rows = [
            {"userid": userid, "cluster": account["cluster"]}
            for userid, account in release.truth["accounts"].items()
            if account["cluster"] is not None
        ]
        engine.run(SET_CLUSTERS, {"rows": rows})


@dataclass(frozen=True)
class Graph:
    settings: Callable[[], EngineSettings]


@pytest.fixture(scope="module", params=ENGINES)
def graph(request: pytest.FixtureRequest, release: Release) -> Graph:
    if request.param == "ladybug":
        settings = EngineSettings(db=release.folder / "graph.db")
        build(settings, release)
        return Graph(lambda: settings)
    server: Neo4jServer = request.getfixturevalue("neo4j_server")

    def loaded() -> EngineSettings:
        server.shared(NEO4J_KEY, lambda s: build(s, release))
        return server.settings

    loaded()
    return Graph(loaded)


@pytest.fixture
def graph_engine(graph: Graph) -> Iterator[GraphEngine]:
    with open_engine(graph.settings(), read_only=True) as opened:
        yield opened


@pytest.fixture(scope="module")
def side_by_side(graph: Graph) -> Report:
    with open_engine(graph.settings(), read_only=True) as engine:
        return compute_report(engine, [SYNTH_ID, REAL_ID], tz="Asia/Shanghai", top=15)


@pytest.fixture(scope="module")
def page(side_by_side: Report) -> str:
    return render_report_html(side_by_side, command="infoops report")


# -- figures ------------------------------------------------------------------------------------


def test_follower_bins_match_the_users_file(side_by_side: Report, release: Release) -> None:
    users = pd.read_csv(release.users, dtype=str, keep_default_na=False)
    counts = {}
    for name, column in (("followers", "follower_count"), ("following", "following_count")):
        values = [int(float(v)) for v in users[column] if v.strip()]
        bins = [0 if v == 0 else int(np.floor(np.log2(v))) + 1 for v in values]
        counts[name] = [Counter(bins).get(k, 0) for k in range(max(bins) + 1)]
    synth = side_by_side.columns[0]
    assert synth.followers.counts == counts["followers"]
    assert synth.following.counts == counts["following"]
    assert synth.followers.labels[:5] == ["0", "1", "2-3", "4-7", "8-15"]
    assert synth.followers.known + synth.followers.unknown == len(users)


def test_amplified_and_domains_match_direct_counts(
    side_by_side: Report, graph_engine: GraphEngine
) -> None:
    synth = side_by_side.columns[0]
    rows = graph_engine.run(
        "MATCH (a:Account)-[:IN_DISCLOSURE]->(:Disclosure {id: $d}) WITH DISTINCT a "
        "MATCH (a)-[r:AMPLIFIED]->(b:Account) RETURN b.userid AS u, a.userid AS x, r.count AS n",
        {"d": SYNTH_ID},
    ).rows
    amplifiers: Counter[str] = Counter(u for u, _, _ in rows)
    retweets: Counter[str] = Counter()
    for u, _, n in rows:
        retweets[u] += int(n)
    expected = sorted(amplifiers, key=lambda u: (-amplifiers[u], -retweets[u], u))[:15]
    assert [a.userid for a in synth.most_amplified] == expected
    assert synth.most_amplified[0].screen_name == HOSTILE_NAME
    by_retweets = sorted(retweets, key=lambda u: (-retweets[u], -amplifiers[u], u))[:15]
    assert [a.userid for a in synth.most_retweeted] == by_retweets
    assert [a.retweets for a in synth.most_retweeted] == [retweets[u] for u in by_retweets]
    assert (HOSTILE_DOMAIN, 60) in [(d.domain, d.accounts) for d in synth.domains]
    assert [d.accounts for d in synth.domains] == sorted(
        (d.accounts for d in synth.domains), reverse=True
    )


def test_figures_reuse_the_summary(side_by_side: Report) -> None:
    synth, real = side_by_side.columns
    s = synth.summary
    assert (s.disclosure, s.timezone) == (SYNTH_ID, "Asia/Shanghai")
    assert sum(n for n, _ in s.by_month.values()) == s.timed_tweets == SYNTH.tweets
    assert sum(r for _, r in s.by_month.values()) == s.retweets.count
    assert real.summary.tweets == 0 and real.summary.by_month == {}
    assert "2017-08" in [b.period for b in real.summary.creation_bursts.by_month.bursts]


def test_clusters_of_each_disclosure(side_by_side: Report, release: Release) -> None:
    synth, real = side_by_side.columns
    planted = Counter(
        a["cluster"] for a in release.truth["accounts"].values() if a["cluster"] is not None
    )
    assert {c.cluster: c.accounts for c in synth.clusters} == dict(planted)
    assert all(c.size == c.accounts for c in synth.clusters)
    assert real.clusters == [] and side_by_side.has_clusters


def test_bad_selections_are_user_errors(graph_engine: GraphEngine) -> None:
    with pytest.raises(InfoopsError, match="nope"):
        compute_report(graph_engine, ["nope"])
    with pytest.raises(InfoopsError, match="more than once"):
        compute_report(graph_engine, [REAL_ID, REAL_ID])
    with pytest.raises(InfoopsError, match="time zone"):
        compute_report(graph_engine, [REAL_ID], tz="Mars/Olympus")


# -- the page -----------------------------------------------------------------------------------


class Elements(HTMLParser):
    """Every start tag and its attributes, and where the text of each SVG is."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.svg_text: list[str] = []
        self._svg_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "svg":
            self._svg_depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self._svg_depth -= 1

    def handle_data(self, data: str) -> None:
        if self._svg_depth:
            self.svg_text.append(data)


def parse(page: str) -> Elements:
    parser = Elements()
    parser.feed(page)
    parser.close()
    return parser


def sections_of(page: str) -> list[str]:
    return re.findall(r'<section id="([a-z-]+)">', page)


def test_page_is_offline_and_hostile_text_stays_text(page: str) -> None:
    elements = parse(page)
    for raw in (*INJECTION_STRINGS, HOSTILE_DOMAIN):
        assert raw not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    names = [tag for tag, _ in elements.tags]
    assert "script" not in names and "img" not in names and "iframe" not in names
    handlers = [(t, a) for t, attrs in elements.tags for a in attrs if a.startswith("on")]
    assert handlers == []
    assert external_references(page) == []
    # Inside the plots too: the names are drawn as SVG text, escaped.
    drawn = "".join(elements.svg_text)
    for planted in (HOSTILE_NAME, HOSTILE_TAG, HOSTILE_DOMAIN, HOSTILE_CLIENT):
        assert planted in drawn or planted.lstrip("#") in drawn, planted
    hrefs = [
        value
        for _, attrs in elements.tags
        for name, value in attrs.items()
        if name in ("href", "xlink:href", "src")
    ]
    assert hrefs and all(str(value).startswith("#") for value in hrefs)
    csp = next(a["content"] for t, a in elements.tags if a.get("http-equiv"))
    assert "default-src 'none'" in str(csp) and "script-src 'none'" in str(csp)


def test_page_has_every_figure_side_by_side(page: str) -> None:
    assert sections_of(page) == [
        "headline",
        "creation-month",
        "creation-day",
        "followers",
        "following",
        "hour-of-day",
        "weekday",
        "retweet-share",
        "languages",
        "clients",
        "hashtags",
        "domains",
        "most-amplified",
        "most-retweeted",
        "clusters",
    ]
    assert page.count("repeat(2, minmax(0, 1fr))") == 14  # every figure row has two columns
    # The synthetic column draws every plot; the users-only column says what it lacks.
    plotted = Counter(re.findall(r'<figure class="plot" data-plot="([a-z-]+)">\s*<svg', page))
    assert plotted["creation-month"] == plotted["creation-day"] == plotted["followers"] == 2
    assert plotted["hour-of-day"] == plotted["retweet-share"] == plotted["clusters"] == 1
    assert "no tweet with a time" in page


def test_time_zone_is_stated_on_every_time_of_day_figure(page: str) -> None:
    for title in (
        "Tweets by hour of day (Asia/Shanghai)",
        "Tweets by weekday (Asia/Shanghai)",
        "Retweet share by month (Asia/Shanghai)",
        "Mon-Fri 09:00-18:00, Asia/Shanghai",
        "hour of day (Asia/Shanghai)",  # the plot's own axis label
        "weekday (Asia/Shanghai)",
    ):
        assert title in page, title


def test_bursts_are_named_and_marked(page: str) -> None:
    real_month = re.search(r'<section id="creation-month">.*?</section>', page, flags=re.DOTALL)
    assert real_month is not None
    section = real_month.group(0)
    assert "2017-08 (237)" in section and "a month is a burst when more than" in section
    # The second column's plot: one red bar per burst month of the real file (six).
    svgs = re.findall(r"<svg.*?</svg>", section, flags=re.DOTALL)
    assert len(svgs) == 2
    red_bars = re.findall(r'<path d="M [^"]*"[^>]*style="fill: #cf222e', svgs[1])
    assert len(red_bars) == 6


def test_no_clusters_no_cluster_section(engine: GraphEngine, tmp_path: Path) -> None:
    load_twitter(engine, [REAL_USERS], REAL_ID, quarantine_path=tmp_path / "q.csv")
    report = compute_report(engine, [REAL_ID])
    page = render_report_html(report)
    assert "clusters" not in sections_of(page)
    assert "repeat(2," not in page and len(report.columns) == 1


# -- the command --------------------------------------------------------------------------------


def cli_app() -> typer.Typer:
    from infoops.cli.report import report

    app = typer.Typer()
    app.command("report")(report)
    app.command("noop")(lambda: None)  # keep "report" a sub-command, as in the real app
    return app


def test_cli_writes_the_page(graph: Graph, tmp_path: Path) -> None:
    settings = graph.settings()
    out = tmp_path / "report.html"
    result = CliRunner().invoke(
        cli_app(),
        [
            *("report", *engine_args(settings), "-d", SYNTH_ID, "--tz", "Europe/Moscow"),
            *("--top", "5", "--out", str(out)),
        ],
        env=engine_env(settings),
    )
    assert result.exit_code == 0, result.output
    assert f"wrote {out}" in result.stdout
    page = out.read_text("utf-8")
    assert "Tweets by hour of day (Europe/Moscow)" in page
    assert "infoops report --disclosure synthetic-report --tz Europe/Moscow --top 5" in page
    assert "repeat(1, minmax(0, 1fr))" in page
    if settings.neo4j_password:
        assert settings.neo4j_password not in page


def test_cli_errors_are_one_line_user_errors(graph: Graph, tmp_path: Path) -> None:
    settings = graph.settings()
    runner = CliRunner(env=engine_env(settings))
    where = engine_args(settings)
    out = str(tmp_path / "r.html")
    bad_zone = runner.invoke(cli_app(), ["report", *where, "--tz", "Nowhere", "--out", out])
    assert isinstance(bad_zone.exception, InfoopsError)
    missing = runner.invoke(cli_app(), ["report", *where, "-d", "nope", "--out", out])
    assert isinstance(missing.exception, InfoopsError) and SYNTH_ID in str(missing.exception)
    assert not Path(out).exists()


def test_cli_help_ends_with_an_example() -> None:
    result = CliRunner().invoke(cli_app(), ["report", "--help"])
    assert result.exit_code == 0
    assert "infoops report -d" in result.stdout
    for option in ("--disclosure", "--tz", "--top", "--out", "--db", "--neo4j-uri"):
        assert option in result.stdout


def test_queries_take_values_only_as_parameters() -> None:
    for disclosure in (None, "x"):
        for cypher in report_queries(disclosure).values():
            assert "'" not in cypher and '"' not in cypher
    assert "$disclosure" in report_queries("x")["top_domains"]
    assert "in_disclosure = true" in report_queries(None)["most_amplified"]
