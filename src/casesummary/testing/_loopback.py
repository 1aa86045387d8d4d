"""What the test servers share: serving on 127.0.0.1 in a thread, and closing down cleanly.

`LoopbackServer` is the lifecycle (start, close, with-block, port) of `OpenAIStubServer` and
`PortalStubServer`; `LoopbackHTTPServer` tracks open connections so that `close` ends every one
(a client keeping a connection alive must see it closed, not hang), and can reset one;
`QuietHandler` is the request handler's common ground.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Generic, Self, TypeVar

_Owner = TypeVar("_Owner")


class LoopbackHTTPServer(ThreadingHTTPServer, Generic[_Owner]):
    """A threaded HTTP server whose handlers reach `owner`, the test server they serve."""

    daemon_threads = True
    block_on_close = False
    # socketserver's default listen backlog is 5: a client opening 16 connections at once
    # would have SYNs dropped and retried a second later, which no real server does.
    request_queue_size = 128

    def __init__(
        self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler], owner: _Owner
    ) -> None:
        super().__init__(address, handler)
        self.owner = owner
        self._connections: set[socket.socket] = set()
        self._resets: set[int] = set()
        self._conn_lock = threading.Lock()

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._conn_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def mark_reset(self, sock: socket.socket) -> None:
        """Close `sock` with a RST instead of a FIN when its request is done."""
        with self._conn_lock:
            self._resets.add(id(sock))

    def shutdown_request(self, request: Any) -> None:
        with self._conn_lock:
            self._connections.discard(request)
            reset = id(request) in self._resets
            self._resets.discard(id(request))
        if reset:
            self.close_request(request)  # no FIN first: SO_LINGER 0 makes close send a RST
        else:
            super().shutdown_request(request)

    def close_connections(self) -> None:
        with self._conn_lock:
            connections = list(self._connections)
        for sock in connections:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


class QuietHandler(BaseHTTPRequestHandler):
    """HTTP/1.1 keep-alive, no Nagle delay, no log lines in the test output."""

    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes: without this, Nagle + delayed ACK add ~40 ms.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output clean


class LoopbackServer:
    """A test server on 127.0.0.1 (an ephemeral port unless `port` is given), served by
    its `request_handler()` in a background thread. Use it as a context manager, or `start()`
    and `close()`."""

    def __init__(self, port: int = 0) -> None:
        self._requested_port = port
        self._stopping = threading.Event()
        self._httpd: LoopbackHTTPServer[Self] | None = None
        self._thread: threading.Thread | None = None

    def request_handler(self) -> type[BaseHTTPRequestHandler]:
        """The handler class that answers this server's requests."""
        raise NotImplementedError

    def start(self) -> Self:
        """Bind the port and serve in a background thread."""
        if self._httpd is not None:
            return self
        httpd = LoopbackHTTPServer(
            ("127.0.0.1", self._requested_port), self.request_handler(), self
        )
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def close(self) -> None:
        """Stop serving, release hanging handlers and close every open connection."""
        httpd = self._httpd
        if httpd is None:
            return
        self._stopping.set()
        httpd.shutdown()
        httpd.close_connections()
        httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError(f"the {type(self).__name__} is not running")
        return int(self._httpd.server_address[1])

    @property
    def root_url(self) -> str:
        """http://127.0.0.1:PORT."""
        return f"http://127.0.0.1:{self.port}"
