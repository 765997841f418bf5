#!/usr/bin/env bash
# Set up and open the evidence explorer in the browser; the app builds the index on first run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export HF_HUB_OFFLINE=1
# The launcher is `streamlit run care_evidence/app/main.py` with the language model loading from the start.
exec .venv/bin/python -m care_evidence.app --browser.gatherUsageStats false "$@"
