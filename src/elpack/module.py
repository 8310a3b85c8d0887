"""Loading a whole module: config, pages, and the checks that span pages."""

from __future__ import annotations

import difflib
from pathlib import Path

from .config import ModuleConfig, load_config
from .errors import Problems, counted
from .markdown_render import MarkdownRenderer
from .model import Assessment, BranchChoice, Module, Page, Question
from .parser import PAGES_DIR, PageParser, find_pages, page_id_from_file
from .paths import ModulePaths, PathRefused


def load_module(root: Path, problems: Problems) -> Module | None:
    """Parse ``root`` into a :class:`Module`; every problem goes to ``problems``.

    Returns None only when the module cannot be read at all (no usable module.yml).
    """
    config = load_config(root, problems)
    return None if config is None else read_pages(config, problems)


def read_pages(config: ModuleConfig, problems: Problems) -> Module:
    """Parse the pages of the module whose settings are ``config`` into its content model, with
    the checks that span pages; every problem goes to ``problems``."""
    paths = ModulePaths(config.root, max_file_mb=config.max_media_mb)
    page_files: dict[str, str] = {}
    renderer = MarkdownRenderer(paths, problems, config.glossary, page_files,
                                allow_raw_html=config.allow_raw_html)
    parser = PageParser(config, problems, renderer, paths)
    texts = [t for t in map(parser.read, find_pages(config, problems)) if t is not None]
    page_files.update({text.file.name: text.id for text in texts})
    pages = [parser.parse(text) for text in texts]
    module = Module(config, pages, renderer.media)
    _check_avatars(module, paths, problems)
    _check_ids(module, problems)
    _check_paths(module, problems)
    _check_assessment(module, problems)
    _check_objectives(module, problems)
    return module


def _check_avatars(module: Module, paths: ModulePaths, problems: Problems) -> None:
    config = module.config
    for index, character in enumerate(config.characters):
        if character.avatar:
            try:
                module.media.add(paths.resolve(character.avatar))
            except PathRefused as refused:
                problems.error(config.path, config.line_of("characters", index, "avatar"),
                               f"the avatar '{character.avatar}' {refused}", refused.hint)


def _check_ids(module: Module, problems: Problems) -> None:
    pages_seen: dict[str, Page] = {}
    for page in module.pages:
        if page.id in pages_seen:
            problems.error(page.file, 1, f"the page id '{page.id}' is also used by "
                           f"{pages_seen[page.id].file.name}",
                           "rename one file, or set a different 'id:' in its front matter")
        pages_seen[page.id] = page
    blocks_seen: dict[str, tuple[Path, int]] = {}
    for page in module.pages:
        for block in page.walk():
            block_id = getattr(block, "id", "")
            if not block_id:
                continue
            if block_id in blocks_seen:
                file, line = blocks_seen[block_id]
                problems.error(page.file, block.line, f"the id '{block_id}' is used twice "
                               f"(first in {file.name} line {line})",
                               "give each block a different id")
            else:
                blocks_seen[block_id] = (page.file, block.line)


