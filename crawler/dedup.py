"""Pure functions for deduplication: canonical URLs and content fingerprints."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import numpy as np

# Query parameters that track visitors or sessions and never select content.
TRACKING_PARAMS = frozenset(
    {
        "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "utm_id",
        "spm", "from", "share", "share_token", "sharer", "isappinstalled", "scene",
        "fbclid", "gclid", "yclid", "msclkid", "mc_cid", "mc_eid", "_hsenc", "_hsmi",
        "jsessionid", "phpsessid", "sessionid", "sid", "aspsessionid", "_t",
        "wfr", "ref", "referer", "refer",
    }
)
DEFAULT_PORTS = {"http": 80, "https": 443}
INDEX_PAGES = re.compile(r"/(index|default)\.(html?|shtml|php|aspx?|jsp)$", re.I)
SESSION_IN_PATH = re.compile(r";(jsessionid|phpsessid|sid)=[^/?#]*", re.I)
NON_TEXT = re.compile(r"[\W_]+", re.UNICODE)


def canonical_url(url: str) -> str:
    """Return the URL that identifies the same page however it was linked."""
    parts = urlsplit(url.strip())
    scheme = "http" if parts.scheme in ("http", "https") else parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    port = parts.port
    netloc = host if port in (None, DEFAULT_PORTS.get(parts.scheme.lower())) else f"{host}:{port}"
    path = SESSION_IN_PATH.sub("", parts.path) or "/"
    path = INDEX_PAGES.sub("/", path)
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in TRACKING_PARAMS and not k.lower().startswith("utm_")
    ]
    return urlunsplit((scheme, netloc, path, urlencode(sorted(query)), ""))


def nfkc(text: str) -> str:
    """Return `text` in NFKC, the cheap way for Chinese text.

    Chinese text is rarely NFKC only because of full-width ASCII forms (，！（）１２) and the
    ideographic space; folding those with numpy is the very mapping NFKC applies to them
    and ten times faster than unicodedata on a page of text. Anything else falls back.
    """
    if unicodedata.is_normalized("NFKC", text):
        return text
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).copy()
    wide = (codes >= 0xFF01) & (codes <= 0xFF5E)
    codes[wide] -= 0xFEE0
    codes[codes == 0x3000] = 0x20
    text = codes.tobytes().decode("utf-32-le")
    return text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)


def normalize_text(text: str) -> str:
    """Return `text` in the form used for comparison: NFKC, lower case, no spaces or punctuation."""
    return normalize_nfkc(nfkc(text or ""))


def normalize_nfkc(text: str) -> str:
    """Return `normalize_text` of a text already in NFKC (see `nfkc`)."""
    return NON_TEXT.sub("", text).lower()


def body_fingerprint(body: str) -> str:
    """Return the exact fingerprint (SHA-1 hex) of the normalised body."""
    return normalized_fingerprint(normalize_text(body))


def normalized_fingerprint(norm: str) -> str:
    """Return the exact fingerprint of a body already passed through `normalize_text`."""
    return hashlib.sha1(norm.encode("utf-8")).hexdigest()
