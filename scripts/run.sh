#!/usr/bin/env bash
# Set up, build the index if there is none (or the corpus changed), and show NAO para 2.7.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export HF_HUB_OFFLINE=1
.venv/bin/python -m indexer build
.venv/bin/python -m indexer show "NAO 2017" "para 2.7"
