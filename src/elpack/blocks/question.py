"""Questions: a knowledge check, or one question of the assessment's pool.

The body is read here (question text, options with their feedback, general feedback); what a
line means as an option, and the checks that differ between question types, are the question
type's (see the ``questions`` package).
"""

from __future__ import annotations

import difflib
import re
import string
from typing import ClassVar

from ..containers import Container
from ..model import Block, Option, Question
from ..questions import OptionItem, QuestionType, question_types
from .base import INDENTED, INDENTED_FEEDBACK, BlockType, ParseContext

OPTION_IDS = string.ascii_lowercase  # SCORM 1.2 choice responses are single characters a-z
GENERAL_FEEDBACK = re.compile(r"^(correct|incorrect|feedback)\s*:\s*(.*)$", re.IGNORECASE)
# Lines a writer meant as an option but that miss the exact '- [ ] ' / '- [x] ' form: '-[x] a',
# '- [x]a', '- (x) a', '- [ x] a', '- [] a', '- [v] a', '[x] a'.
LOOSE_OPTION = re.compile(r"^[-*+]?\s*[\[(]\s*[xXvV\u2713\u2714*]?\s*[\])]\s*\S")
SHUFFLE_VALUES = ("true", "false", "yes", "no", "1", "0")
PLAIN_ITEM = re.compile(r"^[-*+]\s+(\S.*)$")


class QuestionBlockType(BlockType):
    names: ClassVar[tuple[str, ...]] = ("question",)
    # Checking a knowledge check; answering is the question type's own module (questions/).
    runtime_module: ClassVar[str | None] = "blocks/question.js"

    def parse(self, container: Container, context: ParseContext) -> Block | None:
        return self.question(container, context)

    def question(self, container: Container, context: ParseContext,
                 scored: bool = False) -> Question | None:
        attributes = context.attributes(container, {"type", "shuffle", "objective"})
        context.no_nesting(container)
        question_id = context.block_id(container, "q")
        declared = attributes.get("type")
        if declared is not None and declared not in question_types:
            names = question_types.names()
            guess = difflib.get_close_matches(declared, names, n=1)
            context.error(container.line, f"there is no question type '{declared}'",
                          f"did you mean '{guess[0]}'?" if guess else
                          f"question types: {', '.join(names)}")
            return None
        written = attributes.get("shuffle", "true").lower()
        if written not in SHUFFLE_VALUES:
            context.error(container.line, f"shuffle={attributes['shuffle']} is neither true nor "
                          "false", "write shuffle=false to keep the options in the written "
                          "order, or leave it out")
        shuffle = written not in ("false", "no", "0")
        parsed = _QuestionText(context, container, declared)
        kind = parsed.type
        question = Question(
            container.line, question_id, kind.name, context.markdown(parsed.prompt),
            parsed.options, parsed.general["correct"], parsed.general["incorrect"],
            parsed.general["feedback"], shuffle, scored and kind.scored,
            attributes.get("objective"))
        _check_question(question, kind, context)
        return question

    def learner_text(self, text: str) -> str | None:
        general = GENERAL_FEEDBACK.match(text)
        return general.group(2) if general else None


def _check_question(question: Question, kind: QuestionType, context: ParseContext) -> None:
    options = question.options
    line = question.line
    if not question.prompt_html:
        context.error(line, "the question has no question text",
                      "write the question on the lines before its options")
    if len(options) < kind.min_options:
        context.error(line, f"the question needs at least {kind.min_options} options; it has "
                      f"{len(options)}", "write options as '- [x] right' and '- [ ] wrong'")
        return
    if kind.needs_correct and not any(o.correct for o in options):
        context.error(line, "the question has no correct option",
                      "mark the right answer with '- [x]' instead of '- [ ]'")
    kind.check(question, context.error)
    if len(options) > len(OPTION_IDS):
        context.error(line, f"the question has {len(options)} options; the most is "
                      f"{len(OPTION_IDS)}", "split it into two questions")


