"""The shared guards: formula neutralising and file names."""

from __future__ import annotations

import pytest

from advisor.exports import escape_markup, neutralise_formula, safe_filename


@pytest.mark.parametrize(
    "text",
    ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "\n=1", "  =1+1", "＝1+1", '=HYPERLINK("x")'],
)
def test_text_a_spreadsheet_would_run_gets_a_leading_quote(text: str) -> None:
    assert neutralise_formula(text) == "'" + text


@pytest.mark.parametrize(
    "text",
    ["＝1+1", "﹦1+1", "＋1", "﹢1", "－1", "﹣1", "＠SUM(A1)", "﹫SUM(A1)", "|calc", "  |calc", "\u3000=1"],
)
def test_full_width_and_small_look_alikes_and_a_leading_pipe_get_a_leading_quote(text: str) -> None:
    assert neutralise_formula(text) == "'" + text


@pytest.mark.parametrize("text", ["", "Contoso", "1+1", "a=b", "Müller & Co", "'quoted"])
def test_harmless_text_is_left_alone(text: str) -> None:
    assert neutralise_formula(text) == text


def test_markup_is_escaped_and_control_characters_become_spaces() -> None:
    assert escape_markup("<b>x</b> & \t\ry") == "&lt;b&gt;x&lt;/b&gt; &amp;   y"


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        ("Mail HA refresh", "mail-ha-refresh.pdf"),
        ("../../etc/passwd", "etc-passwd.pdf"),
        ("..\\..\\Windows\\win.ini", "windows-win.ini.pdf"),
        ("CON", "con-file.pdf"),
        ("", "quote.pdf"),
        ("...", "quote.pdf"),
        ("Müller GmbH: Q3/Q4 *draft*", "muller-gmbh-q3-q4-draft.pdf"),
        ('evil"; filename=x.exe\r\nX-Header: 1', "evil-filename-x.exe-x-header-1.pdf"),
        ("日本語", "quote.pdf"),
    ],
)
def test_filenames_are_plain_ascii_without_paths(stem: str, expected: str) -> None:
    assert safe_filename(stem, "pdf") == expected


def test_long_filenames_are_cut_and_keep_their_extension() -> None:
    name = safe_filename("x" * 500, "xlsx")
    assert len(name) <= 100 and name.endswith(".xlsx")
