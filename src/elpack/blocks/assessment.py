"""The final assessment: a pool of questions, scored, drawn afresh for each attempt."""

from __future__ import annotations

from typing import ClassVar

from ..containers import Container, TextRun
from ..model import Assessment as AssessmentBlock
from ..model import Block, Question
from .base import BlockType, ParseContext
from .question import QuestionBlockType


class AssessmentType(BlockType):
    names: ClassVar[tuple[str, ...]] = ("assessment",)
    runtime_module: ClassVar[str | None] = "blocks/assessment.js"

    def parse(self, container: Container, context: ParseContext) -> Block | None:
        context.attributes(container, set())
        questions: list[Question] = []
        for child in container.children:
            if isinstance(child, TextRun):
                if child.text.strip():
                    context.error(child.first_line, "only questions can be inside an assessment",
                                  "move this text before the '::: assessment' line")
            elif child.type != "question":
                context.error(child.line, f"a '{child.type}' block cannot be inside an assessment",
                              "an assessment holds '::: question' blocks only")
            else:
                question = QuestionBlockType().question(child, context, scored=True)
                if question is not None:
                    questions.append(question)
        if not questions:
            context.error(container.line, "the assessment has no questions",
                          "add '::: question' blocks inside it")
        return AssessmentBlock(container.line, container.attributes.get("id", "assessment"),
                               questions)

    def heading_level(self, name: str, attributes: dict[str, str]) -> int:
        return 2
