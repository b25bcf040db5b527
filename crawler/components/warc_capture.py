"""Downloader middleware: write every response, as received, to the run's WARC files.

It sits at order 950, closer to the wire than HttpCompressionMiddleware (590),
RedirectMiddleware (600) and RetryMiddleware (550), so it sees each response before
Scrapy decompresses, follows or retries it: the body is stored with its
Content-Encoding exactly as the server sent it (readers such as warcio decode it).
Only Transfer-Encoding is dropped, because Scrapy has already removed the chunking.
"""

from __future__ import annotations

from pathlib import Path

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

from crawler.clock import utc_stamp, utcnow
from crawler.components.archive_writer import ArchiveWriterExtension

RUN_ID_STAT = "archive/run_id"  # set by StorePipeline when it opens the run


def _pairs(headers) -> list[tuple[str, str]]:
    return [
        (k.decode("latin-1"), v.decode("latin-1")) for k, values in headers.items() for v in values
    ]


class WarcCaptureMiddleware:
    """Append each response (and its request) to WARC files next to the archive; one captures row
    each.

    The WARC files and the captures rows are written by the crawl process's one archive
    writer (ArchiveWriterExtension; compression and hashing off the crawl's core), in the
    order responses arrive, so an article stored after its response finds its capture.
    """

    def __init__(
        self, crawler: Crawler, folder: Path, max_bytes: int, archive: ArchiveWriterExtension
    ) -> None:
        self.crawler = crawler
        self.folder = folder
        self.max_bytes = max_bytes
        self.archive = archive
        self.prefix: str | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcCaptureMiddleware:
        settings = crawler.settings
        if not settings.getbool("WARC_ENABLED") or not settings.get("ARCHIVE_PATH"):
            raise NotConfigured("WARC capture is off (WARC_ENABLED or ARCHIVE_PATH)")
        archive = ArchiveWriterExtension.of(crawler)
        folder = Path(
            settings.get("WARC_DIR") or Path(archive.path).resolve().parent / "archive" / "warc"
        )
        return cls(crawler, folder, settings.getint("WARC_MAX_BYTES"), archive)

    def _open(self, spider: Spider) -> None:
        run_id = self.crawler.stats.get_value(RUN_ID_STAT)
        stamp = utc_stamp()
        run = f"run{run_id}" if run_id is not None else "norun"
        self.prefix = f"legalnews-{spider.name}-{run}-{stamp}"

    async def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Response:
        if "cached" in response.flags:
            return response  # already captured when it was fetched
        if self.prefix is None:
            self._open(spider or self.crawler.spider)
        record = {
            "url": response.url,
            "status": response.status,
            "headers": _pairs(response.headers),
            "body": response.body,
            "protocol": getattr(response, "protocol", None) or "HTTP/1.1",
            "request_headers": _pairs(request.headers),
            "method": request.method,
            "content_type": (response.headers.get("Content-Type") or b"").decode("latin-1") or None,
            "fetched_at": utcnow(),
            "run_id": self.crawler.stats.get_value(RUN_ID_STAT),
        }
        await self.archive.put("capture", str(self.folder), self.prefix, self.max_bytes, record)
        self.crawler.stats.inc_value("warc/records")
        return response
