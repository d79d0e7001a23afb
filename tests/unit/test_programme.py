"""The learning-network programme end to end through ``python -m toolkit network ...``:
six members, two sets, three meetings, ratings, notes, actions, status changes, a merge,
then the summary, the briefing pack and the paper (HTML and Word)."""

from __future__ import annotations

import io
import json

import pytest
from docx import Document

from toolkit.cli.main import main
from toolkit.network.programme.ranking import baseline_text, rank_priorities
from toolkit.network.programme.service import ProgrammeService
from toolkit.network.store import default_store

SCRIPT = "<script>alert('x')</script>"


@pytest.fixture(autouse=True)
def data_home(tmp_path, monkeypatch):
    monkeypatch.delenv("TOOLKIT_DATABASE_URL", raising=False)
    monkeypatch.delenv("TOOLKIT_FACILITATOR_KEY", raising=False)
    monkeypatch.setenv("TOOLKIT_DATA_HOME", str(tmp_path / "data"))
    return tmp_path / "data"


def run(capsys, args):
    status = main(args)
    out = capsys.readouterr()
    return status, out.out, out.err


def run_json(capsys, args):
    status, out, err = run(capsys, [*args, "--format", "json"])
    assert status == 0, err
    return json.loads(out)


MEMBERS = [
    ("Northshire County Council (fictional)", "strategic", "Strategic set"),
    ("Eastvale CCG (fictional)", "strategic", "Strategic set"),
    ("Riverside Funding Trust (fictional)", "strategic", "Strategic set"),
    ("Pathways Supported Employment (fictional)", "practitioner", "Practitioner set"),
    ("Bridge IPS Service (fictional)", "practitioner", "Practitioner set"),
    ("Open Doors Job Club (fictional)", "practitioner", "Practitioner set"),
]


