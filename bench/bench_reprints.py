"""Reprint recognition: pairwise precision/recall of story assignment, and cost at scale.

    python bench/bench_reprints.py                 # quality on the labelled corpus
    python bench/bench_reprints.py --scale 10000   # time and peak memory to assign N articles

The corpus: real bodies (eval-dev truth bodies when ../shared/eval-dev exists, and the demo
articles), each published again as edited reprints (added note, cut or reordered paragraphs,
changed title, boilerplate), plus hard negatives: templated notices filled with other names,
dates, places and amounts, and real bodies whose figures were all changed.
"""

from __future__ import annotations

import argparse
import itertools
import random
import re
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import LIAONING_CITIES, eval_dev_truth, peak_rss_mb
from crawler.archive.ingest import assign_story
from crawler.archive.schema import open_archive, transaction
from crawler.archive.store import save_article
from crawler.demo.content import load_records
from crawler.items import Article

NOTES = ["（编者按：本文转载时略有删节。）", "【本网讯】", "本文转自微信公众号，原标题有改动。"]
BOILERPLATE = [
    "分享到：微信 微博 QQ空间",
    "扫一扫在手机打开当前页",
    "[免责声明] 本文来源于网络转载，仅供学习交流。",
]
TEMPLATES = [
    "关于{name}同志任职前公示的通告\n根据有关规定，现将{name}同志拟任职情况予以公示。\n{name}，{year}年{m}月出生，现任{place}人民法院审判员，拟任{place}人民法院副院长。\n公示期为2022年{m}月{d}日至2022年{m}月{d2}日，如有异议请向{place}委组织部反映。",
    "{place}公安局{year}年第{n}周警情通报\n本周全市公安机关共接报警情{a}起，同比下降{p}%。\n其中刑事警情{b}起，治安警情{c}起，交通警情{e}起。\n共破获刑事案件{f}起，抓获违法犯罪嫌疑人{g}人。\n警方提醒广大市民注意防范电信网络诈骗。",
    "开庭公告\n{place}人民法院定于{year}年{m}月{d}日上午9时，在本院第{n}法庭公开开庭审理原告{name}诉被告{name2}民间借贷纠纷一案，涉案金额{a}万元。\n特此公告。",
    "悬赏通告\n为尽快侦破{place}“{m}·{d}”抢劫案，现向社会公开征集线索。\n犯罪嫌疑人{name}，男，{year}年出生，身高约{b}厘米。\n对提供线索协助破案的，奖励人民币{a}元。\n联系电话：{tel}。",
    "失信被执行人名单公告\n被执行人{name}，身份证号码{tel}****，因未履行{place}人民法院作出的生效判决，拒不支付欠款{a}元，依法纳入失信被执行人名单。\n公告日期：{year}年{m}月{d}日。",
]
EDITS = ["note", "cut", "reorder", "boilerplate", "title", "excerpt"]
SHARED_ENDING = (
    "警方提示：凡是要求先垫付资金的兼职刷单都是诈骗，凡是自称公检法要求转账到“安全账户”的都是诈骗，"
    "凡是网上购物遇到自称客服主动提出退款赔偿的都是诈骗。如遇可疑情况，请立即拨打全国反诈专线96110咨询，"
    "或下载国家反诈中心APP，及时识别和防范各类电信网络诈骗，守护好自己和家人的钱袋子。"
)
NAMES = [
    "张伟",
    "王芳",
    "李强",
    "刘洋",
    "陈静",
    "杨帆",
    "赵磊",
    "黄敏",
    "周杰",
    "吴婷",
    "徐明",
    "孙丽",
]
PLACES = LIAONING_CITIES[:10]  # the ten the labelled corpus was first built with


def paragraphs_of(text: str) -> list[str]:
    return [p for p in text.split("\n") if p.strip()]


