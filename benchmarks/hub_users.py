"""The JupyterHub route on one machine: N commissioners sign in, share into one session.

Starts, all on 127.0.0.1 and all in a temporary folder it removes afterwards:

- PostgreSQL 15 (``/usr/lib/postgresql/15/bin``; as the ``postgres`` user when run as root,
  which the server refuses), holding the toolkit's shared store (``TOOLKIT_DATABASE_URL``);
- the toolkit's apps as the Hub service ``toolkit``: one ``python -m toolkit.serving`` for
  everyone, with its preheated pool and one chart process, started as Kubernetes starts it
  (the image's command, with the ``JUPYTERHUB_*`` environment of
  ``deploy/jupyterhub/toolkit-apps.yaml`` pointed at this machine);
- JupyterHub 5 with the dummy authenticator and configurable-http-proxy from npm
  (``benchmarks/hub/node_modules``, ``make bench-hub`` installs it), given the service's URL
  and token. The service, its access role and the landing page are read from
  ``deploy/jupyterhub/config.yaml`` (the Kubernetes values), so the route measured here has
  the same settings.

Then, in one headless Chromium (a browser context per user, so each has their own Hub
cookie), one user after another: sign in at the Hub, land on the self-benchmark app (time to
interactive: from pressing "Sign in" to a usable form), type a fictional service's figures,
read the judgement, share into one learning-network session. With every page still open it
takes the memory of everything the route started (RSS of the Hub, the proxy, PostgreSQL,
the service, its kernels and chart process), checks the session's pooled figures with the
facilitator's command, opens the other apps once, and checks the refusals (no kernel can be
started through the API, a visitor who has not signed in is sent to the Hub). Then it stops
everything it started.

    .venv/bin/python benchmarks/hub_users.py --users 3 [--keep-logs DIR]

The last line printed is one JSON object:
``{"users": N, "mb_per_user": ..., "tti_p95_s": ..., "all_correct": true|false}``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

import psutil
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

PG_BIN = Path("/usr/lib/postgresql/15/bin")
PROXY = ROOT / "benchmarks" / "hub" / "node_modules" / ".bin" / "configurable-http-proxy"
VALUES = ROOT / "deploy" / "jupyterhub" / "config.yaml"
MANIFEST = ROOT / "deploy" / "jupyterhub" / "toolkit-apps.yaml"
#: Set in the service's environment; every process the service starts inherits it.
MARKER = "TOOLKIT_HUB_BENCHMARK_RUN"
#: Preheated kernels of the shared service, as deploy/jupyterhub/service/voila.json sets them.
POOLS = ROOT / "deploy" / "jupyterhub" / "service"
#: Each other app, and a control that shows it is usable (as the browser tests find them).
OTHER_APPS = {
    "turning_the_curve.ipynb": ("label", "Population: who is this about?"),
    "commissioning_questions.ipynb": ("text", r"Overall: \d+ of \d+ answered"),
    "learning_network.ipynb": ("label", "Session code"),
    "spend_map.ipynb": ("label", "Provider (line 1)"),
    "learning_network_programme.ipynb": ("label", "Network code"),
}
TIMEOUT_MS = 180_000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def say(text: str) -> None:
    print(text, flush=True)


# --------------------------------------------------------------------------- PostgreSQL


class Postgres:
    """A throwaway PostgreSQL 15 server on 127.0.0.1 with one database, ``toolkit``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder / "pg"
        self.folder.mkdir()
        self.as_user: list[str] = []
        if os.geteuid() == 0:  # the server refuses to run as root
            owner = pwd.getpwnam("postgres")
            os.chown(self.folder, owner.pw_uid, owner.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self.data, self.port = self.folder / "data", free_port()

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*self.as_user, *args], capture_output=True, text=True, timeout=120)

    def start(self) -> str:
        made = self._run(str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "toolkit",
                         "-A", "trust", "-E", "UTF8", "--no-sync")  # fmt: skip
        if made.returncode:
            raise RuntimeError(f"initdb failed: {made.stderr[-500:]}")
        options = f"-k {self.folder} -p {self.port} -c listen_addresses=127.0.0.1"
        started = self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l",
                            str(self.folder / "log"), "-w", "-t", "60", "-o", options, "start")  # fmt: skip
        if started.returncode:
            raise RuntimeError(f"PostgreSQL did not start: {started.stderr[-500:]}")
        created = self._run(str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.port),
                            "-U", "toolkit", "toolkit")  # fmt: skip
        if created.returncode:
            raise RuntimeError(f"createdb failed: {created.stderr[-500:]}")
        return f"postgresql+psycopg://toolkit@127.0.0.1:{self.port}/toolkit"

    def pids(self) -> set[int]:
        pid_file = self.data / "postmaster.pid"
        if not pid_file.exists():
            return set()
        main = int(pid_file.read_text().split()[0])
        with contextlib.suppress(psutil.Error):
            return {main, *(child.pid for child in psutil.Process(main).children(recursive=True))}
        return set()

    def stop(self) -> None:
        if self.data.exists():
            self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")


