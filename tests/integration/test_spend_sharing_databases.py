"""Spend maps shared into a session on both databases (SQLite and PostgreSQL): migration 0004
applies, the schema matches the models, and share, close, withdraw and the pooled mix work."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from tests.integration.test_store_concurrency import database_url, postgres_server  # noqa: F401
from toolkit.network.spend_sharing import share_spend, spend_mix, withdraw_spend
from toolkit.network.store import Base, SessionClosed, Store
from toolkit.worksheets.spend_map.model import ProvisionLine, SpendMap
from toolkit.worksheets.spend_map.network import shared_payload


def _payload(paid: float) -> dict:
    line = ProvisionLine(provider="P", funding_stream="s", support_type="support into paid work",
                         client_group="combined", annual_spend=paid)
    other = ProvisionLine(provider="Q", funding_stream="s", support_type="other",
                          client_group="combined", annual_spend=100_000)
    return shared_payload(SpendMap(year="2024-25", lines=[line, other]))


def test_spend_sharing_on_each_database(database_url):  # noqa: F811
    store = Store(database_url)
    try:
        with store.engine.connect() as connection:
            assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
        made = store.create_session("Spend on each database")
        tokens = [store.new_token() for _ in range(4)]
        for token, paid in zip(tokens, (100_000, 200_000, 300_000, 400_000), strict=True):
            share_spend(store, made.code, _payload(paid), True, token)
        assert withdraw_spend(store, made.code, tokens[3]) is True
        store.close_session(made.code, made.facilitator_key)
        try:
            share_spend(store, made.code, _payload(1_000), True, store.new_token())
            raise AssertionError("a closed session took a map")
        except SessionClosed:
            pass
        mix = spend_mix(store, made.code, made.facilitator_key)
        assert mix["shown"] and mix["pooled"]["total"] == 900_000
        store.delete_session(made.code, made.facilitator_key)
    finally:
        store.close()
