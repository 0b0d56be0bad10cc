"""Deterministic synthetic Twitter information-operations disclosure.

Writes a users file and one or more tweets files in the exact layout of Twitter's own releases
(every field double-quoted, UTF-8 without BOM, LF) plus a ``<base>_truth.json`` that records the
structure planted in them, so that loaders and analyses can be checked against a known answer.

Planted structure:

- ``clusters`` groups of *core* accounts posting original content with cluster-specific hashtags
  and domains, retweeting each other mostly inside their cluster;
- *amplifier* accounts (most of the population), each in one cluster and one *squad*; a squad
  retweets a core or state-media tweet in a burst (members within seconds to a few minutes);
- a few *organic* accounts posting unrelated content at random hours;
- *external* accounts (state media and others) that never have rows: their tweets appear only as
  ``retweet_userid`` / ``retweet_tweetid``;
- a campaign hashtag and a shared video URL pushed by every cluster, and copy-paste texts posted
  verbatim by many accounts.

Tweet ids are Twitter snowflakes: ``(id >> 22) + 1288834974657`` is the tweet's time in epoch
milliseconds, which is how the truth file's 60-second coordination window is measured (the
``tweet_time`` column only has minutes).
"""

from __future__ import annotations

import base64
import csv
import json
import random
from array import array
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from infoops.loaders.twitter_io.columns import TWEET_COLUMNS, USER_COLUMNS

__all__ = [
    "CAMPAIGN_HASHTAG",
    "INJECTION_STRINGS",
    "SHARED_URL",
    "TWEETS_HEADER",
    "TWITTER_EPOCH_MS",
    "USERS_HEADER",
    "SynthConfig",
    "SynthResult",
    "generate_disclosure",
    "min_accounts",
    "snowflake_ms",
]

USERS_HEADER: tuple[str, ...] = USER_COLUMNS
TWEETS_HEADER: tuple[str, ...] = TWEET_COLUMNS

TWITTER_EPOCH_MS = 1288834974657
INJECTION_STRINGS: tuple[str, str] = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>")
CAMPAIGN_HASHTAG = "PositiveEnergy"
SHARED_URL = "https://youtu.be/pEnergy2020"
COORDINATION_WINDOW_S = 60
COORDINATION_MIN_SHARED = 3

_ORIG, _RT, _REPLY, _QUOTE = 0, 1, 2, 3
_ORGANIC, _STATE, _OTHER = -1, -2, -3  # content groups that are not core clusters
_SEQ_BITS = 22
_SEQ_MASK = (1 << _SEQ_BITS) - 1
_PROGRESS_EVERY = 10_000
_EMPTY_LISTS = ("[]", "")

