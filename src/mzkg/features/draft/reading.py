"""Reading a report file: plain text in any common Chinese encoding, or an HTML page.

The encoding of a text file is detected by charset-normalizer (UTF-8, GB18030/GBK, Big5, …); the article text of
an HTML page is extracted by trafilatura. Line endings become `\\n` and surrounding blank lines are dropped; the
result is the exact text the draft annotates and writes beside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ...core.errors import LoadError

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}


@dataclass(frozen=True)
class Document:
    text: str
    encoding: str  # the encoding the bytes were read in
    kind: str  # "text" or "html"


def _decode(raw: bytes) -> tuple[str, str]:
    """The text and the encoding it was read in: UTF-8 (with or without a byte-order mark) when the bytes are
    UTF-8, else what charset-normalizer finds among GB18030, Big5 and UTF-16."""
    from charset_normalizer import from_bytes  # noqa: PLC0415 - the draft extra, loaded by mzkg draft only

    body = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    try:
        return body.decode("utf-8"), "utf_8_sig" if body is not raw else "utf_8"
    except UnicodeDecodeError:
        pass  # a mark that lies, or another encoding: detect it
    best = from_bytes(body, cp_isolation=["gb18030", "big5", "big5hkscs", "utf_16", "utf_8"]).best()
    if best is None:
        raise LoadError("cannot tell its text encoding (tried UTF-8, GB18030, Big5)")
    return str(best), best.encoding


def _looks_like_html(path: Path, text: str) -> bool:
    head = text.lstrip()[:200].lower()
    return path.suffix.lower() in HTML_SUFFIXES or head.startswith(("<!doctype html", "<html"))


def read_document(path: Path) -> Document:
    """The text of a report file, and how it was read. A file that is neither readable text nor a page with an
    article is a LoadError (the caller names the file)."""
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise LoadError(f"cannot read ({e.strerror})") from None
    if not raw.strip():
        raise LoadError("the file is empty")
    text, encoding = _decode(raw)
    kind = "text"
    if _looks_like_html(path, text):
        import trafilatura  # noqa: PLC0415 - the draft extra

        extracted = trafilatura.extract(text, include_comments=False, include_tables=False, favor_recall=True)
        if not extracted or "。" not in extracted:
            raise LoadError("no article text found in this HTML page")
        text, kind = extracted, "html"
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u3000", " ")
    lines = [line.rstrip() for line in text.split("\n")]
    text = "\n".join(line for line in lines if line.strip()) + "\n"
    if "\x00" in text:
        raise LoadError("this is not a text file")
    return Document(text, encoding, kind)
