"""The Disclosure node every loaded account, tweet and indicator hangs from."""

from __future__ import annotations

import datetime as dt
import re

from infoops.engines.base import GraphEngine, node_table
from infoops.errors import InputFileError
from infoops.loaders.sources import listed_files

UPDATE_LOADED_AT = "MATCH (d:Disclosure {id: $id}) SET d.loaded_at = $now"
READ_SOURCE = "MATCH (d:Disclosure {id: $id}) RETURN d.source"
UPDATE_SOURCE = "MATCH (d:Disclosure {id: $id}) SET d.source = $source"
_VALID_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$")


def check_disclosure_id(disclosure_id: str) -> str:
    if not _VALID_ID.match(disclosure_id):
        raise InputFileError(
            f"disclosure name {disclosure_id!r} is not usable: use letters, digits and _ . : - "
            "(for example twitter-2020-06-china_052020)"
        )
    return disclosure_id


def ensure_disclosure(
    engine: GraphEngine,
    disclosure_id: str,
    *,
    platform: str,
    name: str | None = None,
    released: str | None = None,
    source: str | None = None,
) -> None:
    """Create the Disclosure node once; later loads only refresh ``loaded_at`` and ``source``."""
    check_disclosure_id(disclosure_id)
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    with engine.transaction():
        if engine.existing_keys("Disclosure", [disclosure_id]):
            engine.run(UPDATE_LOADED_AT, {"id": disclosure_id, "now": now})
            if source:  # a later load of more parts: the release lists them all
                earlier = engine.run(READ_SOURCE, {"id": disclosure_id}).scalar()
                merged = listed_files(source.split(", "), earlier)
                engine.run(UPDATE_SOURCE, {"id": disclosure_id, "source": merged})
            return
        engine.insert_nodes(
            "Disclosure",
            node_table(
                "Disclosure",
                {
                    "id": [disclosure_id],
                    "platform": [platform],
                    "name": [name or disclosure_id],
                    "released": [released],
                    "source": [source],
                    "loaded_at": [now],
                },
            ),
        )
