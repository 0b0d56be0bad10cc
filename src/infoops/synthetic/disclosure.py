"""``generate_disclosure``: build a release's accounts and tweets, write its files and truth."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from infoops.synthetic.activity import Activity
from infoops.synthetic.config import SynthConfig, validate
from infoops.synthetic.content import build_groups
from infoops.synthetic.externals import Externals, external_tweet_count
from infoops.synthetic.ids import SEQ_MASK, SnowflakeIds
from infoops.synthetic.population import Population
from infoops.synthetic.timeline import Timeline
from infoops.synthetic.truth import build_truth
from infoops.synthetic.writer import row_order, write_tweets, write_users

__all__ = ["SynthResult", "generate_disclosure"]


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
    validate(config)
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    # one random stream for everything, drawn in this order: same seed, same files
    rng = random.Random(config.seed)
    timeline = Timeline(config.start, config.end)
    ids = SnowflakeIds(rng, remember=config.tweets + external_tweet_count(config) > SEQ_MASK)
    pop = Population(config, rng, timeline)
    pop.build()
    ext = Externals(config, rng)
    ext.build(timeline, ids, {n.lower() for n in pop.name})
    groups = build_groups(
        config.clusters,
        [[(pop.name[a], pop.numeric[a]) for a in core[:12]] for core in pop.core_by_cluster],
        [(pop.name[a], pop.numeric[a]) for a in pop.organic[:6]],
    )
    activity = Activity(config, rng, timeline, pop, ext, groups, ids)
    activity.build()
    order = row_order(activity, rng)
    users_path = out / f"{config.base}_users_csv_hashed.csv"
    write_users(users_path, activity)
    if config.tweet_parts == 1:
        tweet_paths = [out / f"{config.base}_tweets_csv_hashed.csv"]
    else:
        tweet_paths = [
            out / f"{config.base}_tweets_csv_hashed_{i}.csv"
            for i in range(1, config.tweet_parts + 1)
        ]
    write_tweets(tweet_paths, activity, order, progress)
    truth = build_truth(activity)
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
        external_accounts=len(ext.userid),
        coordinated_pairs=len(truth["coordinated_pairs"]),
        config=config,
    )
