"""Every response the demo portals serve, rendered once into a (site, path) table."""

from __future__ import annotations

from dataclasses import dataclass

from crawler.demo import listing
from crawler.demo.content import Placement, column_pages, placements
from crawler.demo.images import tiny_png
from crawler.demo.sites import CONTENT_TYPE, ENCODING, FZZX, LNFZ, about_path, list_path
from crawler.demo.templates import ArticlePage, ImageView, Link, fzzx_article, lnfz_article

RELATED = 5


@dataclass(frozen=True)
class Resource:
    """A response body with its content type."""

    content_type: str
    body: bytes


def _link(page: Placement | None) -> Link | None:
    return Link(page.path, page.title) if page else None


def article_page(page: Placement, in_col: list[Placement]) -> ArticlePage:
    """Return the template view of a page; `in_col` is its column, newest first."""
    i = in_col.index(page)
    older = in_col[i + 1] if i + 1 < len(in_col) else None
    newer = in_col[i - 1] if i > 0 else None
    image = None
    if page.image_src:
        image = ImageView(page.image_src, page.image_caption or "", page.image_after)
    return ArticlePage(
        title=page.title,
        published=page.published,
        source=page.source,
        author=page.author,
        col=page.col,
        paragraphs=page.paragraphs,
        editor=page.editor,
        image=image,
        original_url=page.original_url,
        prev=_link(older),
        next=_link(newer),
        related=[Link(p.path, p.title) for p in in_col if p is not page][:RELATED],
        br_body=page.br_body,
    )


def _html(site: str, text: str) -> Resource:
    return Resource(CONTENT_TYPE[site], text.encode(ENCODING[site]))


def site_routes(site: str, pages: list[Placement]) -> dict[str, Resource]:
    """Return path → resource for one site."""
    render = fzzx_article if site == FZZX else lnfz_article
    lister = listing.fzzx_list if site == FZZX else listing.lnfz_list
    home = listing.fzzx_home if site == FZZX else listing.lnfz_home
    about = listing.fzzx_about if site == FZZX else listing.lnfz_about
    routes = {
        "/": _html(site, home(pages)),
        about_path(site): _html(site, about()),
        "/robots.txt": Resource("text/plain; charset=utf-8", listing.ROBOTS.encode()),
    }
    routes["/index.html"] = routes["/"]
    png = Resource("image/png", tiny_png())
    for col, chunks in column_pages(pages, site).items():
        for n, chunk in enumerate(chunks, start=1):
            routes[list_path(site, col, n)] = _html(site, lister(col, chunk, n, len(chunks)))
        in_col = [p for chunk in chunks for p in chunk]
        for page in in_col:
            routes[page.path] = _html(site, render(article_page(page, in_col)))
            if page.image_src:
                routes[page.image_src] = png
    return routes


def build_routes() -> dict[str, dict[str, Resource]]:
    """Return site → path → resource for both portals."""
    by_site = placements()
    return {site: site_routes(site, by_site[site]) for site in (FZZX, LNFZ)}
