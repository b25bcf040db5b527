"""Pure functions for deduplication: canonical URLs and content fingerprints."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from urllib.parse import urlsplit, urlunsplit

import numpy as np
from w3lib.url import canonicalize_url, url_query_cleaner

# Query parameters dropped from every URL: only names that never select content on any CMS
# we know of. A name that some site uses to pick the page (sid, from, ref, _t, scene, share,
# id, aid, page, mid, idx, sn...) is kept: merging two pages loses one, while a tracking
# copy kept apart is still caught as the same story by its body. A site can drop more
# (its `drop_params` in crawler/sites.py).
NOISE_PARAMS = frozenset(
    {
        # Alibaba's "super position model" click path (Taobao, Youku, Aliyun and many portals
        # that use their analytics): a dotted path of where the link was clicked.
        "spm",
        # Click ids that ad and social platforms append to landing URLs: Google Ads, Google
        # Display, Facebook, Microsoft Ads, Yandex, Twitter, TikTok, Instagram shares.
        "gclid",
        "gclsrc",
        "dclid",
        "gbraid",
        "wbraid",
        "fbclid",
        "msclkid",
        "yclid",
        "twclid",
        "ttclid",
        "igshid",
        # Mailchimp and HubSpot campaign ids in e-mailed links.
        "mc_cid",
        "mc_eid",
        "_hsenc",
        "_hsmi",
        # Share-sheet noise: the token a share button adds to name the sharer, and WeChat's
        # note of whether the reader has the app. Not `from`/`scene`/`share`: CMSs use those
        # names for content, and WeChat's own article ids (mid, idx, sn, __biz) select it.
        "share_token",
        "isappinstalled",
        # Session ids that servlet containers and PHP append when cookies are off, and the
        # generic name frameworks use for the same token: they name the visitor, not the page.
        "jsessionid",
        "phpsessid",
        "sessionid",
    }
)
NOISE_PREFIXES = ("utm_",)  # Google Analytics campaign tags: utm_source, utm_medium...
DEFAULT_PORTS = {"http": 80, "https": 443}
INDEX_PAGES = re.compile(r"/(index|default)\.(html?|shtml|php|aspx?|jsp)$", re.I)
SESSION_IN_PATH = re.compile(r";(jsessionid|phpsessid)=[^/?#;]*", re.I)
NON_TEXT = re.compile(r"[\W_]+", re.UNICODE)


def canonical_url(url: str, drop: Iterable[str] = ()) -> str:
    """Return the URL that identifies the same page however it was linked.

    `drop` names more query parameters to remove (a site's own noise), in any case. Non-ASCII
    characters end up as UTF-8 %-escapes (upper-case hex) whether the link had them raw or
    escaped; escapes of unreserved ASCII characters are decoded.
    """
    # w3lib: UTF-8 escapes, sorted query (repeated names keep every value), no fragment.
    url = canonicalize_url(url.strip())
    noise = noise_names(url, drop)
    url = url_query_cleaner(url, noise, remove=True, unique=False, keep_fragments=True)
    parts = urlsplit(url)
    scheme = "http" if parts.scheme in ("http", "https") else parts.scheme
    host = (parts.hostname or "").rstrip(".").removeprefix("www.")
    port = parts.port
    netloc = host if port in (None, DEFAULT_PORTS.get(parts.scheme)) else f"{host}:{port}"
    path = INDEX_PAGES.sub("/", SESSION_IN_PATH.sub("", parts.path) or "/")
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    return urlunsplit((scheme, netloc, path, parts.query, ""))


def noise_names(url: str, drop: Iterable[str] = ()) -> list[str]:
    """Return the query parameter names of `url`, as written, that never select content."""
    extra = {name.lower() for name in drop}
    names = [pair.partition("=")[0] for pair in urlsplit(url).query.split("&") if pair]
    return [
        n
        for n in names
        if (low := n.lower()) in NOISE_PARAMS or low in extra or low.startswith(NOISE_PREFIXES)
    ]


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
