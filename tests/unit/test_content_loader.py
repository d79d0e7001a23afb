"""The content loader: where data/ and workbook/ are read from, its one error style, and that a
fault in them is reported as a configuration fault, never against a user's field."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

from toolkit.content import rules as rules_module
from toolkit.content.caveats import load_caveats
from toolkit.content.loader import ContentError, DataFileError
from toolkit.content.paths import data_dir, workbook_dir
from toolkit.content.rules import RulesFileError, load_rules
from toolkit.domain.bands import load_averages, load_bands
from toolkit.domain.record import ServiceRecordError, parse_service

ROOT = Path(__file__).resolve().parents[2]
GOOD_SERVICE = {
    "name": "Fictional example service",
    "total_cost": "100000",
    "people_supported": "50",
    "new_jobs": "10",
    "jobs_retained": "5",
}


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(ROOT / "data", folder)
    return folder


def _replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_folders_are_the_installed_packages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TOOLKIT_DATA_DIR", raising=False)
    monkeypatch.delenv("TOOLKIT_WORKBOOK_DIR", raising=False)
    assert data_dir() == Path(str(resources.files("toolkit.data")))
    assert workbook_dir() == Path(str(resources.files("toolkit.workbook_content")))
    # In this (editable) install the packages are the repository's own folders.
    assert data_dir().resolve() == (ROOT / "data").resolve()
    assert workbook_dir().resolve() == (ROOT / "workbook").resolve()
    assert (data_dir() / "rules.yaml").is_file()
    assert (workbook_dir() / "scales.yaml").is_file()


def test_environment_variables_override(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TOOLKIT_DATA_DIR", str(tmp_path / "d"))
    monkeypatch.setenv("TOOLKIT_WORKBOOK_DIR", str(tmp_path / "w"))
    assert data_dir() == tmp_path / "d"
    assert workbook_dir() == tmp_path / "w"


def test_content_errors_are_not_value_errors() -> None:
    # A pydantic validator turns a ValueError into a problem with the field being checked.
    assert not issubclass(ContentError, ValueError)
    assert issubclass(RulesFileError, DataFileError)
    assert issubclass(DataFileError, ContentError)


def test_missing_rules_file_names_the_file_and_the_override(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("TOOLKIT_DATA_DIR", str(tmp_path))
    with pytest.raises(RulesFileError) as caught:
        load_rules()
    message = str(caught.value)
    assert message.startswith("rules.yaml: could not be read (No such file or directory)")
    assert f"TOOLKIT_DATA_DIR is set to {tmp_path}" in message


def test_rules_key_error_names_the_key(data_copy: Path) -> None:
    _replace_in(data_copy / "rules.yaml", "max_name_length: 200", "max_name_length: -1")
    with pytest.raises(RulesFileError, match=r"^rules\.yaml, key 'validation\.max_name_length': "):
        load_rules(data_copy / "rules.yaml")


def test_a_missing_rules_file_is_not_blamed_on_the_name_field(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("TOOLKIT_DATA_DIR", str(tmp_path))
    rules_module.rules.cache_clear()
    try:
        with pytest.raises(RulesFileError) as caught:
            parse_service(GOOD_SERVICE)
    finally:
        monkeypatch.delenv("TOOLKIT_DATA_DIR")
        rules_module.rules.cache_clear()
    assert not isinstance(caught.value, ServiceRecordError)
    assert "Service name" not in str(caught.value)
    # With the rules back, the same figures are accepted.
    assert parse_service(GOOD_SERVICE).name == "Fictional example service"


def test_cli_reports_a_configuration_fault_not_a_flag(tmp_path: Path) -> None:
    env = {**os.environ, "TOOLKIT_DATA_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "toolkit", "measure", "--name", "Fictional example service",
         "--cost", "100000", "--supported", "50", "--new-jobs", "10", "--retained", "5"],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 3, done.stderr
    assert done.stdout == ""
    assert done.stderr.startswith("configuration fault (the toolkit's set-up, not your input): ")
    assert "rules.yaml: could not be read" in done.stderr
    assert "--name" not in done.stderr
    assert "Traceback" not in done.stderr


def test_band_breaking_low_mean_high_names_file_and_row(data_copy: Path) -> None:
    # Row 2 is cost_per_person / evidence_based: low 600, mean 1170, high 1739.
    _replace_in(data_copy / "bands.csv", "GBP,366,600,1170,1739", "GBP,366,1500,1170,1739")
    with pytest.raises(DataFileError) as caught:
        load_bands(data_copy)
    assert str(caught.value) == (
        "bands.csv, row 2: expected low <= mean <= high (found range_min 366, low 1500, "
        "mean 1170, high 1739, range_max 2281)"
    )


def test_band_rate_must_be_a_proportion(data_copy: Path) -> None:
    _replace_in(
        data_copy / "bands.csv", "proportion,0.00,0.13,0.38,0.63,1.00", "proportion,0,13,38,63,100"
    )
    with pytest.raises(
        DataFileError, match=r"^bands\.csv, row 7: expected proportions from 0 to 1"
    ):
        load_bands(data_copy)


def test_band_column_error_names_the_column_and_value(data_copy: Path) -> None:
    _replace_in(data_copy / "bands.csv", "GBP,366,600", "GBP,366,six hundred")
    with pytest.raises(DataFileError) as caught:
        load_bands(data_copy)
    message = str(caught.value)
    assert message.startswith("bands.csv, row 2, column 'low': ")
    assert message.endswith("(found 'six hundred')")


def test_average_proportion_over_one_is_refused(data_copy: Path) -> None:
    _replace_in(
        data_copy / "averages.csv", "support_under_7_hours,0.57,", "support_under_7_hours,57,"
    )
    with pytest.raises(DataFileError, match=r"^averages\.csv, row 5: value: expected a proportion"):
        load_averages(data_copy)


def test_caveats_error_names_the_key(data_copy: Path, tmp_path: Path) -> None:
    path = data_copy / "caveats.yaml"
    _replace_in(path, "    title:", "    heading:")
    with pytest.raises(DataFileError, match=r"^caveats\.yaml, key 'caveats\.0\.title': "):
        load_caveats(path)


def test_shipped_content_loads() -> None:
    load_rules()
    assert len(load_bands(ROOT / "data")) == 6
    assert load_averages(ROOT / "data")
    assert load_caveats(ROOT / "data" / "caveats.yaml")
