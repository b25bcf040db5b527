"""辽宁长安网 (lnfz.cn, GBK): the generic parser reads it; only the slug is set here."""

from __future__ import annotations

from ..generic import GenericParser
from ..registry import register


@register("www.lnfz.cn", "lnfz.cn")
class LnfzParser(GenericParser):
    """Parser for 辽宁长安网 article pages."""

    site = "lnfz"
