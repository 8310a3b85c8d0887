"""elpack: Markdown e-learning modules to validated SCORM 1.2 packages."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("elpack")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0.0.0"
