"""`elpack preview` without a browser: what it serves over real HTTP, what it refuses, the build
results it reports, live reload events, the vendored scorm-again and the command itself."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import elpack
from conftest import MODULES, REPO, copy_example, run_cli
from elpack.commands.preview import exposure_warning
from elpack.errors import BuildError
from elpack.pipeline import build
from elpack.preview import PreviewServer, request_segments
from elpack.preview.pages import REVIEWER_BODY, REVIEWER_HEAD, with_reviewer_tools

EXAMPLE = "frequent-attenders"
PACKAGE = f"/m/{EXAMPLE}/package/"
VENDORED = Path(elpack.__file__).parent / "preview" / "static" / "scorm-again"
NODE_SCORM_AGAIN = REPO / "node_modules" / "scorm-again"
UNCLOSED_BLOCK = "\n::: key-point\nThis block is never closed.\n"


@pytest.fixture
def module_copy(tmp_path: Path) -> Path:
    target = tmp_path / "modules" / EXAMPLE
    shutil.copytree(MODULES / EXAMPLE, target)
    return target


@pytest.fixture
def preview(module_copy: Path) -> Iterator[PreviewServer]:
    with PreviewServer([module_copy], port=0, watch=False) as server:
        yield server


@pytest.fixture(scope="module")
def shared_preview(tmp_path_factory) -> Iterator[PreviewServer]:
    """One preview for the tests that only read from it."""
    root = tmp_path_factory.mktemp("shared") / "modules" / EXAMPLE
    shutil.copytree(MODULES / EXAMPLE, root)
    with PreviewServer([root], port=0, watch=False) as server:
        yield server


def get(server: PreviewServer, target: str, method: str = "GET",
        headers: dict[str, str] | None = None) -> tuple[int, bytes, http.client.HTTPResponse]:
    """Send ``target`` exactly as written (no normalising), as a hostile client could."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        connection.request(method, target, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read(), response
    finally:
        connection.close()


# ---------------------------------------------------------------------------------------------
# What is refused


TRAVERSALS = [
    "/../pyproject.toml",
    "/../../../../etc/passwd",
    f"{PACKAGE}../module.yml",
    f"{PACKAGE}../../{EXAMPLE}/module.yml",
    f"{PACKAGE}assets/../../module.yml",
    f"{PACKAGE}./index.html",
    f"{PACKAGE}%2e%2e/module.yml",
    f"{PACKAGE}%2E%2E/%2E%2E/pyproject.toml",
    f"{PACKAGE}.%2e/module.yml",
    f"{PACKAGE}..%2fmodule.yml",
    f"{PACKAGE}..%2Fmodule.yml",
    f"{PACKAGE}%2e%2e%2fmodule.yml",
    f"{PACKAGE}..%5cmodule.yml",
    f"{PACKAGE}..\\module.yml",
    f"/m/{EXAMPLE}/package\\..\\module.yml",
    f"{PACKAGE}%252e%252e/module.yml",
    f"{PACKAGE}%252e%252e%252fmodule.yml",
    f"{PACKAGE}%25252e%25252e/module.yml",
    f"{PACKAGE}%c0%ae%c0%ae/module.yml",  # overlong UTF-8 dots
    "//etc/passwd",
    f"{PACKAGE}/etc/passwd",
    f"{PACKAGE}%2fetc%2fpasswd",
    f"{PACKAGE}C:/Windows/win.ini",
    f"{PACKAGE}C:%5cWindows%5cwin.ini",
    f"{PACKAGE}index.html%00.md",
    "/etc/passwd",
    "http://127.0.0.1/etc/passwd",
    "/_static/../../../pyproject.toml",
    "/_static/%2e%2e/server.py",
    "/_static/../server.py",
    "/_static/scorm-again/../../server.py",
    "/_static/scorm-again/LICENSE/..",
    f"/m/{EXAMPLE}/module.yml",
    f"/m/{EXAMPLE}/pages/01-welcome.md",
    f"{PACKAGE}pages/01-welcome.md",
    f"{PACKAGE}module.yml",
]
DIRECTORY_LISTINGS = [
    "/m/",
    PACKAGE,
    f"{PACKAGE}assets/",
    f"{PACKAGE}media/",
    "/_static/",
    "/_static/scorm-again/",
    "/modules/",
    "/src/",
    "/themes/",
]
SECRETS = [b"id: frequent-attenders", b"[project]", b"root:", b"import ", b"# Welcome", b"<a href"]


@pytest.mark.parametrize("target", TRAVERSALS + DIRECTORY_LISTINGS)
def test_traversal_and_listings_get_404(shared_preview, target):
    status, body, _ = get(shared_preview, target)
    assert status == 404, target
    assert not any(secret in body for secret in SECRETS), body[:200]


