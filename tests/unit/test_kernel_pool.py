"""The preheated pool: a page never waits for Voila's refill delay (issue 13, section 1).

Voila's real ``VoilaKernelManager`` (from ``voila_kernel_manager_factory``) is used,
wrapped by :func:`toolkit.serving.pool.prompt_pool`; only the kernels (the base kernel
manager) and the notebook renderer are stand-ins, so no kernel process starts.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from types import SimpleNamespace

import pytest
from traitlets.config import LoggingConfigurable
from voila.voila_kernel_manager import voila_kernel_manager_factory

from toolkit.serving.pool import prompt_pool

NOTEBOOK = "app.ipynb"


class FakeKernels(LoggingConfigurable):
    """Stands in for Jupyter Server's kernel manager: records when each kernel starts."""

    default_kernel_name = "python3"

    def __init__(self, **kwargs):
        self.started: list[float] = []
        super().__init__(**kwargs)

    async def start_kernel(self, kernel_name=None, **kwargs):
        self.started.append(time.monotonic())
        await asyncio.sleep(0.05)  # a kernel takes a moment to start
        return str(uuid.uuid4())

    def get_kernel(self, kernel_id):
        return None

    def __contains__(self, kernel_id):
        return False

    async def shutdown_all(self, *args, **kwargs):
        return None


class FakeRenderer:
    def __init__(self, notebook_path):
        self.notebook_path = notebook_path
        self.notebook = SimpleNamespace(
            metadata=SimpleNamespace(kernelspec=SimpleNamespace(name="python3"))
        )
        self.template_name = "toolkit"
        self.theme = "light"
        self.stop_generator = False
        self.rendered_cache: list[str] = []

    async def initialize(self):
        return None

    async def generate_content_hybrid(self, kernel_id, kernel_future):
        async def nothing():
            return
            yield

        return [], nothing()


class FakeServer(LoggingConfigurable):
    root_dir = "/srv/notebooks"
    notebook_path = None
    base_url = "/"
    server_url = "/"
    port = 8866


def manager(wrap: bool, fill_delay: float, pool_size: int = 1):
    voila_class = voila_kernel_manager_factory(FakeKernels, True, pool_size)
    base = prompt_pool(voila_class) if wrap else voila_class

    class Manager(base):
        def _notebook_renderer_factory(self, notebook_path=None):
            return FakeRenderer(notebook_path)

    server = FakeServer()
    server.notebook_path = f"{server.root_dir}/{NOTEBOOK}"  # one notebook: no folder scan
    return Manager(parent=server, fill_delay=fill_delay)


async def take(km, timeout: float) -> str:
    """A page request's share of the work: take a preheated kernel (Voila's handler)."""
    _task, _cache, kernel_id = await asyncio.wait_for(km.get_rendered_notebook(NOTEBOOK), timeout)
    return kernel_id


def test_pages_after_the_ready_kernels_do_not_wait_for_the_refill_delay():
    async def scenario():
        km = manager(wrap=True, fill_delay=60)
        await asyncio.sleep(0.2)  # the pool fills at start (no delay)
        start = time.monotonic()
        kernels = [await take(km, timeout=5) for _ in range(4)]
        assert len(set(kernels)) == 4
        assert time.monotonic() - start < 5
        await km.shutdown_all()

    asyncio.run(scenario())


def test_voilas_own_pool_makes_the_second_page_wait_for_the_refill_delay():
    """Why the wrapper exists: the same scenario with Voila's class alone times out."""

    async def scenario():
        km = manager(wrap=False, fill_delay=60)
        await asyncio.sleep(0.2)
        await take(km, timeout=5)
        with pytest.raises(TimeoutError):
            await take(km, timeout=1)

    asyncio.run(scenario())


def test_refills_nobody_takes_wait_for_the_delay_before_starting():
    async def scenario():
        km = manager(wrap=True, fill_delay=1.0, pool_size=2)
        await asyncio.sleep(0.2)
        assert len(km.started) == 2  # the pool, filled at start
        taken_at = time.monotonic()
        await take(km, timeout=5)  # a ready kernel: nothing new starts yet
        await asyncio.sleep(0.3)
        assert len(km.started) == 2
        await take(km, timeout=5)  # the other ready one
        await take(km, timeout=5)  # a waiting refill: started at once for this page
        assert len(km.started) == 3
        await asyncio.sleep(1.2)  # the remaining refills start after fill_delay
        assert len(km.started) == 5
        assert min(km.started[3:]) - taken_at >= 0.95
        await km.shutdown_all()

    asyncio.run(scenario())


def test_a_page_takes_a_ready_kernel_before_one_still_starting():
    async def scenario():
        km = manager(wrap=True, fill_delay=60, pool_size=2)
        await asyncio.sleep(0.2)
        first = await take(km, timeout=5)
        # the pool now holds one ready kernel, then a waiting refill (Voila appends it)
        pool = km._pools[NOTEBOOK]
        pool.reverse()  # the waiting refill first: a page must still get the ready one
        before = len(km.started)
        second = await take(km, timeout=5)
        assert second != first and len(km.started) == before
        await km.shutdown_all()

    asyncio.run(scenario())


def test_stopping_the_server_starts_no_waiting_refill():
    async def scenario():
        km = manager(wrap=True, fill_delay=60)
        await asyncio.sleep(0.2)
        await take(km, timeout=5)
        started = len(km.started)
        await asyncio.wait_for(km.shutdown_all(), 5)
        await asyncio.sleep(0.1)
        assert len(km.started) == started

    asyncio.run(scenario())
