"""The synthetic disclosure generator: exact format, quirks and planted structure."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from infoops.cli.app import app
from infoops.cli.synth import Difficulty
from infoops.synthetic import (
    DIFFICULTIES,
    INJECTION_STRINGS,
    PLANTED_METHODS,
    TWEETS_HEADER,
    USERS_HEADER,
    SynthConfig,
    SynthResult,
    generate_disclosure,
    min_accounts,
    snowflake_ms,
)

CONFIG = SynthConfig(accounts=120, tweets=4000, seed=11)
HASH_RE = re.compile(r"^[A-Za-z0-9+/]{43}=$")
COUNT_COLUMNS = ("quote_count", "reply_count", "like_count", "retweet_count")


@dataclass
class Disclosure:
    result: SynthResult
    users: list[dict[str, str]]
    tweets: list[dict[str, str]]
    truth: dict[str, Any]

    @property
    def user_by_id(self) -> dict[str, dict[str, str]]:
        return {u["userid"]: u for u in self.users}


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def load(result: SynthResult) -> Disclosure:
    tweets: list[dict[str, str]] = []
    for path in result.tweet_paths:
        tweets += read_rows(path)
    truth = json.loads(result.truth_path.read_text(encoding="utf-8"))
    return Disclosure(result, read_rows(result.users_path), tweets, truth)


@pytest.fixture(scope="module")
def disc(tmp_path_factory: pytest.TempPathFactory) -> Disclosure:
    return load(generate_disclosure(tmp_path_factory.mktemp("synth"), CONFIG))


def file_bytes(result: SynthResult) -> list[bytes]:
    paths = [result.users_path, *result.tweet_paths, result.truth_path]
    return [p.read_bytes() for p in paths]


def test_same_seed_gives_identical_files(tmp_path: Path, disc: Disclosure) -> None:
    again = generate_disclosure(tmp_path / "again", CONFIG)
    assert file_bytes(again) == file_bytes(disc.result)
    other = generate_disclosure(tmp_path / "other", SynthConfig(accounts=120, tweets=4000, seed=12))
    assert other.tweet_paths[0].read_bytes() != disc.result.tweet_paths[0].read_bytes()
    assert other.users_path.read_bytes() != disc.result.users_path.read_bytes()


def test_file_names_and_headers(disc: Disclosure) -> None:
    r = disc.result
    assert r.users_path.name == "synth_2020_users_csv_hashed.csv"
    assert [p.name for p in r.tweet_paths] == ["synth_2020_tweets_csv_hashed.csv"]
    assert r.truth_path.name == "synth_2020_truth.json"
    users_head = r.users_path.read_bytes().split(b"\n", 1)[0].decode()
    tweets_head = r.tweet_paths[0].read_bytes().split(b"\n", 1)[0].decode()
    assert users_head == ",".join(f'"{c}"' for c in USERS_HEADER)
    assert tweets_head == ",".join(f'"{c}"' for c in TWEETS_HEADER)
    assert len(USERS_HEADER) == 10
    assert len(TWEETS_HEADER) == 31


def test_every_field_quoted_utf8_lf_no_bom(disc: Disclosure) -> None:
    for path in [disc.result.users_path, *disc.result.tweet_paths]:
        raw = path.read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf")
        assert b"\r" not in raw
        text = raw.decode("utf-8")
        rows = list(csv.reader(io.StringIO(text, newline="")))
        rewritten = io.StringIO(newline="")
        csv.writer(rewritten, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(rows)
        assert rewritten.getvalue() == text  # i.e. the file is exactly its QUOTE_ALL form


def test_row_counts_and_ids(disc: Disclosure) -> None:
    assert len(disc.users) == CONFIG.accounts == disc.result.accounts
    assert len(disc.tweets) == CONFIG.tweets == disc.result.tweets
    assert disc.truth["counts"]["tweet_rows"] == CONFIG.tweets
    assert disc.truth["counts"]["users_rows"] == CONFIG.accounts
    assert all(len(t) == 31 and None not in t for t in disc.tweets)
    ids = [t["tweetid"] for t in disc.tweets]
    assert len(set(ids)) == len(ids)
    assert all(i.isdigit() and len(i) in (18, 19) for i in ids)
    assert len({u["userid"] for u in disc.users}) == CONFIG.accounts
    numeric = [u["userid"] for u in disc.users if u["userid"].isdigit()]
    assert numeric and all(len(u) in (18, 19) for u in numeric)
    names = [u["user_screen_name"].lower() for u in disc.users]
    assert len(set(names)) == len(names)


def test_rows_repeat_the_users_file(disc: Disclosure) -> None:
    users = disc.user_by_id
    for t in disc.tweets:
        user = users[t["userid"]]
        assert [t[c] for c in USERS_HEADER] == [user[c] for c in USERS_HEADER]


def test_hashed_accounts(disc: Disclosure) -> None:
    truth_accounts = disc.truth["accounts"]
    hashed = [u for u in disc.users if not u["userid"].isdigit()]
    assert 0.2 < len(hashed) / len(disc.users) < 0.5
    for u in hashed:
        assert HASH_RE.match(u["userid"])
        assert u["user_display_name"] == u["user_screen_name"] == u["userid"]
        assert truth_accounts[u["userid"]]["hashed"] is True
    for u in disc.users:
        assert truth_accounts[u["userid"]]["hashed"] is (not u["userid"].isdigit())
        assert truth_accounts[u["userid"]]["screen_name"] == u["user_screen_name"]


def test_user_field_values(disc: Disclosure) -> None:
    followers = [int(u["follower_count"]) for u in disc.users]
    assert sum(f == 0 for f in followers) / len(followers) > 0.6
    assert sum(f < 8 for f in followers) / len(followers) > 0.85
    assert all(u["following_count"].isdigit() for u in disc.users)
    created = [date.fromisoformat(u["account_creation_date"]) for u in disc.users]
    assert sum(d >= date(2019, 10, 1) for d in created) / len(created) > 0.6
    assert min(created) < date(2019, 10, 1)
    langs = {u["account_language"] for u in disc.users}
    assert {"zh-cn", "zh-CN", "en"} <= langs
    assert sum(u["user_profile_description"] == "" for u in disc.users) / len(disc.users) > 0.6
    assert any("\n" in u["user_reported_location"] for u in disc.users)


def test_tweet_field_values(disc: Disclosure) -> None:
    start = datetime(2019, 10, 1)
    end = datetime(2020, 4, 30, 23, 59)
    for t in disc.tweets:
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", t["tweet_time"])
        when = datetime.strptime(t["tweet_time"], "%Y-%m-%d %H:%M")
        assert start <= when <= end
        assert when.date() >= date.fromisoformat(t["account_creation_date"])
        assert t["is_retweet"] in ("True", "False")
        for c in COUNT_COLUMNS:
            assert t[c] == "" or re.fullmatch(r"\d+\.0", t[c])
    empty_counts = sum(t["like_count"] == "" for t in disc.tweets) / len(disc.tweets)
    assert 0.002 < empty_counts < 0.03
    assert any(t["like_count"] not in ("", "0.0") for t in disc.tweets)
    absent = sum(t["latitude"] == t["longitude"] == "absent" for t in disc.tweets)
    assert absent / len(disc.tweets) > 0.99
    clients = Counter(t["tweet_client_name"] for t in disc.tweets)
    assert {"Twitter Web Client", "Twitter for Android", "Twitter for iPhone"} <= set(clients)
    assert Counter(t["poll_choices"] for t in disc.tweets).most_common(1)[0][0] == ""


def test_quirks_present(disc: Disclosure) -> None:
    tweets = disc.tweets
    for col in ("hashtags", "urls", "user_mentions"):
        values = Counter(t[col] for t in tweets)
        assert values["[]"] > 0 and values[""] > 0, col
    assert any(re.fullmatch(r"\[\d+(, \d+)*\]", t["user_mentions"]) for t in tweets)
    assert any(re.fullmatch(r"\['[^']+'(, '[^']+')*\]", t["hashtags"]) for t in tweets)
    assert any(t["urls"].startswith("['https://") for t in tweets)
    texts = [t["tweet_text"] for t in tweets]
    assert any("\n" in x for x in texts)
    assert any('"' in x for x in texts)
    assert any("," in x for x in texts)
    assert any(re.search(r"[\u4e00-\u9fff]", x) for x in texts)
    # hashtag spelling varies, so lower-cased keys merge spellings
    spellings: dict[str, set[str]] = defaultdict(set)
    for t in tweets:
        for tag in re.findall(r"'([^']+)'", t["hashtags"]):
            spellings[tag.lower()].add(tag)
    assert any(len(s) > 1 for s in spellings.values())


def test_injection_strings(disc: Disclosure) -> None:
    listed = set(disc.truth["injection_tweetids"])
    found = {
        t["tweetid"] for t in disc.tweets if any(s in t["tweet_text"] for s in INJECTION_STRINGS)
    }
    assert found == listed and len(listed) >= 2
    for s in INJECTION_STRINGS:
        assert any(s in t["tweet_text"] for t in disc.tweets)
    users = disc.user_by_id
    for uid in disc.truth["injection_userids"]:
        assert INJECTION_STRINGS[0] in users[uid]["user_profile_description"]


def test_empty_retweet_userid_falls_back_to_rt_prefix(disc: Disclosure) -> None:
    by_id = {t["tweetid"]: t for t in disc.tweets}
    names = {uid: a["screen_name"] for uid, a in disc.truth["accounts"].items()}
    names |= {uid: a["screen_name"] for uid, a in disc.truth["external_accounts"].items()}
    empty = disc.truth["empty_retweet_userid"]
    assert empty
    for item in empty:
        row = by_id[item["tweetid"]]
        assert row["is_retweet"] == "True" and row["retweet_userid"] == ""
        assert row["retweet_tweetid"]
        name = re.match(r"RT @([^:\s]+):", row["tweet_text"])
        assert name and name.group(1) == names[item["expected_retweet_userid"]]
    rts = [t for t in disc.tweets if t["is_retweet"] == "True"]
    assert sum(t["retweet_userid"] == "" for t in rts) == len(empty)


def test_retweets_replies_quotes_are_well_formed(disc: Disclosure) -> None:
    released = set(disc.truth["accounts"])
    external = set(disc.truth["external_accounts"])
    names = {a["screen_name"]: uid for uid, a in disc.truth["accounts"].items()}
    names |= {a["screen_name"]: uid for uid, a in disc.truth["external_accounts"].items()}
    for t in disc.tweets:
        if t["is_retweet"] == "True":
            prefix = re.match(r"RT @([^:\s]+): ", t["tweet_text"])
            assert prefix, t["tweet_text"]
            assert t["retweet_tweetid"].isdigit()
            assert int(t["retweet_tweetid"]) < int(t["tweetid"])
            if t["retweet_userid"]:
                assert t["retweet_userid"] in released | external
                assert names[prefix.group(1)] == t["retweet_userid"]
        else:
            assert t["retweet_userid"] == t["retweet_tweetid"] == ""
        if t["in_reply_to_tweetid"]:
            assert t["in_reply_to_userid"] in released | external
            assert t["tweet_text"].startswith("@")
    counts = disc.truth["counts"]
    assert counts["retweets"] == sum(t["is_retweet"] == "True" for t in disc.tweets)
    assert counts["replies"] == sum(t["in_reply_to_tweetid"] != "" for t in disc.tweets)
    assert counts["quotes"] == sum(t["quoted_tweet_tweetid"] != "" for t in disc.tweets)
    assert counts["replies"] > 0 and counts["quotes"] > 0


def test_external_and_released_retweet_targets(disc: Disclosure) -> None:
    position = {t["tweetid"]: i for i, t in enumerate(disc.tweets)}
    external = set(disc.truth["external_accounts"])
    assert not external & {t["userid"] for t in disc.tweets}
    before = after = outside = 0
    for i, t in enumerate(disc.tweets):
        target = t["retweet_tweetid"]
        if not target:
            continue
        if target in position:
            before += position[target] < i
            after += position[target] > i
        else:
            outside += 1
            assert t["retweet_userid"] in external or t["retweet_userid"] == ""
    assert before > 0 and after > 0 and outside > 0
    assert outside == disc.truth["counts"]["retweets_of_external_tweets"]
    times = [t["tweet_time"] for t in disc.tweets]
    assert times != sorted(times)


def test_roles_behave_as_planted(disc: Disclosure) -> None:
    roles = {uid: a["role"] for uid, a in disc.truth["accounts"].items()}
    assert set(Counter(roles.values())) == {"core", "amplifier", "organic"}
    by_role: dict[str, list[dict[str, str]]] = defaultdict(list)
    for t in disc.tweets:
        by_role[roles[t["userid"]]].append(t)
    amp = by_role["amplifier"]
    assert sum(t["is_retweet"] == "True" for t in amp) / len(amp) > 0.75
    core_orig = [t for t in by_role["core"] if t["is_retweet"] == "False"]
    assert len(core_orig) > 0.4 * len(by_role["core"])
    # core content: Beijing office hours (01:00-10:00 UTC) on weekdays
    office = sum(
        datetime.strptime(t["tweet_time"], "%Y-%m-%d %H:%M").weekday() < 5
        and 1 <= int(t["tweet_time"][11:13]) < 10
        for t in core_orig
    )
    assert office / len(core_orig) > 0.6
    # core accounts retweet mostly inside their own cluster
    cluster = {uid: a["cluster"] for uid, a in disc.truth["accounts"].items()}
    inside = total = 0
    for t in by_role["core"]:
        if t["retweet_userid"] in cluster:
            total += 1
            inside += cluster[t["retweet_userid"]] == cluster[t["userid"]]
    assert total and inside / total > 0.7


def test_bursts_and_coordinated_pairs(disc: Disclosure) -> None:
    accounts = disc.truth["accounts"]
    # minute resolution: >= 3 amplifiers retweet one tweet in the same or adjacent minutes
    minutes: dict[str, list[int]] = defaultdict(list)
    for t in disc.tweets:
        if t["retweet_tweetid"] and accounts[t["userid"]]["role"] == "amplifier":
            when = datetime.strptime(t["tweet_time"], "%Y-%m-%d %H:%M").timestamp()
            minutes[t["retweet_tweetid"]].append(int(when // 60))
    bursts = 0
    for ms in minutes.values():
        ms.sort()
        bursts += any(ms[i + 2] - ms[i] <= 1 for i in range(len(ms) - 2))
    assert bursts > 50
    # recompute the truth's coordinated pairs from the files (times from the snowflake ids)
    events: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for t in disc.tweets:
        if t["is_retweet"] == "True":
            events[t["retweet_tweetid"]].append((snowflake_ms(t["tweetid"]), t["userid"]))
    shared: Counter[tuple[str, str]] = Counter()
    for evs in events.values():
        evs.sort()
        pairs = set()
        for i, (ms_a, a) in enumerate(evs):
            for ms_b, b in evs[i + 1 :]:
                if ms_b - ms_a > 60_000:
                    break
                if a != b:
                    pairs.add((min(a, b), max(a, b)))
        shared.update(pairs)
    expected = sorted([a, b] for (a, b), n in shared.items() if n >= 3)
    assert disc.truth["coordinated_pairs"] == expected
    assert len(expected) > 20
    same_squad = sum(
        accounts[a]["squad"] is not None and accounts[a]["squad"] == accounts[b]["squad"]
        for a, b in expected
    )
    assert same_squad / len(expected) > 0.9


def test_snowflake_ids_match_tweet_time(disc: Disclosure) -> None:
    for t in disc.tweets:
        seconds = snowflake_ms(t["tweetid"]) // 1000
        stamp = int(datetime.strptime(t["tweet_time"] + " +0000", "%Y-%m-%d %H:%M %z").timestamp())
        assert stamp <= seconds < stamp + 60, t["tweetid"]


def test_shared_content(disc: Disclosure) -> None:
    posters: dict[str, set[str]] = defaultdict(set)
    for t in disc.tweets:
        if t["is_retweet"] == "False":
            posters[t["tweet_text"]].add(t["userid"])
    assert max(len(p) for p in posters.values()) >= 5  # copy-paste coordination
    for text in disc.truth["copypasta_texts"][:2]:
        assert len(posters.get(text, set())) >= 2
    campaign = disc.truth["campaign_hashtag"].lower()
    clusters_using = {
        disc.truth["accounts"][t["userid"]]["cluster"]
        for t in disc.tweets
        if campaign in t["hashtags"].lower() and t["is_retweet"] == "False"
    }
    assert set(range(CONFIG.clusters)) <= clusters_using
    for c in disc.truth["clusters"]:
        assert any(c["domains"][0] in t["urls"] for t in disc.tweets)


def test_truth_schema(disc: Disclosure) -> None:
    truth = disc.truth
    assert truth["seed"] == CONFIG.seed and truth["config"]["tweets"] == CONFIG.tweets
    assert set(truth["accounts"]) == {u["userid"] for u in disc.users}
    for a in truth["accounts"].values():
        assert set(a) >= {"screen_name", "role", "cluster", "hashed"}
        assert (a["cluster"] is None) == (a["role"] == "organic")
    assert all(set(e) >= {"screen_name"} for e in truth["external_accounts"].values())
    assert all(uid.isdigit() for uid in truth["external_accounts"])
    for key in (
        "users_rows",
        "tweet_rows",
        "retweets",
        "replies",
        "quotes",
        "external_retweeted_tweets",
    ):
        assert isinstance(truth["counts"][key], int)


def test_tweet_parts_split_rows(tmp_path: Path, disc: Disclosure) -> None:
    config = SynthConfig(accounts=120, tweets=4000, seed=11, tweet_parts=3, base="split")
    calls: list[int] = []
    result = generate_disclosure(tmp_path, config, progress=calls.append)
    assert [p.name for p in result.tweet_paths] == [
        f"split_tweets_csv_hashed_{i}.csv" for i in (1, 2, 3)
    ]
    header = ",".join(f'"{c}"' for c in TWEETS_HEADER).encode()
    rows: list[dict[str, str]] = []
    for path in result.tweet_paths:
        assert path.read_bytes().split(b"\n", 1)[0] == header
        part = read_rows(path)
        assert part
        rows += part
    assert len(rows) == config.tweets
    assert rows == disc.tweets  # splitting changes nothing but the files
    assert sum(calls) == config.tweets and all(c > 0 for c in calls)


@pytest.mark.parametrize(
    "bad",
    [
        SynthConfig(accounts=10, clusters=4),
        SynthConfig(tweets=10),
        SynthConfig(tweet_parts=0),
        SynthConfig(hashed_share=1.5),
        SynthConfig(start="2020-05-01", end="2020-04-01"),
        SynthConfig(base="a/b"),
        SynthConfig(noise=-0.1),
        SynthConfig(noise=0.95),
        SynthConfig(size_spread=1.0),
        SynthConfig(planted_groups=-1),
        SynthConfig(planted_groups=1, planted_group_size=1),
        SynthConfig(planted_groups=1, planted_group_size=9),
        SynthConfig(tweets=200, planted_groups=1),  # 72 planted rows: more than a fifth
    ],
)
def test_invalid_config_is_refused(tmp_path: Path, bad: SynthConfig) -> None:
    with pytest.raises(ValueError):
        generate_disclosure(tmp_path, bad)


def test_smallest_valid_config(tmp_path: Path) -> None:
    smallest = min_accounts(4)
    with pytest.raises(ValueError, match=f"need at least {smallest}"):
        generate_disclosure(tmp_path, SynthConfig(accounts=smallest - 1, tweets=100))
    result = generate_disclosure(tmp_path, SynthConfig(accounts=smallest, tweets=100))
    truth = json.loads(result.truth_path.read_text(encoding="utf-8"))
    assert truth["counts"]["tweet_rows"] == 100 and truth["counts"]["users_rows"] == smallest
    assert truth["injection_tweetids"] and truth["empty_retweet_userid"]


# Harder settings ------------------------------------------------------------------------------
HARD_SIZE = {"accounts": 300, "tweets": 5000, "seed": 7}
WINDOW_MS = 60_000
MENTION_RE = re.compile(r"@.*?(?=(?:\s|$))")  # the toolkit's message_preprocessor
TOKEN_RE = re.compile(r"\w+|[^\w\s]")


@pytest.fixture(scope="module")
def presets(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Disclosure]:
    root = tmp_path_factory.mktemp("presets")
    return {
        name: load(generate_disclosure(root / name, SynthConfig(**HARD_SIZE, **overrides)))
        for name, overrides in DIFFICULTIES.items()
    }


def reactions_between_clusters(disc: Disclosure) -> tuple[int, int]:
    """(crossing, total) retweets, replies and quotes between clustered released accounts."""
    cluster = {uid: a["cluster"] for uid, a in disc.truth["accounts"].items()}
    author = {t["tweetid"]: t["userid"] for t in disc.tweets}
    crossing = total = 0
    for t in disc.tweets:
        target = t["retweet_tweetid"] or t["in_reply_to_tweetid"] or t["quoted_tweet_tweetid"]
        if target not in author:
            continue
        mine, theirs = cluster[t["userid"]], cluster[author[target]]
        if mine is not None and theirs is not None:
            total += 1
            crossing += mine != theirs
    return crossing, total


def test_difficulty_presets() -> None:
    assert list(DIFFICULTIES) == ["default", "noisy", "small-clusters"]
    assert DIFFICULTIES["default"] == {}
    for overrides in DIFFICULTIES.values():
        SynthConfig(**overrides)  # every key is a SynthConfig field
    assert [d.value for d in Difficulty] == list(DIFFICULTIES)


def test_harder_settings_cross_more_clusters(presets: dict[str, Disclosure]) -> None:
    share = {}
    for name, disc in presets.items():
        crossing, total = reactions_between_clusters(disc)
        share[name] = crossing / total
        measured = disc.truth["difficulty"]["cross_cluster_reaction_share"]
        assert measured == pytest.approx(share[name], abs=1e-4), name
    assert share["default"] < 0.03
    assert 0.15 < share["noisy"] < 0.3  # harder, but most amplification stays inside
    assert share["noisy"] > 8 * share["default"]
    assert share["small-clusters"] > 3 * share["default"]


def test_small_clusters_are_small(presets: dict[str, Disclosure]) -> None:
    def sizes(disc: Disclosure) -> list[int]:
        found = Counter(a["cluster"] for a in disc.truth["accounts"].values())
        found.pop(None)
        return [found[c] for c in range(len(found))]

    default, small = sizes(presets["default"]), sizes(presets["small-clusters"])
    assert min(default) / sum(default) > 0.2
    assert len(small) == 8 and small == sorted(small, reverse=True)
    assert small[-1] / sum(small) < 0.04 and small[0] / sum(small) > 0.4
    assert presets["small-clusters"].truth["difficulty"]["cluster_sizes"] == small
    # even the smallest cluster has core accounts posting and a squad amplifying them
    roles = Counter(
        (a["cluster"], a["role"]) for a in presets["small-clusters"].truth["accounts"].values()
    )
    assert all(roles[(c, "core")] >= 2 and roles[(c, "amplifier")] >= 3 for c in range(8))


def test_harder_settings_keep_a_recoverable_structure(presets: dict[str, Disclosure]) -> None:
    """Leiden on the released accounts' retweet graph finds the planted clusters (NMI >= 0.9)."""
    igraph = pytest.importorskip("igraph")
    leidenalg = pytest.importorskip("leidenalg")
    for name, disc in presets.items():
        clusters = {u: a["cluster"] for u, a in disc.truth["accounts"].items()}
        author = {t["tweetid"]: t["userid"] for t in disc.tweets}
        weights: Counter[tuple[str, str]] = Counter()
        for t in disc.tweets:
            target = t["retweet_userid"] or author.get(t["retweet_tweetid"], "")
            if t["is_retweet"] == "True" and target in clusters and target != t["userid"]:
                weights[(t["userid"], target)] += 1
        names = sorted({u for pair in weights for u in pair})
        index = {u: i for i, u in enumerate(names)}
        graph = igraph.Graph(n=len(names), edges=[(index[a], index[b]) for a, b in weights])
        graph.es["weight"] = list(weights.values())
        graph = graph.simplify(combine_edges="sum")
        parts = leidenalg.find_partition(
            graph, leidenalg.ModularityVertexPartition, weights="weight", seed=1
        )
        found = {names[v]: c for c, members in enumerate(parts) for v in members}
        planted = [u for u, c in clusters.items() if c is not None]
        nmi = igraph.compare_communities(
            [clusters[u] for u in planted],
            [found.get(u, -1 - i) for i, u in enumerate(planted)],
            method="nmi",
        )
        assert nmi >= 0.9, (name, nmi)


