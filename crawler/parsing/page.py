"""One decoded, parsed page with its meta data: the shared input of every parser."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from .decode import decode_html
from .density import Main, find_main
from .dom import Stream, build_stream, load_tree

MAX_BYTES = 8_000_000  # larger captures are cut: no news page is this big


@dataclass
class Page:
    """Decoded text, lxml tree, block stream and head meta data of one response."""

    url: str
    text: str
    encoding: str | None
    root: object | None
    metas: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_bytes(cls, url: str, body: bytes, headers: Mapping[str, str] | None = None) -> Page:
        """Decode and parse page bytes once."""
        text, encoding = decode_html(body[:MAX_BYTES], headers)
        root = load_tree(text)
        return cls(url or "", text, encoding, root, read_metas(root))

    @cached_property
    def stream(self) -> Stream:
        """Return the block stream of the page body."""
        return build_stream(self.root) if self.root is not None else Stream()

    @cached_property
    def main(self) -> Main | None:
        """Return the main text element, if any."""
        return find_main(self.stream)

    @cached_property
    def title_tag(self) -> str:
        """Return the text of <title>."""
        if self.root is None:
            return ""
        found = self.root.xpath("//title")
        return " ".join(found[0].text_content().split()) if found else ""

    @cached_property
    def jsonld(self) -> list[str]:
        """Return the texts of JSON-LD scripts."""
        if self.root is None:
            return []
        return [s.text or "" for s in self.root.xpath('//script[@type="application/ld+json"]')]

    @cached_property
    def own_url(self) -> str:
        """Return the page's URL, else the one it declares (canonical link, og:url)."""
        if self.url or self.root is None:
            return self.url
        for href in self.root.xpath("//link[@rel='canonical']/@href"):
            if str(href).startswith("http"):
                return str(href)
        og = self.metas.get("og:url", "")
        return og if og.startswith("http") else ""

    @cached_property
    def publisher(self) -> str | None:
        """Return the schema.org publisher's name marked up in the page (itemprop=publisher)."""
        if self.root is None:
            return None
        for node in self.root.xpath("//*[@itemprop='publisher']//*[@itemprop='name']"):
            name = (node.get("content") or node.text_content()).strip()
            if 2 <= len(name) <= 30:
                return name
        return None

    @cached_property
    def base_url(self) -> str:
        """Return the URL that relative links resolve against."""
        if self.root is not None:
            for href in self.root.xpath("//base/@href"):
                if str(href).startswith("http"):
                    return str(href)
        return self.url


def read_metas(root) -> dict[str, str]:
    """Return <meta> name/property/itemprop (lower case) -> content, first one wins."""
    metas: dict[str, str] = {}
    if root is None:
        return metas
    for meta in root.iter("meta"):
        key = meta.get("name") or meta.get("property") or meta.get("itemprop") or ""
        content = meta.get("content")
        if key and content and content.strip():
            metas.setdefault(key.strip().lower(), content.strip())
    return metas
