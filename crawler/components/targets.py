"""Downloader middlewares that decide where a request may go: safe targets, traps, the proxy."""

from __future__ import annotations

from urllib.parse import urlsplit

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.threads import deferToThread

from crawler.components.urlsafety import (
    RefusedTarget,
    check_addresses,
    check_scheme,
    ip_literal,
    resolve,
)


class RefusedRequest(IgnoreRequest):
    """A request SafeTargetMiddleware refused; spiders record it as a failure."""


class SafeTargetMiddleware:
    """Refuse non-http(s) URLs and private-network targets that no site configured.

    Every request passes here, redirects included (Scrapy schedules them anew). The hosts
    of the spider's site (its registry entry, or the start URLs the user gave) and the
    demo's proxied hosts may be anything, 127.0.0.1 included; any other host must be a
    public address, or a name that resolves only to public addresses. The check happens
    before the request is sent: a name whose DNS answer changes between this check and
    the connection (DNS rebinding) is not caught.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.extra_hosts = {h.lower() for h in crawler.settings.getlist("HOST_PROXY_HOSTS")}
        self.resolved: dict[str, list[str]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SafeTargetMiddleware:
        if not crawler.settings.getbool("SAFE_TARGETS_ENABLED"):
            raise NotConfigured
        return cls(crawler)

    def configured(self) -> set[str]:
        """Return the hosts the user configured: the site's hosts and start URLs, proxied hosts."""
        site = getattr(self.crawler.spider, "site", None)
        hosts = set(getattr(site, "hosts", ()))
        hosts |= {(urlsplit(u).hostname or "").lower() for u in getattr(site, "start_urls", ())}
        return {h.lower() for h in hosts} | self.extra_hosts

    async def process_request(self, request: Request, spider: Spider | None = None) -> None:
        try:
            check_scheme(request.url)
            host = (urlsplit(request.url).hostname or "").lower()
            if host in self.configured():
                return
            if ip_literal(host):
                check_addresses(host, [ip_literal(host)])
                return
            if host not in self.resolved:
                self.resolved[host] = await maybe_deferred_to_future(deferToThread(resolve, host))
            check_addresses(host, self.resolved[host])
        except RefusedTarget as exc:
            raise RefusedRequest(str(exc)) from None


class TrapDropMiddleware:
    """Drop the queued requests of URL templates the spider's trap guard has closed since.

    A calendar queues many days before its template is closed; fetching them would spend
    the site's request slot on pages whose links are not followed anyway.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> TrapDropMiddleware:
        return cls(crawler)

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        traps = getattr(self.crawler.spider, "traps", None)
        if traps is not None and traps.closed(request.url):
            self.crawler.stats.inc_value("traps/dropped")
            raise IgnoreRequest(f"crawl trap closed: {request.url}")


class HostProxyMiddleware:
    """Send requests for HOST_PROXY_HOSTS through HOST_PROXY_URL.

    The demo portals answer for the real host names on 127.0.0.1, so the real
    spiders crawl them unchanged and stored URLs keep the real hosts.
    """

    def __init__(self, proxy_url: str, hosts: list[str], only: bool) -> None:
        self.proxy_url = proxy_url
        self.hosts = {h.lower() for h in hosts}
        self.only = only

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> HostProxyMiddleware:
        settings = crawler.settings
        proxy_url = settings.get("HOST_PROXY_URL")
        if not proxy_url:
            raise NotConfigured  # no proxy: fetch directly
        return cls(
            proxy_url, settings.getlist("HOST_PROXY_HOSTS"), settings.getbool("HOST_PROXY_ONLY")
        )

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        host = (urlsplit(request.url).hostname or "").lower()
        if host in self.hosts:
            request.meta["proxy"] = self.proxy_url
        elif self.only:
            raise IgnoreRequest(f"host {host} is not served by the proxy {self.proxy_url}")
