"""Turning the curve: the worksheet content, the baseline, the trend maths, the app and exports."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import openpyxl
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from tests.unit.test_ui_self_benchmark import MemoryStore
from toolkit.charts import specs as charts
from toolkit.content.paths import workbook_dir
from toolkit.present.workbook_export import worksheet_html, worksheet_xlsx
from toolkit.ui.turning_the_curve import APP, TurningTheCurveApp
from toolkit.worksheets.commissioning_questions import WORKSHEET_FILE, WorkbookContentError
from toolkit.worksheets.turning_the_curve import (
    FORECAST_YEARS,
    REQUIRED_FIELDS,
    Point,
    WorksheetContentError,
    analyse,
    fit_trend,
    forecast,
    load_worksheet,
    parse_baseline,
    parse_target,
    parse_year,
    restore,
)

SHIPPED = workbook_dir() / WORKSHEET_FILE


def points(*pairs: tuple[int, float]) -> tuple[Point, ...]:
    return tuple(Point(year, value, str(year)) for year, value in pairs)


# --------------------------------------------------------------------------------------------
# The trend maths
# --------------------------------------------------------------------------------------------


def test_least_squares_on_a_worked_example() -> None:
    # x = 2020..2022, y = 2, 4, 5: mean x 2021, mean y 11/3; slope = (-1*-5/3 + 1*4/3) / 2 = 1.5
    trend = fit_trend(points((2020, 2), (2021, 4), (2022, 5)))
    assert trend is not None
    assert trend.slope == pytest.approx(1.5)
    assert trend.at(2021) == pytest.approx(11 / 3)
    assert trend.intercept == pytest.approx(11 / 3 - 1.5 * 2021)
    assert trend.at(2025) == pytest.approx(11 / 3 + 1.5 * 4)


def test_two_years_give_the_line_through_both_and_gaps_in_years_are_allowed() -> None:
    trend = fit_trend(points((2018, 10), (2022, 30)))
    assert trend.slope == pytest.approx(5)
    assert trend.at(2018) == pytest.approx(10) and trend.at(2022) == pytest.approx(30)


def test_fewer_than_two_years_give_no_trend() -> None:
    assert fit_trend(()) is None
    assert fit_trend(points((2020, 5))) is None
    assert forecast(parse_baseline("2020, 5", "count")) is None


@given(
    intercept=st.floats(min_value=0, max_value=500),
    slope=st.floats(min_value=-20, max_value=20),
    years=st.lists(st.integers(1995, 2040), min_size=2, max_size=12, unique=True),
)
def test_points_on_a_straight_line_give_that_line_back(intercept, slope, years) -> None:
    trend = fit_trend(points(*((year, intercept + slope * (year - 2000)) for year in years)))
    assert trend is not None
    assert trend.slope == pytest.approx(slope, abs=1e-6)
    assert trend.at(2000) == pytest.approx(intercept, abs=1e-6)


def test_forecast_runs_three_years_past_the_last_baseline_year() -> None:
    baseline = parse_baseline("2019, 30\n2020, 34\n2021, 38", "count")
    result = forecast(baseline)
    assert FORECAST_YEARS == 3
    assert [p.year for p in result.points] == [2022, 2023, 2024]
    assert [p.value for p in result.points] == pytest.approx([42, 46, 50])
    assert not result.clipped


def test_forecast_labels_financial_years_like_the_baseline() -> None:
    result = forecast(parse_baseline("2019/20, 30\n2020/21, 34", "count"))
    assert [p.label for p in result.points] == ["2021/22", "2022/23", "2023/24"]


def test_forecast_is_held_at_zero_and_at_100_percent() -> None:
    falling = forecast(parse_baseline("2020, 20\n2021, 10", "count"))
    assert [p.value for p in falling.points] == [0, 0, 0] and falling.clipped
    rising = forecast(parse_baseline("2020, 80\n2021, 95", "rate"))
    assert rising.points[-1].value == 1.0 and rising.clipped


# --------------------------------------------------------------------------------------------
# Reading the baseline and the target
# --------------------------------------------------------------------------------------------


def test_good_rows_in_several_forms() -> None:
    baseline = parse_baseline("2021, 34\n\n2019: 31%\n2020\t29.5\n2022 35 %\n", "rate")
    assert baseline.ok
    assert [(p.year, p.value) for p in baseline.points] == [
        (2019, pytest.approx(0.31)),
        (2020, pytest.approx(0.295)),
        (2021, pytest.approx(0.34)),
        (2022, pytest.approx(0.35)),
    ]
    counts = parse_baseline("2019/20, 1,200\n2020-21 1300\n2021/2022; 1,410", "count")
    assert [(p.label, p.value) for p in counts.points] == [
        ("2019/20", 1200),
        ("2020/21", 1300),
        ("2021/22", 1410),
    ]


@pytest.mark.parametrize(
    ("text", "kind", "message"),
    [
        ("abc", "rate", "start the line with the year"),
        ("21, 34", "rate", "start the line with the year"),
        ("2021", "rate", "add the figure after the year, for example '2021, 34'"),
        ("2021x 34", "rate", "put a comma or a space between the year and the figure"),
        ("2021, lots", "rate", "could not read 'lots' as a percentage"),
        ("2021, 134", "rate", "a rate cannot be more than 100%"),
        ("2021, -3", "count", "cannot be negative"),
        ("2021, 12.5", "count", "must be a whole number (you typed '12.5')"),
        ("2021, twelve", "count", "could not read 'twelve' as a number of job outcomes"),
        ("1850, 12", "count", "the year 1850 looks mistyped"),
        ("2019/21, 12", "count", "the second year should follow the first, as in 2019/20"),
    ],
)
def test_each_bad_row_is_named_with_its_line_and_reason(text, kind, message) -> None:
    baseline = parse_baseline(f"2018, 10\n{text}", kind)
    assert len(baseline.problems) == 1
    problem = baseline.problems[0]
    assert problem.row == 2 and problem.text == text
    assert message in str(problem)
    assert str(problem).startswith(f"Line 2 ('{text}'): ")
    assert [p.year for p in baseline.points] == [2018]  # the good line is still used


def test_a_year_given_twice_is_refused_on_its_second_line() -> None:
    baseline = parse_baseline("2020, 5\n2021, 6\n2020, 7", "count")
    assert [p.value for p in baseline.points] == [5, 6]
    assert "the year 2020 is also on line 1" in str(baseline.problems[0])
    assert baseline.problems[0].row == 3


def test_a_rate_below_one_without_a_percent_sign_gets_a_note() -> None:
    baseline = parse_baseline("2020, 0.34\n2021, 0.5%", "rate")
    assert baseline.ok
    assert baseline.points[0].value == pytest.approx(0.0034)
    assert baseline.notes == (
        "Line 1: '0.34' was read as 0.34%; if you meant 34%, type 34 instead.",
    )


def test_parse_year() -> None:
    assert parse_year(" 2024/25 ") == (2024, "2024/25")
    assert parse_year("2024") == (2024, "2024")
    with pytest.raises(ValueError, match="could not read 'next year' as a year"):
        parse_year("next year")


@pytest.mark.parametrize(
    ("value", "year", "problem"),
    [
        ("45", "", "Target year: type the year"),
        ("", "2027", "Target: type the figure"),
        ("lots", "2027", "Target: could not read 'lots' as a percentage"),
        ("45", "soon", "Target year: could not read 'soon' as a year"),
    ],
)
def test_target_problems(value, year, problem) -> None:
    target, problems = parse_target(value, year, "rate")
    assert target is None and any(problem in p for p in problems)


def test_target_and_blank_target() -> None:
    assert parse_target("", "", "rate") == (None, [])
    target, problems = parse_target("45%", "2027/28", "rate")
    assert problems == [] and target.value == pytest.approx(0.45) and target.label == "2027/28"


# --------------------------------------------------------------------------------------------
# The analysis in words, and the chart
# --------------------------------------------------------------------------------------------


def test_analysis_in_words_for_a_rate_with_the_study_band() -> None:
    result = analyse("Job outcome rate", "rate", "2019, 31\n2020, 29\n2021, 33", "45", "2027")
    words = " ".join(result.sentences())
    assert "31% in 2019 and 33% in 2021 (3 years of figures)" in words
    assert "rises by about 1 percentage point a year and reaches 35% by 2024" in words
    assert "Your target is 45% by 2027: 7 percentage points above the trend line" in words
    assert "evidence-based services had job outcome rates of 30% to 56%" in words
    assert "is within that band" in words
    assert result.band is not None and result.problems == ()


def test_count_has_no_band_and_a_target_before_the_baseline_ends_is_refused() -> None:
    result = analyse("Jobs", "count", "2019, 30\n2020, 34\n2021, 40", "60", "2020")
    assert result.band is None and result.target is None
    assert any("is not after the last baseline year (2021)" in p for p in result.problems)
    assert "evidence-based" not in " ".join(result.sentences())


def test_curve_chart_draws_the_band_only_for_a_rate() -> None:
    rate = analyse("Rate", "rate", "2019, 31\n2020, 29\n2021, 33", "45", "2026")
    spec = charts.curve_chart(
        rate.indicator,
        True,
        rate.baseline.points,
        rate.forecast.points,
        trend=rate.forecast.trend,
        target=rate.target,
        band=rate.band,
    ).to_dict()
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert "rect" in marks
    dashed = [layer for layer in spec["layer"] if layer["mark"].get("strokeDash") == [7, 5]]
    assert len(dashed) == 1  # the trend if nothing changes
    count = analyse("Jobs", "count", "2019, 30\n2020, 34", "", "")
    spec = charts.curve_chart(
        "Jobs",
        False,
        count.baseline.points,
        count.forecast.points,
        trend=count.forecast.trend,
        band=rate.band,  # ignored: not a rate
    ).to_dict()
    assert "rect" not in [layer["mark"]["type"] for layer in spec["layer"]]
    summary = charts.curve_chart_summary(
        "Jobs", False, count.baseline.points, count.forecast.points
    )
    assert summary == (
        "Jobs, your figures: 2019 30, 2020 34. Forecast if nothing changes (straight-line "
        "trend): 2021 38, 2022 42, 2023 46."
    )
    svg = charts.chart_svg(
        charts.curve_chart("Jobs", False, count.baseline.points, count.forecast.points)
    )
    assert svg.lstrip().startswith("<svg")


# --------------------------------------------------------------------------------------------
# The content file
# --------------------------------------------------------------------------------------------


@pytest.fixture
def content(tmp_path: Path) -> Path:
    path = tmp_path / WORKSHEET_FILE
    shutil.copy(SHIPPED, path)
    return path


def edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def error_of(path: Path) -> str:
    with pytest.raises(WorksheetContentError) as caught:
        load_worksheet(path)
    assert isinstance(caught.value, WorkbookContentError)
    return str(caught.value)


def test_shipped_worksheet_follows_the_seed_structure() -> None:
    sheet = load_worksheet(SHIPPED)
    assert [step.id for step in sheet.steps] == [
        "population_outcome",
        "experience",
        "indicators",
        "story",
        "partners",
        "what_works",
        "action_plan",
        "data_agenda",
    ]
    for field_id, kind in REQUIRED_FIELDS.items():
        assert sheet.field(field_id).kind == kind
    assert sheet.action_step.id == "action_plan"
    what_works = next(step for step in sheet.steps if step.id == "what_works")
    assert what_works.study_bands and len(what_works.evidence) >= 3
    assert any("IPS" in point.title for point in what_works.evidence)


def test_broken_yaml_names_the_file_and_line(content: Path) -> None:
    content.write_text("title: 'unclosed\nsteps: [\n", encoding="utf-8")
    message = error_of(content)
    assert "turning_the_curve.yaml" in message and "line" in message
    assert "not valid YAML" in message


def test_a_misspelt_key_is_named(content: Path) -> None:
    edit(content, lambda d: d["steps"][0]["fields"][0].update({"lable": "x"}))
    message = error_of(content)
    assert f"{content.parent.name}/turning_the_curve.yaml" in message
    assert "steps[0].fields[0].lable" in message and "not a key the workbook understands" in message


def test_a_missing_label_is_named_with_what_to_put(content: Path) -> None:
    edit(content, lambda d: d["steps"][1]["fields"][0].pop("label"))
    message = error_of(content)
    assert "steps[1].fields[0].label: this key is missing" in message


def test_a_wrong_kind_is_explained(content: Path) -> None:
    edit(content, lambda d: d["steps"][0]["fields"][0].update({"kind": "paragraph"}))
    message = error_of(content)
    assert "steps[0].fields[0].kind" in message and "'long_text'" in message


def test_a_field_the_app_needs_must_be_there(content: Path) -> None:
    def drop_baseline(data):
        step = next(s for s in data["steps"] if s["id"] == "indicators")
        step["fields"] = [f for f in step["fields"] if f["id"] != "baseline"]

    edit(content, drop_baseline)
    assert "no field has the id 'baseline'" in error_of(content)


def test_duplicate_ids_and_two_action_plans_are_refused(content: Path) -> None:
    def spoil(data):
        data["steps"][1]["fields"][0]["id"] = "population"
        data["steps"][0]["action_columns"] = data["steps"][6]["action_columns"]

    edit(content, spoil)
    message = error_of(content)
    assert "the field id 'population' is also used" in message
    assert "2 steps have 'action_columns'; expected exactly one" in message


def test_the_kind_choice_must_offer_every_kind(content: Path) -> None:
    def spoil(data):
        field = next(
            f for s in data["steps"] for f in s.get("fields", []) if f["id"] == "indicator_kind"
        )
        field["options"][1]["value"] = "number"

    edit(content, spoil)
    assert "the values 'rate', 'count', 'population_share', 'population_count'" in error_of(content)


# --------------------------------------------------------------------------------------------
# The app's glue, saving and resuming, and the exports
# --------------------------------------------------------------------------------------------

GOOD = {
    "population": "Adults with a learning disability known to the council",
    "indicator_name": "Job outcome rate",
    "baseline": "2019, 31\n2020, 29\n2021, 33\n2022, 35",
    "target_value": "45",
    "target_year": "2027",
}


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


def test_typing_the_baseline_shows_the_trend_and_chart(store) -> None:
    app = TurningTheCurveApp(store=store)
    app.set_values(GOOD)
    assert "reaches 39.2% by 2025" in app.sentences.value
    assert "Forecast if nothing changes" in app.curve_table.value
    app._charts_later.flush()
    assert '<img class="toolkit-chart"' in app.chart_box.value
    assert "Job outcome rate, your figures: 2019 31%" in app.chart_box.value
    assert 'download="turning-the-curve.xlsx"' in app.downloads.value


def test_bad_lines_are_shown_and_the_rest_still_used(store) -> None:
    app = TurningTheCurveApp(store=store)
    app.set_values({**GOOD, "baseline": "2019, 31\noops\n2020, 33"})
    assert "Line 2 (&#39;oops&#39;)" in app.baseline_errors.value
    assert "31% in 2019 and 33% in 2020" in app.sentences.value
    assert app.entries.fields["baseline"] == "2019, 31\noops\n2020, 33"  # nothing typed is lost
    app.set_values({"target_year": "soon"})
    assert "Target year: could not read" in app.target_errors.value


def test_resume_restores_every_box_and_the_action_plan(store) -> None:
    first = TurningTheCurveApp(store=store)
    first.set_values(GOOD)
    first.fields["indicator_kind"].value = "count"
    first.set_action(0, action="Agree a definition", who="Lead commissioner")
    first.set_action(1, action="Commission IPS", timeframe="2026")
    token = first.token
    assert token and (APP, token) in store.saved
    again = TurningTheCurveApp(store=store, token=token)
    assert "restored" in again.notice.value
    for field_id, value in GOOD.items():
        assert again.fields[field_id].value == value
    assert again.fields["indicator_kind"].value == "count"
    assert [row["action"] for row in again.entries.actions] == [
        "Agree a definition",
        "Commission IPS",
    ]
    assert again.action_fields[1]["timeframe"].value == "2026"
    again.remove_action()
    assert len(again.entries.actions) == 1


def test_text_for_a_removed_box_is_kept_aside_and_reported(store) -> None:
    token = store.new_token()
    store.save_state(APP, token, {"fields": {"population": "Adults", "old_box": "My old words"}})
    app = TurningTheCurveApp(store=store, token=token)
    assert "My old words" in app.notice.value and "old_box" in app.notice.value
    app.set_values({"outcome": "More people in paid work"})
    assert store.load_state(APP, token)["kept_aside"] == {"old_box": "My old words"}
    entries, report = restore(load_worksheet(), store.load_state(APP, token))
    assert entries.fields["population"] == "Adults" and len(report) == 1


def test_unknown_resume_id_opens_blank(store) -> None:
    app = TurningTheCurveApp(store=store, token="y" * 43)
    assert "not recognised" in app.notice.value and app.token is None


def test_exports_open_and_are_safe(store) -> None:
    app = TurningTheCurveApp(store=store)
    app.set_values({**GOOD, "story": "=cmd|' /C calc'!A0", "partners": "<script>alert(1)</script>"})
    app.set_action(0, action="-Agree a definition", for_whom="All providers")
    app._charts_later.flush()
    sheet = load_worksheet()
    data = worksheet_xlsx(sheet, app.entries.fields, app.entries.actions, app.analysis)
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Worksheet", "Action plan", "Figures"]
    answers = {row[1]: row[2] for row in book["Worksheet"].iter_rows(min_row=2, values_only=True)}
    assert answers["What is driving the figures? (causes and forces at work)"] == (
        "'=cmd|' /C calc'!A0"
    )
    assert answers["What kind of figure is the headline indicator?"] == (
        "Job outcome rate (% of people supported)"
    )
    assert list(book["Action plan"].iter_rows(min_row=2, values_only=True)) == [
        ("'-Agree a definition", "All providers", None, None)
    ]
    figures = list(book["Figures"].iter_rows(min_row=2, max_row=9, values_only=True))
    assert figures[0] == ("2019", "Baseline (your figures)", 31.0)
    assert figures[4][1] == "Forecast if nothing changes (straight-line trend)"
    assert figures[7] == ("2027", "Target", 45.0)
    page = worksheet_html(
        sheet, app.entries.fields, app.entries.actions, app.analysis, app.rendered
    )
    assert "<script" not in page.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "data:image/svg+xml;base64," in page and "size: A4" in page
    assert "-Agree a definition" in page


# --------------------------------------------------------------------------------------------
# Issue 18: years as typed, one year style, counts in words
# --------------------------------------------------------------------------------------------


def test_mixed_year_styles_are_refused_on_the_odd_line() -> None:
    baseline = parse_baseline("2019, 31\n2021, 33\n2023/24, 35", "rate")
    assert [p.label for p in baseline.points] == ["2019", "2021"]
    (problem,) = baseline.problems
    assert problem.row == 3
    assert "calendar years (such as 2021) or all as financial years" in str(problem)


def test_financial_years_label_the_chart_axis_as_typed() -> None:
    analysis = analyse("Rate", "rate", "2020/21, 31\n2021/22, 29\n2022/23, 33", "45", "2026/27")
    spec = charts.curve_chart(
        analysis.indicator,
        True,
        analysis.baseline.points,
        analysis.forecast.points,
        trend=analysis.forecast.trend,
        target=analysis.target,
    ).to_dict()
    axes = [
        layer["encoding"]["x"].get("axis", {})
        for layer in spec["layer"]
        if "x" in layer.get("encoding", {})
    ]
    assert any("labelExpr" in axis and axis.get("title") == "Financial year" for axis in axes)
    plain = analyse("Rate", "rate", "2020, 31\n2021, 29", "", "")
    spec = charts.curve_chart(
        "Rate", True, plain.baseline.points, plain.forecast.points, trend=plain.forecast.trend
    ).to_dict()
    assert "labelExpr" not in str(spec)


def test_a_blank_worksheet_holds_no_filled_boxes(store) -> None:
    app = TurningTheCurveApp(store=store)
    app._charts_later.flush()
    assert "0 filled boxes, 0 actions and 0 baseline years" in app.downloads.value
    app.set_values({"population": "Adults known to the council"})
    app._charts_later.flush()
    assert "1 filled box, 0 actions" in app.downloads.value
