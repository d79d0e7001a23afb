"""Kernels end when their page closes: open and close the app 10 times, then count."""

from __future__ import annotations

import time

import pytest

from tests.e2e.conftest import count_kernels

pytestmark = pytest.mark.e2e


def test_closing_the_app_ends_its_kernel(voila_server, browser):
    port = int(voila_server.rsplit(":", 1)[1])
    time.sleep(3)
    before = count_kernels(port)
    for _ in range(10):
        context = browser.new_context()
        page = context.new_page()
        # a fresh server's pooled kernels may still be running their imports: not a speed test
        page.goto(f"{voila_server}/voila/render/self_benchmark.ipynb", timeout=120_000)
        page.get_by_label("Service name").wait_for(timeout=60_000)
        page.close(run_before_unload=True)
        context.close()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and count_kernels(port) > before:
        time.sleep(1)
    after = count_kernels(port)
    # the preheated pool refills to the same size; nothing else is left running
    assert after <= before, f"{after - before} kernel(s) left running after 10 closed pages"
