"""Tables that fit the terminal: long ids shortened in the middle, every column as wide as its
content allows, text wrapped at words, and the columns that cannot fit left out and named.

Rich on its own squeezes every column of a table too wide for the terminal until each is a few
characters wide, so a 44-character hashed id takes six lines and a title wraps every few
letters. Here the widths are planned first, in steps that each give up a little more:

1. every cell whole, if the table fits;
2. hashed ids (base64 or hex, 24 characters or more) as head…tail, which still tells them apart;
3. long numeric ids (tweet ids) the same way, if that makes every column fit;
4. else, with numeric ids whole again, the rightmost columns left out, named in the caption.

Text columns then share the width left; no column is made narrower than its longest word (up to
``UNBROKEN`` characters), so words wrap whole. The full values are always in csv and json.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import Literal

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

ELLIPSIS = "…"
ID_HEAD = 6  # characters kept either side of the ellipsis: 12 of base64 or hex tell ids apart
ID_TAIL = 6
MIN_TEXT = 10  # a text column is never narrower (unless its content is)
MIN_PATH = 30  # a path column: room for a file name
UNBROKEN = 24  # words up to this long are never split across lines
MIN_SQUEEZED = 8  # text narrowed this far before numbers are

# Whole tokens only: a run inside a URL or a path is not an id.
_TOKEN_SPLIT = re.compile(r"""([\s()\[\]{}"',;]+)""")
_HASHED_ID = re.compile(r"[A-Za-z0-9+/_-]{24,}={0,2}")
_NUMERIC_ID = re.compile(r"\d{16,}")

Justify = Literal["left", "right"]
Kind = Literal["text", "path", "whole"]


class Shortening(IntEnum):
    """How much of the cells is given up to fit, in order."""

    none = 0
    hashed_ids = 1
    numeric_ids = 2


@dataclass(frozen=True)
class ColumnSpec:
    """A column: its header, how it aligns, and what its cells are.

    ``text`` wraps at words; ``path`` is cut in the middle to its width, keeping the file name;
    ``whole`` is never wrapped nor cut (short codes, ids a user copies). A column that is
    ``keep`` is never left out."""

    header: str
    justify: Justify = "left"
    kind: Kind = "text"
    keep: bool = False  # never left out: the others give up width instead


def middle_ellipsis(text: str, width: int, *, tail: int | None = None) -> str:
    """``text`` in at most ``width`` characters, its middle replaced by an ellipsis; ``tail``
    characters of the end are kept (default: half)."""
    if len(text) <= width:
        return text
    if width <= 1:
        return text[:width]
    keep = width - 1
    end = keep // 2 if tail is None else max(0, min(tail, keep))
    return text[: keep - end] + ELLIPSIS + (text[-end:] if end else "")


def shorten_path(path: str, width: int) -> str:
    """A file path in at most ``width`` characters: the file name whole if it fits, with as
    much of the start of the path as room allows (the file name is the useful part)."""
    name = path.replace("\\", "/").rsplit("/", 1)[-1]
    if len(name) >= len(path):
        return middle_ellipsis(path, width)
    # The separator before the name is kept, so the result still reads as a path.
    tail = min(len(name) + 1, width - 2)
    return middle_ellipsis(path, width, tail=tail)


def shorten_ids(text: str, level: Shortening) -> str:
    """Each id token in ``text`` (hashed; numeric too at ``numeric_ids``) as head…tail."""
    if level is Shortening.none:
        return text
    parts = _TOKEN_SPLIT.split(text)
    return "".join(_short_token(part, level) for part in parts)


def _short_token(token: str, level: Shortening) -> str:
    if len(token) <= ID_HEAD + ID_TAIL + 1:
        return token
    hashed = (
        _HASHED_ID.fullmatch(token) is not None
        and any(c.isdigit() for c in token)
        and any(c.isalpha() for c in token)
    )
    numeric = level >= Shortening.numeric_ids and _NUMERIC_ID.fullmatch(token) is not None
    if hashed or numeric:
        return token[:ID_HEAD] + ELLIPSIS + token[-ID_TAIL:]
    return token


def fit_table(
    columns: Sequence[ColumnSpec],
    rows: Sequence[Sequence[str]],
    *,
    width: int,
    make_table: Callable[[], Table],
    row_styles: Sequence[str | None] | None = None,
    whole: bool = False,
) -> Table:
    """A table of ``rows`` no wider than ``width``, built on ``make_table()`` (title, box).

    ``whole`` (``--raw``): ids never shortened and no word split, so that every value shown
    can be copied; columns that cannot fit so are left out, and named."""
    levels = [Shortening.none] if whole else list(Shortening)
    every = list(range(len(columns)))
    layouts: list[_Layout] = []
    for level in levels:
        cells = [[shorten_ids(cell, level) for cell in row] for row in rows]
        if layouts and cells == layouts[-1].cells:  # nothing shortened at this level
            layout = layouts[-1]
        else:
            layout = _Layout(columns, cells, make_table, unbroken=None if whole else UNBROKEN)
        if layout.natural_width() <= width:
            return layout.build(layout.natural, every, row_styles)
        if (level is not Shortening.none or whole) and layout.minimum_width(every) <= width:
            return layout.build(layout.share(every, width), every, row_styles)
        layouts.append(layout)
    # Columns must go: numeric ids (which a user copies into a query) stay whole.
    layout = layouts[0] if whole else layouts[Shortening.hashed_ids]
    kept = layout.columns_that_fit(width)
    return layout.build(layout.share(kept, width), kept, row_styles)


class _Layout:
    """Widths of one set of cells: what each column would like, the least it can take."""

    def __init__(
        self,
        columns: Sequence[ColumnSpec],
        cells: list[list[str]],
        make_table: Callable[[], Table],
        *,
        unbroken: int | None,
    ) -> None:
        """``unbroken``: the longest word kept on one line (None: every word)."""
        self.columns = columns
        self.cells = cells
        self.make_table = make_table
        values = [[row[i] for row in cells] for i in range(len(columns))]
        self.natural = [
            _natural([spec.header, *col]) for spec, col in zip(columns, values, strict=True)
        ]
        self.content = [_natural(col) for col in values]
        self.minimum = [
            _minimum(spec, col, nat, unbroken)
            for spec, col, nat in zip(columns, values, self.natural, strict=True)
        ]

    def overhead(self, count: int) -> int:
        """Borders and padding of a table of ``count`` columns in this style."""
        probe = self.make_table()
        for _ in range(count):
            probe.add_column(width=0)
        return Console(width=10_000).measure(probe).maximum

    def natural_width(self) -> int:
        return sum(self.natural) + self.overhead(len(self.columns))

    def minimum_width(self, kept: Sequence[int]) -> int:
        return sum(self.minimum[i] for i in kept) + self.overhead(len(kept))

    def columns_that_fit(self, width: int) -> list[int]:
        """The columns whose minimums fit: those not ``keep`` go from the right first."""
        kept = list(range(len(self.columns)))
        droppable = [i for i in kept if not self.columns[i].keep]
        while len(kept) > 1 and droppable and self.minimum_width(kept) > width:
            kept.remove(droppable.pop())
        return kept

    def share(self, kept: Sequence[int], width: int) -> list[int]:
        """Each kept column's minimum, then the room left shared out evenly: first to the
        columns whose values want more, then to those whose header does (a header wrapped
        over two lines costs less than a value cut). Too little room even for the minimums:
        the widest columns give it up."""
        widths = [self.minimum[i] for i in kept]
        room = width - self.minimum_width(kept)
        if room < 0:
            flexible = [
                self.columns[i].kind != "whole" and self.columns[i].justify == "left" for i in kept
            ]
            return _narrowed(widths, -room, flexible)
        for wants in ([self.content[i] for i in kept], [self.natural[i] for i in kept]):
            room = _fill(widths, wants, room)
        return widths

    def build(
        self,
        widths: Sequence[int],
        kept: Sequence[int],
        row_styles: Sequence[str | None] | None,
    ) -> Table:
        table = self.make_table()
        for n, i in enumerate(kept):
            spec = self.columns[i]
            table.add_column(
                Text(spec.header),
                justify=spec.justify,
                width=widths[n],
                overflow="fold",
                no_wrap=spec.kind == "whole",
            )
        for index, row in enumerate(self.cells):
            shown = [_cut(self.columns[i], row[i], widths[n]) for n, i in enumerate(kept)]
            style = row_styles[index] if row_styles else None
            # Text, never markup: tweet texts contain [brackets] that rich would read as styles.
            table.add_row(*(Text(cell) for cell in shown), style=style)
        left_out = [spec.header for i, spec in enumerate(self.columns) if i not in kept]
        if left_out:
            table.caption = Text(
                f"not shown at this width: {', '.join(left_out)} (--format csv or json has every "
                "column)"
            )
            table.caption_justify = "left"
        return table


def _fill(widths: list[int], wants: list[int], room: int) -> int:
    """Widen ``widths`` towards ``wants`` one character at a time, round the columns, while
    there is room; returns the room left."""
    while room > 0:
        short = [n for n, w in enumerate(widths) if w < wants[n]]
        if not short:
            break
        for n in short[:room]:
            widths[n] += 1
        room -= min(room, len(short))
    return room


def _narrowed(widths: list[int], excess: int, flexible: list[bool]) -> list[int]:
    """``widths`` less ``excess`` characters in all, one at a time from the widest: text and
    paths first (down to ``MIN_SQUEEZED``), numbers and whole values only then."""
    widths = list(widths)
    for _ in range(excess):
        give = [n for n, w in enumerate(widths) if flexible[n] and w > MIN_SQUEEZED]
        give = give or [n for n, w in enumerate(widths) if w > 1]
        if not give:
            break
        widths[max(give, key=lambda n: widths[n])] -= 1
    return widths


def _cut(spec: ColumnSpec, cell: str, width: int) -> str:
    if spec.kind == "path":
        return shorten_path(cell, width)
    if spec.kind == "whole":
        return middle_ellipsis(cell, width)
    return cell


def _natural(values: list[str]) -> int:
    lines = (line for value in values for line in value.splitlines())
    return max((_width(line) for line in lines), default=1) or 1


def _minimum(spec: ColumnSpec, values: list[str], natural: int, unbroken: int | None) -> int:
    header_word = _longest_word([spec.header])
    if spec.kind == "whole":
        return natural
    if spec.kind == "path":
        return min(natural, max(MIN_PATH, header_word))
    word = _longest_word(values)
    kept_whole = word if unbroken is None or word <= unbroken else 0
    # Numbers (right-aligned) never wrap; their header may, at its words.
    floor = 0 if spec.justify == "right" else MIN_TEXT
    return min(natural, max(floor, header_word, kept_whole))


def _longest_word(values: list[str]) -> int:
    return max((_width(word) for value in values for word in value.split()), default=0)


def _width(text: str) -> int:
    """Terminal cells of ``text``; ASCII (most cells of most tables) without rich's lookup."""
    return len(text) if text.isascii() else cell_len(text)
