"""What a questionnaire established: the exact satisfaction, the answers per question, the scoring
scheme it was recomputed with, the 最终得分 cell.  The project's checks and the drafts read these;
:meth:`QuestionnaireFacts.to_json` is the table's ``figures`` in ``check --json``."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..grid import Pos
from ..values import Number, round_half_up
from .scheme import Scheme


@dataclass(frozen=True)
class QuestionnaireFacts:
    form: str  # a-e | yes-no
    sheet: str
    title: str | None
    labels: tuple[str, ...]  # each question's label, in order
    answers: tuple[int, ...]  # how many answered each question
    respondents: int
    #: the recomputed satisfaction in points of 100 (None when the table has no counts), exact
    satisfaction: Fraction | None
    satisfaction_decimals: int  # the decimals it is shown with
    final_pos: Pos | None = None  # the cell stating 最终得分
    stated_final: Number | None = None
    scheme: Scheme | None = None  # option weights and question points (an A–E survey)
    question_scores: tuple[Fraction, ...] = ()
    option_counts: dict[str, int] | None = None  # how many chose each option, over all questions
    satisfaction_questions: tuple[int, ...] = ()  # a yes/no survey: the questions (1-based) it counts
    project_name: str | None = None  # from an info line above the table
    score_decimals: int = 2  # the decimals the table shows question scores with

    @property
    def groups(self) -> list[tuple[int, int, int]]:
        """A yes/no survey whose questions were put to groups of clearly different size (20
        beneficiaries for questions 1-3, 100 residents for 4-5): each run of questions with its count,
        ``[(1, 3, 20), (4, 5, 100)]``; empty when all questions had about as many answers."""
        return answer_groups(self.answers) if self.form == "yes-no" else []

    @property
    def satisfaction_shown(self) -> Fraction | None:
        """The satisfaction as the figures show it (rounded to its decimals)."""
        if self.satisfaction is None:
            return None
        return Fraction(round_half_up(self.satisfaction, self.satisfaction_decimals))

    def to_json(self) -> dict[str, Any]:
        stated = self.stated_final
        data: dict[str, Any] = {
            "form": self.form,
            "sheet": self.sheet,
            "title": self.title,
            "respondents": self.respondents,
            "questions": len(self.labels),
            "satisfaction": None if (shown := self.satisfaction_shown) is None else float(shown),
            "stated_satisfaction": float(round_half_up(stated.value, stated.decimals)) if stated else None,
        }
        scheme = self.scheme
        if self.form == "yes-no":
            data.update(option_weights=None, option_weights_source=None, answers=list(self.answers),
                        satisfaction_questions=list(self.satisfaction_questions))
        else:
            data.update({
                "option_weights": {k: float(v) for k, v in scheme.option_weights.items()} if scheme else None,
                "option_weights_source": scheme.weights_source if scheme else None,
                "option_weights_preset": scheme.preset if scheme else None,
                "question_points": [float(p) for p in scheme.question_points] if scheme else None,
                "question_points_source": scheme.points_source if scheme else None,
                "answers": list(self.answers),
                "question_scores": [float(round_half_up(x, 4)) for x in self.question_scores],
                "option_counts": dict(self.option_counts or {}),
            })
        if self.project_name:
            data["project_name"] = self.project_name
        return data


def answer_groups(answers) -> list[tuple[int, int, int]]:
    """Runs of consecutive questions answered by as many people, when the sizes differ by a fifth or
    more (so a question with one answer missing is not a group of its own); else []."""
    runs: list[list[int]] = []
    for q, n in enumerate(answers, 1):
        if runs and runs[-1][2] == n and runs[-1][1] == q - 1:
            runs[-1][1] = q
        else:
            runs.append([q, q, n])
    sizes = sorted({n for _, _, n in runs})
    if len(sizes) < 2 or any(b - a < b / 5 for a, b in zip(sizes, sizes[1:])):
        return []
    return [(a, b, n) for a, b, n in runs]


def respondents(answers) -> int:
    """How many answered the survey: the groups' sizes added up, else the most answers of a question."""
    groups = answer_groups(answers)
    return sum({n for _, _, n in groups}) if groups else max(answers, default=0)
