"""Screenshots of every page, as a reader first sees it, into docs/ (the README shows them).

Run: .venv/bin/python scripts/screenshots.py [--index index]
Serves the app on a free port over the index, opens each page in headless Chromium, and saves
docs/screenshot.png (Ask) and docs/screenshot-<page>.png for the others.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from care_evidence.app.serve import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    free_port,
    start_server,
    stop_server,
    wait_healthy,
)

# page -> (address, text that shows the page has drawn what matters, file name)
PAGES = {
    "ask": ("?q=" + urllib.parse.quote("How much was pooled in the Better Care Fund in 2015-16?"),
            "Figures stated:", "screenshot.png"),
    "table": ("?q=" + urllib.parse.quote("STF transformation funding 2019-20"), "as a table; the cells",
              "screenshot-table.png"),
    "lookup": ("?lookup=" + urllib.parse.quote("HC 1011, Summary ¶26f"), "Found:", "screenshot-lookup.png"),
    "check": ("?page=check", "Check a text against the reports", "screenshot-check.png"),
    "browse": ("?passage=nuffield2022%2Ftable-5", "The section, passage by passage", "screenshot-browse.png"),
    "figures": ("?page=figures&find=delayed+transfers", "Every figure in the corpus", "screenshot-figures.png"),
    "quality": ("?page=quality", "How well it finds the evidence", "screenshot-quality.png"),
}


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser()
    parser.add_argument("--index", type=Path, default=ROOT / "index")
    parser.add_argument("--only", nargs="*", choices=sorted(PAGES), help="retake only these pages' screenshots")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        log = Path(tmp) / "server.log"
        server = start_server(port, args.index.resolve(), log)
        try:
            url = f"http://127.0.0.1:{port}"
            wait_healthy(url, server, log)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                                     headless=True)
                page = browser.new_page(viewport={"width": 1400, "height": 1500})
                page.set_default_timeout(180_000)
                for name, (address, marker, file_name) in PAGES.items():
                    if args.only and name not in args.only:
                        continue
                    page.goto(f"{url}/{address}")
                    page.get_by_text(marker).first.wait_for()
                    if name == "check":  # the example paragraph, checked
                        page.get_by_role("button", name="Example").click()
                        page.get_by_role("button", name="Check", exact=True).click()
                        page.get_by_text("2. differs").wait_for()
                    page.wait_for_timeout(1500)
                    page.screenshot(path=str(ROOT / "docs" / file_name))
                    print(f"docs/{file_name}")
                browser.close()
        finally:
            stop_server(server)


if __name__ == "__main__":
    main()
