"""A synthetic corpus grown from the real passages, for the scale benchmark (bench/scale.py).

Text, three designs:
- "markov" (the default, what the scale targets are checked on): a real passage's first words,
  continued to the same length by a word-bigram model of all the reports. It reads like the reports
  locally (their phrases, numbers and vocabulary, so BM25 statistics stay theirs) and is on their
  subjects, but it does not restate any one passage: other reports on the same subject, not copies.
- "renamed": "markov" with every number, code and reference but years drawn afresh in each passage
  ("IBH0007" -> "IBH3815", "£5.3" -> "£8.1", "1129" -> "6402"; "2015-16" stays). Every word of the
  reports is copied some 2,000 times at a million passages in "markov", their identifiers too, where
  a real library's other reports bring their own figures and numbers: this design measures how much
  of the fall in recall at scale comes from that.
- "copy" (a stress test): the real passage with one word in three replaced by a word drawn from the
  corpus's word frequencies: about 1,800 near-copies of every real passage at a million passages.
Whatever the design, no synthetic passage holds an evaluation support quote verbatim: none shares a run of
QUOTE_NGRAM words with any quote (checked, and re-drawn until true).

Vectors (VECTORS, `bench.scale build --vectors`): embedding a million passages and their sentences
here would take most of a day, so by default ("fitted") each synthetic vector is made from its
source's vector by VariantNoise, fitted at each build on the model's embeddings of a sample of
variants; "isotropic" adds Gaussian noise calibrated on the cosine to the source alone (earlier runs:
it flatters recall at scale, see VariantNoise); "embedded" runs the model on every synthetic passage
and sentence (the reference, affordable at 10k). Sentence vectors are made the same way from the
source's sentence vectors.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

import numpy as np

from care_evidence.indexer.models import DocumentInfo, Passage
from care_evidence.indexer.quantities import extract_quantities
from care_evidence.indexer.sentences import sentence_spans

QUOTE_NGRAM = 3
REPLACE_EVERY = 3
SEED_WORDS = 4  # markov: the source passage's opening words the text starts from
DESIGNS = ("markov", "renamed", "copy")
VECTORS = ("fitted", "isotropic", "embedded")  # how synthetic vectors are made (bench/scale.py --vectors)
PASSAGES_PER_DOCUMENT = 1000


def _words(text: str) -> list[str]:
    return re.findall(r"\S+", text)


_YEAR = re.compile(r"(?:19|20)\d\d(?:[-–/](?:19|20)?\d\d)?")  # 2015, 2015-16, 2017/18: shared by reports of a period


def _renamed(word: str, rng: np.random.Generator) -> str:
    """`word` with its digits drawn afresh unless it is a year or period (see "renamed" above)."""
    if not any(c.isdigit() for c in word) or _YEAR.fullmatch(word.strip("().,;:£%'’\"")):
        return word
    digits = iter(rng.integers(10, size=len(word)).tolist())
    return re.sub(r"\d", lambda m: str(next(digits)), word)


def _key(word: str) -> str:
    return re.sub(r"[^\w£%.]", "", word.lower())


def quote_ngrams(quotes: list[str]) -> set[tuple[str, ...]]:
    grams = set()
    for quote in quotes:
        words = [_key(w) for w in _words(quote)]
        if len(words) < QUOTE_NGRAM:
            raise ValueError(f"support quote shorter than {QUOTE_NGRAM} words: {quote!r}")
        grams |= {tuple(words[i : i + QUOTE_NGRAM]) for i in range(len(words) - QUOTE_NGRAM + 1)}
    return grams


@dataclass
class Variant:
    source_row: int
    text: str


class VariantMaker:
    """Real passage -> a passage that reads like the reports but states nothing they state verbatim."""

    def __init__(self, passages: list[Passage], quotes: list[str], seed: int, design: str = "markov"):
        if design not in DESIGNS:
            raise ValueError(f"unknown design {design!r}; choose from {', '.join(DESIGNS)}")
        self._passages = passages
        self._design = design
        self._forbidden = quote_ngrams(quotes)
        texts = [_words(p.search_text) for p in passages]
        self._next: dict[str, list[str]] = {}
        for words in texts:
            for a, b in zip(words, words[1:], strict=False):
                self._next.setdefault(a, []).append(b)
        counts = Counter(w for words in texts for w in words)
        self._vocabulary = np.array(list(counts))
        weights = np.array(list(counts.values()), dtype=np.float64)
        self._probabilities = weights / weights.sum()
        self._rng = np.random.default_rng(seed)
        # Its own stream, so that "renamed" draws the same text as "markov" and then renames: the two
        # differ by their numbers, not by a draw (which alone moves Recall@5 at 1M by ~0.04).
        self._rename_rng = np.random.default_rng(seed + 1_000)
        self._pool: list[str] = []

    def _draw(self) -> str:
        if not self._pool:
            self._pool = self._rng.choice(self._vocabulary, size=100_000, p=self._probabilities).tolist()
        return self._pool.pop()

    def make(self, source_row: int) -> Variant:
        words = _words(self._passages[source_row].search_text)
        if self._design == "copy":
            offset = int(self._rng.integers(REPLACE_EVERY))
            for i in range(offset, len(words), REPLACE_EVERY):
                words[i] = self._draw()
        else:
            length, words = len(words), words[:SEED_WORDS]
            choices = self._rng.random(length)
            while len(words) < length:
                successors = self._next.get(words[-1])
                words.append(successors[int(choices[len(words)] * len(successors))] if successors else self._draw())
        self._break_quotes(words, self._draw)
        if self._design == "renamed":
            words = [_renamed(w, self._rename_rng) for w in words]
            self._break_quotes(words, self._draw_for_renamed)  # a new number may complete a quote
        return Variant(source_row, " ".join(words))

    def _draw_for_renamed(self) -> str:
        return str(self._rename_rng.choice(self._vocabulary, p=self._probabilities))

    def _break_quotes(self, words: list[str], draw) -> None:
        for _ in range(100):
            keys = [_key(w) for w in words]
            clash = next((i for i in range(len(keys) - QUOTE_NGRAM + 1)
                          if tuple(keys[i : i + QUOTE_NGRAM]) in self._forbidden), None)
            if clash is None:
                return
            words[clash + 1] = draw()
        raise RuntimeError("could not break a support quote out of a synthetic passage")


def perturb(vectors: np.ndarray, sigma: float, rng: np.random.Generator) -> np.ndarray:
    """Unit vectors at cosine ~ 1/sqrt(1 + sigma^2) from `vectors` (Gaussian noise of norm ~sigma)."""
    noisy = vectors.astype(np.float32) + rng.standard_normal(vectors.shape, dtype=np.float32) * (
        sigma / np.sqrt(vectors.shape[1]))
    return noisy / np.linalg.norm(noisy, axis=1, keepdims=True)


def sigma_for_cosine(cosine: float) -> float:
    return float(np.sqrt(1.0 / cosine**2 - 1.0))


SHRINK = 0.1  # share of the residual covariance replaced by its mean variance (a sample of ~1,000 in 384-d)


@dataclass
class VariantNoise:
    """How the model's embedding of a variant differs from its source's vector, fitted on a sample.

    variant = alpha * source + beta * centroid + residual, residual ~ N(mean, covariance): the residuals
    of the sample, not isotropic noise. Isotropic noise calibrated on the cosine to the source alone
    moves a variant away from every question alike (the markov text, embedded by the model, stays on
    the reports' subjects: mean cosine to the questions 0.36 against 0.23 for isotropic noise, in
    bench/vector_check.py), which left the dense lists nearly free of distractors and flattered recall
    at scale (10k Recall@5: embedded 0.854, fitted 0.927, isotropic 0.951).
    """

    alpha: float
    beta: float
    centroid: np.ndarray
    mean: np.ndarray
    factor: np.ndarray  # residual = mean + z @ factor, z standard normal

    @classmethod
    def fit(cls, sources: np.ndarray, variants: np.ndarray, corpus: np.ndarray) -> VariantNoise:
        sources, variants = sources.astype(np.float64), variants.astype(np.float64)
        centroid = corpus.astype(np.float64).mean(axis=0)
        centroid /= np.linalg.norm(centroid)
        along = sources @ centroid
        # Least squares for one alpha and one beta shared by the sample.
        gram = np.array([[np.sum(sources * sources), along.sum()], [along.sum(), len(sources)]])
        alpha, beta = np.linalg.solve(gram, [np.sum(variants * sources), np.sum(variants @ centroid)])
        residuals = variants - alpha * sources - beta * centroid
        mean = residuals.mean(axis=0)
        covariance = np.cov(residuals, rowvar=False)
        dim = covariance.shape[0]
        covariance = (1 - SHRINK) * covariance + SHRINK * np.trace(covariance) / dim * np.eye(dim)
        return cls(float(alpha), float(beta), centroid.astype(np.float32), mean.astype(np.float32),
                   np.linalg.cholesky(covariance).T.astype(np.float32))

    def apply(self, sources: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        z = rng.standard_normal(sources.shape, dtype=np.float32)
        out = self.alpha * sources.astype(np.float32) + self.beta * self.centroid + self.mean + z @ self.factor
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def synthetic_document(number: int) -> DocumentInfo:
    doc_id = f"syn{number:05d}"
    return DocumentInfo(id=doc_id, label=f"Synthetic report {number:05d}", title=f"Synthetic report {number:05d}",
                        publisher="bench/synthetic.py", date="2020", kind="report", file=f"{doc_id}.txt",
                        sha256="", parser="generic")


def synthetic_passages(maker: VariantMaker, sources: np.ndarray, first_doc: int) -> tuple[
        list[DocumentInfo], dict[str, str], list[Passage], list[tuple[int, list[tuple[int, int]]]]]:
    """Passages made from the real passages at rows `sources`, PASSAGES_PER_DOCUMENT to a document.

    Returns the documents, their source texts, the passages and, per passage, (source row, sentence spans).
    """
    documents, texts, passages, spans = [], {}, [], []
    for start in range(0, len(sources), PASSAGES_PER_DOCUMENT):
        doc = synthetic_document(first_doc + start // PASSAGES_PER_DOCUMENT)
        documents.append(doc)
        pieces, offset = [], 0
        for order, source_row in enumerate(sources[start : start + PASSAGES_PER_DOCUMENT]):
            variant = maker.make(int(source_row))
            real = maker._passages[int(source_row)]
            text = variant.text
            passages.append(replace(
                real, id=f"{doc.id}/{order}", doc_id=doc.id, segments=((offset, offset + len(text)),), text=text,
                search_text=text, page=None, order=order, footnote_refs=(), group=None, context="",
                quantities=tuple(extract_quantities(text))))
            spans.append((int(source_row), sentence_spans(text)))
            pieces.append(text)
            offset += len(text) + 2
        texts[doc.id] = "\n\n".join(pieces)
    return documents, texts, passages, spans
