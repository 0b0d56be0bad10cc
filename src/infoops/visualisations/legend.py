"""Node colours for a colour choice, and the legend that explains them.

Known roles keep the same colour in every view (an amplifier is always orange); other categories
take a colour-blind-friendly palette in the order the view gives (clusters by number), else in
order of size; past ``MAX_COLOURS`` the last ones are drawn together as one grey "other" entry
rather than reusing colours.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from infoops.visualisations.accounts import (
    EXTERNAL_DISCLOSURE,
    NO_CLUSTER,
    ROLE_AMPLIFIER,
    ROLE_EXTERNAL,
    ROLE_POSTER,
    ROLE_SILENT,
)
from infoops.visualisations.graph_data import TWEET_CATEGORY, ViewNode

# Tableau 10 then its lighter partners: distinguishable, and kind to colour-blind readers.
PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#b07aa1",
    "#76b7b2",
    "#edc948",
    "#9c755f",
    "#ff9da7",
    "#a0cbe8",
    "#ffbe7d",
    "#8cd17d",
    "#d4a6c8",
    "#86bcb6",
    "#f1ce63",
    "#d7b5a6",
    "#fabfd2",
)
MAX_COLOURS = len(PALETTE)
OTHER_COLOUR = "#c7c7c7"
MISSING_COLOUR = "#bab0ac"
FIXED_COLOURS = {
    ROLE_POSTER: "#4e79a7",
    "core": "#4e79a7",
    ROLE_AMPLIFIER: "#f28e2b",
    ROLE_EXTERNAL: "#e15759",
    "organic": "#59a14f",
    ROLE_SILENT: MISSING_COLOUR,
    NO_CLUSTER: MISSING_COLOUR,
    EXTERNAL_DISCLOSURE: "#e15759",
    TWEET_CATEGORY: "#f6e7a1",
}


@dataclass(frozen=True)
class LegendEntry:
    colour: str
    category: str
    count: int


@dataclass
class Legend:
    title: str
    entries: list[LegendEntry]
    colours: dict[str, str]  # node id -> colour
    note: str = ""
    extra: list[str] = field(default_factory=list)  # e.g. "star: the seed account"


def colour_nodes(
    nodes: list[ViewNode], choice: str, *, note: str = "", order: Sequence[str] = ()
) -> Legend:
    """Colour every node by ``node.categories[choice]``; nodes without one are grey.

    Categories in ``order`` take the palette in that order, each keeping its place whether or
    not any node has it: two views given the same order colour a category alike whatever they
    draw of it (cluster 3 is the same colour in the account view and the overview). The other
    categories follow, largest first.
    """
    counts = Counter(node.categories.get(choice, "") for node in nodes)
    ordered = list(dict.fromkeys(order))
    placed = set(ordered)
    rest = sorted(
        (category for category in counts if category not in placed),
        key=lambda category: (-counts[category], category),
    )
    taken = {
        FIXED_COLOURS[category] for category in [*counts, *ordered] if category in FIXED_COLOURS
    }
    free = [colour for colour in PALETTE if colour not in taken]
    by_category: dict[str, str] = {}
    other: list[str] = []
    for category in [*ordered, *rest]:
        if category in FIXED_COLOURS:
            by_category[category] = FIXED_COLOURS[category]
        elif not category:
            by_category[category] = MISSING_COLOUR
        elif free:
            by_category[category] = free.pop(0)
        else:
            other.append(category)
            by_category[category] = OTHER_COLOUR
    ranked = [category for category in ordered if category in counts] + rest
    other = [category for category in other if category in counts]
    entries = [
        LegendEntry(by_category[category], category or "(none)", counts[category])
        for category in ranked
        if category not in other
    ]
    if other:
        entries.append(
            LegendEntry(
                OTHER_COLOUR,
                f"other ({len(other)} smaller categories)",
                sum(counts[category] for category in other),
            )
        )
    colours = {node.id: by_category[node.categories.get(choice, "")] for node in nodes}
    return Legend(title=choice, entries=entries, colours=colours, note=note)
