"""What the three form apps share: saving and resuming, the notice line, content errors, downloads.

The self-benchmark, commissioning-questions and turning-the-curve apps each keep what the
user typed as their ``state``. This base saves it under a private resume id as it
changes, shows the private link (which the page template also puts in the address bar,
see ``share/jupyter/voila/templates/toolkit/private_link.html.j2``), reports a failed save
without losing anything, and draws the charts once typing pauses.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib.resources import files
from typing import Any, ClassVar

import ipywidgets as w

from toolkit.ui import views
from toolkit.ui.kernel import Debouncer
from toolkit.ui.resume import open_saved, save_state

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#: Labels above their controls, wrapping, for long questions and prompts.
FORM_CSS = (
    "<style>\n"
    + files("toolkit.present").joinpath("static/form.css").read_text(encoding="utf-8")
    + "</style>\n"
)


class FormApp:
    """A form whose entries are saved under a private resume id as the user types.

    Subclasses set :attr:`APP` (the store's name for the app), :attr:`PAGE` (the notebook)
    and :attr:`SAVED_WHAT` (the word for what is restored), give a ``state`` to save, a
    ``resume`` HTML widget for the private link and a ``render_charts`` method.
    """

    APP: ClassVar[str]
    PAGE: ClassVar[str]
    SAVED_WHAT: ClassVar[str] = "entries"

    store: Any | None
    token: str | None
    resume: w.HTML
    widget: w.Widget

    def _start_form(self, store: Any | None, chart_delay: float) -> None:
        """Attributes every form app has before it builds its widgets."""
        self.store = store
        self.token = None
        self.resume_notice = ""
        self.save_problem = ""
        self._loading = False
        self._charts_later = Debouncer(chart_delay, self.render_charts)

    def render_charts(self) -> None:  # pragma: no cover - every app draws its own
        raise NotImplementedError

    @property
    def state(self) -> dict[str, Any]:  # pragma: no cover - every app has its own
        raise NotImplementedError

    def saved_state(self) -> dict[str, Any]:
        """What :meth:`save` keeps (a copy where the state is edited in place)."""
        return self.state

    # ---------- saving and resuming ----------
    def open_token(self, token: str | None) -> dict[str, Any] | None:
        """The state saved under a private resume id (None for a blank form), and the notice."""
        saved, self.token, self.resume_notice = open_saved(
            self.store, self.APP, token, self.SAVED_WHAT
        )
        return saved

    def save(self) -> None:
        """Keep what was typed under the private resume id (made on the first change)."""
        self.token, self.save_problem = save_state(
            self.store, self.APP, self.token, self.saved_state()
        )
        if self.token and not self.save_problem:
            self.resume.value = self.resume_html()
        self.after_save()

    def after_save(self) -> None:
        """Anything an app shows once a save is done (the notice line, by default nothing)."""

    def resume_html(self) -> str:
        """The private link (or what will happen before there is one)."""
        return views.resume_link_html(self.token, self.PAGE)

    def notice_html(self) -> str:
        """What happened to the private link, and a failed save, for the top of the page."""
        notice = (
            f"<p><strong>{views.esc(self.resume_notice)}</strong></p>" if self.resume_notice else ""
        )
        if self.save_problem:
            notice += views.error_html(self.save_problem)
        return notice

    # ---------- shared pieces of page ----------
    def _build_error(self, title: str, lead: str, problems: Iterable[str]) -> None:
        """The whole page when the app's content (questions, worksheet) cannot be loaded."""
        items = "".join(f"<li>{views.esc(problem)}</li>" for problem in problems)
        self.widget = w.VBox(
            [
                w.HTML(
                    views.CSS + f"<h1>{views.esc(title)}</h1>"
                    f'<div class="toolkit-stale"><p><strong>{views.esc(lead)}'
                    "</strong> Whoever looks after this content can put these right:</p>"
                    f"<ul>{items}</ul></div>"
                )
            ]
        )
        self.widget.add_class("toolkit-app")

    @staticmethod
    def downloads_with_note(note: str, links: list[str]) -> str:
        """Download links under a heading, after a note saying what the copies hold."""
        return (
            f'<h3>Downloads</h3><p class="toolkit-note">{views.esc(note)}</p>'
            "<ul>" + "".join(f"<li>{link}</li>" for link in links) + "</ul>"
        )
