"""A room arriving: ten pages back to back and twelve people within ten seconds (issue 13).

Serves the self-benchmark app and a bare one-widget notebook as ``make app`` does
(``python -m toolkit.serving`` with the repository's voila.json, ``fill_delay=60``,
a pool of 2 app kernels), once with Voila's own pool (``before``:
``--ToolkitVoila.prompt_pool=False``) and once with the toolkit's (``after``), back to
back in one run. In Debian's headless Chromium, on loopback:

1. the bare notebook, loaded from its preheated pool (4 kernels): the yardstick;
2. ten pages of the app opened one after another, each until its form is usable
   (the "Service name" field is visible), then closed; pages 3 to 10 find the pool
   used up, so their kernels start on request (a cold start);
3. twelve people arriving within ten seconds (one every 0.83 s), each until the form
   is usable, on a fresh server. All twelve browser pages run on this machine too.

Target: the slowest of the ten at most 4 times the bare notebook's median preheated
load. Printed, not asserted.

    .venv/bin/python benchmarks/kernel_burst.py [--variants before,after] [--arrivals 12]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.async_api import Error as PlaywrightError  # noqa: E402

from benchmarks.self_benchmark_speed import make_folder  # noqa: E402
from benchmarks.serve import start_server  # noqa: E402
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, free_port, stop_render_service  # noqa: E402

VARIANTS = {"before": ["--ToolkitVoila.prompt_pool=False"], "after": []}
POOLS = {"default": {"pool_size": 2}, "bare.ipynb": {"pool_size": 4}}


def start(folder: Path, data_home: Path, extra: list[str]) -> tuple[subprocess.Popen, int, Path]:
    port = free_port()
    log = data_home / "server.log"
    server = start_server(
        folder,
        data_home,
        port,
        [
            "--VoilaKernelManager.fill_delay=60",
            f"--VoilaKernelManager.kernel_pools_config={json.dumps(POOLS)}",
            *extra,
        ],
        stderr=log.open("w"),
    )
    deadline = time.monotonic() + 240
    while log.read_text(errors="replace").count("is filled with") < 2:
        if time.monotonic() > deadline or server.poll() is not None:
            raise RuntimeError("the server's kernel pools did not fill")
        time.sleep(0.5)
    time.sleep(3)  # the app kernels finish preheating (their notebook runs to the request)
    return server, port, log


def stop(server: subprocess.Popen, data_home: Path, times: list[float] | None = None) -> None:
    """Stop the server; if a page was not usable, keep its log and say where."""
    server.terminate()
    try:
        server.wait(timeout=60)
    except subprocess.TimeoutExpired:
        server.kill()
    stop_render_service(data_home)
    if times and any(seconds == float("inf") for seconds in times):
        kept = Path(tempfile.mkdtemp(prefix="toolkit-burst-log-")) / "server.log"
        shutil.copy(data_home / "server.log", kept)
        print(f"a page was not usable within 5 minutes: server log kept in {kept}", flush=True)


async def open_page(browser, url: str, label: str, delay: float = 0.0) -> float:
    await asyncio.sleep(delay)
    context = await browser.new_context()
    page = await context.new_page()
    start_time = time.perf_counter()
    try:
        await page.goto(url, wait_until="commit", timeout=300_000)
        await page.get_by_text(label, exact=True).first.wait_for(timeout=300_000)
        return time.perf_counter() - start_time
    except PlaywrightError:  # not usable within 5 minutes: counted as such, the run goes on
        return float("inf")
    finally:
        await page.close(run_before_unload=True)
        await context.close()


async def run_variant(playwright, variant: str, folder: Path, arrivals: int) -> dict:
    browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    result: dict = {}
    data_home = Path(tempfile.mkdtemp(prefix="toolkit-burst-"))
    server, port, _log = start(folder, data_home, VARIANTS[variant])
    base = f"http://127.0.0.1:{port}/voila/render"
    try:
        await open_page(browser, f"{base}/bare.ipynb", "Bare slider")  # Chromium's first page
        result["bare"] = [
            await open_page(browser, f"{base}/bare.ipynb", "Bare slider") for _ in range(3)
        ]
        result["ten"] = []
        for number in range(10):
            seconds = await open_page(browser, f"{base}/self_benchmark.ipynb", "Service name")
            result["ten"].append(seconds)
            print(f"{variant:6} page {number + 1:2}: {seconds:5.1f} s", flush=True)
    finally:
        stop(server, data_home, result.get("bare", []) + result.get("ten", []))
        shutil.rmtree(data_home, ignore_errors=True)
    data_home = Path(tempfile.mkdtemp(prefix="toolkit-burst-"))
    server, port, _log = start(folder, data_home, VARIANTS[variant])
    base = f"http://127.0.0.1:{port}/voila/render"
    try:
        spacing = 10.0 / arrivals
        result["arrivals"] = await asyncio.gather(
            *(
                open_page(browser, f"{base}/self_benchmark.ipynb", "Service name", i * spacing)
                for i in range(arrivals)
            )
        )
        print(
            f"{variant:6} arrivals: " + ", ".join(f"{s:.1f}" for s in result["arrivals"]),
            flush=True,
        )
    finally:
        stop(server, data_home, result.get("arrivals", []))
        shutil.rmtree(data_home, ignore_errors=True)
        await browser.close()
    return result


async def main_async(variants: list[str], arrivals: int) -> None:
    from playwright.async_api import async_playwright

    folder = make_folder()
    results = {}
    try:
        async with async_playwright() as playwright:
            for variant in variants:
                results[variant] = await run_variant(playwright, variant, folder, arrivals)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print()
    print(
        "| | bare, preheated (median) | ten back to back: pages 1-2 (preheated) | pages 3-10 (median / slowest) | slowest / bare | twelve arrivals: median / slowest |"
    )
    print("|---|---|---|---|---|---|")
    for variant, r in results.items():
        bare = statistics.median(r["bare"])
        ten = r["ten"]
        print(
            f"| {variant} | {bare:.1f} s | {ten[0]:.1f} s, {ten[1]:.1f} s | "
            f"{statistics.median(ten[2:]):.1f} s / {max(ten[2:]):.1f} s | "
            f"{max(ten) / bare:.1f} (target <= 4) | "
            f"{statistics.median(r['arrivals']):.1f} s / {max(r['arrivals']):.1f} s |"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--variants", default="before,after")
    parser.add_argument("--arrivals", type=int, default=12)
    args = parser.parse_args()
    asyncio.run(main_async(args.variants.split(","), args.arrivals))
    return 0


if __name__ == "__main__":
    sys.exit(main())
