"""Time to interactive, update latency and kernel memory of the self-benchmark app.

One run serves the app and a bare one-widget notebook from the same Voila
server, started as ``make app`` starts it (``python -m toolkit.serving`` with the
repository's voila.json: kernel preheating on) and measures both in
Debian's headless Chromium. Loopback only. Prints the figures and the ratios.

    .venv/bin/python benchmarks/self_benchmark_speed.py [--loads 6] [--edits 30]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.serve import start_server  # noqa: E402
from tests.e2e.conftest import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    free_port,
    stop_render_service,
    wait_for,
)

# Type a value as a browser does (an input event) and resolve with the milliseconds until
# the judgement for it ("... of N people") is in the page.
IN_PAGE_EDIT = """([input, people]) => new Promise((resolve, reject) => {
  const wanted = `of ${people} people`;
  const start = performance.now();
  const observer = new MutationObserver(() => {
    if (document.body.textContent.includes(wanted)) {
      observer.disconnect();
      resolve(performance.now() - start);
    }
  });
  observer.observe(document.body, {subtree: true, childList: true, characterData: true});
  setTimeout(() => { observer.disconnect(); reject(new Error("no update")); }, 10000);
  input.value = people;
  input.dispatchEvent(new Event("input", {bubbles: true}));
})"""
BARE = "import ipywidgets as w\nw.IntSlider(description='Bare slider')"


def make_folder() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="toolkit-bench-"))
    shutil.copy(ROOT / "notebooks" / "self_benchmark.ipynb", folder / "self_benchmark.ipynb")
    bare = nbformat.v4.new_notebook()
    bare.metadata = {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
    }
    bare.cells = [nbformat.v4.new_code_cell(BARE)]
    nbformat.write(bare, folder / "bare.ipynb")
    return folder


def server_kernels(voila_pid: int, app_kernels: bool | None = None) -> list[Path]:
    """The /proc folders of the kernels started by this Voila server.

    App kernels are told apart from bare ones by a compiled library only the app loads.
    """
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
            if b"ipykernel" not in (entry / "cmdline").read_bytes():
                continue
            ppid = int(next(x.split()[1] for x in status.splitlines() if x.startswith("PPid:")))
            if ppid != voila_pid:
                continue
            loads_app = "pydantic_core" in (entry / "maps").read_text()
            if app_kernels is not None and loads_app != app_kernels:
                continue
        except (OSError, StopIteration):
            continue
        found.append(entry)
    return found


def _memory_mb(entry: Path, file: str, field: str) -> float | None:
    try:
        lines = (entry / file).read_text().splitlines()
    except OSError:
        return None
    value = next((x.split()[1] for x in lines if x.startswith(field)), None)
    return int(value) / 1024 if value is not None else None


def kernel_rss_mb(voila_pid: int, app_kernels: bool | None = None) -> list[float]:
    """Resident memory of each kernel started by this Voila server."""
    sizes = [_memory_mb(e, "status", "VmRSS:") for e in server_kernels(voila_pid, app_kernels)]
    return [size for size in sizes if size is not None]


def kernel_pss_mb(voila_pid: int, app_kernels: bool) -> list[float]:
    """Proportional set size of each kernel: shared pages split between the processes."""
    sizes = [_memory_mb(e, "smaps_rollup", "Pss:") for e in server_kernels(voila_pid, app_kernels)]
    return [size for size in sizes if size is not None]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--loads", type=int, default=6, help="page loads of each notebook")
    parser.add_argument("--edits", type=int, default=30, help="figures typed to time updates")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    folder = make_folder()
    data_home = Path(tempfile.mkdtemp(prefix="toolkit-bench-data-"))
    port = free_port()
    # as `make app` serves: toolkit.serving (Voila with the repository's voila.json)
    server = start_server(
        folder, data_home, port, module=os.environ.get("BENCH_SERVER", "toolkit.serving")
    )
    base = f"http://127.0.0.1:{port}/voila/render"
    results: dict[str, list[float]] = {"bare": [], "app": []}
    memory: dict[str, list[float]] = {"bare": [], "app": []}
    latencies: list[float] = []
    in_page: list[float] = []
    try:
        wait_for(f"http://127.0.0.1:{port}/")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            targets = {
                "bare": ("bare.ipynb", "Bare slider"),
                "app": ("self_benchmark.ipynb", "Service name"),
            }
            # Warm both pools once (kernels preheat after the server starts).
            time.sleep(12)
            for round_number in range(args.loads):
                for name, (notebook, label) in targets.items():
                    context = browser.new_context()
                    page = context.new_page()
                    start = time.perf_counter()
                    page.goto(f"{base}/{notebook}")
                    page.get_by_text(label, exact=True).first.wait_for(timeout=60_000)
                    results[name].append(time.perf_counter() - start)
                    if name == "app" and round_number == 0:
                        for label_text, value in (
                            ("Service name", "Fictional"),
                            ("Total annual cost (£)", "150000"),
                            ("People supported", "120"),
                            ("Gained a new job", "30"),
                            ("Retained a job", "18"),
                            ("Became self-employed", "2"),
                        ):
                            page.get_by_label(label_text, exact=True).fill(value)
                        page.get_by_text("Up to date").wait_for()
                        field = page.get_by_label("People supported", exact=True)
                        for edit in range(args.edits):
                            people = 120 + edit + 1
                            start = time.perf_counter()
                            field.fill(str(people))
                            page.get_by_text(f"of {people} people").first.wait_for(timeout=10_000)
                            latencies.append(time.perf_counter() - start)
                        time.sleep(1)
                        # The same, timed inside the page (no driver round trips): from the
                        # input event to the new judgement text being in the page.
                        handle = field.element_handle()
                        for edit in range(args.edits):
                            people = 200 + edit
                            in_page.append(page.evaluate(IN_PAGE_EDIT, [handle, str(people)]))
                            page.wait_for_timeout(50)
                    sizes = kernel_rss_mb(server.pid, app_kernels=name == "app")
                    memory[name].append(max(sizes) if sizes else float("nan"))
                    context.close()
                # let the preheated pools refill before the next round
                time.sleep(8)
            browser.close()
        for name in ("bare", "app"):
            samples = results[name]
            print(
                f"{name:5} time to interactive: median {statistics.median(samples):.2f} s, "
                f"p95 {percentile(samples, 0.95):.2f} s over {len(samples)} loads"
            )
        ratio = statistics.median(results["app"]) / statistics.median(results["bare"])
        print(f"ratio app/bare (median time to interactive): {ratio:.2f} (target <= 1.15)")
        print(
            f"update latency through the browser driver (Playwright fills a figure, waits for "
            f"the judgement text): median "
            f"{statistics.median(latencies) * 1000:.0f} ms, p95 {percentile(latencies, 0.95) * 1000:.0f} ms "
            f"over {len(latencies)} edits (target p95 <= 100 ms)"
        )
        print(
            f"update latency timed in the page (input event -> text shown): median "
            f"{statistics.median(in_page):.0f} ms, p95 {percentile(in_page, 0.95):.0f} ms "
            f"over {len(in_page)} edits"
        )
        print(
            f"kernel memory (largest kernel of each kind): app {max(memory['app']):.0f} MB, "
            f"bare {max(memory['bare']):.0f} MB (target <= 160 MB per app kernel)"
        )
    finally:
        server.terminate()
        server.wait(timeout=20)
        stop_render_service(data_home)
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(data_home, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
