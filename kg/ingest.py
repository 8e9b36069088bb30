"""Read articles from disk: files, directories, JSON Lines and a meta.jsonl sidecar.

The result of this stage is a :class:`Document`: the article's clean text split
into paragraphs (page furniture removed, each paragraph tagged with its
language), with its metadata and a hash of everything that went into it.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from kg.errors import IngestError, MetadataError
from kg.langid import detect_language
from kg.textdates import find_date_mentions, find_publication_date

__all__ = ["Document", "Paragraph", "clean_text", "read_documents"]

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm"}
JSONL_SUFFIXES = {".jsonl"}
SIDECAR_NAME = "meta.jsonl"
META_FIELDS = ("published", "publisher", "url", "title", "language")
MAX_BYTES = 20_000_000
MAX_LINE_CHARS = 100_000
"""The longest line (paragraph) read. spaCy's parser needs about 1 GB per 100 000 characters of one text, and
a line this long is a dump, not a paragraph of an article: refused before any work is spent on it."""

# A line that starts a block of page furniture: everything after it is dropped.
_CUT_MARKERS = re.compile(
    r"^\s*(more on (the )?\w+|more (stories|news|from [\w ]+)|related( articles| stories| posts| news)?"
    r"|read (also|more|next)|you may also like|top stories|editor'?s picks|most popular|popular( now)?"
    r"|recommended( for you)?|lire aussi|à lire aussi|à lire également|sur le même sujet|dans la même rubrique"
    r"|plus d'articles|expanded coverage|previous (article|post|story)|next (article|post|story)"
    r"|tags?\s*:.*|filed under.*|about the author"
    r"|article précédent|article suivant|mots-clés\s*:.*|à propos de l'auteur"
    r"|leave a (reply|comment)|post a comment|\d+ comments?|comments?|share this( article)?"
    r"|most read|trending( now)?|latest news|also in the news)\s*:?\s*$",
    re.IGNORECASE,
)
# A line that is furniture by itself: counters, share buttons, embed links, form notices.
_DROP_LINE = re.compile(
    r"(number of times this article was read|read \d[\d,]* times|\bviews?\s*:\s*\d|\bshares?\s*:?\s*\d"
    r"|fields (are )?marked|(your )?e-?mail address will not be published"
    r"|^\s*(share|tweet|print|email|subscribe|sign up|log ?in|menu|home|search)\s*$"
    r"|^\s*(subscribe to|sign up for) (our|the) newsletter|^[^.!?]*(\s\|\s[^|]*){2,}$"
    r"|^\s*—\s*[^()]{1,80}\(@\w+\)|^\s*(https?://|pic\.twitter\.com)\S*\s*$)",
    re.IGNORECASE,
)
# "OUAGADOUGOU, Aug 25 (Reuters) – " or "Niamey, 12 December 2019 — " at the start of a story
_DATELINE_PREFIX = re.compile(r"^[A-ZÀ-Ý][\w'’. -]{1,40},\s*[^–—\n]{3,40}?\s*(\([^)]{1,40}\)\s*)?[–—-]{1,2}\s+(?=[A-Z«“\"])")
_URL = re.compile(r"\s*(https?://\S+|pic\.twitter\.com/\S+)")
# Characters XML 1.0 cannot carry, not even escaped (C0 controls but tab and line breaks, U+FFFE, U+FFFF)
_NOT_IN_XML = re.compile("[\x00-\x08\x0e-\x1f\ufffe\uffff]")
_PAGE_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n"})
_EMBED_SIGNATURE = re.compile(r"\s*—?\s*[^()—]{1,80}\(@\w+\)\s*\w+ \d{1,2}, \d{4}\s*$")


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of clean text, its offset in the document text and its language."""

    text: str
    start: int
    language: str


@dataclass
class Document:
    """One article ready for extraction."""

    key: str
    path: str
    text: str
    paragraphs: list[Paragraph]
    content_hash: str
    published: date | None = None
    published_inferred: bool = False
    published_basis: str | None = None
    publisher: str | None = None
    url: str | None = None
    title: str | None = None
    language: str = "en"
    meta: dict[str, object] = field(default_factory=dict)


