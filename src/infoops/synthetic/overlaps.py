"""Two synthetic disclosures with planted overlaps, for ``infoops crossref`` (and its tests).

``generate_overlapping_pair`` writes disclosure A and disclosure B (a users file and a tweets
file each, in Twitter's layout) and ``overlaps_truth.json``, which lists every overlap per kind.
Everything else is kept apart so nothing overlaps by accident: each disclosure draws its words
(texts, hashtags, domains, screen names) from a vocabulary of its own, its numeric ids from a
range of its own, and hashes its hashed ids with a salt of its own. What is planted:

- ``accounts``: the same numeric account released in both (some with the screen name written in
  another case in B); ``renamed``: the same numeric id under another screen name in B;
- ``namesakes``: the same unhashed screen name under two numeric ids (a handle taken again);
- ``hashed_decoys``: the same hashed id string in both: a coincidence crossref must not report,
  because hashed ids are only comparable inside one release;
- ``hashtags`` (B sometimes in another case), ``urls`` (the same URL; its domain is then shared
  too) and ``domains`` (the same domain through different URLs);
- ``retweeted_tweets``: the same outside tweet retweeted in both (its author is then a shared
  retweeted account); ``retweeted_accounts``: the same outside account retweeted in both,
  through different tweets;
- ``text``: an original text of A posted again in B, copied exactly (case, a link and a mention
  changed, which normalising removes), with a word appended, or with a word replaced.

The truth is computed from the rows written (every kind's keys in A and in B, intersected, with
the uses in each) and checked against what was planted: an accidental overlap fails the
generator, never a test that trusts the truth.
"""

from __future__ import annotations

import base64
import json
import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from infoops.synthetic.writer import TWEETS_HEADER, USERS_HEADER, write_release_csv

__all__ = [
    "TRUTH_FILE",
    "OverlapConfig",
    "OverlapPair",
    "generate_overlapping_pair",
    "text_similarity",
]

TRUTH_FILE = "overlaps_truth.json"
SIDES = ("A", "B")
TEXT_WORDS = 20  # words of an original text: long enough for one edit to stay near-identical
TEXT_EDITS = ("exact", "appended", "replaced")
TRUTH_KINDS = (
    "accounts",
    "screen_names",
    "hashtags",
    "urls",
    "domains",
    "retweeted_tweets",
    "retweeted_accounts",
)
_SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]
_MONTH = {"A": "2019-03", "B": "2020-05"}  # each disclosure's tweets fall in one month
_USER_BASE = {"A": 1, "B": 2, "shared": 5}  # leading digit of numeric user ids
_OUTSIDE_BASE = {"A": 1, "B": 2, "shared": 5}  # leading digit of outside accounts' ids
_TWEET_BASE = {"A": 11, "B": 12, "outside": 13}


@dataclass(frozen=True)
class OverlapConfig:
    """Sizes per disclosure and how many overlaps of each kind to plant."""

    accounts: int = 40  # released accounts per disclosure, the planted ones included
    tweets: int = 600  # tweets per disclosure, the planted ones included
    seed: int = 11
    hashed_share: float = 0.3
    retweet_share: float = 0.4
    shared_accounts: int = 4
    renamed_accounts: int = 3
    namesakes: int = 2
    hashed_decoys: int = 2
    shared_hashtags: int = 3
    shared_urls: int = 3
    shared_domains: int = 3
    shared_retweeted_tweets: int = 3
    shared_retweeted_accounts: int = 3
    copied_texts: int = 6
    base: str = "overlap"  # file names: <base>_a_users.csv, <base>_a_tweets.csv, ...

    def planted_accounts(self) -> int:
        return self.shared_accounts + self.renamed_accounts + self.namesakes + self.hashed_decoys


@dataclass
class OverlapPair:
    """Where the files are, and the truth file's content."""

    files: dict[str, list[Path]]  # "A" / "B" -> users file, tweets file
    truth_path: Path
    truth: dict[str, object] = field(default_factory=dict)


def text_similarity(edit: str, words: int = TEXT_WORDS) -> float:
    """The Jaccard similarity of word-bigram sets that an edit leaves (every word of a text is
    distinct): appending a word adds one bigram, replacing one inside swaps two for two."""
    bigrams = words - 1
    if edit == "appended":
        return bigrams / (bigrams + 1)
    if edit == "replaced":
        return (bigrams - 2) / (bigrams + 2)
    return 1.0


