"""Planted coordination: small groups of accounts that act together, once per method.

For every method in ``PLANTED_METHODS``, ``planted_groups`` groups of
``planted_group_size`` core or amplifier accounts (drawn from every cluster) each share that
method's object three times (``COORDINATION_MIN_SHARED``), every member posting within
``PLANTED_SPREAD_S`` seconds, well inside the truth file's 60-second window:

- co-retweet / co-reply: all retweet / reply to the same state-media tweet;
- co-tweet: the same text, but in upper case or with doubled spaces for some members (equal
  once lower-cased and whitespace collapsed);
- co-similar-tweet: a 30-word text plus one edit word per member (token-set Jaccard 30/32);
- co-link: the same URL; co-domain: a URL of its own per member on a shared domain;
- co-hashtag: the same hashtag spelled as is, lower- or upper-case;
- co-mention: a mention of the same outside account.

Objects are fresh per event, so a group's members share exactly three per method.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from infoops.synthetic.config import COORDINATION_MIN_SHARED, PLANTED_METHODS, role_sizes
from infoops.synthetic.content import Content, list_text
from infoops.synthetic.ids import b62, hash_str
from infoops.synthetic.kinds import ORIG, REPLY, RT

if TYPE_CHECKING:
    from infoops.synthetic.activity import Activity

__all__ = ["PLANTED_SPREAD_S", "PlantedCoordination", "plant_coordination"]

PLANTED_SPREAD_S = 30
_REACTING = ("co-retweet", "co-reply")
# sentences are drawn from these words; a near-duplicate copy adds one of the edit words
# (none of which is a sentence word)
_VOCABULARY = (
    "the truth about western media lies must be told every day people see through their games "
    "our country stands strong and united against foreign interference in internal affairs we "
    "support peace stability growth for all families they want chaos while build roads "
    "schools hospitals share this before it disappears facts never change history will judge "
    "them look at numbers yourself nobody can stop progress of a nation that works hard "
    "remember what happened last year wake up friends read carefully"
)
_WORDS = tuple(_VOCABULARY.split())
_EDITS = ("indeed", "really", "today", "now", "again", "please", "everyone", "agree")
_DOMAIN_WORDS = ("daily-facts", "true-voice", "real-report", "clear-view", "fact-line")


@dataclass
class PlantedCoordination:
    """The planted rows' own content (row -> content) and the planted pairs per method."""

    content: dict[int, Content] = field(default_factory=dict)
    pairs: dict[str, list[list[str]]] = field(
        default_factory=lambda: {m: [] for m in PLANTED_METHODS}
    )
    rows: int = 0


def plant_coordination(activity: Activity) -> PlantedCoordination:
    """Add the planted rows to ``activity``; pairs count only if all three events happened."""
    rng, cfg, pop = activity.rng, activity.cfg, activity.pop
    planted = PlantedCoordination()
    n_core, n_amp, _ = role_sizes(cfg)
    for method in PLANTED_METHODS:
        pairs: set[tuple[str, str]] = set()
        for _ in range(cfg.planted_groups):
            members = sorted(rng.sample(range(n_core + n_amp), cfg.planted_group_size))
            ready = max(activity.timeline.start_s, *(pop.created_s[a] + 3600 for a in members))
            domain = f"{rng.choice(_DOMAIN_WORDS)}-{rng.randrange(10**6)}.example"
            made = sum(
                _event(activity, planted, method, members, ready, domain)
                for _ in range(COORDINATION_MIN_SHARED)
            )
            if made == COORDINATION_MIN_SHARED:
                ids = sorted(pop.userid[a] for a in members)
                pairs.update(
                    (ids[x], ids[y]) for x in range(len(ids)) for y in range(x + 1, len(ids))
                )
        planted.pairs[method] = [list(p) for p in sorted(pairs)]
    return planted


def _event(
    activity: Activity,
    planted: PlantedCoordination,
    method: str,
    members: list[int],
    ready: int,
    domain: str,
) -> bool:
    """Every member posts ``method``'s shared object within PLANTED_SPREAD_S seconds."""
    rng, ext = activity.rng, activity.ext
    last = activity.timeline.end_s - PLANTED_SPREAD_S
    reacting = method in _REACTING
    for _ in range(100):
        ref, lo = 0, ready
        if reacting:
            ref = ext.random_state_tweet()
            lo = max(ready, activity.target_time(ref) + 60)
        if lo <= last:
            break
    else:
        return False
    span = last - lo + 1
    if reacting:  # within two days of the tweet reacted to
        span = min(span, 2 * 86400)
    t0 = lo + rng.randrange(span)
    serial = rng.getrandbits(40)
    shared = _sentence(activity, 30 if method == "co-similar-tweet" else 12)
    tag = "".join(w.capitalize() for w in rng.sample(_WORDS, 2)) + str(serial % 997)
    x = rng.randrange(len(ext.userid))
    for j, a in enumerate(members):
        t = t0 + rng.randrange(PLANTED_SPREAD_S)
        if reacting:
            activity.add(a, t, RT if method == "co-retweet" else REPLY, ref, rng.getrandbits(32))
            continue
        own = _sentence(activity, 12)
        url = f"https://{domain}/story/{serial}"
        tags = urls = mentions = ""
        if method == "co-tweet":
            text = (shared, shared.upper(), shared.replace(" ", "  ", 3))[j % 3]
        elif method == "co-similar-tweet":
            text = f"{shared} {_EDITS[j]}"
        elif method in ("co-link", "co-domain"):
            if method == "co-domain":
                url = f"{url}-{j}"
            text = f"{own} https://t.co/{b62(hash_str(url))}"
            urls = list_text([url])
        elif method == "co-hashtag":
            spelled = (tag, tag.lower(), tag.upper())[j % 3]
            text = f"{own} #{spelled}"
            tags = list_text([spelled])
        else:  # co-mention
            text = f"@{ext.name[x]} {own}"
            mentions = f"[{ext.numeric[x]}]"
        i = activity.add(a, t, ORIG, 0, 0)
        planted.content[i] = ("en", text, tags, urls, mentions)
    planted.rows += len(members)
    return True


def _sentence(activity: Activity, words: int) -> str:
    text = " ".join(activity.rng.sample(_WORDS, words))
    return text[0].upper() + text[1:]
