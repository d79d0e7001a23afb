"""A cap on the kernels one signed-in user holds on the shared service.

Every page of an app holds a kernel (about 100 MB). Under JupyterHub one Voila server
serves everyone, so one person reloading a page in a loop could take the memory everyone
shares. Each kernel is noted against the Hub user whose page request took it; a page
request from a user who already holds ``kernels_per_user`` live kernels gets a short page
in plain English (HTTP 429) instead of a new kernel. Pages closed normally end their
kernels at once; vanished ones within two minutes (:mod:`toolkit.serving.reaper`), after
which the user can open apps again.

Off (0) under ``make app``: there nobody signs in, and a room of people behind one
address must not share one allowance.
"""

from __future__ import annotations

import contextvars
import html
from typing import Any

from pydantic import BaseModel, ConfigDict

from toolkit.content.loader import validated_yaml
from toolkit.content.paths import data_dir

#: The user whose page request is running (set by the page handler, read by the manager).
OWNER: contextvars.ContextVar[str | None] = contextvars.ContextVar("toolkit_owner", default=None)


class Owners:
    """Which user's page took which kernel."""

    def __init__(self) -> None:
        self.by_kernel: dict[str, str] = {}

    def note(self, kernel_id: str, owner: str | None) -> None:
        if owner:
            self.by_kernel[kernel_id] = owner

    def held(self, owner: str, alive: list[str]) -> int:
        """How many of the live kernels ``owner`` holds (forgets the ended ones)."""
        live = set(alive)
        for kernel_id in [k for k in self.by_kernel if k not in live]:
            del self.by_kernel[kernel_id]
        return sum(1 for holder in self.by_kernel.values() if holder == owner)


class LimitWords(BaseModel):
    """The page shown at the cap: a title, and a sentence with ``{cap}`` in it."""

    model_config = ConfigDict(extra="forbid")
    title: str
    body: str


class ServingWords(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kernel_cap: LimitWords


def serving_words() -> ServingWords:
    """data/serving.yaml, checked."""
    return validated_yaml(ServingWords, data_dir() / "serving.yaml")


def over_cap(held: int, cap: int) -> bool:
    """True when a user holding ``held`` kernels may not take another (cap 0: no cap)."""
    return cap > 0 and held >= cap


def tracking(kernel_manager: type, owners: Owners) -> type:
    """Voila's kernel manager class, noting the owner of each kernel a page takes."""

    class OwnerTrackingKernelManager(kernel_manager):
        async def get_rendered_notebook(self, *args: Any, **kwargs: Any):
            rendered = await super().get_rendered_notebook(*args, **kwargs)
            owners.note(rendered[2], OWNER.get())  # (render task, cache, kernel id)
            return rendered

        async def start_kernel(self, *args: Any, **kwargs: Any):
            kernel_id = await super().start_kernel(*args, **kwargs)
            owners.note(kernel_id, OWNER.get())
            return kernel_id

        async def _initialize(self, *args: Any, **kwargs: Any):
            # a pool refill runs in a task copied from the page request's context:
            # the kernel it starts belongs to the pool, not to that page's user
            OWNER.set(None)
            return await super()._initialize(*args, **kwargs)

    return OwnerTrackingKernelManager


def capped(handler_class: type, owners: Owners, cap: int, message: LimitWords) -> type:
    """Voila's page handler, refusing a page to a user who holds ``cap`` kernels."""

    class CappedVoilaHandler(handler_class):
        async def get(self, path: str | None = None) -> None:
            user = getattr(self.current_user, "username", None)
            if user and cap > 0:
                held = owners.held(user, list(self.kernel_manager.list_kernel_ids()))
                if over_cap(held, cap):
                    self.set_status(429)
                    self.set_header("Content-Type", "text/html; charset=UTF-8")
                    self.set_header("Retry-After", "120")
                    self.finish(limit_page(message, cap))
                    return
            OWNER.set(user)
            await super().get(path)

    return CappedVoilaHandler


def limit_page(message: LimitWords, cap: int) -> str:
    """The plain page a user sees at the cap (words from data/serving.yaml)."""
    title = html.escape(message.title)
    body = html.escape(message.body.format(cap=cap))
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>'
        "</head><body style=\"font-family: sans-serif; max-width: 40rem; margin: 2rem auto;"
        ' line-height: 1.5; color: #1a1a1a\">'
        f"<main><h1>{title}</h1><p>{body}</p></main></body></html>"
    )
