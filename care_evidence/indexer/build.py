"""Build the index: read the corpus, parse, group duplicates, embed what changed, write atomically."""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
from tqdm import tqdm

from care_evidence.evidence.settings import load_settings
from care_evidence.indexer.corpus import CorpusFileError, default_info, list_corpus_files, load_metadata, read_source
from care_evidence.indexer.duplicates import find_groups
from care_evidence.indexer.embedding import MODEL_NAME, Embedder
from care_evidence.indexer.models import DocumentInfo, FileProblem, Passage
from care_evidence.indexer.parsers import parse_document
from care_evidence.indexer.sentences import sentence_spans
from care_evidence.indexer.store import REBUILD_HINT, SCHEMA_VERSION, IndexMissing, IndexStale, load_index
from care_evidence.indexer.vocabulary import CorpusVocabulary
from care_evidence.indexer.writer import build_lock, library_versions, write_index


class BuildFailed(Exception):
    """Nothing at all could be indexed."""


@dataclass
class BuildReport:
    index_path: Path
    documents: list[DocumentInfo]
    passages_per_document: Counter
    passages_per_kind: Counter
    figures: int
    groups: int
    embedded: int
    reused: int
    seconds: float
    problems: list[FileProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        lines = [f"Indexed {len(self.documents)} documents, "
                 f"{sum(self.passages_per_document.values())} passages in {self.seconds:.1f} s -> {self.index_path}"]
        for doc in self.documents:
            lines.append(f"  {doc.label:<24} {self.passages_per_document[doc.id]:>5} passages  ({doc.file})")
        kinds = ", ".join(f"{k}: {n}" for k, n in sorted(self.passages_per_kind.items()))
        lines.append(f"  passages by kind: {kinds}")
        lines.append(f"  figures (numbers): {self.figures}; duplicate groups: {self.groups}")
        lines.append(f"  embedded {self.embedded} passages, reused {self.reused} unchanged embeddings")
        for problem in self.problems:
            lines.append(f"  WARNING skipped {problem}")
        for warning in self.warnings:
            lines.append(f"  WARNING {warning}")
        return "\n".join(lines)


def embedding_key(text: str, dtype: str = "bfloat16", model_name: str = MODEL_NAME) -> str:
    return hashlib.sha256(f"{model_name}:{dtype}\n{text}".encode()).hexdigest()


def _previous_vectors(index_dir: Path, embedder: Embedder) -> tuple[dict[str, np.ndarray], str]:
    """Embeddings of the current index (passages and sentences) by text hash, so unchanged text is
    not embedded again; none when it was embedded at another precision. A damaged previous index
    is no reason to fail: everything is embedded afresh, and the second value says what was damaged."""
    try:
        old = load_index(index_dir, embedder.name, with_faiss=False, verify=True)
    except IndexMissing:
        return {}, ""
    except IndexStale:
        return {}, ""
    except Exception as err:  # noqa: BLE001 - whatever is wrong with the old index, the new build goes on
        return {}, _damage_warning(err)
    dtype = embedder.dtype
    if old.manifest["model"].get("dtype", "float32") != dtype:
        return {}, ""
    try:
        def key(text: str) -> str:
            return embedding_key(text, dtype, embedder.name)

        cache = {key(p.retrieval_text): old.vectors[i] for i, p in enumerate(old.passages)}
        for row, (passage, start, end) in enumerate(old.sentences):
            text = old.passages[int(passage)].search_text[int(start) : int(end)]
            cache[key(text)] = old.sentence_vectors[row]
        for term, vector in zip(old.vocabulary.terms, old.vocabulary.vectors, strict=True):
            cache[key(term)] = vector
    except Exception as err:  # noqa: BLE001 - as above
        return {}, _damage_warning(err)
    return cache, ""


def _damage_warning(err: Exception) -> str:
    reason = str(err).removesuffix(f"; {REBUILD_HINT}") or type(err).__name__
    return f"the previous index was damaged, so every passage was embedded again ({reason})"


def embed_with_cache(
    texts: list[str], cache: dict[str, np.ndarray], embedder: Embedder, progress: bool
) -> tuple[np.ndarray, int]:
    """Vectors for `texts`, embedding only those not in `cache`; returns them and how many were new."""
    keys = [embedding_key(t, embedder.dtype, embedder.name) for t in texts]
    todo = [i for i, k in enumerate(keys) if k not in cache]
    todo_texts = list(dict.fromkeys(texts[i] for i in todo))
    fresh = embedder.encode(todo_texts, progress=progress)
    for text, vector in zip(todo_texts, fresh, strict=True):
        cache[embedding_key(text, embedder.dtype, embedder.name)] = vector
    if not texts:
        return np.zeros((0, embedder.dimension), dtype=np.float32), 0
    return np.stack([cache[k] for k in keys]).astype(np.float32), len(todo)


def _unique_id(info: DocumentInfo, taken: set[str]) -> DocumentInfo:
    doc_id, n = info.id, 2
    while doc_id in taken:
        doc_id, n = f"{info.id}-{n}", n + 1
    return info if doc_id == info.id else replace(info, id=doc_id)


ProgressCallback = Callable[[str, float], None]


@dataclass
class _ParsedCorpus:
    documents: list[DocumentInfo] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)
    passages: list[Passage] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # indexed, but not as well as it might be


