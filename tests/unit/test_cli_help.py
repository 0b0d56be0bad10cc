"""Every command has help that ends with a runnable example, and the README mentions it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer.main

from infoops.cli.app import app

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def _commands() -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []

    def walk(prefix: str, command: Any) -> None:
        if hasattr(command, "commands"):  # a group (typer bundles its own click)
            for name, sub in command.commands.items():
                walk(f"{prefix} {name}".strip(), sub)
        else:
            found.append((prefix, command))

    walk("", typer.main.get_command(app))
    return found


def test_there_are_commands_to_check() -> None:
    names = {name for name, _ in _commands()}
    assert {"load twitter", "synth", "summary", "demo", "query", "queries run", "chains"} <= names


def test_every_command_has_help_ending_with_an_example() -> None:
    for name, command in _commands():
        text = (command.help or "").strip()
        assert text, f"infoops {name} has no help"
        last = text.splitlines()[-1].strip()
        assert last.startswith("Example: infoops "), f"infoops {name}: help ends with {last!r}"


def test_every_top_level_command_is_in_the_readme() -> None:
    for name, _ in _commands():
        top = name.split()[0]
        assert f"infoops {top}" in README, f"README never shows infoops {top}"
