"""`elpack preview`: modules in a local SCORM 1.2 LMS simulator that rebuilds as you edit.

server.py serves everything from memory; builds.py builds modules with the real pipeline
(pipeline.build()); watcher.py rebuilds a module when its files or theme change; pages.py renders
the preview's own pages and adds the reviewer tools to a package's index.html as it is served
(never to the package).
The browser side is in static/ (simulator.js, reviewer.js and the vendored scorm-again).
"""

from .builds import PreviewBuild, PreviewModule
from .server import PreviewServer, is_loopback, request_segments

__all__ = ["PreviewBuild", "PreviewModule", "PreviewServer", "is_loopback", "request_segments"]
