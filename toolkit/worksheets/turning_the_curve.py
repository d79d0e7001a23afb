"""Turning the curve: the worksheet's content, the baseline, the forecast and the target.

The prompts live in ``workbook/turning_the_curve.yaml`` and are checked on load like the
commissioning questions (:mod:`toolkit.worksheets.commissioning_questions`): every fault is reported with the file and the
key. Everything else is pure:

* :func:`parse_baseline` reads the user's own history of an indicator, typed one year per line
  (``2021, 34`` or ``2021/22, 34%``), and names every line it cannot read, with the reason.
* :func:`fit_trend` and :func:`forecast` give the forecast if nothing changes: an ordinary least
  squares straight line through the baseline years, extended :data:`FORECAST_YEARS` years past the
  last one. It is the simplest honest projection (it assumes the recent average change carries
  on); it is not a prediction, and it says nothing about why the figures moved.
* :func:`parse_target` reads the target, and :func:`analyse` puts it all together with the study's
  job outcome rate band (only when the indicator is a rate) and says it in words.

Rates are typed as percentages and held as proportions (0 to 1), like every rate in the toolkit.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from toolkit.content.paths import workbook_dir
from toolkit.domain.bands import BAND_SET_LABELS, BandSet, band_for
from toolkit.present import formatting as fmt
from toolkit.worksheets.commissioning_questions import WORKSHEET_FILE, Source
from toolkit.worksheets.content_files import (
    ContentModel,
    OptionValue,
    SectionId,
    Text,
    WorkbookContentError,
    file_label,
    read_yaml,
    validate,
)

#: How many years past the last baseline year the forecast runs.
FORECAST_YEARS = 3
#: Years outside this range are taken as typing mistakes.
EARLIEST_YEAR = 1990
LATEST_YEAR = 2100

#: The kinds of headline indicator: two of a service (job outcomes), two of a population
#: (residents of the area, as in seed 001's worked examples). Their words are in the YAML.
KINDS = ("rate", "count", "population_share", "population_count")
#: Kinds typed as percentages and held as proportions (0 to 1).
PERCENT_KINDS = frozenset({"rate", "population_share"})
#: Kinds about residents of an area rather than a service's caseload: no study band applies.
POPULATION_KINDS = frozenset({"population_share", "population_count"})
#: Which way is better, as the field ``indicator_better`` offers it.
DIRECTIONS = ("higher", "lower")
#: Field ids the app relies on, with the kind each must have.
REQUIRED_FIELDS = {
    "indicator_name": "text",
    "indicator_kind": "choice",
    "baseline": "rows",
    "target_value": "text",
    "target_year": "text",
}
ACTION_COLUMNS = ("action", "for_whom", "who", "timeframe")


class WorksheetContentError(WorkbookContentError):
    """The worksheet content could not be loaded; ``problems`` holds one message per fault."""


# --------------------------------------------------------------------------------------------
# Content
# --------------------------------------------------------------------------------------------


class FieldOption(ContentModel):
    value: OptionValue
    label: Text


class WorksheetField(ContentModel):
    """One labelled box on the worksheet."""

    id: SectionId
    label: Text
    kind: Literal["text", "long_text", "choice", "rows"] = "text"
    help: str = ""
    placeholder: str = ""
    options: tuple[FieldOption, ...] = ()


class EvidencePoint(ContentModel):
    """A point from the research to weigh ideas against."""

    title: Text
    text: Text
    source: Source


class ActionColumn(ContentModel):
    id: Literal["action", "for_whom", "who", "timeframe"]
    label: Text
    placeholder: str = ""


class Step(ContentModel):
    """One step of the worksheet, shown under its own heading."""

    id: SectionId
    title: Text
    intro: Text
    help: str = ""
    fields: tuple[WorksheetField, ...] = ()
    evidence: tuple[EvidencePoint, ...] = ()
    study_bands: bool = False
    action_columns: tuple[ActionColumn, ...] = ()


class IndicatorKind(ContentModel):
    """The words for one kind of headline indicator (the ids are :data:`KINDS`)."""

    id: OptionValue
    words: Text  # "job outcome rate (% of people supported)"
    axis_title: Text
    unit_one: Text  # "job outcome"
    unit_many: Text  # "job outcomes"
    note: str = ""  # said under the analysis, e.g. why no study band applies


class Worksheet(ContentModel):
    """The whole worksheet, steps in order."""

    title: Text
    intro: Text
    source: Source
    indicator_kinds: tuple[IndicatorKind, ...] = Field(min_length=1)
    steps: tuple[Step, ...] = Field(min_length=1)

    def kind(self, kind_id: str) -> IndicatorKind:
        """The words for a kind of indicator (the first kind for an unknown id)."""
        return next((k for k in self.indicator_kinds if k.id == kind_id), self.indicator_kinds[0])

    def iter_fields(self) -> list[tuple[Step, WorksheetField]]:
        return [(step, item) for step in self.steps for item in step.fields]

    def field(self, field_id: str) -> WorksheetField | None:
        return next((item for _, item in self.iter_fields() if item.id == field_id), None)

    @property
    def action_step(self) -> Step:
        return next(step for step in self.steps if step.action_columns)

    def option_label(self, field_id: str, value: str) -> str:
        item = self.field(field_id)
        option = next((o for o in item.options if o.value == value), None) if item else None
        return option.label if option else value


_EXPECTED_WORDS = {
    "steps": "a list of steps, each starting with '- id:'",
    "fields": "a list of labelled boxes, each starting with '- id:'",
    "kind": "one of 'text' (one line), 'long_text' (several lines), 'choice' or 'rows'",
    "help": "a sentence or two of help, as text",
    "placeholder": "an example shown in the empty box, as text",
    "options": "a list of choices, each with 'value' and 'label'",
    "evidence": "a list of points, each with 'title', 'text' and 'source'",
    "study_bands": "true or false",
    "action_columns": "a list of the four columns: action, for_whom, who and timeframe",
    "indicator_kinds": "a list of kinds of indicator, each with id, words, axis_title, "
    "unit_one and unit_many",
    "title": "a heading, as text",
    "intro": "one or two sentences, as text",
    "text": "the point in plain English, as text",
}


def load_worksheet(path: Path | None = None) -> Worksheet:
    """Read and check the worksheet content (default ``workbook/turning_the_curve.yaml``).

    Cached, and read again whenever the file changes.
    """
    path = Path(path if path is not None else workbook_dir() / WORKSHEET_FILE).resolve()
    try:
        stat = path.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
    except OSError:
        stamp = (0, 0)
    return _load_cached(str(path), stamp)


@lru_cache(maxsize=4)
def _load_cached(path: str, stamp: tuple[int, int]) -> Worksheet:
    return _load(Path(path))


def _load(path: Path) -> Worksheet:
    problems: list[str] = []
    raw = read_yaml(path, problems)
    worksheet = None
    if not problems:
        worksheet = validate(Worksheet, raw, path, problems, expected=_EXPECTED_WORDS)
    if worksheet is not None:
        problems += _check(path, worksheet)
    if problems or worksheet is None:
        raise WorksheetContentError(problems)
    return worksheet


def _check(path: Path, worksheet: Worksheet) -> list[str]:
    """Checks across steps: unique ids, the fields the app needs, one action plan."""
    where = file_label(path)
    problems: list[str] = []
    step_seen: dict[str, int] = {}
    field_seen: dict[str, str] = {}
    for s, step in enumerate(worksheet.steps):
        key = f"steps[{s}] (step {s + 1}, '{step.id}')"
        if step.id in step_seen:
            problems.append(
                f"{where}, {key}.id: the step id '{step.id}' is also used by "
                f"steps[{step_seen[step.id]}]; expected each step id once."
            )
        step_seen.setdefault(step.id, s)
        if not (step.fields or step.action_columns):
            problems.append(
                f"{where}, {key}: the step has nothing to fill in; expected 'fields' or "
                "'action_columns'."
            )
        for f, item in enumerate(step.fields):
            fkey = f"{key}.fields[{f}] ('{item.id}')"
            if item.id in field_seen:
                problems.append(
                    f"{where}, {fkey}.id: the field id '{item.id}' is also used in step "
                    f"'{field_seen[item.id]}'; expected every field id once in the worksheet."
                )
            field_seen.setdefault(item.id, step.id)
            if item.kind == "choice" and len(item.options) < 2:
                problems.append(
                    f"{where}, {fkey}.options: a 'choice' field needs at least two options."
                )
            if item.kind != "choice" and item.options:
                problems.append(
                    f"{where}, {fkey}.options: only a 'choice' field has options; remove them "
                    f"or set kind: choice."
                )
        if step.action_columns:
            ids = [column.id for column in step.action_columns]
            if sorted(ids) != sorted(ACTION_COLUMNS):
                problems.append(
                    f"{where}, {key}.action_columns: found {', '.join(ids)}; expected each of "
                    f"{', '.join(ACTION_COLUMNS)} once."
                )
    for field_id, kind in REQUIRED_FIELDS.items():
        needed = worksheet.field(field_id)
        if needed is None:
            problems.append(
                f"{where}, steps: no field has the id '{field_id}'; the app needs it (with "
                f"kind: {kind}) to draw the baseline, forecast and target."
            )
        elif needed.kind != kind:
            problems.append(
                f"{where}, steps ... fields ('{field_id}').kind: found '{needed.kind}'; expected "
                f"'{kind}'."
            )
    kind_field = worksheet.field("indicator_kind")
    if kind_field is not None and sorted(o.value for o in kind_field.options) != sorted(KINDS):
        problems.append(
            f"{where}, steps ... fields ('indicator_kind').options: expected exactly "
            f"{len(KINDS)} options, with the values {', '.join(repr(k) for k in KINDS)}."
        )
    described = sorted(kind.id for kind in worksheet.indicator_kinds)
    if described != sorted(KINDS):
        problems.append(
            f"{where}, indicator_kinds: found {', '.join(described)}; expected the words for "
            f"each of {', '.join(KINDS)} once."
        )
    better = worksheet.field("indicator_better")
    if better is not None and sorted(o.value for o in better.options) != sorted(DIRECTIONS):
        problems.append(
            f"{where}, steps ... fields ('indicator_better').options: expected two options, "
            "with the values 'higher' and 'lower'."
        )
    action_steps = [step.id for step in worksheet.steps if step.action_columns]
    if len(action_steps) != 1:
        problems.append(
            f"{where}, steps: {len(action_steps)} steps have 'action_columns'; expected exactly "
            "one (the action plan)."
        )
    return problems


# --------------------------------------------------------------------------------------------
# The baseline
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    """One year's figure: ``year`` is the (first) calendar year, ``label`` as the user wrote it."""

    year: int
    value: float
    label: str


