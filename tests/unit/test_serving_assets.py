"""Static files: gzipped once, cached for a year when their address names their content
(issue 17). Tornado handlers of the kinds Voila uses, wrapped as the server wraps them."""

from __future__ import annotations

import gzip

import pytest
from jupyter_server.base.handlers import FileFindHandler
from tornado.testing import AsyncHTTPTestCase
from tornado.web import Application, StaticFileHandler

from toolkit.serving.assets import (
    IMMUTABLE,
    REVALIDATE,
    accepts_gzip,
    cache_control,
    compressible,
    wrap_static_handlers,
)

SCRIPT = b"function f(x) { return x * 2; }\n" * 200  # 6.6 kB of JavaScript
DIGEST = "0123456789abcdef"


@pytest.fixture(scope="module")
def static_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("static")
    (folder / "voila.js").write_bytes(SCRIPT)
    (folder / "704.6a820cc839aca480.js").write_bytes(SCRIPT)
    (folder / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(4000))
    return folder


class LabExtensionFiles(FileFindHandler):
    """Jupyter Server's handler for /voila/labextensions/, without its sign-in machinery."""

    def get_current_user(self):
        return "visitor"


@pytest.fixture
def server(static_folder, request):
    class Case(AsyncHTTPTestCase):
        def get_app(self):
            handlers = wrap_static_handlers(
                [
                    (r"/voila/static/(.*)", StaticFileHandler, {"path": str(static_folder)}),
                    (
                        r"/voila/labextensions/(.*)",
                        LabExtensionFiles,
                        {"path": [str(static_folder)], "no_cache_paths": ["/"]},
                    ),
                ]
            )
            return Application(handlers, compress_response=True, toolkit_static_digest=DIGEST)

        def runTest(self):
            pass

    case = Case()
    case.setUp()
    yield case
    case.tearDown()


def get(server, path, gzip_ok=True, **headers):
    if gzip_ok:
        headers.setdefault("Accept-Encoding", "gzip, deflate")
    return server.fetch(path, headers=headers, decompress_response=False)


def test_scripts_are_sent_gzipped_to_browsers_that_accept_it(server):
    response = get(server, "/voila/static/voila.js")
    assert response.code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.headers["Vary"] == "Accept-Encoding"
    assert int(response.headers["Content-Length"]) == len(response.body) < len(SCRIPT) / 5
    assert gzip.decompress(response.body) == SCRIPT


def test_a_browser_that_does_not_accept_gzip_gets_the_file_as_it_is(server):
    response = get(server, "/voila/static/voila.js", gzip_ok=False)
    assert "Content-Encoding" not in response.headers
    assert response.body == SCRIPT


def test_images_are_not_compressed(server):
    response = get(server, "/voila/static/picture.png")
    assert "Content-Encoding" not in response.headers


def test_hashed_and_versioned_files_are_cached_for_a_year_others_revalidated(server):
    cases = {
        f"/voila/static/_v/{DIGEST}/voila.js": IMMUTABLE,  # Voila's scripts under the digest
        "/voila/static/voila.js": REVALIDATE,  # the same file without it
        "/voila/static/_v/ffffffffffffffff/voila.js": REVALIDATE,  # an old digest
        "/voila/static/voila.js?v=abc123": IMMUTABLE,
        "/voila/labextensions/704.6a820cc839aca480.js": IMMUTABLE,
        "/voila/labextensions/voila.js": REVALIDATE,
    }
    for path, expected in cases.items():
        response = get(server, path)
        assert response.code == 200, path
        assert response.headers["Cache-Control"] == expected, path
        assert gzip.decompress(response.body) == SCRIPT, path


def test_a_gzipped_file_is_revalidated_by_its_own_etag(server):
    first = get(server, "/voila/static/voila.js")
    plain = get(server, "/voila/static/voila.js", gzip_ok=False)
    assert first.headers["Etag"] != plain.headers["Etag"]
    again = get(server, "/voila/static/voila.js", **{"If-None-Match": first.headers["Etag"]})
    assert again.code == 304 and not again.body


@pytest.mark.parametrize(
    ("header", "accepted"),
    [("gzip, deflate, br", True), ("br", False), ("gzip;q=0", False), ("*", True), (None, False)],
)
def test_accept_encoding(header, accepted):
    assert accepts_gzip(header) is accepted


def test_compressible_types():
    assert compressible("text/css; charset=utf-8") and compressible("application/javascript")
    assert compressible("image/svg+xml")
    assert not compressible("image/png") and not compressible(None)


def test_cache_control_names():
    assert cache_control("remoteEntry.5cbb9d2323598fbda535.js", [], False) == IMMUTABLE
    assert cache_control("5764.voila.js", [], False) == REVALIDATE
    assert cache_control("5764.voila.js", [], True) == IMMUTABLE


@pytest.mark.parametrize(
    "config",
    ["binder/jupyter/jupyter_server_config.json", "deploy/jupyterhub/jupyter_server_config.json"],
)
def test_binder_and_jupyterhub_servers_compress_too(config):
    """Jupyter Server leaves Tornado's compression off, as standalone Voila does."""
    import json
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    settings = json.loads((root / config).read_text(encoding="utf-8"))["ServerApp"][
        "tornado_settings"
    ]
    assert settings["compress_response"] is True
