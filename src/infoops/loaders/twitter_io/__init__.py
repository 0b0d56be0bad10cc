"""Twitter's information-operations archive (2018-2021): users and tweets CSV files."""

from infoops.loaders.twitter_io.loader import FileReport, LoadProgress, LoadReport, load_twitter

__all__ = ["FileReport", "LoadProgress", "LoadReport", "load_twitter"]