@pytest.fixture
def programme(capsys):
    """A three-meeting programme run from the command line; returns what it made."""
    created = run_json(capsys, ["network", "create", "--title", "Eastern Learning Network"])
    code, key = created["code"], created["facilitator_key"]
    auth = [code, "--facilitator-key", key]
    members = []
    for name, role, set_name in MEMBERS:
        made = run_json(
            capsys,
            ["network", "add-member", *auth, "--name", name, "--role", role, "--set", set_name],
        )
        members.append({**made, "set": set_name})

    # Ratings: employer engagement comes top (mean 4.5), client engagement next (4.0).
    scores = {
        "Employer engagement": [5, 4, 5, 4, 5, 4],
        "Client engagement": [4, 4, 4, 4, 4, 4],
        "Joined-up working and commissioning": [2, 3, 5, 1, 3, 2],
    }
    for issue, given in scores.items():
        for member, score in zip(members, given, strict=True):
            status, _, err = run(
                capsys,
                [
                    "network",
                    "rate",
                    *auth,
                    "--member-id",
                    member["member_id"],
                    "--issue",
                    issue,
                    "--score",
                    str(score),
                ],
            )
            assert status == 0, err

    status, _, err = run(
        capsys,
        [
            "network",
            "themes",
            *auth,
            "--issue",
            "Employer engagement",
            "Client engagement",
            "Joined-up working and commissioning",
        ],
    )
    assert status == 0, err
    meetings = {}
    for label, theme, date, set_name in [
        ("m1s", "Employer engagement", "2026-04-14", "Strategic set"),
        ("m1p", "Employer engagement", "2026-04-15", "Practitioner set"),
    ]:
        meetings[label] = run_json(
            capsys,
            ["network", "meeting", *auth, "--theme", theme, "--date", date, "--set", set_name],
        )["meeting_id"]

    def note(meeting, kind, text):
        status, _, err = run(
            capsys,
            [
                "network",
                "note",
                *auth,
                "--meeting-id",
                meetings[meeting],
                "--kind",
                kind,
                "--text",
                text,
            ],
        )
        assert status == 0, err

    note("m1s", "issue", "Strategic-only: small employers rarely hear from us")
    note("m1s", "outcome", f"Strategic-only outcome {SCRIPT}")
    note("m1p", "issue", "Practitioner-only: job carving needs employer time")
    note("m1p", "idea", "Practitioner-only: share one employer contact list")

    def action(meeting, what, who, due, audience):
        return run_json(
            capsys,
            [
                "network",
                "action",
                *auth,
                "--meeting-id",
                meetings[meeting],
                "--what",
                what,
                "--who",
                who,
                "--due",
                due,
                "--audience",
                audience,
            ],
        )["action_id"]

    actions = {
        "policy": action(
            "m1s", "Ask DWP to count retained jobs", "Network chair", "2026-06-30", "policy"
        ),
        "funders": action(
            "m1s", "Fund aftercare for six months", MEMBERS[2][0], "2026-05-20", "funders"
        ),
        "practitioners": action(
            "m1p", "Pool employer contacts", MEMBERS[3][0], "2026-05-01", "practitioners"
        ),
        "member": action(
            "m1p", "Try job carving with two employers", MEMBERS[4][0], "2026-05-10", "member"
        ),
        "dropped": action(
            "m1p", "Run a joint job fair", MEMBERS[5][0], "2026-05-10", "practitioners"
        ),
    }
    for action_id, status_value, extra in [
        (actions["practitioners"], "done", ["--on", "2026-05-01"]),
        (actions["dropped"], "dropped", ["--on", "2026-05-05"]),
        (actions["funders"], "open", ["--due", "2026-07-31", "--on", "2026-05-02"]),
    ]:
        status, _, err = run(
            capsys,
            [
                "network",
                "action-status",
                *auth,
                "--action-id",
                action_id,
                "--status",
                status_value,
                *extra,
            ],
        )
        assert status == 0, err

    # After the first meeting members ask to join the sets.
    status, _, err = run(
        capsys,
        [
            "network",
            "merge-sets",
            *auth,
            "--sets",
            "Strategic set",
            "Practitioner set",
            "--into",
            "Joint set",
        ],
    )
    assert status == 0, err
    for label, theme, date in [
        ("m2", "Client engagement", "2026-05-20"),
        ("m3", "Joined-up working and commissioning", "2026-06-24"),
    ]:
        meetings[label] = run_json(
            capsys,
            ["network", "meeting", *auth, "--theme", theme, "--date", date, "--set", "Joint set"],
        )["meeting_id"]
    note("m2", "issue", "Joint: first contact is often a letter")
    note("m3", "outcome", "Joint: one referral form across the area")
    actions["m3"] = action(
        "m3", "Agree one referral form", "Network chair", "2026-09-30", "practitioners"
    )
    return {
        "code": code,
        "key": key,
        "auth": auth,
        "members": members,
        "meetings": meetings,
        "actions": actions,
    }


def test_summary_ranks_priorities_and_tracks_actions(programme, capsys):
    summary = run_json(capsys, ["network", "summary", *programme["auth"]])
    top, second = summary["priorities"][:2]
    assert (top["issue"], top["mean_score"], top["ratings"]) == ("Employer engagement", 4.5, 6)
    assert (second["issue"], second["mean_score"]) == ("Client engagement", 4.0)
    joined = next(p for p in summary["priorities"] if p["issue"].startswith("Joined-up"))
    assert joined["spread"] == 4 and joined["chosen"] is True
    assert [p["issue"] for p in summary["priorities"] if p["chosen"]] == [
        "Employer engagement",
        "Client engagement",
        "Joined-up working and commissioning",
    ]
    means = [p["mean_score"] for p in summary["priorities"] if p["mean_score"] is not None]
    assert means == sorted(means, reverse=True)
    assert len(summary["meetings"]) == 4  # two first meetings (one per set), then two joint
    assert summary["sets"] == ["Joint set"]
    by_id = {a["action_id"]: a for a in summary["actions"]}
    assert by_id[programme["actions"]["practitioners"]]["status"] == "done"
    assert by_id[programme["actions"]["dropped"]]["status"] == "dropped"
    assert by_id[programme["actions"]["funders"]]["due"] == "2026-07-31"
    assert set(by_id[programme["actions"]["policy"]]) >= {
        "action_id",
        "what",
        "who",
        "due",
        "audience",
        "status",
    }


