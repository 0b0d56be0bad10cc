"""The Clemson / FiveThirtyEight IRA tweets as the load pipeline sees them (loaders/pipeline.py):
Twitter's readers with the 538 header check, the 538 rows parsed into Twitter records, and the
Twitter writer with the 538 mentions and labels, told every author's handle before staging."""

from __future__ import annotations

from infoops.loaders.ira538.columns import KIND
from infoops.loaders.ira538.reader import read_exact, read_fast, recognise
from infoops.loaders.ira538.rows import parse_ira538_chunk
from infoops.loaders.ira538.survey import learn_authors
from infoops.loaders.ira538.writer import Ira538Writer
from infoops.loaders.source_format import SourceFormat, SourceKind

IRA538 = SourceFormat(
    platform="twitter",  # the tweets are Twitter's; the collection is Clemson's
    recognise=recognise,
    kinds=(SourceKind(KIND, parse_ira538_chunk, Ira538Writer.write_tweets),),
    read_fast=read_fast,
    read_exact=read_exact,
    writer=Ira538Writer,
    survey=learn_authors,
)
