"""Errors a user of the views can act on (printed by the CLI as one line)."""

from __future__ import annotations

from infoops.errors import InfoopsError


class ViewError(InfoopsError):
    """A view cannot be built as asked: unknown seed, bad depth, unknown colour choice, ..."""


class NotFoundError(ViewError):
    """The account or tweet a view starts from is not in the graph."""
