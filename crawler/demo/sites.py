"""Hosts, columns and URL shapes of the two demo portals."""

from __future__ import annotations

FZZX = "fzzx"
LNFZ = "lnfz"

CANONICAL = {FZZX: "www.fzzx.org.cn", LNFZ: "www.lnfz.cn"}
BARE = {FZZX: "fzzx.org.cn", LNFZ: "lnfz.cn"}
HOSTS: dict[str, str] = {
    "www.fzzx.org.cn": FZZX,
    "fzzx.org.cn": FZZX,
    "www.lnfz.cn": LNFZ,
    "lnfz.cn": LNFZ,
}
START_URLS = ["http://www.fzzx.org.cn/", "http://www.lnfz.cn/"]
ENCODING = {FZZX: "utf-8", LNFZ: "gbk"}
CONTENT_TYPE = {FZZX: "text/html; charset=utf-8", LNFZ: "text/html; charset=GBK"}

FZZX_COLUMNS = {
    "gazx": "公安战线",
    "zfdt": "政法动态",
    "fysx": "法院视线",
    "jcfz": "检察风采",
}
LNFZ_COLUMNS = {
    "jdgz": "禁毒工作",
    "zfyw": "政法要闻",
    "pajs": "平安建设",
    "shce": "扫黑除恶",
}
PAGE_SIZE = {FZZX: 10, LNFZ: 8}


def base(site: str) -> str:
    """Return the canonical origin of a site, e.g. http://www.lnfz.cn."""
    return f"http://{CANONICAL[site]}"


def fzzx_article_path(col: str, date: str, article_id: int) -> str:
    """Return the path of a fzzx article from its column, ISO date and id."""
    return f"/html/{col}/{date[:10].replace('-', '')}/{article_id}.html"


def lnfz_article_path(article_id: int) -> str:
    """Return the path of a lnfz article."""
    return f"/news/{article_id}.html"


def list_path(site: str, col: str, page: int) -> str:
    """Return the path of page `page` (1-based) of a column list."""
    if site == FZZX:
        name = "index.html" if page == 1 else f"index_{page}.html"
        return f"/list/{col}/{name}"
    return f"/channel/{col}.html" if page == 1 else f"/channel/{col}_{page}.html"


def about_path(site: str) -> str:
    """Return the path of the site's about page."""
    return "/about.html" if site == FZZX else "/about/index.html"


def columns(site: str) -> dict[str, str]:
    """Return the column slug → name map of a site."""
    return FZZX_COLUMNS if site == FZZX else LNFZ_COLUMNS
