"""The registry of known portals: sites are data, spiders read them.

A portal needs only an entry here (or in a user file named by LEGALNEWS_SITES): the
spider loader makes a spider named by its slug from it, of the kind its `spider` names.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from urllib.parse import urlsplit

SITES_FILE_ENV = "LEGALNEWS_SITES"
# The kinds of spider a site may name in `spider`, and their classes (the loader builds one per
# site).
SPIDER_KINDS = {"portal": "spiders.base.PortalSpider"}


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


def is_http_url(url: str) -> bool:
    """Return True for an http(s) URL with a host."""
    try:
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:  # a malformed host, such as an unclosed IPv6 bracket
        return False


def site_for_start_urls(urls: list[str]) -> Site:
    """Return an ad-hoc Site for a portal that is not in the registry, named after its host."""
    bad = [
        u for u in urls if urlsplit(u).scheme not in ("http", "https") or not urlsplit(u).hostname
    ]
    if bad:
        raise ValueError(f"not an http(s) URL: {bad[0]}")
    known = site_for_url(urls[0])
    if known is not None:
        return known
    parts = urlsplit(urls[0])
    slug = parts.hostname.removeprefix("www.") + (f":{parts.port}" if parts.port else "")
    return Site(slug=slug, name=slug, hosts=hosts_of(urls), start_urls=tuple(urls))


BUILTIN = (
    # 法治资讯网: reprints legal news from many outlets.
    Site(
        slug="fzzx",
        name="法治资讯网",
        hosts=("www.fzzx.org.cn", "fzzx.org.cn"),
        start_urls=("http://www.fzzx.org.cn/",),
        list_patterns=(r"/list/[a-z]+/index(_\d+)?\.html$",),
        article_patterns=(r"/html/[a-z]+/\d{8}/\d+\.html$",),
        outlet_names=("法治资讯网",),
    ),
    # 辽宁长安网: the Liaoning political-legal portal, an origin site served in GBK.
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


class SitesFileError(ValueError):
    """A LEGALNEWS_SITES file that cannot be used; the message names the file and the problem."""


def load_sites_file(path: str | os.PathLike[str]) -> list[Site]:
    """Return the sites declared in a TOML (`[[site]]` tables) or JSON (a list) file.

    Raises SitesFileError saying which file and what is wrong with it.
    """
    try:
        entries = read_entries(Path(path))
        sites = [site_from_entry(n, entry) for n, entry in enumerate(entries, 1)]
        check_slugs(sites)
    except ValueError as exc:
        raise SitesFileError(f"{SITES_FILE_ENV} file {path}: {exc}") from None
    return sites


def read_entries(path: Path) -> list[dict]:
    """Return the raw entries of a sites file; ValueError saying what is wrong."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValueError("not found") from None
    except UnicodeDecodeError:
        raise ValueError("not UTF-8 text") from None
    except OSError as exc:
        raise ValueError(f"cannot be read: {exc.strerror or exc}") from None
    if path.suffix == ".toml":
        import tomllib

        try:
            entries, shape = tomllib.loads(text).get("site", []), "[[site]] tables"
        except tomllib.TOMLDecodeError as exc:
            raise ValueError(f"invalid TOML: {exc}") from None
    else:
        try:
            entries, shape = json.loads(text), "a JSON list of objects"
        except json.JSONDecodeError as exc:
            raise ValueError(f"invalid JSON: {exc}") from None
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise ValueError(f"expected {shape}, one per site")
    return entries


def site_from_entry(number: int, entry: dict) -> Site:
    """Return the Site of the `number`th entry of a sites file; ValueError saying what is wrong."""
    slug = entry.get("slug")
    if not slug or not isinstance(slug, str):
        raise ValueError(f"entry {number} has no slug")
    known = {f.name: f.type for f in fields(Site)}
    unknown = [key for key in entry if key not in known]
    if unknown:
        raise ValueError(f'site "{slug}" has unknown field "{unknown[0]}"')
    for key, value in entry.items():
        wanted = list if str(known[key]).startswith("tuple") else str
        if not isinstance(value, wanted) or (
            wanted is list and not all(isinstance(v, str) for v in value)
        ):
            raise ValueError(
                f'{key} of "{slug}" must be {"a list of strings" if wanted is list else "a string"}'
            )
    if entry.get("spider", "portal") not in SPIDER_KINDS:
        raise ValueError(f'spider of "{slug}" must be one of: {", ".join(SPIDER_KINDS)}')
    if not entry.get("start_urls"):
        raise ValueError(f'site "{slug}" has no start_urls')
    for url in entry["start_urls"]:
        if not is_http_url(url):
            raise ValueError(f'start URL {url} of "{slug}" is not http(s)')
    for key in ("list_patterns", "article_patterns"):
        for pattern in entry.get(key, ()):
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(
                    f'{key} entry "{pattern}" of "{slug}" is not a regular expression: {exc}'
                ) from None
    return Site.from_dict(entry)


def check_slugs(sites: list[Site]) -> None:
    """Raise ValueError for a slug that is built in, taken by the `portal` spider, or declared
    twice."""
    seen = {site.slug for site in BUILTIN}
    for site in sites:
        if site.slug == "portal":  # the spider of SPIDER_MODULES that `crawl --start-url` runs
            raise ValueError(
                'slug "portal" is the name of the spider that crawls any portal; '
                "choose another slug"
            )
        if site.slug in seen:
            builtin = any(b.slug == site.slug for b in BUILTIN)
            raise ValueError(
                f'slug "{site.slug}" is a built-in site; choose another slug'
                if builtin
                else f'slug "{site.slug}" is declared twice'
            )
        seen.add(site.slug)


def load_registry() -> dict[str, Site]:
    """Return the built-in sites plus those of the LEGALNEWS_SITES file (SitesFileError if bad)."""
    sites = {site.slug: site for site in BUILTIN}
    extra = os.environ.get(SITES_FILE_ENV)
    if extra:
        sites.update({site.slug: site for site in load_sites_file(extra)})
    return sites


class Registry(Mapping[str, Site]):
    """The registered sites, read on first use: a bad LEGALNEWS_SITES file breaks only what needs
    it.

    Read again when LEGALNEWS_SITES names another file; a SitesFileError is raised on every use.
    """

    def __init__(self) -> None:
        self._file: str | None = None
        self._sites: dict[str, Site] | None = None

    def _load(self) -> dict[str, Site]:
        extra = os.environ.get(SITES_FILE_ENV)
        if self._sites is None or extra != self._file:
            self._sites, self._file = None, extra
            self._sites = load_registry()
        return self._sites

    def __getitem__(self, slug: str) -> Site:
        return self._load()[slug]

    def __iter__(self) -> Iterator[str]:
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())


SITES: Registry = Registry()


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
