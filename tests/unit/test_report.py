"""The board report: self-contained HTML, escaped user text, figures read from data/, CLI."""

from __future__ import annotations

import re
import shutil
import sys
from datetime import date
from html.parser import HTMLParser

import pytest

from toolkit.cli.main import main
from toolkit.content import caveats
from toolkit.content.paths import data_dir
from toolkit.domain import bands
from toolkit.domain.bands import BandSet, load_bands, read_rows
from toolkit.domain.invest import what_if
from toolkit.domain.measures import measure_service
from toolkit.domain.record import parse_service
from toolkit.domain.results import service_result
from toolkit.present.formatting import money
from toolkit.present.report import render_report, report_charts

NASTY = "<script>alert(1)</script>"
SERVICES = [
    {
        "name": f"{NASTY} & \"Quotes\" 'IPS'",
        "total_cost": 150000,
        "people_supported": 120,
        "new_jobs": 30,
        "jobs_retained": 18,
        "self_employed": 2,
        "client_group": "mental_health",
        "year": "2012/13",
        "support_model": "<img src=x onerror=alert(2)>",
    },
    {
        "name": '=HYPERLINK("http://example.invalid","x")',
        "total_cost": 400000,
        "people_supported": 60,
        "new_jobs": 3,
        "jobs_retained": 1,
    },
    {"name": "No jobs yet", "total_cost": 50000, "people_supported": 20, "new_jobs": 0},
]
SERVICES[2]["jobs_retained"] = 0


def results(services=SERVICES, band_sets=None):
    records = [parse_service(s) for s in services]
    return [
        service_result(r) if band_sets is None else service_result(r, band_sets) for r in records
    ]


FAKE_CHARTS = [
    (
        "Chart <one>",
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" '
        'height="10"/></svg>',
        f"Summary naming {NASTY}.",
    )
]


