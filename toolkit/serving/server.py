"""Voila for the toolkit's apps: ``python -m toolkit.serving notebooks/`` (what ``make app`` runs).

It is Voila itself, reading the repository's ``voila.json`` like ``voila`` does,
with one addition its configuration cannot reach: a cap on the size of an HTTP
request body. Voila hands ``tornado_settings`` to the web application, but the
body limits belong to Tornado's HTTP server, which Voila starts with Tornado's
defaults (100 MB held in memory before any handler looks at the request). No
page or API of Voila takes a request body larger than a few hundred bytes (the
shutdown beacon), and spreadsheets are uploaded over the kernel's websocket
(capped by ``websocket_max_message_size`` in ``voila.json``), so the cap here is
small. A request over it is answered ``400`` and closed before the body is read.

It also hands Voila a kernel manager whose pool never makes a page wait for the
refill delay (:mod:`toolkit.serving.pool`).

Everything else (file serving, tracebacks, message types, culling, the pool,
log redaction) is in ``voila.json`` and applies to plain ``voila`` too.
"""

from __future__ import annotations

import functools
import sys

import voila.app
from traitlets import Integer
from voila.app import Voila

from toolkit.serving.pool import prompt_pool

#: Largest HTTP request body accepted, in bytes.
MAX_BODY_BYTES = 64 * 1024


class ToolkitVoila(Voila):
    """Voila with a cap on HTTP request bodies (configure as ``ToolkitVoila.max_body_size``)."""

    max_body_size = Integer(
        MAX_BODY_BYTES,
        config=True,
        help="Largest HTTP request body accepted, in bytes; larger requests get 400.",
    )

    def init_settings(self):
        # Voila builds its kernel manager class inside init_settings with a module-level
        # factory and no setting to change it: wrap the factory's result while it runs.
        factory = voila.app.voila_kernel_manager_factory

        def prompt_factory(base_class, preheat_kernel, *args, **kwargs):
            built = factory(base_class, preheat_kernel, *args, **kwargs)
            return prompt_pool(built) if preheat_kernel else built

        voila.app.voila_kernel_manager_factory = prompt_factory
        try:
            return super().init_settings()
        finally:
            voila.app.voila_kernel_manager_factory = factory

    def listen(self):
        listen = self.app.listen
        # Only the body limit: the stream's buffer (max_buffer_size) must stay large
        # enough for a websocket frame up to websocket_max_message_size.
        self.app.listen = functools.partial(listen, max_body_size=self.max_body_size)  # type: ignore[method-assign]
        return super().listen()


def main(argv: list[str] | None = None) -> None:
    ToolkitVoila.launch_instance(argv)


if __name__ == "__main__":
    sys.exit(main())
