"""Helpers for the archive tests: demo pages written into a WARC and imported."""

from __future__ import annotations

from pathlib import Path

from crawler.archive.importer import import_warcs
from crawler.archive.warc import WarcFileSet
from crawler.demo.routes import build_routes
from crawler.demo.sites import CANONICAL

SEED_KEYS = ("/news/52672.html", "/20220621/31877.html")  # the seed original (GBK) and its reprint


def demo_pages(limit: int = 6) -> list[tuple[str, str, bytes]]:
    """Return (url, content type, body) of demo article pages, both sites, the seed first."""
    pages = []
    for site, routes in build_routes().items():
        for path, resource in sorted(routes.items()):
            if ("/news/" in path or "/html/" in path) and path.endswith(".html"):
                pages.append((f"http://{CANONICAL[site]}{path}", resource.content_type, resource.body))
    pages.sort(key=lambda p: (not any(key in p[0] for key in SEED_KEYS), p[0]))
    return pages[:limit]


def write_warc(folder: Path, pages: list[tuple[str, str, bytes]], name: str = "pages") -> Path:
    """Write pages as 200 responses into one WARC file; return its path."""
    files = WarcFileSet(folder, name)
    for url, content_type, body in pages:
        files.write_response(url, 200, [("Content-Type", content_type), ("Content-Length", str(len(body)))], body)
    files.close()
    return files.path


def archive_from_pages(db, folder: Path, limit: int = 6) -> Path:
    """Import demo pages into `db` through a WARC in `folder`; return the WARC path."""
    path = write_warc(folder, demo_pages(limit))
    import_warcs(db, [path])
    return path
