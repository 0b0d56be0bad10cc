"""Where the CLI writes: results to stdout, progress and messages to stderr."""

from __future__ import annotations

from rich.console import Console

out = Console(soft_wrap=True)
err = Console(stderr=True)