def test_paper_html_has_the_top_priority_every_action_under_its_audience_and_escapes(
    programme, capsys, tmp_path
):
    out = tmp_path / "paper.html"
    status, _, err = run(capsys, ["network", "paper", *programme["auth"], "--out", str(out)])
    assert status == 0, err
    html = out.read_text(encoding="utf-8")
    assert (
        "The highest rated was Employer engagement, with a mean score of 4.5 from 6 ratings" in html
    )
    assert "<script>" not in html and "&lt;script&gt;" in html
    sections = {}
    for audience in ("policy", "funders", "practitioners", "member"):
        start = html.index(f'id="audience-{audience}"')
        following = [
            html.find(f'id="audience-{a}"', start + 1)
            for a in ("policy", "funders", "practitioners", "member")
        ]
        end = min([p for p in following if p > start] + [html.index('id="feedback"')])
        sections[audience] = html[start:end]
    assert "Ask DWP to count retained jobs" in sections["policy"]
    assert "Fund aftercare for six months" in sections["funders"]
    assert "31 July 2026" in sections["funders"]
    assert "Pool employer contacts" in sections["practitioners"]
    assert "Agree one referral form" in sections["practitioners"]
    assert (
        "Run a joint job fair" in sections["practitioners"]
        and "Dropped" in sections["practitioners"]
    )
    assert "Try job carving with two employers" in sections["member"]
    assert "Ask DWP" not in sections["funders"]


def test_paper_docx_has_the_same_content(programme, capsys, tmp_path):
    out = tmp_path / "paper.docx"
    status, _, err = run(capsys, ["network", "paper", *programme["auth"], "--out", str(out)])
    assert status == 0, err
    document = Document(io.BytesIO(out.read_bytes()))
    section = document.sections[0]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7
    blocks = [(p.style.name, p.text) for p in document.paragraphs]
    headings = [text for style, text in blocks if style.startswith("Heading")]
    assert headings[:2] == ["About the programme", "Priority issues"]
    assert "For funders" in headings and "For policy makers" in headings
    text = "\n".join(t for _, t in blocks)
    assert "The highest rated was Employer engagement" in text
    assert f"Strategic-only outcome {SCRIPT}" in text  # Word holds text, not markup
    tables = [[[c.text for c in row.cells] for row in table.rows] for table in document.tables]
    assert tables[0][0][:3] == ["Rank", "Issue", "Mean score (1–5)"]
    assert tables[0][1] == ["1", "Employer engagement", "4.5", "6", "1", "Yes"]
    action_tables = [t for t in tables if t[0] == ["Action", "Who", "Due", "Status"]]
    everything = [row[0] for t in action_tables for row in t[1:]]
    assert sorted(everything) == sorted(
        [
            "Ask DWP to count retained jobs",
            "Fund aftercare for six months",
            "Pool employer contacts",
            "Try job carving with two employers",
            "Run a joint job fair",
            "Agree one referral form",
        ]
    )


def test_members_see_only_their_own_sets_notes(programme):
    service = ProgrammeService(default_store())
    # Link tokens are shown once; the test kept them from add-member.
    strategic, practitioner = programme["members"][0], programme["members"][3]
    seen_s = service.member_view(strategic["link_token"])
    seen_p = service.member_view(practitioner["link_token"])
    notes_s = [n.text for m in seen_s.meetings for n in m.notes]
    notes_p = [n.text for m in seen_p.meetings for n in m.notes]
    assert any(t.startswith("Strategic-only") for t in notes_s)
    assert not any(t.startswith("Practitioner-only") for t in notes_s)
    assert any(t.startswith("Practitioner-only") for t in notes_p)
    assert not any(t.startswith("Strategic-only") for t in notes_p)
    # After the merge both read the joint set's notes.
    assert "Joint: one referral form across the area" in notes_s
    assert "Joint: one referral form across the area" in notes_p
    assert seen_s.member.set_name == "Joint set"
    # Their own actions are flagged; another set's actions are not shown.
    carving = programme["members"][4]
    view = service.member_view(carving["link_token"])
    mine = [a.what for a in view.actions if a.action_id in view.my_action_ids]
    assert mine == ["Try job carving with two employers"]
    assert "Ask DWP to count retained jobs" not in [a.what for a in view.actions]
    assert service.member_view("not-a-real-link-token-at-all") is None


