"""The self-benchmark app's glue, driven as a user would, without a browser."""

import secrets

import pytest

from toolkit.ui.request import resume_id
from toolkit.ui.self_benchmark import APP, SelfBenchmarkApp

GOOD = {
    "name": "Fictional IPS service",
    "total_cost": "£150,000",
    "people_supported": "120",
    "new_jobs": "30",
    "jobs_retained": "18",
    "self_employed": "2",
}


class MemoryStore:
    def __init__(self):
        self.saved = {}

    def new_token(self):
        return secrets.token_urlsafe(32)

    def save_state(self, app, token, state):
        self.saved[(app, token)] = state

    def load_state(self, app, token):
        return self.saved.get((app, token))


@pytest.fixture
def app():
    return SelfBenchmarkApp(store=MemoryStore())


def visible_text(app):
    return " ".join(
        [app.status.value, app.key_figures.value, app.comparisons.value, app.what_if.value]
        + [e.value for e in app.errors.values()]
    )


def test_typing_a_good_service_shows_judgements(app):
    app.set_values(GOOD)
    text = visible_text(app)
    assert "Up to date" in text
    assert "£1,250" in text and "£3,000" in text and "41.7%" in text
    assert "similar to the average for evidence-based services" in text
    app._charts_later.flush()
    assert "<img" in app.charts_box.value
    assert 'alt="Where the service sits' in app.charts_box.value


def test_bad_field_shows_error_keeps_typing_and_marks_results_stale(app):
    app.set_values(GOOD)
    app.fields["total_cost"].value = "-5"
    assert "cannot be negative" in app.errors["total_cost"].value
    assert "Total annual cost (£)" in app.errors["total_cost"].value
    assert "Out of date" in app.status.value
    assert "£3,000" in app.key_figures.value  # last good results stay
    assert app.current["total_cost"] == "-5"  # nothing typed is lost
    assert app.fields["people_supported"].value == "120"


def test_never_shows_nan_inf_or_none(app):
    app.set_values({**GOOD, "new_jobs": "0", "jobs_retained": "0", "self_employed": "0"})
    app._charts_later.flush()
    text = visible_text(app) + app.charts_box.value
    for bad in ("nan", "inf", "None", "Traceback"):
        assert bad not in text.replace("Infinity", "")
    assert "not defined" in app.key_figures.value


def test_resume_round_trip():
    store = MemoryStore()
    first = SelfBenchmarkApp(store=store)
    first.set_values({**GOOD, "total_cost": "oops"})
    token = first.token
    assert token and (APP, token) in store.saved
    assert token in first.resume.value
    again = SelfBenchmarkApp(store=store, token=token)
    assert again.fields["total_cost"].value == "oops"
    assert again.fields["name"].value == GOOD["name"]
    assert "restored" in again.notice.value


def test_app_built_before_the_request_then_opened_restores_everything():
    """Under kernel preheating the form is built first and the link's id opened later."""
    store = MemoryStore()
    first = SelfBenchmarkApp(store=store)
    first.set_values(GOOD)
    first.band_choice.value = "all_sites"
    first.budget.value = "£500,000"
    first.add_service()
    first.set_values({**GOOD, "name": "Second fictional service", "people_supported": "60"})

    waiting = SelfBenchmarkApp(store=store)  # built before anyone asks for the page
    assert waiting.token is None and len(store.saved) == 1  # building saves nothing
    waiting.open(first.token)
    assert waiting.fields["name"].value == "Second fictional service"
    assert waiting.fields["people_supported"].value == "60"
    assert waiting.band_choice.value == "all_sites"
    assert waiting.budget.value == "£500,000"
    assert [label for label, _ in waiting.service_picker.options] == [
        "1. Fictional IPS service",
        "2. Second fictional service",
    ]
    assert "restored" in waiting.notice.value
    assert first.token in waiting.resume.value
    assert "Up to date" in waiting.status.value
    assert store.saved[(APP, first.token)] == first.state  # opening changes nothing saved


