"""Render a Coverage for people and programs: ``render(coverage, fmt) -> str``.

    from samestory.report import render
    render(coverage, "json")   # the documented, versioned Coverage JSON (schema_version inside)
    render(coverage, "md")     # Markdown
    render(coverage, "html")   # a self-contained, side-by-side HTML report (no JS, no external resources)

Article text is untrusted: every renderer escapes it, and ``render`` drops control characters
(``samestory.text.control``).
"""

from __future__ import annotations

from samestory.errors import ArgumentError
from samestory.models import Coverage
from samestory.report.html_report import render_html
from samestory.report.json_report import coverage_document, render_json
from samestory.report.markdown_report import render_markdown
from samestory.text.control import escape_json_controls, printable

__all__ = ["render", "FORMATS", "coverage_document"]

FORMATS = ("json", "md", "html")
_ALIASES = {"markdown": "md", "htm": "html"}


def render(coverage: Coverage, fmt: str = "json", *, profiles=None) -> str:
    """``coverage`` as JSON, Markdown or HTML text. With ``profiles`` (``report.profiles.Profiles``)
    the Markdown and HTML reports show the coverage balance and the blindspot flag.
    Raises ArgumentError (a ValueError) for an unknown format."""
    key = _ALIASES.get(fmt.lower(), fmt.lower())
    # article text may carry terminal escapes and other control characters: none reach the output
    if key == "json":
        return escape_json_controls(render_json(coverage))
    if key == "md":
        return printable(render_markdown(coverage, profiles))
    if key == "html":
        return printable(render_html(coverage, profiles))
    raise ArgumentError("format", f"unknown report format {fmt!r}: use one of {', '.join(FORMATS)}")
