"""``python -m toolkit session ...``: learning-network sessions from the command line.

A facilitator creates a session and shares its code; commissioners submit
their figures to it (with consent); the facilitator reads the summary and
exports the session pack with their private facilitator key. Disclosure control
(``data/rules.yaml``, key ``disclosure``) applies to everything shown.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from toolkit.cli.common import (
    FIELD_FLAGS,
    UsageError,
    add_facilitator_key,
    add_format,
    facilitator_key,
    flag_problem,
    open_store,
    print_json,
    record_values,
)
from toolkit.domain.parsing import parse_date
from toolkit.domain.record import FIELD_LABELS, ServiceRecordError, parse_service
from toolkit.network import facilitator
from toolkit.network.pack import NOT_DEFINED, NOT_SHOWN, session_pack_bytes
from toolkit.network.store import (
    ConsentRequired,
    InvalidInput,
    SessionClosed,
    Store,
    UnknownSession,
    WrongKey,
)
from toolkit.network.summary import SessionSummary
from toolkit.present import formatting as fmt

CONSENT_NEEDED = (
    "--consent is needed: submitting shares this service's cost, people supported and job "
    "outcomes (and its name, unless you add --anonymous) with the session's facilitator, and "
    "counts them in the pooled figures; add --consent if you agree"
)


def _store() -> Store:
    return open_store()


def _facilitator_key(args: argparse.Namespace) -> str:
    return facilitator_key(args, "session")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of 1 or more")
    return value


def _date(text: str | None) -> dt.date | None:
    if text is None or not text.strip():
        return None
    try:
        return parse_date(text)
    except ValueError as exc:
        raise UsageError(f"--date: {exc}") from None


def cmd_create(args: argparse.Namespace) -> int:
    date = _date(args.date)
    try:
        created = _store().create_session(args.title, date, args.max_services)
    except InvalidInput as exc:
        raise UsageError(f"--{exc}") from None
    if args.format == "json":
        print_json(
            {
                "code": created.code,
                "facilitator_key": created.facilitator_key,
                "title": created.title,
                "date": date.isoformat() if date else None,
            }
        )
        return 0
    print(f"Session created: {created.title}" + (f" ({date.isoformat()})" if date else ""))
    print(f"Code to give to commissioners: {created.code}")
    print(f"Facilitator key: {created.facilitator_key}")
    print(
        "Keep the facilitator key private: anyone with it and the code can see every "
        "submission. It is not stored and cannot be shown again."
    )
    return 0


def cmd_submit(args: argparse.Namespace) -> int:
    if not args.consent:
        raise UsageError(CONSENT_NEEDED)
    try:
        record = parse_service(record_values(args))
    except ServiceRecordError as exc:
        raise UsageError(flag_problem(exc)) from None
    store = _store()
    resume_token = args.resume_token or store.new_token()
    try:
        submission_id = store.submit(
            args.code,
            record,
            display_name=None,
            anonymous=args.anonymous,
            consent=True,
            resume_token=resume_token,
            idempotency_key=args.idempotency_key,
        )
    except (UnknownSession, ConsentRequired, SessionClosed) as exc:
        raise UsageError(str(exc)) from None
    except InvalidInput as exc:
        raise UsageError(f"--{str(exc).replace('_', '-')}") from None
    if args.format == "json":
        print_json(
            {
                "submission_id": submission_id,
                "resume_token": resume_token,
                "anonymous": args.anonymous,
            }
        )
        return 0
    shown = "anonymously" if args.anonymous else f"as {record.name}"
    print(f"Figures shared {shown}. Submission id: {submission_id}")
    print(f"Resume token: {resume_token}")
    print(
        "Keep the resume token private: with it you can send corrected figures "
        "(--resume-token) or withdraw them (session withdraw)."
    )
    return 0


def cmd_withdraw(args: argparse.Namespace) -> int:
    withdrawn = _store().withdraw(args.code, args.submission_id, args.resume_token)
    if not withdrawn:
        raise UsageError(
            "No submission matches that session code, submission id and resume token: "
            "check all three (it may already have been withdrawn)"
        )
    if args.format == "json":
        print_json({"withdrawn": True, "submission_id": args.submission_id})
    else:
        print("Withdrawn: the figures no longer appear in the session or its pack.")
    return 0


def _summary(args: argparse.Namespace) -> SessionSummary:
    key = _facilitator_key(args)
    try:
        return _store().session_summary(args.code, key)
    except WrongKey as exc:
        raise UsageError(str(exc)) from None


def _shown(measures: dict[str, Any], reasons: dict[str, str], path: str, formatter: Any) -> str:
    value = measures.get(path)
    if value is None:
        return NOT_SHOWN if path in reasons else NOT_DEFINED
    return formatter(value)


def _figures_text(measures: dict[str, Any], reasons: dict[str, str]) -> list[str]:
    def shown(path: str, formatter: Any) -> str:
        return _shown(measures, reasons, path, formatter)

    return [
        f"cost {shown('total_cost', fmt.money)}; people supported "
        f"{shown('people_supported', fmt.count)}; job outcomes {shown('job_outcomes', fmt.count)} "
        f"(new jobs {shown('new_jobs', fmt.count)}, retained {shown('jobs_retained', fmt.count)}, "
        f"self-employed {shown('self_employed', fmt.count)})",
        f"cost per person supported {shown('cost_per_person', fmt.money)}; "
        f"cost per job outcome {shown('cost_per_job_outcome', fmt.money)}; "
        f"job outcome rate {shown('job_outcome_rate', fmt.percent)}",
    ]


def summary_text(summary: SessionSummary) -> str:
    """The summary as plain text for a terminal."""
    session = summary.session
    when = f", {session.date}" if session.date else ""
    closed = ", closed to new figures" if session.closed else ""
    count = summary.services
    lines = [
        f"Session: {session.title} (code {session.code}{when}{closed})",
        f"{count} service{'' if count == 1 else 's'} shared figures.",
    ]
    if summary.pooled is not None:
        lines.append("Pooled figures (from the services' rounded totals):")
        lines.extend(
            f"  {line}" for line in _figures_text(summary.pooled, summary.pooled_suppressed)
        )
        lines.append(f"  {summary.pooled_note}")
    if summary.submissions:
        lines.append("Services (named ones are as the submitter typed them, not checked):")
        for entry in summary.submissions:
            lines.append(f"  {entry.shown_as} (submission {entry.submission_id})")
            lines.extend(f"    {line}" for line in _figures_text(entry.measures, entry.suppressed))
    if summary.prices_note:
        lines.append(summary.prices_note)
    if summary.suppressed:
        lines.append("Not shown:")
        lines.extend(f"  - {reason}" for reason in summary.suppressed)
    return "\n".join(lines)


def cmd_summary(args: argparse.Namespace) -> int:
    summary = _summary(args)
    if args.format == "json":
        print_json(summary.model_dump(mode="json"))
    else:
        print(summary_text(summary))
    return 0


def cmd_close(args: argparse.Namespace) -> int:
    try:
        print(facilitator.close_session(_store(), args.code, _facilitator_key(args)))
    except WrongKey as exc:
        raise UsageError(str(exc)) from None
    return 0


def cmd_reopen(args: argparse.Namespace) -> int:
    try:
        print(facilitator.reopen_session(_store(), args.code, _facilitator_key(args)))
    except WrongKey as exc:
        raise UsageError(str(exc)) from None
    return 0


def cmd_cap(args: argparse.Namespace) -> int:
    try:
        most = facilitator.parse_cap(args.most, no_cap="give none")
    except ValueError as exc:
        raise UsageError(f"MOST: {str(exc).split(': ', 1)[1]}") from None
    try:
        print(facilitator.set_size_cap(_store(), args.code, _facilitator_key(args), most))
    except WrongKey as exc:
        raise UsageError(str(exc)) from None
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    if not args.yes:
        raise UsageError(facilitator.DELETE_NEEDS_YES)
    try:
        print(facilitator.delete_session(_store(), args.code, _facilitator_key(args)))
    except WrongKey as exc:
        raise UsageError(str(exc)) from None
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    out = Path(args.out)
    kind = out.suffix.lower().lstrip(".")
    if kind not in ("xlsx", "csv"):
        raise UsageError(f"--out: the file name must end .xlsx or .csv (got '{out.name}')")
    summary = _summary(args)
    data = session_pack_bytes(summary, kind)
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise UsageError(f"--out: could not write {out} ({exc.strerror})") from None
    print(
        f"Wrote the session pack for {summary.services} service(s) to {out} "
        "(small numbers are shown as 'not shown')."
    )
    return 0


def _add_code(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("code", metavar="CODE", help="the session code, e.g. K7QF-M2XD-9PRT")


def _add_key(parser: argparse.ArgumentParser) -> None:
    add_facilitator_key(parser, "session")


def add_session_commands(commands: Any) -> None:
    """Add ``session create|submit|withdraw|summary|export|close|reopen|cap|delete``."""
    session = commands.add_parser(
        "session", help="learning-network sessions: pool figures with other commissioners"
    )
    actions = session.add_subparsers(
        dest="session_command",
        required=True,
        metavar="{create,submit,withdraw,summary,export,close,reopen,cap,delete}",
    )

    create = actions.add_parser("create", help="open a session and get its code and key")
    create.add_argument("--title", required=True, help="the session's title")
    create.add_argument("--date", metavar="YYYY-MM-DD", help="the day of the session")
    create.add_argument(
        "--max-services",
        type=_positive,
        metavar="N",
        help="take figures from at most N services (refuse any more)",
    )
    add_format(create)
    create.set_defaults(handler=cmd_create)

    submit = actions.add_parser("submit", help="share a service's figures with a session")
    _add_code(submit)
    for field, flag in FIELD_FLAGS.items():
        submit.add_argument(flag, dest=field, metavar="VALUE", help=FIELD_LABELS[field])
    submit.add_argument(
        "--consent",
        action="store_true",
        help="agree to share these figures with the session's facilitator and pool",
    )
    submit.add_argument(
        "--anonymous", action="store_true", help="show the service as 'Service A', with no name"
    )
    submit.add_argument(
        "--resume-token",
        metavar="TOKEN",
        help="the token from an earlier submission, to replace its figures",
    )
    submit.add_argument(
        "--idempotency-key",
        metavar="KEY",
        help="a key unique to this attempt: sending it again will not submit twice",
    )
    add_format(submit)
    submit.set_defaults(handler=cmd_submit)

    withdraw = actions.add_parser("withdraw", help="take your figures out of a session")
    _add_code(withdraw)
    withdraw.add_argument("submission_id", metavar="SUBMISSION_ID")
    withdraw.add_argument("--resume-token", required=True, metavar="TOKEN")
    add_format(withdraw)
    withdraw.set_defaults(handler=cmd_withdraw)

    summary = actions.add_parser("summary", help="the session's pooled figures and services")
    _add_code(summary)
    _add_key(summary)
    add_format(summary)
    summary.set_defaults(handler=cmd_summary)

    export = actions.add_parser("export", help="the session pack as .xlsx or .csv")
    _add_code(export)
    _add_key(export)
    export.add_argument("--out", required=True, metavar="FILE", help="FILE.xlsx or FILE.csv")
    export.set_defaults(handler=cmd_export)

    close = actions.add_parser("close", help="take no new figures from now on")
    _add_code(close)
    _add_key(close)
    close.set_defaults(handler=cmd_close)

    reopen = actions.add_parser("reopen", help="take figures again after closing")
    _add_code(reopen)
    _add_key(reopen)
    reopen.set_defaults(handler=cmd_reopen)

    cap = actions.add_parser("cap", help="take figures from at most MOST services")
    _add_code(cap)
    cap.add_argument("most", metavar="MOST", help="a whole number of 1 or more, or 'none'")
    _add_key(cap)
    cap.set_defaults(handler=cmd_cap)

    delete = actions.add_parser("delete", help="delete the session and all its figures")
    _add_code(delete)
    _add_key(delete)
    delete.add_argument("--yes", action="store_true", help="confirm the deletion")
    delete.set_defaults(handler=cmd_delete)
