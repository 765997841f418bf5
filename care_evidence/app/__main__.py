"""`python -m care_evidence.app [streamlit options]`: the app's server, with the language model loading
from the moment the process starts.

`streamlit run` runs the app's script only when a browser connects, so the model (about seven seconds
here, most of it importing torch and sentence-transformers) would start loading only then. Loading it
in a thread while the server starts and the browser loads the page brings the first answer to little
more than the model's own load (bench/app_start.py measures both)."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

MAIN = Path(__file__).resolve().parent / "main.py"


def _load_model() -> None:
    from care_evidence.indexer.embedding import Embedder

    Embedder().encode_query("warm up")  # also builds torch's kernels for a query


def main() -> None:
    threading.Thread(target=_load_model, name="model-warm-up", daemon=True).start()
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(MAIN), *sys.argv[1:]]
    cli.main(prog_name="streamlit")


if __name__ == "__main__":
    main()
