"""`elpack new`: a starting module that builds and validates as it is."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from ..errors import ElpackError
from ..schema import SLUG


def module_id_from_name(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    if slug and not slug[0].isalpha():
        slug = "module-" + slug
    return slug


def create_module(name: str, parent: Path) -> Path:
    module_id = module_id_from_name(name)
    if not SLUG.match(module_id):
        raise ElpackError(f"cannot make a module id from '{name}': use letters and digits, "
                          "e.g. 'elpack new sepsis-awareness'")
    target = parent / module_id
    if target.exists():
        raise ElpackError(f"{target} already exists: choose another name or delete it first")
    title = name.strip() if any(c.isupper() or c == " " for c in name) else \
        module_id.replace("-", " ").capitalize()
    scaffold = resources.files("elpack") / "scaffold"
    (target / "pages").mkdir(parents=True)
    (target / "media").mkdir()
    config = (scaffold / "module.yml").read_text(encoding="utf-8")
    config = config.replace("__ID__", module_id).replace("__TITLE__", title.replace('"', "'"))
    (target / "module.yml").write_text(config, encoding="utf-8")
    for page in sorted((scaffold / "pages").iterdir(), key=lambda p: p.name):
        (target / "pages" / page.name).write_text(page.read_text(encoding="utf-8"),
                                                  encoding="utf-8")
    return target
