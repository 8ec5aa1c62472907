"""What a renderer gets and gives: render options, the rendered file, and its file name."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from advisor.exports.model import Comparison
from advisor.exports.safety import safe_filename, slug

Paper = Literal["A4", "Letter"]
PAPERS: tuple[Paper, ...] = ("A4", "Letter")


@dataclass(frozen=True)
class Options:
    """Presentation choices: the paper size of the PDF and of the spreadsheet's print set-up."""

    paper: Paper = "A4"


@dataclass(frozen=True)
class Rendered:
    content: bytes
    media_type: str
    filename: str

    def headers(self) -> dict[str, str]:
        """HTTP headers for a download (the filename is already plain ASCII)."""
        return {
            "Content-Type": self.media_type,
            "Content-Disposition": f'attachment; filename="{self.filename}"',
            "Content-Length": str(len(self.content)),
        }


def quote_filename(comparison: Comparison, extension: str, kind: str = "quote") -> str:
    """customer-project-quote-YYYY-MM-DD.ext, each free-text part cut short and sanitised."""
    h = comparison.header
    who = "-".join(p for p in (slug(h.customer, 24), slug(h.project, 40)) if p)[:50].strip(".-")
    return safe_filename(f"{who or 'exchange-ha'}-{kind}-{h.date}", extension)
