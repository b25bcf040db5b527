"""WARC files (ISO 28500): write responses as captured, read them back, walk foreign WARCs."""

from __future__ import annotations

import gzip
import io
import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.client import responses as REASONS
from pathlib import Path
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

DEFAULT_MAX_BYTES = 1024 * 1024 * 1024  # rotate to a new file past 1 GiB
HTML_TYPES = ("text/html", "application/xhtml+xml")
# Scrapy hands us the body de-chunked: a stored Transfer-Encoding would make readers de-chunk again.
HOP_BY_HOP = {"transfer-encoding"}


@dataclass
class WrittenRecord:
    """Where a response record went: file, offset and length of its gzip member, digest."""

    path: Path
    offset: int
    length: int
    payload_digest: str | None
    record_id: str | None


@dataclass
class Capture:
    """One HTTP response read from a WARC: URL, status, headers and the decoded body."""

    url: str
    status: int
    headers: dict[str, str]
    body: bytes
    fetched_at: str | None = None
    payload_digest: str | None = None
    record_id: str | None = None
    offset: int = 0
    length: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def content_type(self) -> str:
        """Return the media type without parameters, lower case ('' when absent)."""
        return header(self.headers, "content-type").split(";")[0].strip().lower()


def header(headers: dict[str, str], name: str) -> str:
    """Return a header value by case-insensitive name, '' when absent."""
    name = name.lower()
    return next((v for k, v in headers.items() if k.lower() == name), "")


