"""Server settings kept in three files agree, with voila.json as the source of the shared ones.

voila.json configures the standalone server (``make app``, ``python -m toolkit.serving``);
deploy/jupyterhub/jupyter_server_config.json and binder/jupyter/jupyter_server_config.json
configure Voila inside Jupyter Server, where the same settings sit under other sections. Each
row of SHARED names one setting in voila.json and where the other files must repeat it (None:
that server does not have it; Binder runs JupyterLab for whoever opens it, so its file only keeps
the apps working and offline). Change a value in voila.json, then copy it to the places listed.
"""

import json
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
FILES = {
    "voila": ROOT / "voila.json",
    "hub": ROOT / "deploy" / "jupyterhub" / "jupyter_server_config.json",
    "binder": ROOT / "binder" / "jupyter" / "jupyter_server_config.json",
}
_TORNADO = "ServerApp.tornado_settings"

#: (setting in voila.json, where the JupyterHub image has it, where Binder has it)
SHARED: list[tuple[str, str | None, str | None]] = [
    ("VoilaExecutor.iopub_timeout", "VoilaExecutor.iopub_timeout", "VoilaExecutor.iopub_timeout"),
    (
        "Voila.tornado_settings.websocket_max_message_size",
        f"{_TORNADO}.websocket_max_message_size",
        f"{_TORNADO}.websocket_max_message_size",
    ),
    ("Voila.tornado_settings.headers", f"{_TORNADO}.headers", f"{_TORNADO}.headers"),
    ("Voila.tornado_settings.serve_traceback", f"{_TORNADO}.serve_traceback", None),
    ("ToolkitVoila.max_body_size", "ServerApp.max_body_size", None),
    ("Voila.logging_config.filters", "ServerApp.logging_config.filters", None),
    *(
        (f"MappingKernelManager.{key}", f"MappingKernelManager.{key}", None)
        for key in ("cull_idle_timeout", "cull_interval", "cull_connected", "cull_busy")
    ),
]
#: Settings only Jupyter Server needs, the same in the image and on Binder.
SERVER_ONLY = [
    f"{_TORNADO}.mathjax_url",
    f"{_TORNADO}.mathjax_config",
    f"{_TORNADO}.extra_log_scrub_param_keys",
]


def _load(name: str) -> dict[str, Any]:
    return json.loads(FILES[name].read_text(encoding="utf-8"))


def _get(config: dict[str, Any], dotted: str) -> Any:
    value: Any = config
    for key in dotted.split("."):
        assert isinstance(value, dict) and key in value, f"missing {dotted}"
        value = value[key]
    return value


@pytest.mark.parametrize("source, hub, binder", SHARED, ids=[row[0] for row in SHARED])
def test_shared_setting_matches_voila_json(source: str, hub: str | None, binder: str | None):
    expected = _get(_load("voila"), source)
    for name, where in (("hub", hub), ("binder", binder)):
        if where is not None:
            assert _get(_load(name), where) == expected, f"{FILES[name].name}: {where}"


@pytest.mark.parametrize("setting", SERVER_ONLY)
def test_server_only_setting_is_the_same_in_the_image_and_on_binder(setting: str):
    assert _get(_load("hub"), setting) == _get(_load("binder"), setting)
