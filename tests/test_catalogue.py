"""Catalogue builds: many modules in parallel, failures kept apart, incremental rebuilds."""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from conftest import REPO, run_cli
from elpack import catalogue as catalogue_module
from elpack import cli as cli_module
from elpack import incremental
from elpack.commands.new import create_module
from elpack.incremental import CACHE_FILE, CACHE_FORMAT, build_key
from elpack.pipeline import BuildResult, build, build_all, write_package

NAMES = ["Alpha", "Bravo", "Charlie", "Delta", "Echo"]


@pytest.fixture
def catalogue(tmp_path: Path) -> list[Path]:
    return [create_module(name, tmp_path / "modules") for name in NAMES]


def zip_name(root: Path) -> str:
    return f"{root.name}-scorm12.zip"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def break_module(root: Path) -> None:
    (root / "pages" / "02-story.md").write_text("# Story\n\n::: dialogue\nnobody: hi\n:::\n")


def package_lines(stdout: str) -> list[str]:
    return [line for line in stdout.splitlines() if "-scorm12.zip" in line]


def test_parallel_build_is_byte_identical_to_serial_and_prints_in_order(catalogue, tmp_path):
    parallel = run_cli("build", *catalogue, "-o", tmp_path / "parallel", "-j", "3")
    serial = run_cli("build", *catalogue, "-o", tmp_path / "serial", "-j", "1")
    assert parallel.exit_code == 0 and serial.exit_code == 0, parallel.output + serial.output
    for result, out in [(parallel, "parallel"), (serial, "serial")]:
        lines = package_lines(result.stdout)
        assert [line.split()[0] for line in lines] == [str(tmp_path / out / zip_name(r))
                                                        for r in catalogue]
        assert result.stdout.splitlines()[-1].startswith("5 modules: 5 built, 0 unchanged, 0 failed")
    for root in catalogue:
        assert sha256(tmp_path / "parallel" / zip_name(root)) == \
            sha256(tmp_path / "serial" / zip_name(root))


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_one_failing_module_does_not_stop_the_others(jobs: str, catalogue, tmp_path: Path):
    break_module(catalogue[1])
    break_module(catalogue[3])
    out = tmp_path / "out"
    result = run_cli("build", *catalogue, "-o", out, "-j", jobs)
    assert result.exit_code == 1
    assert sorted(p.name for p in out.iterdir()) == sorted(zip_name(r) for r in catalogue[0::2])
    for broken in (catalogue[1], catalogue[3]):
        assert f"{broken}: build failed" in result.stderr
    # Each failure's whole problem list, as for a single module, then the summary.
    assert result.stderr.count("02-story.md:4: error:") == 2
    assert "nobody" in result.stderr
    assert result.stderr.rstrip().endswith(f"2 modules failed: {catalogue[1]}, {catalogue[3]}")
    assert "5 modules: 3 built, 0 unchanged, 2 failed" in result.stdout


def test_missing_folders_and_shared_ids_fail_alone(catalogue, tmp_path: Path):
    twin = tmp_path / "modules" / "alpha-copy"
    shutil.copytree(catalogue[0], twin)  # a copied module keeps the id of its original
    out = tmp_path / "out"
    result = run_cli("build", catalogue[0], tmp_path / "nowhere", twin, catalogue[1],
                     catalogue[1], "-o", out, "-j", "2")
    assert result.exit_code == 1
    assert "nowhere: build failed\nno such module folder" in result.stderr
    assert "have the same id 'alpha' in module.yml" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == [zip_name(catalogue[1])]
    # The same folder named twice is built once.
    assert len(package_lines(result.stdout)) == 1
    assert "4 modules: 1 built, 0 unchanged, 3 failed" in result.stdout


