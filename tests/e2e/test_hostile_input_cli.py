"""A damaged input through the command line: exit code 1 and one line naming the file, not the
"aborted" (exit code 130) that an EOFError of a truncated gzip stream used to print."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
from pathlib import Path

from conftest import engine_args, engine_env
from infoops.engines import EngineSettings
from twitter_files import REAL_USERS


def test_a_truncated_gzip_is_one_line_naming_the_file_and_exit_code_1(
    tmp_path: Path, engine_settings: EngineSettings
) -> None:
    whole = gzip.compress(REAL_USERS.read_bytes(), mtime=0)
    cut = tmp_path / "china_082019_1_users_csv_hashed.csv.gz"
    cut.write_bytes(whole[: len(whole) // 2])
    env = {key: value for key, value in os.environ.items() if not key.startswith("NEO4J_")}
    env |= {key: value for key, value in engine_env(engine_settings).items() if value is not None}
    command = ["load", "twitter", str(cut), "-d", "x", "-q", *engine_args(engine_settings)]
    result = subprocess.run(
        [sys.executable, "-m", "infoops.cli", *command],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        check=False,
        env=env,
    )
    assert result.returncode == 1, result.stderr
    assert result.stderr == (
        f"error: {cut}: truncated gzip stream: the file ends before its compressed data does\n"
    )
