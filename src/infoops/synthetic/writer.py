"""The users and tweets files, in the exact layout of Twitter's own releases.

Every field double-quoted, UTF-8 without BOM, LF line ends; lists as Python-list strings
(``['a', 'b']``), counts as floats (``"3.0"``), ``absent`` coordinates, and the quirks of
the real files (empty lists written as ``[]`` or as nothing, a few empty count columns).
"""

from __future__ import annotations

import csv
import random
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from infoops.loaders.twitter_io.columns import TWEET_COLUMNS, USER_COLUMNS
from infoops.synthetic.activity import Activity
from infoops.synthetic.content import (
    ORGANIC,
    ORGANIC_REPLIES,
    QUOTES,
    REPLIES,
    Content,
)
from infoops.synthetic.ids import b62
from infoops.synthetic.kinds import ORIG, REPLY, RT

__all__ = ["TWEETS_HEADER", "USERS_HEADER", "row_order", "write_tweets", "write_users"]

USERS_HEADER: tuple[str, ...] = USER_COLUMNS
TWEETS_HEADER: tuple[str, ...] = TWEET_COLUMNS

_PROGRESS_EVERY = 10_000
_EMPTY_LISTS = ("[]", "")
_ALL_CLIENTS = (
    "Twitter Web Client",
    "Twitter for Android",
    "Twitter for iPhone",
    "dlvr.it",
    "Twitter Web App",
    "TweetDeck",
)
_POLLS = ("Yes|No", "Tea|Coffee", "Dumplings|Noodles|Rice")
# (quote_count, reply_count, like_count, retweet_count) as written for original tweets
_ORIGINAL_COUNTS: tuple[tuple[str, str, str, str], ...] = (
    *(("0.0", "0.0", "0.0", "0.0"),) * 10,
    ("0.0", "0.0", "1.0", "0.0"),
    ("0.0", "0.0", "2.0", "1.0"),
    ("0.0", "1.0", "3.0", "2.0"),
    ("1.0", "0.0", "5.0", "4.0"),
    ("0.0", "2.0", "12.0", "7.0"),
    ("0.0", "0.0", "1.0", "3.0"),
)
_ZERO_COUNTS = ("0.0", "0.0", "0.0", "0.0")
_EMPTY_COUNTS = ("", "", "", "")


def row_order(activity: Activity, rng: random.Random) -> list[int]:
    """Rows grouped by account, accounts in random order, each account's rows shuffled."""
    buckets: list[list[int]] = [[] for _ in range(activity.cfg.accounts)]
    for i, a in enumerate(activity.author):
        buckets[a].append(i)
    accounts = list(range(activity.cfg.accounts))
    rng.shuffle(accounts)
    order: list[int] = []
    for a in accounts:
        rows = buckets[a]
        rng.shuffle(rows)
        order.extend(rows)
    return order