class _QuestionText:
    """Reads a question body: prompt lines, options with feedback, and general feedback."""

    def __init__(self, context: ParseContext, container: Container, declared: str | None) -> None:
        self.context = context
        self.prompt: list[tuple[int, str]] = []
        self.raw: list[tuple[int, OptionItem, list[tuple[int, str]]]] = []
        self.general = {"correct": "", "incorrect": "", "feedback": ""}
        lines = container.text_lines()
        self.type = question_types[declared] if declared else self._infer(lines)
        general_lines: dict[str, list[tuple[int, str]]] = {}
        current_general: str | None = None
        checked_options = type(self.type).item is QuestionType.item  # '- [ ]' / '- [x]' options
        for line, text in lines:
            item = self.type.item(text)
            feedback = INDENTED_FEEDBACK.match(text)
            general = GENERAL_FEEDBACK.match(text) if self.raw else None
            loose = LOOSE_OPTION.match(text) if item is None and checked_options else None
            if loose:
                context.error(line, f"'{text.strip()[:40]}' looks like an option, but its marker "
                              "is not written the way elpack reads it",
                              "write '- [ ] ' for a wrong option or '- [x] ' for a right one: a "
                              "dash, a space, the brackets, a space, then the text")
                # Read on as the option it was meant to be: no knock-on "too few options".
                marker = loose.group(0)[:-1]
                item = OptionItem(text[len(marker):].strip(), any(c not in "-*+[]() " for c in marker))
            if item is None and text.startswith(">") and self.raw:
                context.error(line, "this '>' line is not indented, so it belongs to no option",
                              "indent the '>' by two spaces ('  > ...') to make it the feedback "
                              "of the option above it")
                continue
            if item is not None:
                current_general = None
                self.raw.append((line, item, []))
            elif not self.raw:
                self.prompt.append((line, text))
            elif general:
                current_general = general.group(1).lower()
                general_lines.setdefault(current_general, []).append((line, general.group(2)))
            elif not text.strip():
                current_general = None
            elif current_general:
                general_lines[current_general].append((line, text))
            elif feedback:
                self.raw[-1][2].append((line, feedback.group(1)))
            elif INDENTED.match(text):
                self.raw[-1][1].text += " " + text.strip()
            else:
                context.error(line, "this line is not an option, option feedback ('  > ...') "
                              "or 'Correct:'/'Incorrect:' feedback", self.type.option_hint)
        for key, numbered in general_lines.items():
            self.general[key] = context.markdown(numbered)
        if checked_options and self.raw:
            self._bracketless_options(context)
        self.options = self._options()

    def _bracketless_options(self, context: ParseContext) -> None:
        """A list item straight before the first option is an option without its brackets:
        it would silently become part of the question text."""
        for line, text in reversed(self.prompt):
            if not text.strip():
                break
            plain = PLAIN_ITEM.match(text)
            if not plain:
                break
            context.error(line, f"'{plain.group(1)[:40]}' is written like an option but has no "
                          "'[ ]' or '[x]', so learners would see it as part of the question",
                          f"write it as '- [ ] {plain.group(1)[:40]}' (or '- [x] ...' if it is "
                          "right)")

    @staticmethod
    def _infer(lines: list[tuple[int, str]]) -> QuestionType:
        """The type of a question written without type=...: the highest-ranked type that
        recognises its lines, else single choice."""
        texts = [t for _, t in lines]
        ranked = sorted((kind for kind in question_types if kind.inferred_rank is not None),
                        key=lambda kind: -(kind.inferred_rank or 0))
        return next((kind for kind in ranked if kind.infers(texts)), question_types["single"])

    def _options(self) -> list[Option]:
        context = self.context
        options = []
        for index, (line, item, feedback_lines) in enumerate(self.raw):
            option_id = OPTION_IDS[index % len(OPTION_IDS)]  # over 26 is reported as an error
            self.type.check_item(item, line, context.error)
            feedback = context.markdown(feedback_lines)
            html = context.renderer.inline(item.text, context.file, line)
            options.append(Option(option_id, line, item.text.strip(), html,
                                  item.correct, feedback, item.partner))
        return options