# Content ----------------------------------------------------------------------------------
# (tags, domain) per base topic; clusters beyond four reuse a topic with their own tags/domain.
_TOPIC_TAGS: tuple[tuple[str, str, str], ...] = (
    ("HongKong", "HKPolice", "StopViolence"),
    ("GuoWengui", "郭文贵", "LiarGuo"),
    ("covid19", "WuhanStrong", "FightVirus"),
    ("Taiwan", "OneFamily", "CrossStrait"),
)
_TOPIC_DOMAINS = (
    "hk-daily-truth.example",
    "guo-exposed.example",
    "health-facts-cn.example",
    "strait-voice.example",
)
_TOPIC_BODIES: tuple[tuple[tuple[str, str], ...], ...] = (
    (
        ("zh", "香港是中国的香港，暴徒必须受到法律制裁"),
        ("zh", "支持香港警察依法执法，恢复秩序"),
        ("en", "Rioters in Hong Kong are destroying their own home, this must stop"),
        ("en", 'The so-called "pro-democracy" movement is funded from abroad'),
        ("zh", "反对暴力，守护香港\n我们只想要和平的生活"),
        ("en", "Hong Kong police showed great restraint, respect them"),
        ("zh", "外国势力请停止干涉香港事务"),
        ("en", "Shops burned, roads blocked, students hurt: who benefits?"),
    ),
    (
        ("zh", "郭文贵是一个骗子，欺骗了无数海外华人"),
        ("en", 'Guo Wengui is a fugitive, not a "whistleblower"'),
        ("zh", "郭文贵的直播全是谎言，不要再上当了"),
        ("en", "Another lie from Guo, how many people has he cheated, again?"),
        ("zh", "揭穿郭文贵\n他的爆料没有一个是真的"),
        ("en", "Guo and his friends sell dreams and take your money"),
    ),
    (
        ("zh", "武汉加油，中国加油！"),
        ("en", "China bought the world time to fight the virus, facts matter"),
        ("zh", "全国人民团结一致，抗击疫情"),
        ("en", 'Stop calling it the "China virus", it is racist'),
        ("zh", "医护人员辛苦了，向英雄致敬\n感谢你们"),
        ("en", "Daily new cases keep falling, the lockdown worked, science wins"),
    ),
    (
        ("zh", "台湾是中国不可分割的一部分"),
        ("en", "Taiwan compatriots, we are one family, reunification is the future"),
        ("zh", "两岸一家亲，血浓于水"),
        ("en", "Separatism leads nowhere, peace across the Strait benefits everyone"),
        ("zh", "民进党当局只会骗选票，\n台湾人民看清楚了"),
    ),
)
_COPYPASTA_TEMPLATES: tuple[tuple[tuple[str, str], tuple[str, str]], ...] = (
    (
        ("zh", "香港不能再乱下去了！支持警察，反对暴力"),
        ("en", "Hong Kong needs peace, not riots. Share if you agree!"),
    ),
    (
        ("zh", "郭文贵，骗子！大家千万不要相信他"),
        ("en", "Guo Wengui = liar. Do not send him your money."),
    ),
    (
        ("zh", "感谢一线医护人员，中国加油"),
        ("en", "Thank you, heroes in white, the world owes you"),
    ),
    (("zh", "两岸同胞一家亲，共圆中国梦"), ("en", "One family across the Strait, one dream")),
)
_GLOBAL_COPYPASTA: tuple[tuple[str, str], ...] = (
    ("zh", "我们热爱和平，我们热爱祖国！"),
    ("en", 'Say NO to violence, say YES to stability. "Peace" is all we want.'),
)
_OPENERS = ("", "", "", "", "转发：", "Breaking: ", "【评论】", "看看这个，", "Truth: ", "")
_CLOSERS = ("", "", "", "!", "。", " 👍", "…", "\n大家怎么看？", "", " 🇨🇳")
_ORGANIC_BODIES: tuple[tuple[str, str], ...] = (
    ("en", "Made dumplings tonight, recipe in the comments"),
    ("en", "Rainy Monday again, coffee please"),
    ("zh", "今天天气不错，去公园散步了"),
    ("en", "What a match last night! That second goal, wow"),
    ("zh", "周末愉快，和朋友一起吃火锅"),
    ("en", 'Anyone else watching the new drama? "No spoilers", please'),
    ("en", "My cat knocked over my plant, again"),
    ("zh", "新买的相机拍的照片\n你们觉得怎么样"),
)
_ORGANIC_TAGS = ("weekend", "foodie", "CatsOfTwitter", "football")
_STATE_BODIES: tuple[tuple[str, str], ...] = (
    ("en", "FM spokesperson: Hong Kong affairs are China's internal affairs"),
    ("en", "Wuhan discharges more recovered patients as new cases drop"),
    ("zh", "外交部发言人：坚决反对任何形式的“台独”分裂活动"),
    ("en", "Watch: medical teams return home to a heroes' welcome"),
    ("zh", "国务院新闻办公室举行发布会，介绍疫情防控最新进展"),
    ("en", "Opinion: the truth about the violence in Hong Kong"),
)
_STATE_TAGS = ("China", "COVID19", "HongKong", "Wuhan")
_STATE_DOMAINS = ("state-news-cn.example", "cgtv-news.example")
_OTHER_BODIES: tuple[tuple[str, str], ...] = (
    ("en", "Full time: a dramatic late winner at the stadium tonight"),
    ("en", "Weather warning: heavy rain expected this weekend"),
    ("en", "Five easy recipes for a quiet Sunday"),
)
_REPLIES: tuple[tuple[str, str], ...] = (
    ("zh", "说得对！"),
    ("en", "Exactly, well said"),
    ("zh", "支持！"),
    ("en", "Fake news, as always"),
    ("zh", "完全同意，转发了"),
    ("en", "Thanks for sharing, everyone should read this"),
    ("en", "100% agree. The truth, finally"),
    ("zh", "哈哈哈\n太真实了"),
)
_ORGANIC_REPLIES: tuple[tuple[str, str], ...] = (
    ("en", "lol same"),
    ("en", "Looks delicious!"),
    ("zh", "好可爱"),
    ("en", "Congrats, well done"),
)
_QUOTES: tuple[tuple[str, str], ...] = (
    ("zh", "大家看看"),
    ("en", "Read this, then decide"),
    ("en", "This. Just this."),
    ("zh", "真相在这里，"),
    ("en", 'So much for "free press"'),
)

# Accounts ---------------------------------------------------------------------------------
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
_STATE_NAMES = (
    "StateNewsCN",
    "GlobalVoiceCN",
    "XinNewsWire",
    "DailyPeopleEN",
    "CTVOfficial",
    "ChinaNewsHub",
    "MFASpokesDesk",
    "HKObserverNews",
)
_OTHER_NAMES = ("FootballDaily", "WeatherNowHK", "FoodieWorld", "TechNewsNow")
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
_B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

Content = tuple[str, str, str, str, str]  # lang, text, hashtags, urls, user_mentions


@dataclass(frozen=True)
class SynthConfig:
    """What to generate. Every released account is in the users file; see module docstring."""

    accounts: int = 300
    tweets: int = 5000
    seed: int = 7
    base: str = "synth_2020"
    clusters: int = 4
    tweet_parts: int = 1
    hashed_share: float = 0.35
    start: str = "2019-10-01"
    end: str = "2020-04-30"


@dataclass(frozen=True)
class SynthResult:
    """Paths and counts of a generated disclosure."""

    users_path: Path
    tweet_paths: list[Path]
    truth_path: Path
    accounts: int
    tweets: int
    seed: int
    external_accounts: int
    coordinated_pairs: int
    config: SynthConfig = field(default_factory=SynthConfig)


def snowflake_ms(tweetid: str | int) -> int:
    """Epoch milliseconds encoded in a Twitter snowflake id (all ids written here are ones)."""
    return (int(tweetid) >> _SEQ_BITS) + TWITTER_EPOCH_MS


def generate_disclosure(
    outdir: Path | str,
    config: SynthConfig = SynthConfig(),
    *,
    progress: Callable[[int], None] | None = None,
) -> SynthResult:
    """Write ``<base>_users_csv_hashed.csv``, the tweets file(s) and ``<base>_truth.json``.

    Same config (seed included) gives byte-identical files. ``progress`` receives the number of
    tweet rows written since its previous call.
    """
    _validate(config)
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    gen = _Generator(config)
    gen.build()
    users_path = out / f"{config.base}_users_csv_hashed.csv"
    gen.write_users(users_path)
    if config.tweet_parts == 1:
        tweet_paths = [out / f"{config.base}_tweets_csv_hashed.csv"]
    else:
        tweet_paths = [
            out / f"{config.base}_tweets_csv_hashed_{i}.csv"
            for i in range(1, config.tweet_parts + 1)
        ]
    gen.write_tweets(tweet_paths, progress)
    truth = gen.truth()
    truth_path = out / f"{config.base}_truth.json"
    with truth_path.open("w", encoding="utf-8", newline="\n") as fh:
        json.dump(truth, fh, ensure_ascii=False, separators=(",", ":"))
        fh.write("\n")
    return SynthResult(
        users_path=users_path,
        tweet_paths=tweet_paths,
        truth_path=truth_path,
        accounts=config.accounts,
        tweets=config.tweets,
        seed=config.seed,
        external_accounts=len(gen.ext_userid),
        coordinated_pairs=len(truth["coordinated_pairs"]),
        config=config,
    )


