"""A damaged input through the command line: exit code 1 and one line naming the file, not the
"aborted" (exit code 130) that an EOFError of a truncated gzip stream used to print."""

from __future__ import annotations

import gzip
from pathlib import Path

from conftest import run_infoops
from infoops.engines import EngineSettings
from twitter_files import REAL_USERS


def test_a_truncated_gzip_is_one_line_naming_the_file_and_exit_code_1(
    tmp_path: Path, engine_settings: EngineSettings
) -> None:
    whole = gzip.compress(REAL_USERS.read_bytes(), mtime=0)
    cut = tmp_path / "china_082019_1_users_csv_hashed.csv.gz"
    cut.write_bytes(whole[: len(whole) // 2])
    command = ["load", "twitter", str(cut), "-d", "x", "-q"]
    result = run_infoops(*command, cwd=tmp_path, settings=engine_settings)
    assert result.returncode == 1, result.stderr
    assert result.stderr == (
        f"error: {cut}: truncated gzip stream: the file ends before its compressed data does\n"
    )