def test_one_job_or_one_module_builds_in_this_process(catalogue, tmp_path: Path, monkeypatch):
    def no_pool(*args: object, **kwargs: object) -> None:
        raise AssertionError("a process pool was started")

    monkeypatch.setattr(catalogue_module, "ProcessPoolExecutor", no_pool)
    assert run_cli("build", *catalogue, "-o", tmp_path / "a", "-j", "1").exit_code == 0
    assert run_cli("build", catalogue[0], "-o", tmp_path / "b", "-j", "4").exit_code == 0
    assert run_cli("build", *catalogue, "-o", tmp_path / "a", "-j", "1",
                   "--incremental").exit_code == 0
    # Only one module changed: it is built here, without starting workers.
    (catalogue[2] / "pages" / "01-welcome.md").write_text("# Welcome\n\nChanged.\n")
    result = run_cli("build", *catalogue, "-o", tmp_path / "a", "--incremental", "-j", "4")
    assert result.exit_code == 0, result.output
    assert "5 modules: 1 built, 4 unchanged, 0 failed" in result.stdout


def test_an_internal_error_in_one_module_is_reported_and_the_others_built(catalogue, tmp_path,
                                                                          monkeypatch):
    real = catalogue_module.build_all

    def fragile(root: Path, targets: list[str] | None, *options: object) -> list[BuildResult]:
        if root.name == "charlie":
            raise RuntimeError("a bug")
        return real(root, targets, *options)  # type: ignore[arg-type]

    monkeypatch.setattr(catalogue_module, "build_all", fragile)  # inherited by forked workers
    result = run_cli("build", *catalogue, "-o", tmp_path / "out", "-j", "2")
    assert result.exit_code == 1
    assert "internal error" in result.stderr and "RuntimeError: a bug" in result.stderr
    assert len(list((tmp_path / "out").iterdir())) == 4


def test_progress_bar_on_a_terminal_then_results_in_order(catalogue, tmp_path, monkeypatch):
    monkeypatch.setattr(cli_module, "_is_terminal", lambda: True)
    result = run_cli("build", *catalogue, "-o", tmp_path / "out", "-j", "2")
    assert result.exit_code == 0, result.output
    before, _, after = result.stdout.rpartition("Building")
    assert before == ""
    assert [line.split()[0] for line in package_lines(after)] == \
        [str(tmp_path / "out" / zip_name(r)) for r in catalogue]


def test_plain_lines_when_not_a_terminal(catalogue, tmp_path: Path):
    result = run_cli("build", *catalogue, "-o", tmp_path / "out", "-j", "2")
    assert "Building" not in result.stdout
    assert "\r" not in result.stdout and "\x1b" not in result.stdout


def test_incremental_build_skips_unchanged_modules(catalogue, tmp_path: Path):
    out = tmp_path / "out"
    first = run_cli("build", *catalogue, "-o", out, "--incremental")
    assert first.exit_code == 0, first.output
    assert not any(line.endswith("unchanged") for line in package_lines(first.stdout))
    assert (out / CACHE_FILE).is_file()
    stamps = {p.name: p.stat().st_mtime_ns for p in out.glob("*.zip")}

    again = run_cli("build", *catalogue, "-o", out, "--incremental")
    assert again.exit_code == 0
    lines = package_lines(again.stdout)
    assert len(lines) == 5 and all(line.endswith("  unchanged") for line in lines)
    assert lines[0].split()[1:3] == package_lines(first.stdout)[0].split()[1:3]  # the size
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("*.zip")} == stamps

    # Times alone do not count; content does.
    for path in catalogue[0].rglob("*"):
        path.touch()
    page = catalogue[3] / "pages" / "01-welcome.md"
    page.write_text(page.read_text() + "\nOne more sentence.\n")
    third = run_cli("build", *catalogue, "-o", out, "--incremental")
    assert [line.endswith("unchanged") for line in package_lines(third.stdout)] == \
        [True, True, True, False, True]
    assert "5 modules: 1 built, 4 unchanged, 0 failed" in third.stdout
    # Without --incremental everything is built, as always.
    full = run_cli("build", *catalogue, "-o", out)
    assert not any(line.endswith("unchanged") for line in package_lines(full.stdout))


