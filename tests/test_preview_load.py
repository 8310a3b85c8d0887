"""The preview server under load (issue 16, item 6), on 127.0.0.1 only, with bounded loops:
200 simultaneous connections are all answered, idle connections are closed after the
per-connection timeout, and the number of worker threads stays bounded."""

from __future__ import annotations

import http.client
import shutil
import socket
import threading
from collections.abc import Iterator

import pytest

from conftest import MODULES
from elpack.preview import PreviewServer
from elpack.preview import server as preview_server

EXAMPLE = "frequent-attenders"
REQUEST = (b"GET /m/frequent-attenders/package/index.html HTTP/1.1\r\n"
           b"Host: 127.0.0.1\r\nConnection: close\r\n\r\n")


@pytest.fixture(scope="module")
def preview(tmp_path_factory) -> Iterator[PreviewServer]:
    root = tmp_path_factory.mktemp("load") / "modules" / EXAMPLE
    shutil.copytree(MODULES / EXAMPLE, root)
    with PreviewServer([root], port=0, watch=False) as server:
        yield server


def read_all(connection: socket.socket) -> bytes:
    chunks = []
    while chunk := connection.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def test_200_simultaneous_connections_are_all_answered(preview: PreviewServer):
    # Connect all 200 first (they wait in the listen backlog), then send and read every one.
    connections = [socket.create_connection(("127.0.0.1", preview.port), timeout=30)
                   for _ in range(200)]
    statuses: list[bytes] = []
    try:
        for connection in connections:
            connection.sendall(REQUEST)
        for connection in connections:
            statuses.append(read_all(connection).split(b"\r\n", 1)[0])
    finally:
        for connection in connections:
            connection.close()
    assert statuses == [b"HTTP/1.1 200 OK"] * 200


def test_200_concurrent_clients_in_threads_get_no_time_outs(preview: PreviewServer):
    results: list[str] = []
    lock = threading.Lock()

    def fetch() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", preview.port, timeout=30)
        try:
            connection.request("GET", f"/m/{EXAMPLE}/package/index.html")
            response = connection.getresponse()
            response.read()
            outcome = str(response.status)
        except OSError as error:
            outcome = repr(error)
        finally:
            connection.close()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=fetch) for _ in range(200)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results) == ["200"] * 200


def test_idle_connections_are_closed_and_threads_stay_bounded(module_factory, monkeypatch):
    monkeypatch.setattr(preview_server.PreviewHandler, "timeout", 0.5)
    root = module_factory({"01-welcome.md": "# Welcome\n\nText.\n"})
    with PreviewServer([root], port=0, watch=False) as server:
        before = threading.active_count()
        # More idle connections than there are workers: each sends half a request and waits.
        idle = [socket.create_connection(("127.0.0.1", server.port), timeout=10)
                for _ in range(preview_server.MAX_WORKERS + 20)]
        try:
            for connection in idle:
                connection.sendall(b"GET / HTTP/1.1\r\n")
            assert threading.active_count() <= before + preview_server.MAX_WORKERS
            # A real request is still answered: idle connections give their thread back.
            fresh = socket.create_connection(("127.0.0.1", server.port), timeout=10)
            fresh.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            assert read_all(fresh).startswith(b"HTTP/1.1 200 OK")
            fresh.close()
            # And every idle connection was closed by the server (recv sees the end, no timeout).
            for connection in idle:
                assert read_all(connection) == b""
        finally:
            for connection in idle:
                connection.close()
