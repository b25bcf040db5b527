"""Downloader middleware: write every response, as received, to the run's WARC files.

It sits at order 950, closer to the wire than HttpCompressionMiddleware (590),
RedirectMiddleware (600) and RetryMiddleware (550), so it sees each response before
Scrapy decompresses, follows or retries it: the body is stored with its
Content-Encoding exactly as the server sent it (readers such as warcio decode it).
Only Transfer-Encoding is dropped, because Scrapy has already removed the chunking.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

from crawler.archive.captures import record_capture, relative_to_archive
from crawler.archive.schema import open_archive
from crawler.archive.warc import WarcFileSet

RUN_ID_STAT = "archive/run_id"  # set by StorePipeline when it opens the run


def _pairs(headers) -> list[tuple[str, str]]:
    return [(k.decode("latin-1"), v.decode("latin-1")) for k, values in headers.items() for v in values]


class WarcCaptureMiddleware:
    """Append each response (and its request) to WARC files next to the archive; one captures row each."""

    def __init__(self, crawler: Crawler, db_path: str, folder: Path, max_bytes: int) -> None:
        self.crawler = crawler
        self.db_path = db_path
        self.folder = folder
        self.max_bytes = max_bytes
        self.db = None
        self.files: WarcFileSet | None = None
        self.run_id: int | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcCaptureMiddleware:
        settings = crawler.settings
        db_path = settings.get("ARCHIVE_PATH")
        if not settings.getbool("WARC_ENABLED") or not db_path:
            raise NotConfigured("WARC capture is off (WARC_ENABLED or ARCHIVE_PATH)")
        folder = Path(settings.get("WARC_DIR") or Path(db_path).resolve().parent / "archive" / "warc")
        middleware = cls(crawler, db_path, folder, settings.getint("WARC_MAX_BYTES"))
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def _open(self, spider: Spider) -> None:
        self.db = open_archive(self.db_path)
        self.run_id = self.crawler.stats.get_value(RUN_ID_STAT)
        stamp = datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S")
        run = f"run{self.run_id}" if self.run_id is not None else "norun"
        self.files = WarcFileSet(self.folder, f"legalnews-{spider.name}-{run}-{stamp}", self.max_bytes)

    def process_response(self, request: Request, response: Response, spider: Spider | None = None) -> Response:
        if "cached" in response.flags:
            return response  # already captured when it was fetched
        spider = spider or self.crawler.spider
        if self.files is None:
            self._open(spider)
        written = self.files.write_response(
            response.url, response.status, _pairs(response.headers), response.body,
            protocol=getattr(response, "protocol", None) or "HTTP/1.1",
            request_headers=_pairs(request.headers), method=request.method,
        )
        capture_id = record_capture(
            self.db, response.url, relative_to_archive(self.db, written.path), written.offset,
            written.length, status=response.status,
            content_type=(response.headers.get("Content-Type") or b"").decode("latin-1") or None,
            fetched_at=datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
            run_id=self.run_id, payload_digest=written.payload_digest, record_id=written.record_id,
        )
        request.meta["capture_id"] = capture_id
        self.crawler.stats.inc_value("warc/records")
        return response

    def spider_closed(self, spider: Spider) -> None:
        if self.files is not None:
            self.files.close()
        if self.db is not None:
            self.db.conn.close()