# --------------------------------------------------------------------------- JupyterHub


def hub_settings(values: dict) -> tuple[dict, list[dict], str]:
    """The toolkit service, the roles and the landing page from the Kubernetes values."""
    hub = values["hub"]
    service = dict(hub["services"]["toolkit"])
    service.pop("apiToken", None)
    service.pop("url", None)
    roles = [{"name": name, **role} for name, role in hub["loadRoles"].items()]
    return service, roles, hub["config"]["JupyterHub"]["default_url"]


def service_environment(ports: dict[str, int], token: str) -> dict[str, str]:
    """The JUPYTERHUB_* settings toolkit-apps.yaml gives the service, pointed at this machine."""
    manifest = next(yaml.safe_load_all(MANIFEST.read_text(encoding="utf-8")))
    container = manifest["spec"]["template"]["spec"]["containers"][0]
    env = {item["name"]: item["value"] for item in container["env"] if "value" in item}
    env.update(
        JUPYTERHUB_SERVICE_URL=f"http://127.0.0.1:{ports['service']}",
        JUPYTERHUB_API_URL=f"http://127.0.0.1:{ports['api']}/hub/api",
        JUPYTERHUB_API_TOKEN=token,
    )
    return {name: value for name, value in env.items() if name.startswith("JUPYTERHUB_")}


def write_hub_config(folder: Path, ports: dict[str, int], token: str) -> Path:
    service, roles, default_url = hub_settings(yaml.safe_load(VALUES.read_text(encoding="utf-8")))
    # As on Kubernetes: an external service the Hub does not start, known by URL and token.
    service.update(name="toolkit", url=f"http://127.0.0.1:{ports['service']}", api_token=token)
    config = f"""
c = get_config()  # noqa
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {ports['hub']}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {ports['api']}
c.JupyterHub.db_url = "sqlite:///{folder / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = "{folder / 'cookie_secret'}"
c.JupyterHub.pid_file = "{folder / 'jupyterhub.pid'}"
c.JupyterHub.authenticator_class = "dummy"
c.Authenticator.allow_all = True
c.JupyterHub.spawner_class = "simple"
c.ConfigurableHTTPProxy.command = [{str(PROXY)!r}]
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{ports['proxy_api']}"
c.JupyterHub.services = [{service!r}]
c.JupyterHub.load_roles = {roles!r}
c.JupyterHub.default_url = {default_url!r}
"""
    path = folder / "jupyterhub_config.py"
    path.write_text(config, encoding="utf-8")
    return path


