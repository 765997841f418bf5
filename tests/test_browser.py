"""End to end in headless Chromium (Debian's /usr/bin/chromium, driven by Playwright): the real app
served by `streamlit run` on the test index answers a question, and a script typed as a question shows
as text and never runs. Saves a screenshot in the test's folder, and to docs/screenshot.png (the
README's) when EVIDENCE_UPDATE_SCREENSHOT=1, so a test run leaves the work tree clean.

Needs `pip install playwright` and `bash scripts/install_browser.sh`; no browser is downloaded.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
QUESTION = "How much was pooled in the Better Care Fund in 2015-16?"
SCRIPT = "<script>alert(1)</script>"

if not CHROMIUM.exists():
    pytest.skip("no /usr/bin/chromium: run `bash scripts/install_browser.sh` (Debian's chromium package)",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed: pip install playwright")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, server: subprocess.Popen, log: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"streamlit exited with {server.returncode}:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"streamlit did not answer within {timeout:.0f} s:\n{log.read_text(errors='replace')}")


@pytest.fixture(scope="module")
def server(real_index_dir, tmp_path_factory):
    """`streamlit run app/main.py` on a free port, on the test index; always terminated."""
    port = _free_port()
    log = tmp_path_factory.mktemp("streamlit") / "server.log"
    env = {**os.environ, "EVIDENCE_INDEX": str(real_index_dir), "EVIDENCE_CORPUS": str(ROOT / "corpus"),
           "HF_HUB_OFFLINE": "1", "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app" / "main.py"),
               "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
               "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
               "--client.toolbarMode", "minimal"]
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process, log)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture(scope="module")
def page(server):
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(viewport={"width": 1400, "height": 1900})
            page = context.new_page()
            page.set_default_timeout(120_000)
            dialogs: list[str] = []

            def on_dialog(dialog) -> None:
                dialogs.append(f"{dialog.type}: {dialog.message}")
                dialog.dismiss()

            page.on("dialog", on_dialog)
            page.dialogs = dialogs
            page.goto(server)
            yield page
        finally:
            browser.close()


def _ask(page, question: str) -> None:
    box = page.get_by_label("Question")
    box.fill(question)
    box.press("Enter")


def test_question_answered_with_figure_and_citation(page, tmp_path):
    _ask(page, QUESTION)
    page.get_by_text("Supporting passages").wait_for()
    page.get_by_text("£5.3").first.wait_for()
    # The citation ready to copy (st.code, whose text is drawn a moment after the block appears).
    page.get_by_test_id("stCode").filter(has_text="NAO 2017, para").first.wait_for()
    assert page.locator("mark.fig").count() > 0, "figures in the answer are highlighted"
    # The URL names the question once the run has finished, so that it can be shared or reloaded.
    page.wait_for_function("() => location.search.includes('q=How+much')")
    page.wait_for_timeout(500)  # let the last elements settle before the picture
    screenshot = tmp_path / "screenshot.png"
    page.screenshot(path=str(screenshot))
    assert screenshot.stat().st_size > 10_000
    if os.environ.get("EVIDENCE_UPDATE_SCREENSHOT") == "1":
        shutil.copy(screenshot, ROOT / "docs" / "screenshot.png")


def test_script_in_question_shows_as_text(page):
    _ask(page, SCRIPT)
    page.get_by_text("This cannot be searched").wait_for()
    shown = page.get_by_text(SCRIPT, exact=False)
    assert shown.first.is_visible(), "the query is shown as text"
    page.wait_for_timeout(1000)
    assert page.dialogs == [], f"a dialog fired: {page.dialogs}"
    injected = page.evaluate("[...document.querySelectorAll('script')].some(s => s.textContent.includes('alert(1)'))")
    assert not injected
