"""The spend map app's typed entries: read into a map, problems named, round trip from a map."""

from __future__ import annotations

from tests.unit.test_spend_sheets import EXAMPLE
from toolkit.present.spend_sheets import read_spend
from toolkit.worksheets.spend_map.entries import (
    blank_entries,
    clean_entries,
    entries_from_map,
    merge_entries,
    read_entries,
    self_benchmark_state,
)
from toolkit.worksheets.spend_map.model import ProvisionLine
from toolkit.worksheets.spend_map.result import map_result


def test_blank_entries_make_an_empty_map_without_problems() -> None:
    spend_map, problems = read_entries(blank_entries())
    assert problems == [] and spend_map.lines == [] and spend_map.streams == []


def test_problems_name_the_line_and_field_and_keep_the_rest() -> None:
    entries = blank_entries()
    entries["year"] = "soon"
    entries["lines"] = [
        {"provider": "A", "funding_stream": "health", "support_type": "volunteering",
         "client_group": "combined", "annual_spend": "100", "people_supported": "",
         "job_outcomes": ""},
        {"provider": "", "funding_stream": "health", "support_type": "volunteering",
         "client_group": "combined", "annual_spend": "-3", "people_supported": "",
         "job_outcomes": ""},
    ]
    entries["streams"][0]["this"] = "lots"
    entries["organisations"]["NHS trust"] = "70"
    entries["organisations"]["private sector"] = "50"
    entries["factor_ranks"]["other"] = "2"
    entries["factor_ranks"]["national policy and evidence"] = "2"
    spend_map, problems = read_entries(entries)
    assert [line.provider for line in spend_map.lines] == ["A"]
    assert any(p.startswith("Year:") for p in problems)
    assert "Line 2, provider: fill this in" in problems
    assert any(p.startswith("Line 2, annual spend (£): cannot be negative") for p in problems)
    assert any(p.startswith("Budget stream 'social care', this year:") for p in problems)
    assert any("add to 120%" in p for p in problems)
    assert any("rank 2 is given twice" in p for p in problems)


def test_entries_round_trip_through_a_map() -> None:
    spend_map = read_spend(EXAMPLE, year="2025-26").spend_map
    again, problems = read_entries(clean_entries(entries_from_map(spend_map)))
    assert problems == []
    assert again.lines == spend_map.lines
    assert map_result(again)["total"] == map_result(spend_map)["total"]
    assert again.example is True


def test_self_benchmark_state_carries_the_figures() -> None:
    line = ProvisionLine(provider="P", funding_stream="health", support_type="paid work",
                         client_group="mental health", annual_spend=1500.5, people_supported=10,
                         job_outcomes=3)
    service = self_benchmark_state(line, "2025-26")["services"][0]
    assert (service["total_cost"], service["people_supported"], service["new_jobs"]) == (
        "1500.5", "10", "3")
    assert service["name"].startswith("P (support into paid work")


def test_merging_a_file_keeps_what_was_typed() -> None:
    current = blank_entries()
    current["area"] = "Typed area"
    current["year"] = "2024-25"
    current["lines"][0]["provider"] = "Typed provider"
    current["organisations"]["NHS trust"] = "30"
    incoming = entries_from_map(read_spend(EXAMPLE, year="2025-26").spend_map)
    merged = merge_entries(current, incoming)
    assert merged["area"] == "Typed area" and merged["year"] == "2025-26"
    assert merged["lines"][0]["provider"] == "Typed provider"
    assert len(merged["lines"]) == 9
    assert merged["organisations"]["NHS trust"] == "30"