def warc_date(moment: datetime | None = None) -> str:
    """Return a WARC-Date (UTC, seconds)."""
    moment = moment or datetime.now(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class WarcFileSet:
    """Write records to `<folder>/<prefix>-<NNNNN>.warc.gz`, one gzip member per record,
    starting a new file once the current one passes `max_bytes`."""

    def __init__(self, folder: Path, prefix: str, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.folder = Path(folder)
        self.prefix = prefix
        self.max_bytes = max_bytes
        self.serial = 0
        self.fh: io.BufferedWriter | None = None
        self.path: Path | None = None
        self.writer: WARCWriter | None = None

    def _open_next(self) -> None:
        self.close()
        self.folder.mkdir(parents=True, exist_ok=True)
        self.serial += 1
        self.path = self.folder / f"{self.prefix}-{self.serial:05d}.warc.gz"
        self.fh = open(self.path, "ab")  # kept open across records
        self.writer = WARCWriter(self.fh, gzip=True)
        info = self.writer.create_warcinfo_record(
            self.path.name, {"software": "legalnews (warcio)", "format": "WARC File Format 1.1"}
        )
        self.writer.write_record(info)

    def write_response(
        self,
        url: str,
        status: int,
        headers: list[tuple[str, str]],
        body: bytes,
        protocol: str = "HTTP/1.1",
        request_headers: list[tuple[str, str]] | None = None,
        method: str = "GET",
    ) -> WrittenRecord:
        """Append a response record (and its request record); return where the response went."""
        if self.fh is None or self.fh.tell() >= self.max_bytes:
            self._open_next()
        kept = [(k, v) for k, v in headers if k.lower() not in HOP_BY_HOP]
        status_line = f"{status} {REASONS.get(status, 'Unknown')}"
        protocol = protocol if (protocol or "").startswith("HTTP/") else "HTTP/1.1"
        http = StatusAndHeaders(status_line, kept, protocol=protocol)
        date = warc_date()
        record = self.writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(body),
            length=len(body),
            http_headers=http,
            warc_headers_dict={"WARC-Date": date},
        )
        offset = self.fh.tell()
        self.writer.write_record(record)
        length = self.fh.tell() - offset
        if request_headers is not None:
            parts = urlsplit(url)
            target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            req_http = StatusAndHeaders(
                f"{method} {target} {protocol}", request_headers, is_http_request=True
            )
            request = self.writer.create_warc_record(
                url,
                "request",
                http_headers=req_http,
                warc_headers_dict={
                    "WARC-Date": date,
                    "WARC-Concurrent-To": record.rec_headers.get_header("WARC-Record-ID"),
                },
            )
            self.writer.write_record(request)
        self.fh.flush()
        return WrittenRecord(
            self.path,
            offset,
            length,
            record.rec_headers.get_header("WARC-Payload-Digest"),
            record.rec_headers.get_header("WARC-Record-ID"),
        )

    def close(self) -> None:
        """Close the current file."""
        if self.fh is not None:
            self.fh.close()
        self.fh = self.writer = None


def is_warc(path: str | os.PathLike[str]) -> bool:
    """Return True when the file starts like a WARC (or ARC) file, gzip-compressed or not."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(2)
            fh.seek(0)
            stream = gzip.GzipFile(fileobj=fh) if head == b"\x1f\x8b" else fh
            start = stream.read(16)
    except (OSError, EOFError, zlib.error):
        return False
    return start.lstrip(b"\r\n").startswith((b"WARC/", b"filedesc://"))


def _capture(record, offset: int = 0, length: int = 0) -> Capture:
    """Return the Capture of a warcio response record (body decoded from chunking and gzip).

    Raise ValueError when the record ends before its Content-Length (a file cut mid-body).
    """
    body = record.content_stream().read()
    while record.raw_stream.read(65536):  # what decoding left unread (e.g. past the last chunk)
        pass
    missing = getattr(record.raw_stream, "limit", 0)  # no limit: a record without Content-Length
    if missing > 0:
        raise ValueError(f"record cut short: {missing} of {record.length} bytes missing")
    http = record.http_headers
    rec = record.rec_headers
    return Capture(
        url=rec.get_header("WARC-Target-URI") or "",
        status=int(http.get_statuscode() or 0),
        headers={k: v for k, v in http.headers},
        body=body,
        fetched_at=iso_from_warc(rec.get_header("WARC-Date")),
        payload_digest=rec.get_header("WARC-Payload-Digest"),
        record_id=rec.get_header("WARC-Record-ID"),
        offset=offset,
        length=length,
    )


def iso_from_warc(value: str | None) -> str | None:
    """Return a WARC-Date as ISO 8601 UTC with seconds (`+00:00`), or None."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def read_capture(path: str | os.PathLike[str], offset: int) -> Capture:
    """Return the response record stored at `offset` of a WARC file."""
    with open(path, "rb") as fh:
        fh.seek(offset)
        record = next(iter(ArchiveIterator(fh)))
        if record.rec_type != "response" or record.http_headers is None:
            raise ValueError(f"no HTTP response record at {path}:{offset}")
        return _capture(record, offset)


# What walking a foreign WARC yields besides responses: a skip with its reason.
SKIP_REVISIT, SKIP_NOT_HTML, SKIP_OTHER, BROKEN = "revisit", "not_html", "other_record", "broken"


def walk(path: str | os.PathLike[str]) -> Iterator[Capture | tuple[str, str]]:
    """Yield each HTML response of a WARC as a Capture, and (reason, detail) for the rest.

    A broken record ends the walk of that file with one BROKEN item (gzip members
    cannot be resynchronised reliably); it never raises.
    """
    try:
        with open(path, "rb") as fh:
            records = ArchiveIterator(fh, arc2warc=True)
            for record in records:
                kind = record.rec_type
                if kind == "revisit":
                    yield SKIP_REVISIT, record.rec_headers.get_header("WARC-Target-URI") or ""
                    continue
                if kind != "response" or record.http_headers is None:
                    yield SKIP_OTHER, kind or "?"
                    continue
                media = (
                    (record.http_headers.get_header("Content-Type") or "")
                    .split(";")[0]
                    .strip()
                    .lower()
                )
                if media and media not in HTML_TYPES:
                    yield SKIP_NOT_HTML, media
                    continue
                try:
                    capture = _capture(record)
                except Exception as exc:  # e.g. a body that does not decompress
                    yield BROKEN, f"{type(exc).__name__}: {exc}"
                    continue
                records.read_to_end(record)
                capture.offset, capture.length = (
                    records.get_record_offset(),
                    records.get_record_length(),
                )
                yield capture
    except Exception as exc:  # a bad file or record is counted, never fatal
        yield BROKEN, f"{type(exc).__name__}: {exc}"
