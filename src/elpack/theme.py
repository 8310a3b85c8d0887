"""Themes: a stack of template and static folders (module overrides, theme, parent themes)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from .config import ModuleConfig
from .errors import Problems
from .schema import SLUG, SLUG_HINT, AnyMapping, Context, Text, validate
from .yamlfile import YamlProblem, load_yaml

THEME_FILE = "theme.yml"
MODULE_OVERRIDES = "theme"  # a module's own folder of template and static overrides
THEME_SCHEMA = {
    "name": Text("Human-readable name of the theme.", required=True, max_length=100),
    "extends": Text("Optional parent theme whose templates and static files this one builds on.",
                    pattern=SLUG, pattern_hint=SLUG_HINT),
    "options": AnyMapping("Options with their default values, e.g. colours or a logo.",
                          default=dict),
}


def builtin_themes_dir() -> Path:
    """The themes shipped with elpack: inside the installed package, or the source checkout."""
    here = Path(__file__).resolve().parent
    packaged = here / "themes"
    return packaged if packaged.is_dir() else here.parent.parent / "themes"


def theme_search_path(module_root: Path) -> list[Path]:
    """Where themes are looked up: the project's themes/ beside modules/, then built-in ones."""
    project = module_root.resolve().parent.parent / "themes"
    paths = [project, builtin_themes_dir()]
    return list(dict.fromkeys(p for p in paths if p.is_dir()))


@dataclass
class Theme:
    """A resolved theme: its folders from highest to lowest priority, and merged options."""

    name: str
    layers: list[Path]
    options: dict = field(default_factory=dict)

    def environment(self) -> jinja2.Environment:
        loader = jinja2.FileSystemLoader([layer / "templates" for layer in self.layers
                                          if (layer / "templates").is_dir()])
        return jinja2.Environment(
            loader=loader,
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )

    def static_files(self) -> dict[str, Path]:
        """Package path (under assets/) to source file; higher layers win."""
        files: dict[str, Path] = {}
        for layer in reversed(self.layers):
            static = layer / "static"
            if static.is_dir():
                for path in sorted(static.rglob("*")):
                    if path.is_file():
                        files["assets/" + path.relative_to(static).as_posix()] = path
        return dict(sorted(files.items()))


def load_theme(config: ModuleConfig, problems: Problems) -> Theme | None:
    """Resolve the module's theme and its parents; report unknown themes and bad theme.yml."""
    search = theme_search_path(config.root)
    layers: list[Path] = []
    option_layers: list[dict] = []
    name: str | None = config.theme
    line = config.line_of("theme")
    while name is not None:
        folder = next((base / name for base in search if (base / name / THEME_FILE).is_file()),
                      None)
        if folder is None:
            known = sorted({p.name for base in search for p in base.iterdir()
                            if (p / THEME_FILE).is_file()})
            problems.error(config.path, line, f"there is no theme '{name}'",
                           f"themes available: {', '.join(known) or 'none'}")
            return None
        if folder in layers:
            problems.error(folder / THEME_FILE, 1, f"theme '{name}' extends itself in a circle",
                           "fix the 'extends:' values")
            return None
        settings = _read_theme_file(folder / THEME_FILE, problems)
        if settings is None:
            return None
        layers.append(folder)
        option_layers.append(settings["options"] or {})
        name = settings["extends"]
        line = 1
    overrides = config.root / MODULE_OVERRIDES
    if overrides.is_dir():
        layers.insert(0, overrides)
    options: dict = {}
    for layer_options in reversed(option_layers):
        options.update(layer_options)
    for key, value in config.theme_options.items():
        if key not in options:
            problems.warning(config.path, config.line_of("theme_options", key),
                             f"the theme '{config.theme}' has no option '{key}'; it is ignored",
                             f"theme options: {', '.join(sorted(map(str, options))) or 'none'}")
        options[key] = value
    return Theme(config.theme, layers, options)


def _read_theme_file(path: Path, problems: Problems) -> dict | None:
    try:
        document = load_yaml(path.read_text(encoding="utf-8"))
    except YamlProblem as error:
        problems.error(path, error.line, error.message, error.hint)
        return None
    if not isinstance(document.data, dict):
        problems.error(path, 1, "theme.yml must be 'key: value' lines", "add 'name: My theme'")
        return None
    values = validate(document.data, THEME_SCHEMA, Context(document, (), path, problems))
    return None if values["name"] is None else values
