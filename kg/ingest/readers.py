"""Read articles from disk: files, directories, JSON Lines and a meta.jsonl sidecar.

The result of this stage is a :class:`Document`: the article's clean text split
into paragraphs (page furniture removed, each paragraph tagged with its
language), with its metadata and a hash of everything that went into it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import BinaryIO, TypeAlias

from kg.errors import IngestError, MetadataError
from kg.text.dates import find_date_mentions, find_publication_date
from kg.text.langid import detect_language

__all__ = ["Document", "Paragraph", "Record", "Source", "clean_text", "list_sources", "read_documents", "read_file"]

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm"}
JSONL_SUFFIXES = {".jsonl"}
SIDECAR_NAME = "meta.jsonl"
META_FIELDS = ("published", "publisher", "url", "title", "language")
MAX_BYTES = 20_000_000
"""The largest article: a .txt or .html file, or one record (one line) of a JSON Lines file."""
MAX_JSONL_BYTES = 200_000_000
"""The largest JSON Lines file (a batch of articles, some 40 000 news stories) or ``meta.jsonl`` sidecar.
Its records are read one at a time, so memory while reading is bounded by :data:`MAX_BYTES`, not by this."""
_CHUNK = 65_536
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
# A line that is furniture by itself: counters, share buttons, embed links, form notices, advertisements.
_DROP_LINE = re.compile(
    r"(number of times this article was read|read \d[\d,]* times|\bviews?\s*:\s*\d|\bshares?\s*:?\s*\d"
    r"|fields (are )?marked|(your )?e-?mail address will not be published"
    r"|^\s*(share|tweet|print|email|subscribe|sign up|log ?in|menu|home|search)\s*$"
    r"|^\s*(subscribe to|sign up for) (our|the) newsletter|^[^.!?]*(\s\|\s[^|]*){2,}$"
    r"|^\s*—\s*[^()]{1,80}\(@\w+\)|^\s*(https?://|pic\.twitter\.com)\S*\s*$"
    r"|^\s*(advertisement|advertising|sponsored( content)?|publicité|contenu sponsorisé)\b"
    # teasers and tickers: '>> LIRE AUSSI : …', 'Live updates on … >>', 'FLASH INFO >>> … >>> …', 'Click here!'
    r"|^\s*(>>|»»)|(>>|»»)\s*$|\s>>>?\s|\b(click here|cliquez ici)\b"
    r"|^\s*(lire aussi|à lire aussi|read also|see also|voir aussi)\s*:\s*\S)",
    re.IGNORECASE,
)
# "OUAGADOUGOU, Aug 25 (Reuters) – " or "Niamey, 12 December 2019 — " at the start of a story
_DATELINE_PREFIX = re.compile(
    r"^[A-ZÀ-Ý][\w'’. -]{1,40},\s*[^–—\n]{3,40}?\s*(\([^)]{1,40}\)\s*)?[–—-]{1,2}\s+(?=[A-Z«“\"])"
)
_URL = re.compile(r"\s*(https?://\S+|pic\.twitter\.com/\S+)")
# Characters XML 1.0 cannot carry, not even escaped (C0 controls but tab and line breaks, U+FFFE, U+FFFF)
_NOT_IN_XML = re.compile("[\x00-\x08\x0e-\x1f\ufffe\uffff]")
_PAGE_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n"})
_EMBED_SIGNATURE = re.compile(r"\s*—?\s*[^()—]{1,80}\(@\w+\)\s*\w+ \d{1,2}, \d{4}\s*$")

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of clean text, its offset in the document text and its language."""

    text: str
    start: int
    language: str


@dataclass(frozen=True)
class Record:
    """One non-blank line of a JSON Lines file: its number, and where its bytes are (line break included)."""

    path: Path
    line: int
    offset: int
    size: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


