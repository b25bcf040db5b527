"""A test HTTP server on a free loopback port, served from a daemon thread."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class LocalServer:
    """Start, stop and address a ThreadingHTTPServer; subclasses say which handler answers."""

    host = "127.0.0.1"
    server: ThreadingHTTPServer | None = None

    def handler(self) -> type[BaseHTTPRequestHandler]:
        """Return the request handler class, bound to this server's state."""
        raise NotImplementedError

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.server.server_address[1]}/"

    def start(self):
        self.server = ThreadingHTTPServer((self.host, 0), self.handler())
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