def edit(paragraphs: list[str], kind: str, rng: random.Random) -> list[str]:
    """Return a reprint's paragraphs after one editorial change."""
    out = list(paragraphs)
    if kind == "note":
        out.append(rng.choice(NOTES))
    elif kind == "cut" and len(out) > 3:
        del out[rng.randrange(1, len(out) - 1)]
    elif kind == "reorder" and len(out) > 3:
        i = rng.randrange(1, len(out) - 2)
        out[i], out[i + 1] = out[i + 1], out[i]
    elif kind == "excerpt" and len(out) > 4:
        out = out[: len(out) * 2 // 3]
    elif kind == "boilerplate":
        out = [rng.choice(BOILERPLATE)] + out + [rng.choice(BOILERPLATE)]
    return out


# The numbers a template asks for, each drawn from its range (dates, counts and amounts, a phone).
DATES = {"year": (1970, 2023), "m": (1, 12), "d": (1, 20), "d2": (21, 28)}
COUNTS = {"n": (1, 52), "a": (100, 99999), "b": (10, 999), "c": (10, 999), "e": (10, 999)}
OTHERS = {"f": (1, 99), "g": (1, 99), "p": (1, 30), "tel": (10**9, 10**10)}


def fill(template: str, rng: random.Random) -> str:
    """Return the template with two names, a place and its numbers drawn from `rng`."""
    name, name2 = rng.sample(NAMES, 2)
    place = rng.choice(PLACES)
    numbers = {
        key: rng.randint(low, high) for key, (low, high) in {**DATES, **COUNTS, **OTHERS}.items()
    }
    return template.format(name=name, name2=name2, place=place, **numbers)


def refigure(text: str, rng: random.Random) -> str:
    """Return `text` with every number changed: the same template telling other facts.

    Used on bodies with figures in at least three paragraphs, like the weekly reports and
    notices it stands for, whose facts differ all through the text.
    """
    return re.sub(r"\d+", lambda m: str(int(m.group()) + rng.randint(1, 9)), text)


def base_bodies() -> list[tuple[str, str]]:
    """Return (title, body) of real articles: eval-dev truth bodies and the demo originals."""
    bodies = [(t["title"], t["body"]) for t in eval_dev_truth() if t.get("kind") == "article"]
    bodies += [(r["title"], "\n".join(r["paragraphs"])) for r in load_records()]
    return bodies


def corpus(seed: int) -> list[tuple[Article, int]]:
    """Return labelled articles: (article, story label)."""
    rng = random.Random(seed)
    items: list[tuple[Article, int]] = []
    label = itertools.count()
    for n, (title, body) in enumerate(base_bodies()):
        story = next(label)
        items.append(
            (Article(url=f"http://origin.example.cn/{n}.html", title=title, body=body), story)
        )
        if n % 4 == 0:  # unrelated stories that end with the same long standard paragraph
            body = body + "\n" + SHARED_ENDING
            items[-1][0].body = body
        for k in range(3):
            kinds = rng.sample(EDITS, rng.randint(1, 2))
            paragraphs = paragraphs_of(body)
            for kind in kinds:
                paragraphs = edit(paragraphs, kind, rng)
            text = "\n".join(paragraphs)
            new_title = title + "（转载）" if "title" in kinds else title
            items.append(
                (
                    Article(url=f"http://copy{k}.example.cn/{n}.html", title=new_title, body=text),
                    story,
                )
            )
        if sum(bool(re.search(r"\d", p)) for p in paragraphs_of(body)) >= 3:
            items.append(
                (
                    Article(
                        url=f"http://other.example.cn/{n}.html",
                        title=title,
                        body=refigure(body, rng),
                    ),
                    next(label),
                )
            )
    for t, template in enumerate(TEMPLATES):
        for k in range(10):
            items.append(
                (
                    Article(
                        url=f"http://notice.example.cn/{t}/{k}.html",
                        title="公告",
                        body=fill(template, rng),
                    ),
                    next(label),
                )
            )
    rng.shuffle(items)
    return items


def pairwise(labels: list[int], predicted: list[int]) -> tuple[float, float, int, int]:
    """Return precision, recall, predicted pairs and true pairs of a clustering."""

    def pairs(groups: list[int]) -> set[tuple[int, int]]:
        by: dict[int, list[int]] = {}
        for i, g in enumerate(groups):
            by.setdefault(g, []).append(i)
        return {p for members in by.values() for p in itertools.combinations(members, 2)}

    true, pred = pairs(labels), pairs(predicted)
    hit = len(true & pred)
    return hit / max(len(pred), 1), hit / max(len(true), 1), len(pred), len(true)


def assign_all(db_path: Path, articles: Iterable[Article], batch: int = 200) -> list[int]:
    """Store and assign every article, committing every `batch` articles as a bulk import does."""
    db = open_archive(db_path)
    ids = []
    stream = iter(articles)
    while chunk := list(itertools.islice(stream, batch)):
        with transaction(db):
            for article in chunk:
                article_id, _ = save_article(db, article)
                assign_story(db, article_id)
                ids.append(article_id)
    story_of = dict(db.execute("SELECT id, story_id FROM articles").fetchall())
    db.conn.close()
    return [story_of[a] for a in ids]


def quality(seed: int) -> None:
    items = corpus(seed)
    with tempfile.TemporaryDirectory() as tmp:
        predicted = assign_all(Path(tmp) / "bench.db", [a for a, _ in items])
    p, r, npred, ntrue = pairwise([lab for _, lab in items], predicted)
    print(
        f"corpus: {len(items)} articles, {len(set(lab for _, lab in items))} stories, "
        f"{ntrue} true pairs"
    )
    print(f"pairwise precision {p:.4f}  recall {r:.4f}  (predicted pairs {npred})")


def synthetic(n: int, seed: int = 11) -> Iterator[Article]:
    """Yield n articles of random Chinese text, a third of them edited copies of recent ones.

    Only a bounded pool of recent bodies is kept, so memory measures the assigner, not the corpus.
    """
    rng = random.Random(seed)
    chars = [chr(c) for c in range(0x4E00, 0x4E00 + 3500)]
    pool: list[str] = []
    for i in range(n):
        if pool and i % 3 == 2:
            base = pool[rng.randrange(len(pool))]
            body = "\n".join(edit(paragraphs_of(base), rng.choice(["note", "cut", "reorder"]), rng))
        else:
            body = "\n".join(
                "".join(rng.choices(chars, k=rng.randint(60, 200))) + "。"
                for _ in range(rng.randint(4, 10))
            )
            pool = pool[-999:] + [body]
        yield Article(url=f"http://s{i % 50}.example.cn/{i}.html", title=f"t{i}", body=body)


def scale(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        assign_all(Path(tmp) / "scale.db", synthetic(n))
        elapsed = time.perf_counter() - start
    print(
        f"assigned {n} articles in {elapsed:.1f} s ({n / elapsed:.0f} articles/s), "
        f"peak RSS {peak_rss_mb():.0f} MiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7, help="seed of the corpus edits")
    parser.add_argument(
        "--scale", type=int, help="assign N synthetic articles and report time and memory"
    )
    args = parser.parse_args()
    scale(args.scale) if args.scale else quality(args.seed)


if __name__ == "__main__":
    main()
