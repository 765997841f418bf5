"""corpus/metadata.toml, validated with a schema before anything is built.

Every field is checked for its type and allowed values, and identifiers are checked against a strict
pattern before any path is made from them: a document id names the file of its text in the index
(`sources/<id>.txt`) and is the first part of every passage id, so "../x" or "/tmp/x" must never get
that far. A wrong entry is an error naming the file, the document and the field; nothing is built.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StringConstraints, ValidationError, field_validator

from care_evidence.indexer.models import DocumentInfo

METADATA_FILE = "metadata.toml"
METADATA_MAX_BYTES = 1024 * 1024
# Lower-case letters, digits and single hyphens, dots or underscores between them: safe as a file name
# on every system, in a URL and as the first part of a passage id ("nao2017/para-2-7").
DOCUMENT_ID_PATTERN = r"^[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?$"
# A file directly in the corpus folder: no folder part, not hidden.
FILE_NAME_PATTERN = r"^[^/\\\x00]+$"
DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
OptionalText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]


def is_date(value: str) -> bool:
    """YYYY, YYYY-MM or YYYY-MM-DD, and a real one (not 2017-13-45): document dates and date filters."""
    import re

    if not re.match(DATE_PATTERN, value):
        return False
    parts = [int(p) for p in value.split("-")]
    try:
        dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return False
    return True


class MetadataError(Exception):
    """corpus/metadata.toml cannot be used; the message names the file, the document and the field."""


class DocumentEntry(BaseModel):
    """One [[document]] entry of metadata.toml."""

    model_config = ConfigDict(extra="forbid", strict=True)

    file: Annotated[str, StringConstraints(pattern=FILE_NAME_PATTERN, max_length=255)]
    id: Annotated[str, StringConstraints(pattern=DOCUMENT_ID_PATTERN)]
    label: Text
    title: Text
    publisher: OptionalText = ""
    date: OptionalText = ""
    kind: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)] = "document"
    parser: str = "generic"
    aliases: list[Text] = Field(default_factory=list, max_length=50)
    ocr: StrictBool = False
    coverage: OptionalText = ""
    # The paper number the publisher printed it under ("HC 1011"): references by number find it.
    paper: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^(HC \d{1,5})?$")] = ""
    # Where the document can be read, as the document itself prints it; only http(s) addresses.
    url: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^(https?://[^\s<>\"']{1,500})?$")] = ""

    @field_validator("id")
    @classmethod
    def _no_double_dot(cls, value: str) -> str:
        if ".." in value:
            raise ValueError("must not hold '..'")
        return value

    @field_validator("file")
    @classmethod
    def _plain_file_name(cls, value: str) -> str:
        if value in {".", ".."} or value.startswith("."):
            raise ValueError("must be the name of a file in the corpus folder, not a path or a hidden file")
        return value

    @field_validator("date", mode="before")
    @classmethod
    def _date_as_text(cls, value: object) -> object:
        # TOML has a date type: `date = 2017-02-07` means what `date = "2017-02-07"` means.
        return value.isoformat() if isinstance(value, dt.date) and not isinstance(value, dt.datetime) else value

    @field_validator("date")
    @classmethod
    def _date_form(cls, value: str) -> str:
        import re

        if value and not re.match(DATE_PATTERN, value):
            raise ValueError("must be YYYY, YYYY-MM or YYYY-MM-DD")
        if value and not is_date(value):
            raise ValueError(f"is no date ({value} has no such month or day)")
        return value

    @field_validator("parser")
    @classmethod
    def _known_parser(cls, value: str) -> str:
        from care_evidence.indexer.parsers import PARSERS

        if value not in PARSERS:
            raise ValueError(f"must be one of {', '.join(sorted(PARSERS))}")
        return value

    def to_info(self) -> DocumentInfo:
        return DocumentInfo(id=self.id, file=self.file, label=self.label, title=self.title,
                            publisher=self.publisher, date=self.date, kind=self.kind, parser=self.parser,
                            aliases=tuple(self.aliases), ocr=self.ocr, coverage=self.coverage,
                            paper=self.paper, url=self.url)


_TYPE_MESSAGES = {
    "string_type": "must be text in quotes",
    "list_type": 'must be a list of texts in quotes, e.g. ["NAO", "National Audit Office"]',
    "bool_type": "must be true or false (without quotes)",
}


def _describe(err: ValidationError, entry: object) -> str:
    """One line per wrong field: the field, what is wrong, the value given."""
    problems = []
    for e in err.errors():
        field = ".".join(str(part) for part in e["loc"]) or "(entry)"
        given = e.get("input")
        shown = "" if isinstance(given, dict) else f" (given: {given!r:.80})"
        message = e["msg"]
        if e["type"] == "extra_forbidden":
            message = f"unknown field; fields are {', '.join(sorted(DocumentEntry.model_fields))}"
        elif e["type"] == "missing":
            message = "is required"
        elif e["type"] in _TYPE_MESSAGES:
            message = _TYPE_MESSAGES[e["type"]]
        elif e["type"] == "string_pattern_mismatch" and field == "id":
            message = "must be lower-case letters, digits, and . _ - between them (at most 64 characters)"
        problems.append(f"field {field!r} {message}{shown}")
    return "; ".join(problems)


def parse_metadata(text: str, path: Path) -> dict[str, DocumentInfo]:
    """Documents by file name from the text of a metadata file; MetadataError names what is wrong."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise MetadataError(f"{path}: metadata is not valid TOML ({err})") from err
    unknown = sorted(set(data) - {"document"})
    if unknown:
        raise MetadataError(f"{path}: unknown table(s) {', '.join(unknown)}; only [[document]] entries belong here")
    entries = data.get("document", [])
    if not isinstance(entries, list):
        raise MetadataError(f"{path}: 'document' must be a list of [[document]] tables")
    docs: dict[str, DocumentInfo] = {}
    ids: dict[str, str] = {}
    for number, entry in enumerate(entries, start=1):
        name = (entry.get("file") or entry.get("id") or f"entry {number}") if isinstance(entry, dict) else number
        if not isinstance(entry, dict):
            raise MetadataError(f"{path}: [[document]] entry {number} is not a table")
        try:
            info = DocumentEntry.model_validate(entry).to_info()
        except ValidationError as err:
            raise MetadataError(f"{path}: [[document]] {str(name)[:80]!r}: {_describe(err, entry)}") from err
        if info.file in docs:
            raise MetadataError(f"{path}: [[document]] {info.file!r} is listed twice; keep one entry per file")
        if info.id in ids:
            raise MetadataError(f"{path}: [[document]] {info.file!r}: id {info.id!r} is already the id of "
                                f"{ids[info.id]!r}; every document needs its own id")
        docs[info.file] = info
        ids[info.id] = info.file
    _refuse_shared_names(docs, path)
    return docs