def clean_text(raw: str) -> tuple[list[str], list[str]]:
    """Split plain text into (content lines, header lines), dropping page furniture.

    Header lines are those above the first sentence-sized line: navigation,
    section labels, headlines and datelines. They are kept apart, never
    extracted from, and the first long one serves as a title.
    """
    lines = [line.strip() for line in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    kept: list[str] = []
    header: list[str] = []
    for line in lines:
        if not line:
            continue
        if _CUT_MARKERS.match(line) and kept:
            break
        if _DROP_LINE.search(line) or re.fullmatch(r"[.…]+", line):
            continue
        line = _EMBED_SIGNATURE.sub("", _URL.sub("", line)).strip()
        if not line:
            continue
        if not kept and not _is_sentence(line):
            header.append(line)
            continue
        if not kept and (dateline := _DATELINE_PREFIX.match(line)):
            header.append(dateline.group(0).strip())
            line = line[dateline.end():]
        kept.append(line)
    return kept, header


def _is_sentence(line: str) -> bool:
    """A line of running text, as opposed to a headline, label or dateline."""
    words = len(line.split())
    return words >= 12 or (words >= 6 and line.rstrip().endswith((".", "”", '"', "»")))


def html_to_text(html: str, path: Path) -> tuple[str, dict[str, str]]:
    """Main text and metadata of an HTML page, by trafilatura."""
    import trafilatura

    text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True)
    if not text:
        raise IngestError(path, "no article text found in the HTML")
    meta = trafilatura.extract_metadata(html)
    found: dict[str, str] = {}
    if meta is not None:
        for name in ("title", "date", "sitename", "url"):
            value = getattr(meta, name, None)
            if value:
                found[name] = str(value)
    return text, found


def _decode(data: bytes, path: Path) -> str:
    if not data.strip():
        raise IngestError(path, "file is empty")
    if b"\x00" in data[:4096]:
        raise IngestError(path, "binary file (NUL bytes), not an article")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IngestError(path, f"not valid UTF-8 (byte {exc.start}): {exc.reason}") from exc


