"""Shared by the benchmark scripts: a cached synthetic release and resource measurement."""

from __future__ import annotations

import os
import platform
import resource
from pathlib import Path

from infoops.synthetic import SynthConfig, generate_disclosure

CACHE = Path(os.environ.get("INFOOPS_BENCH_CACHE", "/tmp/infoops-bench"))


def synthetic_release(tweets: int, accounts: int, seed: int = 2020) -> Path:
    """Generate once per (tweets, accounts, seed) and reuse: generation is not what we measure."""
    folder = CACHE / f"synth-{tweets}-{accounts}-{seed}"
    marker = folder / ".complete"
    if not marker.exists():
        generate_disclosure(
            folder, SynthConfig(accounts=accounts, tweets=tweets, seed=seed, base="bench_2020")
        )
        marker.touch()
    return folder


def peak_rss_mb() -> float:
    """Peak resident set size of this process (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def machine() -> str:
    return f"{os.cpu_count()} cores, Python {platform.python_version()}, {platform.machine()}"
