"""The spend map app's glue: typing lines, results, saving and resuming, links, uploads."""

from __future__ import annotations

import pytest

from toolkit.network.store import Store
from toolkit.present.spend_sheets import template_xlsx
from toolkit.ui.spend_map import APP, SpendMapApp


@pytest.fixture
def store(tmp_path):
    return Store(f"sqlite:///{tmp_path / 'store.db'}")


@pytest.fixture(autouse=True)
def draw_here(monkeypatch):
    monkeypatch.setenv("TOOLKIT_RENDER_IN_PROCESS", "1")


def fill(app: SpendMapApp) -> None:
    app.fields["year"].value = "2025-26"
    app.set_line(0, provider="Brightwater (fictional)", funding_stream="social care",
                 support_type="support into paid work", client_group="mental health",
                 annual_spend="£30,000", people_supported="20", job_outcomes="5")
    app.set_line(1, provider="Millbank (fictional)", funding_stream="health",
                 support_type="work preparation in day services",
                 client_group="learning disability", annual_spend="70000")


def test_typing_lines_shows_share_gap_and_chart(store) -> None:
    app = SpendMapApp(store=store)
    fill(app)
    assert app.result["share_paid_work"] == pytest.approx(0.3)
    assert "Share of spend on support into paid work: 30%" in app.findings.value
    assert "(the study: 32%" in app.findings.value
    assert "Gap: Support into paid work (minimum wage or more) for learning disability" in (
        app.gaps_box.value)
    app.flush()
    assert "img" in app.chart_box.value and "Mix of spend" in app.chart_box.value
    assert "spend-map-summary.html" in app.downloads.value


def test_bad_entry_is_kept_and_named(store) -> None:
    app = SpendMapApp(store=store)
    app.set_line(0, provider="X", funding_stream="health", support_type="volunteering",
                 client_group="combined", annual_spend="lots")
    assert app.entries["lines"][0]["annual_spend"] == "lots"
    assert "Line 1, annual spend (£): could not read &#x27;lots&#x27;" in app.problems_box.value


def test_saved_and_resumed(store) -> None:
    app = SpendMapApp(store=store)
    fill(app)
    app.org_fields["NHS trust"].value = "40"
    again = SpendMapApp(store=store, token=app.token)
    assert again.entries["lines"][1]["annual_spend"] == "70000"
    assert again.line_fields[1]["support_type"].value == "work preparation in day services"
    assert again.org_fields["NHS trust"].value == "40"
    assert "restored" in again.notice.value


def test_line_with_figures_opens_in_self_benchmark(store) -> None:
    app = SpendMapApp(store=store)
    fill(app)
    app.make_benchmark_links()
    assert app.benchmark_links.value.count("self_benchmark.ipynb?id=") == 1
    token = app.benchmark_links.value.split("self_benchmark.ipynb?id=")[1].split('"')[0]
    saved = store.load_state("self_benchmark", token)
    assert saved["services"][0]["total_cost"] == "30000"
    assert saved["services"][0]["people_supported"] == "20"
    assert store.load_state(APP, app.token) is not None


def test_upload_of_template_and_bad_csv(store) -> None:
    app = SpendMapApp(store=store)
    report = app.import_file("spend.xlsx", template_xlsx())
    assert "0 provision lines read" in report
    bad = b"provider,funding_stream,support_type,client_group,annual_spend\nA,health,job clubs,other,5\n"
    report = app.import_file("lines.csv", bad)
    assert "row 2, column &#39;support_type&#39;" in report or "row 2, column 'support_type'" in report
    assert app.import_file("x.pdf", b"%PDF") .startswith("<")


def test_example_is_labelled_fictional(store) -> None:
    app = SpendMapApp(store=store)
    app.load_example()
    assert app.result["example"] is True
    assert "EXAMPLE: these figures are fictional" in app.findings.value


def test_example_keeps_lines_already_typed(store) -> None:
    app = SpendMapApp(store=store)
    app.set_line(0, provider="Mine")
    app.load_example()
    assert app.entries["lines"][0]["provider"] == "Mine"
    assert len(app.entries["lines"]) == 9
