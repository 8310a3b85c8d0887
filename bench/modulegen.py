"""Generated modules for the benchmarks: realistic pages, stories and questions, any size."""

from __future__ import annotations

from pathlib import Path

CONFIG = """id: {module_id}
title: {title}
description: Generated for benchmarking elpack.
version: "1.0.0"
language: en-GB
duration_minutes: 300
pass_mark: 80
characters:
  - id: sam
    name: Sam Okoro
    role: Paramedic
  - id: dr-hale
    name: Dr Ruth Hale
    role: Clinical psychologist
assessment:
  draw: {draw}
"""

PARAGRAPH = (
    "Reflective practice asks you to look again at what happened, how you felt, and what you "
    "might do differently. **Frequent attendance** is rarely about one thing; loneliness, "
    "health anxiety and unmet social needs often sit behind it. *Take a moment* to think about "
    "a person you have met recently, and what else might have been going on for them.\n"
)


def question(number: int) -> str:
    return f"""::: question {{#q-{number}}}
Which of these is most likely to help in situation {number}?

- [ ] Telling the person not to call again
  > This tends to increase anxiety and repeat calls.
- [x] Asking an open question about what has changed
  > Yes: open questions help you find the need behind the call.
- [ ] Ending the conversation quickly
  > Speed can feel efficient but often leads to another call.

Correct: Well done.
Incorrect: Think about what might lie behind the call.
:::
"""


def make_module(root: Path, pages: int, questions: int, assessment: int = 25,
                module_id: str = "large-module", title: str = "A large generated module") -> Path:
    """Write a module of ``pages`` pages, each with two paragraphs, a list, a dialogue and a
    callout; ``questions`` questions, of which ``assessment`` form the final assessment pool on
    the last page and the rest are knowledge checks spread over the other pages."""
    (root / "pages").mkdir(parents=True)
    (root / "module.yml").write_text(CONFIG.format(module_id=module_id, title=title,
                                                   draw=min(20, assessment)))
    per_page = -(-questions // pages)
    made = 0
    for index in range(1, pages + 1):
        body = [f"# Page {index}\n", PARAGRAPH, "## A closer look\n", PARAGRAPH,
                "- first point\n- second point\n- third point\n",
                "::: dialogue\nsam: How are things at home at the moment?\n"
                "dr-hale: Notice the pause before the answer.\n:::\n",
                "::: key-point\nFrustration is a normal reaction.\n:::\n"]
        in_assessment = index == pages
        if not in_assessment:
            for _ in range(per_page):
                if made < questions - assessment:
                    made += 1
                    body.append(question(made))
        else:
            body.append(":::: assessment\n")
            while made < questions:
                made += 1
                body.append(question(made))
            body.append("::::\n")
        (root / "pages" / f"{index:03d}-page-{index}.md").write_text("\n".join(body))
    return root
