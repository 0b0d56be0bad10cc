"""The released accounts: clusters, squads, roles, and the users file's columns per account.

Index order is core accounts, then amplifiers, then organic accounts. Core accounts and
amplifiers belong to one cluster each; amplifiers to one *squad* (4-8 accounts, most created
on the same day) that retweets together.
"""

from __future__ import annotations

import random
from bisect import bisect_left
from datetime import UTC, datetime

from infoops.synthetic.config import SynthConfig, role_sizes
from infoops.synthetic.content import INJECTION_STRINGS, ORGANIC
from infoops.synthetic.ids import b62, released_userid
from infoops.synthetic.timeline import Timeline

__all__ = ["Population", "cluster_labels"]

_SYLLABLES = (
    "li",
    "wang",
    "zhang",
    "liu",
    "chen",
    "yang",
    "huang",
    "zhao",
    "wu",
    "zhou",
    "xu",
    "sun",
    "ma",
    "zhu",
    "hu",
    "guo",
    "he",
    "lin",
    "luo",
    "gao",
    "mei",
    "hua",
    "jun",
    "ling",
    "xiao",
    "ying",
    "wei",
    "fang",
    "lan",
    "qing",
    "lucy",
    "amy",
    "tom",
    "jack",
)
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰"
_EN_NAMES = ("Lucy", "Amy", "Tom", "Jack", "Grace", "Kevin", "Helen", "David", "Vivian", "Eric")
_LOCATIONS = (
    "Hong Kong",
    "香港",
    "北京",
    "Beijing, China",
    "USA",
    "Taipei",
    "Hong Kong\n香港",
    "Shenzhen",
    "🇨🇳",
    "London, UK",
    "上海\nShanghai",
)
_DESCRIPTIONS = (
    "热爱生活",
    "Love peace, love life",
    "做一个有正能量的人\n❤️",
    "新闻爱好者",
    "Just a normal person, sharing the truth",
    "关注时事\n分享真相",
    "🌸🌸🌸",
)
_CORE_CLIENTS = (
    "Twitter Web Client",
    "Twitter Web Client",
    "Twitter for Android",
    "Twitter for iPhone",
    "dlvr.it",
    "Twitter Web App",
)
_AMP_CLIENTS = (
    "Twitter for Android",
    "Twitter for Android",
    "Twitter for iPhone",
    "Twitter Web Client",
)
_ORGANIC_CLIENTS = ("Twitter for iPhone", "Twitter for Android", "Twitter Web App", "TweetDeck")


def cluster_labels(n: int, clusters: int, spread: float, minimum: int) -> list[int]:
    """Cluster of each of ``n`` accounts: round robin, or sizes falling by ``1 - spread``.

    With a spread, cluster ``c`` gets ``minimum`` accounts plus a share of the rest in
    proportion to ``(1 - spread) ** c`` (largest remainders), so cluster 0 is the largest.
    """
    if spread == 0.0:
        return [i % clusters for i in range(n)]
    weights = [(1.0 - spread) ** c for c in range(clusters)]
    rest = n - minimum * clusters
    quotas = [rest * w / sum(weights) for w in weights]
    sizes = [minimum + int(q) for q in quotas]
    by_remainder = sorted(range(clusters), key=lambda c: (-(quotas[c] - int(quotas[c])), c))
    for c in by_remainder[: n - sum(sizes)]:
        sizes[c] += 1
    return [c for c in range(clusters) for _ in range(sizes[c])]


