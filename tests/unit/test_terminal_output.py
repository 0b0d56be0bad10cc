"""What a person sees in an 80-column terminal: tables that fit, ids shortened in the middle (whole
in csv and json), titles wrapped at words, the timing line after the table, help that reflows.

The CLI runs through Typer's CliRunner with ``COLUMNS=80``; what reads a graph runs on both
engines (a small release of hashed and numeric accounts, loaded by ``infoops load twitter``).
"""

from __future__ import annotations

import base64
import copy
import hashlib
import itertools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import typer.main
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from typer.testing import CliRunner, Result

from conftest import engine_args, engine_env
from infoops.cli.app import app
from infoops.cli.help_text import reflow, reflow_help
from infoops.cli.table_fit import (
    ColumnSpec,
    Shortening,
    fit_table,
    middle_ellipsis,
    shorten_ids,
    shorten_path,
)
from infoops.engines import EngineSettings
from infoops.queries import load_library
from twitter_files import account, tweet, write_tweets, write_users

WIDTH = 80
DISCLOSURE = "terminal-test"
# Hashed user ids as the releases spell them: base64 of SHA-256 (44 characters) and hex (64).
BASE64_IDS = [base64.b64encode(hashlib.sha256(f"a{n}".encode()).digest()).decode() for n in (1, 2)]
HEX_ID = hashlib.sha256(b"hex").hexdigest()
NUMERIC_ID = "1180000000000000001"  # 19 digits: short enough to stay whole here
HASHED_IDS = [*BASE64_IDS, HEX_ID]
USERS_FILE = "china_users_csv_hashed.csv"
TWEETS_FILE = "china_tweets_csv_hashed.csv"
ACCOUNTS_QUERY = (
    "MATCH (a:Account)-[:POSTED]->(t:Tweet) RETURN a.userid AS userid, "
    "a.screen_name AS screen_name, a.display_name AS display_name, count(t) AS tweets "
    "ORDER BY userid"
)


def cli(*args: str | Path, settings: EngineSettings | None = None) -> Result:
    """``infoops ARGS`` at 80 columns; ``settings`` adds the options selecting its engine."""
    env: dict[str, str | None] = {"NEO4J_URI": None, "COLUMNS": str(WIDTH)}
    argv = [str(arg) for arg in args]
    if settings is not None:
        argv += engine_args(settings)
        env |= engine_env(settings)
    result = CliRunner().invoke(app, argv, env=env)
    assert result.exit_code == 0, (result.output, result.exception)
    return result


def assert_fits(text: str) -> None:
    wide = [line for line in text.splitlines() if cell_len(line) > WIDTH]
    assert not wide, f"{len(wide)} lines wider than {WIDTH}: {wide[:3]}"


def head_tail(value: str) -> str:
    return value[:6] + "…" + value[-6:]


@dataclass
class Loaded:
    settings: EngineSettings
    load: Result  # the `infoops load twitter` run


@pytest.fixture
def loaded(engine_settings: EngineSettings, tmp_path: Path) -> Loaded:
    """A release of three hashed accounts and one numeric, in a folder whose path alone is
    wider than the table's file column."""
    folder = tmp_path / "a-release-folder-whose-name-is-long" / "twitter_io" / "china_082019"
    people = [account(userid) for userid in HASHED_IDS] + [account(NUMERIC_ID, "numeric_one")]
    write_users(folder / USERS_FILE, people)
    tweets = [
        tweet(str(1_200_000_000_000_000_000 + n), person, tweet_text="a plain sentence of text")
        for n, person in enumerate(people)
    ]
    write_tweets(folder / TWEETS_FILE, tweets)
    quarantine = tmp_path / "quarantine.csv"
    args = ("load", "twitter", folder, "-d", DISCLOSURE, "--quarantine", quarantine, "--quiet")
    return Loaded(engine_settings, cli(*args, settings=engine_settings))


# -- tables on a graph ---------------------------------------------------------------------------


def test_load_report_fits_and_names_each_file(loaded: Loaded) -> None:
    # Fault: the file column cut at its end ("/tmp/pytest-…"), losing the file name, or a
    # count column squeezed away.
    output = loaded.load.output
    assert_fits(output)
    assert USERS_FILE in output and TWEETS_FILE in output
    for header in ("kind", "loaded", "rejected"):
        assert header in output


