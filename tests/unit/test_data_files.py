"""Checks on the reference data in ``data/``: sources, numbers and documentation.

Only the standard library (csv, pathlib, re, os) and pytest are used, so these
tests run before the toolkit's own dependencies are installed.
"""

from __future__ import annotations

import csv
import os
import re
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[2] / "data"
README = DATA / "README.md"
SOURCES = DATA / "sources.yaml"
DEFLATOR = DATA / "gdp_deflator.csv"

# Columns holding numbers, per file: (always filled, may be blank).
NUMERIC_COLUMNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "bands.csv": (("range_min", "low", "mean", "high", "range_max", "services"), ()),
    "averages.csv": (("value",), ("services",)),
    "section7_examples.csv": (("value_low",), ("value_high",)),
    "ips_reference.csv": (("value_low",), ("value_high",)),
    "personal_budgets.csv": (("share", "base"), ()),
    "spend_national.csv": (("value",), ("base",)),
}
# Columns that count services or respondents, so must be whole numbers.
COUNT_COLUMNS = {"services", "base"}
LOCATION_COLUMNS = ("source_table", "source_section")

#: Files of figures copied from the study, each row with its source (the deflator series has
#: one source for the whole file, given in prices.yaml and the register).
CSV_FILES = sorted(path for path in DATA.glob("*.csv") if path != DEFLATOR)


def _register() -> dict[str, list[str]]:
    """Register ids and the repository files each covers (read with the standard library)."""
    register: dict[str, list[str]] = {}
    current = None
    for line in SOURCES.read_text(encoding="utf-8").splitlines():
        if match := re.match(r"^\s*- id: (\S+)\s*$", line):
            current = match.group(1)
            register[current] = []
        elif current and (match := re.match(r"^\s+files: \[(.*)\]\s*$", line)):
            register[current] = [name.strip() for name in match.group(1).split(",") if name.strip()]
    return register


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _header(path: Path) -> list[str]:
    with path.open(newline="", encoding="utf-8") as handle:
        return next(csv.reader(handle))


def _number(text: str, where: str) -> float:
    try:
        return float(text)
    except ValueError:
        pytest.fail(f"{where}: '{text}' is not a number")


def _by_id(paths: list[Path]) -> list:
    return [pytest.param(path, id=path.name) for path in paths]


def test_data_folder_has_the_expected_files() -> None:
    names = {path.name for path in CSV_FILES}
    expected = set(NUMERIC_COLUMNS)
    assert expected <= names, f"missing: {sorted(expected - names)}"
    assert README.is_file()


@pytest.mark.parametrize("path", _by_id(CSV_FILES))
def test_every_row_cites_the_register(path: Path) -> None:
    register = _register()
    for number, row in enumerate(_rows(path), start=2):
        document = (row.get("source_document") or "").strip()
        assert document, f"{path.name}, row {number}: source_document is blank"
        assert document in register, (
            f"{path.name}, row {number}: '{document}' is not an id in sources.yaml"
        )


def _seeds_dir() -> Path | None:
    candidates = []
    if os.environ.get("SEEDS_DIR"):
        candidates.append(Path(os.environ["SEEDS_DIR"]))
    repo = Path(__file__).resolve().parents[2]
    candidates += [repo.parent / "shared" / "seeds", Path("/work/shared/seeds")]
    return next((path for path in candidates if path.is_dir()), None)


def test_register_files_exist_when_seeds_are_available() -> None:
    seeds = _seeds_dir()
    if seeds is None:
        pytest.skip("seed folder not available (set SEEDS_DIR to check file names)")
    for source, files in _register().items():
        for name in files:
            assert (seeds / name).is_file() or (DATA / name).is_file(), (
                f"sources.yaml, {source}: {name} not found"
            )


def test_deflator_series_is_quarterly_and_positive() -> None:
    rows = _rows(DEFLATOR)
    assert rows[0]["quarter"] == "2010 Q1"
    for number, row in enumerate(rows, start=2):
        assert re.match(r"^\d{4} Q[1-4]$", row["quarter"]), f"row {number}: {row['quarter']}"
        assert _number(row["index_2022_100"], f"row {number}") > 0


@pytest.mark.parametrize("path", _by_id(CSV_FILES))
def test_every_row_says_where_in_the_source(path: Path) -> None:
    header = _header(path)
    columns = [column for column in LOCATION_COLUMNS if column in header]
    assert columns, f"{path.name}: needs a source_table or source_section column"
    assert "source_page" in header, f"{path.name}: needs a source_page column"
    for number, row in enumerate(_rows(path), start=2):
        for column in columns:
            assert row[column].strip(), f"{path.name}, row {number}: {column} is blank"


