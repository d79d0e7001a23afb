"""Signing in to the apps through JupyterHub: the identity provider of the shared Voila service.

Used only when JupyterHub runs ``python -m toolkit.serving`` as its service
(:mod:`toolkit.serving.hub_env` decides, and names this class in Voila's settings).

Every page, kernel websocket and API request of Voila goes through Jupyter Server's
identity provider, which here asks the Hub who the browser's OAuth cookie belongs to and
whether that user holds the service's access scope (``access:services!service=toolkit``).
A browser without the cookie is sent to the Hub's sign-in and comes back to the page it
asked for. No sign-in form, user list or spawner of our own.
"""

from __future__ import annotations

import os
from typing import Any

from jupyterhub.services.auth import HubOAuth
from jupyterhub.singleuser.extension import JupyterHubIdentityProvider
from jupyterhub.utils import url_path_join
from traitlets import default

from toolkit.serving.hub_env import service_access_scope, taken_token


class ServiceIdentityProvider(JupyterHubIdentityProvider):
    """JupyterHub's own identity provider for single-user servers, fitted to a Voila service.

    Differences: the OAuth callback and logout are registered under the service's prefix
    (Voila, unlike Jupyter Server, does not prefix an identity provider's handlers), and
    the API token is never offered as a login token (Voila prints that in its log).
    """

    @default("hub_auth")
    def _default_hub_auth(self) -> HubOAuth:
        token = taken_token()
        auth = HubOAuth(parent=self, api_token=token) if token else HubOAuth(parent=self)
        if not auth.access_scopes:
            # Never "anyone the Hub knows": without a scope from the Hub, ask for this service's.
            auth.access_scopes = {service_access_scope(os.environ)}
        return auth

    def __init__(self, token: Any = None, **kwargs: Any) -> None:
        # Voila passes a login token when it builds the provider: the Hub's sign-in replaces it.
        super().__init__(**kwargs)

    @property
    def token(self) -> str:
        return ""

    @property
    def auth_enabled(self) -> bool:
        return True

    @property
    def login_available(self) -> bool:
        return True

    def get_handlers(self) -> list:
        prefix = self.hub_auth.base_url
        return [(url_path_join(prefix, path), *rest) for path, *rest in super().get_handlers()]
