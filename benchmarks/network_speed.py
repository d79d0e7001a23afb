"""First and repeat visits over an emulated network, with each serving lever on and off.

Serves the self-benchmark app and a bare one-widget notebook as ``make app`` does
(``python -m toolkit.serving`` with the repository's voila.json), once per variant:

- ``before``: no compression and no browser caching (as standalone Voila serves);
- ``gzip``: compression only (``ToolkitVoila.compress``);
- ``gzip+cache``: and immutable caching of content-hashed files
  (``ToolkitVoila.browser_cache``);
- ``after``: and preload hints for the scripts every page needs
  (``ToolkitVoila.preload``), what ``make app`` now does.

Before the measured visits, each server serves one page on loopback (not counted),
so Chromium and the server are past their first-page costs in every variant.

Each variant is loaded in Debian's headless Chromium with Chromium's own network
emulation (CDP ``Network.emulateNetworkConditions``) on each profile: loopback (no
emulation), 10 Mbit/s down / 5 up / 40 ms, and 1.5 Mbit/s down / 0.75 up / 150 ms.
A first visit is a new browser profile; the repeat visit is the same profile opening
the page again. Time runs from navigation until the form is usable (its first field
is visible). Bytes are what crossed the emulated network (headers included), and
requests are those that reached the server (not answered from the browser's cache).

The variants run back to back in one run, so they share the machine's load; the
figures are printed, not asserted.

    .venv/bin/python benchmarks/network_speed.py [--pages app,bare] [--profiles loopback,10mbit,1.5mbit]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import serve  # noqa: E402
from benchmarks.self_benchmark_speed import make_folder  # noqa: E402
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, free_port, stop_render_service  # noqa: E402

MBIT = 1_000_000 / 8  # bytes per second
PROFILES = {
    "loopback": None,
    "10mbit": {"latency": 40, "downloadThroughput": 10 * MBIT, "uploadThroughput": 5 * MBIT},
    "1.5mbit": {"latency": 150, "downloadThroughput": 1.5 * MBIT, "uploadThroughput": 0.75 * MBIT},
}
VARIANTS = {
    "before": [
        "--ToolkitVoila.compress=False",
        "--ToolkitVoila.browser_cache=False",
        "--ToolkitVoila.preload=False",
    ],
    "gzip": [
        "--ToolkitVoila.compress=True",
        "--ToolkitVoila.browser_cache=False",
        "--ToolkitVoila.preload=False",
    ],
    "gzip+cache": [
        "--ToolkitVoila.compress=True",
        "--ToolkitVoila.browser_cache=True",
        "--ToolkitVoila.preload=False",
    ],
    "after": [
        "--ToolkitVoila.compress=True",
        "--ToolkitVoila.browser_cache=True",
        "--ToolkitVoila.preload=True",
    ],
}
PAGES = {"app": ("self_benchmark.ipynb", "Service name"), "bare": ("bare.ipynb", "Bare slider")}


@dataclass
class Visit:
    seconds: float
    transferred: int
    requests: int


def start_server(
    folder: Path, data_home: Path, port: int, extra: list[str], pools: dict[str, int], log: Path
):
    pool_config = {"default": {"pool_size": 0}} | {
        notebook: {"pool_size": size} for notebook, size in pools.items()
    }
    settings = [
        "--VoilaKernelManager.fill_delay=60",
        f"--VoilaKernelManager.kernel_pools_config={json.dumps(pool_config)}",
        *extra,
    ]
    return serve.start_server(folder, data_home, port, settings, stderr=log.open("w"))


def wait_for_pools(log: Path, pools: int, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if log.read_text(errors="replace").count("is filled with") >= pools:
            return
        time.sleep(0.5)
    raise RuntimeError("the kernel pools did not fill in time")


def visit(context, url: str, label: str, profile: dict | None) -> Visit:
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    if profile:
        cdp.send("Network.emulateNetworkConditions", {"offline": False, **profile})
    sizes: dict[str, int] = {}
    from_cache: set[str] = set()
    cdp.on(
        "Network.loadingFinished",
        lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]),
    )
    cdp.on("Network.requestServedFromCache", lambda e: from_cache.add(e["requestId"]))

    def on_response(event: dict) -> None:
        response = event["response"]
        if response.get("fromDiskCache") or response.get("fromMemoryCache"):
            from_cache.add(event["requestId"])

    cdp.on("Network.responseReceived", on_response)
    start = time.perf_counter()
    page.goto(url, wait_until="commit", timeout=180_000)
    page.get_by_text(label, exact=True).first.wait_for(timeout=180_000)
    seconds = time.perf_counter() - start
    page.wait_for_timeout(300)  # late small requests (the kernel's info) are counted too
    on_wire = {rid: size for rid, size in sizes.items() if rid not in from_cache}
    result = Visit(seconds, sum(on_wire.values()), len(on_wire))
    page.close(run_before_unload=True)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", default="app", help="comma-separated: app, bare")
    parser.add_argument("--profiles", default="loopback,10mbit,1.5mbit")
    parser.add_argument("--variants", default=",".join(VARIANTS))
    args = parser.parse_args()
    pages = args.pages.split(",")
    profiles = args.profiles.split(",")
    variants = args.variants.split(",")

    from playwright.sync_api import sync_playwright

    folder = make_folder()
    results: dict[tuple[str, str, str, str], Visit] = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for variant in variants:
                data_home = Path(tempfile.mkdtemp(prefix="toolkit-net-data-"))
                log = data_home / "server.log"
                port = free_port()
                # two loads (first, repeat) per page and profile, all from a preheated pool
                pools = {PAGES[name][0]: 2 * len(profiles) + 1 for name in pages}
                server = start_server(folder, data_home, port, VARIANTS[variant], pools, log)
                try:
                    wait_for_pools(log, pools=len(pools))
                    for name in pages:  # warm-up, not counted
                        notebook, label = PAGES[name]
                        context = browser.new_context()
                        visit(
                            context, f"http://127.0.0.1:{port}/voila/render/{notebook}", label, None
                        )
                        context.close()
                    for profile in profiles:
                        for name in pages:
                            notebook, label = PAGES[name]
                            url = f"http://127.0.0.1:{port}/voila/render/{notebook}"
                            context = browser.new_context()
                            for kind in ("first", "repeat"):
                                results[(variant, profile, name, kind)] = visit(
                                    context, url, label, PROFILES[profile]
                                )
                            context.close()
                            row = [
                                results[(variant, profile, name, k)] for k in ("first", "repeat")
                            ]
                            print(
                                f"{variant:6} {profile:8} {name:4} first {row[0].seconds:5.2f} s "
                                f"{row[0].transferred / 1e6:5.2f} MB {row[0].requests:3d} req | "
                                f"repeat {row[1].seconds:5.2f} s {row[1].transferred / 1e6:5.2f} MB "
                                f"{row[1].requests:3d} req",
                                flush=True,
                            )
                finally:
                    server.terminate()
                    server.wait(timeout=30)
                    stop_render_service(data_home)
                    shutil.rmtree(data_home, ignore_errors=True)
            browser.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    print()
    print(
        "| variant | profile | page | first visit | repeat visit | transferred (first / repeat) | requests (first / repeat) |"
    )
    print("|---|---|---|---|---|---|---|")
    for (variant, profile, name, kind), first in results.items():
        if kind != "first":
            continue
        repeat = results[(variant, profile, name, "repeat")]
        print(
            f"| {variant} | {profile} | {name} | {first.seconds:.2f} s | {repeat.seconds:.2f} s | "
            f"{first.transferred / 1e6:.2f} MB / {repeat.transferred / 1e6:.3f} MB | "
            f"{first.requests} / {repeat.requests} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