def normalised_text(text: str) -> str:
    return " ".join(MENTION_RE.sub("", text.lower()).split())


def objects(method: str, t: dict[str, str]) -> list[str]:
    """What a tweet carries for ``method`` (issue 10's coordination semantics)."""
    retweet = t["is_retweet"] == "True"
    if method == "co-retweet":
        return [t["retweet_tweetid"]] if retweet else []
    if retweet:
        return []
    urls = re.findall(r"'([^']+)'", t["urls"])
    return {
        "co-tweet": [normalised_text(t["tweet_text"])],
        "co-similar-tweet": [normalised_text(t["tweet_text"])],
        "co-reply": [t["in_reply_to_tweetid"]] if t["in_reply_to_tweetid"] else [],
        "co-link": urls,
        "co-domain": [url.split("/")[2] for url in urls],
        "co-hashtag": [tag.lower() for tag in re.findall(r"'([^']+)'", t["hashtags"])],
        "co-mention": re.findall(r"\d+", t["user_mentions"]),
    }[method]


def same_object(method: str, a: str, b: str) -> bool:
    if method != "co-similar-tweet":
        return a == b
    tokens_a, tokens_b = set(TOKEN_RE.findall(a)), set(TOKEN_RE.findall(b))
    return len(tokens_a & tokens_b) / len(tokens_a | tokens_b) >= 0.9