class _Words:
    """Pseudo-words; no word is ever drawn twice, so vocabularies drawn apart never meet."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.taken: set[str] = set()

    def word(self, syllables: int = 3) -> str:
        while True:
            word = "".join(self.rng.choice(_SYLLABLES) for _ in range(syllables))
            if word not in self.taken:
                self.taken.add(word)
                return word

    def words(self, n: int, syllables: int = 3) -> list[str]:
        return [self.word(syllables) for _ in range(n)]

    def handle(self) -> str:
        # Four syllables: 70**4 names, so a million accounts never run the pool dry.
        return self.word(4).capitalize()


@dataclass
class _Account:
    userid: str
    screen_name: str
    hashed: bool = False


@dataclass
class _Outside:
    """An account outside both releases, known only through its retweeted tweets."""

    userid: str
    screen_name: str
    tweets: list[tuple[str, str]]  # (tweet id, text)


@dataclass(slots=True)
class _Tweet:
    author: _Account
    text: str
    hashtags: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    retweet_of: tuple[_Outside, int] | None = None  # (author, index of its tweet)


@dataclass
class _Side:
    """One disclosure before its rows are written: planted tweets first, then the rest."""

    name: str
    accounts: list[_Account]
    hashtags: list[str]
    urls: list[str]
    outside: list[_Outside]
    texts: list[str]
    tweets: list[_Tweet] = field(default_factory=list)


class _Planner:
    """Draws both sides and plants the overlaps."""

    def __init__(self, config: OverlapConfig) -> None:
        self.config = config
        self.rng = random.Random(config.seed)
        self.words = _Words(self.rng)
        self.used_ids: set[str] = set()
        self.tweet_seq = dict.fromkeys(_TWEET_BASE, 0)
        self.planted_texts: list[dict[str, object]] = []

    def tweet_id(self, side: str) -> str:
        self.tweet_seq[side] += 1
        return str(_TWEET_BASE[side] * 10**17 + self.tweet_seq[side])

    def numeric(self, base: str) -> str:
        while True:
            uid = str(_USER_BASE[base] * 10**17 + self.rng.randrange(10**17))
            if uid not in self.used_ids:
                self.used_ids.add(uid)
                return uid

    def hashed(self, salt: str) -> _Account:
        # Each release hashes with its own salt: the salt's letter stands for it here.
        uid = base64.b64encode(self.rng.randbytes(31) + salt.encode()[:1]).decode("ascii")
        return _Account(uid, uid, hashed=True)

    def outside(self, base: str, tweets: int, vocabulary: list[str]) -> _Outside:
        uid = str(_OUTSIDE_BASE[base] * 10**9 + self.rng.randrange(10**9))
        own = [(self.tweet_id("outside"), self.text(vocabulary)) for _ in range(tweets)]
        return _Outside(uid, self.words.handle() + "News", own)

    def text(self, vocabulary: list[str]) -> str:
        return " ".join(self.rng.sample(vocabulary, TEXT_WORDS))

    def side(self, name: str, planted: list[_Account]) -> _Side:
        c, rng, words = self.config, self.rng, self.words
        vocabulary = words.words(300)
        accounts = list(planted)
        for _ in range(c.accounts - len(planted)):
            if rng.random() < c.hashed_share:
                accounts.append(self.hashed(name))
            else:
                accounts.append(_Account(self.numeric(name), words.handle()))
        # Own pools grow with the disclosure, so a large one is not a few hashtags repeated.
        domains = [f"{words.word(3)}-{words.word(3)}.com" for _ in range(max(6, c.tweets // 5000))]
        path = words.word(3)
        urls = [
            f"https://{rng.choice(domains)}/{path}/{n}" for n in range(max(20, c.tweets // 200))
        ]
        outside = [self.outside(name, 4, vocabulary) for _ in range(max(6, c.tweets // 2000))]
        texts = [self.text(vocabulary) for _ in range(max(20, c.tweets // 10))]
        hashtags = words.words(max(10, c.tweets // 1000), 4)
        return _Side(name, accounts, hashtags, urls, outside, texts)

    def fill(self, side: _Side) -> None:
        """Random tweets of the side's own content up to the configured number."""
        c, rng = self.config, self.rng
        while len(side.tweets) < c.tweets:
            author = rng.choice(side.accounts)
            if rng.random() < c.retweet_share:
                target = rng.choice(side.outside)
                side.tweets.append(
                    _Tweet(author, "", retweet_of=(target, rng.randrange(len(target.tweets))))
                )
                continue
            tags = rng.sample(side.hashtags, rng.choice((0, 0, 1, 2)))
            urls = [rng.choice(side.urls)] if rng.random() < 0.3 else []
            side.tweets.append(_Tweet(author, rng.choice(side.texts), tags, urls))


