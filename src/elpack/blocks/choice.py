"""Branching choices: "what would you do?", each option leading to a consequence page or passage."""

from __future__ import annotations

import re
from typing import ClassVar

from ..containers import Container
from ..model import Block, BranchChoice, BranchOption
from .base import INDENTED, INDENTED_FEEDBACK, BlockType, ParseContext
from .question import OPTION_IDS

BRANCH_ITEM = re.compile(r"^[-*+]\s+(\S.*)$")



def _split_target(text: str) -> tuple[str, str | None]:
    """'What you would do -> page-id' as (label, target); a target is one word after the last
    '->', which has a space before it. str methods, so linear in the line's length."""
    text = text.rstrip()
    at = text.rfind("->")
    target = text[at + 2:].strip() if at > 0 else ""
    if at > 0 and text[at - 1].isspace() and target and not any(c.isspace() for c in target):
        label = text[:at].rstrip()
        if label:
            return label, target
    return text, None


def branch_item(text: str) -> tuple[str, str | None] | None:
    """An option line '- label -> target' as (label, target or None)."""
    item = BRANCH_ITEM.match(text)
    return _split_target(item.group(1)) if item else None

class ChoiceType(BlockType):
    names: ClassVar[tuple[str, ...]] = ("choice",)
    runtime_module: ClassVar[str | None] = "blocks/choice.js"

    def parse(self, container: Container, context: ParseContext) -> Block | None:
        context.attributes(container, set())
        context.no_nesting(container)
        block_id = context.block_id(container, "choice")
        prompt: list[tuple[int, str]] = []
        options: list[BranchOption] = []
        feedback: dict[int, list[str]] = {}
        for line, text in container.text_lines():
            item = branch_item(text) if not INDENTED.match(text) else None
            consequence = INDENTED_FEEDBACK.match(text)
            if item:
                written, target = _checked_option(item[0], item[1], line, context)
                label = context.renderer.inline(written, context.file, line)
                options.append(BranchOption(OPTION_IDS[min(len(options), 25)], line, label,
                                            target))
            elif options and consequence:
                feedback.setdefault(len(options) - 1, []).append(consequence.group(1))
            elif options and text.startswith(">"):
                context.error(line, "this '>' line is not indented, so it belongs to no option",
                              "indent the '>' by two spaces ('  > ...') to make it the "
                              "consequence of the option above it")
            elif options and text.strip():
                context.error(line, "unexpected text after the choice's options",
                              "put the question before the options; indent '> ...' lines for an "
                              "option's consequence")
            elif not options:
                prompt.append((line, text))
        for index, lines in feedback.items():
            options[index].feedback_html = context.renderer.convert(
                "\n".join(lines), context.file, options[index].line + 1)
        if not 2 <= len(options) <= 4:
            context.error(container.line, f"a choice needs 2 to 4 options; this one has "
                          f"{len(options)}", "write each option as '- What you would do -> page-id'")
        for option in options:
            if option.target is None and not option.feedback_html:
                context.error(option.line, "this option leads nowhere",
                              "add '-> page-id' to go to a consequence page, or an indented "
                              "'> ...' line with the consequence")
        return BranchChoice(container.line, block_id, context.markdown(prompt), options)

    def item_text(self, item: str) -> str:
        return _split_target(item)[0]  # learners never read the '-> page-id'


CHECKBOX = re.compile(r"^\[[ xX]?\]\s*")


def _checked_option(text: str, target: str | None, line: int,
                    context: ParseContext) -> tuple[str, str | None]:
    """An option's text and target, reporting what looks like syntax of something else: a '[x]'
    of a question, or a '->' without the space before it. The target such a '->' meant is
    still followed, so that the writer is not also told the option "leads nowhere"."""
    box = CHECKBOX.match(text)
    if box:
        context.error(line, f"'{box.group(0).strip()}' means nothing in a choice, and learners "
                      "would see it", "remove it: a choice has no right answer, every option "
                      "is a path ('- What you would do -> page-id')")
    if target is None and "->" in text:  # no regular expression: a line can be long
        before, _, after = text.rpartition("->")
        words = before.split()
        page = after.strip()
        if words and page and not before[-1:].isspace() and " " not in page:
            context.error(line, f"'{words[-1]}->{page}' has no space before '->', so it is "
                          "read as part of the option's text",
                          f"write '{words[-1]} -> {page}' with a space before '->'")
            return before, page
    return text, target
