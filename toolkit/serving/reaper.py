"""End the kernels of pages that have gone, within a minute or two, without breaking slow loads.

Jupyter's idle cull (``voila.json``: 15 minutes) is the outer bound. A page that vanished
without its unload beacon (a crashed tab, a closed laptop, a dropped network) keeps its
kernel, about 100 MB, for those 15 minutes. This module ends it sooner, by one rule:

- a kernel waiting in Voila's preheated pool is never ended here;
- a kernel with an open websocket is never ended here (an idle open tab keeps its app);
- a kernel that has had a websocket and has had none for ``gone_after`` seconds is ended
  (the page has gone: Jupyter's websocket pings close a silent connection after
  ``ws_ping_timeout``, and a page that only lost its network for a moment reconnects
  within the grace);
- a kernel handed to a page that never connected keeps ``never_connected_after`` seconds,
  so a page still loading on a slow network or a busy server still works when it arrives.

:func:`verdict` is the rule (a pure function); :class:`Reaper` applies it every
``interval`` seconds to a Jupyter kernel manager.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)

#: Seconds without a websocket, after having had one, before a kernel is ended.
GONE_AFTER_S = 60.0
#: Seconds a kernel handed to a page may wait for its first websocket.
NEVER_CONNECTED_AFTER_S = 300.0
#: Seconds between two looks at the kernels.
INTERVAL_S = 10.0


@dataclass(frozen=True)
class ReapRule:
    """How long a kernel without a page may live (seconds)."""

    gone_after: float = GONE_AFTER_S
    never_connected_after: float = NEVER_CONNECTED_AFTER_S


@dataclass
class Watch:
    """What the reaper has seen of one kernel outside the pool."""

    first_seen: float
    last_connected: float | None = None


def verdict(watch: Watch, connections: int, now: float, rule: ReapRule) -> bool:
    """True when the kernel this watch describes should be ended now."""
    if connections > 0:
        return False
    if watch.last_connected is not None:
        return now - watch.last_connected >= rule.gone_after
    return now - watch.first_seen >= rule.never_connected_after


@dataclass
class Ledger:
    """The watches of the kernels outside the pool, updated by :meth:`observe`."""

    rule: ReapRule = field(default_factory=ReapRule)
    watches: dict[str, Watch] = field(default_factory=dict)

    def observe(
        self,
        kernel_ids: Iterable[str],
        pooled: set[str],
        connections: Callable[[str], int],
        now: float,
    ) -> list[str]:
        """Record what is seen now; return the ids of the kernels to end."""
        alive = set(kernel_ids)
        for gone in set(self.watches) - alive:
            del self.watches[gone]
        doomed = []
        for kernel_id in sorted(alive - pooled):
            watch = self.watches.setdefault(kernel_id, Watch(first_seen=now))
            count = connections(kernel_id)
            if count > 0:
                watch.last_connected = now
            elif verdict(watch, count, now, self.rule):
                doomed.append(kernel_id)
        for kernel_id in pooled:
            self.watches.pop(kernel_id, None)
        return doomed

    def saw_connection(self, kernel_id: str, now: float) -> None:
        """A websocket to the kernel opened or closed now: it has had a page."""
        watch = self.watches.setdefault(kernel_id, Watch(first_seen=now))
        watch.last_connected = now


def pooled_kernel_ids(kernel_manager: object) -> set[str]:
    """Ids of the ready kernels in Voila's preheated pools (none without a pool)."""
    ids = set()
    for pool in getattr(kernel_manager, "_pools", {}).values():
        for task in pool:
            if task.done() and not task.cancelled() and task.exception() is None:
                kernel_id = task.result().get("kernel_id")
                if kernel_id:
                    ids.add(kernel_id)
    return ids


class Reaper:
    """Applies a :class:`Ledger` to a Jupyter ``MappingKernelManager`` every ``interval`` s."""

    def __init__(
        self,
        kernel_manager: object,
        rule: ReapRule | None = None,
        interval: float = INTERVAL_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.kernel_manager = kernel_manager
        self.ledger = Ledger(rule or ReapRule())
        self.interval = interval
        self.clock = clock
        self._task: asyncio.Task | None = None
        self._hear_connections()

    def _hear_connections(self) -> None:
        """Note each websocket opening and closing as it happens.

        A page may connect and vanish between two sweeps; without this it would count as
        never connected and keep the longer grace.
        """
        manager: Any = self.kernel_manager
        for name in ("notify_connect", "notify_disconnect"):
            original = getattr(manager, name, None)
            if original is None:
                continue

            def heard(kernel_id: str, _original: Callable[[str], None] = original) -> None:
                _original(kernel_id)
                self.ledger.saw_connection(kernel_id, self.clock())

            setattr(manager, name, heard)

    def _connections(self, kernel_id: str) -> int:
        return int(getattr(self.kernel_manager, "_kernel_connections", {}).get(kernel_id, 0))

    async def sweep(self) -> list[str]:
        """One look at the kernels; end the ones whose page has gone. Returns their ids."""
        manager = self.kernel_manager
        doomed = self.ledger.observe(
            list(manager.list_kernel_ids()),  # type: ignore[attr-defined]
            pooled_kernel_ids(manager),
            self._connections,
            self.clock(),
        )
        for kernel_id in doomed:
            log.info("Ending kernel %s: its page has gone", kernel_id)
            try:
                await manager.shutdown_kernel(kernel_id)  # type: ignore[attr-defined]
            except Exception:  # a kernel ended meanwhile (beacon, cull) is not a fault
                log.debug("kernel %s was already gone", kernel_id, exc_info=True)
            self.ledger.watches.pop(kernel_id, None)
        return doomed

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            try:
                await self.sweep()
            except Exception:  # never let one bad sweep stop the next ones
                log.exception("kernel sweep failed")

    def start(self) -> None:
        """Start sweeping on the running event loop."""
        if self._task is None:
            self._task = asyncio.get_event_loop().create_task(self._run())

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None
