#!/usr/bin/env bash
# Set up and open the evidence explorer in the browser; the app builds the index on first run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export HF_HUB_OFFLINE=1
# The launcher is `streamlit run care_evidence/app/main.py`; the app loads the language model once its first page is drawn.
exec .venv/bin/python -m care_evidence.app --browser.gatherUsageStats false "$@"
