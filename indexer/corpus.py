"""Find the corpus files, read their metadata and text, and report the ones that cannot be read."""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from indexer.models import DocumentInfo, FileProblem

SUPPORTED_SUFFIXES = (".txt", ".md", ".pdf")
# A report is a few MB at most; a file far larger is a mistake (a log, a dump) and would take hours
# to embed. Checked from the file size, before reading it.
MAX_FILE_BYTES = 50 * 1024 * 1024
METADATA_FILE = "metadata.toml"
IGNORED_FILES = (METADATA_FILE, "README.md", "SOURCES.md")


class CorpusFileError(Exception):
    """A corpus file that cannot be indexed; the message says why."""


@dataclass(frozen=True)
class SourceText:
    """A document's text as the parser sees it; passage spans are offsets into `text`."""

    doc: DocumentInfo
    text: str
    pages: tuple[tuple[int, int], ...] = ()  # for PDFs: (start, end) of each page in `text`


def load_metadata(corpus_dir: Path) -> dict[str, DocumentInfo]:
    """Metadata by file name, from corpus/metadata.toml (missing file: no metadata)."""
    path = corpus_dir / METADATA_FILE
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise CorpusFileError(f"{path}: metadata is not valid TOML ({err})") from err
    docs = {}
    known = set(DocumentInfo.__dataclass_fields__)
    for entry in data.get("document", []):
        unknown = sorted(set(entry) - known)
        if unknown or "file" not in entry:
            problem = f"unknown field(s) {', '.join(unknown)}" if unknown else "no file"
            raise CorpusFileError(f"{path}: [[document]] {entry.get('file', entry.get('id', '?'))}: {problem}; "
                                  f"fields are {', '.join(sorted(known - {'sha256'}))}")
        info = DocumentInfo.from_dict(entry)
        docs[info.file] = info
    return docs


def default_info(path: Path) -> DocumentInfo:
    """Metadata for a file dropped in without any: a label made from its file name."""
    stem = path.stem
    label = re.sub(r"[_\-]+", " ", stem).strip() or stem
    parser = "pdf" if path.suffix.lower() == ".pdf" else "generic"
    doc_id = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-") or hashlib.sha1(stem.encode()).hexdigest()[:8]
    return DocumentInfo(id=doc_id, file=path.name, label=label, title=label, parser=parser)


def list_corpus_files(corpus_dir: Path) -> tuple[list[Path], list[FileProblem]]:
    """Files to index, sorted by name, and problems with the others (unknown type, broken links)."""
    files, problems = [], []
    if not corpus_dir.is_dir():
        raise CorpusFileError(f"corpus folder {corpus_dir} does not exist")
    for path in sorted(corpus_dir.iterdir(), key=lambda p: p.name):
        if path.name.startswith(".") or path.name in IGNORED_FILES:
            continue
        try:
            if path.is_dir():
                continue
            if not path.is_file():
                problems.append(FileProblem(path.name, "not a regular file (broken link?)"))
                continue
        except OSError as err:  # a symlink loop raises here
            problems.append(FileProblem(path.name, f"cannot be read ({err.strerror or err})"))
            continue
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            problems.append(
                FileProblem(path.name, f"unsupported file type {path.suffix or '(none)'!r}; "
                            f"expected one of {', '.join(SUPPORTED_SUFFIXES)}")
            )
            continue
        files.append(path)
    return files, problems


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with a BOM; anything else is refused by name."""
    if not data.strip():
        raise CorpusFileError("file is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as err:
            raise CorpusFileError(f"has a UTF-16 byte order mark but is not valid UTF-16 ({err})") from err
    if b"\x00" in data[:8192]:
        raise CorpusFileError("looks binary (contains NUL bytes), not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise CorpusFileError(
            f"is not UTF-8 (byte {err.start}: {data[err.start:err.start + 1]!r}); save it as UTF-8"
        ) from err
    if not text.strip():
        raise CorpusFileError("file is empty")
    return text


def read_pdf(data: bytes) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Text of a PDF, pages separated by a form feed, with each page's span."""
    import io

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise CorpusFileError("PDF is encrypted with a password")
        pages, parts, pos = [], [], 0
        for page in reader.pages:
            text = (page.extract_text() or "").replace("\r\n", "\n").replace("\x00", "")
            parts.append(text)
            pages.append((pos, pos + len(text)))
            pos += len(text) + 2  # "\n\f" between pages
    except CorpusFileError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as err:
        raise CorpusFileError(f"corrupt or unreadable PDF ({type(err).__name__}: {err})") from err
    except Exception as err:  # pypdf raises many types on damaged files; none may stop the build
        if "encrypt" in str(err).lower() or "crypt" in type(err).__name__.lower():
            raise CorpusFileError(f"PDF is encrypted and cannot be read ({err})") from err
        raise CorpusFileError(f"corrupt or unreadable PDF ({type(err).__name__}: {err})") from err
    text = "\n\f".join(parts)
    if not text.replace("\f", "").strip():
        raise CorpusFileError("PDF has no text layer (a scan?); run OCR on it first")
    return text, tuple(pages)


def read_source(path: Path, info: DocumentInfo) -> SourceText:
    """Read and decode one corpus file; raises CorpusFileError saying what is wrong with it."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise CorpusFileError(
                f"is {size / 1024 / 1024:,.0f} MB; the limit is {MAX_FILE_BYTES // 1024 // 1024} MB per file")
        data = path.read_bytes()
    except OSError as err:
        raise CorpusFileError(f"cannot be read ({err.strerror or err})") from err
    info = replace(info, sha256=hashlib.sha256(data).hexdigest())
    if not data:
        raise CorpusFileError("file is empty")
    if path.suffix.lower() == ".pdf":
        if not data.startswith(b"%PDF"):
            raise CorpusFileError("not a PDF (no %PDF header)")
        text, pages = read_pdf(data)
        return SourceText(info, text, pages)
    return SourceText(info, decode_text(data, path.name))
