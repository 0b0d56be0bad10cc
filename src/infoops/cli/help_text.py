"""Help texts that reflow: docstring paragraphs become one line each, for the terminal to wrap.

Typer (0.29) keeps every single line break of a docstring after its first paragraph, so help
written at 100 columns and shown at 80 comes out ragged: a full line, then a word or two, then
a full line. ``reflow_help`` rewrites the help of every command and group of a Typer app once,
before it runs: the lines of a paragraph are joined with spaces; blank lines (paragraph breaks)
stay, as does the break before an ``Example:`` line and every line of a click ``\\b`` block.
"""

from __future__ import annotations

import inspect
import re
from typing import Any

import typer

_OWN_LINE = re.compile(r"^(Example|Examples):")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def reflow(text: str) -> str:
    """``text`` (a docstring) with the lines of each paragraph joined."""
    paragraphs = _PARAGRAPH_BREAK.split(inspect.cleandoc(text))
    return "\n\n".join(_reflow_paragraph(p) for p in paragraphs)


def _reflow_paragraph(paragraph: str) -> str:
    if paragraph.startswith("\b"):  # click's mark for "keep these lines as they are"
        return paragraph
    lines: list[str] = []
    for line in paragraph.splitlines():
        line = line.strip()
        if lines and not _OWN_LINE.match(line):
            lines[-1] += " " + line
        else:
            lines.append(line)
    return "\n".join(lines)


def reflow_help(app: typer.Typer) -> typer.Typer:
    """Reflow the help of ``app``, its commands and its groups, recursively; returns ``app``.
    Help set explicitly (``help=``) is reflowed as well as docstrings. Idempotent."""
    app.info.help = _reflowed(app.info.help)
    callback = app.registered_callback
    if callback is not None:
        if _text(callback.help) is None and _text(app.info.help) is None:
            # The group's help is its callback's docstring: put it where Typer looks first.
            callback.help = inspect.getdoc(callback.callback) or callback.help
        callback.help = _reflowed(callback.help)
    for command in app.registered_commands:
        if command.help is None:
            command.help = inspect.getdoc(command.callback)
        command.help = _reflowed(command.help)
    for group in app.registered_groups:
        group.help = _reflowed(group.help)
        if group.typer_instance is not None:
            reflow_help(group.typer_instance)
    return app


def _text(help_value: object) -> str | None:
    """Help given as text; None for none, or for Typer's "not given" placeholder."""
    return help_value if isinstance(help_value, str) and help_value else None


def _reflowed(help_value: Any) -> Any:
    text = _text(help_value)
    return help_value if text is None else reflow(text)