def _role_sizes(config: SynthConfig) -> tuple[int, int, int]:
    n = config.accounts
    n_core = max(2 * config.clusters, round(n * 0.10))
    n_org = max(1, round(n * 0.04))
    return n_core, n - n_core - n_org, n_org


def min_accounts(clusters: int) -> int:
    """Fewest accounts that hold ``clusters`` clusters (core, 3 amplifiers each, organic)."""
    n = 5 * clusters + 1
    while True:
        _, n_amp, _ = _role_sizes(SynthConfig(accounts=n, clusters=clusters))
        if n_amp >= 3 * clusters:
            return n
        n += 1


def _validate(config: SynthConfig) -> None:
    if config.clusters < 1:
        raise ValueError(f"clusters must be at least 1, got {config.clusters}")
    need = min_accounts(config.clusters)
    if config.accounts < need:
        raise ValueError(
            f"{config.accounts} accounts are too few for {config.clusters} clusters "
            f"(need at least {need}: core, three amplifiers per cluster and organic accounts)"
        )
    if config.tweets < 100:
        raise ValueError(f"tweets must be at least 100, got {config.tweets}")
    if not 1 <= config.tweet_parts <= config.tweets:
        raise ValueError(f"tweet_parts must be between 1 and tweets, got {config.tweet_parts}")
    if not 0.0 <= config.hashed_share <= 1.0:
        raise ValueError(f"hashed_share must be between 0 and 1, got {config.hashed_share}")
    if not config.base or any(c in config.base for c in "/\\"):
        raise ValueError(f"base must be a plain file-name prefix, got {config.base!r}")
    try:
        start, end = date.fromisoformat(config.start), date.fromisoformat(config.end)
    except ValueError as exc:
        raise ValueError(f"start and end must be YYYY-MM-DD dates: {exc}") from None
    if start < date(2011, 1, 1) or end < start:
        raise ValueError(f"need 2011-01-01 <= start <= end, got {config.start} .. {config.end}")


def _list_text(items: Sequence[str], quoted: bool = True) -> str:
    if quoted:
        return "[" + ", ".join(f"'{x}'" for x in items) + "]"
    return "[" + ", ".join(items) + "]"


def _b62(n: int, width: int = 10) -> str:
    chars = []
    for _ in range(width):
        n, r = divmod(n, 62)
        chars.append(_B62[r])
    return "".join(chars)


class _Group:
    """Content of one group (core cluster, organic, state media, other externals).

    An original tweet's content is a pure function of (group, code), so a retweet can rebuild
    its original's text without storing strings per tweet. Negative codes are copy-paste texts.
    """

    def __init__(
        self,
        bodies: Sequence[tuple[str, str]],
        tags: Sequence[str],
        urls: Sequence[str],
        copypasta: Sequence[Content],
        mentions: Sequence[tuple[str, str]],
        openers: Sequence[str] = ("",),
        closers: Sequence[str] = ("",),
    ) -> None:
        self.bodies = tuple(bodies)
        self.openers = tuple(openers)
        self.closers = tuple(closers)
        self.copypasta = tuple(copypasta)
        combos: list[tuple[str, ...]] = [(), (tags[0],)]
        if len(tags) > 1:
            combos += [(tags[0], tags[1]), (tags[1],), (tags[-1], tags[0])]
        if len(tags) > 2:
            combos += [(tags[2],), (tags[0], tags[2])]
        # (text suffix, field) per combo and spelling: as given, lower-case, upper-case
        self.tags: list[tuple[str, str]] = []
        for combo in combos:
            for spell in (str, str, str, str.lower, str.lower, str.upper):
                spelled = [spell(t) for t in combo]
                text = "".join(f" #{t}" for t in spelled)
                self.tags.append((text, _list_text(spelled) if spelled else ""))
        self.urls: list[tuple[str, str]] = [("", "")] * 40
        for i in range(24):
            url = urls[i % len(urls)]
            full = url if url == SHARED_URL else f"https://{url}/a/{1000 + i * 37}"
            self.urls.append((f" https://t.co/{_b62(_hash_str(full))}", _list_text([full])))
        self.mentions: list[tuple[str, str]] = [("", "")] * max(1, 4 * len(mentions))
        for name, numeric in mentions:
            self.mentions.append((f" @{name}", f"[{numeric}]" if numeric else ""))

    def content(self, code: int) -> Content:
        if code < 0:
            return self.copypasta[-code - 1]
        lang, body = self.bodies[code % len(self.bodies)]
        opener = self.openers[(code >> 6) % len(self.openers)]
        closer = self.closers[(code >> 11) % len(self.closers)]
        tag_text, tag_field = self.tags[(code >> 16) % len(self.tags)]
        url_text, url_field = self.urls[(code >> 23) % len(self.urls)]
        men_text, men_field = self.mentions[(code >> 30) % len(self.mentions)]
        text = opener + body + closer + men_text + tag_text + url_text
        return lang, text, tag_field, url_field, men_field