def build_index(
    corpus_dir: Path, index_dir: Path, embedder: Embedder | None = None, progress: bool = True,
    on_progress: ProgressCallback | None = None,
) -> BuildReport:
    """Build (or rebuild) the index of `corpus_dir` into `index_dir`; bad files are skipped and reported.

    `on_progress(stage, fraction)` is called as the build advances (for a progress bar in the app).
    """
    started = time.perf_counter()
    report_progress = on_progress or (lambda stage, fraction: None)
    # The model the settings name, whatever embedder the caller holds (the app's is MiniLM's): an
    # index built with another would be stale at once, and a rebuild would build it again.
    chosen = load_settings(index_dir).dense_model
    if embedder is None or embedder.dense_model.key != chosen:
        embedder = Embedder(model=chosen)
    with build_lock(index_dir):
        files, problems = list_corpus_files(corpus_dir)
        corpus = _parse_corpus(files, load_metadata(corpus_dir), problems, progress, report_progress)
        if not corpus.passages:
            reasons = "; ".join(str(p) for p in problems) or "the corpus folder has no .txt, .md or .pdf file"
            raise BuildFailed(f"nothing could be indexed from {corpus_dir}: {reasons}")
        passages, documents = corpus.passages, corpus.documents
        groups = find_groups(passages, {d.id: d for d in documents})
        report_progress("Embedding passages", 0.15)
        cache, damage = _previous_vectors(index_dir, embedder)
        vectors, embedded = embed_with_cache([p.retrieval_text for p in passages], cache, embedder, progress)
        sentences = np.array(
            [(row, start, end) for row, p in enumerate(passages) for start, end in sentence_spans(p.search_text)],
            dtype=np.int32,
        ).reshape(-1, 3)
        report_progress("Embedding sentences", 0.5)
        sentence_vectors, _ = embed_with_cache([passages[r].search_text[s:e] for r, s, e in sentences], cache,
                                               embedder, progress)
        report_progress("Learning the reports' vocabulary", 0.9)
        vocabulary = CorpusVocabulary.learn([p.retrieval_text for p in passages],
                                            lambda terms: embed_with_cache(terms, cache, embedder, progress)[0],
                                            load_settings(index_dir).vocabulary_terms)
        report_progress("Writing the index", 0.95)
        path = write_index(index_dir, manifest=_manifest(index_dir, documents, problems, embedder, vectors),
                           documents=documents, sources=corpus.sources, passages=passages, groups=groups,
                           vectors=vectors, sentences=sentences, sentence_vectors=sentence_vectors,
                           vocabulary=vocabulary)
    report_progress("Done", 1.0)
    return BuildReport(
        index_path=path, documents=documents, passages_per_document=Counter(p.doc_id for p in passages),
        passages_per_kind=Counter(p.kind for p in passages), figures=sum(len(p.quantities) for p in passages),
        groups=len(groups), embedded=embedded, reused=len(passages) - embedded,
        seconds=time.perf_counter() - started, problems=problems,
        warnings=corpus.warnings + ([damage] if damage else []),
    )


def _parse_corpus(files: list[Path], metadata: dict[str, DocumentInfo], problems: list[FileProblem],
                  progress: bool, report_progress: ProgressCallback) -> _ParsedCorpus:
    """Read and parse every file; a file that cannot be read or parsed, or repeats another, is a problem."""
    corpus = _ParsedCorpus()
    for number, path in enumerate(tqdm(files, desc="Parsing", unit="file", disable=not progress)):
        report_progress(f"Parsing {path.name}", 0.1 * number / max(len(files), 1))
        # An id written in metadata is kept; one made from a file name gives way to it.
        taken = {d.id for d in corpus.documents} | ({i.id for i in metadata.values()} if path.name not in metadata
                                                    else set())
        info = _unique_id(metadata.get(path.name) or default_info(path), taken)
        try:
            source = read_source(path, info)
            parsed = parse_document(source)
            if not parsed:
                raise CorpusFileError("no passages found in it")
        except CorpusFileError as err:
            problems.append(FileProblem(path.name, str(err)))
            continue
        except Exception as err:  # a parser bug on one file must not lose the others
            problems.append(FileProblem(path.name, f"could not be parsed ({type(err).__name__}: {err})"))
            continue
        twin = next((d for d in corpus.documents if d.sha256 == source.doc.sha256), None)
        if twin is not None:  # the same report twice would answer every question twice
            problems.append(FileProblem(path.name, f"has the same content as {twin.file}; indexed once, "
                                                   f"as {twin.label}"))
            continue
        corpus.documents.append(source.doc)
        corpus.sources[source.doc.id] = source.text
        corpus.warnings += [f"{path.name}: {warning}" for warning in source.warnings]
        corpus.passages += parsed
    return corpus


def _manifest(index_dir: Path, documents: list[DocumentInfo], problems: list[FileProblem], embedder: Embedder,
              vectors: np.ndarray) -> dict:
    return {
        "schema_version": SCHEMA_VERSION,
        "settings": dict(load_settings(index_dir)),  # recorded, so a report can say what ranked it
        "model": {"name": embedder.name, "dimension": int(vectors.shape[1]), "dtype": embedder.dtype},
        "libraries": library_versions(),
        "corpus": {d.file: d.sha256 for d in documents},
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "skipped": [{"file": p.file, "reason": p.reason} for p in problems],
    }
