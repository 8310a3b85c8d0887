"""A module of many reflections, whose saved progress needs more room than SCORM 1.2's 4096
characters: it builds for SCORM 2004 and is refused, with a way out, for SCORM 1.2."""

from __future__ import annotations

from pathlib import Path

REFLECTIONS = 14  # at the shortest useful reflection (300 characters) 14 need more than 4096


def write_reflective_module(parent: Path, targets: str = "") -> Path:
    """A module folder 'reflective' in ``parent``; ``targets`` is a module.yml 'targets:' value."""
    root = parent / "reflective"
    (root / "pages").mkdir(parents=True)
    # Recorded, not private: the reflections then travel in the LMS's saved progress.
    config = ("id: reflective\ntitle: Reflecting on practice\ndescription: Many reflections.\n"
              'version: "1.0.0"\nlanguage: en-GB\nduration_minutes: 30\nreflections: recorded\n')
    if targets:
        config += f"targets: {targets}\n"
    (root / "module.yml").write_text(config, encoding="utf-8")
    for number in range(1, REFLECTIONS + 1):
        (root / "pages" / f"{number:02d}-shift-{number}.md").write_text(
            f"# Shift {number}\n\nThink back over shift {number}.\n\n"
            f"::: reflect {{#r-shift-{number}}}\nWhat went well on shift {number}, and why?\n:::\n",
            encoding="utf-8")
    return root
