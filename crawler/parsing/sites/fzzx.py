"""法治资讯网 (fzzx.org.cn): the generic parser reads it; only the slug is set here."""

from __future__ import annotations

from ..generic import GenericParser
from ..registry import register


@register("www.fzzx.org.cn", "fzzx.org.cn")
class FzzxParser(GenericParser):
    """Parser for 法治资讯网 article pages."""

    site = "fzzx"
