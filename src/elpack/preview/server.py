"""The preview's HTTP server: the module list, the LMS simulator and in-memory packages.

Everything it serves is in memory: the packages from pipeline.build(), the pages it renders and
a fixed list of static files read from the installed elpack. No request path is ever joined to a
folder on disk, so there is nothing to traverse to; request paths that try anyway (``..``,
encoded or doubly encoded separators, backslashes, absolute forms) are refused with 404 before
any lookup, so that every such attempt gets the same plain answer.
"""

from __future__ import annotations

import ipaddress
import json
import queue
import re
import socket
import socketserver
import sys
import threading
from collections.abc import Callable, Iterable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from ..policy import PREVIEW_MEDIA_POLICY
from ..targets import Target, get_target
from ..translation.apply import translations_of
from .builds import PreviewBuild, PreviewModule, module_slugs
from .pages import (
    build_payload,
    content_type,
    index_page,
    simulator_page,
    static_files,
    with_reviewer_tools,
)

if TYPE_CHECKING:
    from .watcher import ModuleWatcher

LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}
# Percent-encodings that could smuggle a separator, a dot segment, a second round of decoding or
# a NUL past the checks below: %2f (/), %5c (\), %2e (.), %25 (%), %00.
_ENCODED_TRICKS = re.compile(r"%(2f|5c|2e|25|00)", re.IGNORECASE)
_RANGE = re.compile(r"bytes=(\d*)-(\d*)$")
_PORT = re.compile(r"(:[0-9]*)?")  # what may follow the host in a Host header
KEEP_ALIVE_SECONDS = 15.0
# A connection that sends nothing for this long is closed, so idle keep-alive connections (or a
# client that never finishes its request) cannot hold a worker thread for ever.
CONNECTION_TIMEOUT = 5.0
MAX_WORKERS = 48
# Each open preview tab holds one event stream (and its thread); more are refused with 503 so that
# page and file requests always have threads left.
MAX_EVENT_STREAMS = 16

BuildListener = Callable[[PreviewModule, PreviewBuild], None]


def request_segments(target: str) -> list[str] | None:
    """The decoded path segments of a request target, or None if it is not a plain path.

    ``/m/x/package/index.html`` gives ``["m", "x", "package", "index.html"]``; a trailing slash
    gives a last empty segment. None for anything that could name something outside what the
    preview serves: dot segments, empty segments, backslashes, encoded separators or dots, double
    encoding, NUL, undecodable bytes, and absolute forms (``http://...``, ``//host/...``).
    """
    path = target.split("?", 1)[0].split("#", 1)[0]
    if not path.startswith("/") or path.startswith("//"):
        return None
    if "\\" in path or _ENCODED_TRICKS.search(path):
        return None
    try:
        decoded = unquote(path, errors="strict")
    except UnicodeDecodeError:
        return None
    if any(c in decoded for c in "%\\\0"):
        return None
    segments = decoded[1:].split("/")
    if any(s in (".", "..") for s in segments) or "" in segments[:-1]:
        return None
    return segments


def is_loopback(host: str) -> bool:
    """Whether binding to ``host`` keeps the preview to this computer."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def is_ip_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def host_header_name(header: str) -> str | None:
    """The name or address a Host header asks for, lower case, without port, brackets or the
    final dot of a fully qualified name; None when it is not a well-formed Host header.

    ``localhost:8000`` gives ``localhost``, ``[::1]:8000`` gives ``::1``.
    """
    header = header.strip().lower()
    if header.startswith("["):
        name, closed, port = header[1:].partition("]")
        if not closed or not _PORT.fullmatch(port):
            return None
    else:
        name, colon, port = header.partition(":")
        # Also refuses an IPv6 address without brackets, which HTTP does not allow.
        if not _PORT.fullmatch(colon + port):
            return None
    name = name.removesuffix(".")
    return name or None


class EventHub:
    """Server-Sent Events: every connected page gets every event, through its own queue."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queues: set[queue.Queue[str | None]] = set()
        self._closed = False

    def subscribe(self) -> queue.Queue[str | None]:
        subscription: queue.Queue[str | None] = queue.Queue()
        with self._lock:
            if self._closed:
                subscription.put(None)
            self._queues.add(subscription)
        return subscription

    def unsubscribe(self, subscription: queue.Queue[str | None]) -> None:
        with self._lock:
            self._queues.discard(subscription)

    def publish(self, name: str, data: dict[str, Any]) -> None:
        message = f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"
        with self._lock:
            for subscription in self._queues:
                subscription.put(message)

    def close(self) -> None:
        """End every open event stream (None tells its handler to return)."""
        with self._lock:
            self._closed = True
            for subscription in self._queues:
                subscription.put(None)