def _hash_str(text: str) -> int:
    """Small deterministic string hash (Python's hash() is salted per process)."""
    h = 1469598103934665603
    for ch in text.encode("utf-8"):
        h = ((h ^ ch) * 1099511628211) & 0xFFFFFFFFFFFFFFFF
    return h


class _Generator:
    def __init__(self, config: SynthConfig) -> None:
        self.cfg = config
        self.rng = random.Random(config.seed)
        start = date.fromisoformat(config.start)
        self.n_days = (date.fromisoformat(config.end) - start).days + 1
        self.start_s = int(datetime(start.year, start.month, start.day, tzinfo=UTC).timestamp())
        self.end_s = self.start_s + self.n_days * 86400 - 1
        days = [start + timedelta(days=d) for d in range(self.n_days)]
        self.day_str = [d.isoformat() for d in days]
        # weighted list of day indices: weekdays five times as likely as weekend days
        self.office_days = array("i")
        for d, day in enumerate(days):
            self.office_days.extend([d] * (5 if day.weekday() < 5 else 1))
        self.minute_str = [f" {h:02d}:{m:02d}" for h in range(24) for m in range(60)]
        # accounts (released), index order: core, amplifiers, organic
        self.userid: list[str] = []
        self.name: list[str] = []
        self.numeric: list[str] = []  # userid if numeric else "" (for user_mentions)
        self.role: list[str] = []
        self.cluster: list[int] = []
        self.squad_of: list[int] = []
        self.hashed: list[bool] = []
        self.created_s: list[int] = []
        self.day_lo: list[int] = []  # first index in office_days on/after creation
        self.first_day: list[int] = []
        self.client: list[str] = []
        self.cols: list[tuple[str, ...]] = []
        self.core_by_cluster: list[list[int]] = []
        self.squads: list[list[int]] = []
        self.squad_ready: list[int] = []
        self.squads_by_cluster: list[list[int]] = []
        self.organic: list[int] = []
        self.injection_userids: list[str] = []
        # external accounts and their tweets
        self.ext_userid: list[str] = []
        self.ext_name: list[str] = []
        self.ext_numeric: list[str] = []
        self.ext_kind: list[str] = []
        self.ext_tid = array("q")
        self.ext_author = array("i")
        self.ext_t = array("q")
        self.ext_code = array("q")
        self.ext_group = array("b")
        self.n_state_tweets = 0
        # tweet records (rows); ref >= 0 is a row index, ref < 0 is external tweet -ref-1
        self.tid = array("q")
        self.author = array("i")
        self.t = array("q")
        self.kind = array("b")
        self.ref = array("q")
        self.code = array("q")
        self.seq = 0
        self.seen_tids: set[int] | None = None
        self.groups: dict[int, _Group] = {}
        self.copypasta_texts: list[str] = []
        self.injections: dict[int, str] = {}
        self.empty_rt: set[int] = set()
        self.core_originals: list[int] = []
        self.core_originals_by_cluster: list[list[int]] = []
        self.organic_originals: list[int] = []
        self.bursts = 0
        self.burst_rows = 0
        self.copypasta_rows = 0
        self.order: list[int] = []
        self.user_order: list[int] = []

    # ids ------------------------------------------------------------------------------------
    def new_tid(self, t: int) -> int:
        ms = t * 1000 + self.rng.randrange(1000) - TWITTER_EPOCH_MS
        tid = (ms << _SEQ_BITS) | (self.seq & _SEQ_MASK)
        self.seq += 1
        if self.seen_tids is not None:
            while tid in self.seen_tids:
                tid += 1  # same millisecond, next sequence number
            self.seen_tids.add(tid)
        return tid

    def add(self, a: int, t: int, kind: int, ref: int, code: int) -> int:
        self.tid.append(self.new_tid(t))
        self.author.append(a)
        self.t.append(t)
        self.kind.append(kind)
        self.ref.append(ref)
        self.code.append(code)
        return len(self.tid) - 1

    # build ----------------------------------------------------------------------------------
    def build(self) -> None:
        n_ext_tweets = max(5, min(50_000, self.cfg.tweets // 25)) + max(2, self.cfg.tweets // 500)
        if self.cfg.tweets + n_ext_tweets > _SEQ_MASK:
            self.seen_tids = set()
        self.build_accounts()
        self.build_externals()
        self.build_groups()
        self.build_tweets()
        self.pick_quirks()
        self.pick_order()

    def build_accounts(self) -> None:
        rng, cfg = self.rng, self.cfg
        n_core, n_amp, n_org = _role_sizes(cfg)
        roles = ["core"] * n_core + ["amplifier"] * n_amp + ["organic"] * n_org
        clusters = [i % cfg.clusters for i in range(n_core)]
        clusters += [i % cfg.clusters for i in range(n_amp)] + [-1] * n_org
        new_window = max(1, self.n_days // 5)
        # amplifier squads, created together (same day) four times out of five
        self.squads_by_cluster = [[] for _ in range(cfg.clusters)]
        squad_of = [-1] * cfg.accounts
        squad_day: list[int | None] = []
        for c in range(cfg.clusters):
            members = [n_core + i for i in range(c, n_amp, cfg.clusters)]
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
                squad_day.append(rng.randrange(new_window) if rng.random() < 0.8 else None)
                i += size
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
                day = rng.randrange(lo, self.start_s // 86400)
                created_s = day * 86400
                first_day = 0
            else:
                created_s = self.start_s + new_day * 86400
                first_day = new_day
            created = datetime.fromtimestamp(created_s, tz=UTC).date().isoformat()
            hashed = rng.random() < cfg.hashed_share
            while True:
                if hashed:
                    uid = base64.b64encode(rng.randbytes(32)).decode("ascii")
                elif new_day is not None:
                    ms = created_s * 1000 + rng.randrange(86_400_000) - TWITTER_EPOCH_MS
                    uid = str((ms << _SEQ_BITS) | rng.getrandbits(_SEQ_BITS))
                else:
                    uid = str(rng.randrange(10**17, 10**18))
                if uid not in used_ids:
                    used_ids.add(uid)
                    break
            if hashed:
                screen = display = uid
            else:
                screen = self.unique_name(used_names)
                display = self.display_name()
            location = rng.choice(_LOCATIONS) if rng.random() < 0.25 else ""
            description = rng.choice(_DESCRIPTIONS) if rng.random() < 0.18 else ""
            url = f"https://t.co/{_b62(rng.getrandbits(60))}" if rng.random() < 0.08 else ""
            followers, following = self.follow_count(), self.follow_count()
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
            self.day_lo.append(bisect_left(self.office_days, first_day))
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
        self.set_col(self.organic[0], 3, "Hong Kong\n香港")
        self.set_col(self.organic[-1], 4, "生活记录 " + INJECTION_STRINGS[0])
        self.injection_userids = [self.userid[self.organic[-1]]]
        self.user_order = list(range(cfg.accounts))
        rng.shuffle(self.user_order)

    def set_col(self, a: int, col: int, value: str) -> None:
        cols = list(self.cols[a])
        cols[col] = value
        self.cols[a] = tuple(cols)

    def unique_name(self, used: set[str]) -> str:
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

    def display_name(self) -> str:
        rng = self.rng
        r = rng.random()
        if r < 0.6:
            return rng.choice(_SURNAMES) + "".join(rng.choices(_GIVEN, k=rng.randint(1, 2)))
        if r < 0.9:
            return f"{rng.choice(_EN_NAMES)} {rng.choice(_SYLLABLES).capitalize()}"
        return rng.choice(_EN_NAMES) + " 🌸"

    def follow_count(self) -> int:
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

    def build_externals(self) -> None:
        rng, cfg = self.rng, self.cfg
        n_state = max(3, min(60, cfg.accounts // 300))
        n_other = max(2, min(20, cfg.accounts // 1000))
        used = {n.lower() for n in self.name}
        for i in range(n_state + n_other):
            state = i < n_state
            names = _STATE_NAMES if state else _OTHER_NAMES
            j = i if state else i - n_state
            name = names[j % len(names)] + (str(j // len(names)) if j >= len(names) else "")
            while name.lower() in used:
                name += str(rng.randrange(10))
            used.add(name.lower())
            # older accounts have short numeric ids; newer ones 18/19-digit snowflakes
            uid = str(
                rng.randrange(10**8, 10**10) if i % 2 == 0 else rng.randrange(10**17, 2 * 10**18)
            )
            self.ext_userid.append(uid)
            self.ext_name.append(name)
            self.ext_numeric.append(uid)
            self.ext_kind.append("state_media" if state else "other")
        n_state_tweets = max(5, min(50_000, cfg.tweets // 25))
        n_other_tweets = max(2, cfg.tweets // 500)
        span = self.end_s - self.start_s - 6 * 3600
        for i in range(n_state_tweets + n_other_tweets):
            state = i < n_state_tweets
            t = self.start_s + rng.randrange(span)
            self.ext_tid.append(self.new_tid(t))
            self.ext_author.append(
                rng.randrange(n_state) if state else n_state + rng.randrange(n_other)
            )
            self.ext_t.append(t)
            self.ext_code.append(rng.getrandbits(48))
            self.ext_group.append(_STATE if state else _OTHER)
        self.n_state_tweets = n_state_tweets

    def build_groups(self) -> None:
        cfg = self.cfg
        global_cp: list[Content] = []
        for lang, text in _GLOBAL_COPYPASTA:
            tag = f"#{CAMPAIGN_HASHTAG}"
            global_cp.append(
                (
                    lang,
                    f"{text} {tag} https://t.co/pE2020",
                    _list_text([CAMPAIGN_HASHTAG]),
                    _list_text([SHARED_URL]),
                    "",
                )
            )
        for c in range(cfg.clusters):
            topic = c % len(_TOPIC_TAGS)
            tags: tuple[str, ...] = _TOPIC_TAGS[topic]
            domain = _TOPIC_DOMAINS[topic]
            if c >= len(_TOPIC_TAGS):
                tags = tuple(f"{t}{c}" for t in tags)
                domain = f"c{c}-{domain}"
            cluster_cp: list[Content] = []
            for lang, text in _COPYPASTA_TEMPLATES[topic]:
                cluster_cp.append(
                    (
                        lang,
                        f"{text} #{tags[0]} #{CAMPAIGN_HASHTAG}",
                        _list_text([tags[0], CAMPAIGN_HASHTAG]),
                        "",
                        "",
                    )
                )
            mentions = [(self.name[a], self.numeric[a]) for a in self.core_by_cluster[c][:12]]
            self.groups[c] = _Group(
                _TOPIC_BODIES[topic],
                (*tags, CAMPAIGN_HASHTAG),
                (domain, domain, domain, f"news.{domain}", SHARED_URL),
                cluster_cp + global_cp,
                mentions,
                _OPENERS,
                _CLOSERS,
            )
        self.copypasta_texts = [cp[1] for cp in global_cp]
        for c in range(cfg.clusters):
            self.copypasta_texts += [cp[1] for cp in self.groups[c].copypasta[: -len(global_cp)]]
        organic_mentions = [(self.name[a], self.numeric[a]) for a in self.organic[:6]]
        self.groups[_ORGANIC] = _Group(
            _ORGANIC_BODIES,
            _ORGANIC_TAGS,
            ("myblog.example",),
            (),
            organic_mentions,
            ("",),
            ("", "!", " 😊"),
        )
        self.groups[_STATE] = _Group(
            _STATE_BODIES, _STATE_TAGS, _STATE_DOMAINS, (), (), ("", "#BREAKING ", "Watch: ")
        )
        self.groups[_OTHER] = _Group(
            _OTHER_BODIES, ("sport", "weather"), ("other.example",), (), ()
        )

    # time models ----------------------------------------------------------------------------
    def office_time(self, a: int) -> int:
        """Beijing weekday office hours (09:00-18:00 UTC+8 = 01:00-10:00 UTC) mostly."""
        rng = self.rng
        d = self.office_days[rng.randrange(self.day_lo[a], len(self.office_days))]
        sec = 3600 + rng.randrange(32400) if rng.random() < 0.85 else rng.randrange(86400)
        return self.start_s + d * 86400 + sec

    def any_time(self, a: int) -> int:
        rng = self.rng
        d = rng.randrange(self.first_day[a], self.n_days)
        return self.start_s + d * 86400 + rng.randrange(86400)

    def after(self, a: int, target_t: int, office: bool = True) -> int | None:
        """A time for account ``a`` to react to a tweet posted at ``target_t``, or None."""
        for _ in range(3):
            t = self.office_time(a) if office else self.any_time(a)
            if t > target_t + 30:
                return t
        t = max(target_t + 60 + int(self.rng.expovariate(1 / 7200)), self.created_s[a] + 3600)
        return t if t <= self.end_s else None

    # tweets ---------------------------------------------------------------------------------
    def target_time(self, ref: int) -> int:
        return self.t[ref] if ref >= 0 else self.ext_t[-ref - 1]

    def random_state_tweet(self) -> int:
        return -self.rng.randrange(self.n_state_tweets) - 1

    def random_other_tweet(self) -> int:
        n_other = len(self.ext_tid) - self.n_state_tweets
        return -(self.n_state_tweets + self.rng.randrange(n_other)) - 1

    def build_tweets(self) -> None:
        cfg, rng = self.cfg, self.rng
        total = cfg.tweets
        n_org_rows = max(round(total * 0.05), 8)
        n_core_rows = round(total * 0.35)
        n_amp_rows = total - n_org_rows - n_core_rows
        self.core_originals_by_cluster = [[] for _ in range(cfg.clusters)]
        n_core_orig = max(cfg.clusters * 2, round(n_core_rows * 0.55))
        # prolific and quiet core accounts
        weighted: list[int] = []
        for c in range(cfg.clusters):
            for a in self.core_by_cluster[c]:
                weighted.extend([a] * rng.choice((1, 1, 2, 4, 8)))
        n_cp = {c: len(self.groups[c].copypasta) for c in range(cfg.clusters)}
        for i in range(n_core_orig):
            a = self.core_by_cluster[i][0] if i < cfg.clusters else rng.choice(weighted)
            self.add_core_original(a, n_cp)
        n_rt = round(n_core_rows * 0.30)
        n_reply = round(n_core_rows * 0.08)
        n_quote = max(0, n_core_rows - n_core_orig - n_rt - n_reply)
        self.core_reactions(weighted, _RT, n_rt)
        self.core_reactions(weighted, _REPLY, n_reply)
        self.core_reactions(weighted, _QUOTE, n_quote)
        self.amplifier_rows(n_amp_rows, n_cp)
        self.organic_rows(n_org_rows)
        while len(self.tid) < total:  # top up what failed (times past the window end)
            self.add_core_original(rng.choice(weighted), n_cp)

    def add_core_original(self, a: int, n_cp: dict[int, int]) -> None:
        rng = self.rng
        c = self.cluster[a]
        if rng.random() < 0.12:
            code = -rng.randrange(n_cp[c]) - 1
            self.copypasta_rows += 1
        else:
            code = rng.getrandbits(48)
        i = self.add(a, self.office_time(a), _ORIG, 0, code)
        self.core_originals.append(i)
        self.core_originals_by_cluster[c].append(i)

    def core_reactions(self, weighted: list[int], kind: int, n: int) -> None:
        rng = self.rng
        by_cluster = self.core_originals_by_cluster
        made = attempts = 0
        while made < n and attempts < 4 * n + 10:
            attempts += 1
            a = rng.choice(weighted)
            r = rng.random()
            if r < 0.8:
                ref = rng.choice(by_cluster[self.cluster[a]])
            elif r < 0.85:
                ref = rng.choice(self.core_originals)
            else:
                ref = self.random_state_tweet()
            if ref >= 0 and self.author[ref] == a:
                continue
            t = self.after(a, self.target_time(ref))
            if t is None:
                continue
            self.add(a, t, kind, ref, rng.getrandbits(32))
            made += 1

    def amplifier_rows(self, n: int, n_cp: dict[int, int]) -> None:
        rng, end = self.rng, self.end_s
        made = attempts = 0
        clusters = self.cfg.clusters
        while made < n and attempts < 4 * n + 10:
            attempts += 1
            r = rng.random()
            if r < 0.80:  # a squad retweets one tweet in a burst
                if rng.random() < 0.75:
                    ref = rng.choice(self.core_originals)
                    c = self.cluster[self.author[ref]]
                else:
                    ref = self.random_state_tweet()
                    c = rng.randrange(clusters)
                sq = rng.choice(self.squads_by_cluster[c])
                tt = self.target_time(ref)
                t0 = tt + 20 + int(rng.expovariate(1 / 900))
                if self.squad_ready[sq] > t0:
                    t0 = self.squad_ready[sq] + rng.randrange(3600, 86400)
                if t0 > end - 300:
                    continue
                members = self.squads[sq]
                k = min(max(3, len(members) - rng.randrange(3)), len(members), n - made)
                spread = 50 if rng.random() < 0.85 else 240
                for a in rng.sample(members, k):
                    self.add(a, t0 + rng.randrange(spread), _RT, ref, 0)
                made += k
                self.bursts += 1
                self.burst_rows += k
            elif r < 0.86:  # copy-paste wave: a squad posts the same text within minutes
                c = rng.randrange(clusters)
                sq = rng.choice(self.squads_by_cluster[c])
                members = self.squads[sq]
                t0 = max(self.office_time(members[0]), self.squad_ready[sq] + 3600)
                if t0 > end - 900:
                    continue
                code = -rng.randrange(n_cp[c]) - 1
                k = min(len(members), n - made)
                for a in rng.sample(members, k):
                    self.add(a, t0 + rng.randrange(600), _ORIG, 0, code)
                made += k
                self.copypasta_rows += k
            else:  # lone retweets (noise), replies and quotes
                c = rng.randrange(clusters)
                a = rng.choice(self.squads[rng.choice(self.squads_by_cluster[c])])
                pool = self.core_originals_by_cluster[c]
                ref = rng.choice(pool) if rng.random() < 0.8 else self.random_state_tweet()
                t = self.after(a, self.target_time(ref), office=False)
                if t is None:
                    continue
                kind = _RT if r < 0.94 else (_REPLY if r < 0.98 else _QUOTE)
                self.add(a, t, kind, ref, rng.getrandbits(32))
                made += 1

    def organic_rows(self, n: int) -> None:
        rng = self.rng
        n_orig = max(4, round(n * 0.85))
        for _ in range(n_orig):
            a = rng.choice(self.organic)
            self.organic_originals.append(
                self.add(a, self.any_time(a), _ORIG, 0, rng.getrandbits(48))
            )
        made = attempts = 0
        while made < n - n_orig and attempts < 40 * n:
            attempts += 1
            a = rng.choice(self.organic)
            if rng.random() < 0.6:
                ref = rng.choice(self.organic_originals)
                kind = _REPLY
                if self.author[ref] == a:
                    continue
            else:
                ref, kind = self.random_other_tweet(), _RT
            t = self.after(a, self.target_time(ref), office=False)
            if t is None:
                continue
            self.add(a, t, kind, ref, rng.getrandbits(32))
            made += 1
        # nobody retweets organic tweets, so the markup only appears in these rows
        picks = rng.sample(self.organic_originals, 4)
        for j, i in enumerate(picks):
            self.injections[i] = INJECTION_STRINGS[j % 2]

    def pick_quirks(self) -> None:
        retweets = [i for i, k in enumerate(self.kind) if k == _RT]
        if retweets:
            k = max(1, round(len(retweets) * 0.005))
            self.empty_rt = set(self.rng.sample(retweets, k))

    def pick_order(self) -> None:
        """Rows grouped by account, accounts in random order, each account's rows shuffled."""
        rng = self.rng
        buckets: list[list[int]] = [[] for _ in range(self.cfg.accounts)]
        for i, a in enumerate(self.author):
            buckets[a].append(i)
        accounts = list(range(self.cfg.accounts))
        rng.shuffle(accounts)
        order: list[int] = []
        for a in accounts:
            rows = buckets[a]
            rng.shuffle(rows)
            order.extend(rows)
        self.order = order

    # content --------------------------------------------------------------------------------
    def group_of(self, a: int) -> int:
        return _ORGANIC if self.role[a] == "organic" else self.cluster[a]

    def target_info(self, ref: int) -> tuple[str, str, str, str, Content]:
        """(screen name, userid, numeric userid or "", tweet id, content) of a tweet."""
        if ref >= 0:
            a = self.author[ref]
            content = self.groups[self.group_of(a)].content(self.code[ref])
            return self.name[a], self.userid[a], self.numeric[a], str(self.tid[ref]), content
        e = -ref - 1
        x = self.ext_author[e]
        content = self.groups[self.ext_group[e]].content(self.ext_code[e])
        return (
            self.ext_name[x],
            self.ext_userid[x],
            self.ext_numeric[x],
            str(self.ext_tid[e]),
            content,
        )

    # writing --------------------------------------------------------------------------------
    def write_users(self, path: Path) -> None:
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, quoting=csv.QUOTE_ALL, lineterminator="\n")
            writer.writerow(USERS_HEADER)
            writer.writerows(self.cols[a] for a in self.user_order)

    def write_tweets(self, paths: list[Path], progress: Callable[[int], None] | None) -> None:
        total = len(self.order)
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
                    writer.writerows(self.rows(self.order[lo:hi]))
                    pending += hi - lo
                    lo = hi
                    if progress is not None and pending >= _PROGRESS_EVERY:
                        progress(pending)
                        pending = 0
        if progress is not None and pending:
            progress(pending)

    def rows(self, indices: list[int]) -> list[tuple[str, ...]]:
        rng = self.rng
        random_, getrandbits = rng.random, rng.getrandbits
        tid, author, tt, kind, ref, code = (
            self.tid,
            self.author,
            self.t,
            self.kind,
            self.ref,
            self.code,
        )
        cols, client, start_s = self.cols, self.client, self.start_s
        day_str, minute_str = self.day_str, self.minute_str
        groups, group_of, target_info = self.groups, self.group_of, self.target_info
        injections, empty_rt = self.injections, self.empty_rt
        organic = _ORGANIC
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
            if k == _ORIG:
                c = code[i]
                g = group_of(a)
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
                if k == _RT:
                    lang, text, tags, urls, mentions = content
                    text = f"RT @{name}: {text}"
                    if numeric:
                        mentions = f"[{numeric}, {mentions[1:]}" if mentions else f"[{numeric}]"
                    is_rt = "True"
                    rt_uid = "" if i in empty_rt else uid
                    rt_tid = target_tid
                else:
                    pool = (
                        _ORGANIC_REPLIES
                        if group_of(a) == organic
                        else (_REPLIES if k == _REPLY else _QUOTES)
                    )
                    lang, text = pool[code[i] % len(pool)]
                    tags = ""
                    if k == _REPLY:
                        text = f"@{name} {text}"
                        urls = ""
                        mentions = f"[{numeric}]" if numeric else ""
                        reply_uid, reply_tid = uid, target_tid
                    else:
                        status = f"https://twitter.com/i/web/status/{target_tid}"
                        text = f"{text} https://t.co/{_b62(int(target_tid))}"
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

    # truth ----------------------------------------------------------------------------------
    def coordinated_pairs(self) -> list[list[str]]:
        """Account pairs that retweeted the same tweet within 60 s, for >= 3 distinct tweets.

        Times are the snowflake milliseconds of the retweets' ids.
        """
        by_target: dict[int, list[tuple[int, int]]] = {}
        tid, author, ref = self.tid, self.author, self.ref
        for i, k in enumerate(self.kind):
            if k == _RT:
                by_target.setdefault(ref[i], []).append((tid[i] >> _SEQ_BITS, author[i]))
        n = self.cfg.accounts
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
        found = []
        for key, count in shared.items():
            if count >= COORDINATION_MIN_SHARED:
                a, b = divmod(key, n)
                ua, ub = sorted((self.userid[a], self.userid[b]))
                found.append([ua, ub])
        found.sort()
        return found

    def truth(self) -> dict[str, Any]:
        kinds = [0, 0, 0, 0]
        rt_internal = 0
        ext_retweeted: set[int] = set()
        int_retweeted: set[int] = set()
        for i, k in enumerate(self.kind):
            kinds[k] += 1
            if k == _RT:
                r = self.ref[i]
                if r >= 0:
                    rt_internal += 1
                    int_retweeted.add(r)
                else:
                    ext_retweeted.add(r)
        accounts = {
            self.userid[a]: {
                "screen_name": self.name[a],
                "role": self.role[a],
                "cluster": self.cluster[a] if self.cluster[a] >= 0 else None,
                "hashed": self.hashed[a],
                "squad": self.squad_of[a] if self.squad_of[a] >= 0 else None,
            }
            for a in self.user_order
        }
        external = {
            uid: {"screen_name": name, "kind": kind}
            for uid, name, kind in zip(self.ext_userid, self.ext_name, self.ext_kind, strict=True)
        }
        empty = [
            {
                "tweetid": str(self.tid[i]),
                "expected_retweet_userid": self.target_info(self.ref[i])[1],
            }
            for i in sorted(self.empty_rt, key=lambda i: self.tid[i])
        ]
        clusters = []
        for c in range(self.cfg.clusters):
            topic = c % len(_TOPIC_TAGS)
            tags = (
                list(_TOPIC_TAGS[topic])
                if c < len(_TOPIC_TAGS)
                else [f"{t}{c}" for t in _TOPIC_TAGS[topic]]
            )
            domain = (
                _TOPIC_DOMAINS[topic] if c < len(_TOPIC_TAGS) else f"c{c}-{_TOPIC_DOMAINS[topic]}"
            )
            clusters.append(
                {
                    "cluster": c,
                    "hashtags": tags,
                    "domains": [domain, f"news.{domain}"],
                    "core_accounts": len(self.core_by_cluster[c]),
                    "squads": len(self.squads_by_cluster[c]),
                }
            )
        pairs = self.coordinated_pairs()
        roles = {r: self.role.count(r) for r in ("core", "amplifier", "organic")}
        return {
            "generator": "infoops.synthetic",
            "seed": self.cfg.seed,
            "config": asdict(self.cfg),
            "time_window_utc": [f"{self.day_str[0]} 00:00", f"{self.day_str[-1]} 23:59"],
            "coordination": {
                "window_s": COORDINATION_WINDOW_S,
                "min_shared_tweets": COORDINATION_MIN_SHARED,
                "definition": "unordered account pairs that retweeted the same original tweet "
                "within 60 s of each other (times from the snowflake tweet ids: "
                "ms = (tweetid >> 22) + 1288834974657) for at least 3 distinct "
                "originals",
            },
            "counts": {
                "users_rows": self.cfg.accounts,
                "tweet_rows": len(self.tid),
                "tweet_files": self.cfg.tweet_parts,
                "originals": kinds[_ORIG],
                "retweets": kinds[_RT],
                "replies": kinds[_REPLY],
                "quotes": kinds[_QUOTE],
                "retweets_of_released_tweets": rt_internal,
                "retweets_of_external_tweets": kinds[_RT] - rt_internal,
                "released_retweeted_tweets": len(int_retweeted),
                "external_retweeted_tweets": len(ext_retweeted),
                "external_accounts": len(self.ext_userid),
                "hashed_accounts": sum(self.hashed),
                **{f"{r}_accounts": n for r, n in roles.items()},
                "squads": len(self.squads),
                "bursts": self.bursts,
                "burst_retweets": self.burst_rows,
                "copypasta_rows": self.copypasta_rows,
                "empty_retweet_userid": len(empty),
                "coordinated_pairs": len(pairs),
            },
            "campaign_hashtag": CAMPAIGN_HASHTAG,
            "shared_urls": [SHARED_URL],
            "clusters": clusters,
            "copypasta_texts": self.copypasta_texts,
            "accounts": accounts,
            "external_accounts": external,
            "coordinated_pairs": pairs,
            "empty_retweet_userid": empty,
            "injection_tweetids": sorted(str(self.tid[i]) for i in self.injections),
            "injection_userids": self.injection_userids,
        }
