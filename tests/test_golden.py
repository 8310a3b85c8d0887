"""One golden build: every file of the sample module's package, byte for byte.

After an intended change to templates, themes or the manifest, regenerate with
ELPACK_UPDATE_GOLDEN=1 and review the diff of tests/golden/expected/ before committing.
"""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

from conftest import REPO, run_cli
from elpack.render import runtime_sources
from elpack.targets import get_target

GOLDEN = Path(__file__).parent / "golden"
EXPECTED = GOLDEN / "expected"
SCHEMAS = {"adlcp_rootv1p2.xsd", "ims_xml.xsd", "imscp_rootv1p1p2.xsd", "imsmd_rootv1p2p1.xsd"}


def test_golden_build(tmp_path: Path):
    result = run_cli("build", GOLDEN / "sample-module", "-o", tmp_path)
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(tmp_path / "golden-sample-scorm12.zip") as archive:
        actual = {n: archive.read(n) for n in archive.namelist() if n not in SCHEMAS}
    # Theme stylesheets are copied as they are; compare them with their sources, not a copy.
    for theme_file, name in [("plain/static/base.css", "assets/base.css"),
                             ("nhs/static/components.css", "assets/components.css")]:
        assert actual.pop(name) == (REPO / "src" / "elpack" / "themes" / theme_file).read_bytes()
    # The runtime is the committed bundle runtime/dist/elpack-scorm12.js, tested in a browser.
    runtime = runtime_sources(get_target("scorm12").runtime_bundle)
    assert actual.pop("assets/elpack.js") == runtime["assets/elpack.js"]
    if os.environ.get("ELPACK_UPDATE_GOLDEN"):
        shutil.rmtree(EXPECTED, ignore_errors=True)
        for name, data in actual.items():
            (EXPECTED / name).parent.mkdir(parents=True, exist_ok=True)
            (EXPECTED / name).write_bytes(data)
    expected = {p.relative_to(EXPECTED).as_posix(): p.read_bytes()
                for p in EXPECTED.rglob("*") if p.is_file()}
    assert sorted(actual) == sorted(expected)
    for name in expected:
        assert actual[name] == expected[name], f"{name} differs from tests/golden/expected"
