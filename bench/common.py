"""Shared helpers of the benchmarks: where the eval-dev set is, peak memory, place names."""

from __future__ import annotations

import json
import resource
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EVAL_DEV = REPO.parent / "shared" / "eval-dev"
# Place names that generated articles and notices are filled with.
LIAONING_CITIES = [
    "沈阳市",
    "大连市",
    "鞍山市",
    "抚顺市",
    "本溪市",
    "丹东市",
    "锦州市",
    "营口市",
    "阜新市",
    "辽阳市",
    "盘锦市",
    "铁岭市",
    "朝阳市",
    "葫芦岛市",
]


def eval_dev_truth() -> list[dict]:
    """Return the eval-dev truth records, or [] when the set is not next to the repo."""
    path = EVAL_DEV / "truth.jsonl"
    if not path.exists():
        return []
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def peak_rss_mb() -> float:
    """Return this process's peak resident memory in MiB.

    VmHWM from /proc belongs to this program's own address space; ru_maxrss would carry the
    parent's peak into a child started with fork+exec.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
