"""Crash safety: a build killed at any moment leaves the earlier package (or the new one) intact.

The builds run as real `python -m elpack build` processes killed with SIGKILL, which no handler
can catch: only the write order (temporary file, fsync, rename) keeps packages whole, and the
next build sweeps the temporary files that killed writers leave behind.
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from conftest import REPO, run_cli
from elpack import package
from elpack.commands.new import create_module
from elpack.package import TEMPORARY_NAME, remove_stale_temporaries, temporary_name, write_atomic
from elpack.validate import validate_zip

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL and process ids are POSIX")

PACKAGE = "crash-scorm12.zip"
MEDIA_BYTES = 4 * 1024 * 1024  # a video, so that writing the zip is a real part of the build
KILLS = 20


def elpack_env() -> dict[str, str]:
    """The environment for elpack subprocesses: this checkout's code, whatever is installed."""
    paths = [str(REPO / "src"), *filter(None, [os.environ.get("PYTHONPATH")])]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}


def start_build(*args: str | Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "elpack", "build", *map(str, args)],
                            env=elpack_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def temporaries(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if TEMPORARY_NAME.match(p.name))


def make_video_module(parent: Path, size: int = MEDIA_BYTES) -> Path:
    root = create_module("Crash", parent)
    (root / "media" / "clip.mp4").write_bytes(random.Random(1).randbytes(size))
    set_version(root, 0)
    return root


def set_version(root: Path, number: int) -> None:
    """Change the page text, so that every build's package differs from the one before."""
    (root / "pages" / "01-welcome.md").write_text(
        f"# Welcome\n\nThis is version {number} of the module.\n\n[The clip](media/clip.mp4)\n")


def assert_intact(target: Path, before: str, number: int, context: str = "") -> None:
    """The package is the earlier one byte for byte, or the complete new one."""
    if sha256(target) == before:
        return
    assert validate_zip(target) == [], context
    with zipfile.ZipFile(target) as archive:
        assert archive.testzip() is None, context  # every entry's checksum: nothing cut short
        text = archive.read("index.html").decode()
    assert f"This is version {number} of the module." in text, context


def wait_for_temporary(folder: Path, process: subprocess.Popen[bytes], limit: float) -> bool:
    """Poll until the build starts writing (its temporary file appears) or ends."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and process.poll() is None:
        if any(TEMPORARY_NAME.match(name) for name in os.listdir(folder)):
            return True
        time.sleep(0.0005)  # leave the CPU to the build
    return False


def test_builds_killed_at_random_moments_never_damage_the_package(tmp_path: Path):
    root = make_video_module(tmp_path)
    out = tmp_path / "out"
    started = time.monotonic()
    first = start_build(root, "-o", out)
    assert first.wait(timeout=60) == 0, first.stderr.read().decode() if first.stderr else ""
    typical = time.monotonic() - started
    first.stderr.close()
    target = out / PACKAGE
    assert validate_zip(target) == []
    chance = random.Random()
    seed = chance.randrange(1 << 30)
    chance.seed(seed)
    killed_mid_write = 0
    killed: set[int] = set()
    number = 0
    # KILLS kills; if none of them hit the write itself, a few more aimed ones.
    while number < KILLS or (not killed_mid_write and number < KILLS + 10):
        number += 1
        before = sha256(target)
        set_version(root, number)
        build = start_build(root, "-o", out)
        if number % 2 and number <= KILLS:
            # Anywhere in the build: start-up, parsing, rendering, zipping or writing.
            time.sleep(chance.uniform(0, typical))
        else:
            # Aim at the short window when the package is being written.
            wait_for_temporary(out, build, limit=typical * 3)
            time.sleep(chance.uniform(0, 0.002))
        build.send_signal(signal.SIGKILL)
        build.wait(timeout=60)
        build.stderr.close()
        killed.add(build.pid)
        leftovers = temporaries(out)
        writers = {int(TEMPORARY_NAME.match(p.name)["pid"]) for p in leftovers}
        killed_mid_write += build.pid in writers
        context = f"kill {number}, seed {seed}"
        assert_intact(target, before, number, context)
        # Only killed builds' temporary files may be there (a build killed before its sweep
        # leaves the earlier ones too); the next complete build removes them.
        assert writers <= killed, context
        assert sorted(p.name for p in out.iterdir()) == sorted([PACKAGE, *(p.name for p in leftovers)])
    print(f"{killed_mid_write} of {number} kills landed while the package was written "
          f"(seed {seed})")
    assert killed_mid_write, f"no kill landed while the package was written (seed {seed})"
    final = start_build(root, "-o", out)
    assert final.wait(timeout=60) == 0
    final.stderr.close()
    assert sorted(p.name for p in out.iterdir()) == [PACKAGE]
    assert_intact(target, "", number)


# A build that kills itself at one exact point of write_atomic: always hit, unlike a timer.
SELF_KILL = """
import os, signal, sys
from elpack import package

def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