class _HttpServer(ThreadingHTTPServer):
    daemon_threads = True  # an open event stream must never keep the process alive
    # The listen backlog: a burst of 200 local connections (a reviewer's browser reloading many
    # tabs, a benchmark) waits here instead of being refused; the kernel may cap it lower.
    request_queue_size = 256

    def __init__(self, preview: PreviewServer, host: str, port: int) -> None:
        self.preview = preview
        self.workers = threading.BoundedSemaphore(MAX_WORKERS)
        self.event_streams = threading.BoundedSemaphore(MAX_EVENT_STREAMS)
        # Set before binding: TCPServer makes its socket from this attribute.
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        super().__init__((host.strip("[]"), port), PreviewHandler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Instead of socketserver's traceback: nothing when the browser went away mid-answer
        (a closed tab, a reload), one line otherwise."""
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            return
        print(f"elpack preview: could not answer a request: {error!r}", file=sys.stderr)

    def process_request(self, request: Any, client_address: Any) -> None:
        """One thread per connection, at most MAX_WORKERS at once: while all are busy, new
        connections wait in the backlog (idle ones free their thread after CONNECTION_TIMEOUT)."""
        self.workers.acquire()
        try:
            super().process_request(request, client_address)
        except BaseException:
            self.workers.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.workers.release()

    def server_bind(self) -> None:
        # HTTPServer.server_bind also looks up the host's DNS name (socket.getfqdn), which can
        # take seconds on a machine without DNS, for a name the preview never uses.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name, self.server_port = str(host), port


class PreviewServer:
    """The preview of some modules: builds, HTTP server, live reload.

    Programmatic use (tests, benchmarks)::

        with PreviewServer([Path("modules/sepsis")], port=0) as preview:   # builds and serves
            print(preview.url)                                             # http://127.0.0.1:PORT/
            preview.rebuild(preview.modules[0])                            # as the watcher would

    ``start()`` serves in a background thread; ``serve_forever()`` serves in the calling thread
    (the CLI), and ``close()`` stops both the server and the watcher. With ``watch=True`` a
    change to a module's files or its theme rebuilds that module and sends a 'build' event.
    """

    def __init__(self, module_roots: Iterable[Path], host: str = "127.0.0.1", port: int = 8000, *,
                 watch: bool = True, on_build: BuildListener | None = None,
                 target: Target | str | None = None) -> None:
        roots = list(module_roots)
        # The standard whose package is previewed (and whose LMS the simulator plays); None:
        # each module's first target. An unknown name is refused here, before anything is built.
        chosen = get_target(target) if isinstance(target, str) else target
        self.modules = [PreviewModule(root, slug, target=chosen)
                        for root, slug in zip(roots, module_slugs(roots), strict=True)]
        # Each translation of a module is previewed beside it: /m/<slug>-<language>/.
        self.modules += [PreviewModule(module.root, f"{module.slug}-{language}", language=language,
                                       target=chosen)
                         for module in list(self.modules)
                         for language in translations_of(module.root)]
        self.host = host
        self.events = EventHub()
        self.on_build = on_build
        self.watch = watch
        self._own_names: frozenset[str] | None = None  # found when first needed: see accepts_host
        self._http = _HttpServer(self, host, port)  # binds now, so a busy port fails early
        self._thread: threading.Thread | None = None
        self._serving = False  # whether serve_forever() runs, in whichever thread
        self._watcher: ModuleWatcher | None = None
        self._built = False

    # -- addresses ------------------------------------------------------------------------

    @property
    def port(self) -> int:
        return self._http.server_address[1]

    @property
    def url(self) -> str:
        """The address to open in a browser."""
        host = self.host.strip("[]")
        if host in ("", "0.0.0.0", "::"):  # every interface: this computer can use loopback
            host = "127.0.0.1"
        return f"http://[{host}]:{self.port}/" if ":" in host else f"http://{host}:{self.port}/"

    def module_url(self, module: PreviewModule) -> str:
        return f"{self.url}m/{module.slug}/"

    def module(self, slug: str) -> PreviewModule | None:
        return next((m for m in self.modules if m.slug == slug), None)

    def accepts_host(self, name: str) -> bool:
        """Whether a request's Host header (as :func:`host_header_name` gives it) names this
        preview.

        A page on another site can make the browser send requests here through a DNS name that
        it controls and points at this computer ("DNS rebinding"); it cannot fake the Host
        header. So only names this preview is known by are answered: loopback names always; and
        when it listens beyond this computer (--host), any IP address (a rebinding needs a
        name), the --host value itself and this computer's own names.
        """
        if is_loopback(name):
            return True
        if is_loopback(self.host):
            return False
        if is_ip_address(name):
            return True
        if self._own_names is None:
            # Asked on the first request that needs it, not at start: getfqdn() can take
            # seconds on a computer without DNS.
            names = {self.host, socket.gethostname(), socket.getfqdn()}
            self._own_names = frozenset(n.strip("[]").lower().removesuffix(".") for n in names)
        return name in self._own_names

    # -- building ---------------------------------------------------------------------------

    def build_all(self) -> None:
        """Build every module once (start() and serve_forever() do this if it was not done)."""
        for module in self.modules:
            self.rebuild(module)
        self._built = True

    def rebuild(self, module: PreviewModule) -> PreviewBuild:
        """Rebuild one module, tell the open pages, and the on_build listener."""
        result = module.rebuild()
        self.events.publish("build", build_payload(module))
        module.find_theme_folders()  # for the watcher; after the event, which is what writers wait for
        if self.on_build is not None:
            self.on_build(module, result)
        return result

    # -- running ------------------------------------------------------------------------------

    def _prepare(self) -> None:
        if not self._built:
            self.build_all()
        if self.watch and self._watcher is None:
            from .watcher import ModuleWatcher  # imported here: only a watching preview needs it

            self._watcher = ModuleWatcher(self.modules, self.rebuild)
            self._watcher.start()

    def start(self) -> PreviewServer:
        """Build, start watching, and serve in a background thread; returns self."""
        self._prepare()
        self._serving = True
        self._thread = threading.Thread(target=self._serve, name="elpack preview", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Build, start watching, and serve in this thread until close() or Ctrl-C."""
        self._prepare()
        self._serving = True
        self._serve()

    def _serve(self) -> None:
        try:
            # A short poll interval makes close() quick: shutdown() waits for the loop to notice.
            self._http.serve_forever(poll_interval=0.05)
        finally:
            self._serving = False

    def close(self) -> None:
        """Stop serving and watching; open event streams end. Safe to call more than once,
        and from any thread, whether the server was started with start() or serve_forever()."""
        self.events.close()
        if self._watcher is not None:
            self._watcher.stop()
            self._watcher = None
        if self._serving:
            # Without this, a serve_forever() in another thread would go on polling the socket
            # that server_close() closes below.
            self._http.shutdown()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        self._http.server_close()

    def __enter__(self) -> PreviewServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class PreviewHandler(BaseHTTPRequestHandler):
    """GET and HEAD only; every answer comes from memory."""

    server: _HttpServer
    # Keep-alive: a relaunch loads index.html, style sheets and scripts over open connections.
    protocol_version = "HTTP/1.1"
    timeout = CONNECTION_TIMEOUT  # StreamRequestHandler sets it on the socket
    server_version = "elpack-preview"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the terminal is for build results, not a line per request

    @property
    def preview(self) -> PreviewServer:
        return self.server.preview

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def do_GET(self) -> None:
        self._answer(send_body=True)

    # -- routing --------------------------------------------------------------------------------

    def _answer(self, send_body: bool) -> None:
        self._send_body = send_body
        if not self._host_allowed():
            # A page on another site can make the browser send requests here through a DNS name
            # that points at 127.0.0.1 ("DNS rebinding"); it cannot fake the Host header.
            self._send(HTTPStatus.FORBIDDEN, b"Forbidden: unexpected Host header\n", "text/plain")
            return
        segments = request_segments(self.path)
        if segments is None:
            self._not_found()
            return
        match segments:
            case [""]:
                self._send(HTTPStatus.OK, index_page(self.preview.modules), "text/html; charset=utf-8")
            case ["events"]:
                self._event_stream()
            case ["_static", *rest] if "/".join(rest) in static_files():
                name = "/".join(rest)
                self._send(HTTPStatus.OK, static_files()[name], content_type(name))
            case ["m", slug, *rest] if (module := self.preview.module(slug)) is not None:
                self._module(module, rest)
            case _:
                self._not_found()

    def _module(self, module: PreviewModule, rest: list[str]) -> None:
        match rest:
            case []:
                self._redirect(f"/m/{module.slug}/")
            case [""]:
                self._send(HTTPStatus.OK, simulator_page(module, self.preview.modules),
                           "text/html; charset=utf-8")
            case ["state.json"]:
                payload = json.dumps(build_payload(module), ensure_ascii=False).encode("utf-8")
                self._send(HTTPStatus.OK, payload, "application/json")
            case ["package", *path] if module.result is not None:
                name = "/".join(path)
                body = module.result.files.get(name)
                if body is None:
                    self._not_found()
                elif name == "index.html":
                    self._send(HTTPStatus.OK, with_reviewer_tools(body), content_type(name))
                elif name.startswith("media/"):
                    # The author's files: an HTML or SVG file opened from a link runs no script.
                    self._send_ranged(body, content_type(name),
                                      {"Content-Security-Policy": PREVIEW_MEDIA_POLICY})
                else:
                    self._send_ranged(body, content_type(name))
            case _:
                self._not_found()

    def _host_allowed(self) -> bool:
        name = host_header_name(self.headers.get("Host", ""))
        return name is not None and self.preview.accepts_host(name)

    # -- answers --------------------------------------------------------------------------------

    def _common_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")  # a reload must show the latest build
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("X-Frame-Options", "SAMEORIGIN")
        self.send_header("Referrer-Policy", "no-referrer")

    def _send(self, status: HTTPStatus, body: bytes, kind: str,
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self._common_headers()
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self._send_body:
            self.wfile.write(body)

    def _send_ranged(self, body: bytes, kind: str, headers: dict[str, str] | None = None) -> None:
        """A package file, honouring a single byte range: browsers need it to seek in videos."""
        headers = headers or {}
        wanted = _RANGE.match(self.headers.get("Range", "").strip())
        if not wanted or not any(wanted.groups()):
            self._send(HTTPStatus.OK, body, kind, {"Accept-Ranges": "bytes", **headers})
            return
        first, last = wanted.groups()
        size = len(body)
        if first:
            start, end = int(first), min(int(last) if last else size - 1, size - 1)
        else:  # "bytes=-500": the last 500 bytes
            start, end = max(size - int(last), 0), size - 1
        if start >= size or start > end:
            self._send(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE, b"", kind,
                       {"Content-Range": f"bytes */{size}", **headers})
            return
        self._send(HTTPStatus.PARTIAL_CONTENT, body[start:end + 1], kind,
                   {"Accept-Ranges": "bytes", "Content-Range": f"bytes {start}-{end}/{size}",
                    **headers})

    def _not_found(self) -> None:
        self._send(HTTPStatus.NOT_FOUND, b"Not found\n", "text/plain; charset=utf-8")

    def _redirect(self, location: str) -> None:
        self._send(HTTPStatus.MOVED_PERMANENTLY, b"", "text/plain", {"Location": location})

    def _event_stream(self) -> None:
        """Server-Sent Events until the page goes away or the preview stops."""
        if not self.server.event_streams.acquire(blocking=False):
            self.close_connection = True
            self._send(HTTPStatus.SERVICE_UNAVAILABLE, b"Too many open previews: close some tabs\n",
                       "text/plain; charset=utf-8")
            return
        try:
            self._stream_events()
        finally:
            self.server.event_streams.release()

    def _stream_events(self) -> None:
        subscription = self.preview.events.subscribe()
        self.close_connection = True
        try:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream; charset=utf-8")
            self.send_header("Connection", "close")  # the stream ends when the connection does
            self._common_headers()
            self.end_headers()
            if not self._send_body:
                return
            # retry: how soon EventSource reconnects (ms); 'hello' lets a page that reconnects
            # notice builds it missed while it was away.
            versions = {m.slug: build_payload(m)["version"] for m in self.preview.modules}
            self.wfile.write(f"retry: 1000\nevent: hello\ndata: {json.dumps(versions)}\n\n".encode())
            while True:
                try:
                    message = subscription.get(timeout=KEEP_ALIVE_SECONDS)
                except queue.Empty:
                    message = ": keep-alive\n\n"  # a comment line: finds closed connections
                if message is None:
                    return
                self.wfile.write(message.encode("utf-8"))
        except OSError:  # the page was closed or reloaded (broken pipe, connection reset)
            return
        finally:
            self.preview.events.unsubscribe(subscription)
