#!/usr/bin/env bash
# Set up and run the whole test suite on the real corpus, model, index and browser, then the gate.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/install_browser.sh  # Debian's chromium for the end-to-end test (no browser download)
export HF_HUB_OFFLINE=1
# The five reports are indexed once: the suite copies this index (EVIDENCE_TEST_INDEX) and the gate reads it.
.venv/bin/python -m care_evidence.indexer build --quiet
# Two workers, one per core (pytest-xdist): the tests are independent, each worker copies the index.
EVIDENCE_TEST_INDEX=index .venv/bin/python -m pytest -n 2 "$@"
# The retrieval regression gate (care_evidence/eval/thresholds.toml) on the engine; `python -m care_evidence.eval` alone also scores
# the BM25, dense and hybrid baselines.
.venv/bin/python -m care_evidence.eval --check --retrievers engine
# What the user reads: abstention, named-document compliance and answer accuracy ([answers] thresholds).
.venv/bin/python -m care_evidence.eval.answers --check
# Checking a text: references as people write them, misremembered quotes, the claim check ([checking]).
.venv/bin/python -m care_evidence.eval.checking --check