Source: TypeAlias = Path | Record
"""What :func:`read_file` reads: a file, or one record of a JSON Lines file."""


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
            line = line[dateline.end() :]
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
            (page_meta["date"], "HTML metadata") if "date" in page_meta else None
        )
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
        key=clean_characters(key),
        path=str(path),
        text=text,
        paragraphs=paragraphs,
        content_hash=_content_hash(text, meta),
        published=published,
        published_inferred=inferred,
        published_basis=basis,
        publisher=_opt_str(meta.get("publisher")) or page_meta.get("sitename"),
        url=_opt_str(meta.get("url")) or page_meta.get("url"),
        title=_opt_str(meta.get("title")) or page_meta.get("title") or _headline(header),
        language=language,
        meta=dict(meta),
    )


def _check_line_length(text: str, path: Path) -> None:
    """Refuse text with a line too long to be a paragraph (see :data:`MAX_LINE_CHARS`)."""
    longest = max(map(len, text.replace("\r", "\n").split("\n")))
    if longest > MAX_LINE_CHARS:
        raise IngestError(
            path,
            f"a line of {longest} characters, over the {MAX_LINE_CHARS}-character limit "
            "of one paragraph: not article text",
        )


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
    """``meta.jsonl``: one JSON object per line, keyed by its ``file`` field; read a line at a time."""
    out: dict[str, dict[str, object]] = {}
    empty = True
    for record, data in _jsonl_lines(path, MetadataError):
        empty = False
        row = _parse_line(record, data, MetadataError)
        if not isinstance(row, dict) or not isinstance(row.get("file"), str):
            raise MetadataError(str(record), "each line must be an object with a 'file' string")
        _parse_date(row.get("published"), str(record))
        out[Path(row["file"]).name] = row
    if empty:
        raise MetadataError(path, "file is empty")
    return out


