"""What of a report's text is the report: the text up to the republishing site's disclaimer. Plain strings only, so
drafting needs no RDF library to use it."""

from __future__ import annotations

DISCLAIMER = "免責聲明"


def report_body(text: str) -> str:
    """The text up to the republishing site's disclaimer, which is not part of the report."""
    i = text.find(DISCLAIMER)
    return text if i < 0 else text[:i]
