"""Many commissioners submitting at once: every submission stored exactly once.

Runs against a SQLite file and against a real PostgreSQL server that the
fixture below starts on loopback from Debian's ``postgresql`` package
(``make system-deps`` installs it). Submissions come from threads in one
process, from threads in several processes (which also race to create the
schema of a brand-new database), and from separate ``python -m toolkit
session submit`` commands.
"""

from __future__ import annotations

import glob
import json
import multiprocessing
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UNIQUE = 50  # distinct submissions, each with its own resume token
IDEMPOTENCY_KEYS = 4  # keys each sent by several submitters at once (double clicks)
SHARED_RESUME_TOKENS = 2  # resume tokens each sent by several submitters at once
PROCESSES = 5

# --------------------------------------------------------------------------- PostgreSQL


def _postgres_bin() -> Path:
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda path: int(Path(path).parts[-3]) if Path(path).parts[-3].isdigit() else 0,
    )
    if not found:
        pytest.fail(
            "PostgreSQL server binaries were not found under /usr/lib/postgresql/*/bin: "
            "run `make system-deps`, which installs Debian's postgresql package",
            pytrace=False,
        )
    return Path(found[-1]).parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A throwaway PostgreSQL server on 127.0.0.1; yields its base URL (no database)."""
    bin_dir = _postgres_bin()
    as_user: list[str] = []
    folder = Path(tempfile.mkdtemp(prefix="toolkit-pg-"))
    if os.geteuid() == 0:  # the server refuses to run as root
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            pytest.fail("running as root needs the 'postgres' user: run `make system-deps`")
        os.chown(folder, owner.pw_uid, owner.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    data, log, port = folder / "data", folder / "server.log", _free_port()

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*as_user, *args], capture_output=True, text=True, timeout=120)

    made = run(
        str(bin_dir / "initdb"), "-D", str(data), "-U", "toolkit", "-A", "trust", "-E", "UTF8",
        "--no-sync",
    )  # fmt: skip
    if made.returncode:
        shutil.rmtree(folder, ignore_errors=True)
        pytest.fail(f"initdb failed: {made.stderr.strip()[-500:]}")
    options = (
        f"-k {folder} -p {port} -c listen_addresses=127.0.0.1 -c max_connections=300 "
        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    )
    started = run(str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "60",
                  "-o", options, "start")  # fmt: skip
    if started.returncode:
        tail = log.read_text(errors="replace")[-800:] if log.exists() else started.stderr
        shutil.rmtree(folder, ignore_errors=True)
        pytest.fail(f"PostgreSQL did not start: {tail}")
    try:
        yield f"postgresql+psycopg://toolkit@127.0.0.1:{port}"
    finally:
        run(str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request, tmp_path) -> str:
    """The URL of a brand-new, empty database (no schema yet)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'concurrency.sqlite3'}"
    import psycopg

    base = request.getfixturevalue("postgres_server")
    name = f"t_{uuid.uuid4().hex[:12]}"
    plain = base.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(f"{plain}/postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return f"{base}/{name}"


# --------------------------------------------------------------------------- submitting


def _record(index: int):
    from toolkit.domain.record import ServiceRecord

    return ServiceRecord(
        name=f"Service {index}",
        total_cost=10_000 + index,
        people_supported=40,
        new_jobs=5 + index % 10,
        jobs_retained=6,
    )


def _jobs(
    copies: int, offset: int = 0, unique: int = UNIQUE
) -> list[tuple[int, str | None, str | None]]:
    """(record index, idempotency key, resume token) for each submission to fire at once."""
    jobs: list[tuple[int, str | None, str | None]] = [
        (offset + i, None, f"resume-unique-{offset + i}") for i in range(unique)
    ]
    for key in range(IDEMPOTENCY_KEYS):
        # a double click: the same submitter (one resume token) sends its key twice or more
        jobs += [(1000 + key, f"idempotency-{key}", f"resume-idem-{key}")
                 for copy in range(copies)]  # fmt: skip
    for token in range(SHARED_RESUME_TOKENS):
        jobs += [(2000 + token, None, f"resume-shared-{token}") for _ in range(copies)]
    return jobs


def _fire(store, code: str, jobs) -> list[tuple[tuple, str]]:
    """Submit every job from its own thread, all released at the same moment."""
    start = threading.Barrier(len(jobs))
    results: list[tuple[tuple, str]] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def one(job) -> None:
        index, key, token = job
        try:
            start.wait(timeout=60)
            submission_id = store.submit(
                code, _record(index), None, False, True, resume_token=token, idempotency_key=key
            )
            with lock:
                results.append((job, submission_id))
        except BaseException as exc:  # reported to the parent
            with lock:
                errors.append(exc)

    threads = [threading.Thread(target=one, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    if errors:
        raise errors[0]
    return results


def _worker(url, ready, codes, go, per_process, offset, results) -> None:
    """One process: open the store (racing the others to migrate), then fire its threads."""
    try:
        from toolkit.network.store import Store

        store = Store(url)
        ready.wait(timeout=120)
        code = codes.get(timeout=120)
        go.wait(timeout=120)
        fired = _fire(store, code, _jobs(1, offset, per_process))
        store.close()
        results.put(("ok", fired))
    except BaseException as exc:  # reported to the parent
        results.put(("error", f"{type(exc).__name__}: {exc}"))


def _check(store, code, key, fired, unique_ids: set[str], copies: int) -> None:
    stored = store.submissions_for(code, key)
    counts = Counter(s.submission_id for s in stored)
    assert all(n == 1 for n in counts.values())
    assert len(stored) == UNIQUE + IDEMPOTENCY_KEYS + SHARED_RESUME_TOKENS, len(stored)
    assert len(unique_ids) == UNIQUE and unique_ids <= set(counts)
    by_key: dict[str, set[str]] = {}
    for (_, idempotency_key, token), submission_id in fired:
        group = idempotency_key or (token if token.startswith("resume-shared") else None)
        if group:
            by_key.setdefault(group, set()).add(submission_id)
    assert len(by_key) == IDEMPOTENCY_KEYS + SHARED_RESUME_TOKENS
    assert all(len(ids) == 1 for ids in by_key.values()), by_key
    assert sum(1 for _ in fired) == UNIQUE + copies * (IDEMPOTENCY_KEYS + SHARED_RESUME_TOKENS)
    summary = store.session_summary(code, key)
    assert summary.services == len(stored)
    assert summary.pooled["total_cost"] == sum(s.record.total_cost for s in stored)


def test_fifty_threads_at_once(database_url):
    from toolkit.network.store import Store

    store = Store(database_url)
    session = store.create_session("Busy session")
    copies = 5
    fired = _fire(store, session.code, _jobs(copies))
    unique_ids = {sid for (_, key, token), sid in fired if token.startswith("resume-unique")}
    _check(store, session.code, session.facilitator_key, fired, unique_ids, copies)
    store.close()


def test_fifty_submissions_from_several_processes(database_url):
    # fork: no second start-up of Python per process; nothing in this process holds a
    # thread or an open connection the children use (each opens its own Store).
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    ready, go = context.Barrier(PROCESSES + 1), context.Barrier(PROCESSES)
    codes, results = context.Queue(), context.Queue()
    per_process = UNIQUE // PROCESSES
    workers = [
        context.Process(
            target=_worker,
            args=(database_url, ready, codes, go, per_process, n * per_process, results),
        )
        for n in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    try:
        ready.wait(timeout=120)  # every process has opened (and migrated) the new database
        from toolkit.network.store import Store

        store = Store(database_url)
        session = store.create_session("Busy session")
        for _ in workers:
            codes.put(session.code)
        outcomes = [results.get(timeout=180) for _ in workers]
    finally:
        for worker in workers:
            worker.join(timeout=60)
            if worker.is_alive():
                worker.kill()
    assert [status for status, _ in outcomes] == ["ok"] * PROCESSES, outcomes
    fired = [item for _, items in outcomes for item in items]
    unique_ids = {sid for (_, _, token), sid in fired if token.startswith("resume-unique")}
    _check(store, session.code, session.facilitator_key, fired, unique_ids, PROCESSES)
    store.close()


def test_separate_commands_at_once(database_url):
    from toolkit.network.store import Store

    store = Store(database_url)
    session = store.create_session("Busy session")
    env = {**os.environ, "TOOLKIT_DATABASE_URL": database_url}
    env.pop("TOOLKIT_DATA_HOME", None)

    def command(index: int, key: str | None) -> list[str]:
        args = [sys.executable, "-m", "toolkit", "session", "submit", session.code,
                "--name", f"Service {index}", "--cost", "10000", "--supported", "40",
                "--new-jobs", "10", "--retained", "5", "--consent", "--format", "json"]  # fmt: skip
        # a double click is the same submitter (one resume token) sending its key again
        return args + (["--idempotency-key", key, "--resume-token", f"token-{key}"] if key else [])

    commands = [command(i, None) for i in range(3)] + [command(9, "same-click")] * 2
    running = [
        subprocess.Popen(
            c, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for c in commands
    ]
    outputs = [process.communicate(timeout=120) for process in running]
    assert [p.returncode for p in running] == [0] * len(commands), [err for _, err in outputs]
    ids = [json.loads(out)["submission_id"] for out, _ in outputs]
    assert len(set(ids[3:])) == 1  # the double click is one submission
    stored = store.submissions_for(session.code, session.facilitator_key)
    assert sorted(s.submission_id for s in stored) == sorted(set(ids))
    assert len(stored) == 4
    store.close()


# --------------------------------------------------------------------------- idle connections


@pytest.mark.postgres
def test_an_idle_store_holds_no_postgres_backend(postgres_server):
    """Each app kernel has its own store: between clicks it must not keep a backend alive."""
    import psycopg

    from toolkit.network.store import Store

    name = f"t_{uuid.uuid4().hex[:12]}"
    plain = postgres_server.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(f"{plain}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        store = Store(f"{postgres_server}/{name}")
        token = "x" * 43
        store.save_state("self_benchmark", token, {"services": []})

        def backends() -> int:
            """Backends on the database, once those of closed connections have exited."""
            for _attempt in range(50):  # a backend leaves pg_stat_activity a moment after
                found = admin.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", (name,)
                )
                count = int(found.fetchone()[0])
                if count == 0:
                    break
                time.sleep(0.1)
            return count

        assert backends() == 0
        assert store.load_state("self_benchmark", token) == {"services": []}  # reconnects
        assert backends() == 0
