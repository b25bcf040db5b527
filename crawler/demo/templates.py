"""HTML templates of the two demo portals: page chrome and the article pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from crawler.demo.sites import FZZX_COLUMNS, LNFZ_COLUMNS, list_path

DISCLAIMER = (
    "[免责声明] 本文来源于网络转载,仅供学习交流使用,不构成商业目的。版权归原作者所有,"
    "如涉及作品内容、版权和其它问题,请在30日内与本网联系,我们将在第一时间处理。"
)
INDENT = "\u3000\u3000"


@dataclass
class Link:
    """A link shown on a page: target URL or path and its text."""

    url: str
    title: str


@dataclass
class ImageView:
    """An image in an article body, shown after paragraph number `after`."""

    src: str
    caption: str
    after: int = 1


@dataclass
class ArticlePage:
    """Everything one article template needs, already resolved for one site."""

    title: str
    published: str  # as displayed: fzzx date only, lnfz date or date and time
    source: str
    author: str | None
    col: str
    paragraphs: list[str]
    editor: str | None = None
    image: ImageView | None = None
    original_url: str | None = None
    prev: Link | None = None
    next: Link | None = None
    related: list[Link] = field(default_factory=list)
    br_body: bool = False  # lnfz: body as <br>-separated lines instead of <p>


def _a(link: Link) -> str:
    return f'<a href="{escape(link.url)}" title="{escape(link.title)}">{escape(link.title)}</a>'


# ---------------------------------------------------------------- 法治资讯网 (UTF-8)


def fzzx_head(title: str) -> str:
    """Return the fzzx document head and top bar, header and nav."""
    nav = "".join(
        f'<li><a href="{list_path("fzzx", col, 1)}">{name}</a></li>'
        for col, name in FZZX_COLUMNS.items()
    )
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<meta name="keywords" content="法治资讯网,法治新闻,政法动态">
<link rel="stylesheet" href="/static/css/style.css">
</head>
<body>
<div class="topbar"><div class="wrap"><span class="zxt">政讯通中心</span>
<span class="welcome">欢迎加入法治资讯网!</span></div></div>
<div class="header"><div class="wrap"><a class="logo" href="/">法治资讯网</a></div></div>
<div class="nav"><div class="wrap"><ul><li><a href="/">网站首页</a></li>{nav}</ul></div></div>
"""


FZZX_FOOTER = """<div class="footer"><div class="wrap">
<p class="links"><a href="/about.html">法制项目简介</a> <a href="/about.html#jobs">本网招聘</a> \
<a href="/about.html">本网概况</a> <a href="/about.html#contact">联系我们</a> \
<a href="/about.html#vip">会员服务</a> \
<a href="/">网站地图</a> <a href="/about.html#disclaimer">免责声明</a> \
<a href="/about.html#ad">广告服务</a> \
<a href="/about.html#tougao">投稿服务</a></p>
<p>本站部分信息由相应民事主体自行提供,该信息内容的真实性、准确性和合法性应由该民事主体负责。\
法治资讯网 对此不承担任何保证责任。</p>
<p>本网部分转载文章、图片等无法联系到权利人,请相关权利人与本网站联系。</p>
<p>法治资讯网 fzzx.org.cn 版权所有。（演示站点,内容为虚构）</p>
</div></div>
</body>
</html>
"""


def _fzzx_body(page: ArticlePage) -> str:
    parts = []
    for i, text in enumerate(page.paragraphs):
        parts.append(f"<p>{INDENT}{escape(text)}</p>")
        if page.image and i == page.image.after:
            parts.append(
                f'<p style="text-align: center;">'
                f'<img src="{escape(page.image.src)}" alt="" /></p>\n'
                f'<p style="text-align: center;">{INDENT}{escape(page.image.caption)}</p>'
            )
    return "\n".join(parts)


def _fzzx_side(page: ArticlePage) -> str:
    items = "".join(f"<li>{_a(link)}</li>" for link in page.related)
    return (
        f'<div class="right"><div class="box related"><h3>相关阅读</h3><ul>{items}</ul></div></div>'
    )


