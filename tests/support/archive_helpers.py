"""Helpers for the archive tests: demo pages written into a WARC and imported."""

from __future__ import annotations

from pathlib import Path

from crawler.archive import schema
from crawler.archive.importer import import_warcs
from crawler.archive.ingest import store_article
from crawler.archive.schema import open_archive, transaction
from crawler.archive.warc import WarcFileSet
from crawler.demo.routes import build_routes
from crawler.demo.sites import CANONICAL
from crawler.items import Article

SEED_KEYS = ("/news/52672.html", "/20220621/31877.html")  # the seed original (GBK) and its reprint


def demo_pages(limit: int = 6) -> list[tuple[str, str, bytes]]:
    """Return (url, content type, body) of demo article pages, both sites, the seed first."""
    pages = []
    for site, routes in build_routes().items():
        for path, resource in sorted(routes.items()):
            if ("/news/" in path or "/html/" in path) and path.endswith(".html"):
                pages.append(
                    (f"http://{CANONICAL[site]}{path}", resource.content_type, resource.body)
                )
    pages.sort(key=lambda p: (not any(key in p[0] for key in SEED_KEYS), p[0]))
    return pages[:limit]


def write_warc(folder: Path, pages: list[tuple[str, str, bytes]], name: str = "pages") -> Path:
    """Write pages as 200 responses into one WARC file; return its path."""
    files = WarcFileSet(folder, name)
    for url, content_type, body in pages:
        files.write_response(
            url, 200, [("Content-Type", content_type), ("Content-Length", str(len(body)))], body
        )
    files.close()
    return files.path


def archive_from_pages(db, folder: Path, limit: int = 6) -> Path:
    """Import demo pages into `db` through a WARC in `folder`; return the WARC path."""
    path = write_warc(folder, demo_pages(limit))
    import_warcs(db, [path])
    return path


def store_one_and_close(db, site: str, title: str) -> None:
    """Store one article in `db`, fold the WAL into the database file and close the connection.

    The file then holds everything, so a test can compare its bytes before and after a command.
    """
    with transaction(db):
        store_article(
            db,
            Article(
                url="http://www.lnfz.cn/news/1.html",
                site=site,
                title=title,
                published="2022-06-21",
                body="全省开展禁毒宣传。",
            ),
        )
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()


def archive_of_version(
    path, version: int, monkeypatch, title: str = "禁毒宣传", body: str = "全省开展禁毒宣传。"
) -> None:
    """Create an archive as migration `version` left it: one article and one failure,
    everything checkpointed into the main file."""
    with monkeypatch.context() as patch:
        patch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:version])
        db = open_archive(path)
    db.execute(
        "INSERT INTO articles (url, canonical_url, site, title, body, published, first_seen_at, "
        "fetched_at) VALUES ('http://www.lnfz.cn/news/1.html', 'http://lnfz.cn/news/1.html', "
        "'lnfz', ?, ?, '2022-06-21', 'x', 'x')",
        [title, body],
    )
    db.execute(
        "INSERT INTO failures (url, reason, at) "
        "VALUES ('http://www.lnfz.cn/news/2.html', 'HTTP 404', 'x')"
    )
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()
