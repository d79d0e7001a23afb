"""The cap on kernels per signed-in user on the shared service (toolkit/serving/cap.py)."""

from __future__ import annotations

import asyncio

from toolkit.serving import cap


def test_over_cap_only_at_the_limit_and_never_when_off():
    assert not cap.over_cap(7, 8)
    assert cap.over_cap(8, 8)
    assert not cap.over_cap(100, 0)


def test_kernels_count_for_their_owner_until_they_end():
    owners = cap.Owners()
    owners.note("k1", "ann")
    owners.note("k2", "ann")
    owners.note("k3", "bob")
    owners.note("pool", None)  # a pool kernel belongs to nobody
    assert owners.held("ann", ["k1", "k2", "k3", "pool"]) == 2
    assert owners.held("ann", ["k2", "k3", "pool"]) == 1  # k1 ended
    assert "k1" not in owners.by_kernel and "pool" not in owners.by_kernel


class FakeManager:
    async def get_rendered_notebook(self, name):
        asyncio.ensure_future(self._initialize(name))  # Voila's refill, started by the request
        await asyncio.sleep(0)
        return object(), "cache", f"kernel-for-{name}"

    async def start_kernel(self, **kwargs):
        return "cold-kernel"

    async def _initialize(self, name):
        return await self.start_kernel()


def test_the_page_user_owns_the_kernel_it_takes_and_not_the_refill():
    owners = cap.Owners()
    manager = cap.tracking(FakeManager, owners)()

    async def page_request():
        cap.OWNER.set("ann")
        await manager.get_rendered_notebook("app")
        await asyncio.sleep(0.01)  # let the refill run

    asyncio.run(page_request())
    assert owners.by_kernel == {"kernel-for-app": "ann"}


def test_the_limit_page_is_plain_english_from_the_data_file():
    words = cap.serving_words().kernel_cap
    page = cap.limit_page(words, 8)
    assert "<h1>You have too many apps open</h1>" in page
    assert "8 pages" in page and "{cap}" not in page
    assert '<html lang="en">' in page
