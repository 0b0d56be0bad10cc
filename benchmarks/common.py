"""Shared by the benchmark scripts: a cached synthetic release and resource measurement."""

from __future__ import annotations

import os
import platform
import resource
import subprocess
import sys
from pathlib import Path

from infoops.engines import EngineSettings
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


SERVER = Path(__file__).parents[1] / "scripts" / "neo4j-server.sh"


def neo4j_server(command: str, *args: str | Path, heap: str, pagecache: str) -> EngineSettings:
    """``scripts/neo4j-server.sh COMMAND ARGS`` (start or import) with this memory; the
    server's address and credentials. A failure ends the benchmark with the script's words."""
    env = os.environ | {"NEO4J_HEAP": heap, "NEO4J_PAGECACHE": pagecache}
    done = subprocess.run(
        ["bash", str(SERVER), command, *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if done.returncode != 0:
        sys.exit(f"neo4j-server.sh {command} failed: {done.stderr.strip()[-2000:]}")
    lines = dict(line.split("=", 1) for line in done.stdout.splitlines() if "=" in line)
    return EngineSettings(
        neo4j_uri=lines["NEO4J_URI"],
        neo4j_user=lines["NEO4J_USERNAME"],
        neo4j_password=lines["NEO4J_PASSWORD"],
    )


def stop_neo4j(home: Path) -> None:
    subprocess.run(["bash", str(SERVER), "stop", str(home)], capture_output=True, check=False)