def weight(disc: Disclosure, method: str, u: str, v: str) -> int:
    """Tweets of u with a tweet of v carrying the same object within the window."""
    of_v = [
        (snowflake_ms(t["tweetid"]), o)
        for t in disc.tweets
        if t["userid"] == v
        for o in objects(method, t)
    ]
    count = 0
    for t in disc.tweets:
        if t["userid"] != u:
            continue
        ms_u = snowflake_ms(t["tweetid"])
        count += any(
            abs(ms_v - ms_u) <= WINDOW_MS and same_object(method, o_u, o_v)
            for o_u in objects(method, t)
            for ms_v, o_v in of_v
        )
    return count


def test_planted_coordination_is_in_the_files(presets: dict[str, Disclosure]) -> None:
    disc = presets["noisy"]
    config = SynthConfig(**HARD_SIZE, **DIFFICULTIES["noisy"])
    planted = disc.truth["planted_coordination"]
    assert sorted(planted) == sorted(PLANTED_METHODS)
    assert disc.truth["planted_coordination_window_s"] == 60
    per_event = config.planted_groups * config.planted_group_size
    assert disc.truth["counts"]["planted_coordination_rows"] == len(PLANTED_METHODS) * 3 * per_event
    assert len(disc.tweets) == config.tweets
    accounts = disc.truth["accounts"]
    for method, pairs in planted.items():
        assert len(pairs) >= 3, method  # a group of three is three pairs
        for u, v in pairs:
            assert u < v and accounts[u]["role"] in ("core", "amplifier"), (method, u)
            assert weight(disc, method, u, v) >= 3, (method, u, v)
            assert weight(disc, method, v, u) >= 3, (method, v, u)
    # lightly edited copies are not identical texts; a shared domain is not a shared link
    for u, v in planted["co-similar-tweet"]:
        assert weight(disc, "co-tweet", u, v) == 0
    for u, v in planted["co-domain"]:
        assert weight(disc, "co-link", u, v) == 0
    assert all(not pairs for pairs in presets["default"].truth["planted_coordination"].values())


