"""Stories across sites: edited reprints join, templated texts about other facts do not."""

from crawler.archive.ingest import assign_story
from crawler.archive.schema import open_archive
from crawler.archive.store import save_article
from crawler.items import Article
from crawler.reprints.neardup import same_story
from crawler.reprints.stories import NEAR

STORY = [
    "近日，某市公安局反诈中心成功劝阻一起冒充客服类电信网络诈骗，为群众挽回经济损失。",
    "当天上午，民警通过预警信息发现，市民王女士正在与自称网购平台客服的陌生人通话。",
    "民警立即拨打王女士电话，并赶到其家中，当面揭穿骗子以退款为名索要验证码的伎俩。",
    "经过民警耐心劝说，王女士终于醒悟，停止了转账操作，并对民警表示感谢。",
    "警方提示，正规平台客服不会索要银行卡密码和短信验证码，遇到可疑情况请拨打反诈专线。",
    "下一步，公安机关将继续加强预警劝阻工作，全力守护群众的钱袋子。",
]
NOTICE = (
    "关于张三同志任职前公示的通告\n"
    "根据干部选拔任用工作有关规定，现将张三同志拟任职情况予以公示。\n"
    "张三，男，1980年5月出生，现任某县人民法院审判员，拟任某县人民法院副院长。\n"
    "公示期为2022年6月1日至2022年6月7日。公示期间如有异议，请向县委组织部反映。\n"
    "联系电话：0411-12345678。"
)
WEEKLY = (
    "本周，全市公安机关共接报警情1254起，同比下降12.5%。\n"
    "其中刑事警情98起，治安警情456起，交通警情700起。\n"
    "全市共破获刑事案件45起，抓获违法犯罪嫌疑人67人。\n"
    "警方提醒广大市民注意防范电信网络诈骗，守好自己的钱袋子。"
)


def body(*paragraphs):
    return "\n".join(paragraphs)


def test_edited_reprints_are_the_same_story():
    text = body(*STORY)
    edits = {
        "added note": text + "\n（编者按：本文转载时有删节，标题为编者所加。）",
        "cut paragraph": body(*STORY[:3], *STORY[4:]),
        "reordered": body(STORY[0], STORY[2], STORY[1], *STORY[3:]),
        "boilerplate": "【来源：某市公安局】\n" + text + "\n扫一扫在手机打开当前页",
    }
    for name, edited in edits.items():
        same, why = same_story(text, edited)
        assert same, f"{name}: {why}"


def test_templated_texts_with_other_facts_are_other_stories():
    pairs = {
        "name": NOTICE.replace("张三", "李四"),
        "date": NOTICE.replace("2022年6月1日至2022年6月7日", "2022年7月1日至2022年7月7日"),
        "place": NOTICE.replace("某县", "某区"),
        "amount": WEEKLY.replace("1254", "1302").replace("12.5", "9.8"),
    }
    for name, other in pairs.items():
        original = WEEKLY if name == "amount" else NOTICE
        same, why = same_story(original, other)
        assert not same, f"{name}: {why}"


def store(db, url, text, **fields):
    article_id, _ = save_article(
        db, Article(url=url, title=fields.pop("title", "标题"), body=text, **fields)
    )
    return article_id, assign_story(db, article_id)


def test_near_duplicate_links_across_runs_in_either_order(tmp_path):
    path = tmp_path / "archive.db"
    text = body(*STORY)
    edited = body(*STORY[:3], *STORY[4:]) + "\n（责任编辑：某某）"
    for first, second in ((text, edited), (edited, text)):
        path.unlink(missing_ok=True)
        db = open_archive(path)
        _, s1 = store(db, "http://a.example.cn/1.html", first, published="2022-06-21")
        db.conn.close()
        db = open_archive(path)  # a later run, another process's connection
        a2, s2 = store(db, "http://b.example.cn/2.html", second, published="2022-06-22")
        assert s1 == s2
        reason = db.execute("SELECT story_reason FROM articles WHERE id = ?", [a2]).fetchone()[0]
        assert reason.startswith(NEAR)
        db.conn.close()


def test_hard_negatives_stay_separate_in_the_archive(db):
    _, s1 = store(db, "http://a.example.cn/notice1.html", NOTICE)
    _, s2 = store(db, "http://a.example.cn/notice2.html", NOTICE.replace("张三", "王五"))
    _, s3 = store(db, "http://b.example.cn/weekly.html", WEEKLY)
    _, s4 = store(db, "http://b.example.cn/weekly2.html", WEEKLY.replace("67人", "76人"))
    assert len({s1, s2, s3, s4}) == 4
    assert db.execute("SELECT count(*) FROM stories").fetchone()[0] == 4


def test_original_arriving_later_merges_two_reprint_stories(db):
    text = body(*STORY)
    original = "http://www.lnfz.cn/news/1.html"
    _, s1 = store(db, "http://x.example.cn/r1.html", "转载一：" + STORY[0], original_url=original)
    _, s2 = store(db, "http://y.example.cn/r2.html", text)
    assert s1 != s2
    orig_id, s3 = store(db, original, text)
    assert s3 == min(s1, s2)
    rows = db.execute("SELECT DISTINCT story_id FROM articles").fetchall()
    assert rows == [(s3,)]
    assert db.execute("SELECT copies, original_article_id FROM stories").fetchall() == [
        (3, orig_id)
    ]
