"""`elpack inspect`: the content model as JSON, for QA, translation and tooling."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..characters import Character
from ..config import Objective
from ..model import Assessment, Module, Question
from ..pipeline import CheckedModule, load_checked_module
from ..programme import is_programme
from ..programme_build import read_programme
from ..questions import question_type

INSPECT_FORMAT = 1


def _plain(value: Any, module_root: Path) -> Any:
    if isinstance(value, Character):
        return value.id
    if isinstance(value, Objective):  # as in module.yml's simple form; questions name them
        return value.text
    if isinstance(value, Path):
        return value.relative_to(module_root).as_posix()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        kind = getattr(type(value), "kind", None)  # blocks and questions name their kind
        data: dict[str, Any] = {"kind": kind} if kind is not None else {}
        for item in dataclasses.fields(value):
            if isinstance(value, Assessment) and item.name == "questions":
                data["questions"] = [q.id for q in value.questions]
            else:
                data[item.name] = _plain(getattr(value, item.name), module_root)
        return data
    if isinstance(value, list | tuple):
        return [_plain(v, module_root) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v, module_root) for k, v in value.items()}
    return value


def _question(question: Question, page_id: str, root: Path) -> dict[str, Any]:
    kind = question_type(question)
    data: dict[str, Any] = _plain(question, root)
    data.update(page=page_id, interaction=kind.interaction,
                correct_pattern=kind.correct_pattern(question), **kind.inspect(question))
    return data


def inspect_model(module: Module) -> dict[str, Any]:
    """The documented JSON shape (docs/inspect.md)."""
    config = module.config
    root = config.root
    settings = {f.name: _plain(getattr(config, f.name), root) for f in dataclasses.fields(config)
                if f.name not in ("root", "document", "programme")}
    pages: list[dict[str, Any]] = []
    questions: list[dict[str, Any]] = []
    for page in module.pages:
        pages.append({"id": page.id, "title": page.title, "file": _plain(page.file, root),
                      "branch": page.branch, "next": page.next,
                      "blocks": [_plain(b, root) for b in page.blocks]})
        questions.extend(_question(q, page.id, root) for q in page.walk()
                         if isinstance(q, Question))
    assessment = module.assessment
    return {
        "format": INSPECT_FORMAT,
        "module": settings,
        "pages": pages,
        "questions": questions,
        "assessment": None if assessment is None else {
            "id": assessment.id, "pool": [q.id for q in assessment.questions],
            "draw": module.draw,
            "attempts": config.assessment.attempts, "pass_mark": config.pass_mark},
        "media": sorted(module.media),
    }


def inspect_module(root: Path, targets: Sequence[str] = ()) -> dict[str, Any]:
    """The content model of a module that passes every check of `elpack build` for ``targets``
    (default: module.yml's), with how each target's saved state is shared; for a programme
    folder, the programme's settings and the content model of each of its modules."""
    if is_programme(root):
        return inspect_programme(root, targets)
    return _inspect_checked(load_checked_module(root, list(targets) or None))


def _inspect_checked(checked: CheckedModule) -> dict[str, Any]:
    model = inspect_model(checked.module)
    model["saved_state"] = {
        target.name: {"element": target.saved_state_element, "limit": budget.limit,
                      "worst_case": budget.worst_case, "reflections": budget.reflections,
                      "reflection_limit": budget.reflection_limit}
        for target in checked.targets for budget in [checked.budgets[target.name]]}
    return model


def inspect_programme(root: Path, targets: Sequence[str] = ()) -> dict[str, Any]:
    config, _ = read_programme(root)
    settings = {f.name: _plain(getattr(config, f.name), root)
                for f in dataclasses.fields(config) if f.name not in ("root", "document")}
    settings["modules"] = [{"folder": m.folder, "requires": list(m.requires)}
                           for m in config.modules]
    return {"format": INSPECT_FORMAT, "programme": settings,
            "modules": [_inspect_checked(load_checked_module(module, list(targets) or None,
                                                             programme=config))
                        for module in config.module_roots()]}
