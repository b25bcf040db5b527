"""Downloader middlewares: route chosen hosts through a proxy."""

from __future__ import annotations

from urllib.parse import urlsplit

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured


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
            raise NotConfigured("HOST_PROXY_URL is not set")
        return cls(proxy_url, settings.getlist("HOST_PROXY_HOSTS"), settings.getbool("HOST_PROXY_ONLY"))

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        host = (urlsplit(request.url).hostname or "").lower()
        if host in self.hosts:
            request.meta["proxy"] = self.proxy_url
        elif self.only:
            raise IgnoreRequest(f"host {host} is not served by the proxy {self.proxy_url}")
