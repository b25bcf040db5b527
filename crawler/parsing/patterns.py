"""Selectors, tag sets and text patterns used by the generic parser, kept together as data."""

from __future__ import annotations

import re

BLOCK_TAGS = frozenset(
    "address article aside blockquote br center dd details dialog dir div dl dt fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr li main menu nav ol p pre "
    "section summary table tbody td tfoot th thead tr ul caption body html".split()
)
SKIP_TAGS = frozenset(
    "script style noscript template head title select option button iframe object embed "
    "svg canvas audio video textarea input map".split()
)

# Class/id hints: generic words used by many CMSs, never one site's names.
# Containers whose text is never article prose (word-bounded inside class / id values).
FURNITURE_HINT = re.compile(
    r"(?:^|[\s_-])(?:foot|footer|copyright|comments?|sidebar|side|related|recommend|disclaimer"
    r"|share|sharebar|breadcrumbs?|crumbs?|nav|navbar|menu|tips?|statement)(?:$|[\s_-])",
    re.I,
)
TITLE_HINT = re.compile(r"title|headline|biaoti|tit\b|hd\b|(?:^|[\s_-])bt(?:$|[\s_-])", re.I)
AD_HINT = re.compile(r"(?:^|[\s_-])(?:ad|ads|advert\w*|banner|guanggao)(?:$|[\s_-])", re.I)
CAPTION_HINT = re.compile(r"caption|pic|img|photo|image|figure|tuzhu|desc", re.I)
CRUMB_HINT = re.compile(r"crumb|position|location|path|weizhi|mbx|current|daohang|where", re.I)

# Chinese sentence punctuation: its density marks running prose.
SENTENCE_PUNCT = frozenset("，。！？；：、“”《》（）,.!?;")
END_PUNCT = tuple("。！？!?…”」’）)；;")

TITLE_SPLIT = re.compile(r"\s*(?:[|｜_—–]+|--+|\s-\s|——)\s*")
CRUMB_SPLIT = re.compile(r"\s*(?:>>|>|＞|»|›|→|/|\\|–>|->|»)\s*")
CRUMB_LABEL = re.compile(
    r"^(?:当前位置|当前所在|您的位置|您现在的位置|你的位置|你现在的位置|所在位置|位置)[是为]?\s*[:：]?\s*"
)
CRUMB_HOME = frozenset({"首页", "网站首页", "主页", "返回首页", "home", "Home", "HOME", "正文"})