def _check_size(path: Path, limit: int, error: type[IngestError] = IngestError) -> None:
    """Refuse a file over ``limit`` bytes before reading any of it."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise error(path, f"cannot read: {exc.strerror or exc}") from exc
    if size > limit:
        raise error(path, f"file is {size} bytes, over the {limit}-byte limit")


def _jsonl_lines(path: Path, error: type[IngestError], *, keep: bool = True) -> Iterator[tuple[Record, bytes | None]]:
    """Each non-blank line of a JSON Lines file with its bytes (None when over :data:`MAX_BYTES`, or not ``keep``).

    The file is refused whole (``error`` naming it) when over :data:`MAX_JSONL_BYTES`, binary or unreadable.
    Lines are read :data:`_CHUNK` bytes at a time: an over-long line is measured, never held whole.
    """
    _check_size(path, MAX_JSONL_BYTES, error)
    try:
        with path.open("rb") as handle:
            if b"\x00" in handle.read(4096):
                raise error(path, "binary file (NUL bytes), not JSON Lines")
            handle.seek(0)
            yield from _split_lines(path, handle, keep)
    except OSError as exc:
        raise error(path, f"cannot read: {exc.strerror or exc}") from exc


def _split_lines(path: Path, handle: BinaryIO, keep: bool) -> Iterator[tuple[Record, bytes | None]]:
    """The non-blank lines of ``handle`` (see :func:`_jsonl_lines`)."""
    offset = number = 0
    while chunk := handle.readline(_CHUNK):
        number += 1
        size, blank, parts = 0, True, []
        while chunk:
            size += len(chunk)
            blank = blank and not chunk.strip()
            if keep and size <= MAX_BYTES:
                parts.append(chunk)
            else:
                parts.clear()
            if chunk.endswith(b"\n"):
                break
            chunk = handle.readline(_CHUNK)
        if not blank:
            yield Record(path, number, offset, size), b"".join(parts) if keep and size <= MAX_BYTES else None
        offset += size


def _parse_line(record: Record, data: bytes | None, error: type[IngestError] = IngestError) -> object:
    """The JSON value of one line; ``error`` names the file and line when it is over-long or not JSON."""
    if data is None:
        raise error(str(record), f"record is {record.size} bytes, over the {MAX_BYTES}-byte limit of one article")
    try:
        text = data.decode("utf-8-sig" if record.line == 1 else "utf-8")
    except UnicodeDecodeError as exc:
        raise error(str(record), f"not valid UTF-8 (byte {exc.start} of the line): {exc.reason}") from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise error(str(record), f"invalid JSON: {exc.msg}") from exc
    except RecursionError as exc:
        raise error(str(record), "invalid JSON: nested too deeply") from exc


def _record_document(record: Record, data: bytes | None, sidecar: dict[str, dict[str, object]]) -> Document:
    """The article of one JSON Lines record."""
    row = _parse_line(record, data)
    body = row.get("text") or row.get("html") if isinstance(row, dict) else None
    if not isinstance(row, dict) or not isinstance(body, str) or not body.strip():
        raise IngestError(str(record), "each line needs a non-empty 'text' or 'html' field")
    key = str(row.get("file") or row.get("id") or f"{record.path.name}#{record.line}")
    meta = {**sidecar.get(key, {}), **{k: row[k] for k in META_FIELDS if k in row}}
    return build_document(key, Path(str(record)), body, meta, is_html="html" in row and not row.get("text"))


def _read_record(record: Record, sidecar: dict[str, dict[str, object]]) -> Document:
    """The article of a record found by :func:`list_sources`: an over-long one is refused unread."""
    data = None
    if record.size <= MAX_BYTES:
        try:
            with record.path.open("rb") as handle:
                handle.seek(record.offset)
                data = handle.read(record.size)
        except OSError as exc:
            raise IngestError(str(record), f"cannot read: {exc.strerror or exc}") from exc
    return _record_document(record, data, sidecar)


def _jsonl_documents(path: Path, sidecar: dict[str, dict[str, object]]) -> Iterator[Document]:
    """Every article of a JSON Lines file; raises at the first bad record, naming its line."""
    empty = True
    for record, data in _jsonl_lines(path, IngestError):
        empty = False
        yield _record_document(record, data, sidecar)
    if empty:
        raise IngestError(path, "file is empty")


def _jsonl_sources(path: Path) -> list[Source]:
    """The records of a JSON Lines file, each to be read (and refused) on its own.

    A file that cannot be split into records (too large, binary, unreadable, empty) is a single source:
    reading it raises its problem.
    """
    try:
        records: list[Source] = [record for record, _ in _jsonl_lines(path, IngestError, keep=False)]
    except IngestError:
        return [path]
    return records or [path]


def _is_article(path: Path) -> bool:
    """Whether a file found in a directory is read: by its suffix; sidecars and gold files are not."""
    return (
        path.name != SIDECAR_NAME
        and not path.name.endswith(".gold.json")
        and path.suffix.lower() in TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES
    )


def _link_target(link: Path, root: Path) -> Path | None:
    """Where ``link`` leads, if that is inside the (resolved) ``root``; else None, with a warning."""
    try:
        target = link.resolve()
    except (OSError, RuntimeError) as exc:
        log.warning("%s: skipped, a link that cannot be resolved (%s)", link, exc)
        return None
    if not target.is_relative_to(root):
        log.warning("%s: skipped, a link to %s, outside %s", link, target, root)
        return None
    return target


def _walk(root: Path) -> list[Path]:
    """The article files under the directory ``root``, sorted.

    Links (to files or directories) are followed only while they stay inside ``root``; one leading out of it
    is skipped with a warning naming the link and its target. Each file and directory is read once, by its
    real path when it has one under ``root`` (so link loops end).
    """
    top = root.resolve()
    seen: set[Path] = set()
    files: list[Path] = []
    links: list[Path] = []
    folders = [root]
    while folders or links:
        if folders:
            _list_folder(folders.pop(), seen, files, folders, links)
            continue
        link = links.pop(0)
        target = _link_target(link, top)
        if target is None or target in seen:
            continue
        if target.is_dir():
            folders.append(link)
        elif target.is_file() and _is_article(link):
            seen.add(target)
            files.append(link)
    return sorted(files)


def _list_folder(folder: Path, seen: set[Path], files: list[Path], folders: list[Path], links: list[Path]) -> None:
    """Sort the entries of ``folder`` into article files, subdirectories and links (one step of :func:`_walk`)."""
    here = folder.resolve()
    if here in seen:
        return
    seen.add(here)
    try:
        for entry in sorted(folder.iterdir()):
            if entry.is_symlink():
                links.append(entry)
            elif entry.is_dir():
                folders.append(entry)
            elif entry.is_file() and _is_article(entry) and here / entry.name not in seen:
                seen.add(here / entry.name)
                files.append(entry)
    except OSError as exc:
        log.warning("%s: skipped, cannot list the directory (%s)", folder, exc.strerror or exc)


def _expand(paths: Iterable[Path]) -> Iterator[Path]:
    """The files to read: each given file (followed if a link: it was named), each article under a directory."""
    for path in paths:
        if path.is_dir():
            yield from _walk(path)
        elif path.is_file():
            yield path
        else:
            raise IngestError(path, "no such file or directory")


def _sidecar_in(folder: Path) -> Path | None:
    """``folder``'s ``meta.jsonl``, unless missing or a link leading out of ``folder`` (skipped with a warning)."""
    candidate = folder / SIDECAR_NAME
    if candidate.is_symlink() and _link_target(candidate, folder.resolve()) is None:
        return None
    return candidate if candidate.is_file() else None


