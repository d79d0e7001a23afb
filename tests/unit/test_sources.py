"""The register of sources, and no repository file name in anything a user reads."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook as open_xlsx

from toolkit.content.caveats import load_caveats
from toolkit.content.sources import cite, file_names_in, full_citation, load_sources, source_id
from toolkit.domain.bands import BandSet, band_for
from toolkit.domain.record import parse_service
from toolkit.domain.results import service_result
from toolkit.present.report import render_report
from toolkit.present.spreadsheets import export_bytes, template_csv, template_xlsx
from toolkit.present.workbook_export import workbook_html, workbook_xlsx
from toolkit.worksheets.commissioning_questions import load_workbook

SERVICES = [
    {
        "name": "Fictional service A",
        "total_cost": 300_000,
        "people_supported": 200,
        "new_jobs": 50,
        "jobs_retained": 30,
        "year": "2024-25",
        "support_under_7_hours": 120,
        "support_7_to_40_hours": 60,
        "support_over_40_hours": 20,
    },
    {
        "name": "Fictional service B",
        "total_cost": 90_000,
        "people_supported": 40,
        "new_jobs": 4,
        "jobs_retained": 2,
    },
]


def _results() -> list[dict]:
    return [service_result(parse_service(values)) for values in SERVICES]


def test_every_entry_has_a_full_citation() -> None:
    for entry in load_sources().values():
        assert entry.title and entry.publisher and (entry.authors or entry.body)
        assert entry.year or entry.id == "toolkit-method"
        assert entry.title in entry.citation


def test_file_names_and_ids_lead_to_the_same_entry() -> None:
    assert source_id("004_640ee75b42369762.txt") == "ndti-2014"
    assert source_id("ndti-2014") == "ndti-2014"
    assert source_id("no-such-thing") is None


def test_a_citation_gives_title_place_and_pages() -> None:
    text = cite("ndti-2014", "Table 8")
    assert text.startswith("NDTi (2014), The Cost Effectiveness of Employment Support")
    assert text.endswith("Table 8 (pages 36-54)")
    assert "Greig R" in full_citation("ndti-2014")


def test_an_unregistered_file_name_is_never_shown() -> None:
    assert cite("999_0123456789abcdef.txt", "Section 2") == "Section 2"


def test_band_and_caveat_sources_cite_the_register() -> None:
    band = band_for("cost_per_job_outcome", BandSet.evidence_based)
    assert band.source.startswith("NDTi (2014)")
    for caveat in load_caveats():
        assert not file_names_in(f"{caveat.source.document} {caveat.source.section}")
        assert caveat.source.source_id in load_sources()


def _cells(data: bytes) -> str:
    book = open_xlsx(io.BytesIO(data))
    parts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    parts.append(str(cell.value))
                if cell.comment is not None:
                    parts.append(cell.comment.text)
    return "\n".join(parts)


def test_report_cites_the_register_and_shows_no_file_name() -> None:
    page = render_report(_results(), charts=[])
    assert file_names_in(page) == []
    assert "seed" not in page.lower()
    assert "Greig R, Chapman P" in page
    assert "Office for National Statistics" in page
    assert "bands in 2024-25 prices (GDP deflator, ONS release June 2025, \u00d71.39)" in page


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_show_no_file_name_and_state_the_prices(fmt: str) -> None:
    data = export_bytes(_results(), fmt)
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        text = "\n".join(",".join(row) for row in rows)
        header = rows[0]
        column = header.index("Prices the bands are in")
        assert rows[1][column].startswith("bands in 2024-25 prices")
        assert rows[2][column].startswith("bands in the study's own prices")
    else:
        text = _cells(data)
    assert file_names_in(text) == []
    assert "seed" not in text.lower()


def test_template_shows_no_file_name() -> None:
    for text in (template_csv().decode("utf-8-sig"), _cells(template_xlsx())):
        assert file_names_in(text) == []
        assert "seed" not in text.lower()


def test_workbook_exports_show_no_file_name() -> None:
    workbook = load_workbook()
    for text in (workbook_html(workbook, {}), _cells(workbook_xlsx(workbook, {}))):
        assert file_names_in(text) == []
        assert "seed 0" not in text.lower()
