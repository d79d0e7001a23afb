"""``python -m toolkit network ...``: run a learning-network programme from the command line.

A facilitator creates a network, adds member organisations (each gets a private link
token), records priority ratings, schedules meetings of the action learning sets, notes
each meeting, agrees and tracks actions, and writes the summary and action paper.
A wrong code or key exits with status 2 and says nothing more; bad input exits with
status 2 and one line naming the flag.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from toolkit.cli.common import (
    UsageError,
    add_facilitator_key,
    add_format,
    facilitator_key,
    open_store,
    print_json,
)
from toolkit.domain.parsing import parse_date
from toolkit.network.programme.models import Audience, NoteKind, Role, Status
from toolkit.network.programme.paper import build_paper
from toolkit.network.programme.service import ProgrammeService, WrongNetworkKey
from toolkit.network.store import InvalidInput, StoreError
from toolkit.present.programme_paper import briefing_html, paper_html


def _service() -> ProgrammeService:
    return ProgrammeService(open_store())


def _key(args: argparse.Namespace) -> str:
    return facilitator_key(args, "network")


def _run(work: Any) -> Any:
    """Run ``work()``, turning the store's errors into one-line usage errors naming the flag."""
    try:
        return work()
    except WrongNetworkKey as exc:
        raise UsageError(str(exc)) from None
    except InvalidInput as exc:
        raise UsageError(f"--{exc}") from None
    except StoreError as exc:
        raise UsageError(str(exc)) from None


def _done(args: argparse.Namespace, data: dict[str, Any], text: str) -> int:
    if getattr(args, "format", "text") == "json":
        print_json(data)
    else:
        print(text)
    return 0


def cmd_create(args: argparse.Namespace) -> int:
    created = _run(lambda: _service().create_network(args.title))
    return _done(
        args,
        {"code": created.code, "facilitator_key": created.facilitator_key, "title": created.title},
        f"Network created: {created.title}\nCode: {created.code}\n"
        f"Facilitator key: {created.facilitator_key}\n"
        "Keep the key private: it opens every note, rating and action. It cannot be shown again.\n"
        "Members share their figures with the same code in the self-benchmark app.",
    )


def cmd_add_member(args: argparse.Namespace) -> int:
    key = _key(args)
    member = _run(lambda: _service().add_member(args.code, key, args.name, args.role, args.set))
    return _done(
        args,
        {"member_id": member.member_id, "link_token": member.link_token, "name": member.name},
        f"Member added: {member.name} (id {member.member_id})\n"
        f"Private link token: {member.link_token}\n"
        "Send it only to this member: their link is the programme app with ?member=<token>.",
    )


def cmd_rate(args: argparse.Namespace) -> int:
    key = _key(args)
    _run(lambda: _service().rate(args.code, key, args.member_id, args.issue, args.score))
    return _done(args, {"rated": True}, "Rating saved.")


def cmd_meeting(args: argparse.Namespace) -> int:
    key = _key(args)
    meeting_id = _run(
        lambda: _service().schedule_meeting(args.code, key, args.theme, args.date, args.set)
    )
    return _done(args, {"meeting_id": meeting_id}, f"Meeting scheduled: id {meeting_id}")


def cmd_note(args: argparse.Namespace) -> int:
    key = _key(args)
    _run(lambda: _service().add_note(args.code, key, args.meeting_id, args.kind, args.text))
    return _done(args, {"noted": True}, "Noted.")


def cmd_action(args: argparse.Namespace) -> int:
    key = _key(args)
    action_id = _run(
        lambda: _service().add_action(
            args.code, key, args.meeting_id, args.what, args.who, args.due, args.audience
        )
    )
    return _done(args, {"action_id": action_id}, f"Action agreed: id {action_id}")


def cmd_action_status(args: argparse.Namespace) -> int:
    key = _key(args)
    service = _service()
    on = _day(args.on, "--on") if args.on else None
    _run(lambda: service.set_action_status(args.code, key, args.action_id, args.status, on))
    if args.due:
        _run(lambda: service.change_due(args.code, key, args.action_id, args.due, on))
    return _done(args, {"action_id": args.action_id, "status": args.status}, "Action updated.")


