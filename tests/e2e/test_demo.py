"""The README's main command: ``infoops demo`` builds everything from scratch, offline."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from infoops.engines import EngineSettings, open_engine


def run_demo(out: Path) -> subprocess.CompletedProcess[str]:
    command = ["demo", str(out), "--accounts", "120", "--tweets", "3000", "-q"]
    result = subprocess.run(
        [sys.executable, "-m", "infoops.cli", *command],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result


def test_demo_builds_data_graph_summary_and_offline_views(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    result = run_demo(out)
    assert "reconciled" in result.stdout and "NOT reconciled" not in result.stdout

    truth = json.loads(next((out / "data").glob("*_truth.json")).read_text(encoding="utf-8"))
    with open_engine(EngineSettings(db=out / "infoops.db"), read_only=True) as engine:
        released = engine.count("MATCH (t:Tweet {in_disclosure: true}) RETURN count(t)")
        accounts = engine.count("MATCH (a:Account {in_disclosure: true}) RETURN count(a)")
    assert released == truth["counts"]["tweet_rows"]
    assert accounts == truth["counts"]["users_rows"]

    for page in ("chains.html", "cascade.html"):
        html = (out / page).read_text(encoding="utf-8")
        assert "infoops demo" in html  # the page says which command produced it
        assert not re.search(r"<(script|link)[^>]+(src|href)=[\"']?(https?:)?//", html)

    # Running it again starts from scratch and gives the same graph.
    run_demo(out)
    with open_engine(EngineSettings(db=out / "infoops.db"), read_only=True) as engine:
        assert engine.count("MATCH (t:Tweet {in_disclosure: true}) RETURN count(t)") == released