def discover_sidecar(paths: Iterable[Path], meta_file: Path | None) -> dict[str, dict[str, object]]:
    """The metadata of ``--meta`` or of every ``meta.jsonl`` in the given directories."""
    sidecar: dict[str, dict[str, object]] = {}
    for path in paths:
        candidate = _sidecar_in(path if path.is_dir() else path.parent)
        if candidate is not None:
            sidecar.update(read_sidecar(candidate))
    if meta_file is not None:
        if not meta_file.is_file():
            raise MetadataError(meta_file, "no such metadata file")
        sidecar.update(read_sidecar(meta_file))
    return sidecar


def list_sources(paths: Iterable[Path]) -> list[Source]:
    """What :func:`read_documents` reads, one by one: each file, and each record of a JSON Lines file.

    A record is a source of its own so that a bad one is refused alone, naming its line, and the others load.
    """
    sources: list[Source] = []
    for path in _expand(paths):
        sources.extend(_jsonl_sources(path) if path.suffix.lower() in JSONL_SUFFIXES else [path])
    return sources


def read_file(source: Source, sidecar: dict[str, dict[str, object]]) -> list[Document]:
    """The documents of one source: a file (a JSON Lines file holds several) or one record of a JSON Lines file."""
    if isinstance(source, Record):
        return [_read_record(source, sidecar)]
    path, suffix = source, source.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        return list(_jsonl_documents(path, sidecar))
    if suffix not in TEXT_SUFFIXES | HTML_SUFFIXES:
        raise IngestError(path, f"unsupported file type {suffix or '(none)'}; expected .txt, .html or .jsonl")
    _check_size(path, MAX_BYTES)
    try:
        raw = _decode(path.read_bytes(), path)
    except OSError as exc:
        raise IngestError(path, f"cannot read: {exc.strerror or exc}") from exc
    return [build_document(path.name, path, raw, sidecar.get(path.name, {}), is_html=suffix in HTML_SUFFIXES)]


def read_documents(paths: Iterable[Path], meta_file: Path | None = None) -> Iterator[Document]:
    """Every document under ``paths``; raises :class:`IngestError` naming the bad file."""
    paths = list(paths)
    sidecar = discover_sidecar(paths, meta_file)
    for source in list_sources(paths):
        yield from read_file(source, sidecar)