SOURCE_RE = re.compile(
    r"(?:稿件来源|信息来源|文章来源|本文来源|新闻来源|来源于|来源|稿源|出处|转载自|转自)[^\S\n]*[:：](?:[^\S\n]*\n)?[^\S\n]*"
    r"(?P<v>[^\s:：|【\[]{2,30}?)(?=\s|\d{4}|作者|记者|编辑|责任|$|[|【\[（(])",
    re.M,
)
# Provenance statements: 本文来源：X / 本文为X授权… / 本文系X原创 / 本文转载自X.
SOURCE_PREFIX_RE = re.compile(
    r"本文(?:来源于|来源|转载自|转自|摘自|来自)\s*[:：]?\s*(?:微信)?(?:公众号)?\s*[:：]?\s*[“「]?"
    r"(?P<v>[^\s，,。:：《“「”」]{2,20}?)(?:授权|\s|$|[，,。《“「”」])"
    r"|本文(?:为|系|经|由)\s*(?P<w>[^\s，,。:：《“「]{2,20}?)(?:授权|原创|独家|首发)"
)
# A bare name in brackets on the header line, and the endings that make a name an outlet instead.
BRACKETED_NAME = re.compile(r"[\[【]\s*(?P<v>[\u4e00-\u9fa5·]{2,4})\s*[\]】]")
OUTLET_END = re.compile(r"(?:报|网|社|台|刊|站|号|频道|中心|新闻|日报|晚报|时报)$")
NOT_OUTLET = frozenset({"作者", "作者本人", "本站", "本网", "本刊", "本报", "原创", "转载", "网友"})
AUTHOR_RE = re.compile(
    r"(?:作[^\S\n]?者(?:[^\S\n]*[︱丨|:：]|[^\S\n]+)|撰[^\S\n]?文|(?<![\u4e00-\u9fa5])文[^\S\n]*[/丨︱|｜:：]|编译[^\S\n]*/|记者[^\S\n]*[:：])[^\S\n]*[:：]?[^\S\n]*"
    r"(?P<v>[\u4e00-\u9fa5A-Za-z·• \u3000、，,:：]{2,40}?)"
    r"(?=[^\S\n]*(?:来源|编辑|责任|摄影|摄|报道|发布|时间|日期|提交|回复|访问|字号|字体|打印|分享|\d|$|[|【\[（()）]))",
    re.M,
)
_ROLE_WORDS = r"本报|记者|通讯员|实习生|编辑|责编|校对|审核|摄影|监制"
REPORTER_RE = re.compile(
    r"(?:(?:本报|本台|本刊|本网|本站|新华社|中新社|央视|[\u4e00-\u9fa5·]{1,8}(?:报|网|社|台))记者"
    r"[^\S\n]*[:：]?[^\S\n]*|记者[^\S\n]*[:：][^\S\n]*|记者[^\S\n]+)"
    r"(?P<v>[\u4e00-\u9fa5·]{2,4}(?:(?:[^\S\n]+|[、，,])(?!"
    + _ROLE_WORDS
    + r")[\u4e00-\u9fa5·]{1,4}){0,5})"
    r"(?=[^\S\n]*(?:$|[）)，,。|【\[/]|来源|摄|报道|编辑|"
    + _ROLE_WORDS
    + r"|[\u4e00-\u9fa5]{2,8}报道))",
    re.M,
)
# 作者：<affiliation and rank><name> as printed under commentary: the name follows the last rank
# word.
AUTHOR_RANK_RE = re.compile(
    r"作者[^\S\n]*[:：][^\n（）()]{0,60}?(?:研究员|教授|讲师|博士|律师|法官|检察官|部长|主任|院长|所长|评论员|学者|分析师)"
    r"[^\S\n]*(?P<v>[\u4e00-\u9fa5·]{2,4})(?=[^\S\n]*(?:[）)]|$))",
    re.M,
)
# An author note: 作者韩涵系…研究员, 作者maomaobear，为…专栏作者.
AUTHOR_BIO_RE = re.compile(
    r"作者[^\S\n]*(?P<v>[A-Za-z][A-Za-z0-9_.\-]{1,30}(?=[^\S\n]*[，,]?[^\S\n]*[系为是])"
    r"|[\u4e00-\u9fa5·]{2,4}?(?=系))"
)
# The poster of a forum thread or the owner of a blog: net names keep their digits.
BBS_POSTER = re.compile(
    r"发信人\s*[:：]\s*[\w.-]+\s*[（(](?P<v>[^()（）]{1,20})[)）]"
    r"|发信人\s*[:：]\s*(?P<w>[\w.-]{2,20})"
)
POSTER_RE = re.compile(
    r"(?:楼主|发帖人|发表人|博主|提问者|提问人)[^\S\n]*[:：][^\S\n]*(?P<v>[^\s:：|，,。]{2,20})"
)
BLOG_OWNER = re.compile(
    r"^(?P<v>[^\s_|｜\-的]{2,12})"
    r"(?:的[\u4e00-\u9fa5]{0,6}(?:博客|BLOG|blog|空间|专栏|笔记|日志|随笔)|_新浪博客|_博客)"
)
# Names that are a department, not a person: 宣传处, 办公室, 新闻中心.
ORG_NAME = re.compile(
    r"^[\u4e00-\u9fa5]{1,10}(?:处|科|室|局|厅|部|委|办|所|队|组|中心|法院|检察院|政府)$"
)
DATELINE_BYLINE_RE = re.compile(
    r"(?:电|讯|报道|消息)\s*[（(](?:记者|通讯员)?\s*(?P<v>[\u4e00-\u9fa5·、，, ]{2,30}?)\s*[)）]"
)
EDITOR_RE = re.compile(
    r"(?:责任编辑|责编)[^\S\n]*[:：]?[^\S\n]*(?P<v>[\u4e00-\u9fa5A-Za-z0-9_·、，, ]{2,40}?)"
    r"(?=[^\S\n]*(?:[】\]）)|｜]|[^\S\n]{2,}|$|审核|校对|来源|作者|终审|监制|编辑))",
    re.M,
)
PLAIN_EDITOR_RE = re.compile(
    r"(?<![责任])编辑[^\S\n]*[:：/][^\S\n]*(?P<v>[\u4e00-\u9fa5A-Za-z0-9_·、，, ]{2,40}?)"
    r"(?=[^\S\n]*(?:[】\]）)|｜]|[^\S\n]{2,}|$|审核|校对|来源|作者|终审|监制|责任))"
    r"|(?<![责任])编辑[^\S\n]+(?P<w>[\u4e00-\u9fa5·]{2,4})(?=[^\S\n]+(?:校对|审核|终审|监制|美编|摄影)|[^\S\n]*$)",
    re.M,
)
EDITOR_CODE = re.compile(r"[\s_]*[A-Z]{2}\d{3,}$")
ANONYMOUS = frozenset(
    {
        "佚名",
        "未知",
        "匿名",
        "不详",
        "admin",
        "管理员",
        "本站",
        "本网",
        "网络",
        "网络转载",
        "互联网",
        "转载",
        "网友投稿",
    }
)

