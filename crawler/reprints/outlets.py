"""Outlets named after 来源, mapped to the host where their own copies live."""

from __future__ import annotations

from crawler.sites import SITES

# Outlets whose names appear in 来源 lines of reprints; host without "www.".
KNOWN_OUTLETS: dict[str, str] = {
    "法治日报": "legaldaily.com.cn",
    "法制日报": "legaldaily.com.cn",
    "法治网": "legaldaily.com.cn",
    "人民法院报": "rmfyb.chinacourt.org",
    "中国法院网": "chinacourt.org",
    "检察日报": "jcrb.com",
    "正义网": "jcrb.com",
    "中国长安网": "chinapeace.gov.cn",
    "人民网": "people.com.cn",
    "新华网": "news.cn",
    "人民公安报": "cpd.com.cn",
}


def outlet_hosts() -> dict[str, str]:
    """Return every outlet name with its host, the registry's own sites included."""
    table = dict(KNOWN_OUTLETS)
    for site in SITES.values():
        host = site.hosts[0].removeprefix("www.")
        for name in site.outlet_names:
            table[name] = host
    return table
