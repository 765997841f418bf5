"""The evaluation set is sound, and the regression gate fails when retrieval falls below a threshold."""

from __future__ import annotations

from collections import Counter

import pytest

from care_evidence.eval.cli import check, load_thresholds
from care_evidence.eval.data import load_facts, load_lookups
from tests.conftest import CORPUS

FILES = {"nao2017": "000_779831481fbdf190.txt", "nhsconfed2017": "001_272a00314b1a663e.txt",
         "naosummary2017": "002_282096d727e53690.txt", "pac2018": "003_18b764bb404e6bab.txt",
         "nuffield2022": "004_35ae522ddee80caa.txt"}


@pytest.fixture(scope="module")
def texts():
    return {doc: (CORPUS / name).read_text(encoding="utf-8") for doc, name in FILES.items()}


def test_every_support_quote_is_verbatim_in_its_file(texts):
    for fact in load_facts():
        for support in fact.supports:
            assert support.quote in texts[support.doc], (fact.id, support.quote[:60])
        if fact.qtype == "figure":
            assert fact.answer in fact.supports[0].quote, fact.id
    for lookup in load_lookups():
        assert lookup.support.quote in texts[lookup.doc], lookup.id


def test_evaluation_set_size_and_mix():
    facts, lookups = load_facts(), load_lookups()
    assert len(facts) >= 150 and len({f.id for f in facts}) == len(facts)
    assert len(lookups) >= 40 and len({lk.id for lk in lookups}) == len(lookups)
    assert sum(f.paraphrased for f in facts) >= len(facts) / 4
    per_doc = Counter(f.doc for f in facts)
    assert 0.40 <= per_doc["nao2017"] / len(facts) <= 0.50
    assert Counter(lk.lookup for lk in lookups)["quote"] >= 20
    assert sum(f.multi_document for f in facts) >= 10


def test_gate_passes_at_and_fails_below_each_threshold():
    """The gate (`python -m care_evidence.eval --check`, run on the real index by scripts/test.sh) is check() on the
    metrics it computes: one message per metric under its threshold, none at or above it."""
    metrics = {"hit_rate@5": 0.951, "mrr@10": 0.851, "ndcg@10": 0.811}
    assert check(metrics, {"hit_rate@5": 0.951, "mrr@10": 0.80}, "engine") == []
    assert check(metrics, {"hit_rate@5": 0.999, "mrr@10": 0.0}, "engine") == [
        "engine: hit_rate@5 = 0.951 is below the threshold 0.999"]
    assert len(check(metrics, {"hit_rate@5": 0.96, "ndcg@10": 0.82}, "bm25")) == 2


def test_the_thresholds_file_names_metrics_the_evaluation_reports():
    default, minimum = load_thresholds()
    assert default == "engine" and minimum
    assert set(minimum) <= {"hit_rate@1", "hit_rate@5", "hit_rate@10", "mrr@10", "ndcg@10", "lookup_reference",
                            "lookup_quote", "figure_accuracy"}


def test_every_support_of_the_user_written_questions_is_verbatim(texts):
    """care_evidence/eval/data/wild/: every support a passage must hold stands in its document as written."""
    import json

    from care_evidence.eval.data import DATA_DIR

    checked = 0
    for path in sorted((DATA_DIR / "wild").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            places = [(row.get("doc"), row.get("support"))] + [(a["doc"], a["support"]) for a in row.get("also", [])]
            places += [(p.get("doc"), p.get("support")) for p in row.get("parts", [])]
            for doc, support in places:
                if doc and support:
                    assert support in texts[doc] and "\n" not in support, (path.name, row["id"], support[:60])
                    checked += 1
    assert checked >= 300


def test_the_answer_gate_flags_each_measure_past_its_limit(tmp_path):
    from care_evidence.eval.answers import check_answers

    limits = tmp_path / "t.toml"
    limits.write_text('[answers]\n"unanswerable" = 0.5\n"wrongly refused" = 0.02\n"figure" = 0.9\n')
    scores = {"unanswerable (85)": 0.224, "wrongly refused": 0.05, "figure (68)": 0.95}
    assert check_answers(scores, limits) == ["answers: unanswerable = 0.224 is below the limit 0.500",
                                             "answers: wrongly refused = 0.050 is above the limit 0.020"]
    assert check_answers({"unanswerable (85)": 0.6, "wrongly refused": 0.0, "figure (68)": 0.9}, limits) == []