ORIGINAL_URL_RE = re.compile(
    r"(?:原文链接|原文地址|原文网址|原始链接|原文)\s*[:：]\s*(?P<v>https?://\S+)"
)

# Lines that end the article: everything from here on is page furniture.
STOP_LINE = re.compile(
    r"^[\[【(（]?\s*(?:(?:阅读)?(?:上一篇|下一篇)|上一条|下一条|相关阅读|相关新闻|相关文章|相关链接|相关报道|推荐阅读"
    r"|延伸阅读|热点推荐|热门推荐|猜你喜欢|精彩推荐|更多精彩|免责声明|版权声明|特别声明|平台声明|郑重声明|声明\s*[:：]"
    r"|本文(?:为|系|经|由)[^，,。]{1,30}授权|本文(?:转载|转自|摘自)|转载请注明"
    r"|原文链接|原文地址|分享到|分享至|扫一扫|扫描二维码|长按识别|关注我们|打印本页|关闭窗口"
    r"|纠错|返回搜狐|返回首页|网友评论|我要评论|发表评论|版权所有|Copyright|©"
    r"|(?:全部|最新|热门|精彩|相关)?(?:评论|留言|回复|跟帖)(?:列表|区)?\s*[（(]?\s*\d*\s*[)）]?\s*[:：]?$"
    r"|[\u4e00-\u9fa5]{0,3}ICP[备证]|[\u4e00-\u9fa5]公网安备|互联网新闻信息服务许可证|违法和不良信息举报"
    r"|(?:(?:赞|点赞|评论|转发|分享|收藏|在看|喜欢)\s*[\d.]+万?\s*){2,}$"
    r"|共有?\s*\d+\s*(?:位|条|个)\S{0,6}(?:解答|回答|评论|回复|留言)$"
    r"|[-_=*~]{6,}$|--$|※\s*(?:来源|修改|转载))",  # a signature delimiter, a BBS origin line
    re.I,
)
# Related-reading boxes: some templates set them inside the article, with its text going on below.
RELATED_LINE = re.compile(
    r"^[\[【(（]?\s*(?:延伸阅读|相关阅读|相关新闻|相关文章|相关链接|相关报道|推荐阅读)"
)
# A title given with its label, as forums, mail archives and letter boxes print it.
LABELLED_TITLE_TEXT = r"^(?:标\s*题|主\s*题|来信标题|留言标题|信件标题|帖子标题)\s*[:：]\s*"
LABELLED_TITLE = re.compile(LABELLED_TITLE_TEXT)
# Lines that are dropped wherever they are.
DROP_LINE = re.compile(
    r"^(?:当前位置|当前所在|您的位置|您现在的位置|所在位置)\s*[:：]"
    r"|^(?:[\[【(（]\s*)?(?:原标题|责任编辑|责编|编辑|来源|稿源|出处|转自|转载自|作者|记者|通讯员|摄影|图片来源|图源|图/"
    r"|本文来源|文章来源|视频来源|监制|审核|校对|审读|排版|出品|策划|制图)\s*[:：︱丨|/]"
    r"|^[\[【(（]\s*完\s*[\]】)）]$|^[（(]?\s*(?:完|全文完|END|end)\s*[)）]?$"
    r"|^《[^》]{1,20}》\s*[（(][^）)]*版\s*[)）]$"
    r"|^(?:文|图|文图|作者)\s*[丨|｜︱/]\s*\S{1,30}$"
    r"|^[\u4e00-\u9fa5·]{0,10}(?:记者|通讯员)[\s:：]+[\u4e00-\u9fa5·]{2,4}(?:[\s、，][\u4e00-\u9fa5·]{1,4}){0,5}"
    r"(?:\s+来源\s*[:：]\s*\S{2,20})?$"
    r"|^(?:阅读剩余全文|展开全文|阅读全文|查看全文|展开剩余)[^，。]{0,8}$"
    r"|^[\u4e00-\u9fa5·]{1,8}[社报网台]记者[\u4e00-\u9fa5·]{2,4}(?:[\s、，][\u4e00-\u9fa5·]{1,4}){0,5}$"
    r"|^[\u4e00-\u9fa5·]{0,10}(?:记者|通讯员)\s*[\u4e00-\u9fa5·]{2,4}(?:[\s、，][\u4e00-\u9fa5·]{2,4}){0,5}"
    r"\s+[\u4e00-\u9fa5]{0,8}报道$"
    r"|^(?:点击|扫码|长按).{0,20}(?:关注|下载|二维码)"
    r"|^[\[【]?\s*(?:摘要|内容摘要|内容提要|提要|导语|导读|编者按|编者的话)\s*[\]】:：]|^[+＋]?\s*(?:关注|已关注|订阅)$"
    r"|^[\[【(（]\s*(?:广告|推广|AD|ad)\s*[\]】)）]$"
    r"|^\d{1,2}[:：]\d{2}(?::\d{2})?$"  # a live update's time stamp
    r"|^(?:发信人|发信站|转信站|信\s*区)\s*[:：]|"
    + LABELLED_TITLE_TEXT
    # a bare label over its value
    + r"|^[\u4e00-\u9fa5]{0,4}(?:内容|类型|状态|时间|日期|标题|单位|结果|意见|情况|信息)\s*[:：]$"
    # label: value pairs (类型：投诉 状态：已办结)
    r"|^(?:[\u4e00-\u9fa5]{2,6}\s*[:：]\s*[^\s，。；]{0,16}\s*){2,}$"
    r"|^[（(]\s*(?:本文)?(?:原载|刊载|刊发|刊登|发表)(?:于|在)"  # （本文刊载于《某周刊》第34期）
    r"|^(?:字号|字体|【字体|【字号)\s*[:：]?\s*(?:[大中小+＋AaＡ-]|\S{1,8}$|$)|^(?:发布时间|发布日期|发稿时间|更新时间|发布于|时间|日期)\s*[:：]"
    r"|^[^。！？]{0,30}(?:扫一扫|二维码|客户端)[^。！？]{0,16}$"
    # 本报记者 X 本报通讯员 Y
    r"|^(?:[\u4e00-\u9fa5·]{0,8}?(?:记者|通讯员|实习生)[\s:：]*[\u4e00-\u9fa5·]{2,4}"
    r"(?:[\s、，](?!本报|记者|通讯员|实习生)[\u4e00-\u9fa5·]{2,4})*\s*){2,}(?:文/图|文图|摄|报道)?$"
)
CAPTION_LINE = re.compile(
    r"^(?:图为|图：|图:|图片：|（图片|\(图片|资料图|图注|▲|△)|(?:摄$|摄）$|摄\)$|供图）?$)"
)
# A byline glued to the end of the last paragraph: （钟才文） （编译/林靖东）.
TRAILING_BYLINE = re.compile(r"[（(](?:[^（）()，。]{0,6}[/丨|])?[^（）()，。！？]{1,24}[)）]\s*$")
# A unit that signs a byline before its person: 青石县人民检察院, 城关派出所.
_BYLINE_UNIT = r"[\u4e00-\u9fa5]{2,16}(?:院|局|庭|所|处|室|站|队|委|办|中心)"
TRAILING_BYLINE_WORDS = re.compile(
    r"记者|编译|作者|评论员|通讯员|^完$|^[\u4e00-\u9fa5]{2,4}$"
    r"|^[\u4e00-\u9fa5]{2,4}[、 ][\u4e00-\u9fa5]{2,4}$"
    r"|^" + _BYLINE_UNIT + r"\s+[\u4e00-\u9fa5·]{2,4}$"
)
# The unit and the person of a bracketed byline: （青石县人民检察院 潘立新）.
UNIT_PERSON = re.compile("^" + _BYLINE_UNIT + r"\s+(?P<v>[\u4e00-\u9fa5·]{2,4})$")
BYLINE_NAME = re.compile(
    r"^(?:(?:编译|[\u4e00-\u9fa5·]{0,8}记者|作者|文)\s*[/:：丨]?\s*)?"
    r"(?P<v>[\u4e00-\u9fa5]{2,4}(?:[、 ][\u4e00-\u9fa5]{2,4})*)$"
)
SOURCE_THEN_NAME = re.compile(
    r"来源[^\S\n]*[:：][^\S\n]*\S{2,20}[^\S\n]+(?P<v>[\u4e00-\u9fa5]{2,3})[^\S\n]*$", re.M
)
DATELINE_ONLY = re.compile(r"^\S{0,12}\d{1,2}月\d{1,2}日(?:电|讯|报道)$")
LABEL_WORDS = frozenset(
    {
        "来源",
        "编辑",
        "责任",
        "作者",
        "记者",
        "通讯员",
        "摄影",
        "发布",
        "时间",
        "日期",
        "报道",
        "摄",
        "校对",
        "审核",
        "监制",
        "文",
        "图",
        "字号",
        "字体",
    }
)
# Each role and its names on one byline line: 通讯员 周建国 记者 吴倩.
ROLE_NAMES = re.compile(
    r"(?:记者|通讯员|实习生)[^\S\n]*[:：]?[^\S\n]*"
    r"(?P<v>[\u4e00-\u9fa5·]{2,4}(?:(?:[^\S\n]+|[、，,])(?!"
    + _ROLE_WORDS
    + r")[\u4e00-\u9fa5·]{2,4})*)"
)
ROLE_PREFIX = re.compile(
    r"^(?:本报|本台|本刊|本网|特约|首席)?(?:见习|实习)?(?:记者|通讯员|实习生|编译|撰稿)"
)
CJK = re.compile(r"[\u4e00-\u9fa5]")
CENTERED = re.compile(r"text-align\s*:\s*center", re.I)
FOOTER_LINE = re.compile(
    r"版权所有|未经.{0,8}授权|禁止转载|不得转载|All Rights Reserved|ICP[备证]|公网安备"
    r"|仅代表作者|仅提供信息(?:存储|发布)|不代表本(?:网|站|平台|报)(?:的)?(?:观点|立场)|免责声明|版权声明"
    # a row of bracketed page buttons: 【打印】【关闭】
    r"|^(?:[【\[]\s*[\u4e00-\u9fa5 ]{1,8}\s*[】\]]\s*){2,}$",
    re.I,
)
# A numbered sub-heading (一、 （二） 3.) is never an image caption.
SUBHEADING = re.compile(
    r"^\s*(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[)）]|\d{1,2}[.、．](?!\d))"
)
# Titles a byline name may carry: 陈静律师, 李某教授.
NAME_TITLE = re.compile(r"(?:律师|教授|副教授|研究员|博士|法官|检察官|警官|主任|院长|记者|编辑)$")
# Self-media layouts: the publishing account's bare name in an element named like a source.
SOURCE_HINT = re.compile(
    r"source|media|account|laiyuan|publisher|origin|zmt|author|writer|nick|(?<![a-z])name", re.I
)
ACCOUNT_NAME = re.compile(r"^@?[\u4e00-\u9fa5A-Za-z0-9·_\-]{2,20}$")
NOT_ACCOUNT = re.compile(r"关注|分享|订阅|举报|收藏|评论|下载|客户端|登录|注册|首页|正文|\d{4}")
# The commonest Chinese surnames (about 85% of people): a bare line under a headline that starts
# with one is a byline, not a column or place name.
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施"
    "文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷"
    "盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷"
    "晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
)
COMPOUND_SURNAMES = frozenset(
    {"欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "令狐", "慕容", "公孙", "端木", "尉迟", "夏侯"}
)
