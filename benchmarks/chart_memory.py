"""Memory of the shared chart process as users draw: what grows, and whether a setting bounds it.

Starts the chart process (``python -m toolkit.charts.service``) on a private socket,
then sends what simulated users' kernels send: each "user" asks for the
self-benchmark charts of a growing list of fictional services, a few times as they
type, in SVG, then once as PNG (a download), two users at a time. Prints the
process's RSS after start and after every few users, for each variant:

- ``default``: glibc's own malloc arenas (as before the toolkit set ``MALLOC_ARENA_MAX``);
- ``arenas2``: ``MALLOC_ARENA_MAX=2`` in its environment, as the toolkit now starts it
  (glibc keeps a malloc arena per thread, and the service answers each request on a new
  thread).

    .venv/bin/python benchmarks/chart_memory.py            # --users 10 --variants default,arenas2
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from toolkit.charts.client import clean_environment, request
from toolkit.charts.data import job_request
from toolkit.domain.bands import BandSet
from toolkit.domain.record import ServiceRecord

#: What each variant adds to the chart process's environment (``clean_environment``).
VARIANTS = {"default": {}, "arenas2": {"MALLOC_ARENA_MAX": "2"}}


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _user(socket: Path, user: int) -> None:
    """One simulated commissioner: charts redrawn as each of three services is typed."""
    records: list[ServiceRecord] = []
    for index in range(3):
        records.append(
            ServiceRecord(
                name=f"Example service {user}-{index} (fictional)",
                total_cost=50_000 + 1_000 * user + 500 * index,
                people_supported=40 + index,
                new_jobs=8 + (user + index) % 7,
                jobs_retained=5,
            )
        )
        for band_sets in (["evidence_based"], ["evidence_based", "all_sites"]):
            body = job_request(records, [BandSet(name) for name in band_sets])
            json.loads(request(body, socket, timeout=120))
    request(job_request(records, [BandSet.evidence_based], fmt="png"), socket, timeout=120)


def run(variant: str, users: int) -> list[tuple[int, float]]:
    folder = Path(tempfile.mkdtemp(prefix="chart-memory-"))
    socket = folder / "charts.sock"
    env = {**clean_environment(), **VARIANTS[variant], "TOOLKIT_DATA_HOME": str(folder)}
    process = subprocess.Popen(
        [sys.executable, "-m", "toolkit.charts.service", "--socket", str(socket)], env=env
    )
    try:
        deadline = time.monotonic() + 120
        while not socket.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(3)  # the PNG warm-up it starts once the socket takes work
        figures = [(0, rss_mb(process.pid))]
        with ThreadPoolExecutor(max_workers=2) as pool:
            for start in range(0, users, 5):
                list(pool.map(lambda user: _user(socket, user), range(start, start + 5)))
                figures.append((min(start + 5, users), rss_mb(process.pid)))
        return figures
    finally:
        process.terminate()
        process.wait(timeout=30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--variants", default="default,arenas2")
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.1f}")
    for variant in args.variants.split(","):
        figures = run(variant, args.users)
        shown = ", ".join(f"{users} users {mb:.0f} MB" for users, mb in figures)
        print(f"{variant}: {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
