"""辽宁长安网 (lnfz.cn): the Liaoning political-legal portal, an origin site served in GBK."""

from crawler.sites import builtin_site
from spiders.base import PortalSpider


class LnfzSpider(PortalSpider):
    """Crawl 辽宁长安网: home, channel lists with pagination, articles."""

    name = "lnfz"
    site = builtin_site("lnfz")  # not the user file: loading spiders must not read it
