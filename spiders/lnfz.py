"""辽宁长安网 (lnfz.cn): the Liaoning political-legal portal, an origin site served in GBK."""

from crawler.sites import SITES
from spiders.base import PortalSpider


class LnfzSpider(PortalSpider):
    """Crawl 辽宁长安网: home, channel lists with pagination, articles."""

    name = "lnfz"
    site = SITES["lnfz"]
