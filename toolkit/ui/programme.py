"""The learning-network programme app (``learning_network_programme.ipynb``): widgets and wiring.

Two views. The facilitator opens their network with its code and private key (typed,
never in the address) and runs the programme: members and their private links,
priority ratings, sets, meetings, fast note and action entry, the action tracker, the
briefing pack and the summary and action paper (A4 HTML and Word downloads, every
paragraph editable). A member opens ``learning_network_programme.ipynb?member=TOKEN`` and
sees only their own view: rate the candidate issues, read the notes and actions of their
own set's meetings, and send feedback. All logic is in
:class:`toolkit.network.programme.service.ProgrammeService`; everything typed is escaped.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlencode

import ipywidgets as w
from markupsafe import Markup

from toolkit.network.programme.models import (
    AUDIENCE_LABELS,
    NOTE_KIND_LABELS,
    ROLE_LABELS,
    Audience,
    MemberView,
    NoteKind,
    Status,
)
from toolkit.network.programme.paper import build_paper, long_date
from toolkit.network.programme.ranking import baseline_text
from toolkit.network.programme.service import ProgrammeService
from toolkit.network.store import StoreError
from toolkit.present.html import fragment
from toolkit.present.programme_paper import briefing_html, paper_html
from toolkit.present.word import briefing_docx, paper_docx
from toolkit.ui.views import download_link
from toolkit.worksheets.turning_the_curve import forecast, parse_baseline

PAGE = "learning_network_programme.ipynb"
MEMBER_PARAMETER = "member"
LABEL_STYLE = {"description_width": "14em"}
FIELD = w.Layout(width="40em")
WIDE = w.Layout(width="52em", height="6em")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
WHOLE_NETWORK = "Whole network"
_MAX_PARAMETER = 256


def member_link(token: str) -> str:
    """A member's private link, relative to the page."""
    return f"{PAGE}?{urlencode({MEMBER_PARAMETER: token})}"


def member_token(query: str | None) -> str | None:
    """The member's link token in a page's query string, if any."""
    found = parse_qs(query or "").get(MEMBER_PARAMETER)
    value = found[0] if found else None
    return value[:_MAX_PARAMETER] if value else None


def _log_problem() -> None:
    """Write the traceback to the server's own stderr, never into the page."""
    traceback.print_exc(file=sys.__stderr__)


def _message(text: str, problem: bool = False) -> str:
    return fragment("programme_message", text=text, problem=problem)


def _two_downloads(first: str, second: str) -> str:
    """Two download links (already rendered) on one line."""
    return fragment("programme_downloads", links=[Markup(first), Markup(second)])


def _text(description: str, placeholder: str = "", layout: w.Layout = FIELD) -> w.Text:
    return w.Text(
        description=description, placeholder=placeholder, style=LABEL_STYLE, layout=layout
    )


def _dropdown(description: str, options: Any) -> w.Dropdown:
    return w.Dropdown(description=description, options=options, style=LABEL_STYLE, layout=FIELD)


def _button(description: str, primary: bool = False) -> w.Button:
    return w.Button(
        description=description,
        button_style="primary" if primary else "",
        layout=w.Layout(width="auto"),
    )


def _guarded(feedback: w.HTML, work: Callable[[], str | None]) -> Callable[[Any], None]:
    """A click handler: run ``work``; show its message, a store error, or a plain sentence."""

    def handler(_: Any) -> None:
        try:
            done = work()
        except StoreError as exc:
            feedback.value = _message(str(exc), problem=True)
            return
        except Exception:
            _log_problem()
            feedback.value = _message(
                "Something went wrong and nothing was changed. Please try again.", problem=True
            )
            return
        if done is not None:  # None: the work wrote its own message
            feedback.value = _message(done)

    return handler


def notes_html(meetings: Any, actions: Any, mine: tuple[str, ...] = ()) -> str:
    """Meetings' notes and actions as HTML (everything escaped)."""
    shown = [
        {
            "heading": f"{long_date(meeting.date)}: {meeting.theme} "
            f"({meeting.set_name or WHOLE_NETWORK})",
            "empty": not meeting.notes,
            "groups": [
                (NOTE_KIND_LABELS[kind], items)
                for kind in NoteKind
                if (items := [n.text for n in meeting.notes if n.kind == kind])
            ],
            "actions": [
                {
                    "what": a.what,
                    "yours": a.action_id in mine,
                    "who": a.who,
                    "due": long_date(a.due),
                    "audience": AUDIENCE_LABELS[a.audience],
                    "status": a.status.value,
                }
                for a in actions
                if a.meeting_id == meeting.meeting_id
            ],
        }
        for meeting in meetings
    ]
    return fragment("programme_notes", meetings=shown)


