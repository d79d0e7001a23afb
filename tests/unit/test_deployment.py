"""The deployment files parse, say what matters, and refer only to files that exist.

Nothing here builds an image or talks to Binder or Kubernetes (neither is available
where the tests run); tests/e2e/test_deployment_server.py runs the image's Jupyter
Server settings for real under a /user/NAME/ base URL.
"""

from __future__ import annotations

import json
import logging.config
import os
import re
import shlex
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
HUB = ROOT / "deploy" / "jupyterhub"
APP_URL = "/voila/render/notebooks/self_benchmark.ipynb"


@pytest.fixture(scope="module")
def values() -> dict:
    return yaml.safe_load((HUB / "config.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def server_config() -> dict:
    return json.loads((HUB / "jupyter_server_config.json").read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- Zero to JupyterHub


def test_helm_values_run_the_image_at_the_self_benchmark_app(values):
    user = values["singleuser"]
    assert user["image"]["name"] and str(user["image"]["tag"])
    assert user["cmd"] == "jupyterhub-singleuser"
    assert user["defaultUrl"] == APP_URL
    assert (ROOT / APP_URL.removeprefix("/voila/render/")).is_file()


def test_database_url_comes_from_a_kubernetes_secret(values):
    env = values["singleuser"]["extraEnv"]["TOOLKIT_DATABASE_URL"]
    assert set(env) == {"valueFrom"}  # never a literal URL (with its password) in this file
    ref = env["valueFrom"]["secretKeyRef"]
    assert ref["name"] and ref["key"]
    assert "postgresql://" not in yaml.safe_dump(values)  # comments aside


def test_resources_culling_storage_and_network(values):
    user = values["singleuser"]
    for resource in ("cpu", "memory"):
        assert user[resource]["limit"] and user[resource]["guarantee"]
    assert user["storage"]["type"] == "none"
    assert values["cull"]["enabled"] is True
    assert 0 < values["cull"]["every"] <= values["cull"]["timeout"]
    rules = user["networkPolicy"]["egressAllowRules"]
    assert rules["nonPrivateIPs"] is False  # the apps ask nothing of the internet
    ports = [p["port"] for rule in user["networkPolicy"]["egress"] for p in rule["ports"]]
    assert 5432 in ports  # but may reach PostgreSQL
    assert user["allowPrivilegeEscalation"] is False


def _dockerfile() -> list[tuple[str, str]]:
    text = (HUB / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines()]
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line else "")
        for line in lines
        if line and not line.startswith("#")
    ]


def test_dockerfile_copies_only_files_that_exist():
    copies = [args for instruction, args in _dockerfile() if instruction == "COPY"]
    assert copies
    for args in copies:
        *sources, _destination = shlex.split(args)
        for source in sources:
            assert (ROOT / source).exists(), source


def test_dockerfile_installs_the_toolkit_and_runs_as_a_user_with_the_template():
    steps = _dockerfile()
    run = " ".join(args for instruction, args in steps if instruction == "RUN")
    assert "pip install -e ." in run and "jupyterhub==" in run
    env = " ".join(args for instruction, args in steps if instruction == "ENV")
    assert "JUPYTER_PATH=/srv/toolkit/share/jupyter" in env
    assert ("USER", "1000") in steps
    assert steps[-1] == ("CMD", '["jupyterhub-singleuser"]')
    copied = " ".join(args for instruction, args in steps if instruction == "COPY")
    assert "deploy/jupyterhub/jupyter_server_config.json" in copied
    # the main config file: Jupyter Server reads only extension lists from config.d
    assert "/etc/jupyter/jupyter_server_config.json" in copied
    assert "voila.json /etc/jupyter/voila.json" in copied


def test_image_server_settings_match_the_standalone_server(server_config):
    voila = json.loads((ROOT / "voila.json").read_text(encoding="utf-8"))
    app = server_config["ServerApp"]
    assert app["root_dir"] == "/srv/toolkit"
    assert app["terminals_enabled"] is False
    extensions = app["jpserver_extensions"]
    assert extensions["voila.server_extension"] is True
    assert not any(extensions[name] for name in ("jupyterlab", "notebook", "jupyter_lsp"))
    tornado = app["tornado_settings"]
    same = voila["Voila"]["tornado_settings"]
    assert tornado["websocket_max_message_size"] == same["websocket_max_message_size"]
    assert tornado["headers"] == same["headers"]
    assert "id" in tornado["extra_log_scrub_param_keys"]  # the resume link's parameter
    assert app["max_body_size"] == voila["ToolkitVoila"]["max_body_size"]
    kernels = server_config["MappingKernelManager"]
    assert "execute_request" not in kernels["allowed_message_types"]
    assert {"comm_open", "comm_msg", "kernel_info_request"} <= set(kernels["allowed_message_types"])
    for key, value in voila["MappingKernelManager"].items():
        assert kernels[key] == value, key
    assert server_config["VoilaExecutor"] == voila["VoilaExecutor"]
    # under Jupyter Server, Voila's page fetches MathJax from cdnjs unless both are null
    assert tornado["mathjax_url"] is None and tornado["mathjax_config"] is None
    factory = app["logging_config"]["filters"]["redact"]["()"]
    assert logging.config.BaseConfigurator({}).resolve(factory).__name__ == "RedactQueryValues"


def test_voilas_own_message_list_is_the_one_the_image_allows(server_config):
    import voila.app

    source = Path(voila.app.__file__).read_text(encoding="utf-8")
    listed = re.search(r"allowed_message_types=\[(.*?)\]", source, re.DOTALL).group(1)
    assert sorted(re.findall(r'"(\w+)"', listed)) == sorted(
        server_config["MappingKernelManager"]["allowed_message_types"]
    )


# --------------------------------------------------------------------------- Binder


def test_binder_environment_matches_the_repositorys():
    # Both are generated from pyproject.toml (tests/unit/test_environment.py); Binder's has the
    # apps' packages without the test tools.
    root = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    binder = yaml.safe_load((ROOT / "binder" / "environment.yml").read_text(encoding="utf-8"))
    assert binder["channels"] == root["channels"]
    without_pip = [item for item in root["dependencies"] if isinstance(item, str)]
    assert without_pip[: len(binder["dependencies"])] == binder["dependencies"]
    assert "voila>=0.5.8" in binder["dependencies"]
    assert "pytest>=8.0" not in binder["dependencies"]


@pytest.mark.parametrize("name", ["postBuild", "start"])
def test_binder_scripts_are_executable_bash_and_name_real_files(name):
    path = ROOT / "binder" / name
    text = path.read_text(encoding="utf-8")
    assert text.startswith("#!/bin/bash\n")
    assert os.access(path, os.X_OK)
    for mentioned in re.findall(r"(?:share|notebooks|voila)[\w./-]*\.(?:j2|ipynb|json)", text):
        assert (ROOT / mentioned).is_file(), mentioned
    if name == "start":
        assert 'exec "$@"' in text and "share/jupyter" in text and "binder/jupyter" in text
        assert (ROOT / "share" / "jupyter" / "voila" / "templates" / "toolkit").is_dir()
        config = json.loads(
            (ROOT / "binder" / "jupyter" / "jupyter_server_config.json").read_text("utf-8")
        )
        tornado = config["ServerApp"]["tornado_settings"]
        assert tornado["mathjax_url"] is None and tornado["mathjax_config"] is None
    else:
        assert "set -euo pipefail" in text and "pip install" in text and "-e ." in text


def test_readme_badge_opens_the_app_on_binder_through_voila():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    badge = re.search(
        r"\[!\[Binder\]\(https://mybinder\.org/badge_logo\.svg\)\]"
        r"\((https://mybinder\.org/v2/gh/([^/]+)/([^/]+)/([^?)]+)\?urlpath=([^)]+))\)",
        readme,
    )
    assert badge, "no mybinder badge in README.md"
    _, owner, repo, _ref, urlpath = badge.groups()
    assert urlpath == "voila/render/notebooks/self_benchmark.ipynb"
    assert (owner, repo) == ("OWNER", "REPO")  # the placeholder, explained beside it
    assert "OWNER/REPO" in readme.split(badge.group(0), 1)[1][:600]


def test_deployment_guide_says_what_was_not_run():
    guide = (ROOT / "docs" / "deployment.md").read_text(encoding="utf-8")
    for must in ("Binder", "Kubernetes", "not run", "SESSION_POOL", "TOOLKIT_DATABASE_URL"):
        assert must in guide, must
