"""One crossref run: the engine, the disclosures compared, the options, and each disclosure's
tables read once (several kinds use the same tweets)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc

from infoops.analysis.crossref.reading import WHOLE_GRAPH, read
from infoops.engines.base import GraphEngine

DEFAULT_MIN_SIMILARITY = 0.8
DEFAULT_EVIDENCE = 20


@dataclass
class CrossrefContext:
    engine: GraphEngine
    disclosures: list[str]
    min_similarity: float = DEFAULT_MIN_SIMILARITY
    evidence: int = DEFAULT_EVIDENCE  # evidence rows kept per shared thing and disclosure
    _tables: dict[tuple[str, str], pa.Table] = field(default_factory=dict)

    def table(self, what: str, disclosure: str) -> pa.Table:
        key = (what, disclosure)
        if key not in self._tables:
            self._tables[key] = self._read(what, disclosure)
        return self._tables[key]

    def _read(self, what: str, disclosure: str) -> pa.Table:
        if what == "domains":  # the disclosure's links, each URL's domain joined on
            links = self.table("urls", disclosure).rename_columns(["tweetid", "url"])
            domains = self._whole("url_domains")
            joined = links.join(domains, "url", join_type="inner", use_threads=False)
            distinct = joined.group_by(["tweetid", "key"], use_threads=False).aggregate([])
            return distinct.select(["tweetid", "key"])
        if what not in WHOLE_GRAPH:
            return read(self.engine, what, disclosure)
        tweets = self.table("tweets", disclosure).column("tweetid")
        whole = self._whole(what)
        return whole.filter(pc.is_in(whole.column("tweetid"), value_set=tweets))

    def _whole(self, what: str) -> pa.Table:
        key = (what, "")
        if key not in self._tables:
            self._tables[key] = read(self.engine, what, None)
        return self._tables[key]

    def tables(self, what: str) -> dict[str, pa.Table]:
        return {d: self.table(what, d) for d in self.disclosures}
