"""Generated articles for the archive benchmarks (bench_archive, bench_archive_writer).

Articles are generated from the demo articles (crawler/demo): sentences made of their words
(the character runs of 2 to 4 characters seen at least twice, drawn by frequency) mixed with
generated words of their characters, and one sentence in seven a real demo sentence with
names, places and figures replaced. Unrelated articles then share about as little text as
real news does (mean Jaccard of 5-character shingles 0.0015, against 0.0003 between the
eval-dev pages), while common words like 法院 and 禁毒 stay common. One article in ten is an
edited reprint of an earlier one, so the story path (link, exact and near-duplicate
matching) does real work.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from itertools import accumulate

from bench.common import LIAONING_CITIES
from crawler.demo.content import load_records
from crawler.items import Article

NAMES = list("张王李刘陈杨赵黄周吴徐孙胡朱高林何郭马罗")
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂")
PLACES = [*LIAONING_CITIES, "和平区", "沈河区", "中山区", "西岗区"]
SITES = [
    ("fzzx", "http://www.fzzx.org.cn/html/gazx/{d}/{n}.html"),
    ("lnfz", "http://www.lnfz.cn/news/{n}.html"),
    ("court", "http://www.court.example.cn/article/{d}/{n}.shtml"),
]


def sentence_pool() -> list[str]:
    """Return the sentences of the demo articles."""
    pool = []
    for record in load_records():
        for paragraph in record["paragraphs"]:
            pool += [s for s in re.split(r"(?<=[。！？])", paragraph) if len(s) > 8]
    return pool


class Vocabulary:
    """Words to write sentences with: the demo texts' own (by frequency) and generated ones."""

    def __init__(self, rng: random.Random, generated: int = 40_000) -> None:
        runs = re.findall(r"[\u4e00-\u9fff]+", "".join(sentence_pool()))
        grams = Counter(
            run[i : i + n] for run in runs for n in (2, 3, 4) for i in range(len(run) - n + 1)
        )
        self.words = [w for w, count in grams.items() if count >= 2]
        self.word_weights = list(accumulate(grams[w] for w in self.words))
        chars = Counter("".join(runs))
        letters, weights = list(chars), list(accumulate(chars.values()))
        self.novel = [
            "".join(rng.choices(letters, cum_weights=weights, k=rng.choice((2, 2, 2, 3, 4))))
            for _ in range(generated)
        ]
        self.novel_weights = list(
            accumulate(rank**-0.8 for rank in range(1, generated + 1))
        )  # Zipf-like

    def clause(self, rng: random.Random) -> str:
        count = rng.randint(3, 8)
        known = rng.choices(self.words, cum_weights=self.word_weights, k=count)
        novel = rng.choices(self.novel, cum_weights=self.novel_weights, k=count)
        return "".join(k if rng.random() < 0.5 else n for k, n in zip(known, novel, strict=True))


def person(rng: random.Random) -> str:
    return rng.choice(NAMES) + "".join(rng.choices(GIVEN, k=rng.randint(1, 2)))


def vary(sentence: str, rng: random.Random) -> str:
    """Return a sentence with its figures, places and names replaced."""
    sentence = re.sub(r"\d+", lambda m: str(rng.randint(1, 10 ** len(m.group()))), sentence)
    sentence = re.sub("|".join(PLACES[:10]), lambda _: rng.choice(PLACES), sentence)
    return sentence.replace("记者", f"记者{person(rng)}", 1)


def sentence(rng: random.Random, words: Vocabulary, pool: list[str]) -> str:
    """Return one sentence: a real demo sentence varied (one in seven) or one of 1-3 generated
    clauses."""
    if rng.random() < 1 / 7:
        return vary(rng.choice(pool), rng)
    return "，".join(words.clause(rng) for _ in range(rng.randint(1, 3))) + "。"


def generate(n: int, seed: int = 5) -> list[Article]:
    """Return n realistic articles, one in ten an edited reprint of an earlier one."""
    rng = random.Random(seed)
    pool = sentence_pool()
    words = Vocabulary(rng)
    articles: list[Article] = []
    for i in range(n):
        site, pattern = SITES[i % len(SITES)]
        day = f"2022-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        url = pattern.format(d=day.replace("-", ""), n=100000 + i)
        if articles and rng.random() < 0.1:
            base = rng.choice(articles[-2000:])
            paragraphs = base.body.split("\n")
            paragraphs.insert(
                rng.randrange(len(paragraphs) + 1), "（编者按：本文转载时略有删节。）"
            )
            articles.append(
                Article(
                    url=url,
                    site=site,
                    title=base.title,
                    published=day,
                    source=base.source,
                    body="\n".join(paragraphs),
                    original_url=base.url,
                    fetched_at=f"{day}T10:00:00+00:00",
                    status=200,
                )
            )
            continue
        paragraphs = [
            "".join(sentence(rng, words, pool) for _ in range(rng.randint(2, 5)))
            for _ in range(rng.randint(4, 10))
        ]
        title = (
            f"{rng.choice(PLACES)}"
            f"{sentence(rng, words, pool)[: rng.randint(10, 24)].rstrip('，。')}"
        )
        articles.append(
            Article(
                url=url,
                site=site,
                title=title,
                published=day,
                source=rng.choice(["辽宁长安网", "法治日报", "人民法院报", None]),
                author=person(rng),
                body="\n".join(paragraphs),
                fetched_at=f"{day}T10:00:00+00:00",
                status=200,
            )
        )
    return articles
