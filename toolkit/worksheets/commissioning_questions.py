"""The commissioning-questions workbook: load and check the content, then score answers.

The questions live as YAML in ``workbook/`` (see :func:`toolkit.content.paths.workbook_dir`): one file per
section, plus ``scales.yaml`` (the answer scales) and ``fidelity_bands.yaml`` (the IPS-25 total
score bands). :func:`load_workbook` validates everything and raises :class:`WorkbookContentError`
with plain-English messages that name the file, the section and the key at fault, so whoever edits
the content can fix it without reading this code.

Everything else here is pure: functions take the workbook and the user's answers and return new
values. Nothing is read or written at import time.
"""

from __future__ import annotations

import datetime as dt
import types
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from toolkit.content.paths import workbook_dir
from toolkit.worksheets.content_files import (
    MISSING,
    ContentModel,
    OptionValue,
    QuestionId,
    SectionId,
    Text,
    WorkbookContentError,
    file_label,
    question_key,
    read_yaml,
    validate,
)

SCALES_FILE = "scales.yaml"
BANDS_FILE = "fidelity_bands.yaml"
#: Other content kept beside the sections, read by its own module, never loaded as a section.
WORKSHEET_FILE = "turning_the_curve.yaml"  # toolkit.worksheets.turning_the_curve
NOT_SECTION_FILES = (SCALES_FILE, BANDS_FILE, WORKSHEET_FILE)
FIDELITY_ITEMS = 25
FIDELITY_SCORES = (1, 2, 3, 4, 5)
FIDELITY_MIN_TOTAL = FIDELITY_ITEMS * min(FIDELITY_SCORES)
FIDELITY_MAX_TOTAL = FIDELITY_ITEMS * max(FIDELITY_SCORES)


class Source(ContentModel):
    """Where a question or section comes from."""

    document: Text
    section: Text
    url: str | None = None


class ScaleOption(ContentModel):
    """One answer a user can choose."""

    value: OptionValue
    label: Text
    meaning: str = ""
    score: float | None


class Scale(ContentModel):
    """A set of answer options shared by many questions."""

    id: SectionId
    label: Text
    description: str = ""
    options: tuple[ScaleOption, ...] = Field(min_length=2)

    def option(self, value: str | None) -> ScaleOption | None:
        """The option with this value, or None."""
        return next((option for option in self.options if option.value == value), None)

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(option.value for option in self.options)

    @property
    def scores(self) -> tuple[float, ...]:
        return tuple(option.score for option in self.options if option.score is not None)


class Question(ContentModel):
    """One commissioning question."""

    id: QuestionId
    text: Text
    help: Text
    scale: SectionId
    source: Source
    group: str | None = None


class Section(ContentModel):
    """A section of the workbook: one YAML file."""

    id: SectionId
    title: Text
    intro: Text
    source: Source
    kind: Literal["questions", "fidelity"] = "questions"
    questions: tuple[Question, ...] = Field(min_length=1)


class FidelityBand(ContentModel):
    """A band of IPS-25 total scores, e.g. 100-114 'Good fidelity'."""

    min: int
    max: int
    label: Text
    meaning: str = ""

    def contains(self, total: int) -> bool:
        return self.min <= total <= self.max


class _ScalesFile(ContentModel):
    scales: tuple[Scale, ...] = Field(min_length=1)


class _BandsFile(ContentModel):
    source: Source
    bands: tuple[FidelityBand, ...] = Field(min_length=1)


class Workbook(ContentModel):
    """All sections in file order, the answer scales and the IPS-25 bands."""

    sections: tuple[Section, ...]
    scales: tuple[Scale, ...]
    fidelity_bands: tuple[FidelityBand, ...]
    fidelity_source: Source

    @cached_property
    def _scale_index(self) -> dict[str, Scale]:
        return {scale.id: scale for scale in self.scales}

    @cached_property
    def _question_index(self) -> dict[str, tuple[Section, Question, int]]:
        index: dict[str, tuple[Section, Question, int]] = {}
        for section, question in self.iter_questions():
            index[question.id] = (section, question, len(index))
        return index

    def iter_questions(self) -> Iterator[tuple[Section, Question]]:
        """Every (section, question) pair in workbook order."""
        for section in self.sections:
            for question in section.questions:
                yield section, question

    def scale(self, scale_id: str) -> Scale:
        return self._scale_index[scale_id]

    def question(self, question_id: str) -> Question | None:
        found = self._question_index.get(question_id)
        return found[1] if found else None

    def section_of(self, question_id: str) -> Section | None:
        found = self._question_index.get(question_id)
        return found[0] if found else None

    def position(self, question_id: str) -> int:
        """Index of a question in workbook order (for stable sorting)."""
        return self._question_index[question_id][2]

    def section(self, section_id: str) -> Section | None:
        return next((section for section in self.sections if section.id == section_id), None)

    @property
    def fidelity_section(self) -> Section | None:
        return next((section for section in self.sections if section.kind == "fidelity"), None)

    @property
    def question_count(self) -> int:
        return len(self._question_index)

    def band_for(self, total: int) -> FidelityBand | None:
        return next((band for band in self.fidelity_bands if band.contains(total)), None)