def test_incremental_build_rebuilds_a_changed_or_missing_package(catalogue, tmp_path: Path):
    out = tmp_path / "out"
    assert run_cli("build", *catalogue[:3], "-o", out, "--incremental").exit_code == 0
    good = sha256(out / zip_name(catalogue[0]))
    (out / zip_name(catalogue[0])).write_bytes(b"PK damaged")
    (out / zip_name(catalogue[1])).unlink()
    result = run_cli("build", *catalogue[:3], "-o", out, "--incremental")
    assert [line.endswith("unchanged") for line in package_lines(result.stdout)] == \
        [False, False, True]
    assert sha256(out / zip_name(catalogue[0])) == good
    assert (out / zip_name(catalogue[1])).is_file()


def test_a_damaged_record_means_a_full_build(catalogue, tmp_path: Path):
    out = tmp_path / "out"
    assert run_cli("build", *catalogue[:2], "-o", out, "--incremental").exit_code == 0
    for damage in ["{not json", '{"format": 2, "modules": []}', '{"format": 99}',
                   '{"format": 2, "modules": {"x": 3}}']:
        (out / CACHE_FILE).write_text(damage)
        result = run_cli("build", *catalogue[:2], "-o", out, "--incremental")
        assert result.exit_code == 0, result.output
        assert not any(line.endswith("unchanged") for line in package_lines(result.stdout))
        assert json.loads((out / CACHE_FILE).read_text())["format"] == CACHE_FORMAT
    entries = json.loads((out / CACHE_FILE).read_text())["modules"]
    entry = entries[str(catalogue[0].resolve())]
    entry["warnings"] = [{"not": "a problem"}]
    (out / CACHE_FILE).write_text(json.dumps({"format": CACHE_FORMAT, "modules": entries}))
    result = run_cli("build", *catalogue[:2], "-o", out, "--incremental")
    assert [line.endswith("unchanged") for line in package_lines(result.stdout)] == [False, True]


def test_unchanged_modules_show_their_warnings_again(tmp_path: Path):
    root = create_module("Warned", tmp_path)
    config = root / "module.yml"
    config.write_text(config.read_text() + "theme_options:\n  sparkles: true\n")
    out = tmp_path / "out"
    first = run_cli("build", root, "-o", out, "--incremental")
    second = run_cli("build", root, "-o", out, "--incremental")
    assert "has no option 'sparkles'" in first.stderr
    assert second.stderr == first.stderr
    assert second.stdout.rstrip().endswith("unchanged")


def test_the_key_covers_files_theme_and_build_options(tmp_path: Path, monkeypatch):
    root = create_module("Keyed", tmp_path / "modules")
    theme = tmp_path / "themes" / "house"  # a project theme, beside modules/
    (theme / "static").mkdir(parents=True)
    (theme / "theme.yml").write_text("name: House\nextends: nhs\n")
    (theme / "static" / "house.css").write_text("body { color: black; }\n")
    config = root / "module.yml"
    config.write_text(config.read_text().replace("theme: nhs", "") + "theme: house\n")
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    keys = [build_key(root)]
    assert build_key(root) == keys[0]
    assert build(root).files["assets/house.css"]  # the theme is really used
    (theme / "static" / "house.css").write_text("body { color: navy; }\n")
    keys.append(build_key(root))
    (root / "media" / "picture.svg").write_text("<svg/>")  # any file, used or not
    keys.append(build_key(root))
    (root / "media" / "picture.svg").rename(root / "media" / "renamed.svg")
    keys.append(build_key(root))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    keys.append(build_key(root))
    assert len(set(keys)) == len(keys)
    (tmp_path / "themes" / "unused").mkdir()
    (tmp_path / "themes" / "unused" / "theme.yml").write_text("name: Unused\n")
    assert build_key(root) == keys[-1]
    config.write_text("id: [broken\n")
    assert build_key(root) is None  # always built, so that the problem is shown