def figures_html(figures: Any) -> str:
    """A member's own yearly figures, their turning-the-curve baseline and its straight-line forecast."""
    if not figures:
        return fragment("programme_figures", rows=[], baseline="", ahead=None)
    text = baseline_text(figures)
    ahead = forecast(parse_baseline(text, "count"))
    return fragment(
        "programme_figures",
        rows=[(f.year, f"{f.people_supported:,}", f"{f.job_outcomes:,}") for f in figures],
        baseline=text,
        ahead=[(p.label, f"{p.value:,.0f}") for p in ahead.points] if ahead else None,
    )


def trend_html(trend: Any) -> str:
    """The network's yearly totals (years with too few members show only the count)."""
    rows = [
        (
            t.year,
            t.members,
            None
            if t.people_supported is None
            else (
                f"{t.people_supported:,}",
                f"{t.job_outcomes:,}",
                "not defined" if t.job_outcome_rate is None else f"{t.job_outcome_rate:.1%}",
            ),
        )
        for t in trend or []
    ]
    return fragment("programme_trend", rows=rows)


# --------------------------------------------------------------------------- facilitator


class FacilitatorView:
    """Open or start a network, then run the programme."""

    def __init__(self, service: ProgrammeService):
        self.service = service
        self.code: str | None = None
        self._key: str | None = None
        self._build()

    def __repr__(self) -> str:  # never print the key by accident
        return f"FacilitatorView(code={self.code!r})"

    def _build(self) -> None:
        self.code_box = _text("Network code", "e.g. K7QF-M2XD-9PRT")
        self.key_box = w.Password(
            description="Facilitator key",
            placeholder="your private key",
            style=LABEL_STYLE,
            layout=FIELD,
        )
        self.open_button = _button("Open the network", primary=True)
        self.open_feedback = w.HTML()
        self.open_button.on_click(_guarded(self.open_feedback, self._open_typed))
        self.title_box = _text("Network title", "e.g. Eastern learning network 2026")
        self.create_button = _button("Start a new network")
        self.create_button.on_click(_guarded(self.open_feedback, self._create))
        self.forms = w.VBox(
            [
                w.HTML("<h2>Open your network</h2>"),
                self.code_box,
                self.key_box,
                w.HBox([self.open_button]),
                w.HTML(
                    "<h2>Start a new network</h2><p>You will get a code and a private facilitator "
                    "key, shown once. Do this on your own screen, not while projecting.</p>"
                ),
                self.title_box,
                w.HBox([self.create_button]),
                self.open_feedback,
            ]
        )

        # Members
        self.member_name = _text("Organisation name")
        self.member_role = _dropdown(
            "Role", [(label, role.value) for role, label in ROLE_LABELS.items()]
        )
        self.member_set = _text("Action learning set", "e.g. Strategic set (optional)")
        self.add_member_button = _button("Add member")
        self.members_feedback = w.HTML()
        self.add_member_button.on_click(_guarded(self.members_feedback, self._add_member))
        self.members_html = w.HTML()
        self.merge_from = w.SelectMultiple(
            description="Sets to merge", options=[], style=LABEL_STYLE, layout=FIELD
        )
        self.merge_into = _text("Merge into set", "e.g. Joint set")
        self.merge_button = _button("Merge the sets")
        self.merge_button.on_click(_guarded(self.members_feedback, self._merge))

        # Priorities
        self.ranking_html = w.HTML()
        self.issue_box = _text("New candidate issue")
        self.add_issue_button = _button("Add issue")
        self.priorities_feedback = w.HTML()
        self.add_issue_button.on_click(_guarded(self.priorities_feedback, self._add_issue))
        self.themes_pick = w.SelectMultiple(
            description="Themes for the sets", options=[], style=LABEL_STYLE, layout=FIELD
        )
        self.themes_button = _button("Use these themes")
        self.themes_button.on_click(_guarded(self.priorities_feedback, self._choose_themes))

        # Meetings and notes
        self.meeting_theme = w.Combobox(
            description="Theme",
            options=[],
            placeholder="pick or type a theme",
            style=LABEL_STYLE,
            layout=FIELD,
        )
        self.meeting_date = _text("Date (YYYY-MM-DD)", "e.g. 2026-04-14")
        self.meeting_set = _dropdown("Set", [WHOLE_NETWORK])
        self.schedule_button = _button("Schedule meeting")
        self.meetings_feedback = w.HTML()
        self.schedule_button.on_click(_guarded(self.meetings_feedback, self._schedule))

        self.meeting_pick = _dropdown("Meeting", [])
        self.meeting_pick.observe(lambda _: self._show_note(), names="value")
        self.note_kind = _dropdown(
            "Kind of note", [(NOTE_KIND_LABELS[k], k.value) for k in NoteKind]
        )
        self.note_text = w.Textarea(description="Note", style=LABEL_STYLE, layout=WIDE)
        self.note_button = _button("Add to the note", primary=True)
        self.note_feedback = w.HTML()
        self.note_button.on_click(_guarded(self.note_feedback, self._add_note))
        self.action_what = _text("Action: what")
        self.action_who = _text("Action: who")
        self.action_due = _text("Action: due (YYYY-MM-DD)", "e.g. 2026-05-30")
        self.action_audience = _dropdown(
            "Action: for", [(AUDIENCE_LABELS[a], a.value) for a in Audience]
        )
        self.action_button = _button("Agree action")
        self.action_button.on_click(_guarded(self.note_feedback, self._add_action))
        self.note_html = w.HTML()

        # Tracker
        self.tracker_pick = _dropdown("Action to update", [])
        self.tracker_status = _dropdown("New status", [s.value for s in Status])
        self.tracker_due = _text("New due date (optional)", "YYYY-MM-DD")
        self.tracker_button = _button("Update the action")
        self.tracker_feedback = w.HTML()
        self.tracker_button.on_click(_guarded(self.tracker_feedback, self._update_action))
        self.feedback_html = w.HTML()

        # Papers
        self.paragraph_pick = _dropdown("Paragraph to edit", [])
        self.paragraph_pick.observe(lambda _: self._load_paragraph(), names="value")
        self.paragraph_text = w.Textarea(
            description="Paragraph text",
            style=LABEL_STYLE,
            layout=w.Layout(width="52em", height="9em"),
        )
        self.paragraph_button = _button("Save paragraph")
        self.papers_feedback = w.HTML()
        self.paragraph_button.on_click(_guarded(self.papers_feedback, self._save_paragraph))
        self.paper_button = _button("Make the paper", primary=True)
        self.paper_button.on_click(_guarded(self.papers_feedback, self._make_paper))
        self.briefing_button = _button("Make the briefing pack for the chosen meeting")
        self.briefing_button.on_click(_guarded(self.papers_feedback, self._make_briefing))
        self.downloads = w.HTML()

        self.heading = w.HTML()
        self.created_html = w.HTML()
        self.programme = w.VBox(
            [
                self.heading,
                self.created_html,
                w.HTML("<h2>Members</h2>"),
                self.member_name,
                self.member_role,
                self.member_set,
                w.HBox([self.add_member_button]),
                self.members_feedback,
                self.members_html,
                self.merge_from,
                self.merge_into,
                w.HBox([self.merge_button]),
                w.HTML("<h2>Priorities</h2>"),
                self.ranking_html,
                self.issue_box,
                w.HBox([self.add_issue_button]),
                self.themes_pick,
                w.HBox([self.themes_button]),
                self.priorities_feedback,
                w.HTML("<h2>Meetings</h2>"),
                self.meeting_theme,
                self.meeting_date,
                self.meeting_set,
                w.HBox([self.schedule_button]),
                self.meetings_feedback,
                w.HTML("<h2>Notes and actions</h2>"),
                self.meeting_pick,
                self.note_kind,
                self.note_text,
                w.HBox([self.note_button]),
                self.action_what,
                self.action_who,
                self.action_due,
                self.action_audience,
                w.HBox([self.action_button]),
                self.note_feedback,
                self.note_html,
                w.HTML("<h2>Action tracker and feedback</h2>"),
                self.tracker_pick,
                self.tracker_status,
                self.tracker_due,
                w.HBox([self.tracker_button]),
                self.tracker_feedback,
                self.feedback_html,
                w.HTML("<h2>Briefing pack and summary paper</h2>"),
                self.paragraph_pick,
                self.paragraph_text,
                w.HBox([self.paragraph_button]),
                w.HBox([self.briefing_button, self.paper_button]),
                self.papers_feedback,
                self.downloads,
            ]
        )
        self.programme.layout.display = "none"
        self.widget = w.VBox([self.forms, self.programme])

    # ---------- glue ----------
    def _open_typed(self) -> str | None:
        self.open(self.code_box.value, self.key_box.value)
        return None

    def open(self, code: str, key: str) -> None:
        code, key = code.strip(), key.strip()
        title = self.service.network_title(code, key)  # WrongNetworkKey if not
        self.code, self._key = code, key
        self.key_box.value = ""
        self.heading.value = fragment("programme_heading", title=title, code=code)
        self.forms.layout.display = "none"
        self.programme.layout.display = None
        self.refresh()

    def _create(self) -> str | None:
        created = self.service.create_network(self.title_box.value)
        self.open(created.code, created.facilitator_key)
        self.created_html.value = fragment(
            "programme_created", code=created.code, key=created.facilitator_key
        )
        return None

    def _args(self) -> tuple[str, str]:
        if not (self.code and self._key):
            raise StoreError("Open your network first.")
        return self.code, self._key

    def refresh(self) -> None:
        code, key = self._args()
        members = self.service.members(code, key)
        sets = self.service.sets(code, key)
        self.members_html.value = fragment(
            "programme_members",
            rows=[(m.name, ROLE_LABELS[m.role], m.set_name or "–") for m in members],
        )
        live = [s.name for s in sets if s.merged_into is None]
        self.merge_from.options = live
        self.meeting_set.options = [WHOLE_NETWORK, *live]
        ranking = self.service.ranking(code, key)
        self.ranking_html.value = fragment(
            "programme_ranking",
            rows=[
                (
                    index,
                    r.issue,
                    "not rated" if r.mean_score is None else f"{r.mean_score:.2f}",
                    r.ratings,
                    "–" if r.spread is None else r.spread,
                    "Yes" if r.chosen else "No",
                )
                for index, r in enumerate(ranking, start=1)
            ],
        )
        self.meeting_theme.options = [r.issue for r in ranking if r.chosen] or [
            r.issue for r in ranking
        ]
        self.themes_pick.options = [r.issue for r in ranking]
        self.themes_pick.value = tuple(r.issue for r in ranking if r.chosen)
        meetings = self.service.meetings(code, key)
        chosen = self.meeting_pick.value
        self.meeting_pick.options = [
            (f"{long_date(m.date)}: {m.theme} ({m.set_name or WHOLE_NETWORK})", m.meeting_id)
            for m in meetings
        ]
        if chosen in [m.meeting_id for m in meetings]:
            self.meeting_pick.value = chosen
        actions = self.service.actions(code, key)
        self.tracker_pick.options = [
            (f"{a.what} ({a.who}, due {long_date(a.due)}, {a.status.value})", a.action_id)
            for a in actions
        ]
        feedback = self.service.feedback(code, key)
        names = {m.meeting_id: f"{long_date(m.date)}: {m.theme}" for m in meetings}
        self.feedback_html.value = fragment(
            "programme_feedback",
            lines=[
                {
                    "meeting": names.get(f.meeting_id, ""),
                    "responses": f.responses,
                    "useful": None if f.useful_mean is None else f"{f.useful_mean:.1f}",
                    "contacts": f.new_contacts,
                    "differently": list(f.will_do_differently),
                }
                for f in feedback
            ],
            trend=Markup(trend_html(self.service.trend(code, key))),
        )
        paper = build_paper(self.service.summary(code, key))
        chosen_key = self.paragraph_pick.value
        self.paragraph_pick.options = [
            (p.key + (" (edited)" if p.edited else ""), p.key) for p in paper.paragraphs()
        ]
        if chosen_key in [p.key for p in paper.paragraphs()]:
            self.paragraph_pick.value = chosen_key
        self._show_note()

    def _show_note(self) -> None:
        if not (self.code and self._key and self.meeting_pick.value):
            self.note_html.value = ""
            return
        meetings = [
            m
            for m in self.service.meetings(self.code, self._key)
            if m.meeting_id == self.meeting_pick.value
        ]
        actions = self.service.actions(self.code, self._key)
        self.note_html.value = "<h3>The note so far</h3>" + notes_html(meetings, actions)

    def _add_member(self) -> None:
        code, key = self._args()
        made = self.service.add_member(
            code,
            key,
            self.member_name.value,
            self.member_role.value,
            self.member_set.value.strip() or None,
        )
        self.member_name.value = ""
        self.refresh()
        link = member_link(made.link_token)
        self.members_feedback.value = fragment("programme_member_added", name=made.name, link=link)
        return None

    def _merge(self) -> str:
        code, key = self._args()
        names = list(self.merge_from.value)
        self.service.merge_sets(code, key, names, self.merge_into.value)
        self.refresh()
        return f"Merged {', '.join(names)} into {self.merge_into.value.strip()}."

    def _add_issue(self) -> str:
        code, key = self._args()
        issue = self.service.add_issue(code, key, self.issue_box.value)
        self.issue_box.value = ""
        self.refresh()
        return f"Added: {issue.text}"

    def _choose_themes(self) -> str:
        code, key = self._args()
        chosen = list(self.themes_pick.value)
        self.service.choose_themes(code, key, chosen)
        self.refresh()
        return f"{len(chosen)} theme(s) chosen for the sets."

    def _schedule(self) -> str:
        code, key = self._args()
        chosen_set = None if self.meeting_set.value == WHOLE_NETWORK else self.meeting_set.value
        meeting_id = self.service.schedule_meeting(
            code, key, self.meeting_theme.value, self.meeting_date.value, chosen_set
        )
        self.refresh()
        self.meeting_pick.value = meeting_id
        return "Meeting scheduled. It is chosen below for notes."

    def _add_note(self) -> str:
        code, key = self._args()
        if not self.meeting_pick.value:
            raise StoreError("Meeting: schedule a meeting first, then choose it.")
        self.service.add_note(
            code, key, self.meeting_pick.value, self.note_kind.value, self.note_text.value
        )
        self.note_text.value = ""
        self._show_note()
        return "Added to the note."

    def _add_action(self) -> str:
        code, key = self._args()
        if not self.meeting_pick.value:
            raise StoreError("Meeting: schedule a meeting first, then choose it.")
        self.service.add_action(
            code,
            key,
            self.meeting_pick.value,
            self.action_what.value,
            self.action_who.value,
            self.action_due.value,
            self.action_audience.value,
        )
        self.action_what.value = ""
        self.refresh()
        return "Action agreed."

    def _update_action(self) -> str:
        code, key = self._args()
        if not self.tracker_pick.value:
            raise StoreError("Action: there are no actions yet.")
        self.service.set_action_status(
            code, key, self.tracker_pick.value, self.tracker_status.value
        )
        if self.tracker_due.value.strip():
            self.service.change_due(code, key, self.tracker_pick.value, self.tracker_due.value)
            self.tracker_due.value = ""
        self.refresh()
        return "Action updated."

    def _load_paragraph(self) -> None:
        if not (self.code and self._key and self.paragraph_pick.value):
            return
        paper = build_paper(self.service.summary(self.code, self._key))
        found = next((p for p in paper.paragraphs() if p.key == self.paragraph_pick.value), None)
        self.paragraph_text.value = found.text if found else ""

    def _save_paragraph(self) -> str:
        code, key = self._args()
        if not self.paragraph_pick.value:
            raise StoreError("Paragraph: choose one to edit.")
        self.service.set_paragraph(code, key, self.paragraph_pick.value, self.paragraph_text.value)
        self.refresh()
        return (
            "Paragraph saved: the paper now uses your wording (clear the text to go back to ours)."
        )

    def _make_paper(self) -> str:
        code, key = self._args()
        paper = build_paper(self.service.summary(code, key))
        self.downloads.value = _two_downloads(
            download_link(
                "Download the paper (printable HTML, A4)",
                "summary-and-action-paper.html",
                "text/html",
                paper_html(paper).encode("utf-8"),
            ),
            download_link(
                "Download the paper (Word)",
                "summary-and-action-paper.docx",
                DOCX,
                paper_docx(paper),
            ),
        )
        return "The paper is ready to download."

    def _make_briefing(self) -> str:
        code, key = self._args()
        if not self.meeting_pick.value:
            raise StoreError("Meeting: schedule a meeting first, then choose it.")
        briefing = self.service.briefing(code, key, self.meeting_pick.value)
        self.downloads.value = _two_downloads(
            download_link(
                "Download the briefing pack (printable HTML, A4)",
                "briefing-pack.html",
                "text/html",
                briefing_html(briefing).encode("utf-8"),
            ),
            download_link(
                "Download the briefing pack (Word)",
                "briefing-pack.docx",
                DOCX,
                briefing_docx(briefing),
            ),
        )
        return "The briefing pack is ready to download."