def _day(text: str, flag: str) -> dt.date:
    try:
        return parse_date(text)
    except ValueError as exc:
        raise UsageError(f"{flag}: {exc}") from None


def cmd_themes(args: argparse.Namespace) -> int:
    key = _key(args)
    _run(lambda: _service().choose_themes(args.code, key, args.issue))
    return _done(args, {"themes": args.issue}, f"Themes for the sets: {'; '.join(args.issue)}")


def cmd_merge(args: argparse.Namespace) -> int:
    key = _key(args)
    _run(lambda: _service().merge_sets(args.code, key, args.sets, args.into))
    return _done(args, {"merged": args.sets, "into": args.into}, f"Sets merged into {args.into}.")


def cmd_assign(args: argparse.Namespace) -> int:
    key = _key(args)
    _run(lambda: _service().assign(args.code, key, args.member_id, args.set))
    return _done(args, {"member_id": args.member_id, "set": args.set}, "Member moved.")


def _summary_text(summary: dict[str, Any]) -> str:
    lines = [f"Network: {summary['title']}", "Priorities (highest mean first):"]
    for p in summary["priorities"]:
        mean = f"{p['mean_score']:.2f}" if p["mean_score"] is not None else "not rated"
        lines.append(f"  {mean:>9}  ({p['ratings']} ratings)  {p['issue']}")
    lines.append("Meetings:")
    for m in summary["meetings"]:
        lines.append(
            f"  {m['date']}  {m['set'] or 'whole network'}: {m['theme']} (id {m['meeting_id']})"
        )
    lines.append("Actions:")
    for a in summary["actions"]:
        lines.append(
            f"  [{a['status']}] {a['what']} - {a['who']}, due {a['due']} ({a['audience']})"
        )
    return "\n".join(lines)


def cmd_summary(args: argparse.Namespace) -> int:
    key = _key(args)
    summary = _run(lambda: _service().summary(args.code, key))
    if args.format == "json":
        print_json(summary)
    else:
        print(_summary_text(summary))
    return 0


def _write(out: Path, data: bytes) -> None:
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise UsageError(f"--out: could not write {out} ({exc.strerror})") from None


def cmd_paper(args: argparse.Namespace) -> int:
    out = Path(args.out)
    kind = out.suffix.lower()
    if kind not in (".html", ".docx"):
        raise UsageError(f"--out: the file name must end .html or .docx (got '{out.name}')")
    key = _key(args)
    paper = build_paper(_run(lambda: _service().summary(args.code, key)))
    if kind == ".docx":
        from toolkit.present.word import paper_docx  # python-docx loads only when asked for

        _write(out, paper_docx(paper))
    else:
        _write(out, paper_html(paper).encode("utf-8"))
    print(f"Wrote the summary and action paper to {out}.")
    return 0


def cmd_briefing(args: argparse.Namespace) -> int:
    out = Path(args.out)
    kind = out.suffix.lower()
    if kind not in (".html", ".docx"):
        raise UsageError(f"--out: the file name must end .html or .docx (got '{out.name}')")
    key = _key(args)
    briefing = _run(lambda: _service().briefing(args.code, key, args.meeting_id))
    if kind == ".docx":
        from toolkit.present.word import briefing_docx  # python-docx loads only when asked for

        _write(out, briefing_docx(briefing))
    else:
        _write(out, briefing_html(briefing).encode("utf-8"))
    print(f"Wrote the briefing pack to {out}.")
    return 0


