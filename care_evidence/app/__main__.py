"""`python -m care_evidence.app [streamlit options]`: `streamlit run` on the app's script.

The model is not loaded here: loading it while the server starts slowed the start (health at 2.3 s
instead of 0.9 s, both wanting the interpreter). The app loads it in a thread once its first page is
drawn (shell.py; bench/app_start.py measures the times)."""

from __future__ import annotations

import sys
from pathlib import Path

MAIN = Path(__file__).resolve().parent / "main.py"


def main() -> None:
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(MAIN), *sys.argv[1:]]
    cli.main(prog_name="streamlit")


if __name__ == "__main__":
    main()
