"""Assessment design checks: does the assessment measure what the module says it teaches?

Warnings only, made by `elpack check` and by every build (see docs/checks.md):

- an objective that no assessment question tests, or that a random draw can leave untested;
- the correct option being the longest in more than half of the single-choice questions (test-wise
  learners pick the longest option and pass without knowing the answer);
- an assessment question that is a near-copy of a knowledge check (it then tests memory of
  that page, not understanding);
- a stated duration far below what the module's words and activities need.
"""

from __future__ import annotations

import dataclasses
import html
import math
import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from .errors import Problems, counted
from .model import Assessment, BranchChoice, Module, Page, Question, Reflection
from .module import objectives_tested

READING_WORDS_PER_MINUTE = 200
MINUTES_PER_QUESTION = 1.0  # reading it, answering, reading the feedback
MINUTES_PER_REFLECTION = 2.0  # thinking and writing a few sentences
MINUTES_PER_CHOICE = 1.0  # a branching decision
# A stated duration below this share of the estimate is "far below" it.
DURATION_SHARE = 0.75
# Near-copies: questions whose words are at least this similar (0 to 1, difflib's ratio).
NEAR_COPY_RATIO = 0.8
# Below this many single-choice questions, "more than half" is chance, not a habit.
MIN_QUESTIONS_FOR_LENGTH_CUE = 4
TAG = re.compile(r"<[^>]+>")
SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class DurationEstimate:
    """The learning time a module needs, by the formula in docs/checks.md."""

    words: float  # read on one path through the module
    questions: float  # answered: the knowledge checks and the drawn assessment questions
    reflections: int
    choices: int

    @property
    def minutes(self) -> float:
        return (self.words / READING_WORDS_PER_MINUTE + self.questions * MINUTES_PER_QUESTION
                + self.reflections * MINUTES_PER_REFLECTION + self.choices * MINUTES_PER_CHOICE)


def check_design(module: Module, problems: Problems) -> None:
    """Every assessment design warning for ``module``."""
    _check_objective_coverage(module, problems)
    _check_length_cue(module, problems)
    _check_near_copies(module, problems)
    _check_duration(module, estimate_duration(module), problems)


def untested_share(pool: int, testing: int, draw: int) -> float:
    """The share of random draws of ``draw`` from ``pool`` questions that hold none of the
    ``testing`` questions of one objective."""
    return math.comb(pool - testing, draw) / math.comb(pool, draw) if draw <= pool else 0.0


def _check_objective_coverage(module: Module, problems: Problems) -> None:
    config = module.config
    assessment = module.assessment
    # Until the questions say which objective they test, there is nothing to check against.
    if not config.objectives or assessment is None or not any(
            q.objective for q in module.questions):
        return
    tested = objectives_tested(module)
    for objective in config.objectives:
        if objective.number not in tested:
            problems.warning(config.path, objective.line,
                             f"objective {objective.number} ('{_short(objective.text)}') has no "
                             "assessment question, so passing says nothing about it",
                             "add an assessment question with "
                             f"objective={objective.id or objective.number}")
    if config.assessment.draw_by == "objective":
        return
    pool, draw = len(assessment.questions), module.draw
    for objective in config.objectives:
        share = untested_share(pool, len(tested.get(objective.number, [])), draw)
        if objective.number in tested and share > 0:
            problems.warning(config.path, config.line_of("assessment", "draw"),
                             f"drawing {draw} of {pool} questions leaves objective "
                             f"{objective.number} ('{_short(objective.text)}') untested in "
                             f"{_percent(share)} of attempts",
                             "add 'draw_by: objective' under 'assessment:' so that every "
                             "attempt covers every objective, or draw more questions")


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _percent(share: float) -> str:
    return f"{share:.1%}" if share < 0.1 else f"{share:.0%}"


def plain_text(markup: str) -> str:
    """The words of an HTML fragment, lowercased, for comparing questions."""
    return SPACE.sub(" ", html.unescape(TAG.sub(" ", markup))).strip().lower()


def _where(module: Module, question: Question) -> Page:
    return next(page for page in module.pages if any(b is question for b in page.walk()))


def _check_length_cue(module: Module, problems: Problems) -> None:
    single = [q for q in module.questions
              if q.type == "single" and len(q.options) > 1 and sum(o.correct for o in q.options) == 1]
    cued = [q for q in single if _correct_is_longest(q)]
    if len(single) < MIN_QUESTIONS_FOR_LENGTH_CUE or len(cued) * 2 <= len(single):
        return
    places = ", ".join(f"{_where(module, q).file.name} line {q.line}" for q in cued)
    first = cued[0]
    problems.warning(_where(module, first).file, first.line,
                     f"the correct option is the longest in {len(cued)} of {len(single)} "
                     f"single-choice questions ({places}), so learners can pass by picking "
                     "the longest option",
                     "make some wrong options as long and specific as the right one, or the "
                     "right one shorter")


