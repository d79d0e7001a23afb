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
refill delay (:mod:`toolkit.serving.pool`), and serves static files compressed and
cached by the browser (:mod:`toolkit.serving.assets`).

It ends the kernels of pages that have gone within a minute or two
(:mod:`toolkit.serving.reaper`), and, when JupyterHub starts it as its service
(:mod:`toolkit.serving.hub_env`), serves under the service's prefix and lets in only
those the Hub has signed in with access to the service (:mod:`toolkit.serving.hub`).

Everything else (file serving, tracebacks, message types, culling, the pool,
log redaction) is in ``voila.json`` and applies to plain ``voila`` too.
"""

from __future__ import annotations

import functools
import os
import sys

import voila.app
from tornado.ioloop import IOLoop
from traitlets import Bool, Float, Integer
from voila.app import Voila
from voila.tornado.handler import TornadoVoilaHandler

from toolkit.charts.client import SERVER_PID
from toolkit.serving import cap, hub_env, pool, preload, reaper, warm
from toolkit.serving.assets import static_digest, versioned_static_url, wrap_static_handlers

#: Largest HTTP request body accepted, in bytes.
MAX_BODY_BYTES = 64 * 1024


class ToolkitVoila(Voila):
    """Voila with a cap on HTTP request bodies (configure as ``ToolkitVoila.max_body_size``)."""

    max_body_size = Integer(
        MAX_BODY_BYTES,
        config=True,
        help="Largest HTTP request body accepted, in bytes; larger requests get 400.",
    )

    prompt_pool = Bool(
        True,
        config=True,
        help="Start the refill a page takes at once instead of after fill_delay (Voila's own pool: False).",
    )
    compress = Bool(
        True,
        config=True,
        help="Send text responses gzipped to browsers that accept it (static files compressed once).",
    )
    browser_cache = Bool(
        True,
        config=True,
        help="Let browsers keep content-hashed static files for a year without asking again.",
    )

    preload = Bool(
        True,
        config=True,
        help="List the scripts every page needs as preload hints in the page's head.",
    )

    reap_pages = Bool(
        True,
        config=True,
        help="End the kernels of pages that have gone (toolkit/serving/reaper.py) before the idle cull.",
    )
    gone_after = Float(
        reaper.GONE_AFTER_S,
        config=True,
        help="Seconds a kernel that had a websocket may go without one before it is ended.",
    )
    never_connected_after = Float(
        reaper.NEVER_CONNECTED_AFTER_S,
        config=True,
        help="Seconds a kernel handed to a page may wait for the page's first websocket.",
    )

    kernels_per_user = Integer(
        0,
        config=True,
        help="Most kernels one signed-in user may hold (0: no cap; the Hub's service sets one).",
    )

    def init_settings(self):
        # Kernels inherit this: the chart process they start stops when this server ends.
        os.environ[SERVER_PID] = str(os.getpid())
        digest = static_digest(self.static_paths)
        configured_hook = self.voila_configuration.page_config_hook

        static_url = versioned_static_url(self.base_url, digest)
        hints = []
        if self.preload:
            hints = preload.preload_urls(
                preload.read_list(self.template_paths),
                static_url if self.browser_cache else f"{self.base_url}voila/static",
                self.base_url,
                self.static_paths,
                self.labextensions_path,
            )

        def page_config_hook(page_config, *args, **kwargs):
            page_config = dict(page_config)
            if self.browser_cache:
                page_config["fullStaticUrl"] = static_url
            page_config["toolkitPreload"] = hints
            if configured_hook:
                return configured_hook(page_config, *args, **kwargs)
            return page_config

        self.voila_configuration.page_config_hook = page_config_hook
        # Voila builds its kernel manager class inside init_settings with a module-level
        # factory and no setting to change it: wrap the factory's result while it runs.
        factory = voila.app.voila_kernel_manager_factory

        self.owners = cap.Owners()

        def prompt_factory(base_class, preheat_kernel, *args, **kwargs):
            built = factory(base_class, preheat_kernel, *args, **kwargs)
            if preheat_kernel and self.prompt_pool:
                built = pool.prompt_pool(built)
            return cap.tracking(built, self.owners) if self.kernels_per_user > 0 else built

        voila.app.voila_kernel_manager_factory = prompt_factory
        try:
            settings = super().init_settings()
        finally:
            voila.app.voila_kernel_manager_factory = factory
        settings["toolkit_static_digest"] = digest
        settings["toolkit_compress"] = self.compress
        settings["toolkit_browser_cache"] = self.browser_cache
        # Tornado gzips the pages and other dynamic text (static files are gzipped once
        # by the handlers); standalone Voila leaves this off.
        settings["compress_response"] = self.compress
        return settings

    def init_handlers(self):
        if self.reap_pages:
            rule = reaper.ReapRule(self.gone_after, self.never_connected_after)
            self.reaper = reaper.Reaper(self.kernel_manager, rule)
            IOLoop.current().add_callback(self.reaper.start)
        handlers = wrap_static_handlers(super().init_handlers())
        if self.kernels_per_user > 0:
            words = cap.serving_words().kernel_cap
            handlers = [
                (rule[0], cap.capped(rule[1], self.owners, self.kernels_per_user, words), *rule[2:])
                if len(rule) > 1 and rule[1] is TornadoVoilaHandler
                else rule
                for rule in handlers
            ]
        return handlers

    def listen(self):
        listen = self.app.listen
        # Only the body limit: the stream's buffer (max_buffer_size) must stay large
        # enough for a websocket frame up to websocket_max_message_size.
        self.app.listen = functools.partial(listen, max_body_size=self.max_body_size)
        return super().listen()


def main(argv: list[str] | None = None) -> None:
    """Serve the apps; as JupyterHub's service when the Hub's environment says so."""
    arguments = hub_env.service_arguments(os.environ)
    if arguments:
        hub_env.take_token(os.environ)
        argv = [*arguments, *(sys.argv[1:] if argv is None else argv)]
    warm.cache_template()  # before any kernel starts, so none loads openpyxl for it
    ToolkitVoila.launch_instance(argv)


if __name__ == "__main__":
    main()