def test_head_requests_and_other_methods(shared_preview):
    status, body, response = get(shared_preview, f"{PACKAGE}index.html", method="HEAD")
    assert status == 200 and body == b"" and int(response.getheader("Content-Length")) > 1000
    assert get(shared_preview, f"{PACKAGE}../module.yml", method="HEAD")[0] == 404
    assert get(shared_preview, f"{PACKAGE}index.html", method="POST")[0] == 501
    assert get(shared_preview, f"{PACKAGE}index.html", method="PUT")[0] == 501


def test_a_foreign_host_name_is_refused_on_loopback(shared_preview):
    """DNS rebinding: a web page must not reach the preview through a name it controls."""
    port = shared_preview.port
    assert get(shared_preview, "/", headers={"Host": "evil.example:8000"})[0] == 403
    assert get(shared_preview, "/", headers={"Host": f"localhost:{port}"})[0] == 200
    assert get(shared_preview, "/", headers={"Host": f"[::1]:{port}"})[0] == 200


def status_for_host(server: PreviewServer, host: str, address: str = "127.0.0.1") -> int:
    connection = http.client.HTTPConnection(address, server.port, timeout=10)
    try:
        connection.request("GET", "/", headers={"Host": host})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def test_host_names_are_still_checked_beyond_loopback(module_copy, monkeypatch):
    """With --host 0.0.0.0 other computers reach the preview by address or by this computer's
    name; a name a web page controls (DNS rebinding) is still refused."""
    monkeypatch.setattr(socket, "gethostname", lambda: "ward-pc")
    monkeypatch.setattr(socket, "getfqdn", lambda name="": "ward-pc.trust.example")
    with PreviewServer([module_copy], host="0.0.0.0", port=0, watch=False) as server:
        port = server.port
        accepted = ["192.168.1.20", f"192.168.1.20:{port}", f"[fe80::1]:{port}", "[2001:db8::7]",
                    f"127.0.0.1:{port}", f"localhost:{port}", "LOCALHOST", "0.0.0.0",
                    f"ward-pc:{port}", "WARD-PC.trust.example.", f"ward-pc.trust.example:{port}"]
        refused = ["evil.example", f"evil.example:{port}", f"ward-pc.evil.example:{port}",
                   "192.168.1.20.evil.example", "", "::1", "[::1", "localhost:http",
                   "ward-pc.trust.example.evil.example"]
        for host in accepted:
            assert status_for_host(server, host) == 200, host
        for host in refused:
            assert status_for_host(server, host) == 403, host


def test_the_host_value_itself_is_accepted(module_copy, monkeypatch):
    name = socket.gethostname()
    try:
        address = socket.getaddrinfo(name, 0, socket.AF_INET, socket.SOCK_STREAM)[0][4][0]
    except OSError:
        pytest.skip(f"this computer's name {name!r} does not resolve")
    monkeypatch.setattr(socket, "gethostname", lambda: "another-name")
    monkeypatch.setattr(socket, "getfqdn", lambda name="": "another-name.example")
    try:
        server = PreviewServer([module_copy], host=name, port=0, watch=False)
    except OSError:
        pytest.skip(f"cannot listen on this computer's name {name!r}")
    with server:  # starts it
        assert status_for_host(server, f"{name}:{server.port}", address) == 200
        assert status_for_host(server, f"not-{name}:{server.port}", address) == 403


def test_close_stops_serve_forever_in_a_thread_start_did_not_make(module_copy):
    server = PreviewServer([module_copy], port=0, watch=False)
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    serving.start()
    deadline = time.monotonic() + 30
    while True:  # serve_forever() builds first
        try:
            if get(server, "/")[0] == 200:
                break
        except OSError:
            pass
        assert time.monotonic() < deadline, "the preview did not start"
        time.sleep(0.05)
    server.close()
    serving.join(timeout=5)
    assert not serving.is_alive(), "serve_forever() went on after close()"
    server.close()  # a second close() returns at once


def test_close_of_a_preview_that_never_served_returns(module_copy):
    closing = threading.Thread(target=PreviewServer([module_copy], port=0, watch=False).close,
                               daemon=True)
    closing.start()
    closing.join(timeout=5)
    assert not closing.is_alive()


