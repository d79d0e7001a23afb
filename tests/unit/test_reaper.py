"""The rule that ends the kernels of pages that have gone (toolkit/serving/reaper.py)."""

from __future__ import annotations

import asyncio

from toolkit.serving.reaper import Ledger, Reaper, ReapRule, Watch, verdict

RULE = ReapRule(gone_after=60, never_connected_after=300)


def test_an_open_page_keeps_its_kernel_however_long_it_is_idle():
    assert not verdict(Watch(first_seen=0, last_connected=0), 1, 10_000, RULE)


def test_a_page_gone_for_the_grace_loses_its_kernel_and_not_before():
    watch = Watch(first_seen=0, last_connected=100)
    assert not verdict(watch, 0, 159, RULE)
    assert verdict(watch, 0, 160, RULE)


def test_a_slow_page_keeps_its_kernel_until_the_longer_grace():
    watch = Watch(first_seen=0)
    assert not verdict(watch, 0, 299, RULE)  # well past gone_after: still waiting for the page
    assert verdict(watch, 0, 300, RULE)


def test_ledger_spares_pooled_kernels_and_forgets_ended_ones():
    ledger = Ledger(RULE)
    connections = {"used": 1, "pooled": 0, "fetched": 0}
    assert ledger.observe(["used", "pooled", "fetched"], {"pooled"}, connections.get, 0) == []
    connections["used"] = 0  # the tab vanished: its websocket closed at t=0..10
    assert ledger.observe(["used", "pooled", "fetched"], {"pooled"}, connections.get, 10) == []
    assert ledger.observe(["used", "pooled", "fetched"], {"pooled"}, connections.get, 60) == ["used"]
    assert ledger.observe(["pooled", "fetched"], {"pooled"}, connections.get, 299) == []
    assert ledger.observe(["pooled", "fetched"], {"pooled"}, connections.get, 300) == ["fetched"]
    assert "pooled" not in ledger.watches
    ledger.observe(["pooled"], {"pooled"}, connections.get, 301)
    assert ledger.watches == {}


def test_a_page_that_reconnects_within_the_grace_keeps_its_kernel():
    ledger = Ledger(RULE)
    seen = {"k": 1}
    ledger.observe(["k"], set(), seen.get, 0)
    seen["k"] = 0
    assert ledger.observe(["k"], set(), seen.get, 50) == []
    seen["k"] = 1  # the network came back: the page's websocket reconnected
    assert ledger.observe(["k"], set(), seen.get, 55) == []
    seen["k"] = 0
    assert ledger.observe(["k"], set(), seen.get, 100) == []
    assert ledger.observe(["k"], set(), seen.get, 115) == ["k"]


class FakeKernels:
    """The parts of Jupyter's MappingKernelManager the reaper uses."""

    def __init__(self) -> None:
        self.kernels = {"open": 1, "gone": 0}
        self._kernel_connections = self.kernels
        self.ended: list[str] = []

    def notify_connect(self, kernel_id: str) -> None:
        self.kernels[kernel_id] += 1

    def notify_disconnect(self, kernel_id: str) -> None:
        self.kernels[kernel_id] -= 1

    def list_kernel_ids(self):
        return list(self.kernels)

    async def shutdown_kernel(self, kernel_id: str) -> None:
        self.ended.append(kernel_id)
        del self.kernels[kernel_id]


def test_sweep_shuts_down_only_the_gone_kernel():
    kernels = FakeKernels()
    now = [0.0]
    reaper = Reaper(kernels, ReapRule(gone_after=60, never_connected_after=30), clock=lambda: now[0])
    assert asyncio.run(reaper.sweep()) == []
    now[0] = 31.0
    assert asyncio.run(reaper.sweep()) == ["gone"]
    assert kernels.ended == ["gone"] and list(kernels.kernels) == ["open"]


def test_a_page_that_connected_between_two_sweeps_gets_the_short_grace():
    kernels = FakeKernels()
    kernels.kernels["brief"] = 0
    now = [0.0]
    reaper = Reaper(kernels, ReapRule(gone_after=5, never_connected_after=300), clock=lambda: now[0])
    asyncio.run(reaper.sweep())
    now[0] = 3.0
    kernels.notify_connect("brief")  # the page connects and vanishes before the next sweep
    now[0] = 4.0
    kernels.notify_disconnect("brief")
    now[0] = 10.0
    assert asyncio.run(reaper.sweep()) == ["brief"]
    assert kernels.kernels["open"] == 1  # the open page is untouched