def write_release_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    """A file in the platform's own layout: every field double-quoted, UTF-8, LF."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def write_users(path: Path, activity: Activity) -> None:
    pop = activity.pop
    write_release_csv(path, USERS_HEADER, (pop.cols[a] for a in pop.user_order))


def write_tweets(
    paths: list[Path],
    activity: Activity,
    order: list[int],
    progress: Callable[[int], None] | None,
) -> None:
    """The rows in ``order``, split evenly over ``paths``; ``progress`` gets rows written."""
    rows = _TweetRows(activity)
    total = len(order)
    parts = len(paths)
    bounds = [total * p // parts for p in range(parts + 1)]
    pending = 0
    for p, path in enumerate(paths):
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, quoting=csv.QUOTE_ALL, lineterminator="\n")
            writer.writerow(TWEETS_HEADER)
            lo = bounds[p]
            while lo < bounds[p + 1]:
                hi = min(bounds[p + 1], lo + _PROGRESS_EVERY)
                writer.writerows(rows.rows(order[lo:hi]))
                pending += hi - lo
                lo = hi
                if progress is not None and pending >= _PROGRESS_EVERY:
                    progress(pending)
                    pending = 0
    if progress is not None and pending:
        progress(pending)


class _TweetRows:
    """Tweets file rows of an activity; draws the per-row details (client, counts) as it goes."""

    def __init__(self, activity: Activity) -> None:
        self.activity = activity

    def target_info(self, ref: int) -> tuple[str, str, str, str, Content]:
        """(screen name, userid, numeric userid or "", tweet id, content) of a tweet."""
        act = self.activity
        pop, ext, groups = act.pop, act.ext, act.groups.by_id
        if ref >= 0:
            a = act.author[ref]
            content = groups[pop.group_of(a)].content(act.code[ref])
            return pop.name[a], pop.userid[a], pop.numeric[a], str(act.tid[ref]), content
        e = -ref - 1
        x = ext.author[e]
        content = groups[ext.group[e]].content(ext.code[e])
        return ext.name[x], ext.userid[x], ext.numeric[x], str(ext.tid[e]), content

    def rows(self, indices: list[int]) -> list[tuple[str, ...]]:
        act = self.activity
        pop, timeline = act.pop, act.timeline
        rng = act.rng
        random_, getrandbits = rng.random, rng.getrandbits
        tid, author, tt, kind, ref, code = act.tid, act.author, act.t, act.kind, act.ref, act.code
        cols, client, start_s = pop.cols, pop.client, timeline.start_s
        day_str, minute_str = timeline.day_str, timeline.minute_str
        groups, group_of, target_info = act.groups.by_id, pop.group_of, self.target_info
        injections, empty_rt = act.injections, act.empty_rt
        planted = act.planted.content
        organic = ORGANIC
        out: list[tuple[str, ...]] = []
        for i in indices:
            a = author[i]
            k = kind[i]
            rel = tt[i] - start_s
            when = day_str[rel // 86400] + minute_str[(rel % 86400) // 60]
            bits = getrandbits(16)  # 0-3 client, 4-7 other client, 8-11 counts, 12-14 lists
            cl = client[a] if bits & 15 else _ALL_CLIENTS[(bits >> 4) % len(_ALL_CLIENTS)]
            reply_uid = reply_tid = quoted = rt_uid = rt_tid = poll = ""
            lat = lon = "absent"
            is_rt = "False"
            counts = _ZERO_COUNTS
            if k == ORIG:
                c = code[i]
                g = group_of(a)
                if i in planted:
                    lang, text, tags, urls, mentions = planted[i]
                else:
                    lang, text, tags, urls, mentions = groups[g].content(c)
                if i in injections:
                    text = f"{text} {injections[i]}"
                counts = _ORIGINAL_COUNTS[(bits >> 8) % len(_ORIGINAL_COUNTS)]
                if g == organic and c >= 0:
                    if (c >> 40) & 63 == 0:
                        lat, lon = "22.3193", "114.1694"
                    if (c >> 34) & 127 == 0:
                        poll = _POLLS[c % len(_POLLS)]
            else:
                name, uid, numeric, target_tid, content = target_info(ref[i])
                if k == RT:
                    lang, text, tags, urls, mentions = content
                    text = f"RT @{name}: {text}"
                    if numeric:
                        mentions = f"[{numeric}, {mentions[1:]}" if mentions else f"[{numeric}]"
                    is_rt = "True"
                    rt_uid = "" if i in empty_rt else uid
                    rt_tid = target_tid
                else:
                    pool = (
                        ORGANIC_REPLIES
                        if group_of(a) == organic
                        else (REPLIES if k == REPLY else QUOTES)
                    )
                    lang, text = pool[code[i] % len(pool)]
                    tags = ""
                    if k == REPLY:
                        text = f"@{name} {text}"
                        urls = ""
                        mentions = f"[{numeric}]" if numeric else ""
                        reply_uid, reply_tid = uid, target_tid
                    else:
                        status = f"https://twitter.com/i/web/status/{target_tid}"
                        text = f"{text} https://t.co/{b62(int(target_tid))}"
                        urls = f"['{status}']"
                        mentions = ""
                        quoted = target_tid
            if random_() < 0.01:
                counts = _EMPTY_COUNTS
            out.append(
                (
                    str(tid[i]),
                    *cols[a],
                    lang,
                    text,
                    when,
                    cl,
                    reply_uid,
                    reply_tid,
                    quoted,
                    is_rt,
                    rt_uid,
                    rt_tid,
                    lat,
                    lon,
                    *counts,
                    tags or _EMPTY_LISTS[(bits >> 12) & 1],
                    urls or _EMPTY_LISTS[(bits >> 13) & 1],
                    mentions or _EMPTY_LISTS[(bits >> 14) & 1],
                    poll,
                )
            )
        return out