# --------------------------------------------------------------------------- member


class MemberPanel:
    """A member's own view, opened from their private link."""

    def __init__(self, service: ProgrammeService, token: str):
        self.service = service
        self._token = token
        self.feedback = w.HTML()
        self.body = w.VBox()
        self.widget = w.VBox([self.body, self.feedback])
        self.refresh()

    def __repr__(self) -> str:  # never print the link token by accident
        return "MemberPanel()"

    def refresh(self) -> None:
        view = self.service.member_view(self._token)
        if view is None:
            self.body.children = [
                w.HTML(
                    _message(
                        "That private link was not recognised. Ask your facilitator for your link.",
                        problem=True,
                    )
                )
            ]
            return
        self.view = view
        self.body.children = self._children(view)

    def _children(self, view: MemberView) -> list[w.Widget]:
        member = view.member
        header = w.HTML(
            fragment(
                "programme_member_header",
                title=view.network_title,
                name=member.name,
                role=ROLE_LABELS[member.role],
                set_name=member.set_name,
            )
        )
        self.rating_boxes = []
        for issue in view.issues:
            box = w.Dropdown(
                description=issue.text,
                options=[("Not rated", 0)] + [(str(n), n) for n in range(1, 6)],
                value=view.my_ratings.get(issue.issue_id, 0),
                style={"description_width": "24em"},
                layout=w.Layout(width="34em"),
            )
            self.rating_boxes.append((issue.issue_id, box))
        save = _button("Save my ratings", primary=True)
        save.on_click(_guarded(self.feedback, self._save_ratings))
        meetings = w.HTML(
            "<h3>Notes of your meetings</h3>"
            + notes_html(view.meetings, view.actions, view.my_action_ids)
        )
        self.feedback_meeting = _dropdown(
            "Meeting", [(f"{long_date(m.date)}: {m.theme}", m.meeting_id) for m in view.meetings]
        )
        self.useful = _dropdown("How useful was it? (1 to 5)", [str(n) for n in range(1, 6)])
        self.useful.value = "4"
        self.differently = w.Textarea(
            description="What will you do differently?", style=LABEL_STYLE, layout=WIDE
        )
        self.contacts = _text("New contacts made", "0")
        send = _button("Send feedback")
        send.on_click(_guarded(self.feedback, self._send_feedback))
        self.fig_year = _text("Year", "e.g. 2025")
        self.fig_people = _text("People supported that year")
        self.fig_outcomes = _text("Job outcomes that year")
        share = _button("Save my figures")
        share.on_click(_guarded(self.feedback, self._share_figures))
        parts: list[w.Widget] = [
            header,
            w.HTML(
                "<h3>Rate the candidate issues</h3><p>1 means not a priority for you, 5 a top priority.</p>"
            ),
            *(box for _, box in self.rating_boxes),
            w.HBox([save]),
            meetings,
        ]
        if view.meetings:
            parts += [
                w.HTML("<h3>Feedback on a meeting</h3>"),
                self.feedback_meeting,
                self.useful,
                self.differently,
                self.contacts,
                w.HBox([send]),
            ]
        parts += [
            w.HTML(
                "<h3>Your figures over time</h3><p>Add your service's figures year by year. "
                "Only totals over several members reach the network; your own figures stay "
                "with you and your facilitator.</p>"
            ),
            self.fig_year,
            self.fig_people,
            self.fig_outcomes,
            w.HBox([share]),
            w.HTML(figures_html(view.figures)),
        ]
        return parts

    def _share_figures(self) -> str:
        self.service.share_figures(
            self._token, self.fig_year.value, self.fig_people.value, self.fig_outcomes.value
        )
        self.refresh()
        return "Figures saved."

    def _save_ratings(self) -> str:
        saved = 0
        for issue_id, box in self.rating_boxes:
            if box.value:
                self.service.rate_as_member(self._token, issue_id, box.value)
                saved += 1
        return f"Saved {saved} rating(s). Thank you."

    def _send_feedback(self) -> str:
        self.service.give_feedback(
            self._token,
            self.feedback_meeting.value,
            self.useful.value,
            self.differently.value,
            self.contacts.value or "0",
        )
        self.differently.value = ""
        return "Feedback sent. Thank you."


def build_app(store: Any, query: str | None = None) -> Any:
    """The page: a member's view for ``?member=TOKEN``, else the facilitator's."""
    service = ProgrammeService(store)
    token = member_token(query)
    if token:
        return MemberPanel(service, token)
    return FacilitatorView(service)
