"""Workbook 09's supported-employment stage checklist: which stages are in place, not a score.

The IPS-25 self-rating (workbook 08) adds 25 ratings into a total with published bands. No such
scale was open to us for supported employment: BASE's Supported Employment Quality Framework has
a scored self-assessment, but its standards and scoring could not be obtained (see its entry in
``data/sources.yaml``). So the six stages are a checklist: each item answered Yes, Partly, No or
Don't know, and the result lists which stages are in place and which are not, with no total.

The checklist items are the workbook's questions whose ids start with :data:`CHECKLIST_PREFIX`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from toolkit.content.sources import cite
from toolkit.worksheets.commissioning_questions import Answer, Workbook

#: Question ids of the checklist items start with this (workbook/09_supported_employment_stages).
CHECKLIST_PREFIX = "stages_check."
#: The register id of the framework we looked for (data/sources.yaml).
FRAMEWORK_SOURCE = "base-seqf"
#: The study, which found no such review for supported employment (Section 7, question 2).
STUDY_SOURCE = "ndti-2014"
#: The answers a checklist item can have, in the order they are reported.
STATES = ("yes", "partly", "no", "dont_know", "unanswered")


@dataclass(frozen=True)
class ChecklistItem:
    """One stage of the checklist and its answer."""

    question_id: str
    stage: str  # the words before the first colon of the question, e.g. "Job matching"
    state: str  # one of STATES
    answer_label: str  # "Yes", "Partly", ... or "Not answered"


@dataclass(frozen=True)
class StageChecklist:
    """The checklist's items and what they add up to in words (never a score)."""

    items: tuple[ChecklistItem, ...]

    def stages(self, state: str) -> list[str]:
        return [item.stage for item in self.items if item.state == state]

    @property
    def answered(self) -> int:
        return sum(1 for item in self.items if item.state != "unanswered")

    def text(self) -> str:
        """The checklist in words: stages in place, partly, not in place and not known."""
        if not self.items:
            return ""
        total = len(self.items)
        if not self.answered:
            return f"None of the {total} stages is ticked yet."
        parts = []
        for state, words in (
            ("yes", "in place"),
            ("partly", "partly in place"),
            ("no", "not in place"),
            ("dont_know", "not known"),
            ("unanswered", "not answered yet"),
        ):
            stages = self.stages(state)
            if stages:
                parts.append(f"{words}: {', '.join(stages)}")
        return f"Of the {total} stages, " + "; ".join(parts) + "."

    @staticmethod
    def caveat() -> str:
        """Why this is a checklist and not a score, citing the framework we looked for."""
        return (
            "This is a checklist, not a score. When the study was done, supported employment "
            "had no review like the IPS fidelity scale "
            f"({cite(STUDY_SOURCE, 'Section 7, question 2')}). A quality framework with a "
            f"scored self-assessment has since been published ({cite(FRAMEWORK_SOURCE)}), but "
            "its standards and scoring were not available to the toolkit, so it is not "
            "imitated here."
        )


def _stage_name(text: str) -> str:
    head, sep, _ = text.partition(":")
    return head.strip() if sep else text.strip()


def stage_checklist(workbook: Workbook, answers: Mapping[str, Answer]) -> StageChecklist:
    """The checklist items in workbook order with their answers."""
    items = []
    for _, question in workbook.iter_questions():
        if not question.id.startswith(CHECKLIST_PREFIX):
            continue
        answer = answers.get(question.id)
        value = answer.value if answer is not None else None
        option = next((o for o in workbook.scale(question.scale).options if o.value == value), None)
        if option is None:
            items.append(
                ChecklistItem(question.id, _stage_name(question.text), "unanswered", "Not answered")
            )
            continue
        state = option.value if option.value in STATES else "unanswered"
        items.append(ChecklistItem(question.id, _stage_name(question.text), state, option.label))
    return StageChecklist(tuple(items))
