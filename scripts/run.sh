#!/usr/bin/env bash
# Set up and open the evidence explorer in the browser; the app builds the index on first run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export HF_HUB_OFFLINE=1
exec .venv/bin/streamlit run care_evidence/app/main.py --browser.gatherUsageStats false "$@"
