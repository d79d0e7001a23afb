"""The vocabulary and the data request are read from data/ and checked on load."""

import pytest
import yaml

from toolkit.content.data_request import load_data_request
from toolkit.content.errors import DataFileError
from toolkit.content.paths import data_dir
from toolkit.content.vocabulary import load_vocabulary
from toolkit.domain.record import FIELD_LABELS
from toolkit.present.spreadsheets import COLUMN_NOTES, HEADER_INDEX
from toolkit.present.vocabulary import judgement_badge, position_label


def test_the_shipped_vocabulary_gives_the_words_the_apps_show():
    assert position_label("within") == "Within the range"
    assert position_label(None) == "Cannot be placed"
    badge = judgement_badge("no_judgement")
    assert (badge.symbol, badge.word, badge.css) == ("\u2013", "Not judged", "nojudge")


def test_a_vocabulary_missing_a_word_names_the_file_and_the_key(tmp_path):
    words = yaml.safe_load((data_dir() / "vocabulary.yaml").read_text(encoding="utf-8"))
    del words["positions"]["within"]
    path = tmp_path / "vocabulary.yaml"
    path.write_text(yaml.safe_dump(words), encoding="utf-8")
    with pytest.raises(DataFileError, match=r"vocabulary.yaml.*positions: no words for within"):
        load_vocabulary(path)


def test_the_data_request_covers_every_field_and_its_headers():
    assert set(COLUMN_NOTES) == set(FIELD_LABELS)
    assert HEADER_INDEX["gainednewjob"] == "new_jobs"
    assert "Learning disability, Mental health" in COLUMN_NOTES["client_group"].what


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["columns"].pop("year"), "missing \\['year'\\]"),
        (
            lambda d: d["columns"]["year"]["other_headers"].append("Cost"),
            "header 'Cost' is listed for two fields",
        ),
        (lambda d: d["ambiguous_headers"].update({"Year": ["year"]}), "both ambiguous"),
    ],
)
def test_a_faulty_data_request_is_a_configuration_error_naming_the_file(tmp_path, change, message):
    request = yaml.safe_load((data_dir() / "data_request.yaml").read_text(encoding="utf-8"))
    change(request)
    path = tmp_path / "data_request.yaml"
    path.write_text(yaml.safe_dump(request), encoding="utf-8")
    with pytest.raises(DataFileError, match=f"data_request.yaml.*{message}"):
        load_data_request(path)
