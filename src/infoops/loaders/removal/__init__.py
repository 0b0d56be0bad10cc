"""Removing a disclosure from the graph (``infoops disclosures remove``)."""

from infoops.loaders.removal.remove import RemovalReport, remove_disclosure

__all__ = ["RemovalReport", "remove_disclosure"]
