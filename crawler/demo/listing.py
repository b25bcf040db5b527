"""Home, column list and about pages of the two demo portals."""

from __future__ import annotations

from html import escape

from crawler.demo.content import Placement
from crawler.demo.sites import FZZX, LNFZ, base, columns, list_path
from crawler.demo.templates import FZZX_FOOTER, LNFZ_FOOTER, fzzx_head, lnfz_head

ROBOTS = "User-agent: *\nDisallow:\n"


def _fzzx_li(page: Placement) -> str:
    return (
        f'<li><a href="{page.path}" target="_blank">{escape(page.title)}</a>'
        f"<span>{page.published[:10]}</span></li>"
    )


def _lnfz_li(page: Placement) -> str:
    # the origin CMS writes absolute links in lists
    return (
        f'<li><span class="date">[{page.published[5:10]}]</span>'
        f'<a href="{page.url}">{escape(page.title)}</a></li>'
    )


def pager(site: str, col: str, page: int, total: int) -> str:
    """Return the page number bar of a column list, with 上一页/下一页."""

    def link(n: int, text: str) -> str:
        return f'<a href="{list_path(site, col, n)}">{text}</a>'

    parts = [link(1, "首页")]
    if page > 1:
        parts.append(link(page - 1, "上一页"))
    for n in range(1, total + 1):
        parts.append(f'<span class="current">{n}</span>' if n == page else link(n, str(n)))
    if page < total:
        parts.append(link(page + 1, "下一页"))
    parts.append(link(total, "尾页"))
    return f'<div class="pages">共{total}页 ' + " ".join(parts) + "</div>"


def fzzx_home(pages: list[Placement]) -> str:
    """Return the fzzx home page: nav and the latest 10 articles."""
    latest = "\n".join(_fzzx_li(p) for p in pages[:10])
    blocks = []
    for col, name in columns(FZZX).items():
        items = "".join([_fzzx_li(p) for p in pages if p.col == col][:4])
        more = f'<a class="more" href="{list_path(FZZX, col, 1)}">更多&gt;&gt;</a>'
        blocks.append(f'<div class="box"><h3>{name}{more}</h3><ul>{items}</ul></div>')
    return f"""{fzzx_head("法治资讯网 - 法治新闻 政法资讯")}
<div class="wrap main">
<div class="box latest"><h2>最新资讯</h2><ul>
{latest}
</ul></div>
{"".join(blocks)}
</div>
{FZZX_FOOTER}"""


def fzzx_list(col: str, chunk: list[Placement], page: int, total: int) -> str:
    """Return one page of a fzzx column list."""
    name = columns(FZZX)[col]
    items = "\n".join(_fzzx_li(p) for p in chunk)
    return f"""{fzzx_head(f"{name}_法治资讯网")}
<div class="wrap main">
<div class="crumb">当前所在:<a href="/">首页</a> &gt; \
<a href="{list_path(FZZX, col, 1)}">{name}</a></div>
<ul class="list">
{items}
</ul>
{pager(FZZX, col, page, total)}
</div>
{FZZX_FOOTER}"""


def fzzx_about() -> str:
    """Return the fzzx 本网概况 page."""
    return f"""{fzzx_head("本网概况_法治资讯网")}
<div class="wrap main">
<div class="crumb">当前所在:<a href="/">首页</a> &gt; 本网概况</div>
<div class="about"><h2>本网概况</h2>
<p>法治资讯网是一家综合性法治新闻资讯网站,设有公安战线、政法动态、法院视线、检察风采等栏目,\
转载各地政法新闻,宣传法治建设成果。</p>
<h3 id="jobs">本网招聘</h3><p>本网长期招聘法治新闻编辑、记者,有意者请将简历发送至本网邮箱。</p>
<h3 id="contact">联系我们</h3><p>投稿及版权问题请通过本网邮箱与我们联系。</p>
<h3 id="disclaimer">免责声明</h3><p>本网转载文章仅供学习交流,版权归原作者所有。</p>
</div>
</div>
{FZZX_FOOTER}"""


def lnfz_home(pages: list[Placement]) -> str:
    """Return the lnfz home page: headline and a block per channel."""
    head = pages[0]
    blocks = []
    for col, name in columns(LNFZ).items():
        items = "".join([_lnfz_li(p) for p in pages if p.col == col][:6])
        more = f'<a class="more" href="{base(LNFZ)}{list_path(LNFZ, col, 1)}">更多</a>'
        blocks.append(
            f'<div class="lmbox"><div class="lmtit">{name}{more}</div><ul>{items}</ul></div>'
        )
    return f"""{lnfz_head("辽宁长安网")}
<div class="main">
<div class="headline"><a href="{head.url}">{escape(head.title)}</a></div>
{"".join(blocks)}
</div>
{LNFZ_FOOTER}"""


def lnfz_list(col: str, chunk: list[Placement], page: int, total: int) -> str:
    """Return one page of a lnfz channel list."""
    name = columns(LNFZ)[col]
    items = "\n".join(_lnfz_li(p) for p in chunk)
    return f"""{lnfz_head(f"{name}-辽宁长安网")}
<div class="main">
<div class="position">您现在的位置：<a href="/">首页</a> &gt; {name}</div>
<ul class="newslist">
{items}
</ul>
{pager(LNFZ, col, page, total)}
</div>
{LNFZ_FOOTER}"""


def lnfz_about() -> str:
    """Return the lnfz 关于我们 page."""
    return f"""{lnfz_head("关于我们-辽宁长安网")}
<div class="main">
<div class="position">您现在的位置：<a href="/">首页</a> &gt; 关于我们</div>
<div class="about">\
<p>辽宁长安网是宣传全省政法工作的网站,设有禁毒工作、政法要闻、平安建设、扫黑除恶等频道。</p>
<p id="lxwm">联系我们：请通过网站投稿邮箱与编辑部联系。</p>
<p id="tg">投稿须知：来稿请注明作者姓名、单位和联系方式。</p></div>
</div>
{LNFZ_FOOTER}"""
