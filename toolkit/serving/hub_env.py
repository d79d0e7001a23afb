"""Whether JupyterHub started this server as its service, and Voila's settings if so.

JupyterHub starts ``python -m toolkit.serving`` as a *managed service* and hands it its
settings in the environment (``JUPYTERHUB_API_TOKEN``, ``JUPYTERHUB_SERVICE_PREFIX``,
``JUPYTERHUB_SERVICE_URL``, the OAuth client id and callback). When they are there,
:func:`service_arguments` turns them into Voila's command-line settings: serve under the
service's prefix (``/services/toolkit/``), on the address the Hub's proxy sends to, with
:class:`toolkit.serving.hub.ServiceIdentityProvider` deciding who is signed in. Without
them (``make app``) nothing changes, and JupyterHub need not be installed (this module
does not import it).
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from urllib.parse import urlsplit

#: Environment variables JupyterHub sets for a managed service.
TOKEN_VAR = "JUPYTERHUB_API_TOKEN"
PREFIX_VAR = "JUPYTERHUB_SERVICE_PREFIX"
URL_VAR = "JUPYTERHUB_SERVICE_URL"

#: Kernels one signed-in user may hold on the shared service: every app open twice, and some.
KERNELS_PER_USER = 8

#: The service's API token once taken out of the environment (see :func:`take_token`).
_token: dict[str, str] = {}


def under_hub(environ: Mapping[str, str]) -> bool:
    """True when JupyterHub started this server as a service (its token and prefix are set)."""
    return bool(environ.get(TOKEN_VAR) or _token) and bool(environ.get(PREFIX_VAR))


def service_arguments(environ: Mapping[str, str]) -> list[str]:
    """Voila's settings for running as the Hub's service; none outside a Hub."""
    if not under_hub(environ):
        return []
    prefix = environ[PREFIX_VAR]
    if not prefix.endswith("/"):
        prefix += "/"
    arguments = [
        f"--Voila.base_url={prefix}",
        "--Voila.identity_provider_class=toolkit.serving.hub.ServiceIdentityProvider",
        # the proxy sends to the one address the Hub knows: never try another port
        "--Voila.port_retries=0",
        # one person's pages may not take the memory everyone shares (toolkit/serving/cap.py)
        f"--ToolkitVoila.kernels_per_user={KERNELS_PER_USER}",
    ]
    url = environ.get(URL_VAR)
    if url:
        parts = urlsplit(url)
        if parts.hostname:
            arguments.append(f"--Voila.ip={parts.hostname}")
        if parts.port:
            arguments.append(f"--Voila.port={parts.port}")
    return arguments


def service_access_scope(environ: Mapping[str, str]) -> str:
    """The scope a user needs to use this service (the Hub's role grants it)."""
    return f"access:services!service={environ.get('JUPYTERHUB_SERVICE_NAME') or 'toolkit'}"


def take_token(environ: MutableMapping[str, str]) -> None:
    """Keep the service's API token for the sign-in check and take it out of the environment.

    Kernels start with a copy of this process's environment and never need the token.
    """
    token = environ.pop(TOKEN_VAR, None)
    if token:
        _token["api_token"] = token


def taken_token() -> str | None:
    """The token :func:`take_token` kept, if any."""
    return _token.get("api_token")
