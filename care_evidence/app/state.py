"""Where the index and corpus are, and the engine: loaded once per process, built with progress if missing."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import streamlit as st

from care_evidence.app.widgets import say
from care_evidence.evidence.engine import Engine
from care_evidence.evidence.settings import SettingsError, load_settings
from care_evidence.indexer.build import BuildFailed, build_index
from care_evidence.indexer.corpus import CorpusFileError, MetadataError
from care_evidence.indexer.embedding import Embedder, ModelMissing
from care_evidence.indexer.store import IndexBusy, IndexCorrupt, IndexMissing, IndexProblem, IndexStale, current_build

ROOT = Path(__file__).resolve().parents[2]


T = TypeVar("T")


def remembered(name: str, key: object, compute: Callable[[], T]) -> T:
    """`compute()` remembered for the session under `name` while `key` stays the same: a rerun for
    another widget does not search again."""
    cached = st.session_state.get(name)
    if cached is not None and cached[0] == key:
        return cached[1]
    value = compute()
    st.session_state[name] = (key, value)
    return value


def index_dir() -> Path:
    return Path(os.environ.get("EVIDENCE_INDEX") or "index").resolve()


def corpus_dir() -> Path:
    return Path(os.environ.get("EVIDENCE_CORPUS") or "corpus").resolve()


def results_dir() -> Path:
    """The report written by `python -m care_evidence.eval` (EVIDENCE_EVAL_RESULTS chooses another folder)."""
    return Path(os.environ.get("EVIDENCE_EVAL_RESULTS") or ROOT / "care_evidence" / "eval" / "results").resolve()


def chosen_model() -> str:
    """The dense_model setting for the app's index ("minilm" when the settings cannot be read: the
    engine's load says what is wrong with them)."""
    try:
        return str(load_settings(index_dir()).dense_model)
    except SettingsError:
        return "minilm"


@st.cache_resource(show_spinner=False)
def _embedder(model: str = "minilm") -> Embedder:
    return Embedder(model=model)


@st.cache_resource(show_spinner="Loading the index (once per server)…", max_entries=2)
def _load(index_path: str, build: str) -> Engine:
    """One engine per index build: `build` (the live build folder) changes when the index is rebuilt.

    The language model loads in a thread: the page, look-ups and browsing work at once, and the first
    question waits only for what is left of the load (bench/app_start.py)."""
    return Engine.load(Path(index_path), _embedder(chosen_model()))




def get_engine() -> Engine:
    """The engine for the current index; builds the index first (with a progress bar) when there is none.

    Stops the script with a message when the index cannot be loaded or built.
    """
    path = index_dir()
    try:
        build = current_build(path)
        if build is None:
            raise IndexMissing(f"no index in {path}")
        load_settings(path)  # checked on every run: a cached engine must not hide settings that are wrong now
        return _load(str(path), str(build))
    except IndexMissing:
        _build(path, corpus_dir(), first_run=True)
    except (IndexStale, IndexCorrupt) as err:  # a rebuild repairs both: it never needs the old index
        say(f"The index cannot be used: {err}", "error")
        if st.button("Rebuild the index now", type="primary"):
            _build(path, corpus_dir(), first_run=False)
        else:
            st.stop()
    except IndexProblem as err:
        say(f"The index cannot be used: {err}", "error")
        st.stop()
    except SettingsError as err:  # EVIDENCE_SETTINGS or a ranking.toml that names no setting
        say(f"The engine's settings cannot be used: {err}", "error")
        st.stop()
    except ModelMissing as err:  # dense_model = "mpnet", not installed
        say(f"The sentence model cannot be loaded: {err}", "error")
        st.stop()
    return _load(str(path), str(current_build(path)))


def _build(index: Path, corpus: Path, first_run: bool) -> None:
    if not corpus.is_dir():
        say(f"There is no index in {index} and no corpus folder at {corpus} to build it from. "
                 "Set EVIDENCE_CORPUS to the folder of reports, or run python -m care_evidence.indexer build.", "error")
        st.stop()
    if first_run:
        say(f"First run: building the index of {corpus} into {index}. This takes a minute or two, once.", "info")
    bar = st.progress(0.0, text="Starting the build")

    def on_progress(stage: str, fraction: float) -> None:
        bar.progress(min(max(float(fraction), 0.0), 1.0), text=stage)

    try:
        report = build_index(corpus, index, embedder=_embedder(chosen_model()), progress=False,
                             on_progress=on_progress)
    except IndexBusy as err:
        bar.empty()
        say(f"The index is being built by another session ({err}). Reload the page in a minute.", "warning")
        st.stop()
    except (BuildFailed, MetadataError, CorpusFileError, IndexProblem, OSError, ModelMissing) as err:
        bar.empty()
        say(f"The index could not be built: {err}", "error")
        st.stop()
    bar.empty()
    passages = sum(report.passages_per_document.values())
    say(f"Built the index: {len(report.documents)} documents, {passages} passages, "
               f"{report.figures} figures in {report.seconds:.0f} s.", "success")
    for problem in report.problems:
        say(f"Skipped {problem}", "warning")
    for warning in report.warnings:
        say(warning, "warning")
