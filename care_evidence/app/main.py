"""Entry point: `streamlit run care_evidence/app/main.py` from the project folder."""

import sys
from pathlib import Path

ROOT = str(Path(__file__).resolve().parents[2])
if ROOT not in sys.path:  # `streamlit run` puts care_evidence/app/ on the path, not the project folder
    sys.path.insert(0, ROOT)

from care_evidence.app.shell import run  # noqa: E402

run()
