"""Every author's handle and id, read from all the files before any row is staged.

The 538 set has no users file, and its files are sorted by author: a retweet (``RT @name:``) or
a mention of an IRA account whose rows come later, in the same file or the next, would otherwise
name an account keyed ``@name`` beside the real one. The files are read once more for this, by
the same readers (a file with a malformed record on the exact one, whose rejections are not
kept: the load proper quarantines them).
"""

from __future__ import annotations

from collections.abc import Iterator

import pyarrow.compute as pc

from infoops.loaders.ira538.columns import COLUMN
from infoops.loaders.ira538.reader import read_exact, read_fast
from infoops.loaders.ira538.writer import Ira538Writer
from infoops.loaders.load_report import ReadCounts
from infoops.loaders.quarantine import Quarantine
from infoops.loaders.source_format import MalformedFile
from infoops.loaders.sources import InputFile
from infoops.loaders.twitter_io.reader import RawChunk

_SURVEY_ROWS = 200_000


def learn_authors(writer: Ira538Writer, files: list[InputFile]) -> None:
    for source in files:
        for chunk in _chunks(source):
            handles = pc.utf8_lower(pc.utf8_trim_whitespace(chunk.table.column(COLUMN["author"])))
            ids = pc.utf8_trim_whitespace(chunk.table.column(COLUMN["alt_external_id"]))
            usable = pc.and_(pc.not_equal(handles, ""), pc.utf8_is_digit(ids))
            writer.learn_authors(handles.filter(usable).to_pylist(), ids.filter(usable).to_pylist())


def _chunks(source: InputFile) -> Iterator[RawChunk]:
    try:
        yield from read_fast(source, ReadCounts(), chunk_rows=_SURVEY_ROWS)
        return
    except MalformedFile:
        pass
    yield from read_exact(source, Quarantine(None), ReadCounts(), chunk_rows=_SURVEY_ROWS)
