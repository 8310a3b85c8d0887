"""One small broken module per message, in the style of markdown-it-py's fixture files.

Each file in tests/fixtures/messages/ holds cases:

    title of the case
    .
    === pages/01-page.md
    # Page
    ...
    === module.yml +
    pass_mark: 120
    .
    fixture/pages/01-page.md:6: error: the message as the writer reads it
    .

The input names files of a module in a folder ``fixture`` (``(cp1252)`` after a name saves it in
that encoding): module.yml is the test config of
conftest.py unless given (``module.yml +`` adds lines to it); without a page, a one-line welcome
page is used. A case with a programme.yml is a programme in ``fixture``: its files are written
as given (``modules/<name>/...``), and the output is what building the programme reports. The
output is every error and warning the module gets, in report order, without the fix lines.
``test_every_message_has_a_fixture`` reads the source of the modules that report authoring
problems and fails when a message has no case here.
"""

from __future__ import annotations

import ast
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import MINIMAL_CONFIG, REPO
from elpack.errors import BuildError, Problem
from elpack.pipeline import load_checked_module
from elpack.programme import is_programme
from elpack.programme_build import read_programme

FIXTURES = Path(__file__).parent / "fixtures" / "messages"
SOURCE = REPO / "src" / "elpack"
# The modules whose messages need a fixture, and the calls that carry a message.
MESSAGE_MODULES = ["parser.py", "config.py", "containers.py", "module.py", "yamlfile.py",
                   "textfile.py", "characters.py", "programme.py", "programme_build.py",
                   *sorted(f"blocks/{p.name}" for p in (SOURCE / "blocks").glob("*.py")),
                   *sorted(f"questions/{p.name}" for p in (SOURCE / "questions").glob("*.py"))]
MESSAGE_CALLS = {"error", "warning", "report", "YamlProblem", "NotUtf8", "located", "FenceProblem"}
# Messages that only pass another's message on ("{problem.message}") are no templates.
DEFAULT_PAGE = {"pages/01-welcome.md": "# Welcome\n\nText.\n"}
# Messages a test outside this file already covers, or that need a file system a fixture file
# cannot describe (links, unreadable files). Each names where it is covered.
COVERED_ELSEWHERE = {
    "the page file {}": "test_hostile.py (a page that is a link)",
    "the file cannot be read ({})": "needs a file that cannot be read (permissions)",
    "the page '{}' {}": "test_hostile.py (a listed page that is a link)",
    "the avatar '{}' {}": "test_hostile.py (avatar outside the module)",
    "the text contains the invisible control character U+{}, which YAML does not allow":
        "test_hostile.py (U+0007 in module.yml)",
    "this is not valid YAML: {}": "the fallback for YAML errors no writer's mistake matches",
    "the page is {} bytes; the limit is {}": "test_bounded_parsing.py (a page over the limit)",
    "a module of a multi-SCO programme package cannot be bilingual yet":
        "test_bilingual.py (a bilingual module in a multi-SCO programme)",
    # A fix: the message is parse_attributes' own (blocks.txt: block lines that cannot be read).
    'write attributes as {#id key=value key="text with spaces"}': "blocks.txt",
}


@dataclass
class Case:
    file: str
    line: int
    title: str
    files: dict[str, str]
    expected: list[str]


def read_cases(path: Path) -> list[Case]:
    lines = path.read_text(encoding="utf-8").split("\n")
    cases = []
    index = 0
    while index < len(lines):
        if not lines[index].strip():
            index += 1
            continue
        start = index
        title = lines[index]
        assert lines[index + 1] == ".", f"{path.name}:{index + 2}: expected '.'"
        end_input = lines.index(".", index + 2)
        end_output = lines.index(".", end_input + 1)
        cases.append(Case(path.name, start + 1, title, _files(lines[index + 2:end_input]),
                          lines[end_input + 1:end_output]))
        index = end_output + 1
    return cases