def test_query_table_shortens_hashed_ids_only_in_the_table(loaded: Loaded) -> None:
    # Fault: 44- and 64-character ids wrapped over several lines of a squeezed column, or
    # shortened where a script reads them (csv, json) or where --raw asks for them whole.
    table = cli("query", ACCOUNTS_QUERY, settings=loaded.settings).stdout
    assert_fits(table)
    for hashed in HASHED_IDS:
        assert head_tail(hashed) in table and hashed not in table
    assert NUMERIC_ID in table  # 19 digits fit: a numeric id is shortened only where needed
    as_csv = cli("query", ACCOUNTS_QUERY, "-f", "csv", "--raw", settings=loaded.settings).stdout
    as_json = json.loads(
        cli("query", ACCOUNTS_QUERY, "-f", "json", settings=loaded.settings).stdout
    )
    assert {row[0] for row in _csv_rows(as_csv)} == {*HASHED_IDS, NUMERIC_ID}
    assert {row["userid"] for row in as_json} == {*HASHED_IDS, NUMERIC_ID}
    raw = cli("query", ACCOUNTS_QUERY, "--raw", settings=loaded.settings).stdout
    assert_fits(raw)
    for hashed in HASHED_IDS:
        assert hashed in raw  # whole and on one line: copyable


def test_timing_line_comes_after_the_rows(loaded: Loaded) -> None:
    # Fault: the timing line (stderr) written before stdout was flushed, so it lands above or
    # inside the rows in a terminal that shows both.
    for output_format in ("table", "csv", "json"):
        result = cli("query", ACCOUNTS_QUERY, "-f", output_format, settings=loaded.settings)
        lines = result.output.rstrip().splitlines()
        last_row = result.stdout.rstrip().splitlines()[-1]
        assert " rows in " in lines[-1], (output_format, lines[-3:])
        assert lines[-2] == last_row, (output_format, lines[-3:])


def _csv_rows(text: str) -> list[list[str]]:
    import csv
    import io

    return list(csv.reader(io.StringIO(text)))[1:]


# -- the canned query list -------------------------------------------------------------------


def test_queries_list_wraps_titles_at_words() -> None:
    # Fault: five squeezed columns, each title cut to a few characters per line ("Accou…").
    output = cli("queries", "list").stdout
    assert_fits(output)
    entries = _list_entries(output)
    queries = list(load_library())
    assert set(entries) == set(queries)
    for query_id in queries:
        title = " ".join(load_library().get_query(query_id).title.split())
        assert entries[query_id].startswith(title), (query_id, entries[query_id])


def _list_entries(output: str) -> dict[str, str]:
    """Each query id and the text of its title column, its lines joined with spaces (a word
    split across lines would come back with a space inside)."""
    lines = [line.replace("│", " ").replace("┃", " ") for line in output.splitlines()]
    header = next(line for line in lines if {"id", "title"} <= set(line.split()))
    column = header.index(" title") + 1
    ids = set(load_library())
    entries: dict[str, list[str]] = {}
    current = None
    for line in lines[lines.index(header) + 1 :]:
        left, right = line[:column].split(), line[column:].strip()
        if left and left[0] in ids:
            current = left[0]
            entries[current] = []
        elif left:
            current = None  # a category heading
        if current is not None and right:
            entries[current].append(right)
    return {key: " ".join(parts) for key, parts in entries.items()}


# -- table fitting, without a graph ------------------------------------------------------------


def test_ids_are_shortened_in_the_middle_and_nothing_else_is() -> None:
    # Fault: a URL, a path or a long word taken for an id; an id cut at its end (the tail is
    # what tells two hashed ids apart as much as the head).
    text = f"(:Account {HEX_ID}) retweeted https://t.co/{'a1' * 15} and {BASE64_IDS[0]}"
    short = shorten_ids(text, Shortening.hashed_ids)
    assert head_tail(HEX_ID) in short and head_tail(BASE64_IDS[0]) in short
    assert f"https://t.co/{'a1' * 15}" in short
    assert (
        shorten_ids("internationalisation" * 2, Shortening.hashed_ids) == "internationalisation" * 2
    )
    assert NUMERIC_ID in shorten_ids(NUMERIC_ID, Shortening.hashed_ids)
    assert shorten_ids(NUMERIC_ID, Shortening.numeric_ids) == head_tail(NUMERIC_ID)
    assert middle_ellipsis("abcdefghij", 5) == "ab…ij"


def test_a_path_keeps_its_file_name() -> None:
    # Fault: a path cut at its end loses the file name, the one part that tells files apart.
    path = "/work/shared/samples/twitter_io/china_082019_1_users_csv_hashed.csv"
    short = shorten_path(path, 44)
    assert len(short) == 44 and short.endswith("/china_082019_1_users_csv_hashed.csv")
    assert short.startswith("/work/")
    assert shorten_path("only_a_file_name_that_is_long.csv", 20).endswith(".csv")


