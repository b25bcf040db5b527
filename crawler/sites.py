"""The registry of known portals: sites are data, spiders read them."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Site:
    """A portal: where to start, which links are lists and which are articles."""

    slug: str
    name: str
    hosts: tuple[str, ...]
    start_urls: tuple[str, ...]
    list_patterns: tuple[str, ...]
    article_patterns: tuple[str, ...]
    outlet_names: tuple[str, ...] = field(default_factory=tuple)  # names used after 来源


SITES: dict[str, Site] = {
    site.slug: site
    for site in (
        Site(
            slug="fzzx",
            name="法治资讯网",
            hosts=("www.fzzx.org.cn", "fzzx.org.cn"),
            start_urls=("http://www.fzzx.org.cn/",),
            list_patterns=(r"/list/[a-z]+/index(_\d+)?\.html$",),
            article_patterns=(r"/html/[a-z]+/\d{8}/\d+\.html$",),
            outlet_names=("法治资讯网",),
        ),
        Site(
            slug="lnfz",
            name="辽宁长安网",
            hosts=("www.lnfz.cn", "lnfz.cn"),
            start_urls=("http://www.lnfz.cn/",),
            list_patterns=(r"/channel/[a-z]+(_\d+)?\.html$",),
            article_patterns=(r"/news/\d+\.html$",),
            outlet_names=("辽宁长安网",),
        ),
    )
}


def get_site(slug: str) -> Site:
    """Return the registered site called `slug` or raise KeyError with the known names."""
    try:
        return SITES[slug]
    except KeyError:
        known = ", ".join(sorted(SITES))
        raise KeyError(f"unknown site {slug!r} (known: {known})") from None


def site_for_url(url: str) -> Site | None:
    """Return the registered site serving `url`, if any."""
    host = (urlsplit(url).hostname or "").lower()
    for site in SITES.values():
        if host in site.hosts:
            return site
    return None
