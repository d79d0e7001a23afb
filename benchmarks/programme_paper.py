"""How long the programme's papers and views take for a full-size network.

Builds, in a throwaway SQLite file, a network of ``--members`` members in two sets that
meet ``--meetings`` times (notes and actions at each, ratings of every issue), then times,
over ``--repeat`` runs each: the summary, the paper as HTML and as Word, a briefing pack and
one member's view. Prints the median and the slowest run of each, in milliseconds.

    .venv/bin/python benchmarks/programme_paper.py [--members 12] [--meetings 6] [--repeat 5]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from toolkit.network.programme.paper import build_paper
from toolkit.network.programme.service import ProgrammeService
from toolkit.network.store import Store
from toolkit.present.programme_paper import briefing_html, paper_html
from toolkit.present.word import paper_docx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.timing import timed


def build(service: ProgrammeService, members: int, meetings: int) -> tuple[str, str, str, str]:
    made = service.create_network("Benchmark network (fictional)")
    code, key = made.code, made.facilitator_key
    links = []
    for index in range(members):
        role, group = ("strategic", "Set A") if index % 2 else ("practitioner", "Set B")
        member = service.add_member(code, key, f"Member {index} (fictional)", role, group)
        links.append(member.link_token)
        for issue_index, issue in enumerate(service.issues(code, key)):
            service.rate(code, key, member.member_id, issue.text, 1 + (index + issue_index) % 5)
    meeting_id = ""
    for number in range(meetings):
        group = ("Set A", "Set B")[number % 2]
        meeting_id = service.schedule_meeting(
            code, key, "Employer engagement", f"2026-{1 + number % 12:02d}-14", group
        )
        for line in range(8):
            service.add_note(
                code, key, meeting_id, ("issue", "idea", "outcome")[line % 3], f"Line {line}"
            )
        for line in range(4):
            service.add_action(
                code,
                key,
                meeting_id,
                f"Action {line}",
                "Member 1 (fictional)",
                "2026-12-01",
                ("policy", "funders", "practitioners", "member")[line],
            )
    return code, key, meeting_id, links[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=12)
    parser.add_argument("--meetings", type=int, default=6)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store = Store(f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
        service = ProgrammeService(store)
        code, key, meeting_id, link = build(service, args.members, args.meetings)
        cases = {
            "summary": lambda: service.summary(code, key),
            "paper as HTML": lambda: paper_html(build_paper(service.summary(code, key))),
            "paper as Word": lambda: paper_docx(build_paper(service.summary(code, key))),
            "briefing pack": lambda: briefing_html(service.briefing(code, key, meeting_id)),
            "member's view": lambda: service.member_view(link),
        }
        print(f"{args.members} members, {args.meetings} meetings, {args.repeat} runs each")
        for name, work in cases.items():
            median, slowest = timed(work, args.repeat)
            print(f"  {name:<15} median {median:7.1f} ms   slowest {slowest:7.1f} ms")
        store.close()


if __name__ == "__main__":
    main()