def test_harder_settings_same_seed_same_bytes(
    tmp_path: Path, presets: dict[str, Disclosure]
) -> None:
    for name in ("noisy", "small-clusters"):
        again = generate_disclosure(tmp_path / name, SynthConfig(**HARD_SIZE, **DIFFICULTIES[name]))
        assert file_bytes(again) == file_bytes(presets[name].result), name
    other = generate_disclosure(
        tmp_path / "other", SynthConfig(**{**HARD_SIZE, "seed": 8}, **DIFFICULTIES["noisy"])
    )
    assert other.tweet_paths[0].read_bytes() != presets["noisy"].result.tweet_paths[0].read_bytes()


def test_cli_difficulty_option(tmp_path: Path, presets: dict[str, Disclosure]) -> None:
    size = [f"--{k}={v}" for k, v in HARD_SIZE.items()]
    runner = CliRunner()
    result = runner.invoke(
        app, ["synth", str(tmp_path / "cli"), *size, "-q", "--difficulty", "small-clusters"]
    )
    assert result.exit_code == 0, result.output
    written = (tmp_path / "cli" / "synth_2020_tweets_csv_hashed.csv").read_bytes()
    assert written == presets["small-clusters"].result.tweet_paths[0].read_bytes()
    args = [
        "synth",
        str(tmp_path / "three"),
        *size,
        "-q",
        "--difficulty",
        "small-clusters",
        "--clusters",
        "3",
    ]
    assert runner.invoke(app, args).exit_code == 0
    truth = json.loads((tmp_path / "three" / "synth_2020_truth.json").read_text(encoding="utf-8"))
    assert truth["config"]["clusters"] == 3 and truth["config"]["size_spread"] == 0.5
    refused = runner.invoke(app, ["synth", str(tmp_path / "x"), "--difficulty", "hard"])
    assert refused.exit_code != 0
