"""The item queue's messages: JSON objects, one per Redis list element, in fetch order.

    {"type": "capture", "job", "url", "status", "protocol", "method", "fetched_at",
     "headers": [[name, value], ...], "request_headers": [...], "body": base64}
        every response as received (still Content-Encoded), for the WARC files
    {"type": "article", "job", "article": {Article fields}}
        an extracted article; its capture is the latest capture of article.url queued before it
    {"type": "failure", "job", "url", "reason", "status"}
        a page that could not be fetched or parsed
"""

from __future__ import annotations

import base64
import json
from typing import Any

from crawler.items import Article, Image


def encode(message: dict[str, Any]) -> bytes:
    """Return a message as compact UTF-8 JSON."""
    return json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def decode(data: bytes) -> dict[str, Any]:
    """Return the message of a queue element."""
    return json.loads(data)


def capture_message(job: str, url: str, status: int, headers: list[tuple[str, str]], body: bytes, *,
                    protocol: str, method: str, request_headers: list[tuple[str, str]],
                    fetched_at: str) -> bytes:
    """Return the message of one response as received."""
    return encode({
        "type": "capture", "job": job, "url": url, "status": status, "protocol": protocol,
        "method": method, "fetched_at": fetched_at, "headers": headers,
        "request_headers": request_headers, "body": base64.b64encode(body).decode("ascii"),
    })


def capture_body(message: dict[str, Any]) -> bytes:
    """Return the raw body of a capture message."""
    return base64.b64decode(message["body"])


def article_message(job: str, article: Article) -> bytes:
    """Return the message of an extracted article."""
    return encode({"type": "article", "job": job, "article": article.to_dict()})


def article_of(message: dict[str, Any]) -> Article:
    """Return the Article of an article message."""
    fields = dict(message["article"])
    fields["images"] = [Image(**image) for image in fields.get("images") or []]
    return Article(**fields)


def failure_message(job: str, url: str, reason: str, status: int | None) -> bytes:
    """Return the message of a page that failed."""
    return encode({"type": "failure", "job": job, "url": url, "reason": reason, "status": status})
