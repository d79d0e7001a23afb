"""Preheated kernels without a wait for the refill delay.

Voila keeps a pool of preheated kernels per notebook. When a page takes one, Voila
refills the pool with a task that sleeps ``VoilaKernelManager.fill_delay`` seconds
and only then starts a kernel, and it puts that task at the end of the pool. The
next page request takes the *first* task of the pool and awaits it. Once the ready
kernels are used up, a page request therefore waits for a sleeping refill: with
``make app``'s ``fill_delay=60`` that was up to a minute on a blank page.

:func:`prompt_pool` wraps Voila's kernel manager class so that

- a page takes a ready kernel if there is one, else one already starting, and only
  then a refill that has not started yet;
- the refill a page takes starts at once (its delay is cut short); and
- refills nobody has asked for still wait for ``fill_delay``, so they do not compete
  for the processor with the pages people are loading (why ``make app`` sets it).

Voila's own code does the rest (its ``fill_if_needed`` starts the tasks; its
``get_rendered_notebook`` takes the first one), so the subclass only adds a gate in
front of each delayed start and puts the best task first.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

#: Pool tasks ranked for a page request: lower is better.
_READY, _STARTING, _WAITING, _FAILED = range(4)


def prompt_pool(voila_kernel_manager: type) -> type:
    """Voila's preheating kernel manager class, changed so no page waits for ``fill_delay``."""

    class PromptPoolKernelManager(voila_kernel_manager):
        """Voila's ``VoilaKernelManager``; the refill a page takes starts at once."""

        def __init__(self, **kwargs: Any) -> None:
            # Set before Voila's __init__, which fills the pools.
            self._gates: dict[asyncio.Task, tuple[asyncio.Event, float]] = {}
            self._stopping = False
            super().__init__(**kwargs)

        def fill_if_needed(
            self,
            delay: float | None = None,
            notebook_name: str | None = None,
            **kwargs: Any,
        ) -> None:
            """Voila's refill with its tasks started now; each waits at a gate instead."""
            delay = self.fill_delay if delay is None else delay
            pool = self._pools.get(notebook_name, [])
            before = set(pool)
            super().fill_if_needed(delay=0, notebook_name=notebook_name, **kwargs)
            if delay > 0:
                for task in self._pools.get(notebook_name, []):
                    if task not in before:
                        self._gates[task] = (asyncio.Event(), delay)

        async def _initialize(self, notebook_path: str, kernel_id: str | None = None, **kwargs):
            """Wait at this refill's gate (opened by a page, or after ``fill_delay``), then start."""
            gate = self._gates.get(asyncio.current_task())  # type: ignore[arg-type]
            if gate is not None and kernel_id is None:
                event, delay = gate
                # after the delay, a refill nobody asked for starts anyway
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(event.wait(), timeout=delay)
                self._gates.pop(asyncio.current_task(), None)  # type: ignore[arg-type]
                if self._stopping:
                    raise RuntimeError("the server is stopping: no kernel started")
            return await super()._initialize(notebook_path, kernel_id, **kwargs)

        def _rank(self, task: asyncio.Task) -> int:
            if task.done():
                failed = task.cancelled() or task.exception() is not None
                return _FAILED if failed else _READY
            return _WAITING if task in self._gates else _STARTING

        def take_best(self, notebook_name: str) -> None:
            """Put the best kernel of the pool first, and start it now if it is still waiting."""
            pool = self._pools.get(notebook_name) or []
            if not pool:
                return
            best = min(range(len(pool)), key=lambda index: (self._rank(pool[index]), index))
            task = pool.pop(best)
            pool.insert(0, task)
            gate = self._gates.pop(task, None)
            if gate is not None:
                gate[0].set()

        async def get_rendered_notebook(self, notebook_name: str, *args: Any, **kwargs: Any):
            self.take_best(notebook_name)
            return await super().get_rendered_notebook(notebook_name, *args, **kwargs)

        async def shutdown_all(self, *args: Any, **kwargs: Any) -> None:
            # Open every gate, so Voila's shutdown does not wait out the refill delays;
            # the refills behind them then end without starting a kernel.
            self._stopping = True
            for event, _ in self._gates.values():
                event.set()
            self._gates.clear()
            return await super().shutdown_all(*args, **kwargs)

    return PromptPoolKernelManager