def start_service(folder: Path, ports: dict[str, int], token: str, database_url: str,
                  run: str, log) -> subprocess.Popen:  # fmt: skip
    """The toolkit's shared server, as the image's command runs it, with the Hub's settings."""
    data_home = folder / "toolkit-data"
    data_home.mkdir()
    env = {
        **os.environ,
        **service_environment(ports, token),
        "TOOLKIT_DATABASE_URL": database_url,
        "TOOLKIT_DATA_HOME": str(data_home),
        "JUPYTER_PATH": str(ROOT / "share" / "jupyter"),
        "JUPYTER_CONFIG_PATH": str(POOLS),
        "HOME": str(folder),
        MARKER: run,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "toolkit.serving", "notebooks/", "--no-browser"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip


def wait_for(url: str, timeout: float, what: str, any_answer: bool = False) -> None:
    """Wait until ``url`` answers 200 (or anything, with ``any_answer``).

    The proxy answers 404 for the Hub's pages until the Hub has added its own route.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except urllib.error.HTTPError:
            if any_answer:
                return
            time.sleep(0.5)
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"{what} did not answer at {url} within {timeout:.0f} s")


def route_pids(started: list[subprocess.Popen], postgres: Postgres, run: str,
               folder: Path) -> set[int]:  # fmt: skip
    """Every process the route started: the Hub's and the service's trees, PostgreSQL's,
    and the chart process (it leaves the tree, with a clean environment, but its socket is
    in this run's folder)."""
    pids = set(postgres.pids())
    for popen in started:
        with contextlib.suppress(psutil.Error):
            root = psutil.Process(popen.pid)
            pids |= {root.pid, *(child.pid for child in root.children(recursive=True))}
    for process in psutil.process_iter(["pid", "cmdline"]):
        with contextlib.suppress(psutil.Error, OSError):
            if str(folder) in " ".join(process.info["cmdline"] or []) or process.environ().get(MARKER) == run:
                pids.add(process.pid)
    return pids


def rss_mb(pids: set[int]) -> tuple[float, dict[str, float]]:
    total, by_kind = 0.0, {}
    for pid in pids:
        with contextlib.suppress(psutil.Error):
            process = psutil.Process(pid)
            mb = process.memory_info().rss / 1e6
            command = " ".join(process.cmdline())
            kind = next(
                (
                    name
                    for key, name in (
                        ("ipykernel", "kernels"),
                        ("toolkit.charts.service", "chart process"),
                        ("toolkit.serving", "service (Voila)"),
                        ("configurable-http-proxy", "proxy"),
                        ("jupyterhub", "Hub"),
                        ("postgres", "PostgreSQL"),
                    )
                    if key in command
                ),
                "other",
            )
            total += mb
            by_kind[kind] = by_kind.get(kind, 0.0) + mb
    return total, by_kind


def stop_everything(
    hub: subprocess.Popen | None, service: subprocess.Popen | None, postgres: Postgres, run: str
) -> None:
    """Stop the Hub (and its proxy), the service (and its kernels), anything left, PostgreSQL."""
    for process in (hub, service):
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
    for process in psutil.process_iter(["pid", "cmdline"]):
        with contextlib.suppress(psutil.Error, OSError):
            chart = "toolkit.charts.service" in " ".join(process.info["cmdline"] or [])
            if process.environ().get(MARKER) == run or (
                chart and str(postgres.folder.parent) in " ".join(process.info["cmdline"])
            ):
                process.kill()
    postgres.stop()


# --------------------------------------------------------------------------- the users


def figures_for(user: int) -> dict[str, str]:
    return {
        "Service name": f"Fictional service {user + 1}",
        "Total annual cost (£)": str(100_000 + 1_000 * user),
        "People supported": "50",
        "Gained a new job": "10",
        "Retained a job": "5",
        "Became self-employed": "0",
    }


def local_only(route) -> None:
    url = route.request.url
    if url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")):
        route.continue_()
    else:
        route.abort()


def sign_in(context, hub_url: str, name: str):
    """Sign in at the Hub; returns the page (on the app) and the seconds to a usable form."""
    page = context.new_page()
    page.route("**/*", local_only)
    page.goto(f"{hub_url}/hub/login", timeout=TIMEOUT_MS)
    page.locator("#username_input").fill(name)
    page.locator("#password_input").fill("any password: the dummy sign-in")
    started = time.monotonic()
    page.locator("#login_submit").click()
    page.get_by_label("Service name", exact=True).wait_for(timeout=TIMEOUT_MS)
    return page, time.monotonic() - started


def use_and_share(page, user: int, code: str) -> str:
    """Type the service's figures, read the judgement, share; returns the cost per job shown."""
    for label, value in figures_for(user).items():
        page.get_by_label(label, exact=True).fill(value)
    judgement = page.get_by_text(re.compile(r"Cost per job outcome of £[\d,]+")).first
    judgement.wait_for(timeout=TIMEOUT_MS)
    shown = re.search(r"£([\d,]+)", judgement.inner_text()).group(1)
    page.get_by_label("Session code", exact=True).fill(code)
    page.get_by_label("Organisation name", exact=True).fill(f"Fictional organisation {user + 1}")
    page.get_by_role("checkbox", name=re.compile("I agree to share")).check()
    page.get_by_role("button", name="Share with the session").click()
    page.get_by_text(re.compile(r"Shared: the figures of")).first.wait_for(timeout=TIMEOUT_MS)
    return shown.replace(",", "")


def toolkit_cli(database_url: str, *args: str) -> dict:
    env = {**os.environ, "TOOLKIT_DATABASE_URL": database_url}
    done = subprocess.run([sys.executable, "-m", "toolkit", *args, "--format", "json"], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120)  # fmt: skip
    if done.returncode:
        raise RuntimeError(f"toolkit {' '.join(args)} failed: {done.stderr[-500:]}")
    return json.loads(done.stdout)


def pooled_correct(summary: dict, users: int) -> tuple[bool, str]:
    names = sorted(entry["shown_as"] for entry in summary["submissions"])
    expected = sorted(f"Fictional organisation {user + 1}" for user in range(users))
    pooled = summary.get("pooled") or {}
    cost = sum(100_000 + 1_000 * user for user in range(users))
    checks = {
        "services": summary["services"] == users,
        "names": all(any(want in name for name in names) for want in expected),
        "people": pooled.get("people_supported") == 50 * users,
        "job outcomes": pooled.get("job_outcomes") == 15 * users,
        "cost": abs((pooled.get("total_cost") or 0) - cost) <= 0.01 * cost,
    }
    failed = [name for name, ok in checks.items() if not ok]
    if failed:
        failed.append(f"(services {summary['services']}, pooled {pooled}, names {names})")
    return not failed, ", ".join(failed) or "all"


def refusals(context, hub_url: str) -> list[str]:
    """What a signed-in user must not be able to do, and what a stranger must not see."""
    faults = []
    prefix = f"{hub_url}/services/toolkit"
    started = context.request.post(f"{prefix}/api/kernels", data="{}", fail_on_status_code=False)
    if started.status in (200, 201):
        faults.append(f"POST /services/toolkit/api/kernels answered {started.status}")
    listed = context.request.get(f"{prefix}/api/kernels", fail_on_status_code=False)
    if listed.status == 200 and listed.text().strip().startswith("["):
        faults.append("GET /services/toolkit/api/kernels lists kernels")
    with urllib.request.urlopen(
        urllib.request.Request(f"{prefix}/voila/render/self_benchmark.ipynb"), timeout=30
    ) as stranger:
        if "/hub/login" not in stranger.url and "/hub/api/oauth2/authorize" not in stranger.url:
            faults.append(f"a visitor who has not signed in got {stranger.url}")
    return faults


def other_apps(context, hub_url: str) -> list[str]:
    faults = []
    for notebook, (kind, text) in OTHER_APPS.items():
        page = context.new_page()
        page.route("**/*", local_only)
        try:
            page.goto(f"{hub_url}/services/toolkit/voila/render/{notebook}", timeout=TIMEOUT_MS)
            ready = page.get_by_label(text) if kind == "label" else page.get_by_text(re.compile(text))
            ready.first.wait_for(timeout=TIMEOUT_MS)
            if "Traceback" in page.content():
                faults.append(f"{notebook} shows a traceback")
        except Exception as exc:  # a benchmark reports a failed app and goes on
            faults.append(f"{notebook}: {type(exc).__name__}: {str(exc)[:200]}")
        finally:
            page.close(run_before_unload=True)
    return faults


def run(users: int, keep_logs: Path | None) -> dict:
    # Playwright is a test tool (the test extra): imported here, after the argument check.
    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="toolkit-hub-"))
    os.chmod(folder, 0o755)
    run_id = uuid.uuid4().hex
    postgres = Postgres(folder)
    hub: subprocess.Popen | None = None
    service: subprocess.Popen | None = None
    log_path, service_log = folder / "jupyterhub.log", folder / "service.log"
    result = {"users": users, "mb_per_user": None, "tti_p95_s": None, "all_correct": False}
    try:
        say("starting PostgreSQL 15 on 127.0.0.1")
        database_url = postgres.start()
        session = toolkit_cli(database_url, "session", "create", "--title", "Hub benchmark (fictional)")
        ports = {name: free_port() for name in ("hub", "api", "proxy_api", "service")}
        token = secrets.token_hex(32)
        config = write_hub_config(folder, ports, token)
        hub_url = f"http://127.0.0.1:{ports['hub']}"
        say("starting the toolkit's shared server (the Hub service 'toolkit')")
        with service_log.open("w") as log:
            service = start_service(folder, ports, token, database_url, run_id, log)
        wait_for(f"http://127.0.0.1:{ports['service']}/services/toolkit/", 300,
                 "the toolkit service", any_answer=True)  # fmt: skip
        say(f"starting JupyterHub at {hub_url}")
        with log_path.open("w") as log:
            hub = subprocess.Popen(
                [sys.executable, "-m", "jupyterhub", "-f", str(config)],
                cwd=folder, stdout=log, stderr=subprocess.STDOUT,
                env={**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"},
            )  # fmt: skip
        wait_for(f"{hub_url}/hub/health", 180, "JupyterHub")
        time.sleep(5)  # let the preheated kernels start before the first user arrives
        faults: list[str] = []
        ttis: list[float] = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            contexts, pages = [], []
            for user in range(users):
                context = browser.new_context()
                contexts.append(context)
                try:
                    page, tti = sign_in(context, hub_url, f"commissioner-{user + 1}")
                    ttis.append(tti)
                    pages.append(page)
                    shown = use_and_share(page, user, session["code"])
                    expected = round((100_000 + 1_000 * user) / 15)
                    if abs(int(shown) - expected) > 1:
                        faults.append(f"user {user + 1} saw £{shown} per job, expected £{expected}")
                    say(f"user {user + 1}: usable after {tti:.1f} s; shared")
                except Exception as exc:  # one failed user is a finding, not the end of the run
                    seen = ""
                    with contextlib.suppress(Exception):
                        last = context.pages[-1]
                        seen = f" at {last.url}; the page shows: {last.inner_text('body')[:300]!r}"
                    first_line = str(exc).splitlines()[0][:200]
                    faults.append(f"user {user + 1}: {type(exc).__name__}: {first_line}{seen}")
                    say(faults[-1])
            time.sleep(3)
            pids = route_pids([hub, service], postgres, run_id, folder)
            total, by_kind = rss_mb(pids)
            say(f"memory with {users} users on the app: {total:.0f} MB RSS in {len(pids)} processes")
            for kind, mb in sorted(by_kind.items(), key=lambda item: -item[1]):
                say(f"  {kind}: {mb:.0f} MB")
            summary = toolkit_cli(database_url, "session", "summary", session["code"],
                                  "--facilitator-key", session["facilitator_key"])  # fmt: skip
            ok, detail = pooled_correct(summary, users)
            say(f"pooled result: {'correct' if ok else 'WRONG: ' + detail}")
            if not ok:
                faults.append(f"pooled result wrong: {detail}")
            if contexts:
                faults += refusals(contexts[0], hub_url)
                faults += other_apps(contexts[0], hub_url)
            for page in pages:
                with contextlib.suppress(Exception):
                    page.close(run_before_unload=True)
            browser.close()
        for fault in faults:
            say(f"FAULT: {fault}")
        if ttis:
            say(f"time to a usable form after signing in: median {statistics.median(ttis):.1f} s")
        result.update(
            mb_per_user=round(total / users, 1),
            tti_p95_s=round(percentile(ttis, 95), 2) if ttis else None,
            all_correct=not faults and len(ttis) == users,
        )
    finally:
        stop_everything(hub, service, postgres, run_id)
        if keep_logs:
            keep_logs.mkdir(parents=True, exist_ok=True)
            for path in (log_path, service_log):
                with contextlib.suppress(OSError):
                    shutil.copy(path, keep_logs / path.name)
        shutil.rmtree(folder, ignore_errors=True)
    return result


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=3, help="commissioners to sign in")
    parser.add_argument("--keep-logs", type=Path, help="copy the Hub's log (with the service's) here")
    args = parser.parse_args()
    missing = [str(path) for path in (PG_BIN / "initdb", PROXY, Path(CHROMIUM)) if not path.exists()]
    if missing:
        say("Missing: " + ", ".join(missing) + ". Run `make bench-hub`, which installs them.")
        return 2
    result = run(args.users, args.keep_logs)
    print(json.dumps(result), flush=True)
    return 0 if result["all_correct"] else 1


if __name__ == "__main__":
    sys.exit(main())