def _content_hash(text: str, meta: dict[str, object]) -> str:
    payload = json.dumps({"text": text, "meta": {k: meta.get(k) for k in META_FIELDS}}, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _parse_date(value: object, where: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError as exc:
        raise MetadataError(where, f"'published' is not an ISO date: {value!r}") from exc


def clean_characters(text: str) -> str:
    """``text`` without the characters XML cannot carry (vertical tabs and form feeds become line breaks).

    Every string of a document goes through this, so that every answer of the endpoint, RDF/XML and SPARQL
    XML results included, stays well-formed whatever the articles held.
    """
    return _NOT_IN_XML.sub("", text.translate(_PAGE_BREAKS))


def build_document(key: str, path: Path, raw_text: str, meta: dict[str, object], *, is_html: bool) -> Document:
    """A :class:`Document` from raw text (or HTML) and its metadata."""
    page_meta: dict[str, str] = {}
    raw_text = clean_characters(raw_text)
    if is_html:
        raw_text, page_meta = html_to_text(raw_text, path)
    _check_line_length(raw_text, path)
    published = _parse_date(meta.get("published"), f"{path} (metadata)")
    basis = "metadata" if published else None
    inferred = False
    if published is None:
        found = find_publication_date(raw_text) or (
            (page_meta["date"], "HTML metadata") if "date" in page_meta else None)
        if found:
            published, basis, inferred = _parse_date(found[0], str(path)), found[1], True
    lines, header = clean_text(raw_text)
    if not lines:
        raise IngestError(path, "no text left after removing page furniture")
    paragraphs, offset = [], 0
    for line in lines:
        paragraphs.append(Paragraph(text=line, start=offset, language=detect_language(line)))
        offset += len(line) + 1
    text = "\n".join(lines)
    language = clean_characters(str(meta.get("language") or _majority_language(paragraphs)))
    return Document(
        key=clean_characters(key), path=str(path), text=text, paragraphs=paragraphs,
        content_hash=_content_hash(text, meta),
        published=published, published_inferred=inferred, published_basis=basis,
        publisher=_opt_str(meta.get("publisher")) or page_meta.get("sitename"),
        url=_opt_str(meta.get("url")) or page_meta.get("url"),
        title=_opt_str(meta.get("title")) or page_meta.get("title")
        or _headline(header),
        language=language, meta=dict(meta),
    )


def _check_line_length(text: str, path: Path) -> None:
    """Refuse text with a line too long to be a paragraph (see :data:`MAX_LINE_CHARS`)."""
    longest = max(map(len, text.replace("\r", "\n").split("\n")))
    if longest > MAX_LINE_CHARS:
        raise IngestError(path, f"a line of {longest} characters, over the {MAX_LINE_CHARS}-character limit "
                                "of one paragraph: not article text")


def _headline(header: list[str]) -> str | None:
    """The header line nearest the story that reads like a headline (not a slogan, menu or dateline)."""
    for line in reversed(header):
        if len(line.split()) >= 4 and not line.rstrip().endswith("!") and not find_date_mentions(line, None):
            return line
    return None


def _opt_str(value: object) -> str | None:
    return clean_characters(str(value)) if value not in (None, "") else None


def _majority_language(paragraphs: list[Paragraph]) -> str:
    weights: dict[str, int] = {}
    for p in paragraphs:
        weights[p.language] = weights.get(p.language, 0) + len(p.text)
    return max(weights, key=lambda lang: weights[lang]) if weights else "en"


def read_sidecar(path: Path) -> dict[str, dict[str, object]]:
    """``meta.jsonl``: one JSON object per line, keyed by its ``file`` field."""
    out: dict[str, dict[str, object]] = {}
    text = _decode(path.read_bytes(), path)
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise MetadataError(f"{path}:{n}", f"invalid JSON: {exc.msg}") from exc
        if not isinstance(row, dict) or not isinstance(row.get("file"), str):
            raise MetadataError(f"{path}:{n}", "each line must be an object with a 'file' string")
        _parse_date(row.get("published"), f"{path}:{n}")
        out[Path(row["file"]).name] = row
    return out


def _jsonl_documents(path: Path, sidecar: dict[str, dict[str, object]]) -> Iterator[Document]:
    text = _decode(path.read_bytes(), path)
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{n}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise IngestError(where, f"invalid JSON: {exc.msg}") from exc
        body = row.get("text") or row.get("html") if isinstance(row, dict) else None
        if not isinstance(body, str) or not body.strip():
            raise IngestError(where, "each line needs a non-empty 'text' or 'html' field")
        key = str(row.get("file") or row.get("id") or f"{path.name}#{n}")
        meta = {**sidecar.get(key, {}), **{k: row[k] for k in META_FIELDS if k in row}}
        yield build_document(key, Path(where), body, meta, is_html="html" in row and not row.get("text"))


def _expand(paths: Iterable[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and p.name != SIDECAR_NAME
                              and p.suffix.lower() in TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES
                              and not p.name.endswith(".gold.json"))
        elif path.is_file():
            yield path
        else:
            raise IngestError(path, "no such file or directory")


def discover_sidecar(paths: Iterable[Path], meta_file: Path | None) -> dict[str, dict[str, object]]:
    """The metadata of ``--meta`` or of every ``meta.jsonl`` in the given directories."""
    sidecar: dict[str, dict[str, object]] = {}
    for path in paths:
        folder = path if path.is_dir() else path.parent
        candidate = folder / SIDECAR_NAME
        if candidate.is_file():
            sidecar.update(read_sidecar(candidate))
    if meta_file is not None:
        if not meta_file.is_file():
            raise MetadataError(meta_file, "no such metadata file")
        sidecar.update(read_sidecar(meta_file))
    return sidecar


def list_sources(paths: Iterable[Path]) -> list[Path]:
    """The files a call to :func:`read_documents` will read."""
    return list(_expand(paths))


def read_file(path: Path, sidecar: dict[str, dict[str, object]]) -> list[Document]:
    """The documents of one file (a JSON Lines file holds several)."""
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        return list(_jsonl_documents(path, sidecar))
    if suffix not in TEXT_SUFFIXES | HTML_SUFFIXES:
        raise IngestError(path, f"unsupported file type {suffix or '(none)'}; expected .txt, .html or .jsonl")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise IngestError(path, f"file is {size} bytes, over the {MAX_BYTES}-byte limit")
        raw = _decode(path.read_bytes(), path)
    except OSError as exc:
        raise IngestError(path, f"cannot read: {exc.strerror or exc}") from exc
    return [build_document(path.name, path, raw, sidecar.get(path.name, {}), is_html=suffix in HTML_SUFFIXES)]


def read_documents(paths: Iterable[Path], meta_file: Path | None = None) -> Iterator[Document]:
    """Every document under ``paths``; raises :class:`IngestError` naming the bad file."""
    paths = list(paths)
    sidecar = discover_sidecar(paths, meta_file)
    for path in _expand(paths):
        yield from read_file(path, sidecar)