def _correct_is_longest(question: Question) -> bool:
    correct = next(o for o in question.options if o.correct)
    return all(len(correct.text) > len(o.text) for o in question.options if o is not correct)


def _question_text(question: Question) -> str:
    options = " ".join(sorted(plain_text(o.html) for o in question.options))
    return f"{plain_text(question.prompt_html)} {options}"


def _check_near_copies(module: Module, problems: Problems) -> None:
    assessment = module.assessment
    if assessment is None:
        return
    checks = [(q, _question_text(q)) for q in module.knowledge_checks]
    for question in assessment.questions:
        text = _question_text(question)
        for check, check_text in checks:
            matcher = SequenceMatcher(None, text, check_text, autojunk=False)
            if matcher.real_quick_ratio() >= NEAR_COPY_RATIO \
                    and matcher.quick_ratio() >= NEAR_COPY_RATIO \
                    and matcher.ratio() >= NEAR_COPY_RATIO:
                page = _where(module, check)
                problems.warning(_where(module, question).file, question.line,
                                 f"this assessment question is a near-copy of the knowledge "
                                 f"check in {page.file.name} line {check.line} "
                                 f"({matcher.ratio():.0%} the same text)",
                                 "ask about the same objective in a new way, for example "
                                 "through a short case, so that it tests understanding, "
                                 "not memory of that page")
                break


def word_count(markup: str) -> int:
    return len(plain_text(markup).split())


def _words_of(value: object) -> int:
    """The words of every '..._html' field of a block, its options, speeches and so on."""
    if isinstance(value, list):
        return sum(_words_of(item) for item in value)
    if not dataclasses.is_dataclass(value):
        return 0
    total = 0
    for item in dataclasses.fields(value):
        content = getattr(value, item.name)
        if item.name.endswith("html") and isinstance(content, str):
            total += word_count(content)
        elif isinstance(content, list):
            total += _words_of(content)
    return total


def _question_words(question: Question) -> int:
    """What a learner reads of one question: prompt, options, one option's feedback and the
    longer general feedback."""
    options = question.options
    return (word_count(question.prompt_html)
            + sum(word_count(o.html) + len((o.partner or "").split()) for o in options)
            + max([word_count(o.feedback_html) for o in options] + [0])
            + max(word_count(question.correct_html), word_count(question.incorrect_html))
            + word_count(question.feedback_html))


def estimate_duration(module: Module) -> DurationEstimate:
    """Reading at 200 words a minute on one path (every main-line page, the longest branch page,
    and the drawn share of the assessment; not references), plus a fixed time per activity."""
    main = longest_branch = 0
    reflections = choices = 0
    for page in module.pages:
        words = 0
        for block in page.blocks:
            if isinstance(block, Assessment) or getattr(block, "style", "") == "references":
                continue
            words += _words_of(block)
            reflections += isinstance(block, Reflection)
            choices += isinstance(block, BranchChoice)
        if page.branch:
            longest_branch = max(longest_branch, words)
        else:
            main += words
    drawn = 0
    assessment_words = 0.0
    assessment = module.assessment
    if assessment is not None and assessment.questions:
        pool = assessment.questions
        drawn = min(module.config.assessment.draw or len(pool), len(pool))
        assessment_words = sum(map(_question_words, pool)) * drawn / len(pool)
    return DurationEstimate(main + longest_branch + assessment_words,
                            len(module.knowledge_checks) + drawn, reflections, choices)


def _check_duration(module: Module, estimate: DurationEstimate, problems: Problems) -> None:
    config = module.config
    needed = estimate.minutes
    if config.duration_minutes >= needed * DURATION_SHARE:
        return
    problems.warning(config.path, config.line_of("duration_minutes"),
                     f"'duration_minutes: {config.duration_minutes}' is far below the "
                     f"{math.ceil(needed)} minutes the module needs ({estimate.words:,.0f} words "
                     f"at {READING_WORDS_PER_MINUTE} a minute, "
                     f"{counted(round(estimate.questions), 'question')}, "
                     f"{counted(estimate.reflections, 'reflection')}, "
                     f"{counted(estimate.choices, 'choice')}; see docs/checks.md)",
                     f"set 'duration_minutes: {math.ceil(needed)}', or cut the module down")