def test_columns_that_cannot_fit_are_left_out_and_named() -> None:
    # Fault: rich squeezing ten columns into 80 characters, a character or two each.
    columns = [ColumnSpec(f"column_number_{n}") for n in range(10)]
    rows = [[f"value {n} with some words" for n in range(10)]]
    table = fit_table(columns, rows, width=WIDTH, make_table=lambda: Table(title="wide"))
    text = _render(table)
    assert_fits(text)
    tokens = set(text.replace("│", " ").replace("┃", " ").split())
    assert "column_number_0" in tokens and {"value", "0", "with", "some", "words"} <= tokens
    caption = " ".join(text.split("not shown at this width:")[1].split())
    assert "column_number_9" in caption


def test_text_columns_wrap_at_words_never_inside_one() -> None:
    # Fault: a text column narrowed below its longest word, so words break mid-way.
    words = "coordinated inauthentic behaviour across several platforms and languages"
    columns = [ColumnSpec("id", kind="whole"), ColumnSpec("title"), ColumnSpec("notes")]
    rows = [["x" * 30, words, words]]
    table = fit_table(columns, rows, width=WIDTH, make_table=Table)
    text = _render(table)
    assert_fits(text)
    tokens = set(text.replace("│", " ").replace("┃", " ").split())
    assert set(words.split()) <= tokens


def _render(table: Table) -> str:
    console = Console(width=WIDTH, color_system=None, record=True, file=_Null())
    console.print(table)
    return console.export_text()


class _Null:
    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass


# -- help ------------------------------------------------------------------------------------


def test_reflow_joins_lines_and_keeps_paragraphs_and_examples() -> None:
    text = """First line
    continues here.

    A paragraph
    over two lines.
    Example: infoops summary

    \bkept
    as is
    """
    assert reflow(text) == (
        "First line continues here.\n\nA paragraph over two lines.\nExample: infoops summary"
        "\n\n\bkept\nas is"
    )


def test_reflow_help_reaches_every_command_and_group() -> None:
    # Fault: a command or group (nested, or with help given as help=) left with its docstring's
    # line breaks. On a copy of the app: this checks reflow_help, not its wiring in cli/app.py.
    reflowed = typer.main.get_command(reflow_help(copy.deepcopy(app)))
    broken = [
        (name, line)
        for name, command in _commands(reflowed)
        for paragraph in (command.help or "").split("\n\n")
        for line in paragraph.splitlines()[1:]
        if not line.startswith("Example:")
    ]
    assert not broken, broken[:5]
    assert len(_commands(reflowed)) > 20


def _commands(command: Any, prefix: str = "infoops") -> list[tuple[str, Any]]:
    found = [(prefix, command)]
    for name, sub in getattr(command, "commands", {}).items():
        found += _commands(sub, f"{prefix} {name}")
    return found


def test_infoops_help_reflows() -> None:
    # Fault: Typer keeps each docstring line break, so a paragraph written at 100 columns
    # shows at 80 as a full line, then a word or two, then a full line. On the app `infoops`
    # runs: passes once cli/app.py applies reflow_help.
    ragged = _ragged_help(app)
    assert not ragged, ragged[:5]


def _ragged_help(typer_app: Any) -> list[tuple[str, str, str]]:
    """(command, line, next line) wherever a help paragraph breaks a line that had room for
    the next word; the break before an ``Example:`` line is meant."""
    found = []
    for name in _command_names(typer_app):
        args = [*name.split(), "--help"]
        result = CliRunner().invoke(typer_app, args, env={"COLUMNS": str(WIDTH)})
        assert result.exit_code == 0, result.output
        lines = result.output.splitlines()
        start = next(i for i, line in enumerate(lines) if line.strip().startswith("Usage:"))
        end = next(i for i, line in enumerate(lines) if line.startswith("╭"))
        text = [line.strip() for line in lines[start + 1 : end]]
        for line, following in itertools.pairwise(text):
            if not line or not following or following.startswith("Example:"):
                continue
            room = WIDTH - 2  # Typer pads the help by one column each side
            if cell_len(line) + 1 + cell_len(following.split()[0]) <= room:
                found.append((name, line, following))
    return found


def _command_names(typer_app: Any) -> list[str]:
    names: list[str] = []

    def walk(prefix: str, command: Any) -> None:
        if hasattr(command, "commands"):
            names.append(prefix)
            for sub_name, sub in command.commands.items():
                walk(f"{prefix} {sub_name}".strip(), sub)
        else:
            names.append(prefix)

    walk("", typer.main.get_command(typer_app))
    return names
