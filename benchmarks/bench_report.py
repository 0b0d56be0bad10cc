"""How long ``infoops report`` takes on a 1M-tweet release, and how big the page is.

The synthetic release of 1,000,000 tweets by 20,000 accounts (``common.synthetic_release``) is
loaded into a Ladybug database first, kept next to the release in the benchmark cache (the load
takes minutes; ``--reload`` does it again). A load in this run is timed too, but only for
scale: it is not part of the report. Then, on the loaded database opened read-only:

- "summary": ``compute_summary`` alone, the floor: the report's figures include the summary's
  (it is computed once and reused), so the report can never be faster than it; the ratio to it
  is what the rest costs (follower bins, amplified accounts, domains, clusters, and the
  plotting). The load time is also shown as a ratio, for scale, but it is dominated by parsing
  CSV and writing the store, which the report never does;
- "figures": ``compute_report`` (summary + the report's own queries);
- "page": rendering every plot with matplotlib's SVG backend and writing the HTML file;
- matplotlib's import is timed apart, in a fresh process (the CLI pays it once per run).

Each step is run ``--runs`` times and the median is printed. At 1M tweets the summary's
hashtag counts need more than Ladybug's default 512 MiB page cache (the engine says so):

    INFOOPS_LADYBUG_BUFFER_MB=2048 .venv/bin/python benchmarks/bench_report.py \
        [--tweets 1000000] [--accounts 20000] [--runs 3] [--reload]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from common import CACHE, machine, peak_rss_mb, synthetic_release
from infoops.analysis.report import compute_report
from infoops.analysis.summary import compute_summary
from infoops.engines import EngineSettings, open_engine
from infoops.loaders.twitter_io import load_twitter
from infoops.visualisations.report import write_report_html

DISCLOSURE = "bench-report"


def timed(step: Callable[[], Any], runs: int) -> tuple[float, Any]:
    """Median seconds of ``runs`` calls, and the last call's result."""
    seconds, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = step()
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tweets", type=int, default=1_000_000)
    parser.add_argument("--accounts", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--tz", default="Asia/Shanghai")
    parser.add_argument("--reload", action="store_true", help="load the release again")
    args = parser.parse_args()

    release = synthetic_release(args.tweets, args.accounts)
    settings, load_s = loaded_database(release, args.reload)
    with tempfile.TemporaryDirectory(prefix="bench-report-") as folder:
        import_s = matplotlib_import_seconds()
        # Alternately, so that a busy moment of a shared machine weighs on both alike.
        summary_runs, figures_runs = [], []
        with open_engine(settings, read_only=True) as engine:
            for _ in range(args.runs):
                seconds, _ = timed(lambda: compute_summary(engine, DISCLOSURE, tz=args.tz), 1)
                summary_runs.append(seconds)
                seconds, report = timed(lambda: compute_report(engine, [DISCLOSURE], tz=args.tz), 1)
                figures_runs.append(seconds)
        summary_s, figures_s = statistics.median(summary_runs), statistics.median(figures_runs)
        page_path = Path(folder) / "report.html"
        page_s, _ = timed(lambda: write_report_html(report, page_path), args.runs)
        size_mb = page_path.stat().st_size / 1e6
        plots = page_path.read_text("utf-8").count('<figure class="plot"')

    total_s = figures_s + page_s
    buffer_mb = os.environ.get("INFOOPS_LADYBUG_BUFFER_MB", "512")
    print(f"infoops report: {args.tweets:,} tweets, {args.accounts:,} accounts; {machine()}")
    print(f"  Ladybug page cache {buffer_mb} MiB")
    if load_s is not None:
        print(f"  load into Ladybug (not part of the report) {load_s:8.2f} s")
    print(f"  matplotlib import (once per CLI run)       {import_s:8.2f} s")
    print(f"  summary alone (the floor)                  {summary_s:8.2f} s")
    print(f"  report figures (summary + report queries)  {figures_s:8.2f} s")
    print(f"  page: {plots} SVG plots rendered + written    {page_s:8.2f} s")
    print(f"  report total (figures + page)              {total_s:8.2f} s")
    print(f"  page size                                  {size_mb:8.2f} MB")
    against_load = f"; report / load: {total_s / load_s:.2f}x" if load_s else ""
    print(
        f"  report / summary: {total_s / summary_s:.1f}x "
        f"(figures alone {figures_s / summary_s:.2f}x){against_load}"
    )
    print(f"  peak RSS {peak_rss_mb():,.0f} MB; median of {args.runs} runs")


def matplotlib_import_seconds() -> float:
    """What importing the SVG backend costs a fresh process (here it may be imported already)."""
    statement = (
        "import time; t = time.perf_counter(); import matplotlib.backends.backend_svg; "
        "print(time.perf_counter() - t)"
    )
    done = subprocess.run(
        [sys.executable, "-c", statement], capture_output=True, text=True, check=True
    )
    return float(done.stdout)


def loaded_database(release: Path, reload: bool) -> tuple[EngineSettings, float | None]:
    """The release in a Ladybug file of the cache, and the load's seconds if it ran now."""
    folder = CACHE / f"report-db-{release.name}"
    marker = folder / ".complete"
    settings = EngineSettings(db=folder / "graph.db")
    if marker.exists() and not reload:
        return settings, None
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    start = time.perf_counter()
    with open_engine(settings) as engine:
        load_twitter(engine, [release], DISCLOSURE, quarantine_path=folder / "q.csv")
    load_s = time.perf_counter() - start
    marker.touch()
    return settings, load_s


if __name__ == "__main__":
    main()