def _files(lines: list[str]) -> dict[str, str]:
    files: dict[str, list[str]] = {}
    name = None
    for line in lines:
        if line.startswith("=== "):
            name = line[4:].strip()
            files[name] = []
        else:
            assert name is not None, "start the input with '=== path'"
            files[name].append(line)
    return {name: "\n".join(body) + "\n" for name, body in files.items()}


def module_files(case: Case) -> dict[str, str]:
    if "programme.yml" in case.files:
        return dict(case.files)
    config = textwrap.dedent(MINIMAL_CONFIG).strip("\n") + "\n"
    files = dict(case.files)
    if "module.yml +" in files:
        config += files.pop("module.yml +")
    files.setdefault("module.yml", config)
    if not any(name.startswith("pages/") for name in files):
        files.update(DEFAULT_PAGE)
    return files


def reported(root: Path) -> list[Problem]:
    if is_programme(root):
        return reported_by_programme(root)
    try:
        return load_checked_module(root).warnings
    except BuildError as error:
        return error.problems


def reported_by_programme(root: Path) -> list[Problem]:
    """What building the programme reports: programme.yml's problems, then each module's."""
    try:
        config, problems = read_programme(root)
    except BuildError as error:
        return error.problems
    for module in config.module_roots():
        problems += [p for p in reported(module) if p not in problems]
    return problems


CASES = [case for path in sorted(FIXTURES.glob("*.txt")) for case in read_cases(path)]


@pytest.mark.parametrize("case", CASES, ids=[f"{c.file}:{c.line}" for c in CASES])
def test_message_fixture(case: Case, tmp_path: Path):
    root = tmp_path / "fixture"
    root.mkdir()
    for name, text in module_files(case).items():
        name, _, encoding = name.partition(" (")  # '=== pages/01-a.md (cp1252)'
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode(encoding.rstrip(")") or "utf-8"))
    problems = reported(root)
    lines = [str(p).split("\n")[0] for p in problems]
    assert lines == case.expected, case.title
    for problem in problems:
        if problem.severity == "error":
            assert problem.hint, f"every error says how to fix it: {problem}"


def _message_parts(node: ast.expr) -> list[ast.expr]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node]
    if isinstance(node, ast.JoinedStr):
        return [node]
    if isinstance(node, ast.IfExp):
        return _message_parts(node.body) + _message_parts(node.orelse)
    return []


def _template(node: ast.expr) -> str:
    """A message as a template: '{}' where the f-string fills something in."""
    if isinstance(node, ast.Constant):
        return str(node.value)
    assert isinstance(node, ast.JoinedStr)
    return "".join(part.value if isinstance(part, ast.Constant) else "{}" for part in node.values)


def message_templates() -> dict[str, str]:
    """Every message template of MESSAGE_MODULES, with where it is written."""
    templates: dict[str, str] = {}
    for name in MESSAGE_MODULES:
        tree = ast.parse((SOURCE / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            function = node.func
            called = function.attr if isinstance(function, ast.Attribute) else \
                getattr(function, "id", None)
            if called not in MESSAGE_CALLS:
                continue
            messages = [part for argument in node.args for part in _message_parts(argument)]
            if messages:  # the first text argument is the message; the next, the fix
                first = node.args.index(next(a for a in node.args if _message_parts(a)))
                for message in _message_parts(node.args[first]):
                    templates.setdefault(_template(message), f"{name}:{node.lineno}")
    return templates


def _pattern(template: str) -> re.Pattern[str]:
    return re.compile(".+?".join(map(re.escape, template.split("{}"))), re.S)


def test_every_message_has_a_fixture():
    messages = [line.split(": ", 2)[2] for case in CASES for line in case.expected]
    missing = []
    for template, where in sorted(message_templates().items(), key=lambda item: item[1]):
        if template in COVERED_ELSEWHERE:
            continue
        if not any(_pattern(template).search(message) for message in messages):
            missing.append(f"{where}: {template}")
    assert not missing, "messages without a fixture in tests/fixtures/messages:\n" + \
        "\n".join(missing)
