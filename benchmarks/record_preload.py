"""Record the scripts every app page needs, for the preload hints (toolkit/serving/preload.py).

Serves the self-benchmark app and a bare one-widget notebook (``python -m
toolkit.serving``, hints off), opens each in headless Chromium until it is usable,
and writes the scripts both pages asked for, in the order first asked, to
``share/jupyter/voila/templates/toolkit/preload.json``. Run it again after upgrading
Voila or ipywidgets (stale names are skipped by the server, so nothing breaks).

    .venv/bin/python benchmarks/record_preload.py
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.self_benchmark_speed import make_folder  # noqa: E402
from benchmarks.serve import start_server  # noqa: E402
from tests.e2e.conftest import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    free_port,
    stop_render_service,
    wait_for,
)

TARGET = ROOT / "share" / "jupyter" / "voila" / "templates" / "toolkit" / "preload.json"
STATIC = re.compile(r"/voila/static/_v/[0-9a-f]+/([^?]+\.js)$")
LAB = re.compile(r"/voila/labextensions/(.+\.js(\?v=[0-9a-f]+)?)$")


def scripts(browser, url: str, label: str) -> list[str]:
    context = browser.new_context()
    page = context.new_page()
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    page.goto(url, wait_until="commit", timeout=300_000)
    page.get_by_text(label, exact=True).first.wait_for(timeout=300_000)
    page.wait_for_timeout(2000)
    page.close(run_before_unload=True)
    context.close()
    return seen


def main() -> int:
    from playwright.sync_api import sync_playwright

    folder = make_folder()
    data_home = Path(tempfile.mkdtemp(prefix="toolkit-preload-"))
    port = free_port()
    server = start_server(folder, data_home, port, ["--ToolkitVoila.preload=False"])
    try:
        wait_for(f"http://127.0.0.1:{port}/")
        time.sleep(10)
        base = f"http://127.0.0.1:{port}/voila/render"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            bare = scripts(browser, f"{base}/bare.ipynb", "Bare slider")
            app = scripts(browser, f"{base}/self_benchmark.ipynb", "Service name")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=60)
        stop_render_service(data_home)
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(data_home, ignore_errors=True)
    both = [url for url in dict.fromkeys(app) if url in set(bare)]
    static = [m.group(1) for u in both if (m := STATIC.search(u))]
    lab = [m.group(1) for u in both if (m := LAB.search(u))]
    TARGET.write_text(
        json.dumps({"static": static, "labextensions": lab}, indent=1) + "\n", encoding="utf-8"
    )
    print(
        f"{len(static)} of Voila's scripts and {len(lab)} extension scripts -> {TARGET.relative_to(ROOT)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