class Population:
    """Every released account, one entry per account in each list (index = account)."""

    def __init__(self, config: SynthConfig, rng: random.Random, timeline: Timeline) -> None:
        self.cfg = config
        self.rng = rng
        self.timeline = timeline
        self.userid: list[str] = []
        self.name: list[str] = []
        self.numeric: list[str] = []  # userid if numeric else "" (for user_mentions)
        self.role: list[str] = []
        self.cluster: list[int] = []  # -1 for organic accounts
        self.squad_of: list[int] = []  # -1 for accounts in no squad
        self.hashed: list[bool] = []
        self.created_s: list[int] = []
        self.day_lo: list[int] = []  # first index in office_days on/after creation
        self.first_day: list[int] = []
        self.client: list[str] = []
        self.cols: list[tuple[str, ...]] = []  # the users file's row
        self.core_by_cluster: list[list[int]] = []
        self.squads: list[list[int]] = []
        self.squad_ready: list[int] = []  # when the squad's last member exists
        self.squads_by_cluster: list[list[int]] = []
        self.organic: list[int] = []
        self.injection_userids: list[str] = []
        self.user_order: list[int] = []  # row order of the users file

    def build(self) -> None:
        rng, cfg, timeline = self.rng, self.cfg, self.timeline
        n_core, n_amp, n_org = role_sizes(cfg)
        roles = ["core"] * n_core + ["amplifier"] * n_amp + ["organic"] * n_org
        clusters = cluster_labels(n_core, cfg.clusters, cfg.size_spread, 2)
        amp_clusters = cluster_labels(n_amp, cfg.clusters, cfg.size_spread, 3)
        clusters += amp_clusters + [-1] * n_org
        new_window = max(1, timeline.n_days // 5)
        squad_of, squad_day = self._build_squads(n_core, amp_clusters, new_window)
        used_ids: set[str] = set()
        used_names: set[str] = set()
        for a in range(cfg.accounts):
            role = roles[a]
            sq = squad_of[a]
            new_day = (
                squad_day[sq]
                if sq >= 0
                else (rng.randrange(new_window) if rng.random() < 0.75 else None)
            )
            if new_day is None:  # older account: created 2010 .. the day before the window
                lo = int(datetime(2010, 1, 1, tzinfo=UTC).timestamp()) // 86400
                day = rng.randrange(lo, timeline.start_s // 86400)
                created_s = day * 86400
                first_day = 0
            else:
                created_s = timeline.start_s + new_day * 86400
                first_day = new_day
            created = datetime.fromtimestamp(created_s, tz=UTC).date().isoformat()
            hashed = rng.random() < cfg.hashed_share
            uid = released_userid(rng, hashed, None if new_day is None else created_s, used_ids)
            if hashed:
                screen = display = uid
            else:
                screen = self._unique_name(used_names)
                display = self._display_name()
            location = rng.choice(_LOCATIONS) if rng.random() < 0.25 else ""
            description = rng.choice(_DESCRIPTIONS) if rng.random() < 0.18 else ""
            url = f"https://t.co/{b62(rng.getrandbits(60))}" if rng.random() < 0.08 else ""
            followers, following = self._follow_count(), self._follow_count()
            if role == "organic":
                lang = rng.choice(("en", "en", "zh-cn", "zh-CN", "zh-tw"))
                client = rng.choice(_ORGANIC_CLIENTS)
            else:
                lang = rng.choice(("zh-cn", "zh-cn", "zh-cn", "zh-CN", "en", "en"))
                client = rng.choice(_CORE_CLIENTS if role == "core" else _AMP_CLIENTS)
            self.userid.append(uid)
            self.name.append(screen)
            self.numeric.append("" if hashed else uid)
            self.role.append(role)
            self.cluster.append(clusters[a])
            self.squad_of.append(sq)
            self.hashed.append(hashed)
            self.created_s.append(created_s)
            self.first_day.append(first_day)
            self.day_lo.append(bisect_left(timeline.office_days, first_day))
            self.client.append(client)
            self.cols.append(
                (
                    uid,
                    display,
                    screen,
                    location,
                    description,
                    url,
                    str(followers),
                    str(following),
                    created,
                    lang,
                )
            )
        self.squad_ready = [max(self.created_s[a] for a in sq) for sq in self.squads]
        self.core_by_cluster = [
            [a for a in range(n_core) if clusters[a] == c] for c in range(cfg.clusters)
        ]
        self.organic = list(range(n_core + n_amp, cfg.accounts))
        # quirks every file should show: a line break in a profile, markup in a description
        self._set_col(self.organic[0], 3, "Hong Kong\n香港")
        self._set_col(self.organic[-1], 4, "生活记录 " + INJECTION_STRINGS[0])
        self.injection_userids = [self.userid[self.organic[-1]]]
        self.user_order = list(range(cfg.accounts))
        rng.shuffle(self.user_order)

    def _build_squads(
        self, n_core: int, amp_clusters: list[int], new_window: int
    ) -> tuple[list[int], list[int | None]]:
        """Squad of every account (-1: none) and each squad's creation day (None: older)."""
        rng, cfg = self.rng, self.cfg
        self.squads_by_cluster = [[] for _ in range(cfg.clusters)]
        squad_of = [-1] * cfg.accounts
        squad_day: list[int | None] = []
        for c in range(cfg.clusters):
            members = [n_core + i for i, ac in enumerate(amp_clusters) if ac == c]
            rng.shuffle(members)
            i = 0
            while i < len(members):
                size = rng.randint(4, 8)
                if len(members) - (i + size) < 3:
                    size = len(members) - i
                squad = sorted(members[i : i + size])
                for a in squad:
                    squad_of[a] = len(self.squads)
                self.squads_by_cluster[c].append(len(self.squads))
                self.squads.append(squad)
                # created together (same day) four times out of five
                squad_day.append(rng.randrange(new_window) if rng.random() < 0.8 else None)
                i += size
        return squad_of, squad_day

    def group_of(self, a: int) -> int:
        """The content group account ``a`` posts from: its cluster, or the organic group."""
        return ORGANIC if self.role[a] == "organic" else self.cluster[a]

    def _set_col(self, a: int, col: int, value: str) -> None:
        cols = list(self.cols[a])
        cols[col] = value
        self.cols[a] = tuple(cols)

    def _unique_name(self, used: set[str]) -> str:
        rng = self.rng
        while True:
            name = (
                rng.choice(_SYLLABLES).capitalize()
                + rng.choice(("", "_", ""))
                + rng.choice(_SYLLABLES)
                + str(rng.randrange(10, 10 ** rng.randint(2, 6)))
            )[:15]
            if name.lower() not in used:
                used.add(name.lower())
                return name

    def _display_name(self) -> str:
        rng = self.rng
        r = rng.random()
        if r < 0.6:
            return rng.choice(_SURNAMES) + "".join(rng.choices(_GIVEN, k=rng.randint(1, 2)))
        if r < 0.9:
            return f"{rng.choice(_EN_NAMES)} {rng.choice(_SYLLABLES).capitalize()}"
        return rng.choice(_EN_NAMES) + " 🌸"

    def _follow_count(self) -> int:
        r = self.rng.random()
        if r < 0.75:
            return 0
        if r < 0.95:
            return self.rng.randint(1, 7)
        return (
            min(4999, int(8 + self.rng.paretovariate(0.9) * 10))
            if r < 0.995
            else self.rng.randint(5000, 30000)
        )
