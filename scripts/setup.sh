#!/usr/bin/env bash
# Create .venv and install the project. torch's CPU build goes first: asked for unpinned, by us or
# by sentence-transformers, pip would fetch a CUDA build of several GB.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
# --no-compile: Python compiles the few modules it imports when it first imports them; compiling every
# file of torch and its neighbours at install time cost most of a minute of each fresh set-up.
.venv/bin/python -m pip install --quiet --no-compile "torch==2.13.0"
.venv/bin/python -m pip install --quiet --no-compile -e ".[test]"
