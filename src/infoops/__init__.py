"""infoops: investigate state-linked information operations as a graph."""

__version__ = "0.1.0"
