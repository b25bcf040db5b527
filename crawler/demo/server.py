"""Serve both demo portals on 127.0.0.1, as a plain server and as an HTTP proxy.

Run: python -m crawler.demo.server --port 8899, then crawl with
http_proxy=http://127.0.0.1:8899 (requests carry absolute URIs) or send
plain requests with a Host header.
"""

from __future__ import annotations

import argparse
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import urlsplit

from crawler.demo.routes import Resource, build_routes
from crawler.demo.sites import BARE, CANONICAL, HOSTS, START_URLS

__all__ = ["HOSTS", "START_URLS", "DemoPortals", "main"]

NOT_FOUND = Resource(
    "text/html; charset=utf-8", b"<html><body><h1>404 Not Found</h1></body></html>"
)
MOVED = Resource(
    "text/html; charset=utf-8", b"<html><body><h1>301 Moved Permanently</h1></body></html>"
)


def resolve(target: str, host_header: str | None) -> tuple[str, str, str]:
    """Return (host, path, full URL) of a request target (absolute URI or path + Host)."""
    if target.startswith(("http://", "https://")):
        parts = urlsplit(target)
        host = parts.hostname or ""
        path = parts.path or "/"
        query = parts.query
    else:
        host = (host_header or "").split(":")[0].lower()
        path, _, query = target.partition("?")
    full = f"http://{host}{path}" + (f"?{query}" if query else "")
    return host.lower(), path, full


class PortalHandler(BaseHTTPRequestHandler):
    """Answer GET and HEAD for the demo hosts from the prebuilt route table."""

    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet: tests and crawls would drown in one line per request."""

    def do_GET(self) -> None:
        """Serve a page with its body."""
        self._answer(with_body=True)

    def do_HEAD(self) -> None:
        """Serve a page's headers only."""
        self._answer(with_body=False)

    def _answer(self, with_body: bool) -> None:
        host, path, full = resolve(self.path, self.headers.get("Host"))
        self.server.portals.record(full)
        site = HOSTS.get(host)
        if site and host == BARE[site]:
            location = f"http://{CANONICAL[site]}{full[len('http://') + len(host) :]}"
            return self._send(301, MOVED, with_body, {"Location": location})
        resource = self.server.routes.get(site, {}).get(path) if site else None
        if resource is None:
            return self._send(404, NOT_FOUND, with_body)
        self._send(200, resource, with_body)

    def _send(self, status: int, res: Resource, with_body: bool, extra: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", res.content_type)
        self.send_header("Content-Length", str(len(res.body)))
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if with_body:
            self.wfile.write(res.body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    routes: dict[str, dict[str, Resource]]
    portals: DemoPortals


class DemoPortals:
    """The two demo portals on one local port; use as a context manager or start()/stop()."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host = host
        self.requested_port = port
        self.hits: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        """Return the bound port (after start)."""
        if self._server is None:
            raise RuntimeError("DemoPortals is not started")
        return self._server.server_address[1]

    @property
    def proxy_url(self) -> str:
        """Return the proxy URL to give a crawler, e.g. http://127.0.0.1:8899."""
        return f"http://{self.host}:{self.port}"

    def record(self, url: str) -> None:
        """Count one request for a full URL."""
        with self._lock:
            self.hits[url] += 1

    def reset_hits(self) -> None:
        """Forget every counted request."""
        with self._lock:
            self.hits.clear()

    def start(self) -> DemoPortals:
        """Bind, render the pages and serve on a daemon thread; return self."""
        server = _Server((self.host, self.requested_port), PortalHandler)
        server.routes = build_routes()
        server.portals = self
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, name="demo-portals", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> DemoPortals:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> int:
    """Serve until Ctrl-C, printing the proxy URL."""
    parser = argparse.ArgumentParser(description="Serve the offline demo portals (fzzx, lnfz).")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8899, help="port to bind (0: any free port)")
    args = parser.parse_args(argv)
    portals = DemoPortals(args.host, args.port).start()
    print(
        f"Demo portals proxy: {portals.proxy_url}  (start URLs: {' '.join(START_URLS)})", flush=True
    )
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        portals.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
