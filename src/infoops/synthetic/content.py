"""What the tweets say: per-group texts, hashtags, links and mentions, and copy-paste texts.

A group is a core cluster (0, 1, ...), the organic accounts, state media or other outside
accounts. An original tweet's content is a pure function of (group, code), so a retweet
rebuilds its original's text without a string stored per tweet.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from infoops.synthetic.ids import b62, hash_str

__all__ = [
    "CAMPAIGN_HASHTAG",
    "INJECTION_STRINGS",
    "ORGANIC",
    "ORGANIC_REPLIES",
    "OTHER",
    "QUOTES",
    "REPLIES",
    "SHARED_URL",
    "STATE",
    "Content",
    "ContentGroup",
    "Groups",
    "build_groups",
    "cluster_topic",
    "list_text",
]

INJECTION_STRINGS: tuple[str, str] = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>")
CAMPAIGN_HASHTAG = "PositiveEnergy"
SHARED_URL = "https://youtu.be/pEnergy2020"
ORGANIC, STATE, OTHER = -1, -2, -3  # content groups that are not core clusters

Content = tuple[str, str, str, str, str]  # lang, text, hashtags, urls, user_mentions

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
REPLIES: tuple[tuple[str, str], ...] = (
    ("zh", "说得对！"),
    ("en", "Exactly, well said"),
    ("zh", "支持！"),
    ("en", "Fake news, as always"),
    ("zh", "完全同意，转发了"),
    ("en", "Thanks for sharing, everyone should read this"),
    ("en", "100% agree. The truth, finally"),
    ("zh", "哈哈哈\n太真实了"),
)
ORGANIC_REPLIES: tuple[tuple[str, str], ...] = (
    ("en", "lol same"),
    ("en", "Looks delicious!"),
    ("zh", "好可爱"),
    ("en", "Congrats, well done"),
)
QUOTES: tuple[tuple[str, str], ...] = (
    ("zh", "大家看看"),
    ("en", "Read this, then decide"),
    ("en", "This. Just this."),
    ("zh", "真相在这里，"),
    ("en", 'So much for "free press"'),
)


def list_text(items: Sequence[str], quoted: bool = True) -> str:
    """A list as Twitter's files print it: ``['a', 'b']`` (or ``[1, 2]`` unquoted)."""
    if quoted:
        return "[" + ", ".join(f"'{x}'" for x in items) + "]"
    return "[" + ", ".join(items) + "]"


def cluster_topic(c: int) -> tuple[tuple[str, ...], str]:
    """(hashtags, domain) of core cluster ``c``: clusters past the fourth reuse a topic."""
    topic = c % len(_TOPIC_TAGS)
    tags: tuple[str, ...] = _TOPIC_TAGS[topic]
    domain = _TOPIC_DOMAINS[topic]
    if c >= len(_TOPIC_TAGS):
        tags = tuple(f"{t}{c}" for t in tags)
        domain = f"c{c}-{domain}"
    return tags, domain


class ContentGroup:
    """Content of one group. Negative codes are copy-paste texts, the others composed."""

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
                self.tags.append((text, list_text(spelled) if spelled else ""))
        self.urls: list[tuple[str, str]] = [("", "")] * 40
        for i in range(24):
            url = urls[i % len(urls)]
            full = url if url == SHARED_URL else f"https://{url}/a/{1000 + i * 37}"
            self.urls.append((f" https://t.co/{b62(hash_str(full))}", list_text([full])))
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


@dataclass
class Groups:
    """Every group's content, by group id, and the copy-paste texts the truth file lists."""

    by_id: dict[int, ContentGroup] = field(default_factory=dict)
    copypasta_texts: list[str] = field(default_factory=list)

    def copypasta_count(self, c: int) -> int:
        return len(self.by_id[c].copypasta)


def build_groups(
    clusters: int,
    core_mentions: Sequence[Sequence[tuple[str, str]]],
    organic_mentions: Sequence[tuple[str, str]],
) -> Groups:
    """Groups for ``clusters`` core clusters, organic accounts and outside accounts.

    ``core_mentions[c]`` and ``organic_mentions`` are the (screen name, numeric id or "")
    of the accounts the group's tweets mention.
    """
    groups = Groups()
    global_cp: list[Content] = []
    for lang, text in _GLOBAL_COPYPASTA:
        tag = f"#{CAMPAIGN_HASHTAG}"
        global_cp.append(
            (
                lang,
                f"{text} {tag} https://t.co/pE2020",
                list_text([CAMPAIGN_HASHTAG]),
                list_text([SHARED_URL]),
                "",
            )
        )
    for c in range(clusters):
        tags, domain = cluster_topic(c)
        cluster_cp: list[Content] = []
        for lang, text in _COPYPASTA_TEMPLATES[c % len(_TOPIC_TAGS)]:
            cluster_cp.append(
                (
                    lang,
                    f"{text} #{tags[0]} #{CAMPAIGN_HASHTAG}",
                    list_text([tags[0], CAMPAIGN_HASHTAG]),
                    "",
                    "",
                )
            )
        groups.by_id[c] = ContentGroup(
            _TOPIC_BODIES[c % len(_TOPIC_TAGS)],
            (*tags, CAMPAIGN_HASHTAG),
            (domain, domain, domain, f"news.{domain}", SHARED_URL),
            cluster_cp + global_cp,
            core_mentions[c],
            _OPENERS,
            _CLOSERS,
        )
    groups.copypasta_texts = [cp[1] for cp in global_cp]
    for c in range(clusters):
        groups.copypasta_texts += [cp[1] for cp in groups.by_id[c].copypasta[: -len(global_cp)]]
    groups.by_id[ORGANIC] = ContentGroup(
        _ORGANIC_BODIES,
        _ORGANIC_TAGS,
        ("myblog.example",),
        (),
        organic_mentions,
        ("",),
        ("", "!", " 😊"),
    )
    groups.by_id[STATE] = ContentGroup(
        _STATE_BODIES, _STATE_TAGS, _STATE_DOMAINS, (), (), ("", "#BREAKING ", "Watch: ")
    )
    groups.by_id[OTHER] = ContentGroup(
        _OTHER_BODIES, ("sport", "weather"), ("other.example",), (), ()
    )
    return groups