def _code(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("code", metavar="CODE", help="the network code")
    add_facilitator_key(parser, "network")


def add_network_commands(commands: Any) -> None:
    """Add ``network create|add-member|rate|meeting|note|action|action-status|summary|paper|...``."""
    network = commands.add_parser(
        "network", help="a learning-network programme: priorities, sets, notes, actions, paper"
    )
    actions = network.add_subparsers(dest="network_command", required=True)

    create = actions.add_parser("create", help="start a network and get its code and key")
    create.add_argument("--title", required=True, help="the network's title")
    add_format(create)
    create.set_defaults(handler=cmd_create)

    member = actions.add_parser(
        "add-member", help="add a member organisation (gets a private link)"
    )
    _code(member)
    member.add_argument("--name", required=True, help="the organisation's name")
    member.add_argument("--role", required=True, choices=[r.value for r in Role])
    member.add_argument("--set", metavar="NAME", help="put the member in this action learning set")
    add_format(member)
    member.set_defaults(handler=cmd_add_member)

    rate = actions.add_parser("rate", help="record a member's 1-5 rating of an issue")
    _code(rate)
    rate.add_argument("--member-id", required=True, metavar="M")
    rate.add_argument("--issue", required=True, metavar="TEXT")
    rate.add_argument("--score", required=True, metavar="1..5")
    add_format(rate)
    rate.set_defaults(handler=cmd_rate)

    meeting = actions.add_parser("meeting", help="schedule a meeting of a set (or the network)")
    _code(meeting)
    meeting.add_argument("--theme", required=True, metavar="TEXT")
    meeting.add_argument("--date", required=True, metavar="YYYY-MM-DD")
    meeting.add_argument("--set", metavar="NAME", help="the set meeting (default: whole network)")
    add_format(meeting)
    meeting.set_defaults(handler=cmd_meeting)

    note = actions.add_parser("note", help="add a line to a meeting's note")
    _code(note)
    note.add_argument("--meeting-id", required=True, metavar="X")
    note.add_argument("--kind", required=True, choices=[k.value for k in NoteKind])
    note.add_argument("--text", required=True, metavar="TEXT")
    add_format(note)
    note.set_defaults(handler=cmd_note)

    action = actions.add_parser("action", help="record an agreed action")
    _code(action)
    action.add_argument("--meeting-id", required=True, metavar="X")
    action.add_argument("--what", required=True, metavar="TEXT")
    action.add_argument("--who", required=True, metavar="TEXT")
    action.add_argument("--due", required=True, metavar="YYYY-MM-DD")
    action.add_argument("--audience", required=True, choices=[a.value for a in Audience])
    add_format(action)
    action.set_defaults(handler=cmd_action)

    status = actions.add_parser("action-status", help="mark an action open, done or dropped")
    _code(status)
    status.add_argument("--action-id", required=True, metavar="A")
    status.add_argument("--status", required=True, choices=[s.value for s in Status])
    status.add_argument("--due", metavar="YYYY-MM-DD", help="move the due date too")
    status.add_argument("--on", metavar="YYYY-MM-DD", help="the day it changed (default: today)")
    add_format(status)
    status.set_defaults(handler=cmd_action_status)

    themes = actions.add_parser("themes", help="pick the issues the sets will work on")
    _code(themes)
    themes.add_argument("--issue", required=True, nargs="+", metavar="TEXT")
    add_format(themes)
    themes.set_defaults(handler=cmd_themes)

    merge = actions.add_parser("merge-sets", help="merge action learning sets into one")
    _code(merge)
    merge.add_argument("--sets", required=True, nargs="+", metavar="NAME")
    merge.add_argument("--into", required=True, metavar="NAME")
    add_format(merge)
    merge.set_defaults(handler=cmd_merge)

    assign = actions.add_parser("assign", help="move a member to a set")
    _code(assign)
    assign.add_argument("--member-id", required=True, metavar="M")
    assign.add_argument("--set", required=True, metavar="NAME")
    add_format(assign)
    assign.set_defaults(handler=cmd_assign)

    summary = actions.add_parser("summary", help="priorities, meetings and actions so far")
    _code(summary)
    add_format(summary)
    summary.set_defaults(handler=cmd_summary)

    paper = actions.add_parser("paper", help="the summary and action paper (.html or .docx)")
    _code(paper)
    paper.add_argument("--out", required=True, metavar="FILE", help="paper.html or paper.docx")
    paper.set_defaults(handler=cmd_paper)

    briefing = actions.add_parser("briefing", help="a meeting's briefing pack (.html or .docx)")
    _code(briefing)
    briefing.add_argument("--meeting-id", required=True, metavar="X")
    briefing.add_argument(
        "--out", required=True, metavar="FILE", help="briefing.html or briefing.docx"
    )
    briefing.set_defaults(handler=cmd_briefing)
