"""Pages must open with the network unplugged: find and strip every external resource tag.

pyvis's own template links Bootstrap from a CDN even with ``cdn_resources='in_line'`` (pyvis
issue #229) and loads vis.js from a CDN with ``'local'`` (#228). infoops renders its own
template, so nothing external should ever be there; this module is the last pass that makes
sure, using a real HTML parser (a regular expression would also match text inside the inlined
vis.js).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

# (tag, attribute) pairs the browser fetches as soon as the page loads.
_FETCHING = {
    ("script", "src"),
    ("link", "href"),
    ("img", "src"),
    ("iframe", "src"),
    ("embed", "src"),
    ("object", "data"),
    ("source", "src"),
    ("audio", "src"),
    ("video", "src"),
}
_INLINE_PREFIXES = ("data:", "#")


@dataclass(frozen=True)
class ExternalReference:
    tag: str
    url: str
    start: int  # offsets of the text to remove (the element, or the start tag of a void one)
    end: int


class _Finder(HTMLParser):
    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self._line_starts = [0] + [match.end() for match in re.finditer("\n", text)]
        self.found: list[ExternalReference] = []
        self._open_script: tuple[str, int] | None = None

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if (tag, name) in _FETCHING and not (value or "").startswith(_INLINE_PREFIXES):
                start = self._offset()
                end = start + len(self.get_starttag_text() or "")
                if tag == "script":
                    self._open_script = (value or "", start)
                else:
                    self.found.append(ExternalReference(tag, value or "", start, end))
                return

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._open_script is not None:
            url, start = self._open_script
            end = self._offset() + len("</script>")
            self.found.append(ExternalReference("script", url, start, end))
            self._open_script = None


def external_references(page: str) -> list[ExternalReference]:
    """Every tag in ``page`` that makes the browser fetch something that is not inline."""
    finder = _Finder(page)
    finder.feed(page)
    finder.close()
    return finder.found


def strip_external_references(page: str) -> tuple[str, list[str]]:
    """``page`` without any externally loaded script, stylesheet, image or frame, and the URLs."""
    found = external_references(page)
    if not found:
        return page, []
    parts, cursor = [], 0
    for ref in sorted(found, key=lambda r: r.start):
        parts.append(page[cursor : ref.start])
        cursor = max(cursor, ref.end)
    parts.append(page[cursor:])
    return "".join(parts), [ref.url for ref in found]
