"""The settings registry: every tunable documented, files and overrides checked, and a setting changes
what the engine does."""

from __future__ import annotations

from pathlib import Path

import pytest

from care_evidence.evidence.settings import (
    SETTINGS,
    Settings,
    SettingsError,
    documentation,
    load_settings,
    write_ranking_file,
)

ROOT = Path(__file__).resolve().parents[1]


def test_every_setting_is_documented_in_docs():
    assert documentation() in (ROOT / "docs" / "retrieval.md").read_text(encoding="utf-8")
    assert all(s.help.strip() and s.name.islower() for s in SETTINGS)
    assert len({s.name for s in SETTINGS}) == len(SETTINGS)


def test_files_environment_and_overrides_in_that_order(tmp_path):
    (tmp_path / "ranking.toml").write_text("shortlist = 70\nweight_rrf = 0.5\n", encoding="utf-8")
    settings = load_settings(tmp_path, {"weight_rrf": "0.75"}, environ={"EVIDENCE_SETTINGS": "shortlist=80, pool=120"})
    assert (settings.shortlist, settings.pool, settings.weight_rrf) == (80, 120, 0.75)
    assert load_settings(tmp_path, environ={}).shortlist == 70
    assert load_settings(None, environ={}).shortlist == Settings().shortlist == 60


@pytest.mark.parametrize("values,message", [
    ({"shortlst": 1}, "unknown setting 'shortlst'; settings are dense_model, rrf_k, "),
    ({"shortlist": "many"}, "setting 'shortlist' must be a whole number, not 'many'"),
    ({"shortlist": 2.5}, "setting 'shortlist' must be a whole number, not 2.5"),
    ({"weight_rrf": True}, "setting 'weight_rrf' must be a finite number, not True"),
])
def test_an_unknown_name_or_a_wrong_value_is_an_error(values, message):
    with pytest.raises(SettingsError, match=message):
        Settings(values)


def test_a_ranking_file_with_an_unknown_name_is_refused(tmp_path):
    (tmp_path / "ranking.toml").write_text("weight_magic = 1.0\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="ranking.toml: unknown setting\\(s\\) weight_magic"):
        load_settings(tmp_path, environ={})


def test_the_tuner_writes_a_file_the_engine_reads_back(tmp_path):
    path = tmp_path / "ranking.toml"
    write_ranking_file({"weight_rrf": 0.5, "weight_sentence": 1.5}, path)
    assert load_settings(tmp_path, environ={}).weights()["sentence"] == 1.5
    assert Settings().weights() == {"rrf": 1.0, "sentence": 1.0, "overlap": 1.0, "figure": 0.15, "document": 0.25,
                                    "kind": 0.3, "cited": 0.8}


def test_the_project_ranking_file_holds_the_registry_defaults():
    """ranking.toml holds the chosen weights; the registry's defaults are the same values, so an engine
    built without the file (a library user) ranks as the app does."""
    assert dict(load_settings(None, environ={})) == dict(Settings())


def test_a_setting_changes_what_the_engine_answers(engine):
    from care_evidence.evidence.engine import Engine

    strict = Engine(engine.index, engine.embedder, engine.settings.replace(not_found_similarity=0.99))
    question = "How much was pooled in the Better Care Fund in 2015-16?"
    assert engine.ask(question).found and not strict.ask(question).found
