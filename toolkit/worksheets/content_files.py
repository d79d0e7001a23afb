"""Reading the workbook's YAML content files, with messages an editor can act on.

Shared by the commissioning questions (:mod:`toolkit.worksheets.commissioning_questions`)
and the turning-the-curve worksheet (:mod:`toolkit.worksheets.turning_the_curve`):
the base model for content, the text types, a YAML reader that refuses a key
given twice, and validation that reports one plain message per fault, naming
the file, the section and the key.
"""

from __future__ import annotations

import re
import types
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError


class WorkbookContentError(ValueError):
    """The workbook content could not be loaded; ``problems`` holds one message per fault."""

    def __init__(self, problems: Iterable[str]):
        self.problems = list(problems)
        if len(self.problems) == 1:
            message = self.problems[0]
        else:
            listed = "\n".join(f"- {problem}" for problem in self.problems)
            message = f"{len(self.problems)} problems in the workbook content:\n{listed}"
        super().__init__(message)


# --------------------------------------------------------------------------------------------
# Content models
# --------------------------------------------------------------------------------------------

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
SectionId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
QuestionId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$")]
OptionValue = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]+$")]


class ContentModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def file_label(path: Path, section_id: str | None = None) -> str:
    """How a file (and section) is named in messages, e.g. ``workbook/03_x.yaml, section 'x'``."""
    where = f"{path.parent.name}/{path.name}"
    return f"{where}, section '{section_id}'" if section_id else where


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe YAML loader that refuses a key given twice in one mapping."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> Any:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"the key '{key}' appears twice in the same block", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)

MISSING = object()


