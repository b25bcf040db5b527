"""法治资讯网 (fzzx.org.cn): a portal that reprints legal news from many outlets."""

from crawler.sites import builtin_site
from spiders.base import PortalSpider


class FzzxSpider(PortalSpider):
    """Crawl 法治资讯网: home, column lists with pagination, articles."""

    name = "fzzx"
    site = builtin_site("fzzx")  # not the user file: loading spiders must not read it
