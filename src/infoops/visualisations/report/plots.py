"""The report's plots: matplotlib figures rendered by its SVG backend, as inline ``<svg>`` text.

No pyplot (no global figure state, no display backend): each plot is a ``Figure`` drawn on a
``FigureCanvasSVG``. Text stays text (``svg.fonttype = none``): smaller pages, selectable
labels, and the browser's fonts draw the Chinese, Russian or Arabic of a hashtag. Text from the
data is escaped by matplotlib's XML writer; ``text.parse_math`` is off so that a ``$`` in a
hashtag is a dollar sign and not TeX. Each figure gets its own ``svg.hashsalt``, so the ids of
clip paths and glyph definitions cannot clash between the plots of one page, and the same data
gives the same SVG. matplotlib is imported inside the functions: the CLI starts without it.
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import datetime as dt

    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

INK, MUTED, BAR, BURST, LINE = "#1f2328", "#57606a", "#6e8fb5", "#cf222e", "#8250df"
WIDTH_IN, HEIGHT_IN = 6.4, 3.0
LABEL_CHARS = 32  # longer names are cut in the plots (the tables below them have them whole)
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.DOTALL)
FONT = ["DejaVu Sans", "Noto Sans CJK SC", "Noto Sans", "sans-serif"]


@contextmanager
def _style(salt: str) -> Iterator[None]:
    from matplotlib import rc_context

    settings: Any = {  # typed Any: the stubs want literal keys, one by one
        "svg.fonttype": "none",
        "svg.hashsalt": salt,
        "text.parse_math": False,
        "text.usetex": False,
        "font.family": "sans-serif",
        "font.sans-serif": FONT,
        "font.size": 9,
        "axes.edgecolor": MUTED,
        "axes.labelcolor": INK,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "xtick.color": MUTED,
        "ytick.color": MUTED,
    }
    with rc_context(settings), warnings.catch_warnings():
        # A label in a script DejaVu Sans lacks: the browser draws it, matplotlib only sizes it.
        warnings.filterwarnings("ignore", message=r".*[Gg]lyph .* missing from font")
        yield


def _figure(height: float = HEIGHT_IN) -> tuple[Figure, Axes]:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH_IN, height), layout="constrained")
    return figure, figure.add_subplot()


def _svg(figure: Figure) -> str:
    from matplotlib.backends.backend_svg import FigureCanvasSVG

    buffer = io.StringIO()
    FigureCanvasSVG(figure).print_svg(buffer, metadata={"Date": None})
    text = buffer.getvalue()
    text = text[text.index("<svg") :]  # no XML prolog or DOCTYPE inside an HTML page
    # The RDF metadata block holds only a creator link and a licence URI.
    return _METADATA.sub("", text, count=1)


def short(label: str, limit: int = LABEL_CHARS) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def bar_plot(
    labels: Sequence[str],
    counts: Sequence[int],
    *,
    salt: str,
    xlabel: str,
    ylabel: str,
    highlight: Sequence[bool] = (),
    highlight_label: str = "",
) -> str:
    """Vertical bars over categories (hours, weekdays, bins), highlighted ones in red."""
    with _style(salt):
        figure, axes = _figure()
        colours = [BURST if hit else BAR for hit in highlight] if highlight else BAR
        axes.bar(range(len(labels)), counts, color=colours, width=0.8)
        axes.set_xticks(range(len(labels)), [short(label, 12) for label in labels])
        if len(labels) > 12:
            for tick in axes.get_xticklabels():
                tick.set_rotation(60)
                tick.set_horizontalalignment("right")
        axes.set_xlabel(xlabel)
        axes.set_ylabel(ylabel)
        if highlight_label and any(highlight):
            _legend(axes, highlight_label)
        return _svg(figure)


def ranked_plot(labels: Sequence[str], values: Sequence[int], *, salt: str, xlabel: str) -> str:
    """Horizontal bars, the first item on top: a top list."""
    rows = len(labels)
    with _style(salt):
        figure, axes = _figure(height=max(1.6, 0.8 + 0.22 * rows))
        axes.barh(range(rows), values, color=BAR, height=0.7)
        axes.set_yticks(range(rows), [short(label) for label in labels])
        axes.invert_yaxis()
        axes.set_xlabel(xlabel)
        return _svg(figure)


def timeline_plot(
    periods: Sequence[dt.date],
    counts: Sequence[int],
    *,
    salt: str,
    bar_days: float,
    ylabel: str,
    bursts: Sequence[bool],
    burst_label: str,
    threshold: float | None = None,
) -> str:
    """Counts over calendar time (days or months); bursts red, with a marker above each so
    that a one-day burst stays visible across a decade."""
    with _style(salt):
        figure, axes = _figure()
        colours = [BURST if hit else BAR for hit in bursts]
        axes.bar(_dates(periods), counts, width=bar_days, color=colours, align="edge")
        hits = [(p, c) for p, c, hit in zip(periods, counts, bursts, strict=True) if hit]
        if hits:
            axes.plot(
                _dates([p for p, _ in hits]),
                [c for _, c in hits],
                linestyle="none",
                marker="v",
                markersize=5,
                color=BURST,
                label=burst_label,
            )
            axes.legend(loc="upper left", frameon=False)
        if threshold is not None:
            axes.axhline(threshold, color=MUTED, linewidth=0.8, linestyle=":")
        axes.set_ylabel(ylabel)
        _date_axis(axes)
        return _svg(figure)


def share_plot(
    periods: Sequence[dt.date],
    totals: Sequence[int],
    shares: Sequence[float],
    *,
    salt: str,
    total_label: str,
    share_label: str,
) -> str:
    """Grey bars of a total per month, and a line of a share (0-100 %) on its own axis."""
    with _style(salt):
        figure, axes = _figure()
        axes.bar(_dates(periods), totals, width=27, color="#d0d7de", align="edge")
        axes.set_ylabel(total_label)
        share_axes: Any = axes.twinx()
        share_axes.spines["right"].set_visible(True)
        share_axes.plot(
            _dates([_middle(p) for p in periods]), shares, color=LINE, marker="o", markersize=3
        )
        share_axes.set_ylim(0, 100)
        share_axes.set_ylabel(share_label, color=LINE)
        _date_axis(axes)
        return _svg(figure)


def _dates(days: Sequence[dt.date]) -> Any:
    import numpy as np

    return np.asarray(days, dtype="datetime64[D]")


def _middle(period: dt.date) -> dt.date:
    import datetime as dt

    return period + dt.timedelta(days=14)


def _date_axis(axes: Axes) -> None:
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

    locator = AutoDateLocator(maxticks=8)
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))


def _legend(axes: Axes, label: str) -> None:
    from matplotlib.patches import Patch

    axes.legend(handles=[Patch(color=BURST, label=label)], loc="upper left", frameon=False)