def test_feedback_is_summarised_for_the_facilitator(programme):
    service = ProgrammeService(default_store())
    meeting = programme["meetings"]["m2"]
    for member, useful, contacts in zip(
        programme["members"][:3], [5, 4, 3], [2, 0, 1], strict=True
    ):
        service.give_feedback(
            member["link_token"], meeting, useful, "Call the job centre first", contacts
        )
    service.give_feedback(programme["members"][0]["link_token"], meeting, 4, "", 2)  # replaces
    summary = {f.meeting_id: f for f in service.feedback(programme["code"], programme["key"])}[
        meeting
    ]
    assert (summary.responses, summary.useful_mean, summary.new_contacts) == (3, 3.67, 3)
    with pytest.raises(Exception, match="not one of your meetings"):
        service.give_feedback(
            programme["members"][0]["link_token"], programme["meetings"]["m1p"], 5, "", 0
        )


def test_briefing_lists_evidence_actions_due_and_what_moved(programme, capsys, tmp_path):
    service = ProgrammeService(default_store())
    briefing = service.briefing(programme["code"], programme["key"], programme["meetings"]["m2"])
    assert briefing.meeting.theme == "Client engagement"
    assert len(briefing.readers) == 6
    assert [card.title for card in briefing.evidence] == [
        "Supported employment: the six stages",
        "IPS: the eight principles",
    ]
    assert all(".txt" not in card.source for card in briefing.evidence)
    due = {name: [a.what for a in actions] for name, actions in briefing.due.items()}
    assert due == {MEMBERS[4][0]: ["Try job carving with two employers"]}
    assert briefing.previous_meeting == "2026-04-15"  # the practitioner set's, merged in
    moved = {a.what for a in briefing.moved}
    assert moved == {
        "Pool employer contacts",
        "Run a joint job fair",
        "Fund aftercare for six months",
    }
    later = service.briefing(programme["code"], programme["key"], programme["meetings"]["m3"])
    assert later.previous_meeting == "2026-05-20" and later.moved == ()
    out = tmp_path / "briefing.html"
    status, _, err = run(
        capsys,
        [
            "network",
            "briefing",
            *programme["auth"],
            "--meeting-id",
            programme["meetings"]["m2"],
            "--out",
            str(out),
        ],
    )
    assert status == 0, err
    html = out.read_text(encoding="utf-8")
    assert "No pooled figures yet" in html and "Supported employment: the six stages" in html
    word = tmp_path / "briefing.docx"
    status, _, err = run(
        capsys,
        [
            "network",
            "briefing",
            *programme["auth"],
            "--meeting-id",
            programme["meetings"]["m2"],
            "--out",
            str(word),
        ],
    )
    assert status == 0, err
    document = Document(io.BytesIO(word.read_bytes()))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Supported employment: the six stages" in headings
    assert "What moved since 15 April 2026" in headings
    moved = [[c.text for c in row.cells] for row in document.tables[-1].rows]
    assert moved[0] == ["Action", "Who", "Now", "Changed"]
    assert ["Pool employer contacts", MEMBERS[3][0], "done", "1 May 2026"] in moved


def test_briefing_uses_the_pooled_benchmark_with_disclosure_control(capsys):
    created = run_json(capsys, ["network", "create", "--title", "Pooled network"])
    code, key = created["code"], created["facilitator_key"]
    meeting = run_json(
        capsys,
        [
            "network",
            "meeting",
            code,
            "--facilitator-key",
            key,
            "--theme",
            "Employer engagement",
            "--date",
            "2026-04-14",
        ],
    )["meeting_id"]
    service = ProgrammeService(default_store())
    assert service.briefing(code, key, meeting).pooled_services == 0
    for name in ("Fictional A", "Fictional B", "Fictional C", "Fictional D"):
        status, _, err = run(
            capsys,
            [
                "session",
                "submit",
                code,
                "--name",
                name,
                "--cost",
                "£100,000",
                "--supported",
                "40",
                "--new-jobs",
                "10",
                "--retained",
                "8",
                "--self-employed",
                "0",
                "--consent",
            ],
        )
        assert status == 0, err
    briefing = service.briefing(code, key, meeting)
    expected = default_store().session_summary(code, key)
    assert briefing.pooled_services == expected.services == 4
    assert briefing.pooled == expected.pooled


