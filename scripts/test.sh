#!/usr/bin/env bash
# Set up and run the whole test suite on the real corpus, model, index and browser, then the gate.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/install_browser.sh  # Debian's chromium for the end-to-end test (no browser download)
export HF_HUB_OFFLINE=1
.venv/bin/python -m pytest "$@"
# The retrieval regression gate on the real index (built on first use).
.venv/bin/python -m eval --check
