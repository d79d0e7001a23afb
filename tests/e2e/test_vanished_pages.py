"""A page that vanishes without its unload beacon has its kernel ended within the grace.

A server of its own, with short graces (the defaults are 60 s and 300 s): the page's
browser context is closed without unload handlers (as a crashed tab or a closed laptop
would go), so only toolkit/serving/reaper.py can end the kernel.
"""

from __future__ import annotations

import threading
import time

import pytest

from tests.e2e.conftest import _drain, count_kernels, free_port, start_voila, stop_server, wait_for
from tests.e2e.test_self_benchmark import GOOD, type_figures

pytestmark = pytest.mark.e2e


def test_the_kernel_of_a_vanished_page_ends_and_an_open_one_stays(browser, tmp_path):
    port = free_port()
    process = start_voila(
        port,
        tmp_path / "data",
        ["--ToolkitVoila.gone_after=5", "--ToolkitVoila.never_connected_after=120"],
    )
    threading.Thread(target=_drain, args=(process,), daemon=True).start()
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/", timeout=120)
        kept_context = browser.new_context()
        kept = kept_context.new_page()
        kept.goto(f"{base}/voila/render/self_benchmark.ipynb", timeout=120_000)
        kept.get_by_label("Service name").wait_for(timeout=120_000)
        time.sleep(5)  # the pool refills
        before = count_kernels(port)

        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{base}/voila/render/self_benchmark.ipynb", timeout=120_000)
        page.get_by_label("Service name").wait_for(timeout=120_000)
        time.sleep(5)
        assert count_kernels(port) == before + 1
        page.close()  # no unload handlers: no beacon
        context.close()

        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and count_kernels(port) > before:
            time.sleep(1)
        assert count_kernels(port) == before, "the vanished page's kernel is still running"
        # the page left open keeps its kernel and still answers
        type_figures(kept, GOOD)
        kept.get_by_text("Cost per job outcome of £3,000").first.wait_for(timeout=60_000)
        kept_context.close()
    finally:
        stop_server(process, tmp_path / "data", timeout=10)
