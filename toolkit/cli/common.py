"""What every ``python -m toolkit`` command shares: flags, the usage error and JSON output.

Kept apart from :mod:`toolkit.cli.main` so that the session commands
(:mod:`toolkit.cli.session`) can use it without importing the main module,
which imports them.
"""

from __future__ import annotations

import argparse
import json
import os
from typing import Any, NoReturn

from toolkit.domain.record import ServiceRecordError
from toolkit.network.store import Store, StoreError, default_store

EXIT_BAD_INPUT = 2

#: Command-line flag for each record field.
FIELD_FLAGS = {
    "name": "--name",
    "total_cost": "--cost",
    "people_supported": "--supported",
    "new_jobs": "--new-jobs",
    "jobs_retained": "--retained",
    "self_employed": "--self-employed",
    "client_group": "--client-group",
    "support_model": "--support-model",
    "year": "--year",
    "uprating_factor": "--uprating-factor",
    "support_under_7_hours": "--support-low",
    "support_7_to_40_hours": "--support-medium",
    "support_over_40_hours": "--support-high",
}


class UsageError(Exception):
    """Bad input: reported as one line, exit status 2."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def flag_problem(exc: ServiceRecordError) -> str:
    problem = exc.problems[0]
    flag = FIELD_FLAGS.get(problem.field)
    where = f"{flag} ({problem.label})" if flag else problem.label
    more = f" (and {len(exc.problems) - 1} more problem(s))" if len(exc.problems) > 1 else ""
    return f"{where}: {problem.message}{more}"


def print_json(data: Any) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False))


def record_values(args: argparse.Namespace) -> dict[str, Any]:
    values = {field: getattr(args, field) for field in FIELD_FLAGS}
    return {key: value for key, value in values.items() if value is not None}


def add_format(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("text", "json"), default="text")


#: Read when --facilitator-key is not given (keeps the key out of shell history).
FACILITATOR_KEY_ENV = "TOOLKIT_FACILITATOR_KEY"


def add_facilitator_key(parser: argparse.ArgumentParser, created: str) -> None:
    """The --facilitator-key option (``created``: what the key opens, as in :func:`facilitator_key`)."""
    parser.add_argument(
        "--facilitator-key",
        metavar="KEY",
        help=f"the private key shown when the {created} was created (or set {FACILITATOR_KEY_ENV})",
    )


def facilitator_key(args: argparse.Namespace, created: str) -> str:
    """The facilitator key from --facilitator-key or the environment (``created``: what it opens)."""
    key = args.facilitator_key or os.environ.get(FACILITATOR_KEY_ENV, "")
    if not key.strip():
        raise UsageError(
            f"--facilitator-key: give the key you were shown when the {created} was created "
            f"(or set {FACILITATOR_KEY_ENV})"
        )
    return key.strip()


def open_store() -> Store:
    """The toolkit's store; a store that cannot be opened is a one-line usage error."""
    try:
        return default_store()
    except StoreError as exc:
        raise UsageError(str(exc)) from None