@dataclass(frozen=True)
class RowProblem:
    """A baseline line that could not be read."""

    row: int
    text: str
    message: str

    def __str__(self) -> str:
        return f"Line {self.row} ('{self.text}'): {self.message}"


@dataclass(frozen=True)
class Baseline:
    kind: str
    points: tuple[Point, ...]
    problems: tuple[RowProblem, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


_YEAR = re.compile(r"^(?P<first>\d{4})(?:\s*[/\u2013\u2014-]\s*(?P<second>\d{4}|\d{2}))?")
_NUMBER = re.compile(r"^\d+(\.\d+)?$|^\d{1,3}(,\d{3})+(\.\d+)?$|^\.\d+$")
_SEPARATORS = ",;:\t= "


def parse_year(text: str) -> tuple[int, str]:
    """``2021`` -> (2021, '2021'); ``2021/22`` or ``2021-2022`` -> (2021, '2021/22').

    Raises ValueError with a sentence saying what to type instead.
    """
    text = text.strip()
    match = _YEAR.match(text)
    if not match or match.end() != len(text):
        raise ValueError(
            f"could not read '{text}' as a year; type a year such as 2021, or a financial "
            "year such as 2021/22"
        )
    return _year_from_match(match)


def _year_from_match(match: re.Match[str]) -> tuple[int, str]:
    first = int(match.group("first"))
    if not EARLIEST_YEAR <= first <= LATEST_YEAR:
        raise ValueError(
            f"the year {first} looks mistyped; expected a year between {EARLIEST_YEAR} and "
            f"{LATEST_YEAR}"
        )
    second = match.group("second")
    if second is None:
        return first, str(first)
    following = (first + 1) % 100 if len(second) == 2 else first + 1
    if int(second) != following:
        expected = f"{first}/{(first + 1) % 100:02d}"
        raise ValueError(
            f"'{match.group(0)}' is not a financial year: the second year should follow the "
            f"first, as in {expected}"
        )
    return first, f"{first}/{(first + 1) % 100:02d}"


def parse_value(text: str, kind: str) -> tuple[float, str | None]:
    """A figure as typed, for a rate (as a percentage, returned as a proportion) or a count.

    Returns the value and an optional note (e.g. a rate below 1 without a % sign). Raises
    ValueError with a sentence saying what to type instead.
    """
    shown = text.strip()
    cleaned = shown.replace(" ", "").replace("\u00a0", "")
    if cleaned.startswith("-"):
        raise ValueError(f"cannot be negative (you typed '{shown}')")
    if kind in PERCENT_KINDS:
        what = "rate" if kind == "rate" else "percentage"
        percent_sign = cleaned.endswith("%")
        number = cleaned.removesuffix("%")
        if not _NUMBER.match(number):
            raise ValueError(
                f"could not read '{shown}' as a percentage; type the {what} as a percentage, "
                "for example 34 or 34%"
            )
        value = float(number.replace(",", ""))
        if value > 100:
            raise ValueError(f"a {what} cannot be more than 100% (you typed '{shown}')")
        note = None
        if 0 < value < 1 and not percent_sign:
            note = (
                f"'{shown}' was read as {fmt.percent(value / 100, 2)}; if you meant "
                f"{fmt.percent(value)}, type {value * 100:g} instead"
            )
        return value / 100, note
    units = kind_words(kind).unit_many
    if not _NUMBER.match(cleaned):
        raise ValueError(
            f"could not read '{shown}' as a number of {units}; type digits only, for "
            "example 45 or 1,200"
        )
    value = float(cleaned.replace(",", ""))
    if value != int(value):
        raise ValueError(f"a number of {units} must be a whole number (you typed '{shown}')")
    return value, None


def kind_words(kind: str) -> IndicatorKind:
    """The words for a kind of headline indicator, from the worksheet content."""
    return load_worksheet().kind(kind)


def parse_baseline(text: str, kind: str) -> Baseline:
    """Read the baseline, one ``year, figure`` per line; every unreadable line is named.

    Good lines are kept even when others are wrong, sorted by year. Blank lines are skipped;
    lines are numbered as the user sees them (counting blank lines).
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}")
    points: list[Point] = []
    problems: list[RowProblem] = []
    notes: list[str] = []
    seen: dict[int, int] = {}
    first_style: tuple[int, str] | None = None  # the first good line: its number and year
    for number, line in enumerate((text or "").splitlines(), start=1):
        shown = line.strip()
        if not shown:
            continue
        try:
            point, note = _parse_row(shown, kind)
        except ValueError as exc:
            problems.append(RowProblem(number, shown, str(exc)))
            continue
        if first_style is None:
            first_style = (number, point.label)
        elif ("/" in point.label) != ("/" in first_style[1]):
            problems.append(
                RowProblem(
                    number,
                    shown,
                    f"the year {point.label} is written another way than {first_style[1]} on "
                    f"line {first_style[0]}; write every year the same way: all as calendar "
                    "years (such as 2021) or all as financial years (such as 2021/22)",
                )
            )
            continue
        if point.year in seen:
            problems.append(
                RowProblem(
                    number,
                    shown,
                    f"the year {point.label} is also on line {seen[point.year]}; give each "
                    "year once",
                )
            )
            continue
        seen[point.year] = number
        points.append(point)
        if note:
            notes.append(f"Line {number}: {note}.")
    return Baseline(
        kind=kind,
        points=tuple(sorted(points, key=lambda p: p.year)),
        problems=tuple(problems),
        notes=tuple(notes),
    )


def _parse_row(text: str, kind: str) -> tuple[Point, str | None]:
    match = _YEAR.match(text)
    if not match:
        raise ValueError(
            "start the line with the year (such as 2021 or 2021/22), then the figure, "
            "for example '2021, 34'"
        )
    rest = text[match.end() :]
    if rest and rest[0] not in _SEPARATORS:
        raise ValueError(
            "put a comma or a space between the year and the figure, for example '2021, 34'"
        )
    year, label = _year_from_match(match)
    value_text = rest.strip(_SEPARATORS)
    if not value_text:
        raise ValueError(f"add the figure after the year, for example '{label}, 34'")
    value, note = parse_value(value_text, kind)
    return Point(year=year, value=value, label=label), note


# --------------------------------------------------------------------------------------------
# The forecast if nothing changes
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Trend:
    """A straight line through (``mean_year``, ``mean_value``) rising ``slope`` a year.

    Held about the mean year rather than year 0, so values near the data keep full precision.
    """

    slope: float
    mean_year: float
    mean_value: float

    @property
    def intercept(self) -> float:
        """The line's value in year 0 (``value = intercept + slope * year``)."""
        return self.mean_value - self.slope * self.mean_year

    def at(self, year: float) -> float:
        return self.mean_value + self.slope * (year - self.mean_year)


def fit_trend(points: Sequence[Point]) -> Trend | None:
    """Ordinary least squares straight line through (year, value); None with fewer than 2 years.

    slope = sum((x - mean x)(y - mean y)) / sum((x - mean x)^2), intercept = mean y - slope *
    mean x. Years need not be consecutive; with exactly two years the line passes through both.
    """
    if len(points) < 2:
        return None
    xs = [float(p.year) for p in points]
    ys = [p.value for p in points]
    mean_x = sum(xs) / len(xs)
    mean_y = sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    if spread == 0:
        return None
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread
    return Trend(slope=slope, mean_year=mean_x, mean_value=mean_y)


@dataclass(frozen=True)
class Forecast:
    """The trend extended past the last baseline year, kept within possible values."""

    trend: Trend
    points: tuple[Point, ...]
    clipped: bool


def year_label(year: int, like: str) -> str:
    """A year written the way the baseline writes years (financial years as 2024/25)."""
    return f"{year}/{(year + 1) % 100:02d}" if "/" in like else str(year)


def bounded(value: float, kind: str) -> float:
    """A value kept within what is possible: 0 to 100% for a rate, at least 0 for a count."""
    upper = 1.0 if kind in PERCENT_KINDS else float("inf")
    return min(max(value, 0.0), upper)


def forecast(baseline: Baseline, years: int = FORECAST_YEARS) -> Forecast | None:
    """The least squares trend over the baseline, extended ``years`` years past its last year.

    None with fewer than two baseline years. Values the line would take below zero (or above
    100% for a rate) are held at the limit, and ``clipped`` says so.
    """
    trend = fit_trend(baseline.points)
    if trend is None:
        return None
    last = baseline.points[-1]
    points = []
    clipped = False
    for year in range(last.year + 1, last.year + years + 1):
        raw = trend.at(year)
        value = bounded(raw, baseline.kind)
        clipped = clipped or value != raw
        points.append(Point(year=year, value=value, label=year_label(year, last.label)))
    return Forecast(trend=trend, points=tuple(points), clipped=clipped)


# --------------------------------------------------------------------------------------------
# The target, and everything in words
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    year: int
    value: float
    label: str


def parse_target(value_text: str, year_text: str, kind: str) -> tuple[Target | None, list[str]]:
    """The target from its two boxes; both blank means no target yet (and no problem)."""
    value_text, year_text = (value_text or "").strip(), (year_text or "").strip()
    if not value_text and not year_text:
        return None, []
    problems = []
    if not value_text:
        problems.append("Target: type the figure you are aiming for as well as the year.")
    if not year_text:
        problems.append("Target year: type the year you aim to reach the target by.")
    value = year = label = None
    if value_text:
        try:
            value, _ = parse_value(value_text, kind)
        except ValueError as exc:
            problems.append(f"Target: {exc}.")
    if year_text:
        try:
            year, label = parse_year(year_text)
        except ValueError as exc:
            problems.append(f"Target year: {exc}.")
    if problems or value is None or year is None or label is None:
        return None, problems
    return Target(year=year, value=value, label=label), []


def show(value: float, kind: str) -> str:
    """A figure as people read it: 34.5% for a rate or share, 37 for a count."""
    return fmt.percent(value) if kind in PERCENT_KINDS else fmt.count(round(value))


def change_words(amount: float, kind: str) -> str:
    """A change as words: '2.5 percentage points', '4 job outcomes' or '120 people'."""
    if kind in PERCENT_KINDS:
        points = f"{abs(amount) * 100:.1f}".rstrip("0").rstrip(".")
        return f"{points} percentage point{'' if points == '1' else 's'}"
    number = fmt.count(round(abs(amount), 1))
    words = kind_words(kind)
    return f"{number} {words.unit_one if number == '1' else words.unit_many}"


@dataclass(frozen=True)
class CurveAnalysis:
    """Baseline, forecast and target for one indicator, with the study's band for a rate."""

    indicator: str
    kind: str
    baseline: Baseline
    forecast: Forecast | None
    target: Target | None
    problems: tuple[str, ...] = ()
    band: Any | None = None  # toolkit.domain.bands.Band, only for a rate
    band_label: str = ""
    #: Which way is better: "higher" (more people in work) or "lower" (fewer on benefits).
    better: str = "higher"

    @property
    def is_percent(self) -> bool:
        return self.kind in PERCENT_KINDS

    @property
    def is_population(self) -> bool:
        return self.kind in POPULATION_KINDS

    @property
    def has_chart(self) -> bool:
        return bool(self.baseline.points)

    def sentences(self) -> list[str]:
        """The analysis in plain English, for the screen, the alternative text and the export."""
        kind = self.kind
        points = self.baseline.points
        if not points:
            return ["Type at least two years of figures to see the baseline and the trend."]
        first, last = points[0], points[-1]
        words = kind_words(kind)
        name = self.indicator or words.words[:1].upper() + words.words[1:]
        out = []
        if len(points) == 1:
            out.append(
                f"{name}: {show(last.value, kind)} in {last.label}. Add at least one more year "
                "to see the trend if nothing changes."
            )
        else:
            out.append(
                f"{name}: {show(first.value, kind)} in {first.label} and "
                f"{show(last.value, kind)} in {last.label} ({len(points)} years of figures)."
            )
        if self.forecast is not None:
            slope = self.forecast.trend.slope
            end = self.forecast.points[-1]
            if abs(slope) < 1e-9:
                direction = "stays level"
            else:
                direction = (
                    f"{'rises' if slope > 0 else 'falls'} by about {change_words(slope, kind)} "
                    "a year"
                )
            out.append(
                f"If nothing changes, the straight-line trend fitted to these years {direction} "
                f"and reaches {show(end.value, kind)} by {end.label}."
            )
            if self.forecast.clipped:
                out.append(
                    "The trend line would pass "
                    + ("0% or 100%" if kind in PERCENT_KINDS else "zero")
                    + ", so the forecast is held at that limit."
                )
        if self.target is not None:
            out.append(self._target_sentence())
        if self.better == "lower":
            out.append("For this indicator a lower figure is better.")
        if self.band is not None:
            out.append(self._band_sentence(last))
        if words.note:
            out.append(words.note)
        return out

    def _target_sentence(self) -> str:
        target, kind = self.target, self.kind
        assert target is not None
        text = f"Your target is {show(target.value, kind)} by {target.label}"
        if self.forecast is None:
            return text + "."
        expected = bounded(self.forecast.trend.at(target.year), kind)
        beyond = target.year > self.forecast.points[-1].year
        trend_words = "the trend line extended to that year" if beyond else "the forecast"
        if kind == "count":
            expected = round(expected)  # the gap matches the whole numbers shown
        gap = target.value - expected
        if abs(gap) < 1e-9:
            return f"{text}, the same as {trend_words} ({show(expected, kind)})."
        side = "above" if gap > 0 else "below"
        aims_further = gap > 0 if self.better != "lower" else gap < 0
        closing = ", the gap the plan has to close" if aims_further else ""
        return (
            f"{text}: {change_words(gap, kind)} {side} {trend_words} "
            f"({show(expected, kind)}){closing}."
        )

    def _band_sentence(self, last: Point) -> str:
        band = self.band
        assert band is not None  # called only when there is a band to compare with
        if last.value < band.low:
            where = "below"
        elif last.value > band.high:
            where = "above"
        else:
            where = "within"
        return (
            f"The study's {self.band_label} had job outcome rates of {fmt.percent(band.low)} to "
            f"{fmt.percent(band.high)} (the mean, {fmt.percent(band.mean)}, \u00b1 one "
            f"standard deviation; {band.services} services); your latest figure, "
            f"{fmt.percent(last.value)} in {last.label}, is {where} that band."
        )


def analyse(
    indicator: str,
    kind: str,
    baseline_text: str,
    target_value: str = "",
    target_year: str = "",
    better: str = "higher",
) -> CurveAnalysis:
    """Baseline, forecast if nothing changes and target from what the user typed.

    ``kind`` is one of :data:`KINDS`: a service's job outcome rate or count, or a population
    indicator the user supplies (a share of residents, or a number of people). Only a service's
    job outcome rate is set beside the study's band. ``better`` says which way is better.
    """
    kind = kind if kind in KINDS else "rate"
    better = better if better in DIRECTIONS else "higher"
    baseline = parse_baseline(baseline_text, kind)
    target, problems = parse_target(target_value, target_year, kind)
    projection = forecast(baseline)
    if target is not None and baseline.points and target.year <= baseline.points[-1].year:
        problems.append(
            f"Target year: {target.label} is not after the last baseline year "
            f"({baseline.points[-1].label}); choose a year still to come."
        )
        target = None
    band = band_label = None
    if kind == "rate":
        band = band_for("job_outcome_rate", BandSet.evidence_based)
        band_label = BAND_SET_LABELS[BandSet.evidence_based]
    return CurveAnalysis(
        indicator=(indicator or "").strip(),
        kind=kind,
        baseline=baseline,
        forecast=projection,
        target=target,
        problems=tuple(str(p) for p in baseline.problems) + tuple(problems),
        band=band,
        band_label=band_label or "",
        better=better,
    )


# --------------------------------------------------------------------------------------------
# Saved entries
# --------------------------------------------------------------------------------------------


@dataclass
class Entries:
    """What the user typed: field id -> text, the action plan rows, and anything kept aside."""

    fields: dict[str, str] = field(default_factory=dict)
    actions: list[dict[str, str]] = field(default_factory=list)
    kept_aside: dict[str, str] = field(default_factory=dict)


def blank_action() -> dict[str, str]:
    return {column: "" for column in ACTION_COLUMNS}


def restore(worksheet: Worksheet, saved: Mapping[str, Any] | None) -> tuple[Entries, list[str]]:
    """Saved entries against the current content; text for fields no longer asked is kept aside.

    Returns the entries and one line for each piece of text set aside (quoted in full), so that
    nothing typed is lost without a word. Earlier kept-aside text stays kept aside.
    """
    entries = Entries(actions=[])
    report: list[str] = []
    if not isinstance(saved, Mapping):
        return entries, report
    known = {item.id for _, item in worksheet.iter_fields()}
    raw_fields = saved.get("fields")
    for key, value in raw_fields.items() if isinstance(raw_fields, Mapping) else []:
        text = "" if value is None else str(value)
        if key in known:
            entries.fields[str(key)] = text
        elif text.strip():
            entries.kept_aside[str(key)] = text
    old = saved.get("kept_aside")
    for key, value in old.items() if isinstance(old, Mapping) else []:
        if str(key) in known and not entries.fields.get(str(key)):
            entries.fields[str(key)] = str(value)  # the box is back: put the text back in it
        else:
            entries.kept_aside.setdefault(str(key), str(value))
    for key, text in entries.kept_aside.items():
        report.append(
            f"Your text for a box that is no longer on the worksheet (id '{key}') was kept "
            f"aside: '{text}'."
        )
    better = entries.fields.get("indicator_better")
    if better is not None and better not in DIRECTIONS:
        entries.fields["indicator_better"] = ""
    kind = entries.fields.get("indicator_kind")
    if kind is not None and kind not in KINDS:
        report.append(f"The saved kind of indicator '{kind}' was not recognised and was cleared.")
        entries.fields["indicator_kind"] = ""
    for row in saved.get("actions") or []:
        if isinstance(row, Mapping):
            entries.actions.append(
                {column: str(row.get(column) or "") for column in ACTION_COLUMNS}
            )
    return entries, report


def entries_to_json(entries: Entries) -> dict[str, Any]:
    """Entries as a JSON-ready dict (the saved state)."""
    return {
        "fields": dict(entries.fields),
        "actions": [dict(row) for row in entries.actions],
        "kept_aside": dict(entries.kept_aside),
    }