@pytest.mark.parametrize("name", sorted(NUMERIC_COLUMNS))
def test_numeric_columns_parse(name: str) -> None:
    required, optional = NUMERIC_COLUMNS[name]
    for number, row in enumerate(_rows(DATA / name), start=2):
        for column in required + optional:
            text = row[column].strip()
            where = f"{name}, row {number}, column {column}"
            if not text:
                assert column in optional, f"{where}: is blank"
                continue
            value = _number(text, where)
            assert value >= 0, f"{where}: negative"
            if column in COUNT_COLUMNS:
                assert value == int(value), f"{where}: not a whole number"


def _proportions() -> list[tuple[str, int, str, float]]:
    """Every figure stored as a proportion: (file, row, column, value)."""
    found = []
    for name, (required, optional) in NUMERIC_COLUMNS.items():
        for number, row in enumerate(_rows(DATA / name), start=2):
            is_share = name == "personal_budgets.csv" or row.get("unit") == "proportion"
            if not is_share:
                continue
            for column in required + optional:
                if column in COUNT_COLUMNS or not row[column].strip():
                    continue
                found.append((name, number, column, float(row[column])))
    return found


def test_proportions_lie_between_zero_and_one() -> None:
    proportions = _proportions()
    assert proportions
    for name, number, column, value in proportions:
        assert 0 <= value <= 1, f"{name}, row {number}, column {column}: {value} not in 0..1"


def test_ranges_run_low_to_high() -> None:
    for name in ("section7_examples.csv", "ips_reference.csv"):
        for number, row in enumerate(_rows(DATA / name), start=2):
            if row["value_high"].strip():
                assert float(row["value_low"]) <= float(row["value_high"]), (
                    f"{name}, row {number}: value_low above value_high"
                )


def test_bands_are_ordered() -> None:
    rows = _rows(DATA / "bands.csv")
    assert rows
    for number, row in enumerate(rows, start=2):
        low, mean, high = (float(row[c]) for c in ("low", "mean", "high"))
        range_min, range_max = float(row["range_min"]), float(row["range_max"])
        assert low <= mean <= high, f"bands.csv, row {number}: low/mean/high out of order"
        assert range_min <= mean <= range_max, f"bands.csv, row {number}: mean outside range"


def test_bands_has_each_measure_once_per_group() -> None:
    keys = [(row["measure"], row["bands"]) for row in _rows(DATA / "bands.csv")]
    assert len(keys) == len(set(keys))
    assert {bands for _, bands in keys} == {"evidence_based", "all_sites"}


def _averages() -> dict[tuple[str, str], float]:
    table: dict[tuple[str, str], float] = {}
    for row in _rows(DATA / "averages.csv"):
        key = (row["client_group"], row["measure"])
        assert key not in table, f"averages.csv: {key} appears twice"
        table[key] = float(row["value"])
    return table


def test_averages_use_the_known_client_groups() -> None:
    groups = {group for group, _ in _averages()}
    assert groups == {"all", "learning_disability", "mental_health"}


@pytest.mark.parametrize("group", ["all", "learning_disability", "mental_health"])
def test_job_outcome_split_adds_to_one(group: str) -> None:
    table = _averages()
    parts = ("share_new_jobs", "share_jobs_retained", "share_self_employed")
    total = sum(table[(group, part)] for part in parts)
    assert abs(total - 1) <= 0.02, f"{group}: job outcome split adds to {total:.2f}"


@pytest.mark.parametrize("group", ["all", "learning_disability", "mental_health"])
def test_support_level_split_adds_to_one(group: str) -> None:
    table = _averages()
    parts = ("support_under_7_hours", "support_7_to_40_hours", "support_over_40_hours")
    total = sum(table[(group, part)] for part in parts)
    assert abs(total - 1) <= 0.02, f"{group}: support levels add to {total:.2f}"


def test_averages_agree_with_table_8() -> None:
    """Tables 4 to 6 and Table 8 print the same all-services means."""
    table = _averages()
    bands = {(row["measure"], row["bands"]): row for row in _rows(DATA / "bands.csv")}
    for measure in ("cost_per_person", "cost_per_job_outcome", "job_outcome_rate"):
        assert table[("all", measure)] == float(bands[(measure, "all_sites")]["mean"])


@pytest.mark.parametrize("path", _by_id(CSV_FILES))
def test_every_column_is_documented(path: Path) -> None:
    readme = README.read_text(encoding="utf-8")
    assert path.name in readme, f"data/README.md does not describe {path.name}"
    for column in _header(path):
        assert f"`{column}`" in readme, (
            f"data/README.md does not document column '{column}' of {path.name}"
        )
