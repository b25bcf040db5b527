"""The demo articles as data, resolved into the pages each portal serves."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crawler.demo.sites import (
    FZZX,
    LNFZ,
    PAGE_SIZE,
    START_URLS,
    about_path,
    base,
    columns,
    fzzx_article_path,
    list_path,
    lnfz_article_path,
)

DATA_FILE = Path(__file__).parent / "data" / "articles.json"
LNFZ_SOURCE = "辽宁长安网"


@dataclass
class Placement:
    """One article page on one site, with every field as that site shows it."""

    site: str
    key: str
    path: str
    col: str
    title: str
    published: str  # as displayed on the page
    source: str
    author: str | None
    editor: str | None
    paragraphs: list[str]
    image_src: str | None = None  # path on the same host
    image_caption: str | None = None
    image_after: int = 1
    original_url: str | None = None
    br_body: bool = False

    @property
    def url(self) -> str:
        """Return the absolute canonical URL of the page."""
        return base(self.site) + self.path

    @property
    def sort_key(self) -> tuple[str, str]:
        """Return a key that orders pages oldest first."""
        return (self.published, self.path)


def load_records(path: Path = DATA_FILE) -> list[dict[str, Any]]:
    """Return the article records stored in the data file."""
    return json.loads(path.read_text(encoding="utf-8"))


def _image(rec: dict[str, Any], folder: str) -> dict[str, Any]:
    image = rec.get("image")
    if not image:
        return {}
    return {
        "image_src": f"{folder}/{image['file']}",
        "image_caption": image["caption"],
        "image_after": image.get("after", 1),
    }


def lnfz_placement(rec: dict[str, Any]) -> Placement | None:
    """Return the lnfz page of a record, or None when the story is not on lnfz."""
    place = rec.get("lnfz")
    if not place:
        return None
    published = place.get("published", rec["published"])
    folder = "/uploadfile/" + published[:7].replace("-", "")
    return Placement(
        site=LNFZ,
        key=rec["key"],
        path=lnfz_article_path(place["id"]),
        col=place["col"],
        title=place.get("title", rec["title"]),
        published=published,
        source=rec["source"],
        author=rec.get("author"),
        editor=rec.get("editor"),
        paragraphs=place.get("paragraphs", rec["paragraphs"]),
        br_body=rec.get("br_body", False),
        **_image(rec, folder),
    )


def fzzx_placement(rec: dict[str, Any]) -> Placement | None:
    """Return the fzzx page of a record, or None when the story is not on fzzx."""
    place = rec.get("fzzx")
    if not place:
        return None
    published = place.get("published", rec["published"][:10])
    on_lnfz = rec.get("lnfz")
    original = place.get("original_url")
    if on_lnfz and not original:
        original = base(LNFZ) + lnfz_article_path(on_lnfz["id"])
    folder = "/uploads/allimg/" + published[2:10].replace("-", "")
    return Placement(
        site=FZZX,
        key=rec["key"],
        path=fzzx_article_path(place["col"], published, place["id"]),
        col=place["col"],
        title=place.get("title", rec["title"]),
        published=published,
        source=place.get("source", LNFZ_SOURCE if on_lnfz else rec["source"]),
        author=place.get("author", rec.get("author")),
        editor=None,
        paragraphs=place.get("paragraphs", rec["paragraphs"]),
        original_url=original,
        **_image(rec, folder),
    )


def placements(records: list[dict[str, Any]] | None = None) -> dict[str, list[Placement]]:
    """Return every article page of each site, newest first."""
    records = load_records() if records is None else records
    out: dict[str, list[Placement]] = {FZZX: [], LNFZ: []}
    for rec in records:
        for make in (fzzx_placement, lnfz_placement):
            page = make(rec)
            if page:
                out[page.site].append(page)
    for pages in out.values():
        pages.sort(key=lambda p: p.sort_key, reverse=True)
    return out


def column_pages(pages: list[Placement], site: str) -> dict[str, list[list[Placement]]]:
    """Return, per column, the article pages split into list pages of PAGE_SIZE."""
    size = PAGE_SIZE[site]
    out = {}
    for col in columns(site):
        in_col = [p for p in pages if p.col == col]
        out[col] = [in_col[i : i + size] for i in range(0, len(in_col), size)] or [[]]
    return out


def iso_published(shown: str) -> str:
    """Return ISO 8601: date only, or date and minutes with +08:00."""
    if len(shown) > 10:
        return f"{shown[:10]}T{shown[11:16]}+08:00"
    return shown


def expected_item(page: Placement) -> dict[str, Any]:
    """Return the item a parser should extract from one article page."""
    images = []
    if page.image_src:
        images.append({"src": base(page.site) + page.image_src, "caption": page.image_caption})
    return {
        "url": page.url,
        "site": page.site,
        "key": page.key,
        "kind": "article",
        "title": page.title,
        "published": iso_published(page.published),
        "source": page.source,
        "author": page.author,
        "editor": page.editor,
        "original_url": page.original_url,
        "paragraphs": list(page.paragraphs),
        "body": "\n".join(page.paragraphs),
        "category": [columns(page.site)[page.col]],
        "images": images,
        "image_caption": page.image_caption,
    }


def expected_articles() -> list[dict[str, Any]]:
    """Return the expected item of every article page of both portals."""
    by_site = placements()
    return [expected_item(p) for site in (FZZX, LNFZ) for p in by_site[site]]


def non_article_urls() -> list[str]:
    """Return the URLs of the HTML pages that are not articles (home, lists, about)."""
    by_site = placements()
    urls = list(START_URLS)
    for site in (FZZX, LNFZ):
        for col, chunks in column_pages(by_site[site], site).items():
            urls += [base(site) + list_path(site, col, n) for n in range(1, len(chunks) + 1)]
        urls.append(base(site) + about_path(site))
    return urls