def fzzx_article(page: ArticlePage) -> str:
    """Return the HTML of a 法治资讯网 article page (reprint template of the seed)."""
    col_name = FZZX_COLUMNS[page.col]
    col_url = list_path("fzzx", page.col, 1)
    author = escape(page.author) if page.author else "佚名"
    original = ""
    if page.original_url:
        url = escape(page.original_url)
        original = f'<div class="yuanwen">原文链接:<a href="{url}" target="_blank">{url}</a></div>'
    prev = _a(page.prev) if page.prev else "没有了"
    nxt = _a(page.next) if page.next else "没有了"
    return f"""{fzzx_head(page.title + "_" + col_name + "_法治资讯网")}
<div class="wrap main">
<div class="left">
<div class="crumb">当前所在:<a href="/">首页</a> &gt; <a href="{col_url}">{col_name}</a> &gt; \
{escape(page.title)}</div>
<div class="article">
<h1>{escape(page.title)}</h1>
<div class="info"><span>发布时间:{escape(page.published)}</span> \
<span>来源: {escape(page.source)}</span> \
<span>作者:{author}</span></div>
<div class="content" id="article-content">
{_fzzx_body(page)}
</div>
{original}
<div class="disclaimer">{DISCLAIMER}</div>
<div class="prenext"><p>上一篇:{prev}</p><p>下一篇:{nxt}</p></div>
</div>
</div>
{_fzzx_side(page)}
</div>
{FZZX_FOOTER}"""


# ---------------------------------------------------------------- 辽宁长安网 (GBK)


def lnfz_head(title: str) -> str:
    """Return the lnfz document head, banner and menu."""
    menu = " | ".join(
        f'<a href="{list_path("lnfz", col, 1)}">{name}</a>' for col, name in LNFZ_COLUMNS.items()
    )
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" \
"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gbk" />
<title>{escape(title)}</title>
<link href="/css/lnfz.css" rel="stylesheet" type="text/css" />
</head>
<body>
<div id="top"><div class="banner"><a href="/">辽宁长安网</a> \
<span>中共辽宁省委政法委员会主办</span></div></div>
<div id="menu"><a href="/">首页</a> | {menu} | <a href="/about/index.html">关于我们</a></div>
"""


LNFZ_FOOTER = """<div id="footer">
<p><a href="/about/index.html">关于我们</a> | <a href="/about/index.html#lxwm">联系我们</a> | \
<a href="/about/index.html#tg">投稿须知</a></p>
<p>辽宁长安网 版权所有　未经授权禁止复制或建立镜像（演示站点,内容为虚构）</p>
</div>
</body>
</html>
"""


def _lnfz_body(page: ArticlePage) -> str:
    image = ""
    if page.image:
        image = (
            f'<p align="center"><img src="{escape(page.image.src)}" border="0" /></p>\n'
            f'<p align="center">{escape(page.image.caption)}</p>'
        )
    parts = []
    if page.br_body:
        # older CMS output: one <p> holding <br>-separated paragraphs, image after them
        lines = "<br />\n".join(INDENT + escape(t) for t in page.paragraphs)
        parts.append(f"<p>{lines}</p>")
        return "\n".join(parts + [image])
    for i, text in enumerate(page.paragraphs):
        parts.append(f"<p>{INDENT}{escape(text)}</p>")
        if image and i == page.image.after:
            parts.append(image)
    return "\n".join(parts)


def lnfz_meta(page: ArticlePage) -> str:
    """Return the lnfz meta line: 来源：X　作者：Y　时间：Z (作者 omitted when unknown)."""
    parts = [f"来源：{page.source}"]
    if page.author:
        parts.append(f"作者：{page.author}")
    parts.append(f"时间：{page.published}")
    return escape("\u3000".join(parts))


def lnfz_article(page: ArticlePage) -> str:
    """Return the HTML of a 辽宁长安网 article page (origin template), as text to encode in GBK."""
    col_name = LNFZ_COLUMNS[page.col]
    col_url = list_path("lnfz", page.col, 1)
    prev = _a(page.prev) if page.prev else "没有了"
    nxt = _a(page.next) if page.next else "没有了"
    editor = f'<div class="editor">责任编辑：{escape(page.editor)}</div>' if page.editor else ""
    return f"""{lnfz_head(page.title + "-" + col_name + "-辽宁长安网")}
<div class="main">
<div class="position">您现在的位置：<a href="/">首页</a> &gt; \
<a href="{col_url}">{col_name}</a></div>
<div class="article">
<div class="title">{escape(page.title)}</div>
<div class="info">{lnfz_meta(page)}</div>
<div id="zoom">
{_lnfz_body(page)}
</div>
{editor}
<div class="share">分享到：<a href="javascript:;" class="wx">微信</a> \
<a href="javascript:;" class="wb">微博</a></div>
<div class="prenext">上一篇：{prev}<br />下一篇：{nxt}</div>
<div class="tools"><a href="javascript:window.print()">打印本页</a> \
<a href="javascript:window.close()">关闭窗口</a></div>
</div>
</div>
{LNFZ_FOOTER}"""
