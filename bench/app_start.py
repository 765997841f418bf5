"""App cold start to first answer, in a real browser, against a fresh process answering the same question.

Run: .venv/bin/python -m bench.app_start [--index index] [--repeat 3]

App: from launching the server (`python -m care_evidence.app`) to the answer's figure showing in
headless Chromium, with the question in the URL (the browser itself is started beforehand and not
counted). Floor: a fresh Python process that imports the engine, loads the model and the index, and
answers the question once. For scale, also Streamlit's own start: a bare page holding only a question
box, launched the same way, to the moment it takes input (what any Streamlit app costs here before
it does any work of its own).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

from care_evidence.app.serve import (
    CHROMIUM,
    CHROMIUM_ARGS,
    free_port,
    start_server,
    stop_server,
    streamlit_options,
    wait_healthy,
)

ROOT = Path(__file__).resolve().parents[1]
QUESTION = "How much was pooled in the Better Care Fund in 2015-16?"
EXPECTED = "£5.3"


def app_cold_start(index_dir: Path, browser) -> tuple[float, float, float]:
    """Seconds from launch to a healthy server, to a page that takes input, and to the first answer."""
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        log = Path(tmp) / "server.log"
        started = time.perf_counter()
        server = start_server(port, index_dir, log)
        try:
            url = f"http://127.0.0.1:{port}"
            wait_healthy(url, server, log)
            healthy = time.perf_counter() - started
            page = browser.new_page()
            page.set_default_timeout(180_000)
            page.goto(f"{url}/?{urllib.parse.urlencode({'q': QUESTION})}")
            page.get_by_label("Question").wait_for()  # the page takes input: look-ups and browsing work
            interactive = time.perf_counter() - started
            # The answer's citation, ready to copy, then its figure: the page has answered.
            page.get_by_test_id("stCode").filter(has_text="NAO 2017, para").first.wait_for()
            page.get_by_text(EXPECTED).first.wait_for()
            answered = time.perf_counter() - started
            page.close()
        finally:
            stop_server(server)
    return healthy, interactive, answered


def bare_streamlit_start(browser) -> float:
    """Seconds from launching `streamlit run` on a page with only a question box to that box showing."""
    with tempfile.TemporaryDirectory() as tmp:
        script, log = Path(tmp) / "bare.py", Path(tmp) / "server.log"
        script.write_text('import streamlit as st\nst.text_input("Question")\n')
        port = free_port()
        started = time.perf_counter()
        with log.open("w") as out:
            server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(script), *streamlit_options(port)],
                                      cwd=tmp, stdout=out, stderr=subprocess.STDOUT)
        try:
            url = f"http://127.0.0.1:{port}"
            wait_healthy(url, server, log)
            page = browser.new_page()
            page.goto(url)
            page.get_by_label("Question").wait_for()
            ready = time.perf_counter() - started
            page.close()
        finally:
            stop_server(server)
    return ready


def fresh_process_answer(index_dir: Path) -> float:
    code = ("from pathlib import Path; from care_evidence.evidence.engine import Engine; "
            f"a = Engine.load(Path({str(index_dir)!r})).ask({QUESTION!r}); assert {EXPECTED!r} in a.text")
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, env={"HF_HUB_OFFLINE": "1", "PATH": ""})
    return time.perf_counter() - started


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser()
    parser.add_argument("--index", type=Path, default=ROOT / "index")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    floors = [fresh_process_answer(args.index.resolve()) for _ in range(args.repeat)]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            runs = [app_cold_start(args.index.resolve(), browser) for _ in range(args.repeat)]
            bare = statistics.median(bare_streamlit_start(browser) for _ in range(args.repeat))
        finally:
            browser.close()
    floor = statistics.median(floors)
    healthy = statistics.median(r[0] for r in runs)
    interactive = statistics.median(r[1] - r[0] for r in runs)
    answered = statistics.median(r[2] for r in runs)
    print(f"index {args.index}; {args.repeat} runs each, medians in seconds")
    print(f"floor (fresh process: import, load model and index, answer once): {floor:.2f}")
    print(f"app: server healthy {healthy:.2f}; page takes input {interactive:.2f} after that (target 3.00); "
          f"first answer in the browser {answered:.2f}; ratio to floor {answered / floor:.2f} (target 1.20)")
    print(f"for scale: a bare Streamlit page (a question box only) takes input {bare:.2f} after launch; "
          f"the app's first answer is {answered - bare:.2f} after that")


if __name__ == "__main__":
    main()