def test_the_app_does_not_load_altair_in_the_kernel():
    """Charts are built by the shared chart process: Altair would add about 40 MB per kernel."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from toolkit.ui.self_benchmark import SelfBenchmarkApp\n"
        "SelfBenchmarkApp(store=None)\n"
        "print(sorted(m for m in ('altair', 'pandas', 'vl_convert', 'alembic') if m in sys.modules))\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"


def test_unknown_resume_id_opens_blank_and_says_so():
    app = SelfBenchmarkApp(store=MemoryStore(), token="x" * 43)
    assert app.fields["name"].value == ""
    assert "not recognised" in app.notice.value


def test_several_services_pooled_from_totals(app):
    app.set_values(GOOD)
    app.add_service()
    assert app.fields["name"].value == ""
    app.set_values(
        {
            "name": "Fictional LD supported employment",
            "total_cost": "220000",
            "people_supported": "80",
            "new_jobs": "10",
            "jobs_retained": "12",
        }
    )
    table = app.services_table.value
    assert "pooled from totals" in table
    # (150,000 + 220,000) / (50 + 22) = £5,139
    assert "£5,139" in table
    app.remove_service()
    assert app.services_table.value == ""
    assert len(app.state["services"]) == 1


def test_what_if_budget(app):
    app.set_values(GOOD)
    app.budget.value = "500,000"
    assert "about 177 job outcomes" in app.what_if.value
    app.budget.value = "lots"
    assert "could not read &#39;lots&#39;" in app.budget_error.value


@pytest.mark.parametrize(
    ("query", "expected"),
    [("id=" + "a" * 43, "a" * 43), ("", None), ("id=<script>", None), ("other=1", None)],
)
def test_resume_id_parsing(query, expected):
    assert resume_id(query) == expected


def test_upload_adds_good_rows_and_reports_bad_cells(app):
    csv = (
        "Service name,Total annual cost (£),People supported,Gained a new job,Retained a job\n"
        'Fictional A,"£100,000",50,10,5\n'
        "Fictional B,lots,40,5,5\n"
        "Fictional C,80000,30,6,3\n"
    ).encode()
    filename, problems, notes, added = app.import_file("services.csv", csv)
    assert added == 2
    assert any("row 3" in p and "Total annual cost" in p for p in problems)
    assert [s["name"] for s in app.state["services"]] == ["Fictional A", "Fictional C"]
    assert "pooled from totals" in app.services_table.value


def test_upload_refuses_a_file_that_is_too_big(app):
    _, problems, _, added = app.import_file("big.csv", b"x" * 3_000_000)
    assert added == 0 and "most this app takes" in problems[0]


def test_downloads_offer_csv_excel_report_and_template(app):
    app.set_values(GOOD)
    app._charts_later.flush()
    app.prepare_downloads()
    links = app.downloads.value + app.file_links.value
    for name in (
        "employment-support-results.csv",
        "employment-support-results.xlsx",
        "employment-support-report.html",
        "data-request-template.xlsx",
        "bands.svg",
    ):
        assert f'download="{name}"' in links


def test_a_failed_save_is_reported_and_nothing_typed_is_lost():
    from toolkit.network.store import StoreError

    class BrokenStore(MemoryStore):
        def save_state(self, app, token, state):
            raise StoreError("the database is not answering")

    store = BrokenStore()
    app = SelfBenchmarkApp(store=store)
    app.set_values(GOOD)
    assert "could not be saved just now" in app.notice.value
    assert app.fields["total_cost"].value == GOOD["total_cost"]
    assert "£3,000" in app.key_figures.value

    store.save_state = lambda app_name, token, state: MemoryStore.save_state(
        store, app_name, token, state
    )  # the database answers again
    app.fields["people_supported"].value = "121"
    assert app.notice.value == ""  # the problem is gone once a save works
    assert store.saved[(APP, app.token)]["services"][0]["people_supported"] == "121"
