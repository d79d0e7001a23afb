"""The deployment files parse, say what matters, and refer only to files that exist.

Nothing here builds an image or talks to Binder or Kubernetes (neither is available
where the tests run); benchmarks/hub_users.py runs the JupyterHub route with a local Hub,
and tests/e2e/test_deployment_server.py runs the Jupyter Server settings
(deploy/jupyterhub/jupyter_server_config.json, for a server per user) under /user/NAME/.
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


@pytest.fixture(scope="module")
def values() -> dict:
    return yaml.safe_load((HUB / "config.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def server_config() -> dict:
    return json.loads((HUB / "jupyter_server_config.json").read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- Zero to JupyterHub


def test_helm_values_land_signed_in_users_on_the_shared_service(values):
    hub = values["hub"]
    landing = hub["config"]["JupyterHub"]["default_url"]
    # the service serves notebooks/ (as make app does), so the app's path has no folder
    assert landing == "/services/toolkit/voila/render/self_benchmark.ipynb"
    assert (ROOT / "notebooks" / "self_benchmark.ipynb").is_file()
    service = hub["services"]["toolkit"]
    assert service["url"] == "http://toolkit-apps:8866"
    assert service["oauth_no_confirm"] is True
    assert "apiToken" not in service  # the chart generates it into its secret


def test_users_may_open_the_apps_and_start_nothing(values):
    scopes = values["hub"]["loadRoles"]["user"]["scopes"]
    assert "access:services!service=toolkit" in scopes
    # no server of their own, no tokens: "self" would grant both
    assert "self" not in scopes and not any(scope.startswith("servers") for scope in scopes)
    assert not any(scope.startswith("tokens") for scope in scopes)
    assert values["singleuser"]["storage"]["type"] == "none"


def _manifests() -> list[dict]:
    text = (HUB / "toolkit-apps.yaml").read_text(encoding="utf-8")
    return [doc for doc in yaml.safe_load_all(text) if doc]


def test_service_deployment_matches_the_helm_values(values):
    deployment, service = _manifests()
    assert deployment["kind"] == "Deployment" and service["kind"] == "Service"
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    env = {item["name"]: item for item in container["env"]}
    assert env["JUPYTERHUB_SERVICE_NAME"]["value"] == "toolkit"
    assert env["JUPYTERHUB_SERVICE_PREFIX"]["value"] == "/services/toolkit/"
    assert env["JUPYTERHUB_CLIENT_ID"]["value"] == "service-toolkit"
    token = env["JUPYTERHUB_API_TOKEN"]["valueFrom"]["secretKeyRef"]
    assert token == {"name": "hub", "key": "hub.services.toolkit.apiToken"}
    database = env["TOOLKIT_DATABASE_URL"]
    assert set(database) == {"name", "valueFrom"}  # never a literal URL with its password
    port = container["ports"][0]["containerPort"]
    assert service["spec"]["ports"][0]["targetPort"] == port
    assert values["hub"]["services"]["toolkit"]["url"].endswith(f":{port}")
    assert deployment["spec"]["template"]["spec"]["securityContext"]["runAsNonRoot"] is True
    assert container["securityContext"]["allowPrivilegeEscalation"] is False
    assert "postgresql://" not in yaml.safe_dump(deployment)


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


def test_dockerfile_runs_the_shared_service_as_a_user_with_the_template():
    steps = _dockerfile()
    run = " ".join(args for instruction, args in steps if instruction == "RUN")
    assert "pip install -e ." in run and "jupyterhub==" in run
    env = " ".join(args for instruction, args in steps if instruction == "ENV")
    assert "JUPYTER_PATH=/srv/toolkit/share/jupyter" in env
    assert "JUPYTER_CONFIG_PATH=/srv/toolkit/deploy/jupyterhub/service" in env
    assert ("USER", "1000") in steps
    instruction, command = steps[-1]
    assert instruction == "CMD"
    assert json.loads(command)[:4] == ["python", "-m", "toolkit.serving", "notebooks/"]
    assert (ROOT / "voila.json").is_file()
    pools = json.loads((HUB / "service" / "voila.json").read_text(encoding="utf-8"))
    sizes = pools["VoilaKernelManager"]["kernel_pools_config"]
    assert sizes["self_benchmark.ipynb"]["pool_size"] >= 1


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