def _plant(planner: _Planner) -> dict[str, _Side]:
    c, rng, words = planner.config, planner.rng, planner.words
    shared_vocabulary = words.words(60)
    shared = [_Account(planner.numeric("shared"), words.handle()) for _ in range(c.shared_accounts)]
    renamed = [
        _Account(planner.numeric("shared"), words.handle()) for _ in range(c.renamed_accounts)
    ]
    namesakes = [words.handle() for _ in range(c.namesakes)]
    decoys = [planner.hashed("X") for _ in range(c.hashed_decoys)]
    a_planted = [
        *shared,
        *renamed,
        *(_Account(planner.numeric("A"), n) for n in namesakes),
        *decoys,
    ]
    b_planted = [
        # every other shared account written in another case in B: names match ignoring case
        *(
            _Account(a.userid, a.screen_name.swapcase() if i % 2 else a.screen_name)
            for i, a in enumerate(shared)
        ),
        *(_Account(a.userid, words.handle()) for a in renamed),
        *(_Account(planner.numeric("B"), n) for n in namesakes),
        *(_Account(a.userid, a.screen_name, hashed=True) for a in decoys),
    ]
    sides = {"A": planner.side("A", a_planted), "B": planner.side("B", b_planted)}
    a, b = sides["A"], sides["B"]
    # Every planted account posts in both disclosures, so each has uses to count.
    for side, planted in ((a, a_planted), (b, b_planted)):
        for account in planted:
            side.tweets.append(_Tweet(account, rng.choice(side.texts)))
    tags = [words.word(3) for _ in range(c.shared_hashtags)]
    for i, tag in enumerate(tags):
        _post(rng, a, hashtags=[tag])
        _post(rng, b, hashtags=[tag.capitalize() if i % 2 else tag])
    for _ in range(c.shared_urls):
        url = f"https://{words.word(2)}-{words.word(2)}.org/{words.word(2)}"
        _post(rng, a, urls=[url])
        _post(rng, b, urls=[url])
    for _ in range(c.shared_domains):
        domain = f"{words.word(2)}{words.word(2)}.net"
        _post(rng, a, urls=[f"https://{domain}/a/{words.word(2)}"])
        _post(rng, b, urls=[f"https://{domain}/b/{words.word(2)}"])
    for _ in range(c.shared_retweeted_tweets):
        target = planner.outside("shared", 1, shared_vocabulary)
        for side in (a, b):
            for _ in range(rng.randint(1, 3)):
                side.tweets.append(_Tweet(rng.choice(side.accounts), "", retweet_of=(target, 0)))
    for _ in range(c.shared_retweeted_accounts):
        target = planner.outside("shared", 2, shared_vocabulary)
        for index, side in enumerate((a, b)):
            side.tweets.append(_Tweet(rng.choice(side.accounts), "", retweet_of=(target, index)))
    b_words = words.words(c.copied_texts)
    for i in range(c.copied_texts):
        source, edit = a.texts[i], TEXT_EDITS[i % len(TEXT_EDITS)]
        named = [account for account in b.accounts if not account.hashed]
        copy = _edited(source, edit, b_words[i], rng.choice(named).screen_name)
        _post(rng, a, text=source)
        for _ in range(rng.randint(1, 2)):
            _post(rng, b, text=copy)
        planner.planted_texts.append(
            {"A": source, "B": copy, "edit": edit, "similarity": text_similarity(edit)}
        )
    return sides


