"""Machinery every app shares inside a Jupyter kernel: its event loop, a debouncer, a drawing thread.

None of it knows about any one app. Outside a kernel (plain Python, tests) timed work
is not scheduled: a :class:`Debouncer` waits for :meth:`Debouncer.flush` and drawing
happens at once on the caller's thread.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

_WORKER: ThreadPoolExecutor | None = None


def kernel_loop() -> asyncio.AbstractEventLoop | None:
    """The running event loop when this code runs in a Jupyter kernel, else None.

    Outside a kernel (plain Python, tests) another library's loop may be running
    but nobody drives it for us, so timed work must not be scheduled on it.
    """
    try:
        # imported here: ipykernel is only loaded when a kernel is actually running us
        from ipykernel.kernelapp import IPKernelApp
    except ImportError:  # pragma: no cover - ipykernel is a dependency
        return None
    if not IPKernelApp.initialized():
        return None
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def chart_worker() -> ThreadPoolExecutor:
    """One drawing thread per kernel, started when first needed."""
    global _WORKER
    if _WORKER is None:
        _WORKER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="toolkit-charts")
    return _WORKER


class Debouncer:
    """Run a callback once typing pauses.

    Without a running event loop (plain Python, tests) the call waits until
    :meth:`flush`.
    """

    def __init__(self, delay: float, callback: Callable[[], None]):
        self.delay = delay
        self.callback = callback
        self._handle: asyncio.TimerHandle | None = None
        self.pending = False

    def __call__(self) -> None:
        self.pending = True
        loop = kernel_loop()
        if loop is None:
            return
        if self._handle is not None:
            self._handle.cancel()
        self._handle = loop.call_later(self.delay, self._run)

    def _run(self) -> None:
        self._handle = None
        self.pending = False
        self.callback()

    def flush(self) -> None:
        """Run now if a call is waiting."""
        if self._handle is not None:
            self._handle.cancel()
        if self.pending:
            self._run()