def test_request_segments():
    assert request_segments("/m/x/package/index.html?v=2") == ["m", "x", "package", "index.html"]
    assert request_segments("/m/x/package/media/a%20b.png") == ["m", "x", "package", "media", "a b.png"]
    assert request_segments("/") == [""]
    assert request_segments("/m/x/") == ["m", "x", ""]
    for bad in ["", "*", "x/y", "/a/../b", "/a/%2e%2e/b", "/a%2fb", "/a\\b", "/a%5cb", "/a%252e", "//a",
                "/a//b", "/%ff", "/a%00"]:
        assert request_segments(bad) is None, bad


# ---------------------------------------------------------------------------------------------
# What is served


def test_index_lists_the_modules(tmp_path):
    roots = []
    for name in ("frequent-attenders", "mental-health-awareness"):
        roots.append(copy_example(name, tmp_path / "modules"))
    (roots[1] / "pages" / "01-welcome.md").write_text("no title here\n", encoding="utf-8")
    with PreviewServer(roots, port=0, watch=False) as server:
        status, body, response = get(server, "/")
        assert status == 200 and response.getheader("Content-Type").startswith("text/html")
        page = body.decode()
        assert "Frequent attenders: using reflective practice" in page
        assert 'href="/m/frequent-attenders/"' in page
        assert 'href="/m/mental-health-awareness/"' in page
        assert "build failed" in page  # the broken one is listed, with its state
        assert get(server, "/m/frequent-attenders")[2].getheader("Location") == "/m/frequent-attenders/"
        simulator = get(server, "/m/frequent-attenders/")[1].decode()
        assert "/_static/scorm-again/scorm12.min.js" in simulator
        assert "/_static/simulator.js" in simulator


def test_package_files_come_from_the_in_memory_build(preview, module_copy):
    built = build(module_copy)
    for name, data in built.files.items():
        status, body, response = get(preview, PACKAGE + name)
        assert status == 200, name
        assert response.getheader("Cache-Control") == "no-store"
        if name == "index.html":
            assert body == with_reviewer_tools(data)
        else:
            assert body == data, name
    # The reviewer tools are added as index.html is served, never built into the package.
    assert b"reviewer" not in built.files["index.html"]
    assert not any("reviewer" in name for name in built.files)
    assert not (module_copy.parent.parent / "build").exists()  # the preview writes no zip


def test_range_requests_for_media(preview, module_copy):
    svg = build(module_copy).files["media/ambulance.svg"]
    status, body, response = get(preview, f"{PACKAGE}media/ambulance.svg", headers={"Range": "bytes=10-19"})
    assert status == 206 and body == svg[10:20]
    assert response.getheader("Content-Range") == f"bytes 10-19/{len(svg)}"
    assert get(preview, f"{PACKAGE}media/ambulance.svg", headers={"Range": "bytes=-5"})[1] == svg[-5:]
    assert get(preview, f"{PACKAGE}media/ambulance.svg",
               headers={"Range": f"bytes={len(svg)}-"})[0] == 416


def test_static_files(shared_preview):
    status, body, response = get(shared_preview, "/_static/scorm-again/scorm12.min.js")
    assert status == 200 and body == (VENDORED / "scorm12.min.js").read_bytes()
    assert response.getheader("Content-Type").startswith("text/javascript")
    for name in ("simulator.js", "simulator.css", "reviewer.js", "reviewer.css", "index.css"):
        assert get(shared_preview, f"/_static/{name}")[0] == 200, name


def test_reviewer_tools_are_added_where_they_belong():
    page = b"<html><head><title>x</title></head><body><p>x</p><script src='a.js'></script></body></html>"
    served = with_reviewer_tools(page).decode()
    assert served.index(REVIEWER_HEAD) < served.index("</head>")
    assert served.index("a.js") < served.index(REVIEWER_BODY) < served.index("</body>")
    bare = with_reviewer_tools(b"<p>no head or body</p>").decode()
    assert REVIEWER_HEAD in bare and REVIEWER_BODY in bare


# ---------------------------------------------------------------------------------------------
# Build results: the error overlay's payload


def state(server: PreviewServer) -> dict:
    status, body, _ = get(server, f"/m/{EXAMPLE}/state.json")
    assert status == 200
    return json.loads(body)


