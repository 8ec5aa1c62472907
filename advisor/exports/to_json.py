"""The comparison as JSON: the same data the other formats show, for tools."""

from __future__ import annotations

import json

from advisor.exports.base import Options, Rendered, quote_filename
from advisor.exports.model import Comparison


def render_json(comparison: Comparison, options: Options) -> Rendered:
    text = json.dumps(comparison.to_dict(), indent=2, ensure_ascii=False)
    # So the document can also sit inside an HTML <script> block unharmed.
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Rendered((text + "\n").encode("utf-8"), "application/json", quote_filename(comparison, "json"))
