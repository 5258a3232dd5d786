"""Stages *read* and *clean*: a report file into the exact text the draft annotates.

Read: plain text in any common Chinese encoding (charset-normalizer: UTF-8, GB18030/GBK, Big5, …), or an HTML
page whose article text trafilatura extracts (with its title and date when the page gives them); a table's rows
become lines with their cells between ` | `, so a column per year stays a column. Clean: line endings, page
chrome (navigation, counters, share buttons), pinyin glosses inside words (鄉(xiāng)鎮), and characters that
would mislead a reader (bidi overrides, zero-width and control characters). The result is the text the draft
annotates and writes beside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ...core.errors import LoadError

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
MAX_BYTES = 4 * 1024 * 1024  # a report is a few kB; a file past this is not one (--max-size raises it)

CHROME = re.compile(
    r"^\s*(?:首[頁页]|[当當]前位置|您的位置|[瀏浏][覽览]次[數数]|[阅閱][读讀]次[数數]|[点點]击[数數]|點擊數|分享到|打印本[页頁]|"
    r"[关關][闭閉][窗]口|【字[体體]|字[号號][:：]|更多\s*$|返回[顶頂]部|上一篇|下一篇|[扫掃]一[扫掃]|[责責]任[编編][辑輯]|"
    r"[访訪][问問][量]|[收]藏本[页頁]|网站地图|網站地圖|版[权權]所有)"
)
PINYIN_GLOSS = re.compile(r"[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,8}[)）]")
MISLEADING = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class Document:
    text: str
    encoding: str  # the encoding the bytes were read in
    kind: str  # "text" or "html"
    title: str | None = None  # the page's title, when an HTML page gives one
    date: str | None = None  # the page's date (ISO), when an HTML page gives one
    cleaned: list[str] = field(default_factory=list)  # what cleaning removed, for the review notes


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


def _tables_as_lines(html: str) -> str:
    """Each table row as one paragraph of its cells joined by ` | ` (trafilatura would give a cell a line)."""
    if "<table" not in html.lower():
        return html
    import lxml.html  # type: ignore[import-untyped]  # noqa: PLC0415 - comes with trafilatura, the draft extra

    try:
        root = lxml.html.document_fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return html
    for table in root.iter("table"):
        rows = []
        for tr in table.iter("tr"):
            cells = [" ".join(c.text_content().split()) for c in tr if c.tag in ("td", "th")]
            if any(cells):
                rows.append(" | ".join(cells))
        replacement = lxml.html.fromstring("<div>" + "".join("<p></p>" for _ in rows) + "</div>")
        for p, row in zip(replacement, rows, strict=True):
            p.text = row
        table.getparent().replace(table, replacement)
    return str(lxml.html.tostring(root, encoding="unicode"))


def _html(text: str) -> tuple[str, str | None, str | None]:
    import trafilatura  # noqa: PLC0415 - the draft extra

    doc = trafilatura.bare_extraction(
        _tables_as_lines(text), with_metadata=True, include_tables=True, include_comments=False, favor_recall=True
    )
    body = getattr(doc, "text", None) if doc is not None else None
    if not body or not re.search(r"[\u4e00-\u9fff]", body):
        raise LoadError("no article text found in this HTML page")
    return body, getattr(doc, "title", None), getattr(doc, "date", None)


def clean(text: str) -> tuple[str, list[str]]:
    """The text without page chrome, pinyin glosses and misleading characters; and what was removed."""
    removed: list[str] = []
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u3000", " ").replace("\t", " | ")
    if MISLEADING.search(text):
        removed.append("control, zero-width or bidi characters")
        text = MISLEADING.sub("", text)
    glosses = PINYIN_GLOSS.findall(text)
    if glosses:
        removed.append("pinyin glosses " + " ".join(dict.fromkeys(glosses)))
        text = PINYIN_GLOSS.sub("", text)
    lines = []
    for line in text.split("\n"):
        line = line.rstrip()
        if not line.strip():
            continue
        if CHROME.match(line) and "。" not in line:
            removed.append(f"page chrome 「{line.strip()[:20]}」")
            continue
        lines.append(line)
    return "\n".join(lines) + "\n", removed


def read_document(path: Path, *, max_bytes: int = MAX_BYTES) -> Document:
    """The text of a report file, and how it was read. Only a regular file (or a named pipe) is read, and only up
    to `max_bytes`. A file that is neither readable text nor a page with an article is a LoadError (the caller
    names the file)."""
    try:
        if path.is_dir() or (path.exists() and not (path.is_file() or path.is_fifo())):
            raise LoadError("not a regular file")
        with path.open("rb") as f:
            raw = f.read(max_bytes + 1)
    except OSError as e:
        raise LoadError(f"cannot read ({e.strerror})") from None
    if len(raw) > max_bytes:
        raise LoadError(f"larger than {max_bytes:,} bytes, the size limit for a report (raise it with --max-size)")
    if not raw.strip():
        raise LoadError("the file is empty")
    if b"\x00" in raw and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise LoadError("this is not a text file")
    text, encoding = _decode(raw)
    kind, title, date = "text", None, None
    if _looks_like_html(path, text):
        text, title, date = _html(text)
        kind = "html"
    text, removed = clean(text)
    if not re.search(r"[\u4e00-\u9fff]", text):
        raise LoadError("no Chinese text in this file")
    return Document(text, encoding, kind, title, date, removed)