def test_a_failed_build_reports_what_the_cli_prints_and_keeps_serving(preview, module_copy, tmp_path):
    page = module_copy / "pages" / "01-welcome.md"
    good = page.read_text(encoding="utf-8")
    before = state(preview)
    assert before["ok"] and before["problems"] == [] and before["version"] == 1
    assert before["masteryScore"] == "80"
    assert [p["id"] for p in before["pages"]][:2] == ["welcome", "why-people-attend"]

    page.write_text(good + UNCLOSED_BLOCK, encoding="utf-8")
    preview.rebuild(preview.modules[0])
    with pytest.raises(BuildError) as raised:
        build(module_copy)
    expected = [str(problem) for problem in raised.value.problems]
    failed = state(preview)
    assert failed["ok"] is False and failed["version"] == 2
    assert failed["summary"] == "1 error, 0 warnings: the package was not built"
    assert failed["problems"] == expected
    assert "01-welcome.md:" in expected[0] and "is never closed" in expected[0]
    assert failed["name"] == str(module_copy)
    # The same text as `elpack build` prints.
    cli = run_cli("build", module_copy, "-o", tmp_path / "out")
    assert cli.exit_code == 1
    assert (f"{module_copy}: build failed\n1 error, 0 warnings: the package was not built\n"
            f"{expected[0]}\n") in cli.output
    # The server keeps running and serving the last good package under the overlay.
    assert failed["hasPackage"] and failed["contentHash"] == before["contentHash"]
    assert get(preview, f"{PACKAGE}index.html")[0] == 200

    page.write_text(good, encoding="utf-8")
    preview.rebuild(preview.modules[0])
    fixed = state(preview)
    assert fixed["ok"] and fixed["problems"] == [] and fixed["version"] == 3
    assert fixed["contentHash"] == before["contentHash"]


def test_a_module_that_never_built_shows_its_problems(tmp_path):
    root = tmp_path / "modules" / "empty"
    root.mkdir(parents=True)
    with PreviewServer([root], port=0, watch=False) as server:
        payload = json.loads(get(server, "/m/empty/state.json")[1])
        assert payload["ok"] is False and payload["hasPackage"] is False
        assert payload["problems"] == [
            "empty/module.yml: error: the module has no module.yml\n"
            "    fix: create module.yml, or run 'elpack new NAME' to start a module"]
        assert get(server, "/m/empty/package/index.html")[0] == 404
        assert get(server, "/m/empty/")[0] == 200


# ---------------------------------------------------------------------------------------------
# Live reload events


