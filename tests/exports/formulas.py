"""A tiny evaluator for the arithmetic formulas the XLSX export writes, so a test can edit a
cell and see what Excel would show (openpyxl reads formulas but does not calculate)."""

from __future__ import annotations

import re
from typing import Any

from openpyxl.workbook.workbook import Workbook

_REF = re.compile(r"(?:'((?:[^']|'')+)'!)?\$?([A-Z]{1,3})\$?(\d+)")
_SUM = re.compile(r"SUM\(([A-Z]+)(\d+):([A-Z]+)(\d+)\)")


def evaluate(book: Workbook, sheet: str, cell: str) -> float:
    """The value of a cell, following formulas made of + - *, SUM over a column range, MAX,
    references to other sheets and the workbook's defined names."""
    value: Any = book[sheet][cell].value
    if not (isinstance(value, str) and value.startswith("=")):
        return float(value)
    expression = value[1:]
    for name, defined in book.defined_names.items():
        expression = re.sub(rf"\b{name}\b", defined.attr_text.replace("$", ""), expression)

    def total(m: re.Match[str]) -> str:
        column, first, last = m.group(1), int(m.group(2)), int(m.group(4))
        return "(" + "+".join(f"{column}{row}" for row in range(first, last + 1)) + ")"

    expression = _SUM.sub(total, expression)

    def ref(m: re.Match[str]) -> str:
        target = m.group(1).replace("''", "'") if m.group(1) else sheet
        return repr(evaluate(book, target, f"{m.group(2)}{m.group(3)}"))

    expression = _REF.sub(ref, expression.replace("Summary!", "'Summary'!"))
    result = eval(expression, {"__builtins__": {}}, {"MAX": max})
    return float(result)
