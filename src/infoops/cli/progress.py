"""The progress bar every long command shows: on stderr, gone when done, none with --quiet."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.progress import Progress, ProgressColumn

from infoops.cli.console import err


@contextmanager
def progress_bar(quiet: bool, *columns: str | ProgressColumn) -> Iterator[Progress | None]:
    """A transient bar on stderr made of ``columns`` (stdout stays the result), or None."""
    if quiet:
        yield None
        return
    with Progress(*columns, console=err, transient=True) as bar:
        yield bar
