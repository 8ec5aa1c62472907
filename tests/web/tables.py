"""Read a result page's tables as a person reads them: each body row's cells by their column."""

from __future__ import annotations

import re
from html.parser import HTMLParser


class _Tables(HTMLParser):
    def __init__(self, css_class: str):
        super().__init__()
        self.css_class = css_class
        self.depth = 0  # inside the wanted table when > 0
        self.section = ""
        self.heads: list[str] = []
        self.rows: list[dict[str, str]] = []
        self.feet: list[dict[str, str]] = []
        self.caption = ""
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._in_caption = False
        self.done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if self.done:
            return
        if tag == "table" and (self.depth or self.css_class in classes):
            self.depth += 1
        if not self.depth:
            return
        if tag in ("thead", "tbody", "tfoot"):
            self.section = tag
        elif tag == "caption":
            self._in_caption = True
        elif tag == "tr":
            self._row = []
        elif tag in ("th", "td"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if not self.depth:
            return
        if tag == "table":
            self.depth -= 1
            self.done = not self.depth
        elif tag == "caption":
            self._in_caption = False
        elif tag in ("th", "td") and self._cell is not None and self._row is not None:
            self._row.append(re.sub(r"\s+", " ", "".join(self._cell)).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if self.section == "thead":
                self.heads = self._row
            else:
                target = self.feet if self.section == "tfoot" else self.rows
                target.append(dict(zip(self.heads, self._row, strict=True)))
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._in_caption:
            self.caption += data
        elif self._cell is not None:
            self._cell.append(data)


def table(html: str, css_class: str) -> _Tables:
    """The first table of that class in the html: `heads`, `rows` and `feet` (each a dict of
    column heading to the cell's text), and its `caption`."""
    parsed = _Tables(css_class)
    parsed.feed(html)
    return parsed


def card(html: str, rank: int) -> str:
    """One design's card of a result page."""
    return html.split(f'id="design-{rank}"', 1)[1].split("</article>", 1)[0]
