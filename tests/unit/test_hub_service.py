"""The apps as a JupyterHub service: settings from the Hub's environment, sign-in by the Hub."""

from __future__ import annotations

import pytest

from toolkit.serving import hub_env

HUB_ENV = {
    "JUPYTERHUB_API_TOKEN": "secret-token",
    "JUPYTERHUB_SERVICE_PREFIX": "/services/toolkit/",
    "JUPYTERHUB_SERVICE_URL": "http://127.0.0.1:10101",
    "JUPYTERHUB_SERVICE_NAME": "toolkit",
    "JUPYTERHUB_API_URL": "http://127.0.0.1:8081/hub/api",
    "JUPYTERHUB_CLIENT_ID": "service-toolkit",
    "JUPYTERHUB_OAUTH_CALLBACK_URL": "/services/toolkit/oauth_callback",
}


@pytest.fixture(autouse=True)
def no_kept_token(monkeypatch):
    monkeypatch.setattr(hub_env, "_token", {})


def test_make_app_is_unchanged_outside_a_hub():
    assert hub_env.service_arguments({}) == []
    assert hub_env.service_arguments({"JUPYTERHUB_SERVICE_PREFIX": "/services/x/"}) == []


def test_under_the_hub_voila_serves_at_the_service_prefix_with_hub_sign_in():
    arguments = hub_env.service_arguments(HUB_ENV)
    assert "--Voila.base_url=/services/toolkit/" in arguments
    assert "--Voila.identity_provider_class=toolkit.serving.hub.ServiceIdentityProvider" in arguments
    assert "--Voila.ip=127.0.0.1" in arguments and "--Voila.port=10101" in arguments
    assert "--Voila.port_retries=0" in arguments


def test_the_token_leaves_the_environment_kernels_inherit():
    environ = dict(HUB_ENV)
    hub_env.take_token(environ)
    assert "JUPYTERHUB_API_TOKEN" not in environ
    assert hub_env.taken_token() == "secret-token"
    assert hub_env.under_hub(environ)  # still the Hub's service after the token is taken


def test_access_needs_the_service_scope():
    assert hub_env.service_access_scope(HUB_ENV) == "access:services!service=toolkit"
    assert hub_env.service_access_scope({}) == "access:services!service=toolkit"


def test_identity_provider_registers_the_callback_under_the_prefix(monkeypatch):
    pytest.importorskip("jupyterhub", reason="the hub extra: pip install -e '.[hub]'")
    for name, value in HUB_ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("JUPYTERHUB_OAUTH_ACCESS_SCOPES", raising=False)
    hub_env.take_token(dict(HUB_ENV))
    from toolkit.serving.hub import ServiceIdentityProvider

    provider = ServiceIdentityProvider(token="ignored")
    paths = [handler[0] for handler in provider.get_handlers()]
    assert "/services/toolkit/oauth_callback" in paths
    assert provider.token == ""  # Voila prints a login token in its log: never the Hub's
    assert provider.auth_enabled
    assert provider.hub_auth.api_token == "secret-token"
    assert provider.hub_auth.access_scopes == {"access:services!service=toolkit"}
