"""``infoops crossref``: what two synthetic disclosures with planted overlaps share, on both
engines, against the generator's truth file (every planted overlap found, nothing else); the
near-identical text join against all pairs; Meta-style indicators found in a disclosure; the
screen name each disclosure published kept on IN_DISCLOSURE (renamed accounts), and Ladybug's
migration of a database made before that property existed; the command's outputs."""

from __future__ import annotations

import csv
import itertools
import json
import random
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
import typer

from conftest import Neo4jServer
from infoops.analysis.crossref import KIND_NAMES, crossref
from infoops.analysis.crossref.similarity import normalise, shingle, similar_pairs
from infoops.engines import EngineSettings, open_engine
from infoops.engines.base import node_table, rel_table
from infoops.errors import CrossrefError, DisclosureNotFoundError
from infoops.loaders.twitter_io import load_twitter
from infoops.synthetic.overlaps import (
    TRUTH_KINDS,
    OverlapConfig,
    generate_overlapping_pair,
    text_similarity,
)

A, B, META = "synth-overlap-a", "synth-overlap-b", "meta-2021-indicators"
_PAIR: dict[str, Any] = {}


def overlapping_pair(factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    if not _PAIR:
        root = factory.mktemp("crossref")
        pair = generate_overlapping_pair(root / "files", OverlapConfig())
        _PAIR.update(root=root, truth=pair.truth, files=pair.files)
    return _PAIR["root"], _PAIR["truth"]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _urls(side: str) -> dict[str, int]:
    """Each URL of one side's tweets file, with the tweets linking to it."""
    counts: dict[str, int] = {}
    for row in _rows(_PAIR["files"][side][1]):
        for url in row["urls"].strip("[]").split(","):
            url = url.strip().strip("'")
            if url:
                counts[url] = counts.get(url, 0) + 1
    return counts


def planted_indicators() -> dict[str, dict[str, Any]]:
    """Indicators a Meta-style disclosure publishes, and where each should be found:
    one naming a domain B links to (a NAMES edge), one whose value is a URL A links to (no
    edge: loaded after), one naming an account A released, one that nothing uses."""
    a_urls, b_urls = _urls("A"), _urls("B")
    a_only = sorted(url for url in a_urls if url not in b_urls)
    b_domains: dict[str, int] = {}
    for url, n in b_urls.items():
        if url not in a_urls:
            domain = url.split("/")[2]
            b_domains[domain] = b_domains.get(domain, 0) + n
    a_domains = {url.split("/")[2] for url in a_urls}
    domain = sorted(d for d in b_domains if d not in a_domains)[0]
    account = sorted(
        set(_PAIR["truth"]["overlaps"]["accounts"])
        ^ {r["userid"] for r in _rows(_PAIR["files"]["A"][0]) if r["userid"].isdigit()}
    )[0]
    a_tweets = sum(1 for row in _rows(_PAIR["files"]["A"][1]) if row["userid"] == account)
    return {
        f"domain_name:{domain}": {
            "type": "domain_name",
            "value": domain,
            "names": ("Domain", domain),
            "found": {B: b_domains[domain]},
        },
        f"cib_url:{a_only[0]}": {
            "type": "cib_url",
            "value": a_only[0],
            "names": None,
            "found": {A: a_urls[a_only[0]]},
        },
        f"account_id:{account}": {
            "type": "account_id",
            "value": account,
            "names": ("Account", account),
            "found": {A: a_tweets},
        },
        "domain_name:nothing-uses-it.example": {
            "type": "domain_name",
            "value": "nothing-uses-it.example",
            "names": None,
            "found": {},
        },
    }


def _add_indicators(engine: Any) -> None:
    """Indicator nodes as the indicators loader writes them, made with the engine's API."""
    indicators = planted_indicators()
    engine.insert_nodes(
        "Disclosure", node_table("Disclosure", {"id": [META], "platform": ["meta"]})
    )
    engine.insert_nodes(
        "Indicator",
        node_table(
            "Indicator",
            {
                "id": list(indicators),
                "type": [i["type"] for i in indicators.values()],
                "value": [i["value"] for i in indicators.values()],
                "raw": [i["value"].replace(".", "[.]") for i in indicators.values()],
            },
        ),
    )
    engine.insert_rels(
        "IN_DISCLOSURE",
        "Indicator",
        "Disclosure",
        rel_table("IN_DISCLOSURE", list(indicators), [META] * len(indicators)),
    )
    for key, indicator in indicators.items():
        if indicator["names"]:
            label, target = indicator["names"]
            engine.insert_rels("NAMES", "Indicator", label, rel_table("NAMES", [key], [target]))


def _load(files: dict[str, list[Path]], settings: EngineSettings) -> EngineSettings:
    with open_engine(settings) as engine:
        for side, disclosure in (("A", A), ("B", B)):
            report = load_twitter(engine, files[side], disclosure)
            assert report.reconciles and report.total("rejected") == 0
        _add_indicators(engine)
    return settings


@pytest.fixture(params=["ladybug", "neo4j"])
def pair_graph(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[EngineSettings, dict[str, Any]]:
    root, truth = overlapping_pair(tmp_path_factory)
    if request.param == "ladybug":
        db = root / "graph.db"
        if not db.exists():
            _load(_PAIR["files"], EngineSettings(db=db))
        return EngineSettings(db=db), truth
    server: Neo4jServer = request.getfixturevalue("neo4j_server")
    settings = server.shared("crossref-pair", lambda s: _load(_PAIR["files"], s))
    assert isinstance(settings, EngineSettings)
    return settings, truth


def _uses(item: Any) -> dict[str, int]:
    side = {A: "A", B: "B", META: "META"}
    return {side[d]: p.uses for d, p in item.presence.items()}


def test_crossref_finds_every_planted_overlap_and_nothing_else(
    pair_graph: tuple[EngineSettings, dict[str, Any]],
) -> None:
    settings, truth = pair_graph
    with open_engine(settings, read_only=True) as engine:
        report = crossref(engine, [A, B])
    assert [kind.kind for kind in report.kinds] == list(KIND_NAMES)
    for kind in TRUTH_KINDS:
        planted = truth["overlaps"][kind]
        assert planted, f"nothing planted for {kind}: the test would prove nothing"
        items = [i for i in report.kind(kind).items if i.detail.get("match") != "renamed"]
        found = {item.key: _uses(item) for item in items}
        assert found == planted, kind
    renamed = {
        item.key: {
            ("A" if d == A else "B"): p.detail["screen_name"] for d, p in item.presence.items()
        }
        for item in report.kind("screen_names").items
        if item.detail["match"] == "renamed"
    }
    assert renamed == truth["renamed"]
    flagged = {i.key for i in report.kind("accounts").items if i.detail["renamed"]}
    assert flagged == set(truth["renamed"])
    texts = {
        (item.presence[A].detail["text"], item.presence[B].detail["text"]): (
            item.detail["similarity"],
            _uses(item),
        )
        for item in report.kind("text").items
    }
    assert texts == {
        (t["A"], t["B"]): (round(t["similarity"], 4), t["uses"]) for t in truth["text"]
    }
    assert {t["edit"] for t in truth["text"]} == {"exact", "appended", "replaced"}
    assert report.kind("indicators").items == []  # neither disclosure publishes any


def test_hashed_ids_are_never_matched_across_disclosures(
    pair_graph: tuple[EngineSettings, dict[str, Any]],
) -> None:
    settings, truth = pair_graph
    decoys = set(truth["hashed_decoys"])
    assert decoys
    with open_engine(settings, read_only=True) as engine:
        # The same hashed id string in both releases is one node with two memberships ...
        held = engine.run(
            "UNWIND $ids AS id MATCH (a:Account {userid: id})-[:IN_DISCLOSURE]->(d:Disclosure) "
            "RETURN count(d) AS n",
            {"ids": sorted(decoys)},
        ).rows
        assert held == [[2 * len(decoys)]]
        report = crossref(engine, [A, B], "accounts,retweeted_accounts,screen_names")
    # ... and still no match: each release salts its hashes.
    for kind in report.kinds:
        assert not decoys & {item.key for item in kind.items}
    assert "only comparable inside one release" in report.notes[0]
    assert "hashed accounts left out" in report.kind("accounts").notes[0]


def test_indicators_are_found_through_names_and_by_value(
    pair_graph: tuple[EngineSettings, dict[str, Any]],
) -> None:
    settings, _ = pair_graph
    planted = planted_indicators()
    with open_engine(settings, read_only=True) as engine:
        report = crossref(engine, [A, B, META], "indicators")
    found = {item.key: item for item in report.kind("indicators").items}
    expected = {key for key, i in planted.items() if i["found"]}
    assert set(found) == expected
    for key in expected:
        item, indicator = found[key], planted[key]
        assert item.presence[META].detail["published"] is True
        assert {d: p.uses for d, p in item.presence.items() if d != META} == indicator["found"]
        via = {v for d, p in item.presence.items() if d != META for v in p.detail["via"]}
        assert via >= ({"NAMES"} if indicator["names"] else {"value"})


def test_in_disclosure_keeps_the_screen_name_each_disclosure_published(
    pair_graph: tuple[EngineSettings, dict[str, Any]],
) -> None:
    settings, truth = pair_graph
    userid, names = sorted(truth["renamed"].items())[0]
    with open_engine(settings, read_only=True) as engine:
        rows = engine.run(
            "MATCH (a:Account {userid: $id})-[r:IN_DISCLOSURE]->(d:Disclosure) "
            "RETURN d.id AS disclosure, r.screen_name AS name, a.screen_name AS node_name "
            "ORDER BY disclosure",
            {"id": userid},
        ).rows
    assert rows == [[A, names["A"], names["A"]], [B, names["B"], names["A"]]]


def test_crossref_refuses_what_it_cannot_compare(
    pair_graph: tuple[EngineSettings, dict[str, Any]],
) -> None:
    settings, _ = pair_graph
    with open_engine(settings, read_only=True) as engine:
        with pytest.raises(CrossrefError, match="unknown crossref kind colours"):
            crossref(engine, [A, B], "hashtags,colours")
        with pytest.raises(CrossrefError, match="at least two"):
            crossref(engine, [A, A])
        with pytest.raises(DisclosureNotFoundError, match="no disclosure nope is loaded"):
            crossref(engine, [A, "nope"])
        with pytest.raises(CrossrefError, match="min-similarity"):
            crossref(engine, [A, B], "text", min_similarity=1.5)


def test_similar_pairs_equal_the_all_pairs_answer() -> None:
    """Prefix filtering is exact: it returns what comparing every pair returns."""
    rng = random.Random(3)
    vocabulary = [f"w{i}" for i in range(40)]
    base = [rng.sample(vocabulary, rng.randint(3, 14)) for _ in range(60)]
    left = [" ".join(words) for words in base]
    right = []
    for words in base[:40]:
        words = list(words)
        for _ in range(rng.randint(0, 3)):
            words[rng.randrange(len(words))] = rng.choice(vocabulary)
        right.append(" ".join(words))
    right += [" ".join(rng.sample(vocabulary, rng.randint(3, 14))) for _ in range(30)]

    def bigrams(text: str) -> set[str]:
        words = text.split()
        return {f"{a} {b}" for a, b in itertools.pairwise(words)} if len(words) >= 5 else set()

    for threshold in (0.3, 0.5, 0.8, 1.0):
        lefts, rights = normalise(pa.array(left)), normalise(pa.array(right))
        shingled = shingle([lefts, rights])
        found = similar_pairs(shingled[0], shingled[1], threshold)
        got = {
            (lefts[a].as_py(), rights[b].as_py()): round(s, 9)
            for a, b, s in zip(
                *(found.column(c).to_pylist() for c in ("left", "right", "similarity")), strict=True
            )
        }
        expected = {}
        for x in lefts.to_pylist():
            for y in rights.to_pylist():
                bx, by = bigrams(x), bigrams(y)
                if bx and by and len(bx & by) / len(bx | by) >= threshold:
                    expected[(x, y)] = round(len(bx & by) / len(bx | by), 9)
        assert expected, f"no pair reaches {threshold}: the comparison would prove nothing"
        assert got == expected, threshold


def test_normalising_drops_case_links_mentions_and_spacing() -> None:
    texts = pa.array(["RT-free  @Someone Look at THIS https://t.co/x1\n now www.example.com/a ok"])
    assert normalise(texts).to_pylist() == ["rt-free look at this now ok"]
    assert text_similarity("replaced") == pytest.approx(17 / 21)


def test_ladybug_adds_the_screen_name_to_an_older_databases_in_disclosure(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A database made before IN_DISCLOSURE had ``screen_name`` gains the column (null on the
    edges it holds), loads into it write the names, and crossref reads the node's name for
    the old edges. Ladybug only: Neo4j has no schema of properties to migrate."""
    import ladybug

    from infoops.engines.schema import ladybug_ddl

    overlapping_pair(tmp_path_factory)
    db = tmp_path / "old.db"
    old = ladybug.Database(str(db))
    conn = ladybug.Connection(old)
    for statement in ladybug_ddl():
        if "IN_DISCLOSURE" in statement:  # as the model declared it before
            statement = statement.replace(", screen_name STRING", "")
        conn.execute(statement)
    conn.execute("CREATE (:Disclosure {id: 'old'}), (:Account {userid: '7', screen_name: 'Seven'})")
    conn.execute(
        "MATCH (a:Account {userid: '7'}), (d:Disclosure {id: 'old'}) "
        "CREATE (a)-[:IN_DISCLOSURE]->(d)"
    )
    columns = conn.execute("CALL table_info('IN_DISCLOSURE') RETURN name").get_as_arrow()
    assert "screen_name" not in columns.column(0).to_pylist()
    conn.close()
    old.close()

    with open_engine(EngineSettings(db=db)) as engine:
        assert engine.run(
            "MATCH (:Account {userid: '7'})-[r:IN_DISCLOSURE]->() RETURN r.screen_name"
        ).rows == [[None]]
        report = load_twitter(engine, _PAIR["files"]["A"], A)
        assert report.reconciles and report.total("rejected") == 0
        userid, names = sorted(_PAIR["truth"]["renamed"].items())[0]
        assert engine.run(
            "MATCH (:Account {userid: $id})-[r:IN_DISCLOSURE]->() RETURN r.screen_name",
            {"id": userid},
        ).rows == [[names["A"]]]
        engine.run("CREATE (:Disclosure {id: 'old2'})")
        engine.run(
            "MATCH (a:Account {userid: '7'}), (d:Disclosure {id: 'old2'}) "
            "CREATE (a)-[:IN_DISCLOSURE]->(d)"
        )
        shared = crossref(engine, ["old", "old2"], "accounts,screen_names")
    assert [i.key for i in shared.kind("accounts").items] == ["7"]
    assert [i.key for i in shared.kind("screen_names").items] == ["seven"]


def _cli(settings: EngineSettings, *args: str) -> Any:
    from typer.testing import CliRunner

    from conftest import engine_args, engine_env
    from infoops.cli.crossref import crossref as crossref_command

    app = typer.Typer()
    app.command("crossref")(crossref_command)
    app.command("version")(lambda: None)  # two commands: typer keeps the "crossref" name
    env = engine_env(settings)
    return CliRunner().invoke(app, ["crossref", *args, *engine_args(settings)], env=env)


def test_the_command_writes_json_csv_a_table_and_the_page(
    pair_graph: tuple[EngineSettings, dict[str, Any]], tmp_path: Path
) -> None:
    settings, truth = pair_graph
    with open_engine(settings, read_only=True) as engine:
        expected = crossref(engine, [A, B], "accounts,hashtags,text")
    shown = _cli(settings, A, B, "--by", "text,hashtags,accounts", "--format", "json")
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.stdout) == json.loads(json.dumps(expected.to_dict()))
    shown = _cli(settings, A, B, "--by", "hashtags", "-f", "csv", "-o", str(tmp_path / "x.csv"))
    assert shown.exit_code == 0, shown.output
    rows = _rows(tmp_path / "x.csv")
    assert {(r["key"], r["disclosure"], int(r["uses"])) for r in rows} == {
        (tag, d, uses[side])
        for tag, uses in truth["overlaps"]["hashtags"].items()
        for side, d in (("A", A), ("B", B))
    }
    shown = _cli(settings, A, B, "--by", "renamed,colours")
    assert isinstance(shown.exception, CrossrefError)  # the app prints it as one line
    assert "unknown crossref kind colours, renamed" in str(shown.exception)
    shown = _cli(settings, A, B, "-f", "html", "-o", str(tmp_path / "crossref.html"))
    assert shown.exit_code == 0, shown.output
    page = (tmp_path / "crossref.html").read_text("utf-8")
    for userid in truth["renamed"]:
        assert userid in page
    shown = _cli(settings, A, B, "--by", "accounts")
    assert shown.exit_code == 0 and "only comparable inside one release" in shown.stdout