def _post(
    rng: random.Random,
    side: _Side,
    *,
    hashtags: Iterable[str] = (),
    urls: Iterable[str] = (),
    text: str | None = None,
) -> None:
    author = rng.choice(side.accounts)
    side.tweets.append(_Tweet(author, text or rng.choice(side.texts), list(hashtags), list(urls)))


def _edited(text: str, edit: str, new_word: str, mention: str) -> str:
    """B's copy of one of A's texts; what normalising removes (case, links, mentions) always
    changes, so only the edit itself is left to score."""
    words = text.split()
    if edit == "appended":
        words.append(new_word)
    elif edit == "replaced":
        words[len(words) // 2] = new_word
    words[0] = words[0].upper()
    return f"@{mention} {' '.join(words)} https://t.co/{new_word[:6]}"


# -- the files --------------------------------------------------------------------------------


def _user_row(account: _Account) -> tuple[str, ...]:
    if account.hashed:
        return (account.userid, account.userid, account.userid, "", "", "", "0", "0", "", "")
    return (
        account.userid,
        account.screen_name,
        account.screen_name,
        "",
        "",
        "",
        "120",
        "80",
        "2012-05-01",
        "en",
    )


def _python_list(items: Iterable[str]) -> str:
    return "[" + ", ".join(f"'{item}'" for item in items) + "]"


def _tweet_rows(side: _Side, planner: _Planner) -> list[tuple[str, ...]]:
    rng = planner.rng
    rows = []
    for tweet in side.tweets:
        day, minute = rng.randint(1, 28), rng.randrange(24 * 60)
        when = f"{_MONTH[side.name]}-{day:02d} {minute // 60:02d}:{minute % 60:02d}"
        rt_uid = rt_tid = mentions = ""
        text, is_rt = tweet.text, "False"
        if tweet.retweet_of is not None:
            target, index = tweet.retweet_of
            rt_tid, original = target.tweets[index]
            rt_uid, is_rt = target.userid, "True"
            text, mentions = f"RT @{target.screen_name}: {original}", f"[{target.userid}]"
        rows.append(
            (
                planner.tweet_id(side.name),
                *_user_row(tweet.author),
                "en",
                text,
                when,
                "Twitter Web App",
                "",
                "",
                "",
                is_rt,
                rt_uid,
                rt_tid,
                "absent",
                "absent",
                "0.0",
                "0.0",
                "0.0",
                "0.0",
                _python_list(tweet.hashtags),
                _python_list(tweet.urls),
                mentions or "[]",
                "",
            )
        )
    return rows


def _write(path: Path, header: tuple[str, ...], rows: Iterable[tuple[str, ...]]) -> None:
    write_release_csv(path, header, rows)


# -- the truth, from the rows written ---------------------------------------------------------


def _domain(url: str) -> str:
    return url.split("://", 1)[1].split("/", 1)[0].lower()


def _uses(users: list[tuple[str, ...]], tweets: list[tuple[str, ...]]) -> dict[str, Counter[str]]:
    """Each kind's keys in one disclosure, with the tweets using each (0: an account without
    tweets). Hashed accounts are left out: they are comparable only inside one release."""
    col = {name: i for i, name in enumerate(TWEETS_HEADER)}
    hashed = {row[0] for row in users if not row[0].isdigit()}
    kinds = (*TRUTH_KINDS, "hashed_accounts")
    uses: dict[str, Counter[str]] = {kind: Counter() for kind in kinds}
    names = {row[0]: row[2].lower() for row in users}
    for userid, name in names.items():
        kind = "hashed_accounts" if userid in hashed else "accounts"
        uses[kind][userid] += 0
        if userid not in hashed:
            uses["screen_names"][name] += 0
    for row in tweets:
        userid = row[col["userid"]]
        if userid in hashed:
            uses["hashed_accounts"][userid] += 1
        else:
            uses["accounts"][userid] += 1
            uses["screen_names"][names[userid]] += 1
        tags = _listed(row[col["hashtags"]])
        uses["hashtags"].update({tag.lower() for tag in tags})
        urls = set(_listed(row[col["urls"]]))
        uses["urls"].update(urls)
        uses["domains"].update({_domain(url) for url in urls})
        if row[col["is_retweet"]] == "True":
            uses["retweeted_tweets"][row[col["retweet_tweetid"]]] += 1
            uses["retweeted_accounts"][row[col["retweet_userid"]]] += 1
    return uses


def _listed(value: str) -> list[str]:
    inner = value.strip("[]")
    return [item.strip().strip("'") for item in inner.split(",") if item.strip()]


def _truth(
    planner: _Planner,
    users: dict[str, list[tuple[str, ...]]],
    tweets: dict[str, list[tuple[str, ...]]],
) -> dict[str, object]:
    uses = {name: _uses(users[name], tweets[name]) for name in SIDES}
    overlaps: dict[str, dict[str, dict[str, int]]] = {}
    for kind in uses["A"]:
        shared = sorted(uses["A"][kind].keys() & uses["B"][kind].keys())
        overlaps[kind] = {key: {s: uses[s][kind][key] for s in SIDES} for key in shared}
    decoys = overlaps.pop("hashed_accounts")
    names = {s: {row[0]: row[2] for row in users[s]} for s in SIDES}
    renamed = {
        uid: {s: names[s][uid] for s in SIDES}
        for uid in overlaps["accounts"]
        if names["A"][uid].lower() != names["B"][uid].lower()
    }
    text_uses = {
        s: Counter(row[TWEETS_HEADER.index("tweet_text")] for row in tweets[s]) for s in SIDES
    }
    texts = [
        {**planted, "uses": {s: text_uses[s][str(planted[s])] for s in SIDES}}
        for planted in planner.planted_texts
    ]
    truth: dict[str, object] = {
        "config": asdict(planner.config),
        "overlaps": overlaps,
        "renamed": renamed,
        "text": texts,
        "hashed_decoys": sorted(decoys),
        "not_compared": "hashed ids: each release salts its hashes, so equal hashes across "
        "releases are coincidences, not the same account",
    }
    _check_planted(planner.config, truth)
    return truth


def _check_planted(config: OverlapConfig, truth: dict[str, object]) -> None:
    """Every kind overlaps exactly as much as planted: anything more is an accident."""
    overlaps = truth["overlaps"]
    assert isinstance(overlaps, dict)
    expected = {
        "accounts": config.shared_accounts + config.renamed_accounts,
        "screen_names": config.shared_accounts + config.namesakes,
        "hashtags": config.shared_hashtags,
        "urls": config.shared_urls,
        "domains": config.shared_urls + config.shared_domains,
        "retweeted_tweets": config.shared_retweeted_tweets,
        "retweeted_accounts": config.shared_retweeted_tweets + config.shared_retweeted_accounts,
    }
    found = {kind: len(keys) for kind, keys in overlaps.items()}
    renamed = truth["renamed"]
    decoys = truth["hashed_decoys"]
    assert isinstance(renamed, dict) and isinstance(decoys, list)
    if (
        found != expected
        or len(renamed) != config.renamed_accounts
        or len(decoys) != config.hashed_decoys
    ):
        raise RuntimeError(f"overlaps not as planted: expected {expected}, wrote {found}")


def generate_overlapping_pair(
    outdir: str | Path, config: OverlapConfig | None = None
) -> OverlapPair:
    """Write disclosures A and B with planted overlaps, and the truth file, into ``outdir``."""
    config = config or OverlapConfig()
    if config.accounts < config.planted_accounts() + 2:
        raise ValueError(
            f"accounts must be at least {config.planted_accounts() + 2} for the planted ones"
        )
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    planner = _Planner(config)
    sides = _plant(planner)
    users, tweets, files = {}, {}, {}
    for name, side in sides.items():
        planner.fill(side)
        planner.rng.shuffle(side.tweets)
        users[name] = [_user_row(account) for account in side.accounts]
        tweets[name] = _tweet_rows(side, planner)
        stem = f"{config.base}_{name.lower()}"
        files[name] = [out / f"{stem}_users.csv", out / f"{stem}_tweets.csv"]
        _write(files[name][0], USERS_HEADER, users[name])
        _write(files[name][1], TWEETS_HEADER, tweets[name])
    truth = _truth(planner, users, tweets)
    truth["files"] = {name: [p.name for p in paths] for name, paths in files.items()}
    truth_path = out / TRUTH_FILE
    truth_path.write_text(json.dumps(truth, indent=1, sort_keys=True), encoding="utf-8")
    return OverlapPair(files, truth_path, truth)