class EventStream:
    """A minimal Server-Sent Events client over a raw socket."""

    def __init__(self, port: int) -> None:
        self.socket = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.socket.sendall(b"GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        self.file = self.socket.makefile("rb")
        while self.file.readline() not in (b"\r\n", b""):  # the status line and headers
            pass

    def next(self, name: str = "build", timeout: float = 10) -> dict:
        self.socket.settimeout(timeout)
        event, data = "", ""
        while True:
            line = self.file.readline().decode()
            if not line:
                raise EOFError("the event stream ended")
            line = line.rstrip("\n")
            if line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: "):
                data = line[6:]
            elif line == "" and data:
                if event == name:
                    return json.loads(data)
                event, data = "", ""

    def close(self) -> None:
        self.file.close()
        self.socket.close()


def test_rebuilds_are_sent_as_events(preview, module_copy):
    stream = EventStream(preview.port)
    try:
        assert stream.next("hello") == {EXAMPLE: 1}
        page = module_copy / "pages" / "01-welcome.md"
        page.write_text(page.read_text(encoding="utf-8") + UNCLOSED_BLOCK, encoding="utf-8")
        preview.rebuild(preview.modules[0])
        event = stream.next("build")
        assert event["module"] == EXAMPLE and event["ok"] is False and event["version"] == 2
        assert "is never closed" in event["problems"][0]
    finally:
        stream.close()


def test_saving_a_file_rebuilds_only_that_module(tmp_path):
    roots = []
    for name in ("frequent-attenders", "mental-health-awareness"):
        roots.append(copy_example(name, tmp_path / "modules"))
    with PreviewServer(roots, port=0, watch=True) as server:
        stream = EventStream(server.port)
        try:
            stream.next("hello")
            time.sleep(0.2)  # let the watcher settle before the first change
            page = roots[0] / "pages" / "01-welcome.md"
            page.write_text(page.read_text(encoding="utf-8") + "\nA new sentence.\n", encoding="utf-8")
            event = stream.next("build", timeout=10)
            assert event["module"] == "frequent-attenders" and event["ok"] and event["version"] >= 2
            later = []  # a save can reach the watcher as two changes, but only for this module
            with pytest.raises(TimeoutError):
                while True:
                    later.append(stream.next("build", timeout=1.0)["module"])
            assert set(later) <= {"frequent-attenders"}
            assert server.modules[1].result.version == 1
        finally:
            stream.close()


# ---------------------------------------------------------------------------------------------
# The vendored scorm-again


def test_vendored_scorm_again_matches_node_modules():
    if not (NODE_SCORM_AGAIN / "dist" / "scorm12.min.js").is_file():
        pytest.skip("node_modules/scorm-again is not installed (run npm ci)")
    for name in ("scorm12.min.js", "scorm2004.min.js"):
        assert (VENDORED / name).read_bytes() == (NODE_SCORM_AGAIN / "dist" / name).read_bytes(), name
    assert (VENDORED / "LICENSE").read_bytes() == (NODE_SCORM_AGAIN / "LICENSE").read_bytes()
    version = json.loads((NODE_SCORM_AGAIN / "package.json").read_text())["version"]
    assert f"version {version}" in (VENDORED / "README.md").read_text()


# ---------------------------------------------------------------------------------------------
# The command


def test_exposure_warning():
    for private in ("127.0.0.1", "localhost", "::1", "127.0.0.2"):
        assert exposure_warning(private, 8000) is None
    assert "--host 0.0.0.0" in exposure_warning("0.0.0.0", 8000)
    assert exposure_warning("192.168.1.20", 8000) is not None


def test_cli_reports_a_missing_folder_without_a_traceback(tmp_path):
    result = run_cli("preview", tmp_path / "nope", "--port", "0")
    assert result.exit_code == 1
    assert "no such module folder" in result.output and "Traceback" not in result.output


def test_target_chooses_the_package_previewed_and_the_lms_simulated(module_copy):
    """--target previews another standard's package than the module's first target, so that a
    reviewer can try the SCORM 2004 behaviour of a module published first for SCORM 1.2."""
    assert "targets:" not in (module_copy / "module.yml").read_text()  # first target: scorm12
    with PreviewServer([module_copy], port=0, watch=False) as server:
        assert server.modules[0].result.lms == "scorm12"
    with PreviewServer([module_copy], port=0, watch=False, target="scorm2004-4th") as server:
        module = server.modules[0]
        assert module.result.ok and module.result.lms == "scorm2004"
        assert b"<schemaversion>2004 4th Edition</schemaversion>" in \
            module.result.files["imsmanifest.xml"]
        status, page, _ = get(server, f"/m/{EXAMPLE}/")
        assert status == 200 and b"scorm-again/scorm2004.min.js" in page
        assert b"scorm-again/scorm12.min.js" not in page
        assert server.rebuild(module).lms == "scorm2004"  # as after an edit


def test_cli_refuses_an_unknown_target_and_lists_the_known_ones(module_copy):
    result = run_cli("preview", module_copy, "--port", "0", "--target", "scorm2004")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "there is no target 'scorm2004'; the known targets are scorm12, scorm2004-3rd, " \
        "scorm2004-4th" in result.output


def test_cli_reports_a_busy_port(module_copy):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        result = run_cli("preview", module_copy, "--port", str(taken.getsockname()[1]))
    assert result.exit_code == 1
    assert "cannot listen on 127.0.0.1 port" in result.output and "Traceback" not in result.output


def _start_cli(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(Path(elpack.__file__).parent.parent), "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, "-m", "elpack", "preview", *args], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.mark.parametrize("host", ["127.0.0.1", "0.0.0.0"])
def test_ctrl_c_stops_the_preview_cleanly(module_copy, host):
    process = _start_cli(str(module_copy), "--port", "0", "--host", host)
    try:
        lines = []
        while not any(line.startswith("Previewing") for line in lines):
            line = process.stdout.readline()
            assert line, f"the preview did not start: {lines} {process.stderr.read()}"
            lines.append(line)
        url = next(line for line in lines if line.startswith("Previewing")).split(" at ")[1].strip()
        port = int(url.rstrip("/").rsplit(":", 1)[1])
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/")
        response = connection.getresponse()
        assert response.status == 200 and b"elpack preview" in response.read()
        # A connection dropped with the answer unread (as a closed tab does) prints nothing.
        connection.request("GET", f"/m/{EXAMPLE}/package/index.html")
        connection.getresponse()
        connection.close()
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, stderr
    assert "Preview stopped." in stdout
    assert "Traceback" not in stderr
    assert f"{module_copy}: built in" in "".join(lines)
    assert ("warning: --host 0.0.0.0" in stderr) == (host == "0.0.0.0")


def test_each_translation_is_previewed_beside_its_module(tmp_path):
    root = tmp_path / "modules" / "first-module"
    shutil.copytree(REPO / "examples" / "first-module", root)
    with PreviewServer([root], port=0, watch=False) as server:
        page = get(server, "/")[1].decode()
        assert 'href="/m/first-module/"' in page and 'href="/m/first-module-cy/"' in page
        assert "Modiwl cyntaf" in page  # the Welsh build's title
        welsh = get(server, "/m/first-module-cy/package/index.html")[1].decode()
        assert '<html lang="cy">' in welsh and "Croeso" in welsh