@pytest.fixture(scope="module")
def page() -> str:
    return render_report(results(), charts=FAKE_CHARTS, generated=date(2026, 1, 5))


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parsed(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    return collector


def test_page_is_self_contained_with_no_scripts_or_external_references(page):
    doc = parsed(page)
    tags = [tag for tag, _ in doc.tags]
    assert "script" not in tags and "link" not in tags and "iframe" not in tags
    assert "<script" not in page.lower()
    for tag, attrs in doc.tags:
        for name in ("src", "href"):
            value = attrs.get(name)
            if value is not None:
                assert value.startswith(("data:image/svg+xml;base64,", "#")), (tag, value)
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
    assert "url(" not in page and "@import" not in page and "@font-face" not in page
    assert "default-src 'none'" in page


def test_user_text_is_escaped_everywhere(page):
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;Quotes&#34; &#39;IPS&#39;" in page
    assert "&lt;img src=x onerror=alert(2)&gt;" in page
    text = "".join(parsed(page).text)
    assert f"{NASTY} & \"Quotes\" 'IPS'" in text  # shown as the literal characters
    assert "Summary naming &lt;script&gt;" in page
    assert "Chart &lt;one&gt;" in page
    titled = render_report(results()[:1], charts=[], title=f"Board {NASTY}")
    assert "<title>Board &lt;script&gt;" in titled and NASTY not in titled


def test_prints_to_a4_with_page_break_rules(page):
    assert re.search(r"@page\s*{[^}]*size:\s*A4", page)
    assert "margin:" in page
    assert "break-inside: avoid" in page and "break-before: page" in page
    assert "display: table-header-group" in page


def test_sections_definitions_and_judgements(page):
    text = " ".join("".join(parsed(page).text).split())
    for heading in (
        "At a glance",
        "What was measured and how",
        "Each service against the bands",
        "Charts",
        "What the money buys",
        "Caveats",
        "Sources",
    ):
        assert heading in text
    assert "Cost per person supported" in text and "no better direction" in text
    assert "A person supported who gained a new paid job" in text  # what a job outcome is
    one = results()[0]
    for comparison in one.comparisons:
        squashed = " ".join(comparison.text.split())
        assert squashed in text
    assert "Compared with evidence-based services" in text
    assert "Compared with all services in the study" in text
    assert "All services together (pooled from totals)" in text
    assert "Prepared on 5 January 2026" in text


def test_caveats_n_and_outliers_come_from_the_data_files(page):
    text = " ".join("".join(parsed(page).text).split())
    for caveat in caveats.load_caveats():
        assert " ".join(caveat.text.split()) in text
    assert "70 employment support services in 43 local authority areas" in text
    assert "2011/12 or 2012/13" in text and "collected in 2013" in text
    n_cells = re.findall(r'<td class="num">(\d+)</td>\s*<td class="note">Table 8', page)
    assert sorted(map(int, n_cells)) == sorted(band.services for band in load_bands().values())
    examples = {row["example_id"]: row for row in read_rows(data_dir() / "section7_examples.csv")}
    for example_id in ("supported_workshop", "industrial_therapy_unit"):
        assert money(float(examples[example_id]["value_low"])) in text
        assert examples[example_id]["description"] in text
    assert "£10,900" in text and "£57,640" in text


def test_sources_are_read_from_the_csv_source_columns(page):
    text = " ".join("".join(parsed(page).text).split())
    for band in load_bands().values():
        assert band.source_document in text and band.source_table in text
    assert "The Cost Effectiveness of Employment Support for People with Disabilities" in text


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A copy of data/ that the toolkit reads instead (caches cleared before and after)."""
    folder = tmp_path / "data"
    shutil.copytree(data_dir(), folder)
    monkeypatch.setenv("TOOLKIT_DATA_DIR", str(folder))
    bands.load_bands.cache_clear()
    caveats.load_caveats.cache_clear()
    yield folder
    monkeypatch.undo()
    bands.load_bands.cache_clear()
    caveats.load_caveats.cache_clear()


def test_figures_follow_the_data_files_not_the_code(data_copy):
    examples = data_copy / "section7_examples.csv"
    examples.write_text(examples.read_text().replace(",10900,", ",12345,"), encoding="utf-8")
    band_file = data_copy / "bands.csv"
    band_file.write_text(band_file.read_text().replace(",4024,4908,13,", ",4024,4908,14,"))
    html = render_report(results()[:1], charts=[])
    assert '<td class="num">£12,345</td>' in html
    assert '<td class="num">£10,900</td>' not in html
    assert re.search(r'<td class="num">14</td>\s*<td class="note">Table 8', html)


def test_charts_section_embeds_svg_as_data_images_with_text(page):
    doc = parsed(page)
    images = [attrs for tag, attrs in doc.tags if tag == "img"]
    assert len(images) == 1
    assert images[0]["src"].startswith("data:image/svg+xml;base64,")
    assert images[0]["alt"].startswith("Chart <one>. Summary naming <script>")
    assert "In words:" in page
    empty = render_report(results()[:1], charts=[])
    assert "No charts are included" in empty


def test_report_charts_is_empty_when_the_chart_module_is_missing(monkeypatch):
    monkeypatch.setitem(sys.modules, "toolkit.charts.specs", None)
    assert report_charts(results()) == []
    assert report_charts([]) == []


def test_report_charts_renders_each_chart_with_a_summary():
    items = report_charts(results()[:2])
    assert len(items) >= 1
    for title, svg, summary in items:
        assert title and summary
        assert svg.lstrip().startswith("<svg")


def test_what_if_own_budget_given_budget_and_whatif_object():
    rs = results()
    own = render_report(rs, charts=[])
    assert "its own budget of £150,000" in own
    assert "At the evidence-based average of £2,818 per job outcome" in own
    assert "not meaningful" in own  # all-sites low band (£0) and the service with no jobs
    budget = render_report(rs, what_if=1_000_000, charts=[])
    assert "a budget of £1,000,000" in budget
    measures = measure_service(parse_service(SERVICES[0]))
    given = render_report(rs[:1], what_if=what_if(250000, measures), charts=[])
    assert "A budget of £250,000" in given


def test_empty_results_and_one_band_set():
    html = render_report([], charts=[])
    assert "No services were given" in html
    one = render_report(results(band_sets=[BandSet.all_sites]), charts=[])
    assert "Compared with all services in the study" in one
    assert "Compared with evidence-based services" not in one
    assert "judged against the average for all services in the study" in one


def test_cli_report_writes_the_page(tmp_path, capsys):
    source = tmp_path / "services.csv"
    source.write_text(
        "Service name,Total cost,People supported,New jobs,Retained a job\n"
        f'"{NASTY}",150000,120,30,18\n'
        "Bad,x,10,1,1\n",
        encoding="utf-8",
    )
    out = tmp_path / "report.html"
    code = main(
        ["report", "--file", str(source), "--out", str(out), "--no-charts", "--title", "Board"]
    )
    assert code == 2  # one bad row, but the good one is reported
    captured = capsys.readouterr()
    assert "row 3, column 'Total cost'" in captured.err
    html = out.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script" not in html
    assert "<title>Board</title>" in html
    good = tmp_path / "good.csv"
    good.write_text(source.read_text().rsplit("Bad", 1)[0], encoding="utf-8")
    assert main(["report", "--file", str(good), "--out", str(out), "--budget", "£500,000"]) == 0
    assert "a budget of £500,000" in out.read_text(encoding="utf-8")
    assert main(["report", "--file", str(good), "--out", str(tmp_path / "r.pdf")]) == 2
    assert main(["report", "--file", str(good), "--out", str(out), "--budget", "lots"]) == 2