stage = sys.argv[1]
if stage == "open":
    real_fdopen = os.fdopen
    class HalfWritten:
        def __init__(self, stream):
            self.stream = stream
        def __enter__(self):
            return self
        def __exit__(self, *exc):
            return False
        def write(self, data):
            self.stream.write(data[: len(data) // 2])
            self.stream.flush()
            die()
    os.fdopen = lambda fd, mode: HalfWritten(real_fdopen(fd, mode))
elif stage == "fsync":
    os.fsync = die
elif stage == "replace":
    os.replace = die
from elpack.cli import cli
cli(sys.argv[2:])
"""


@pytest.mark.parametrize("stage", ["open", "fsync", "replace"])
def test_kill_inside_the_write_keeps_the_earlier_package(stage: str, tmp_path: Path):
    root = make_video_module(tmp_path, size=1000)
    out = tmp_path / "out"
    assert run_cli("build", root, "-o", out).exit_code == 0
    target = out / PACKAGE
    before = sha256(target)
    set_version(root, 1)
    killed = subprocess.run([sys.executable, "-c", SELF_KILL, stage, "build", str(root), "-o",
                             str(out)], env=elpack_env(), capture_output=True, timeout=60)
    assert killed.returncode == -signal.SIGKILL, killed.stderr.decode()
    assert sha256(target) == before
    (leftover,) = temporaries(out)
    assert leftover.name.startswith(f".{PACKAGE}.tmp-")
    # The next build sweeps what the killed one left, and writes the new package.
    assert run_cli("build", root, "-o", out).exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == [PACKAGE]
    assert_intact(target, "", 1)


def test_workers_exit_when_the_parent_build_is_killed(tmp_path: Path):
    if not Path("/proc/self/stat").exists():
        pytest.skip("needs /proc to find the worker processes")
    roots = [create_module(f"Worker {n}", tmp_path / "modules") for n in range(4)]
    for root in roots:
        for page in range(40):
            (root / "pages" / f"10-extra-{page:02d}.md").write_text(
                f"# Extra {page}\n\n" + "Some *emphasised* text and a [link](#top).\n\n" * 40)
    for attempt in range(5):
        build = start_build(*roots, "-o", tmp_path / f"out{attempt}", "-j", "2")
        workers: set[int] = set()
        while build.poll() is None and not workers:
            workers = children_of(build.pid)
        build.send_signal(signal.SIGKILL)
        build.wait(timeout=60)
        build.stderr.close()
        if workers:
            break
    else:
        pytest.skip("the build finished before its workers could be seen")
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and alive(workers):
            time.sleep(0.05)
        assert not alive(workers), "orphaned workers kept running"
    finally:
        for pid in alive(workers):
            os.kill(pid, signal.SIGKILL)


def children_of(parent: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == parent:
                found.add(int(entry.name))
    return found


def alive(pids: set[int]) -> set[int]:
    """The processes among ``pids`` that still run (zombies do not count)."""
    running = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            running.add(pid)
    return running


def test_an_exception_while_writing_removes_the_temporary_file(tmp_path: Path, monkeypatch):
    target = tmp_path / "out" / "a.zip"
    write_atomic(target, b"old")

    def refuse(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(package.os, "replace", refuse)
    with pytest.raises(OSError):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in target.parent.iterdir()) == ["a.zip"]


def test_only_temporary_files_of_gone_processes_are_swept(tmp_path: Path):
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True, check=True)
    gone = int(finished.stdout)
    ours = tmp_path / temporary_name("mine-scorm12.zip")
    theirs = tmp_path / f".theirs-scorm12.zip.tmp-{gone}-0a1b2c3d"
    old = tmp_path / f".old-scorm12.zip.tmp-{os.getppid()}-0a1b2c3d"  # a live pid, but a day old
    huge = tmp_path / f".huge-scorm12.zip.tmp-{10**30}-0a1b2c3d"
    unrelated = [tmp_path / "notes.tmp-1", tmp_path / ".hidden", tmp_path / "x-scorm12.zip"]
    for path in [ours, theirs, old, huge, *unrelated]:
        path.write_bytes(b"")
    os.utime(old, (time.time() - 86400, time.time() - 86400))
    assert sorted(remove_stale_temporaries(tmp_path)) == sorted([theirs, old, huge])
    assert sorted(tmp_path.iterdir()) == sorted([ours, *unrelated])
    assert remove_stale_temporaries(tmp_path / "missing") == []


def test_a_build_sweeps_temporary_files_left_by_killed_builds(tmp_path: Path):
    root = create_module("Sweep", tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True, check=True)
    (out / f".sweep-scorm12.zip.tmp-{int(finished.stdout)}-00ff00ff").write_bytes(b"PK half")
    (out / f".gone-scorm12.zip.tmp-{int(finished.stdout)}-00ff00ff").write_bytes(b"PK half")
    assert run_cli("build", root, "-o", out).exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == ["sweep-scorm12.zip"]
