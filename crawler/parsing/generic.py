"""The generic parser: one small method per Article field, for any news portal."""

from __future__ import annotations

from functools import cached_property
from urllib.parse import urljoin, urlsplit

from ..items import ARTICLE, LIST, PARSED_FIELDS, Article, Image
from . import dates, datesignals, header, pagekind
from .account import account_name
from .headline import HeadlineMixin
from .lines import squash
from .page import Page
from .patterns import (
    CRUMB_HINT,
    CRUMB_HOME,
    CRUMB_LABEL,
    CRUMB_SPLIT,
    LABELLED_TITLE,
    TITLE_SPLIT,
)
from .signature import arabic_date
from .titles import strip_site_suffix
from .zones import ABOVE_BLOCKS, LEAD_BLOCKS, ZONE_BLOCKS, ZonesMixin

MASTHEAD_BLOCKS = 3  # the top of a newspaper's digital edition names the paper beside the date
ANCHOR_BLOCKS = 3  # lines right above the text where its date line stands


class GenericParser(ZonesMixin, HeadlineMixin):
    """Extract an Article from one page; holds no crawl state."""

    site: str | None = None

    def __init__(self, page: Page) -> None:
        self.page = page
        self.stream = page.stream

    # -------------------------------------------------------------- fields
    def kind(self) -> str:
        """Return "list" for index, search-result and link-list pages, else "article"."""
        chars = sum(map(len, self.cut.lines))
        # Anchored: a date line stands right over the text, or the headline stands over one.
        anchored = self.title_block >= 0 and (
            self._over_header_line(self.title_block)
            or bool(
                dates.first_date(
                    self.zone(self.lead_end - ANCHOR_BLOCKS, self.lead_end, links=False)
                )
            )
        )
        text = pagekind.Text(self.title_block, chars, len(self.cut.lines), self.cut.first, anchored)
        if pagekind.is_list(self.stream, self.page.main, text):
            return LIST
        return ARTICLE

    def title(self) -> str | None:
        """Return the displayed headline (its lines joined when a <br> splits it)."""
        if self.title_block >= 0:
            blocks = self.stream.blocks[self.title_block : self.title_last + 1]
            return LABELLED_TITLE.sub("", "".join(b.text for b in blocks)) or None
        for ref in self.title_refs:
            if ref:
                parts = [p for p in TITLE_SPLIT.split(ref) if p.strip()]
                return strip_site_suffix(max(parts[:1] or [ref], key=len).strip())
        return None

    def published(self) -> str | None:
        """Return the shown publication date, else one from meta data, <time>, the URL or
        htmldate."""
        near = self.above_zone
        for text in (self.head_zone, near):
            found = dates.first_date(text)
            if found:
                return found
        page = self.page
        machine = (
            dates.meta_date(page.metas)
            or dates.jsonld_date(page.jsonld)
            or datesignals.time_element_date(page.root)
            or datesignals.script_date(page.root)
        )
        from_url = datesignals.url_date(page.own_url)
        year_from = machine or from_url
        shown = datesignals.yearless_date(self.head_zone + "\n" + near, year_from)
        if shown and (not year_from or year_from[5:10] == shown[5:10]):
            return shown  # the shown day and time, with the year another signal gives
        if year_from:
            return datesignals.as_displayed(
                year_from, self.zone(0, len(self.stream.blocks), links=False)
            )
        last = self.cut.last if self.cut.last >= 0 else self.main_first
        found = dates.first_date(arabic_date(self.cut.signed or "")) or dates.first_date(
            self.zone(last + 1, last + 1 + ZONE_BLOCKS, links=False)
        )
        return found or datesignals.htmldate_fallback(page.text)

    def source(self) -> str | None:
        """Return the 来源 / provenance outlet, else the account under the headline, else the outlet
        by the date."""
        for text in (self.head_zone, self.above_zone, self.foot_zone, self.dropped):
            found = header.find_source(text)
            if found:
                return found
        account = self._account
        if account and not header.person_name(account):
            return account  # a self-media account: the outlet; a person's name is the author
        return (
            header.unlabelled_source(self.head_zone)
            or header.meta_source(self.page.metas)
            or self.page.publisher
            or header.masthead_paper(self.zone(0, MASTHEAD_BLOCKS))
        )

    @cached_property
    def _account(self) -> str | None:
        """Return the self-media account named between the headline (or the top of the main block)
        and the body."""
        first = self.cut.first if self.cut.first >= 0 else self.main_first
        start = self.title_block + 1 if self.title_block >= 0 else first - LEAD_BLOCKS
        return account_name(self.stream, max(start, first - ZONE_BLOCKS), first)

    def author(self) -> str | None:
        """Return the byline names, None for 佚名 or when none is shown."""
        lead = "\n".join(self.cut.lines[:2])
        source = self.source()
        zones = (
            (self.head_zone, False),
            (lead, True),
            (self.dropped, False),
            (self.foot_zone, False),
        )
        for text, is_lead in zones:
            found = header.find_author(text, lead=is_lead)
            if found and found != source:
                return found
        return (
            header.byline_name(self.cut.byline)
            or header.bracketed_name(self.head_zone, source)
            or header.bare_name(self.head_zone)
            or self._person_account()
            or header.poster_name(self.head_zone + "\n" + self.above_zone + "\n" + self.dropped)
            or header.blog_owner(self.page.title_tag)
        )

    def _person_account(self) -> str | None:
        """Return the author box's or account's name beside the headline when it is a person's
        name."""
        above = (
            account_name(self.stream, self.title_block - ABOVE_BLOCKS, self.title_block)
            if self.title_block >= 0
            else None
        )
        for account in (self._account, above):
            if header.person_name(account):
                return account
        return None

    def editor(self) -> str | None:
        """Return the 责任编辑 (else 编辑) names."""
        found = next(
            filter(None, map(header.find_editor, (self.foot_zone, self.head_zone, self.dropped))),
            None,
        )
        if found:
            return found
        # Portals' <meta name="author"> names the editor who published the page, not the byline.
        metas = self.page.metas
        meta_author = metas.get("author", "")
        return header.join_names(metas.get("editor", "")) or (
            meta_author if header.person_name(meta_author) else None
        )

    def body(self) -> str | None:
        """Return the article paragraphs, one per line."""
        return "\n".join(self.cut.lines) or None

    def original_url(self) -> str | None:
        """Return the link given as 原文链接."""
        text = self.foot_zone + "\n" + "\n".join(self.cut.lines[-3:])
        found = header.find_original_url(text)
        if found or self.page.root is None:
            return found
        for a in self.page.root.xpath(
            "//a[contains(., '原文链接') or contains(., '阅读原文')][@href]"
        ):
            href = a.get("href", "")
            if href.startswith("http") or href.startswith("/"):
                return urljoin(self.page.base_url, href)
        return None

    def category(self) -> list[str]:
        """Return the breadcrumb path without 首页 / 当前位置 and without the title."""
        limit = self.title_block if self.title_block >= 0 else self.main_first
        for block in self.stream.blocks[: max(limit, 0) + 1]:
            el = self.stream.elems[block.owner]
            names = f"{el.get('class', '')} {el.get('id', '')}"
            if CRUMB_LABEL.match(block.text) or (
                CRUMB_HINT.search(names) and CRUMB_SPLIT.search(block.text)
            ):
                return self._crumbs(block.text)
        return []

    def _crumbs(self, text: str) -> list[str]:
        title = squash(self.title() or "")
        parts = [p.strip() for p in CRUMB_SPLIT.split(CRUMB_LABEL.sub("", text))]
        return [
            p for p in parts if p and p not in CRUMB_HOME and squash(p) != title and len(p) <= 30
        ]

    def images(self) -> list[Image]:
        """Return the body images with their captions."""
        return self.cut.images

    # -------------------------------------------------------------- result
    def parse(self) -> Article:
        """Return the Article for this page."""
        host = urlsplit(self.page.url).hostname if self.page.url else None
        article = Article(url=self.page.url, site=self.site or host, encoding=self.page.encoding)
        if self.kind() == LIST:
            article.kind = LIST
            return article
        for name in PARSED_FIELDS:
            setattr(article, name, getattr(self, name)())
        return article
