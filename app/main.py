"""Entry point: `streamlit run app/main.py` from the project folder."""

import sys
from pathlib import Path

ROOT = str(Path(__file__).resolve().parents[1])
if ROOT not in sys.path:  # `streamlit run` puts app/ on the path, not the project folder
    sys.path.insert(0, ROOT)

from app.shell import run  # noqa: E402

run()
