"""The crossref page: one star per disclosure, one node per shared thing linked to every
disclosure holding it (as wide as its uses there), the overlap summary and notes, data from the
releases kept as text (never markup), offline, and the cap on things drawn per kind said."""

from __future__ import annotations

from pathlib import Path

from test_visualisations import assert_offline, page_data

from infoops.analysis.crossref import HASHED_IDS_NOTE, CrossrefReport, KindResult
from infoops.analysis.crossref.model import Evidence, Presence, SharedItem
from infoops.synthetic import INJECTION_STRINGS
from infoops.visualisations.crossref import crossref_view, write_crossref_html

A, B, C = "twitter-a", "twitter-b", "meta-c"


def _presence(uses: int, detail: dict[str, object] | None = None) -> Presence:
    return Presence(
        uses,
        1,
        "2020-01-01T00:00:00Z",
        "2020-01-02T00:00:00Z",
        [Evidence("1", "2", "2020-01-01T00:00:00Z")],
        dict(detail or {}),
    )


def _report(hashtags: int = 2) -> CrossrefReport:
    hostile, script = INJECTION_STRINGS
    tags = [
        SharedItem(f"tag{n}", {A: _presence(n + 1), B: _presence(2 * n + 3)})
        for n in range(hashtags)
    ]
    accounts = [
        SharedItem(
            "1001",
            {
                A: _presence(4, {"screen_name": hostile}),
                B: _presence(5, {"screen_name": "Renamed"}),
            },
            {"renamed": True},
        )
    ]
    texts = [
        SharedItem(
            script,
            {A: _presence(3, {"text": script}), C: _presence(1, {"text": script})},
            {"similarity": 0.95},
        )
    ]
    return CrossrefReport(
        [A, B, C],
        [
            KindResult("accounts", "Accounts", accounts, ["hashed accounts left out"]),
            KindResult("hashtags", "Hashtags", tags),
            KindResult("text", "Texts", texts),
        ],
    )


def test_every_shared_thing_is_linked_to_the_disclosures_holding_it(tmp_path: Path) -> None:
    report = _report()
    page = write_crossref_html(report, tmp_path / "crossref.html").read_text("utf-8")
    data = page_data(page)
    nodes = {node["id"]: node for node in data["nodes"]}
    stars = {n for n, node in nodes.items() if node.get("shape") == "star"}
    assert stars == {f"disclosure:{d}" for d in (A, B, C)}
    assert set(nodes) - stars == {"accounts:0", "hashtags:0", "hashtags:1", "text:0"}
    links = {(e["from"], e["to"]) for e in data["edges"]}
    expected = {
        (f"disclosure:{d}", f"{result.kind}:{n}")
        for result in report.kinds
        for n, item in enumerate(result.items)
        for d in item.presence
    }
    assert links == expected
    widths = {(e["from"], e["to"]): e["width"] for e in data["edges"]}
    # wider where the hashtag is used more (1 and 3 uses for tag0; 2 and 5 for tag1)
    assert (
        widths[("disclosure:twitter-b", "hashtags:1")]
        > widths[("disclosure:twitter-a", "hashtags:1")]
    )
    assert "Accounts: 1" in page and "Hashtags: 2" in page and "Texts: 1" in page
    assert HASHED_IDS_NOTE.split(":")[0] in page
    assert_offline(page)


def test_release_data_stays_text(tmp_path: Path) -> None:
    page = write_crossref_html(_report(), tmp_path / "crossref.html").read_text("utf-8")
    for injected in INJECTION_STRINGS:
        assert injected not in page
    data = page_data(page)
    labels = {node["id"]: node["label"] for node in data["nodes"]}
    assert labels["accounts:0"] == f"@{INJECTION_STRINGS[0]}"  # kept, as data
    assert INJECTION_STRINGS[1] in labels["text:0"]
    assert_offline(page)


def test_a_kind_sharing_more_than_the_cap_says_how_much_is_drawn() -> None:
    view = crossref_view(_report(hashtags=12), items_per_kind=5)
    drawn = [node for node in view.nodes if node.kind == "hashtags"]
    assert len(drawn) == 5
    # the most used first: the report's order is kept
    assert [node.properties["key"] for node in drawn] == [f"tag{n}" for n in range(5)]
    assert any("hashtags: 5 of 12 shared things drawn" in notice for notice in view.notices)
