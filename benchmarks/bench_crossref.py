"""Cross-reference two 1M-tweet synthetic disclosures, every kind, against loading one of them.

The floor is measured in the same run: loading disclosure A (users and tweets files) into a fresh
Ladybug database. Then B is loaded beside it and ``crossref`` runs every kind (accounts, screen
names, hashtags, URLs, domains, retweeted accounts and tweets, near-identical texts,
indicators). Target (issue 11): crossref within the time of loading one disclosure (ratio <= 1).
The planted overlaps are checked against the truth file, so a fast wrong answer does not pass.

    .venv/bin/python benchmarks/bench_crossref.py                 # 1,000,000 tweets each
    .venv/bin/python benchmarks/bench_crossref.py --tweets 200000 --accounts 5000

The synthetic pair is generated once and cached under $INFOOPS_BENCH_CACHE (/tmp by default);
the database is created fresh each run.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from common import CACHE, machine, peak_rss_mb
from infoops.analysis.crossref import crossref
from infoops.engines import EngineSettings, open_engine
from infoops.loaders.twitter_io import load_twitter
from infoops.synthetic.overlaps import (
    TRUTH_FILE,
    TRUTH_KINDS,
    OverlapConfig,
    generate_overlapping_pair,
)


def overlapping_pair(tweets: int, accounts: int, seed: int) -> Path:
    """Generate once per (tweets, accounts, seed) and reuse: generation is not measured."""
    folder = CACHE / f"overlap-{tweets}-{accounts}-{seed}"
    marker = folder / ".complete"
    if not marker.exists():
        config = OverlapConfig(tweets=tweets, accounts=accounts, seed=seed, base="bench")
        generate_overlapping_pair(folder, config)
        marker.touch()
    return folder


def check(report: Any, truth: dict[str, Any]) -> list[str]:
    """Kinds whose shared keys differ from the planted ones (empty: all as planted)."""
    wrong = []
    for kind in TRUTH_KINDS:
        items = report.kind(kind).items
        found = {item.key for item in items if item.detail.get("match") != "renamed"}
        if found != set(truth["overlaps"][kind]):
            wrong.append(kind)
    if len(report.kind("text").items) != len(truth["text"]):
        wrong.append("text")
    return wrong


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tweets", type=int, default=1_000_000, help="tweets per disclosure")
    parser.add_argument("--accounts", type=int, default=20_000, help="accounts per disclosure")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    folder = overlapping_pair(args.tweets, args.accounts, args.seed)
    truth = json.loads((folder / TRUTH_FILE).read_text(encoding="utf-8"))
    files = {side: [folder / name for name in names] for side, names in truth["files"].items()}
    workdir = Path(tempfile.mkdtemp(prefix="bench-crossref-"))
    try:
        settings = EngineSettings(db=workdir / "graph.db")
        with open_engine(settings) as engine:
            started = time.perf_counter()
            load_twitter(engine, files["A"], "bench-a")
            load_s = time.perf_counter() - started
            load_twitter(engine, files["B"], "bench-b")
        # As `infoops crossref` does: a read-only connection of its own, after the loads.
        started = time.perf_counter()
        with open_engine(settings, read_only=True) as engine:
            report = crossref(engine, ["bench-a", "bench-b"])
        crossref_s = time.perf_counter() - started
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    wrong = check(report, truth)
    print(f"machine: {machine()}")
    print(f"disclosures: 2 x {args.tweets:,} tweets, {args.accounts:,} accounts (Ladybug)")
    print(f"load of one disclosure: {load_s:.1f} s")
    print(f"crossref, all kinds:    {crossref_s:.1f} s")
    print(f"ratio crossref / load:  {crossref_s / load_s:.2f} (target <= 1)")
    print("shared: " + ", ".join(f"{r.kind} {len(r.items)}" for r in report.kinds))
    verdict = "all, nothing else" if not wrong else "WRONG: " + ", ".join(wrong)
    print(f"planted overlaps found: {verdict}")
    print(f"peak RSS: {peak_rss_mb():,.0f} MB")
    if wrong:
        sys.exit(1)


if __name__ == "__main__":
    main()