class Answer(BaseModel):
    """A user's answer to one question, with their evidence and any action they plan."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    question_id: str
    value: str | None = None
    evidence: str = ""
    action_what: str = ""
    action_who: str = ""
    action_by: dt.date | None = None

    @property
    def has_action(self) -> bool:
        return bool(self.action_what.strip() or self.action_who.strip() or self.action_by)

    @property
    def has_content(self) -> bool:
        return self.value is not None or bool(self.evidence.strip()) or self.has_action


# --------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------


def load_workbook(folder: Path | None = None, *, cached: bool = True) -> Workbook:
    """Read and check every YAML file in ``folder`` (default: the toolkit's ``workbook/``).

    Results are cached per folder and refreshed automatically when any YAML file there changes
    (its size or modification time); pass ``cached=False`` to always read from disk.
    """
    folder = Path(folder if folder is not None else workbook_dir()).resolve()
    if not cached:
        return _load(folder)
    return _load_cached(str(folder), _stamp(folder))


def clear_cache() -> None:
    """Forget every cached workbook."""
    _load_cached.cache_clear()


def _stamp(folder: Path) -> tuple[tuple[str, int, int], ...]:
    if not folder.is_dir():
        return ()
    return tuple(
        (path.name, path.stat().st_mtime_ns, path.stat().st_size)
        for path in sorted(folder.glob("*.yaml"))
    )


@lru_cache(maxsize=8)
def _load_cached(folder: str, stamp: tuple[tuple[str, int, int], ...]) -> Workbook:
    return _load(Path(folder))


def _load(folder: Path) -> Workbook:
    if not folder.is_dir():
        raise WorkbookContentError(
            [
                f"{folder}: the workbook folder was not found; expected a folder holding "
                f"{SCALES_FILE}, {BANDS_FILE} and one YAML file per section "
                "(set TOOLKIT_WORKBOOK_DIR to use another folder)."
            ]
        )
    problems: list[str] = []
    scales = _load_scales(folder / SCALES_FILE, problems)
    bands = _load_bands(folder / BANDS_FILE, problems)
    section_paths = [
        path for path in sorted(folder.glob("*.yaml")) if path.name not in NOT_SECTION_FILES
    ]
    if not section_paths:
        problems.append(
            f"{folder.name}/: no section files were found; expected files such as 01_x.yaml."
        )
    sections = [(path, _load_section(path, problems)) for path in section_paths]
    loaded = [(path, section) for path, section in sections if section is not None]
    if scales is not None:
        problems += _check_scales(folder / SCALES_FILE, scales)
        problems += _check_sections(loaded, scales)
    if bands is not None:
        problems += _check_bands(folder / BANDS_FILE, bands.bands)
    if problems or scales is None or bands is None:
        raise WorkbookContentError(problems)
    return Workbook(
        sections=tuple(section for _, section in loaded),
        scales=scales,
        fidelity_bands=tuple(sorted(bands.bands, key=lambda band: band.min, reverse=True)),
        fidelity_source=bands.source,
    )


def _load_scales(path: Path, problems: list[str]) -> tuple[Scale, ...] | None:
    raw = read_yaml(path, problems)
    if raw is MISSING:
        return None
    loaded = validate(_ScalesFile, raw, path, problems)
    return loaded.scales if loaded else None


def _load_bands(path: Path, problems: list[str]) -> _BandsFile | None:
    raw = read_yaml(path, problems)
    return None if raw is MISSING else validate(_BandsFile, raw, path, problems)


def _load_section(path: Path, problems: list[str]) -> Section | None:
    raw = read_yaml(path, problems)
    return None if raw is MISSING else validate(Section, raw, path, problems, named_by_id=True)


def _check_scales(path: Path, scales: tuple[Scale, ...]) -> list[str]:
    problems: list[str] = []
    seen: dict[str, int] = {}
    for index, scale in enumerate(scales):
        if scale.id in seen:
            problems.append(
                f"{file_label(path)}, scales[{index}].id: the scale id '{scale.id}' is used twice "
                f"(also scales[{seen[scale.id]}]); expected each scale id once."
            )
        seen.setdefault(scale.id, index)
        values: set[str] = set()
        for number, option in enumerate(scale.options):
            if option.value in values:
                problems.append(
                    f"{file_label(path)}, scales[{index}].options[{number}].value: the value "
                    f"'{option.value}' appears twice in scale '{scale.id}'; expected each once."
                )
            values.add(option.value)
        if not scale.scores:
            problems.append(
                f"{file_label(path)}, scales[{index}].options: scale '{scale.id}' has no scored "
                "option; expected at least one option with a number as its score."
            )
    return problems


def _check_bands(path: Path, bands: tuple[FidelityBand, ...]) -> list[str]:
    """The bands must cover 25..125 exactly once, without gaps or overlaps."""
    problems: list[str] = []
    order = sorted(range(len(bands)), key=lambda i: bands[i].min)
    expected_min = FIDELITY_MIN_TOTAL
    for i in order:
        band = bands[i]
        if band.max < band.min:
            problems.append(
                f"{file_label(path)}, bands[{i}]: the band '{band.label}' runs from {band.min} down to "
                f"{band.max}; expected min to be no more than max."
            )
        if band.min != expected_min:
            gap = "a gap" if band.min > expected_min else "an overlap"
            problems.append(
                f"{file_label(path)}, bands[{i}].min: the band '{band.label}' starts at {band.min}, "
                f"leaving {gap}; expected {expected_min} so the bands cover every total from "
                f"{FIDELITY_MIN_TOTAL} to {FIDELITY_MAX_TOTAL} once."
            )
        expected_min = max(expected_min, band.max + 1)
    if expected_min != FIDELITY_MAX_TOTAL + 1:
        problems.append(
            f"{file_label(path)}, bands: the highest band ends at {expected_min - 1}; expected the "
            f"bands to reach {FIDELITY_MAX_TOTAL} (25 items each rated up to 5)."
        )
    return problems


def _check_sections(loaded: list[tuple[Path, Section]], scales: tuple[Scale, ...]) -> list[str]:
    """Checks across sections: unique ids, known scales, and the fidelity section's shape."""
    problems: list[str] = []
    scale_index = {scale.id: scale for scale in scales}
    known = ", ".join(sorted(scale_index))
    section_seen: dict[str, Path] = {}
    question_seen: dict[str, tuple[Path, str, int]] = {}
    fidelity_files: list[Path] = []
    for path, section in loaded:
        where = file_label(path, section.id)
        if section.id in section_seen:
            problems.append(
                f"{where}, id: the section id '{section.id}' is also used in "
                f"{file_label(section_seen[section.id])}; expected each section id once."
            )
        section_seen.setdefault(section.id, path)
        for index, question in enumerate(section.questions):
            if question.id in question_seen:
                other_path, other_section, other_index = question_seen[question.id]
                problems.append(
                    f"{where}, {question_key(index, question.id, 'id')}: the question id "
                    f"'{question.id}' is already used in "
                    f"{file_label(other_path, other_section)}, questions[{other_index}]; expected "
                    "every question id to be unique across the whole workbook."
                )
            question_seen.setdefault(question.id, (path, section.id, index))
            if question.scale not in scale_index:
                problems.append(
                    f"{where}, {question_key(index, question.id, 'scale')}: '{question.scale}' "
                    "is not a known "
                    f"answer scale; expected one of: {known}."
                )
        if section.kind == "fidelity":
            fidelity_files.append(path)
            problems += _check_fidelity(path, section, scale_index)
    if len(fidelity_files) > 1:
        names = ", ".join(file_label(path) for path in fidelity_files)
        problems.append(
            f"{names}: more than one section has 'kind: fidelity'; expected at most one."
        )
    return problems


def _check_fidelity(path: Path, section: Section, scales: Mapping[str, Scale]) -> list[str]:
    problems: list[str] = []
    where = file_label(path, section.id)
    if len(section.questions) != FIDELITY_ITEMS:
        problems.append(
            f"{where}, questions: a fidelity section must hold exactly {FIDELITY_ITEMS} items "
            f"(the IPS-25 scale); found {len(section.questions)}."
        )
    for index, question in enumerate(section.questions):
        scale = scales.get(question.scale)
        if scale and sorted(scale.scores) != list(FIDELITY_SCORES):
            problems.append(
                f"{where}, {question_key(index, question.id, 'scale')}: scale '{scale.id}' does not "
                "score its options 1, 2, 3, 4 and 5; expected a 1-to-5 fidelity scale such as "
                "'fidelity_1_5' so the total runs from 25 to 125."
            )
    return problems


# --------------------------------------------------------------------------------------------
# Progress and scores
# --------------------------------------------------------------------------------------------


def _answered_option(
    workbook: Workbook, question: Question, answers: Mapping[str, Answer]
) -> ScaleOption | None:
    """The option chosen for ``question``, if its answer holds a value valid on its scale."""
    answer = answers.get(question.id)
    if answer is None or answer.value is None:
        return None
    return workbook.scale(question.scale).option(answer.value)


@dataclass(frozen=True)
class SectionProgress:
    """How many of one section's questions have an answer."""

    section_id: str
    title: str
    answered: int
    total: int

    @property
    def complete(self) -> bool:
        return self.answered == self.total

    def text(self) -> str:
        return f"{self.answered} of {self.total} answered"


@dataclass(frozen=True)
class Progress:
    """Answered questions overall and per section."""

    answered: int
    total: int
    sections: tuple[SectionProgress, ...]

    def text(self) -> str:
        return f"{self.answered} of {self.total} answered"

    def section(self, section_id: str) -> SectionProgress:
        return next(item for item in self.sections if item.section_id == section_id)


def progress(workbook: Workbook, answers: Mapping[str, Answer]) -> Progress:
    """Count answered questions; "Don't know" counts as answered, a blank or stale value does not."""
    sections = tuple(
        SectionProgress(
            section_id=section.id,
            title=section.title,
            answered=sum(
                _answered_option(workbook, question, answers) is not None
                for question in section.questions
            ),
            total=len(section.questions),
        )
        for section in workbook.sections
    )
    return Progress(
        answered=sum(item.answered for item in sections),
        total=sum(item.total for item in sections),
        sections=sections,
    )


@dataclass(frozen=True)
class SectionScore:
    """A section's answers summarised.

    ``mean`` is the plain mean of the scores of scored answers (on the scale's own numbers, e.g.
    1-5), ``percent`` puts each score on 0-100 within its scale first, so sections mixing scales
    can be compared. Both are None when no answer in the section is scored. ``counts`` gives how
    many answers chose each option value, for every option of the scales the section uses.
    """

    section_id: str
    title: str
    answered: int
    total: int
    scored: int
    mean: float | None
    percent: float | None
    counts: Mapping[str, int]


def section_scores(workbook: Workbook, answers: Mapping[str, Answer]) -> tuple[SectionScore, ...]:
    """Score every section from the answers given."""
    return tuple(_score_section(workbook, section, answers) for section in workbook.sections)


def _score_section(
    workbook: Workbook, section: Section, answers: Mapping[str, Answer]
) -> SectionScore:
    counts: dict[str, int] = {}
    for question in section.questions:
        for value in workbook.scale(question.scale).values:
            counts.setdefault(value, 0)
    scores: list[float] = []
    percents: list[float] = []
    answered = 0
    for question in section.questions:
        option = _answered_option(workbook, question, answers)
        if option is None:
            continue
        answered += 1
        counts[option.value] += 1
        if option.score is not None:
            scale_scores = workbook.scale(question.scale).scores
            low, high = min(scale_scores), max(scale_scores)
            scores.append(option.score)
            percents.append(100.0 * (option.score - low) / (high - low) if high > low else 100.0)
    return SectionScore(
        section_id=section.id,
        title=section.title,
        answered=answered,
        total=len(section.questions),
        scored=len(scores),
        mean=sum(scores) / len(scores) if scores else None,
        percent=sum(percents) / len(percents) if percents else None,
        counts=types.MappingProxyType(counts),
    )


@dataclass(frozen=True)
class FidelityResult:
    """The IPS-25 total: None until every item is rated 1-5, then its band."""

    total: int | None
    rated: int
    items: int
    band: FidelityBand | None

    @property
    def band_label(self) -> str | None:
        return self.band.label if self.band else None

    def text(self) -> str:
        if self.items == 0:
            return "This workbook has no fidelity section."
        if self.total is None:
            return (
                f"{self.rated} of {self.items} items rated; the total and its band need all "
                f"{self.items}."
            )
        label = f": {self.band.label}" if self.band else ""
        return f"{self.total} out of {FIDELITY_MAX_TOTAL}{label}"


def fidelity_total(workbook: Workbook, answers: Mapping[str, Answer]) -> FidelityResult:
    """Sum the 25 fidelity ratings and find the band; "not rated yet" leaves the total open."""
    section = workbook.fidelity_section
    if section is None:
        return FidelityResult(total=None, rated=0, items=0, band=None)
    scores = [
        option.score
        for question in section.questions
        if (option := _answered_option(workbook, question, answers)) is not None
        and option.score is not None
    ]
    items = len(section.questions)
    if len(scores) < items:
        return FidelityResult(total=None, rated=len(scores), items=items, band=None)
    total = round(sum(scores))
    return FidelityResult(total=total, rated=items, items=items, band=workbook.band_for(total))


# --------------------------------------------------------------------------------------------
# Action plan
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionRow:
    """One row of the action plan."""

    section_title: str
    question_id: str
    question_text: str
    answer_label: str
    what: str
    who: str
    by: dt.date | None


def answer_label(workbook: Workbook, question: Question, answer: Answer | None) -> str:
    """The words for an answer, e.g. 'Partly', or 'Not answered'."""
    option = _answered_option(workbook, question, {question.id: answer} if answer else {})
    return option.label if option else "Not answered"


def action_plan(workbook: Workbook, answers: Mapping[str, Answer]) -> list[ActionRow]:
    """Every answer with an action, soonest 'by when' first; undated actions last.

    Ties keep workbook order. Answers to questions not in the workbook are left out here; use
    :func:`reconcile` first so that nothing is lost without a word.
    """
    rows: list[tuple[tuple[bool, dt.date, int], ActionRow]] = []
    for section, question in workbook.iter_questions():
        answer = answers.get(question.id)
        if answer is None or not answer.has_action:
            continue
        row = ActionRow(
            section_title=section.title,
            question_id=question.id,
            question_text=question.text,
            answer_label=answer_label(workbook, question, answer),
            what=answer.action_what.strip(),
            who=answer.action_who.strip(),
            by=answer.action_by,
        )
        key = (
            answer.action_by is None,
            answer.action_by or dt.date.max,
            workbook.position(question.id),
        )
        rows.append((key, row))
    return [row for _, row in sorted(rows, key=lambda item: item[0])]


# --------------------------------------------------------------------------------------------
# Saving and restoring answers
# --------------------------------------------------------------------------------------------

_ANSWER_FIELDS = ("value", "evidence", "action_what", "action_who", "action_by")


def answers_to_json(answers: Mapping[str, Answer]) -> dict[str, dict[str, Any]]:
    """Answers as JSON-ready dicts keyed by question id (dates as YYYY-MM-DD)."""
    return {qid: answer.model_dump(mode="json") for qid, answer in answers.items()}


def answers_from_json(data: Mapping[str, Mapping[str, Any]]) -> dict[str, Answer]:
    """The exact inverse of :func:`answers_to_json`; raises ValueError on malformed data.

    To restore answers against content that may have changed, use :func:`reconcile`.
    """
    return {
        qid: Answer.model_validate({**entry, "question_id": qid}) for qid, entry in data.items()
    }


def reconcile(workbook: Workbook, saved: Mapping[str, Any]) -> tuple[dict[str, Answer], list[str]]:
    """Restore saved answers against the current content, reporting anything that no longer fits.

    Returns the answers that still apply and one plain-English line for each thing set aside:
    answers to removed questions (quoted in full), values no longer on a question's scale (value
    cleared, notes and action kept), and parts of a saved record that could not be read.
    """
    answers: dict[str, Answer] = {}
    report: list[str] = []
    for qid, entry in saved.items():
        fields, unreadable = _read_saved(entry)
        question = workbook.question(str(qid))
        if question is None:
            if unreadable or _saved_has_content(fields):
                report.append(_removed_line(workbook, str(qid), fields, unreadable))
            continue
        report += [_unreadable_line(question, part) for part in unreadable]
        scale = workbook.scale(question.scale)
        if fields["value"] is not None and scale.option(fields["value"]) is None:
            report.append(_changed_line(workbook, question, scale, fields))
            fields = {**fields, "value": None}
        answers[question.id] = Answer(question_id=question.id, **fields)
    return answers, report


def _read_saved(entry: Any) -> tuple[dict[str, Any], list[str]]:
    """Tolerantly read one saved answer: the usable fields, and descriptions of unusable parts."""
    fields: dict[str, Any] = {
        "value": None,
        "evidence": "",
        "action_what": "",
        "action_who": "",
        "action_by": None,
    }
    if not isinstance(entry, Mapping):
        return fields, [f"the saved record could not be read: {entry!r}"]
    unreadable: list[str] = []
    value = entry.get("value")
    if isinstance(value, bool) or not isinstance(value, str | int | float | type(None)):
        unreadable.append(f"the answer {value!r} could not be read, so it was left blank")
    elif value is not None:
        fields["value"] = str(value)
    for key in ("evidence", "action_what", "action_who"):
        text = entry.get(key)
        fields[key] = "" if text is None else str(text)
    fields["action_by"], problem = _read_date(entry.get("action_by"))
    if problem:
        unreadable.append(problem)
    for key, extra in entry.items():
        if key not in (*_ANSWER_FIELDS, "question_id") and extra not in (None, ""):
            unreadable.append(f"an extra item '{key}' ({extra!r}) was set aside")
    return fields, unreadable


def _read_date(value: Any) -> tuple[dt.date | None, str | None]:
    if value in (None, ""):
        return None, None
    if isinstance(value, dt.datetime):
        return value.date(), None
    if isinstance(value, dt.date):
        return value, None
    try:
        return dt.date.fromisoformat(str(value)), None
    except ValueError:
        return None, f"the 'by when' date {value!r} could not be read, so it was left blank"


def _saved_has_content(fields: Mapping[str, Any]) -> bool:
    return any(fields[key] not in (None, "") for key in _ANSWER_FIELDS)


def _value_words(workbook: Workbook, value: str | None) -> str:
    """A saved value in the user's words where any scale knows it, e.g. 'partly' -> 'Partly'."""
    if value is None:
        return "no answer chosen"
    labels = {option.label for scale in workbook.scales if (option := scale.option(value))}
    return f"'{labels.pop()}'" if len(labels) == 1 else f"'{value}'"


def _notes_words(fields: Mapping[str, Any]) -> str:
    parts: list[str] = []
    if fields["evidence"]:
        parts.append(f"notes: '{fields['evidence']}'")
    if fields["action_what"]:
        parts.append(f"action: '{fields['action_what']}'")
    if fields["action_who"]:
        parts.append(f"who: '{fields['action_who']}'")
    if fields["action_by"]:
        parts.append(f"by: {fields['action_by'].isoformat()}")
    return "; ".join(parts)


def _kept_words(fields: Mapping[str, Any]) -> str:
    """' Your notes and action were kept.' (or just one of them, or nothing)."""
    has_action = bool(fields["action_what"] or fields["action_who"] or fields["action_by"])
    kept = [
        name for name, present in (("notes", fields["evidence"]), ("action", has_action)) if present
    ]
    if not kept:
        return ""
    verb = "were" if kept[0] == "notes" else "was"
    return f" Your {' and '.join(kept)} {verb} kept."


def _removed_line(
    workbook: Workbook, qid: str, fields: Mapping[str, Any], unreadable: list[str]
) -> str:
    line = (
        f"Your answer to a question that has been removed (id '{qid}') was kept aside: "
        f"{_value_words(workbook, fields['value'])}"
    )
    extras = [_notes_words(fields), *unreadable]
    extras = [extra for extra in extras if extra]
    return line + (" — " + "; ".join(extras) if extras else "") + "."


def _changed_line(
    workbook: Workbook, question: Question, scale: Scale, fields: Mapping[str, Any]
) -> str:
    kept = _kept_words(fields)
    return (
        f'Your answer {_value_words(workbook, fields["value"])} to "{question.text}" '
        f"(id '{question.id}') is no longer one of its choices (it now uses the "
        f"'{scale.label}' scale), so the answer was cleared; please answer it again.{kept}"
    )


def _unreadable_line(question: Question, part: str) -> str:
    return f"Your saved answer to \"{question.text}\" (id '{question.id}'): {part}."
