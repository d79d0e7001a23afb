"""The board report in headless Chromium: loads offline, prints to A4 PDF, says what it should.

The page is opened from a file with every request that is not file: or data:
blocked and counted (the count must stay zero). The PDF's text is read with
``pdftotext`` (Debian's poppler-utils) when it is installed; without it the
test still checks the page count and size of the PDF.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from toolkit.domain.record import parse_service
from toolkit.domain.results import service_result
from toolkit.present.report import render_report

pytestmark = pytest.mark.e2e

NASTY = "<script>alert(1)</script>"
SERVICES = [
    {
        "name": f"{NASTY} Northside IPS",
        "total_cost": 150000,
        "people_supported": 120,
        "new_jobs": 30,
        "jobs_retained": 18,
        "self_employed": 2,
        "client_group": "mental_health",
        "support_under_7_hours": 57,
        "support_7_to_40_hours": 39,
        "support_over_40_hours": 4,
    },
    {
        "name": "Riverside supported employment",
        "total_cost": 210500,
        "people_supported": 64,
        "new_jobs": 12,
        "jobs_retained": 3,
        "client_group": "learning_disability",
    },
    {
        "name": "Eastgate work club",
        "total_cost": 98000,
        "people_supported": 25,
        "new_jobs": 0,
        "jobs_retained": 0,
    },
]
#: Three services with charts: summary, method, services, charts, what-if, caveats, sources.
PAGES = range(5, 19)


def pdf_text(pdf: Path) -> str | None:
    if shutil.which("pdftotext") is None:
        return None
    done = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, timeout=60
    )
    return done.stdout.decode("utf-8")


def page_count(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))


@pytest.fixture(scope="module")
def report_file(tmp_path_factory) -> Path:
    results = [service_result(parse_service(service)) for service in SERVICES]
    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(render_report(results, title="Board report: employment support"), "utf-8")
    return path


def test_report_prints_to_a4_offline_with_its_text(browser, report_file, tmp_path):
    context = browser.new_context()
    page = context.new_page()
    external: list[str] = []
    dialogs: list[str] = []

    def route(route):
        url = route.request.url
        if url.startswith(("file:", "data:")):
            route.continue_()
        else:
            external.append(url)
            route.abort()

    page.route("**/*", route)
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        page.goto(report_file.as_uri(), wait_until="load")
        assert page.evaluate("document.scripts.length") == 0
        assert page.title() == "Board report: employment support"
        images = page.evaluate(
            "Array.from(document.images).map(i => [i.complete, i.naturalWidth, i.alt.length])"
        )
        assert len(images) == 3
        assert all(done and width > 0 and alt > 20 for done, width, alt in images)
        assert NASTY in page.inner_text("#services")  # shown as text, never run
        page.emulate_media(media="print")
        assert page.evaluate("getComputedStyle(document.querySelector('tr')).breakInside") == (
            "avoid"
        )
        pdf = tmp_path / "report.pdf"
        data = page.pdf(path=str(pdf), format="A4")
    finally:
        context.close()

    assert external == []
    assert dialogs == []
    assert data.startswith(b"%PDF") and len(data) > 20_000
    pages = page_count(data)
    assert pages in PAGES, pages
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)
    assert boxes
    for box in boxes:
        width, height = map(float, box)  # A4 is 595.28 x 841.89 points
        assert abs(width - 595.28) < 2 and abs(height - 841.89) < 2, box

    text = pdf_text(pdf)
    if text is None:
        pytest.skip(f"pdftotext is not installed; checked {pages} A4 pages and the PDF's size only")
    flat = " ".join(text.split())
    for expected in (
        "Board report: employment support",
        "At a glance",
        "What was measured and how",
        "Each service against the bands",
        "Riverside supported employment",
        "<script>alert(1)</script> Northside IPS",
        "What the money buys",
        "Caveats",
        "70 employment support services in 43 local authority areas",
        "£10,900",
        "£57,640",
        "Sources",
        "In words:",
        f"Page 1 of {pages}",
        f"Page {pages} of {pages}",
    ):
        assert expected in flat, expected
    assert text.count("\f") in (pages, pages - 1)