def test_the_key_covers_elpacks_own_files(tmp_path: Path):
    copy = shutil.copytree(REPO / "src" / "elpack", tmp_path / "elpack",
                           ignore=shutil.ignore_patterns("__pycache__"))
    before = incremental._environment_key(copy)
    assert incremental._environment_key(copy) == before
    runtime = copy / "runtime" / "dist" / "elpack-scorm12.js"
    runtime.write_text(runtime.read_text() + "\n// changed\n")
    incremental._environment_key.cache_clear()
    assert incremental._environment_key(copy) != before


def test_output_inside_the_module_folder_settles(tmp_path: Path):
    root = create_module("Nested", tmp_path)
    out = root / "build"
    assert run_cli("build", root, "-o", out, "--incremental").exit_code == 0
    result = run_cli("build", root, "-o", out, "--incremental")
    assert result.stdout.rstrip().endswith("unchanged")


def test_the_pipeline_is_a_library_function(tmp_path: Path):
    root = create_module("Library", tmp_path)
    built = build(root)
    assert isinstance(built, BuildResult)
    assert built.file_name == "library-scorm12.zip"
    assert "imsmanifest.xml" in built.files and built.package[:2] == b"PK"
    out = tmp_path / "out"
    out.mkdir()
    (out / ".library-scorm12.zip.tmp-999999999-00000000").write_bytes(b"left by a killed build")
    [again] = build_all(root)
    path = write_package(again, out)
    assert path == out / "library-scorm12.zip" and path.read_bytes() == again.package
    [result] = catalogue_module.build_catalogue([root], out)  # clears what killed builds left
    assert [p.path for p in result.packages] == [path] and path.read_bytes() == again.package
    assert sorted(p.name for p in out.iterdir()) == ["library-scorm12.zip"]


def test_a_template_in_a_linked_theme_folder_is_an_input(tmp_path: Path):
    """Jinja reads templates through linked folders, so incremental builds must see their files."""
    root = create_module("Linked", tmp_path / "modules")
    theme = tmp_path / "themes" / "house"
    theme.mkdir(parents=True)
    (theme / "theme.yml").write_text("name: House\nextends: nhs\n")
    shared = tmp_path / "shared" / "templates"  # kept elsewhere, such as another repository
    shared.mkdir(parents=True)
    header = shared / "header.html"
    plain_header = (REPO / "src" / "elpack" / "themes" / "plain" / "templates" / "header.html").read_text()
    header.write_text(plain_header.replace('>{{ config.title }}</p>', '>Edition 1 {{ config.title }}</p>'))
    (theme / "templates").symlink_to(shared, target_is_directory=True)
    (shared / "loop").symlink_to(shared.parent, target_is_directory=True)  # a cycle: must end
    config = root / "module.yml"
    config.write_text(config.read_text().replace("theme: nhs", "") + "theme: house\n")
    out = tmp_path / "out"

    def build() -> tuple[str, str]:
        result = run_cli("build", root, "-o", out, "--incremental")
        assert result.exit_code == 0, result.output
        with zipfile.ZipFile(out / zip_name(root)) as archive:
            return result.stdout.rstrip(), archive.read("index.html").decode()

    first, page = build()
    assert not first.endswith("unchanged") and "Edition 1 " in page
    assert build()[0].endswith("unchanged")
    header.write_text(header.read_text().replace("Edition 1 ", "Edition 2 "))
    third, page = build()
    assert not third.endswith("unchanged") and "Edition 2 " in page


@pytest.mark.parametrize("library", ["nh3", "MarkupSafe"])
def test_the_key_covers_the_libraries_that_shape_packages(library: str, tmp_path: Path, monkeypatch):
    """nh3 sanitises the module's markup; MarkupSafe escapes every template value. (The runtime
    is a committed bundle, one of elpack's own files, which the key covers as such.)"""
    root = create_module("Libraries", tmp_path)
    installed = incremental.version
    incremental._environment_key.cache_clear()
    try:
        before = build_key(root)
        monkeypatch.setattr(incremental, "version",
                            lambda name: "0-another" if name == library else installed(name))
        incremental._environment_key.cache_clear()
        assert build_key(root) != before
    finally:
        monkeypatch.undo()
        incremental._environment_key.cache_clear()
