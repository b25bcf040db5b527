"""Headline clean-up for titles read from <title> or og:title."""

from __future__ import annotations

import re

# A site name glued to the headline with a hyphen, underscore or bar: 标题-示例科技网, 标题_某某网.
_GLUED_SUFFIX = re.compile(r"^(?P<head>.{8,}?)\s*[-_|｜]\s*(?P<site>[^-_|｜，。！？,!?]{1,16})$")
_SITE_WORDS = re.compile(r"网|报|台|社|频道|新闻|在线|门户|中国|官网|[A-Za-z]{1,12}$")


def strip_site_suffix(title: str) -> str:
    """Return the headline without a glued site suffix (or a cut one, like -E)."""
    m = _GLUED_SUFFIX.match(title)
    if not m:
        return title
    site = m["site"].strip()
    if _SITE_WORDS.search(site) or len(site) <= 2:
        return m["head"].strip()
    return title