def test_wrong_key_exits_2_and_reveals_nothing(programme, capsys):
    for args in (
        ["network", "summary", programme["code"], "--facilitator-key", "wrong"],
        ["network", "summary", "ZZZZ-ZZZZ-ZZZZ", "--facilitator-key", programme["key"]],
    ):
        status, out, err = run(capsys, args)
        assert status == 2 and out == ""
        assert err.strip() == (
            "error: No network matches that code and facilitator key: check both and try again."
        )


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (["rate", "--member-id", "M", "--issue", "x", "--score", "7"], "--score"),
        (["meeting", "--theme", "t", "--date", "31/02/2026"], "--date"),
        (["meeting", "--theme", "t", "--date", "2026-02-31"], "--date"),
        (["note", "--meeting-id", "nope", "--kind", "issue", "--text", "t"], "--meeting-id"),
        (
            [
                "action",
                "--meeting-id",
                "nope",
                "--what",
                "w",
                "--who",
                "w",
                "--due",
                "2026-01-01",
                "--audience",
                "funders",
            ],
            "--meeting-id",
        ),
        (["action-status", "--action-id", "nope", "--status", "done"], "--action-id"),
        (["meeting", "--theme", "t", "--date", "2026-01-01", "--set", "No such set"], "--set"),
        (["paper", "--out", "paper.pdf"], "--out"),
    ],
)
def test_bad_input_gets_one_line_naming_the_flag(programme, capsys, args, flag):
    command, *rest = args
    if command == "rate":
        rest[1] = programme["members"][0]["member_id"]
    status, out, err = run(capsys, ["network", command, *programme["auth"], *rest])
    assert status == 2
    assert len(err.strip().splitlines()) == 1
    assert err.startswith(f"error: {flag}")


def test_secrets_are_kept_only_as_digests(programme, data_home):
    database = (data_home / "toolkit.sqlite3").read_bytes()
    default_store().close()
    assert programme["key"].encode() not in database
    for member in programme["members"]:
        assert member["link_token"].encode() not in database


def test_ranking_orders_by_mean_then_ratings_and_puts_unrated_last():
    ranked = rank_priorities({"b": [4, 4], "a": [4], "c": [], "d": [5, 1]})
    assert [r.issue for r in ranked] == ["b", "a", "d", "c"]
    assert ranked[2].spread == 4 and ranked[3].mean_score is None
    with pytest.raises(ValueError):
        rank_priorities({"x": [6]})


def test_members_figures_over_time_make_a_trend_and_a_baseline(programme):
    service = ProgrammeService(default_store())
    links = [m["link_token"] for m in programme["members"]]
    for link, people, outcomes in zip(links[:3], [40, 60, 100], [10, 12, 30], strict=True):
        service.share_figures(link, 2025, people, outcomes)
    for link, people, outcomes in zip(links[:2], [35, 50], [8, 9], strict=True):
        service.share_figures(link, "2024", str(people), str(outcomes))
    service.share_figures(links[0], 2025, 40, 11)  # a correction replaces the year
    trend = {t.year: t for t in service.trend(programme["code"], programme["key"])}
    assert trend[2024].members == 2 and trend[2024].people_supported is None  # too few to show
    assert (trend[2025].members, trend[2025].people_supported, trend[2025].job_outcomes) == (
        3,
        200,
        53,
    )
    assert trend[2025].job_outcome_rate == pytest.approx(0.265)
    view = service.member_view(links[0])
    assert [(f.year, f.job_outcomes) for f in view.figures] == [(2024, 8), (2025, 11)]

    assert baseline_text(view.figures) == "2024, 8\n2025, 11"
    assert [f.year for f in service.member_view(links[5]).figures] == []  # only their own
    briefing = service.briefing(programme["code"], programme["key"], programme["meetings"]["m3"])
    assert [t.year for t in briefing.trend] == [2024, 2025]
    for args, field in [
        ((1999, 10, 1), "year"),
        ((2025, 10, 11), "job outcomes"),
        ((2025, "ten", 1), "people supported"),
    ]:
        with pytest.raises(Exception, match=f"^{field}:"):
            service.share_figures(links[0], *args)
