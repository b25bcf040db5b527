"""Turn raw page bytes into text: BOM, HTTP charset, <meta> charset, then detection."""

from __future__ import annotations

import codecs
import re
from collections.abc import Mapping

from charset_normalizer import from_bytes

_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w:.-]+)|<\?xml[^>]+encoding\s*=\s*["']([\w:.-]+)""",
    re.I,
)
STRAY_BYTES = 0.002  # share of undecodable characters still taken as the right codec
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([\w:.-]+)", re.I)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# GBK and GB2312 are subsets of GB18030; decoding with the superset never loses characters.
_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "hz-gb-2312": "gb18030",
    "euc-cn": "gb18030",
    "utf8": "utf-8",
    "unicode": "utf-8",
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
}


def normalize_charset(name: str | None) -> str | None:
    """Return the Python codec name for a declared charset, or None if unknown."""
    if not name:
        return None
    name = name.strip().lower()
    name = _ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name.replace("_", "-")
    except LookupError:
        return None


def header_charset(headers: Mapping[str, str] | None) -> str | None:
    """Return the charset named in a Content-Type header (keys case-insensitive)."""
    for key, value in (headers or {}).items():
        if str(key).lower() == "content-type":
            m = _HEADER_CHARSET.search(str(value))
            return m.group(1) if m else None
    return None


def meta_charset(raw: bytes) -> str | None:
    """Return the charset declared by a <meta> tag in the first part of the page."""
    m = _META_CHARSET.search(raw[:16384])
    return (m.group(1) or m.group(2)).decode("ascii", "replace") if m else None


def _strict(raw: bytes, codec: str) -> str | None:
    """Decode strictly, forgiving a multi-byte character cut at the very end."""
    for cut in (0, 1, 2, 3):
        chunk = raw[: len(raw) - cut] if cut else raw
        try:
            text = chunk.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
        return text + ("\ufffd" if cut else "")
    return None


def _lenient(raw: bytes, codec: str) -> tuple[str, float]:
    """Decode with replacement; return the text and its share of bad characters."""
    text = raw.decode(codec, "replace")
    return text, text.count("\ufffd") / max(len(text), 1)


def _detect(raw: bytes) -> str | None:
    """Return the codec charset-normalizer guesses for the bytes, or None."""
    best = from_bytes(raw[:65536]).best()
    return normalize_charset(best.encoding) if best else None


def decode_html(raw: bytes, headers: Mapping[str, str] | None = None) -> tuple[str, str]:
    """Return (text, codec used) for page bytes, verifying declared charsets."""
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            return raw.decode(codec, "replace"), codec
    declared = [normalize_charset(c) for c in (header_charset(headers), meta_charset(raw))]
    # Valid UTF-8 with non-ASCII bytes is almost never GBK: pages declaring gb2312 often lie.
    order = ["utf-8"] + [c for c in declared if c] + ["gb18030"]
    for codec in dict.fromkeys(order):
        text = _strict(raw, codec)
        if text is not None:
            return text, codec
    # A few broken bytes in a declared or Chinese codec beat a detector's single-byte guess,
    # which decodes anything without an error (GBK read as ptcp154 is all Cyrillic).
    for codec in dict.fromkeys(order):
        text, bad = _lenient(raw, codec)
        if bad < STRAY_BYTES:
            return text, codec
    candidates = [c for c in dict.fromkeys(order + [_detect(raw)]) if c]
    scored = [(_lenient(raw, c), c) for c in candidates]
    (text, _bad), codec = min(scored, key=lambda item: item[0][1])
    return text, codec
