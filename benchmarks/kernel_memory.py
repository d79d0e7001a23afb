"""Memory of a self-benchmark app kernel: RSS and PSS once the app is built, and what it loaded.

Runs what the app's notebook runs before the request (import the toolkit, build the app
on the default store) in a fresh Python process with the kernel's own libraries
(ipykernel, ipywidgets) loaded, twice in one new data folder: the first process finds no
database and no cached template workbook, so it creates both (loading Alembic and
openpyxl); the second finds both, as every later kernel of a server does. Prints each process's RSS and PSS and the heavy
libraries it loaded.

    .venv/bin/python benchmarks/kernel_memory.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile

PROBE = """
import gc, sys
def memory():
    found = {}
    with open("/proc/self/smaps_rollup") as rollup:
        for line in rollup:
            key = line.split(":")[0]
            if key in ("Rss", "Pss"):
                found[key] = int(line.split()[1]) / 1024
    return found
import ipykernel.kernelapp, ipywidgets
libraries = memory()
from toolkit.network.store import default_store
from toolkit.ui.self_benchmark import build_app
app = build_app(default_store())
gc.collect()
built = memory()
heavy = [name for name in ("openpyxl", "numpy", "lxml", "pandas", "altair", "vl_convert",
         "docx", "alembic") if name in sys.modules]
print(f"kernel libraries {libraries['Rss']:.1f} MB RSS / {libraries['Pss']:.1f} MB PSS; "
      f"app built {built['Rss']:.1f} MB RSS / {built['Pss']:.1f} MB PSS; "
      f"{len(sys.modules)} modules; heavy: {', '.join(heavy) or 'none'}")
"""


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="kernel-memory-") as home:
        env = {**os.environ, "TOOLKIT_DATA_HOME": home}
        for label in ("first kernel (builds the template)", "later kernel (cached template)"):
            done = subprocess.run(
                [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=300
            )
            if done.returncode != 0:
                print(done.stderr.strip().splitlines()[-1])
                return 1
            print(f"{label}: {done.stdout.strip()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
