"""Passages on disk in SQLite, read on demand: a million passages must not all live in memory.

One row per passage: its position in the index (`row`, the row of its vectors), the columns the
engine selects on (id, document, kind, lower-cased locator, page, order, section) and the whole
passage as JSON. A small index is decoded once at load; a large one is decoded row by row and the
most recent passages are kept.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path

from care_evidence.indexer.models import Passage

FILE_NAME = "passages.sqlite"
DECODE_ALL_BELOW = 50_000  # passages decoded at load under this size (a few seconds, ~100 MB)
CACHE_PASSAGES = 20_000  # decoded passages kept in a large index

_SCHEMA = """
CREATE TABLE passages (
    row INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, doc_id TEXT NOT NULL, kind TEXT NOT NULL,
    locator TEXT NOT NULL, page INTEGER, ord INTEGER NOT NULL, section TEXT NOT NULL, data TEXT NOT NULL
);
"""
_INDEXES = """
CREATE INDEX passages_locator ON passages (locator, doc_id);
CREATE INDEX passages_doc ON passages (doc_id, ord);
CREATE INDEX passages_page ON passages (doc_id, page);
"""


def stored_section(section: tuple[str, ...]) -> str:
    """A section path as the table stores it (for "same section" queries), not for display."""
    return "\x1f".join(section)


def write_passages(path: Path, passages: Iterable[Passage]) -> int:
    """Write every passage (row = position in `passages`); returns how many."""
    connection = sqlite3.connect(path)
    try:
        connection.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + _SCHEMA)
        rows = (
            (row, p.id, p.doc_id, p.kind, p.locator.lower(), p.page, p.order, stored_section(p.section),
             json.dumps(p.to_dict(), ensure_ascii=False))
            for row, p in enumerate(passages)
        )
        connection.executemany("INSERT INTO passages VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        connection.executescript(_INDEXES)
        connection.commit()
        (count,) = connection.execute("SELECT COUNT(*) FROM passages").fetchone()
    finally:
        connection.close()
    return int(count)


class PassageTable(Sequence[Passage]):
    """The passages of a loaded index by row, plus the look-ups the engine needs, all read-only.

    Safe to share between threads: each thread opens its own read-only connection.
    """

    def __init__(self, path: Path):
        self._path = path
        self._local = threading.local()
        (self._size,) = self._connection().execute("SELECT COUNT(*) FROM passages").fetchone()
        self._all: list[Passage] | None = None
        if self._size < DECODE_ALL_BELOW:
            self._all = [Passage.from_dict(json.loads(data)) for (data,) in
                         self._connection().execute("SELECT data FROM passages ORDER BY row")]
        self._decode = lru_cache(maxsize=CACHE_PASSAGES)(self._read)

    def clear_cache(self) -> None:
        """Forget decoded passages (a large index): benchmarks time a warm process without reusing them."""
        self._decode.cache_clear()

    @property
    def reads_on_demand(self) -> bool:
        """Whether passages are read from SQLite when asked for (a large index), not decoded at load."""
        return self._all is None

    def cached(self) -> int:
        """Passages decoded and kept."""
        return self._decode.cache_info().currsize

    def _connection(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(f"file:{self._path}?mode=ro", uri=True, check_same_thread=False)
            self._local.connection = connection
        return connection

    def _read(self, row: int) -> Passage:
        data = getattr(self._local, "fetched", {}).pop(row, None)
        if data is None:
            found = self._connection().execute("SELECT data FROM passages WHERE row = ?", (row,)).fetchone()
            if found is None:
                raise IndexError(row)
            data = found[0]
        return Passage.from_dict(json.loads(data))

    def prefetch(self, rows: Iterable[int]) -> None:
        """Read these rows in one query, for the passages about to be used (a question's candidates):
        one query for a question's shortlist instead of one a row (2 ms a question saved at a million
        passages, when 180 rows were read). Rows already
        decoded are read again but not decoded; what is not used is dropped at the next prefetch."""
        if self._all is not None:
            return
        self._local.fetched = {row: data for row, data in self._select_rows("data", rows)}

    def documents_and_kinds(self, rows: Iterable[int]) -> dict[int, tuple[str, str]]:
        """(document id, kind) of each row, from their columns: no passage is decoded."""
        if self._all is not None:
            return {int(r): (self._all[r].doc_id, self._all[r].kind) for r in rows}
        return {row: (doc_id, kind) for row, doc_id, kind in self._select_rows("doc_id, kind", rows)}

    def _select_rows(self, columns: str, rows: Iterable[int]) -> list[tuple]:
        """(row, *columns) of these rows, in queries of at most 900 (SQLite's limit of bound variables)."""
        wanted = sorted({int(r) for r in rows})
        found: list[tuple] = []
        for start in range(0, len(wanted), 900):
            chunk = wanted[start : start + 900]
            found += self._connection().execute(
                f"SELECT row, {columns} FROM passages WHERE row IN ({','.join('?' * len(chunk))})", chunk).fetchall()
        return found

    def __len__(self) -> int:
        return self._size

    def __getitem__(self, row):  # type: ignore[override]
        if isinstance(row, slice):
            return [self[i] for i in range(*row.indices(self._size))]
        if row < 0:
            row += self._size
        if not 0 <= row < self._size:
            raise IndexError(row)
        return self._all[row] if self._all is not None else self._decode(int(row))

    def __iter__(self) -> Iterator[Passage]:
        if self._all is not None:
            return iter(self._all)
        return (Passage.from_dict(json.loads(data)) for (data,) in
                self._connection().execute("SELECT data FROM passages ORDER BY row"))

    def _rows(self, sql: str, params: Sequence = ()) -> list[int]:
        return [row for (row,) in self._connection().execute(sql, params)]

    def row_of(self, passage_id: str) -> int | None:
        found = self._connection().execute("SELECT row FROM passages WHERE id = ?", (passage_id,)).fetchone()
        return None if found is None else int(found[0])

    def rows_with_locator(self, locator: str, doc_ids: Sequence[str] = ()) -> list[int]:
        """Rows whose locator is `locator` (any case), in the given documents (all when none)."""
        sql = "SELECT row FROM passages WHERE locator = ?"
        if doc_ids:
            sql += f" AND doc_id IN ({','.join('?' * len(doc_ids))})"
        return self._rows(sql + " ORDER BY row", (locator.lower(), *doc_ids))

    def rows_in_few_documents(self, locator: str, max_documents: int) -> list[int]:
        """Rows with this locator, unless it stands in more than `max_documents` documents (then none)."""
        found = self._connection().execute(
            "SELECT row, doc_id FROM passages WHERE locator = ? ORDER BY row", (locator.lower(),)).fetchall()
        return [row for row, _ in found] if len({doc for _, doc in found}) <= max_documents else []

    def rows_with_locator_ending(self, ending: str, doc_ids: Sequence[str]) -> list[int]:
        """Rows whose locator ends with " <ending>" ("para 13" finds "summary para 13")."""
        escaped = ending.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        sql = (f"SELECT row FROM passages WHERE doc_id IN ({','.join('?' * len(doc_ids))}) "
               "AND locator LIKE ? ESCAPE '\\' ORDER BY row")
        return self._rows(sql, (*doc_ids, f"% {escaped}"))

    def rows_of_documents(self, doc_ids: Sequence[str], kinds: Sequence[str] = ()) -> list[int]:
        sql = f"SELECT row FROM passages WHERE doc_id IN ({','.join('?' * len(doc_ids))})"
        if kinds:
            sql += f" AND kind IN ({','.join('?' * len(kinds))})"
        return self._rows(sql + " ORDER BY row", (*doc_ids, *kinds))

    def rows_on_page(self, page: int, doc_ids: Sequence[str]) -> list[int]:
        return self._rows(f"SELECT row FROM passages WHERE page = ? AND doc_id IN ({','.join('?' * len(doc_ids))}) "
                          "ORDER BY row", (page, *doc_ids))

    def pages(self, doc_ids: Sequence[str]) -> list[int]:
        return self._rows(f"SELECT DISTINCT page FROM passages WHERE page IS NOT NULL AND doc_id IN "
                          f"({','.join('?' * len(doc_ids))}) ORDER BY page", tuple(doc_ids))

    def locators(self, doc_ids: Sequence[str]) -> list[tuple[int, str]]:
        """(first row, locator) of each distinct locator in the documents."""
        sql = (f"SELECT MIN(row), locator FROM passages WHERE doc_id IN ({','.join('?' * len(doc_ids))}) "
               "GROUP BY locator")
        return [(int(row), locator) for row, locator in self._connection().execute(sql, tuple(doc_ids))]

    def neighbours(self, passage: Passage, before: int, after: int) -> list[Passage]:
        """The passage and those around it in the same document section, in document order."""
        section = stored_section(passage.section)
        sql = "SELECT row FROM passages WHERE doc_id = ? AND section = ? AND ord {} ? ORDER BY ord {} LIMIT ?"
        earlier = self._rows(sql.format("<", "DESC"), (passage.doc_id, section, passage.order, before))
        later = self._rows(sql.format(">", "ASC"), (passage.doc_id, section, passage.order, after))
        return [self[r] for r in reversed(earlier)] + [passage] + [self[r] for r in later]
