"""Finding a Chromium-family browser (Chrome, Edge, Chromium) to print PDFs with.

Writers rarely have a browser on PATH: on Windows and macOS, Chrome and Edge live in fixed
install folders instead. So those folders are searched too, for the system elpack runs on, and
``ELPACK_BROWSER`` names a browser anywhere else.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

BROWSER_VARIABLE = "ELPACK_BROWSER"
# Names on PATH, in order of preference (all of them can print headless to PDF).
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable",
                 "chrome", "microsoft-edge", "microsoft-edge-stable", "msedge")
# Where the installers put them, below the folders named by these environment variables.
WINDOWS_FOLDERS = ("PROGRAMFILES", "PROGRAMFILES(X86)", "LOCALAPPDATA")
WINDOWS_BROWSERS = (r"Google\Chrome\Application\chrome.exe",
                    r"Microsoft\Edge\Application\msedge.exe",
                    r"Chromium\Application\chrome.exe")
MAC_BROWSERS = ("Google Chrome.app/Contents/MacOS/Google Chrome",
                "Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
                "Chromium.app/Contents/MacOS/Chromium")
LINUX_BROWSERS = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome",
                  "/usr/bin/microsoft-edge", "/snap/bin/chromium",
                  "/opt/google/chrome/chrome", "/opt/microsoft/msedge/msedge")


@dataclass(frozen=True)
class BrowserSearch:
    """Where a browser was looked for, and what was found."""

    found: str | None
    looked_in: list[str]
    problem: str = ""  # ELPACK_BROWSER is set but wrong


def system_name(platform: str = sys.platform) -> str:
    if platform.startswith("win"):
        return "windows"
    return "macos" if platform == "darwin" else "linux"


def standard_places(system: str, environ: Mapping[str, str]) -> list[str]:
    """The usual install paths of Chrome, Edge and Chromium on ``system``."""
    if system == "windows":
        # ntpath joins, so that the Windows paths are right whatever system runs this.
        import ntpath

        folders = [environ[name] for name in WINDOWS_FOLDERS if environ.get(name)]
        return [ntpath.join(folder, browser) for browser in WINDOWS_BROWSERS for folder in folders]
    if system == "macos":
        home = environ.get("HOME", "")
        apps = ["/Applications"] + ([f"{home}/Applications"] if home else [])
        return [f"{folder}/{browser}" for browser in MAC_BROWSERS for folder in apps]
    return list(LINUX_BROWSERS)


def find_browser(environ: Mapping[str, str] | None = None, platform: str = sys.platform,
                 ) -> BrowserSearch:
    """``ELPACK_BROWSER`` if set, else the first browser on PATH, else in its standard place."""
    environ = os.environ if environ is None else environ
    chosen = environ.get(BROWSER_VARIABLE, "").strip()
    if chosen:
        path = shutil.which(chosen, path=environ.get("PATH")) or chosen
        if Path(path).is_file():
            return BrowserSearch(path, [chosen])
        return BrowserSearch(None, [chosen], f"{BROWSER_VARIABLE} is set to '{chosen}', "
                             "but there is no such program")
    for name in BROWSER_NAMES:
        found = shutil.which(name, path=environ.get("PATH"))
        if found:
            return BrowserSearch(found, [name])
    places = standard_places(system_name(platform), environ)
    found_place = next((place for place in places if Path(place).is_file()), None)
    return BrowserSearch(found_place, ["PATH", *places])


def install_hint(platform: str = sys.platform) -> str:
    """What to do when no browser was found, in the words of the system elpack runs on."""
    system = system_name(platform)
    if system == "windows":
        advice = ("Microsoft Edge comes with Windows; if it has been removed, install Google "
                  "Chrome or Edge (ask your IT service desk if you may not install programs)")
    elif system == "macos":
        advice = "install Google Chrome or Microsoft Edge into Applications"
    else:
        advice = ("install Chromium with your package manager, for example 'sudo apt-get "
                  "install chromium' on Debian or Ubuntu")
    return (f"{advice}. If the browser is somewhere else, set {BROWSER_VARIABLE} to its full "
            "path. Or leave out --pdf and print the HTML file to PDF from any browser.")