def _refuse_shared_names(docs: dict[str, DocumentInfo], path: Path) -> None:
    """A label or alias naming two documents would cite one as the other: "PAC 2018, para 5" must
    open the PAC's para 5."""
    owner: dict[str, str] = {}
    for info in docs.values():
        for name in {info.label, *info.aliases}:
            key = " ".join(name.lower().split())
            if key in owner and owner[key] != info.file:
                raise MetadataError(f"{path}: [[document]] {info.file!r}: {name!r} already names "
                                    f"{owner[key]!r}; each label and alias must name one document")
            owner[key] = info.file


def load_metadata(corpus_dir: Path) -> dict[str, DocumentInfo]:
    """Metadata by file name, from corpus/metadata.toml (missing file: no metadata)."""
    from care_evidence.indexer.paths import UnsafePath, inside

    path = corpus_dir / METADATA_FILE
    if not path.exists() and not path.is_symlink():
        return {}
    try:
        inside(corpus_dir, METADATA_FILE)  # a link out of the corpus (/etc/passwd) is not read
    except UnsafePath as err:
        raise MetadataError(f"{path}: is a link to a file outside the corpus folder") from err
    if not path.is_file():
        raise MetadataError(f"{path}: is not a regular file (a folder, a FIFO or a device?)")
    try:
        with path.open("rb") as handle:
            data = handle.read(METADATA_MAX_BYTES + 1)
        if len(data) > METADATA_MAX_BYTES:
            raise MetadataError(f"{path}: is over {METADATA_MAX_BYTES // 1024} KB; a metadata file is a few KB")
        text = data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise MetadataError(f"{path}: cannot be read as UTF-8 text ({err})") from err
    return parse_metadata(text, path)
