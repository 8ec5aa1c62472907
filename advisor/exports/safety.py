"""Keep untrusted text harmless: spreadsheet formulas, document markup and file names."""

from __future__ import annotations

import re
import unicodedata
from xml.sax.saxutils import escape

# OWASP "CSV injection": a cell whose text starts with one of these may be run as a formula
# by Excel, LibreOffice or Google Sheets, and `|` starts a DDE link in older Excel. LF and the
# full-width and small forms (＝ ﹦ ＋ ﹢ － ﹣ ＠ ﹫ ｜) are added because some spreadsheets
# strip or fold them before deciding; any other character whose compatibility form is one of
# them counts too.
FORMULA_TRIGGERS = frozenset("=+-@|\t\r\n＝﹦＋﹢－﹣＠﹫｜")
_WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def neutralise_formula(text: str) -> str:
    """Text that no spreadsheet will run as a formula: a leading `'` is added when the text
    (or the text after leading white space) starts with =, +, -, @, |, a tab, CR or LF, or a
    look-alike of one of them.

    Only text cells go through here; numbers are written as numbers and never altered.
    """
    if not text:
        return text
    stripped = text.lstrip()
    if _triggers(text[0]) or (stripped and _triggers(stripped[0])):
        return "'" + text
    return text


def _triggers(first: str) -> bool:
    return first in FORMULA_TRIGGERS or unicodedata.normalize("NFKC", first)[:1] in FORMULA_TRIGGERS


def printable(text: str, *, newlines: bool = False) -> str:
    """Text without control characters (tabs and, unless kept, line breaks become spaces)."""
    text = _CONTROL.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " "))
    return text if newlines else text.replace("\n", " ")


def escape_markup(text: str) -> str:
    """Text safe inside a markup paragraph (ReportLab's or HTML): <, > and & escaped,
    control characters turned into spaces."""
    return escape(printable(text))


def slug(text: str, max_length: int = 60) -> str:
    """Lower-case ASCII letters, digits, dots and hyphens only; empty when nothing is left."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    cleaned = re.sub(r"[^a-z0-9.]+", "-", ascii_text.lower())
    cleaned = re.sub(r"\.{2,}", ".", cleaned)
    cleaned = re.sub(r"-{2,}", "-", cleaned).strip(".-")
    return cleaned[:max_length].strip(".-")


def safe_filename(stem: str, extension: str, *, fallback: str = "quote", max_length: int = 100) -> str:
    """A file name safe on every common file system and in a Content-Disposition header:
    ASCII, no path separators, no leading dot, not a reserved Windows device name."""
    ext = slug(extension, 16) or "bin"
    name = slug(stem, max_length - len(ext) - 1) or slug(fallback, 40) or "file"
    if name.split(".")[0] in _WINDOWS_RESERVED:
        name = f"{name}-file"
    return f"{name}.{ext}"
