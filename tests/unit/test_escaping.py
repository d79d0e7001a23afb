"""Script and HTML typed into free-text fields come back as text, in every place not
already covered by its own module's tests: session titles and display names on the
facilitator's dashboard and in the session pack, and action-plan text in the two
workbooks' printable pages. (Service names in the report, the exports and the
self-benchmark app, and evidence notes, are tested in test_report.py,
test_spreadsheets.py, test_workbook_app.py, test_turning_the_curve.py and
tests/e2e/test_hardening.py.)
"""

from __future__ import annotations

import csv
import html as html_module
import io
import re

import openpyxl
import pytest

from toolkit.domain.record import ServiceRecord
from toolkit.network.sessions import session_pack_bytes
from toolkit.network.store import Store

PAYLOADS = [
    "<script>window.__xss=1</script>",
    '<img src=x onerror="window.__xss=1">',
    "\"><svg onload=alert(1)><a href='javascript:alert(1)'>x</a>",
]
# Formula-looking text: a spreadsheet must show it, never run it.
FORMULA = '=HYPERLINK("http://example.invalid","Click")'

# The payloads' tags; their attribute text (onerror=...) is harmless once "<" is escaped.
RAW_MARKUP = ("<script", "<img", "<svg", "<a href='javascript")


def assert_no_markup(html: str, payload: str) -> None:
    lowered = html.lower()
    for raw in RAW_MARKUP:
        if raw in payload.lower():
            assert raw not in lowered, raw
    assert payload not in html  # never verbatim: '<' is always escaped
    tag = re.search(r"<(\w+)", payload).group(1)
    assert f"&lt;{tag}" in html  # shown, as text


def shown(html: str) -> str:
    """The page's text as a reader sees it (entities decoded)."""
    return html_module.unescape(html)


@pytest.fixture
def store(tmp_path):
    opened = Store(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    yield opened
    opened.close()


def _service(name: str, people: int = 40) -> ServiceRecord:
    return ServiceRecord(
        name=name, total_cost=100_000, people_supported=people, new_jobs=10, jobs_retained=8
    )


def _summary_with(store: Store, payload: str) -> dict:
    created = store.create_session(f"Network {payload}")
    store.submit(created.code, _service("Fictional A"), payload, False, True)
    store.submit(created.code, _service(FORMULA), None, False, True)
    store.submit(created.code, _service("Fictional C"), "Fictional C", False, True)
    return store.session_summary(created.code, created.facilitator_key)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_dashboard_shows_session_titles_and_display_names_as_text(store, payload):
    from toolkit.ui import learning_network as dashboard

    summary = _summary_with(store, payload)
    heading = dashboard.heading_html(summary)
    services = dashboard.services_html(summary)
    for html in (heading, services):
        assert_no_markup(html, payload)
    assert f"Network {payload}" in shown(heading)
    assert payload in shown(services)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_session_pack_keeps_titles_and_names_as_inert_text(store, payload):
    summary = _summary_with(store, payload)
    rows = list(csv.reader(io.StringIO(session_pack_bytes(summary, "csv").decode("utf-8-sig"))))
    cells = [cell for row in rows[1:] for cell in row]
    assert f"Network {payload}" in cells  # the title as typed, not mangled
    assert payload in cells  # the display name as typed
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)
    assert "'" + FORMULA in cells

    book = openpyxl.load_workbook(io.BytesIO(session_pack_bytes(summary, "xlsx")))
    values = [cell for sheet in book for row in sheet.iter_rows() for cell in row]
    assert not any(cell.data_type == "f" for cell in values)
    texts = [cell.value for cell in values if isinstance(cell.value, str)]
    assert f"Network {payload}" in texts and payload in texts
    assert "'" + FORMULA in texts
    assert not any(text.startswith(("=", "+", "-", "@")) for text in texts)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_commissioning_questions_action_plan_is_escaped_in_the_printable_page(payload):
    from toolkit.present.workbook_export import workbook_html
    from toolkit.worksheets.commissioning_questions import Answer, load_workbook

    workbook = load_workbook()
    question = next(iter(workbook.iter_questions()))[1].id
    answer = Answer(
        question_id=question,
        value=None,
        evidence=f"Evidence {payload}",
        action_what=f"Do {payload}",
        action_who=f"Who {payload}",
    )
    page = workbook_html(workbook, {question: answer}, kept_aside=[f"Kept {payload}"])
    assert_no_markup(page, payload)
    for text in ("Evidence", "Do", "Who", "Kept"):
        assert f"{text} {payload}" in shown(page), text


@pytest.mark.parametrize("payload", PAYLOADS)
def test_turning_the_curve_fields_and_actions_are_escaped_in_the_printable_page(payload):
    from toolkit.present.workbook_export import worksheet_html
    from toolkit.worksheets.turning_the_curve import ACTION_COLUMNS, analyse, load_worksheet

    worksheet = load_worksheet()
    fields = {item.id: f"{item.id} {payload}" for _, item in worksheet.iter_fields()}
    fields.update({"baseline": "2019, 31\n2020, 29\n2021, 33", "target_value": "45"})
    fields["target_year"] = "2027"
    actions = [{column: f"{column} {payload}" for column in ACTION_COLUMNS}]
    analysis = analyse(f"Indicator {payload}", "rate", fields["baseline"], "45", "2027")
    page = worksheet_html(worksheet, fields, actions, analysis, kept_aside=[f"Kept {payload}"])
    assert_no_markup(page, payload)
    for column in ACTION_COLUMNS:
        assert f"{column} {payload}" in shown(page), column
    assert f"Kept {payload}" in shown(page)
