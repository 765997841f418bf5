"""Find the corpus files, read their metadata and text, and report the ones that cannot be read."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from care_evidence.indexer.metadata import METADATA_FILE, MetadataError, load_metadata
from care_evidence.indexer.models import DocumentInfo, FileProblem
from care_evidence.indexer.paths import UnsafePath, inside
from care_evidence.indexer.pdf_layout import Layout

SUPPORTED_SUFFIXES = (".txt", ".md", ".pdf")
# A report is a few MB at most; a file far larger is a mistake (a log, a dump) and would take hours
# to embed. Checked from the file size, before reading it.
MAX_FILE_BYTES = 50 * 1024 * 1024
IGNORED_FILES = (METADATA_FILE, "README.md", "SOURCES.md")


class CorpusFileError(Exception):
    """A corpus file that cannot be indexed; the message says why."""


__all__ = ["CorpusFileError", "MetadataError", "SourceText", "default_info", "list_corpus_files", "load_metadata",
           "read_source", "METADATA_FILE"]


@dataclass(frozen=True)
class SourceText:
    """A document's text as the parser sees it; passage spans are offsets into `text`."""

    doc: DocumentInfo
    text: str
    pages: tuple[tuple[int, int], ...] = ()  # for PDFs: (start, end) of each page in `text`
    layout: Layout | None = field(default=None, compare=False)  # for PDFs: where each line was printed
    shape: str = ""  # for PDFs: the parser that reads it ("" : by page)
    warnings: tuple[str, ...] = ()  # indexed, but not as well as it might be (a PDF read by page)


def default_info(path: Path) -> DocumentInfo:
    """Metadata for a file dropped in without any: a label made from its file name."""
    stem = path.stem
    label = re.sub(r"[_\-]+", " ", stem).strip() or stem
    parser = "pdf" if path.suffix.lower() == ".pdf" else "generic"
    # The id names a file in the index: only [a-z0-9-], and short; a long or foreign name keeps a hash of itself.
    doc_id = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
    if not doc_id or len(doc_id) > 48:
        doc_id = (doc_id[:39].strip("-") + "-" if doc_id else "doc-") + hashlib.sha1(stem.encode()).hexdigest()[:8]
    return DocumentInfo(id=doc_id, file=path.name, label=label, title=label, parser=parser)


def list_corpus_files(corpus_dir: Path) -> tuple[list[Path], list[FileProblem]]:
    """Files to index, sorted by name, and problems with the others (unknown type, broken links, links
    that point outside the corpus folder, folders named like documents)."""
    files, problems = [], []
    if not corpus_dir.is_dir():
        raise CorpusFileError(f"corpus folder {corpus_dir} does not exist"
                              + (" (it is a file)" if corpus_dir.exists() else ""))
    for path in sorted(corpus_dir.iterdir(), key=lambda p: p.name):
        if path.name.startswith(".") or path.name in IGNORED_FILES:
            continue
        try:
            # A link may point anywhere (/etc/os-release, /proc/...): only what stays in the folder is read.
            inside(corpus_dir, path.name)
            if path.is_dir():
                if path.suffix.lower() in SUPPORTED_SUFFIXES:
                    problems.append(FileProblem(path.name, "is a folder, not a file; sub-folders are not indexed"))
                continue
            if not path.is_file():
                problems.append(FileProblem(path.name, "not a regular file (broken link?)"))
                continue
        except UnsafePath:
            problems.append(FileProblem(path.name, "is a link to a file outside the corpus folder; "
                                        "copy the file into the corpus folder instead"))
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


def _utf16_without_bom(data: bytes) -> str | None:
    """The text of UTF-16 saved without a byte order mark (NUL in every other byte of ASCII text), else None."""
    sample = data[:8192]
    if len(sample) < 4 or len(sample) % 2:
        sample = sample[: len(sample) - len(sample) % 2]
    even, odd = sample[0::2], sample[1::2]
    for encoding, zeros in (("utf-16-le", odd), ("utf-16-be", even)):
        if zeros and zeros.count(0) / len(zeros) > 0.6:
            try:
                text = data[: len(data) - len(data) % 2].decode(encoding)
            except UnicodeDecodeError:
                return None
            printable = sum(c.isprintable() or c.isspace() for c in text[:4096])
            return text if printable / max(len(text[:4096]), 1) > 0.95 else None
    return None


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
        text = _utf16_without_bom(data)
        if text is not None:
            return text
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
        # Read at most one byte past the limit: some files (/proc, pipes) say size 0 and never end.
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise CorpusFileError(f"is over the limit of {MAX_FILE_BYTES // 1024 // 1024} MB per file")
    except OSError as err:
        raise CorpusFileError(f"cannot be read ({err.strerror or err})") from err
    info = replace(info, sha256=hashlib.sha256(data).hexdigest())
    if not data:
        raise CorpusFileError("file is empty")
    if path.suffix.lower() == ".pdf":
        if not data.startswith(b"%PDF"):
            raise CorpusFileError("not a PDF (no %PDF header)")
        text, pages = read_pdf(data)  # a clear error for an encrypted, damaged or image-only PDF
        return _pdf_source(data, info, text, pages)
    return SourceText(info, decode_text(data, path.name))


def _pdf_source(data: bytes, info: DocumentInfo, text: str, pages: tuple[tuple[int, int], ...]) -> SourceText:
    """A PDF read with its layout, for the parser of its shape; by page when pypdf can read its text
    but its layout cannot be read (the warning says so)."""
    from care_evidence.indexer.parsers import PARSERS
    from care_evidence.indexer.pdf_source import read_pdf_text

    try:
        pdf = read_pdf_text(data, info.parser, set(PARSERS))
    except Exception as err:  # noqa: BLE001 - pdfminer raises many types on odd files; the text is still read
        return SourceText(info, text, pages, warnings=(f"its layout could not be read ({type(err).__name__}: "
                                                       f"{err}); indexed by page from its plain text",))
    layout = pdf.layout
    if not layout.text.strip():
        return SourceText(info, text, pages, warnings=("its layout gave no text; indexed by page from its plain text",))
    return SourceText(info, layout.text, tuple(layout.sheets), layout, pdf.shape, tuple(pdf.warnings))