def _check_paths(module: Module, problems: Problems) -> None:
    """Branch targets exist; every page is reachable and every path reaches the end.

    A link to a page that is missing is reported once per cause: a page file left out of
    'pages:' is one error however many pages lead to it, and the pages stuck behind a missing
    link are not reported again as unreachable or as going round in a circle.
    """
    pages = {p.id: p for p in module.pages}
    main_line = [p for p in module.pages if not p.branch]
    if not main_line:
        if module.pages:
            problems.error(module.pages[0].file, 1, "every page is a branch page",
                           "remove 'branch: true' from the pages of the main line")
        return
    edges: dict[str, set[str]] = {p.id: set() for p in module.pages}
    for index, page in enumerate(main_line[:-1]):
        edges[page.id].add(main_line[index + 1].id)
    missing: dict[str, list[tuple[Page, int, str]]] = {}  # target -> (page, line, how it is named)
    for page in module.pages:
        if page.next is not None:
            if page.next not in pages:
                missing.setdefault(page.next, []).append((page, page.next_line, "next"))
            else:
                edges[page.id] = {page.next}
        elif page.branch:
            problems.error(page.file, 1, f"the branch page '{page.id}' is a dead end",
                           "add 'next: page-id' to its front matter to return to the main line")
        for block in page.blocks:
            if isinstance(block, BranchChoice):
                for option in block.options:
                    if option.target is None:
                        continue
                    if option.target not in pages:
                        missing.setdefault(option.target, []).append((page, option.line, "->"))
                    else:
                        edges[page.id].add(option.target)
    # Pages that may be unreachable only because of a missing link: the page it most likely
    # meant, and any branch page when a page file was left out (its links are unknown).
    excused: set[str] = set()
    for target, links in missing.items():
        if _report_missing_target(module, target, links, problems):
            excused |= {p.id for p in module.pages if p.branch}
        excused |= set(difflib.get_close_matches(target, list(pages), n=1))
    stuck = {page.id for links in missing.values() for page, _, _ in links}
    reachable = _reach(main_line[0].id, edges)
    for page in module.pages:
        if page.id not in reachable and page.id not in excused:
            problems.error(page.file, 1, f"the page '{page.id}' cannot be reached",
                           "link to it from a choice ('- option -> " + page.id + "'), or remove "
                           "'branch: true'")
    end = main_line[-1].id
    for page_id in sorted(reachable):
        onward = _reach(page_id, edges)
        if pages[page_id].next is not None and end not in onward and not stuck & onward:
            problems.error(pages[page_id].file, pages[page_id].next_line,
                           f"from '{page_id}' the learner can never reach the last page '{end}'",
                           "check the 'next:' values: they go round in a circle")


def _report_missing_target(module: Module, target: str, links: list[tuple[Page, int, str]],
                           problems: Problems) -> bool:
    """One link target that names no page: a page left out of 'pages:' (True), a file name
    where the page id belongs, or a typing mistake."""
    config = module.config
    ids = {p.id for p in module.pages}
    by_file = {p.file.name: p.id for p in module.pages}
    by_file.update({p.file.stem: p.id for p in module.pages})
    left_out = sorted(f for f in (config.root / PAGES_DIR).glob("*.md")
                      if page_id_from_file(f) == target and f.name not in by_file)
    if left_out and config.pages is not None:
        file = left_out[0]
        places = ", ".join(f"{page.file.name} line {line}" for page, line, _ in links)
        # The root cause replaces the "not listed" warning of find_pages for this file.
        where = problems.where(file)
        problems.items[:] = [p for p in problems.items if not (
            p.file == where and p.message.startswith("this page is not listed"))]
        problems.error(config.path, config.line_of("pages"),
                       f"pages/{file.name} is left out of 'pages:', but "
                       f"{counted(len(links), 'link')} lead{'s' if len(links) == 1 else ''} to its "
                       f"page '{target}' ({places})",
                       f"add '- {file.name}' to 'pages:' in module.yml")
        return True
    for page, line, how in links:
        written = f"next: {target}" if how == "next" else f"-> {target}"
        page_id = by_file.get(target) or by_file.get(Path(target).stem) or \
            (page_id_from_file(Path(target)) if page_id_from_file(Path(target)) in ids else None)
        if page_id is not None:
            fixed = f"next: {page_id}" if how == "next" else f"-> {page_id}"
            problems.error(page.file, line, f"'{written}' names a file, but a link needs the "
                           "page id", f"use the page id '{page_id}': '{fixed}'")
            continue
        guess = difflib.get_close_matches(target, sorted(ids), n=1)
        problems.error(page.file, line, f"'{written}' names no page of this module",
                       f"did you mean '{guess[0]}'?" if guess else
                       f"page ids: {', '.join(p.id for p in module.pages)}")
    return False


