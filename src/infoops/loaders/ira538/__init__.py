"""The Clemson / FiveThirtyEight IRA tweets (``IRAhandle_tweets_N.csv``), on the load pipeline."""

from infoops.loaders.ira538.loader import DEFAULT_DISCLOSURE, load_ira538

__all__ = ["DEFAULT_DISCLOSURE", "load_ira538"]
