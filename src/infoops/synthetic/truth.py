"""The truth file: the structure planted in a release, for checking what analyses find."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from infoops.synthetic.activity import Activity
from infoops.synthetic.config import (
    COORDINATION_MIN_SHARED,
    COORDINATION_WINDOW_S,
)
from infoops.synthetic.content import CAMPAIGN_HASHTAG, SHARED_URL, cluster_topic
from infoops.synthetic.ids import SEQ_BITS
from infoops.synthetic.kinds import ORIG, QUOTE, REPLY, RT

__all__ = ["build_truth", "coordinated_pairs"]


def coordinated_pairs(activity: Activity) -> list[list[str]]:
    """Account pairs that retweeted the same tweet within 60 s, for >= 3 distinct tweets.

    Times are the snowflake milliseconds of the retweets' ids.
    """
    by_target: dict[int, list[tuple[int, int]]] = {}
    tid, author, ref = activity.tid, activity.author, activity.ref
    for i, k in enumerate(activity.kind):
        if k == RT:
            by_target.setdefault(ref[i], []).append((tid[i] >> SEQ_BITS, author[i]))
    n = activity.cfg.accounts
    window_ms = COORDINATION_WINDOW_S * 1000
    shared: dict[int, int] = {}
    for events in by_target.values():
        if len(events) < 2:
            continue
        events.sort()
        pairs: set[int] = set()
        for x, (ms_x, a) in enumerate(events):
            for ms_y, b in events[x + 1 :]:
                if ms_y - ms_x > window_ms:
                    break
                if a != b:
                    pairs.add(a * n + b if a < b else b * n + a)
        for key in pairs:
            shared[key] = shared.get(key, 0) + 1
    userid = activity.pop.userid
    found = []
    for key, count in shared.items():
        if count >= COORDINATION_MIN_SHARED:
            a, b = divmod(key, n)
            ua, ub = sorted((userid[a], userid[b]))
            found.append([ua, ub])
    found.sort()
    return found


def build_truth(activity: Activity) -> dict[str, Any]:
    """Everything planted in ``activity``'s release, as the JSON object of the truth file."""
    act, cfg = activity, activity.cfg
    pop, ext = act.pop, act.ext
    kinds = [0, 0, 0, 0]
    rt_internal = 0
    ext_retweeted: set[int] = set()
    int_retweeted: set[int] = set()
    for i, k in enumerate(act.kind):
        kinds[k] += 1
        if k == RT:
            r = act.ref[i]
            if r >= 0:
                rt_internal += 1
                int_retweeted.add(r)
            else:
                ext_retweeted.add(r)
    accounts = {
        pop.userid[a]: {
            "screen_name": pop.name[a],
            "role": pop.role[a],
            "cluster": pop.cluster[a] if pop.cluster[a] >= 0 else None,
            "hashed": pop.hashed[a],
            "squad": pop.squad_of[a] if pop.squad_of[a] >= 0 else None,
        }
        for a in pop.user_order
    }
    external = {
        uid: {"screen_name": name, "kind": kind}
        for uid, name, kind in zip(ext.userid, ext.name, ext.kind, strict=True)
    }
    empty = [
        {"tweetid": str(act.tid[i]), "expected_retweet_userid": act.target_userid(act.ref[i])}
        for i in sorted(act.empty_rt, key=lambda i: act.tid[i])
    ]
    clusters = []
    for c in range(cfg.clusters):
        tags, domain = cluster_topic(c)
        clusters.append(
            {
                "cluster": c,
                "hashtags": list(tags),
                "domains": [domain, f"news.{domain}"],
                "core_accounts": len(pop.core_by_cluster[c]),
                "squads": len(pop.squads_by_cluster[c]),
            }
        )
    pairs = coordinated_pairs(act)
    roles = {r: pop.role.count(r) for r in ("core", "amplifier", "organic")}
    day_str = act.timeline.day_str
    return {
        "generator": "infoops.synthetic",
        "seed": cfg.seed,
        "config": asdict(cfg),
        "time_window_utc": [f"{day_str[0]} 00:00", f"{day_str[-1]} 23:59"],
        "coordination": {
            "window_s": COORDINATION_WINDOW_S,
            "min_shared_tweets": COORDINATION_MIN_SHARED,
            "definition": "unordered account pairs that retweeted the same original tweet "
            "within 60 s of each other (times from the snowflake tweet ids: "
            "ms = (tweetid >> 22) + 1288834974657) for at least 3 distinct "
            "originals",
        },
        "counts": {
            "users_rows": cfg.accounts,
            "tweet_rows": len(act.tid),
            "tweet_files": cfg.tweet_parts,
            "originals": kinds[ORIG],
            "retweets": kinds[RT],
            "replies": kinds[REPLY],
            "quotes": kinds[QUOTE],
            "retweets_of_released_tweets": rt_internal,
            "retweets_of_external_tweets": kinds[RT] - rt_internal,
            "released_retweeted_tweets": len(int_retweeted),
            "external_retweeted_tweets": len(ext_retweeted),
            "external_accounts": len(ext.userid),
            "hashed_accounts": sum(pop.hashed),
            **{f"{r}_accounts": n for r, n in roles.items()},
            "squads": len(pop.squads),
            "bursts": act.bursts,
            "burst_retweets": act.burst_rows,
            "copypasta_rows": act.copypasta_rows,
            "empty_retweet_userid": len(empty),
            "coordinated_pairs": len(pairs),
            "planted_coordination_rows": act.planted.rows,
        },
        "difficulty": _difficulty(act),
        "campaign_hashtag": CAMPAIGN_HASHTAG,
        "shared_urls": [SHARED_URL],
        "clusters": clusters,
        "copypasta_texts": act.groups.copypasta_texts,
        "accounts": accounts,
        "external_accounts": external,
        "coordinated_pairs": pairs,
        "planted_coordination": act.planted.pairs,
        "planted_coordination_window_s": COORDINATION_WINDOW_S,
        "empty_retweet_userid": empty,
        "injection_tweetids": sorted(str(act.tid[i]) for i in act.injections),
        "injection_userids": pop.injection_userids,
    }


def _difficulty(act: Activity) -> dict[str, Any]:
    """The harder settings used, and how hard they made the release (measured)."""
    cfg, cluster = act.cfg, act.pop.cluster
    cross = within = 0
    for i, k in enumerate(act.kind):
        r = act.ref[i]
        if k != ORIG and r >= 0:
            c, d = cluster[act.author[i]], cluster[act.author[r]]
            if c >= 0 and d >= 0:
                cross += c != d
                within += c == d
    sizes = [cluster.count(c) for c in range(cfg.clusters)]
    return {
        "noise": cfg.noise,
        "size_spread": cfg.size_spread,
        "planted_groups": cfg.planted_groups,
        "planted_group_size": cfg.planted_group_size,
        # retweets, replies and quotes between clustered accounts that cross clusters
        "cross_cluster_reaction_share": round(cross / max(1, cross + within), 4),
        "cluster_sizes": sizes,
        "smallest_cluster_share": round(min(sizes) / max(1, sum(sizes)), 4),
    }