def read_yaml(path: Path, problems: list[str]) -> Any:
    """The parsed file, or ``MISSING`` after recording why it could not be read."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        problems.append(f"{file_label(path)}: the file is missing; it is needed by the workbook.")
        return MISSING
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(f"{file_label(path)}: the file could not be read ({exc}).")
        return MISSING
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        at = f", line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        guess = re.search(r"^id:\s*['\"]?([a-z][a-z0-9_]*)", text, flags=re.MULTILINE)
        where = file_label(path, guess.group(1) if guess else None)
        problems.append(
            f"{where}{at}: this is not valid YAML ({exc.problem or exc.context}); check the "
            "indentation, and put quotes around text that contains ': ' or starts with a "
            "special character such as '*', '&', '!', '%' or '@'."
        )
    except yaml.YAMLError as exc:
        problems.append(f"{file_label(path)}: this is not valid YAML ({exc}).")
    return MISSING


def validate(
    model: type[ContentModel],
    raw: Any,
    path: Path,
    problems: list[str],
    expected: Mapping[str, str] | None = None,
    named_by_id: bool = False,
) -> Any:
    """Validate ``raw`` as ``model``; on failure record one message per fault and return None.

    ``expected`` adds or overrides the words saying what each key should hold (for other content
    files that reuse this loader, such as the turning-the-curve worksheet). ``named_by_id``:
    the file's ``id`` names it in messages (a workbook section).
    """
    section_id = raw.get("id") if named_by_id and isinstance(raw, dict) else None
    section_id = section_id if isinstance(section_id, str) else None
    if not isinstance(raw, dict):
        keys = ", ".join(model.model_fields)
        problems.append(
            f"{file_label(path, section_id)}: the file should hold a set of 'key: value' lines "
            f"(keys: {keys}); found {kind_of(raw)} instead."
        )
        return None
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        for error in exc.errors():
            problems.append(
                f"{file_label(path, section_id)}, {_describe_error(error, model, raw, expected)}"
            )
        return None


# What each key should hold, in words, for error messages.
_EXPECTED: dict[str, str] = {
    "id": (
        "a short lower-case id of letters, digits and underscores "
        "(question ids join parts with dots, e.g. 'culture.champion')"
    ),
    "title": "the section title, as text",
    "intro": "one or two sentences introducing the section",
    "text": "the question in plain English, as text",
    "help": "one to three sentences on why the question matters, as text",
    "scale": "the id of an answer scale defined in scales.yaml",
    "source": "a block with 'document' and 'section' (and optionally 'url')",
    "document": "the name of the source document, as text",
    "section": "where in the source document, as text (e.g. 'Section 6, Theory 1')",
    "url": "a web address as text, or leave the key out",
    "group": "a group heading as text, or leave the key out",
    "kind": "'questions' (the default) or 'fidelity'",
    "questions": "a list of questions, each starting with '- id:'",
    "scales": "a list of answer scales, each starting with '- id:'",
    "options": "a list of at least two answer options",
    "value": "a short lower-case machine value such as 'yes' or '3', in quotes",
    "label": "the words shown to the user, as text",
    "meaning": "what the answer means, as text",
    "description": "a description, as text",
    "score": "a number, or null for an answer that is not scored (such as Don't know)",
    "bands": "a list of bands, each with min, max, label and meaning",
    "min": "a whole number: the lowest total in the band",
    "max": "a whole number: the highest total in the band",
}


def question_key(index: int, question_id: str | None, field: str = "") -> str:
    """``questions[3].scale (question 4, 'strategy.x')``: the index counts from 0, the number from 1."""
    label = f"question {index + 1}" + (f", '{question_id}'" if question_id else "")
    return f"questions[{index}]{'.' + field if field else ''} ({label})"


def _key_path(loc: tuple[Any, ...], raw: Any) -> str:
    """``('questions', 3, 'scale')`` -> ``questions[3].scale (question 4, 'strategy.x')``."""
    parts: list[str] = []
    for part in loc:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        else:
            parts.append(f".{part}" if parts else str(part))
    path = "".join(parts) or "(top level)"
    if len(loc) >= 2 and loc[0] == "questions" and isinstance(loc[1], int):
        questions = raw.get("questions") if isinstance(raw, dict) else None
        item = (
            questions[loc[1]] if isinstance(questions, list) and loc[1] < len(questions) else None
        )
        qid = item.get("id") if isinstance(item, dict) else None
        field = path.removeprefix(f"questions[{loc[1]}]").removeprefix(".")
        return question_key(loc[1], qid if isinstance(qid, str) else None, field)
    return path


def _describe_error(
    error: Mapping[str, Any],
    model: type[BaseModel],
    raw: Any,
    extra_expected: Mapping[str, str] | None = None,
) -> str:
    """One pydantic error as ``key path: what is wrong; expected ...``."""
    loc = tuple(error["loc"])
    key = _key_path(loc, raw)
    name = next((part for part in reversed(loc) if isinstance(part, str)), "")
    words = {**_EXPECTED, **(extra_expected or {})}
    expected = words.get(name, "a value of the right kind")
    kind = error["type"]
    if kind == "missing":
        return f"{key}: this key is missing; expected {expected}."
    if kind == "extra_forbidden":
        parent = _model_at(model, loc[:-1])
        allowed = ", ".join(parent.model_fields) if parent else "see the other entries"
        return (
            f"{key}: '{loc[-1]}' is not a key the workbook understands here (check the spelling "
            f"and indentation); expected one of: {allowed}."
        )
    found = error.get("input")
    shown = f" (found {found!r})" if isinstance(found, str | int | float | bool) else ""
    message = str(error["msg"]).removeprefix("Value error, ")
    if kind == "string_pattern_mismatch":
        message = "this is not in the expected form"
    return f"{key}: {message}{shown}; expected {expected}."


def _unwrap(annotation: Any) -> Any:
    """Strip ``Annotated[...]`` and ``X | None`` down to the underlying type."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
            continue
        if origin in (Union, types.UnionType):
            options = [arg for arg in get_args(annotation) if arg is not type(None)]
            if len(options) == 1:
                annotation = options[0]
                continue
        return annotation


def _model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model class found by following ``loc`` from ``model`` (None if not a model)."""
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        if isinstance(part, int):
            args = get_args(current)
            current = args[0] if args else None
        elif isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(part)
            current = field.annotation if field else None
        else:
            return None
    current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def kind_of(value: Any) -> str:
    if value is None:
        return "an empty file"
    if isinstance(value, list):
        return "a list"
    return f"a single value ({value!r})"
