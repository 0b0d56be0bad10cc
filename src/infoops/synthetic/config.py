"""What to generate: ``SynthConfig``, the harder presets and the limits a config must respect."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

__all__ = [
    "COORDINATION_MIN_SHARED",
    "COORDINATION_WINDOW_S",
    "DIFFICULTIES",
    "PLANTED_METHODS",
    "SynthConfig",
    "min_accounts",
    "planted_rows",
    "role_sizes",
    "validate",
]

# the truth file's co-retweet pairs, and the window every planted coordination event fits in
COORDINATION_WINDOW_S = 60
COORDINATION_MIN_SHARED = 3
PLANTED_METHODS: tuple[str, ...] = (
    "co-retweet",
    "co-tweet",
    "co-similar-tweet",
    "co-link",
    "co-domain",
    "co-hashtag",
    "co-mention",
    "co-reply",
)


@dataclass(frozen=True)
class SynthConfig:
    """What to generate. Every released account is in the users file.

    The last four fields make the release harder to read; at their defaults the files are
    those of the plain generator, byte for byte:

    - ``noise``: the share of every clustered account's retweets, replies and quotes that go
      to a tweet of another cluster (outside its cluster and its squad), at random times;
    - ``size_spread``: cluster ``c`` gets a share of the accounts in proportion to
      ``(1 - size_spread) ** c`` (0: clusters of equal size);
    - ``planted_groups`` groups of ``planted_group_size`` core or amplifier accounts per
      coordination method (``PLANTED_METHODS``), each group sharing that method's object
      three times within 30 seconds (recorded as ``planted_coordination`` in the truth file).
    """

    accounts: int = 300
    tweets: int = 5000
    seed: int = 7
    base: str = "synth_2020"
    clusters: int = 4
    tweet_parts: int = 1
    hashed_share: float = 0.35
    start: str = "2019-10-01"
    end: str = "2020-04-30"
    noise: float = 0.0
    size_spread: float = 0.0
    planted_groups: int = 0
    planted_group_size: int = 3


DIFFICULTIES: dict[str, dict[str, Any]] = {
    "default": {},
    # 15% of every clustered account's reactions go to another cluster's content: about 20%
    # of the retweets, replies and quotes between clustered accounts cross clusters (default:
    # about 1.5%). Leiden on the released accounts' retweet graph still finds the four
    # clusters (NMI 0.95-1.0 from 300 accounts and 5,000 tweets up).
    "noisy": {"noise": 0.15, "planted_groups": 2},
    # eight clusters, each about half the size of the one before: the smallest holds 2-3% of
    # the clustered accounts (default: four clusters of 25% each), and 5% noise, so about 8%
    # of the reactions cross clusters. Leiden as above: NMI 0.95-1.0.
    "small-clusters": {"clusters": 8, "size_spread": 0.5, "noise": 0.05, "planted_groups": 2},
}


def role_sizes(config: SynthConfig) -> tuple[int, int, int]:
    """(core, amplifier, organic) account counts."""
    n = config.accounts
    n_core = max(2 * config.clusters, round(n * 0.10))
    n_org = max(1, round(n * 0.04))
    return n_core, n - n_core - n_org, n_org


def min_accounts(clusters: int) -> int:
    """Fewest accounts that hold ``clusters`` clusters (core, 3 amplifiers each, organic)."""
    n = 5 * clusters + 1
    while True:
        _, n_amp, _ = role_sizes(SynthConfig(accounts=n, clusters=clusters))
        if n_amp >= 3 * clusters:
            return n
        n += 1


def planted_rows(config: SynthConfig) -> int:
    """Rows the planted coordination takes: every member posts once per event."""
    return (
        len(PLANTED_METHODS)
        * config.planted_groups
        * config.planted_group_size
        * COORDINATION_MIN_SHARED
    )


def validate(config: SynthConfig) -> None:
    """Raise ValueError, saying which limit, for a config the generator cannot honour."""
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
    _validate_difficulty(config)
    if not config.base or any(c in config.base for c in "/\\"):
        raise ValueError(f"base must be a plain file-name prefix, got {config.base!r}")
    try:
        start, end = date.fromisoformat(config.start), date.fromisoformat(config.end)
    except ValueError as exc:
        raise ValueError(f"start and end must be YYYY-MM-DD dates: {exc}") from None
    if start < date(2011, 1, 1) or end < start:
        raise ValueError(f"need 2011-01-01 <= start <= end, got {config.start} .. {config.end}")


def _validate_difficulty(config: SynthConfig) -> None:
    if not 0.0 <= config.noise <= 0.9:
        raise ValueError(f"noise must be between 0 and 0.9, got {config.noise}")
    if not 0.0 <= config.size_spread < 1.0:
        raise ValueError(f"size_spread must be at least 0 and below 1, got {config.size_spread}")
    if config.planted_groups < 0:
        raise ValueError(f"planted_groups must be at least 0, got {config.planted_groups}")
    if not config.planted_groups:
        return
    n_core, n_amp, _ = role_sizes(config)
    largest = min(8, n_core + n_amp)  # one edit word per member for co-similar-tweet
    if not 2 <= config.planted_group_size <= largest:
        raise ValueError(
            f"planted_group_size must be between 2 and {largest}, got {config.planted_group_size}"
        )
    rows = planted_rows(config)
    if rows > config.tweets // 5:
        raise ValueError(
            f"{rows} planted coordination rows are too many for {config.tweets} tweets "
            "(at most a fifth of them)"
        )
