"""Turning the curve with a population indicator the user supplies, beside the service ones."""

from __future__ import annotations

import base64
import re

import pytest

from tests.unit.test_ui_self_benchmark import MemoryStore
from toolkit.present.workbook_export import worksheet_html
from toolkit.ui.turning_the_curve import TurningTheCurveApp
from toolkit.worksheets.turning_the_curve import analyse, load_worksheet, parse_value

BENEFITS = "2020, 9,700\n2021, 9,600\n2022, 9,500"


def test_the_worksheet_offers_population_indicators_beside_the_service_ones():
    sheet = load_worksheet()
    kinds = [option.value for option in sheet.field("indicator_kind").options]
    assert kinds == ["rate", "count", "population_share", "population_count"]
    better = [option.value for option in sheet.field("indicator_better").options]
    assert better == ["higher", "lower"]
    step = next(step for step in sheet.steps if step.id == "indicators")
    assert any(point.source.source_id == "idea-wigan-2008" for point in step.evidence)


def test_a_count_of_people_where_lower_is_better():
    result = analyse(
        "People on out-of-work benefits", "population_count", BENEFITS, "8,200", "2026", "lower"
    )
    text = " ".join(result.sentences())
    assert result.band is None  # the study's bands are for services, not populations
    assert "falls by about 100 people a year" in text
    assert "Your target is 8,200 by 2026: 900 people below the trend line" in text
    assert "the gap the plan has to close" in text
    assert "a lower figure is better" in text
    assert "population indicator" in text


def test_a_higher_is_better_target_below_the_trend_is_not_called_a_gap_to_close():
    result = analyse("People", "population_count", BENEFITS, "8,200", "2026", "higher")
    assert "gap the plan has to close" not in " ".join(result.sentences())


def test_a_share_of_residents_is_read_as_a_percentage_without_a_band():
    result = analyse(
        "Adults with a learning disability known to social care in paid work",
        "population_share",
        "2021, 5.5%\n2022, 6\n2023, 6.5",
    )
    assert [p.value for p in result.baseline.points] == pytest.approx([0.055, 0.06, 0.065])
    assert result.band is None
    assert "6.5% in 2023" in " ".join(result.sentences())


@pytest.mark.parametrize(
    ("text", "kind", "message"),
    [
        ("twelve", "population_count", "as a number of people"),
        ("12.5", "population_count", "a number of people must be a whole number"),
        ("120", "population_share", "a percentage cannot be more than 100%"),
    ],
)
def test_population_figures_that_cannot_be_read_say_what_is_expected(text, kind, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_value(text, kind)


def test_the_app_draws_a_population_indicator_with_its_own_axis_and_words():
    app = TurningTheCurveApp(store=MemoryStore())
    app.fields["indicator_kind"].value = "population_count"
    app.fields["indicator_better"].value = "lower"
    app.set_values(
        {
            "indicator_name": "People on out-of-work benefits",
            "baseline": BENEFITS,
            "target_value": "8,200",
            "target_year": "2026",
        }
    )
    assert "a lower figure is better" in app.sentences.value
    app._charts_later.flush()
    svg = base64.b64decode(
        re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', app.chart_box.value).group(1)
    ).decode()
    assert "People in the area" in svg
    assert "Job outcomes in the year" not in svg
    exported = worksheet_html(
        load_worksheet(), app.entries.fields, app.entries.actions, app.analysis
    )
    assert "population indicator: a number of people in the area" in exported
