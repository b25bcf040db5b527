"""The registry of known portals: sites are data, spiders read them.

A portal whose pages the generic parser handles needs only an entry here (or in
a user file named by LEGALNEWS_SITES): the `portal` spider crawls any entry.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

SITES_FILE_ENV = "LEGALNEWS_SITES"


@dataclass(frozen=True)
class Site:
    """A portal: where to start, which links are lists and which are articles.

    Without patterns, the spider tells list from article pages by the parser's `kind`.
    """

    slug: str
    name: str
    hosts: tuple[str, ...]
    start_urls: tuple[str, ...]
    list_patterns: tuple[str, ...] = ()
    article_patterns: tuple[str, ...] = ()
    outlet_names: tuple[str, ...] = field(default_factory=tuple)  # names used after 来源
    parser: str | None = None  # host whose registered site parser to use, if not its own
    spider: str = "portal"  # the spider that crawls it
    drop_params: tuple[str, ...] = ()  # query parameters that never select content on this site

    def __post_init__(self) -> None:
        names = self.drop_params
        if isinstance(names, str) or not all(isinstance(n, str) for n in names):
            raise ValueError(f"drop_params must be a list of parameter names: {self.drop_params!r}")

    @classmethod
    def from_dict(cls, data: dict) -> Site:
        """Return a Site from plain data (lists become tuples); raise ValueError if incomplete."""
        missing = [k for k in ("slug", "start_urls") if not data.get(k)]
        if missing:
            raise ValueError(f"site entry lacks {', '.join(missing)}: {data}")
        values = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items()}
        values.setdefault("name", values["slug"])
        values.setdefault("hosts", hosts_of(values["start_urls"]))
        return cls(**values)


def hosts_of(urls: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Return the hosts of `urls` with and without `www.`, in order, without repeats."""
    hosts: list[str] = []
    for url in urls:
        host = (urlsplit(url).hostname or "").lower()
        for h in (host, host.removeprefix("www.")):
            if h and h not in hosts:
                hosts.append(h)
    return tuple(hosts)


def site_for_start_urls(urls: list[str]) -> Site:
    """Return an ad-hoc Site for a portal that is not in the registry, named after its host."""
    bad = [u for u in urls if urlsplit(u).scheme not in ("http", "https") or not urlsplit(u).hostname]
    if bad:
        raise ValueError(f"not an http(s) URL: {bad[0]}")
    known = site_for_url(urls[0])
    if known is not None:
        return known
    parts = urlsplit(urls[0])
    slug = parts.hostname.removeprefix("www.") + (f":{parts.port}" if parts.port else "")
    return Site(slug=slug, name=slug, hosts=hosts_of(urls), start_urls=tuple(urls))


BUILTIN = (
    Site(
        slug="fzzx",
        name="法治资讯网",
        hosts=("www.fzzx.org.cn", "fzzx.org.cn"),
        start_urls=("http://www.fzzx.org.cn/",),
        list_patterns=(r"/list/[a-z]+/index(_\d+)?\.html$",),
        article_patterns=(r"/html/[a-z]+/\d{8}/\d+\.html$",),
        outlet_names=("法治资讯网",),
        spider="fzzx",
    ),
    Site(
        slug="lnfz",
        name="辽宁长安网",
        hosts=("www.lnfz.cn", "lnfz.cn"),
        start_urls=("http://www.lnfz.cn/",),
        list_patterns=(r"/channel/[a-z]+(_\d+)?\.html$",),
        article_patterns=(r"/news/\d+\.html$",),
        outlet_names=("辽宁长安网",),
        spider="lnfz",
    ),
)


def load_sites_file(path: str | os.PathLike[str]) -> list[Site]:
    """Return the sites declared in a TOML (`[[site]]` tables) or JSON (a list) file."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".toml":
        import tomllib

        entries = tomllib.loads(text).get("site", [])
    else:
        entries = json.loads(text)
    sites = [Site.from_dict(entry) for entry in entries]
    for site in sites:
        for pattern in site.list_patterns + site.article_patterns:
            re.compile(pattern)
    return sites


def load_registry() -> dict[str, Site]:
    """Return the built-in sites plus those of the LEGALNEWS_SITES file, if set."""
    sites = {site.slug: site for site in BUILTIN}
    extra = os.environ.get(SITES_FILE_ENV)
    if extra:
        sites.update({site.slug: site for site in load_sites_file(extra)})
    return sites


SITES: dict[str, Site] = load_registry()


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


def drop_params_for(url: str) -> frozenset[str]:
    """Return the extra query parameters that the registered site serving `url` drops."""
    site = site_for_url(url)
    return frozenset(site.drop_params) if site else frozenset()
