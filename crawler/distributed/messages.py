"""The item queue's messages: JSON objects, one per Redis list element, in fetch order.

    {"type": "capture", "job", "url", "status", "protocol", "method", "fetched_at",
     "headers": [[name, value], ...], "request_headers": [...], "body": base64}
        every response as received (still Content-Encoded), for the WARC files
    {"type": "article", "job", "article": {Article fields}}
        an extracted article; its capture is the latest capture of article.url queued before it
    {"type": "failure", "job", "url", "reason", "status"}
        a page that could not be fetched or parsed

`parse` refuses an element that is none of these (not UTF-8, not JSON, not an object, an
unknown type, a field missing or of the wrong kind, an article a local crawl would drop) with
a BadMessage saying why; the drain moves such an element to the dead-letter list as
`dead_letter` describes it.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import json
from typing import Any

from crawler.clock import utcnow
from crawler.exceptions import why_dropped
from crawler.items import Article, Image

ARTICLE_FIELDS = {f.name for f in dataclasses.fields(Article)}
TEXT_FIELDS = ARTICLE_FIELDS - {"category", "images", "status"}


class BadMessage(ValueError):
    """A queue element the drain cannot store; its text is the reason kept with the dead letter."""


def encode(message: dict[str, Any]) -> bytes:
    """Return a message as compact UTF-8 JSON."""
    return json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def parse(data: bytes) -> dict[str, Any]:
    """Return the message of a queue element; raise BadMessage saying why it is not one."""
    try:
        message = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise BadMessage("not UTF-8") from None
    except json.JSONDecodeError as exc:
        raise BadMessage(f"not JSON: {exc}") from None
    if not isinstance(message, dict):
        raise BadMessage(f"not a JSON object ({type(message).__name__})")
    kind = message.get("type")
    if kind is None:
        raise BadMessage("message without a type")
    if kind == "article":
        article_of(message)
    elif kind == "capture":
        check_capture(message)
    elif kind == "failure":
        require_text(message, "failure", ("url", "reason"))
    else:
        raise BadMessage(f"unknown message type {kind!r}")
    return message


def require_text(message: dict[str, Any], kind: str, names: tuple[str, ...]) -> None:
    """Raise BadMessage unless every field in `names` is non-empty text."""
    for name in names:
        if not message.get(name):
            raise BadMessage(f"{kind} without {name}")
        if not isinstance(message[name], str):
            raise BadMessage(f"{kind} field {name} is not text")


def check_capture(message: dict[str, Any]) -> None:
    """Raise BadMessage unless a capture message holds what a WARC record needs."""
    require_text(message, "capture", ("url", "fetched_at"))
    if not isinstance(message.get("body"), str):  # "" is a response without a body (a redirect)
        raise BadMessage("capture without body")
    if not isinstance(message.get("status"), int):
        raise BadMessage("capture without an integer status")
    for name in ("headers", "request_headers"):
        pairs = message.get(name) or []
        if not isinstance(pairs, list) or not all(
            isinstance(p, list) and len(p) == 2 and all(isinstance(v, str) for v in p)
            for p in pairs
        ):
            raise BadMessage(f"capture field {name} is not a list of [name, value] pairs")
    try:
        base64.b64decode(message["body"], validate=True)
    except binascii.Error:
        raise BadMessage("capture body is not base64") from None


def dead_letter(data: bytes, reason: str, batch: int) -> bytes:
    """Return the dead-letter entry of a refused element: reason, the element, batch, UTC time."""
    try:
        text, encoding = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        text, encoding = base64.b64encode(data).decode("ascii"), "base64"
    return encode(
        {"reason": reason, "message": text, "encoding": encoding, "batch": batch, "at": utcnow()}
    )


def capture_message(
    job: str,
    url: str,
    status: int,
    headers: list[tuple[str, str]],
    body: bytes,
    *,
    protocol: str,
    method: str,
    request_headers: list[tuple[str, str]],
    fetched_at: str,
) -> bytes:
    """Return the message of one response as received."""
    return encode(
        {
            "type": "capture",
            "job": job,
            "url": url,
            "status": status,
            "protocol": protocol,
            "method": method,
            "fetched_at": fetched_at,
            "headers": headers,
            "request_headers": request_headers,
            "body": base64.b64encode(body).decode("ascii"),
        }
    )


def capture_body(message: dict[str, Any]) -> bytes:
    """Return the raw body of a capture message."""
    return base64.b64decode(message["body"])


def article_message(job: str, article: Article) -> bytes:
    """Return the message of an extracted article."""
    return encode({"type": "article", "job": job, "article": article.to_dict()})


def article_of(message: dict[str, Any]) -> Article:
    """Return the Article of an article message; raise BadMessage when a crawl would not store
    it."""
    fields = message.get("article")
    if not isinstance(fields, dict):
        raise BadMessage("article message without an article object")
    unknown = sorted(set(fields) - ARTICLE_FIELDS)
    if unknown:
        raise BadMessage(f"article with unknown fields: {', '.join(unknown)}")
    require_text(fields, "article", ("url", "site"))
    for name in sorted(TEXT_FIELDS & set(fields)):
        if not isinstance(fields[name], str | None):
            raise BadMessage(f"article field {name} is not text")
    article = Article(**{**fields, "images": images_of(fields.get("images"))})
    if not isinstance(article.category, list) or not all(
        isinstance(c, str) for c in article.category
    ):
        raise BadMessage("article field category is not a list of text")
    if not isinstance(article.status, int | None):
        raise BadMessage("article field status is not an integer")
    problem = why_dropped(article)  # the rules of a local crawl's validate pipeline
    if problem is not None:
        raise BadMessage(str(problem))
    return article


def images_of(images: Any) -> list[Image]:
    """Return the images of an article message; raise BadMessage when they are not images."""
    if not images:
        return []
    if not isinstance(images, list) or not all(
        isinstance(i, dict)
        and isinstance(i.get("src"), str)
        and set(i) <= {"src", "caption"}
        and isinstance(i.get("caption"), str | None)
        for i in images
    ):
        raise BadMessage("article field images is not a list of {src, caption} objects")
    return [Image(**image) for image in images]


def failure_message(job: str, url: str, reason: str, status: int | None) -> bytes:
    """Return the message of a page that failed."""
    return encode({"type": "failure", "job": job, "url": url, "reason": reason, "status": status})
