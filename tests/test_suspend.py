"""The build works out the worst case of cmi.suspend_data and refuses modules that could overflow it."""

from __future__ import annotations

import json
import zipfile

from conftest import EXAMPLES, MINIMAL_CONFIG, run_cli
from elpack.errors import Problems
from elpack.module import load_module
from elpack.suspend import MIN_REFLECTION, stored_size, suspend_budget, worst_case_state
from elpack.targets import get_target

# The saved-state limit of the default target, SCORM 1.2 (cmi.suspend_data).
SUSPEND_LIMIT = get_target("scorm12").saved_state_limit

TEXT_QUESTION = """::: question {{#q-text-{n} type=text}}
Name the model with six stages.

- [x] Gibbs
:::
"""

REFLECTION = """::: reflect {{#r-{n}}}
What would you do differently?
:::
"""


def page(title: str, body: str) -> str:
    return f"# {title}\n\n{body}\n"


def load(root):
    problems = Problems(root)
    module = load_module(root, problems)
    assert module is not None and not problems.errors, problems.items
    return module


def test_a_module_that_could_overflow_fails_with_a_clear_message(module_factory, tmp_path):
    # Twenty short-text answers alone could need 20 × 257 characters.
    body = "\n".join(TEXT_QUESTION.format(n=n) for n in range(20))
    root = module_factory({"01-checks.md": page("Checks", body)})
    out = tmp_path / "out"
    result = run_cli("build", root, "-o", out)
    assert result.exit_code == 1
    assert "could need" in result.output and "more than the 4096 SCORM 1.2 allows" in result.output
    assert "20 knowledge checks" in result.output
    assert "sample/module.yml: error:" in result.output
    # The way out: the targets with room for it, or a smaller module.
    assert "fix: build it for scorm2004-3rd or scorm2004-4th instead" in result.output
    assert "split the module into two" in result.output
    assert not out.exists() or not any(out.iterdir())


def test_too_many_reflections_fail_when_each_could_not_keep_a_useful_answer(module_factory, tmp_path):
    count = SUSPEND_LIMIT // MIN_REFLECTION + 1
    body = "\n".join(REFLECTION.format(n=n) for n in range(count))
    # recorded reflections share suspend_data; private ones (the default) take none of it
    root = module_factory({"01-reflect.md": page("Reflect", body)},
                          MINIMAL_CONFIG + "    reflections: recorded\n")
    result = run_cli("build", root, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert f"{count} reflections of at least {MIN_REFLECTION} characters" in result.output


def test_reflections_share_what_is_left(module_factory, tmp_path):
    body = "\n".join(REFLECTION.format(n=n) for n in range(3))
    root = module_factory({"01-reflect.md": page("Reflect", body)})
    budget = suspend_budget(load(root), SUSPEND_LIMIT)
    assert budget.fits
    assert budget.reflection_limit >= MIN_REFLECTION
    assert budget.worst_case <= SUSPEND_LIMIT
    result = run_cli("build", root, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(tmp_path / "out" / "sample-scorm12.zip") as package:
        html = package.read("index.html").decode()
    data = json.loads(html.split('id="elpack-data">', 1)[1].split("</script>", 1)[0])
    assert data["reflectionLimit"] == budget.reflection_limit


def test_the_worst_case_of_the_example_modules_fits(tmp_path):
    for name in ("frequent-attenders", "mental-health-awareness"):
        module = load(EXAMPLES[name])
        budget = suspend_budget(module, SUSPEND_LIMIT)
        assert budget.fits, name
        # private reflections (the example modules') are kept as "" in suspend_data
        kept = "" if module.config.reflections == "private" else "x" * budget.reflection_limit
        filled = worst_case_state(module, kept)
        assert stored_size(filled) == budget.worst_case <= SUSPEND_LIMIT


def test_sizes_are_counted_in_utf16_units_like_an_lms():
    assert stored_size({"r": ["é"]}) == len('{"r":["é"]}')
    assert stored_size({"r": ["\U0001f600"]}) == len('{"r":[""]}') + 2


def test_check_inspect_and_storyboard_refuse_what_build_refuses(module_factory, tmp_path):
    body = "\n".join(TEXT_QUESTION.format(n=n) for n in range(20))
    root = module_factory({"01-checks.md": page("Checks", body)})
    for command in (["check", root], ["inspect", root, "--json"],
                    ["storyboard", root, "-o", tmp_path / "storyboard.html"]):
        result = run_cli(*command)
        assert result.exit_code == 1, (command, result.output)
        assert "more than the 4096 SCORM 1.2 allows" in result.output, command
    assert not (tmp_path / "storyboard.html").exists()
