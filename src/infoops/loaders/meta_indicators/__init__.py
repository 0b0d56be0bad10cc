"""Meta's threat indicators (facebook/threat-research), both published layouts."""

from infoops.loaders.meta_indicators.loader import load_indicators

__all__ = ["load_indicators"]