def _reach(start: str, edges: dict[str, set[str]]) -> set[str]:
    seen = {start}
    todo = [start]
    while todo:
        for target in edges.get(todo.pop(), ()):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def _check_assessment(module: Module, problems: Problems) -> None:
    config: ModuleConfig = module.config
    assessments = [(p, b) for p in module.pages for b in p.blocks if isinstance(b, Assessment)]
    for page, block in assessments[1:]:
        problems.error(page.file, block.line, "a module can have only one assessment",
                       "put every final-assessment question in the same '::: assessment' block")
    draw = config.assessment.draw
    if not assessments:
        if draw is not None:
            problems.warning(config.path, config.line_of("assessment", "draw"),
                             "'assessment: draw' is set but the module has no assessment",
                             "add an '::: assessment' block, or remove 'draw'")
        return
    page, assessment = assessments[0]
    pool = len(assessment.questions)
    if draw is not None and draw > pool:
        problems.error(config.path, config.line_of("assessment", "draw"),
                       f"the assessment draws {counted(draw, 'question')} but its pool has only {pool}",
                       f"add questions to the assessment in {page.file.name}, or lower 'draw'")
    opinions = sum(1 for q in assessment.questions if not q.scored)
    if module.is_scored and draw is not None and opinions >= draw:
        # A draw of opinion questions only would have nothing to score, yet must pass or fail.
        problems.error(config.path, config.line_of("assessment", "draw"),
                       f"the assessment draws {counted(draw, 'question')}, and {opinions} of its pool are "
                       "opinion (likert) questions, so a draw could have nothing to score",
                       f"set 'draw' above {opinions}, or move opinion questions out of the assessment")


def _check_objectives(module: Module, problems: Problems) -> None:
    """objective=... names an objective of module.yml; ids are unique; 'draw_by: objective'
    can be honoured."""
    config = module.config
    seen: dict[str, int] = {}
    for objective in config.objectives:
        if objective.id is None:
            continue
        if objective.id in seen:
            problems.error(config.path, objective.line, f"the objective id '{objective.id}' is "
                           f"used twice (first by objective {seen[objective.id]})",
                           "give each objective a different id")
        seen.setdefault(objective.id, objective.number)
    for page in module.pages:
        for block in page.walk():
            if not isinstance(block, Question) or block.objective is None:
                continue
            if config.objective_named(block.objective) is None:
                count = len(config.objectives)
                names = ", ".join(str(o.number) + (f" or {o.id}" if o.id else "")
                                  for o in config.objectives)
                problems.error(page.file, block.line,
                               f"objective={block.objective} names no learning objective of "
                               f"this module (it has {counted(count, 'objective')})",
                               f"use one of: {names}" if count else
                               "list the learning objectives under 'objectives:' in module.yml")
    if config.assessment.draw_by != "objective" or module.assessment is None:
        return
    tested = objectives_tested(module)
    if not config.objectives:
        problems.error(config.path, config.line_of("assessment", "draw_by"),
                       "'draw_by: objective' is set but the module has no learning objectives",
                       "list them under 'objectives:', or remove 'draw_by'")
    elif module.draw < len(tested):
        problems.error(config.path, config.line_of("assessment", "draw"),
                       f"the assessment draws {counted(module.draw, 'question')}, too few to cover the "
                       f"{len(tested)} objectives its questions test ('draw_by: objective')",
                       f"set 'draw' to {len(tested)} or more")


def objectives_tested(module: Module) -> dict[int, list[Question]]:
    """The scored assessment questions of each objective (by number) that has any."""
    config = module.config
    tested: dict[int, list[Question]] = {}
    assessment = module.assessment
    for question in assessment.questions if assessment else []:
        objective = config.objective_named(question.objective or "")
        if objective is not None and question.type != "likert":
            tested.setdefault(objective.number, []).append(question)
    return tested
