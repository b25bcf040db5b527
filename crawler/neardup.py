"""Near-duplicate detection for Chinese text: MinHash of character shingles, LSH bands,
and the checks that tell an edited reprint from a templated text about something else.

Pure functions; the persistent index lives in the archive (crawler/archive/nearindex.py).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from difflib import SequenceMatcher

import numpy as np

from crawler.dedup import normalize_text

SHINGLE = 5  # characters per shingle: long enough that common words do not match alone
NUM_PERM = 128
BANDS = 32  # 32 bands of 4 rows: pairs with Jaccard 0.5 become candidates 87% of the time, 0.6 99%
ROWS = NUM_PERM // BANDS
MIN_CHARS = 40  # bodies shorter than this are matched by exact fingerprint only
_RNG = np.random.default_rng(20220621)
# Multiply-shift hashing: one odd multiplier and one offset per permutation (read-only constants).
_MULT = (_RNG.integers(1, 2**63, NUM_PERM, dtype=np.uint64) << np.uint64(1)) | np.uint64(1)
_ADD = _RNG.integers(0, 2**63, NUM_PERM, dtype=np.uint64)
_BASE = np.uint64(1_000_003)

SENTENCE_END = re.compile(r"(?<=[。！？；!?;])|\n")
DIGIT = re.compile(r"[0-9零〇一二三四五六七八九十百千万亿]")


@dataclass(frozen=True)
class Thresholds:
    """When two bodies are the same story."""

    jaccard: float = 0.5  # shingle-set resemblance of the whole bodies
    containment: float = 0.8  # share of the shorter body found in the longer one
    slot_similarity: float = 0.6  # sentences this alike but not equal are a filled-in template slot


DEFAULT = Thresholds()


def shingles(text: str) -> np.ndarray:
    """Return the sorted unique 64-bit hashes of the character shingles of normalised `text`."""
    norm = normalize_text(text)
    codes = np.frombuffer(norm.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    if len(codes) < SHINGLE:
        return np.unique(codes.sum(keepdims=True)) if len(codes) else np.zeros(0, np.uint64)
    count = len(codes) - SHINGLE + 1
    hashes = np.zeros(count, dtype=np.uint64)
    for offset in range(SHINGLE):
        hashes = hashes * _BASE + codes[offset : offset + count]
    return np.unique(hashes)


def signature(hashes: np.ndarray) -> np.ndarray:
    """Return the MinHash signature (NUM_PERM uint32 values) of a shingle-hash array."""
    if not len(hashes):
        return np.full(NUM_PERM, 2**32 - 1, dtype=np.uint32)
    mixed = (_MULT[:, None] * hashes[None, :] + _ADD[:, None]) >> np.uint64(32)
    return mixed.min(axis=1).astype(np.uint32)


def band_keys(sig: np.ndarray) -> list[int]:
    """Return one signed 64-bit key per LSH band of a signature (band number mixed in)."""
    keys = []
    for band in range(BANDS):
        chunk = sig[band * ROWS : (band + 1) * ROWS].tobytes()
        digest = hashlib.blake2b(chunk, digest_size=8, key=band.to_bytes(2, "big")).digest()
        keys.append(int.from_bytes(digest, "big", signed=True))
    return keys


def indexable(text: str | None) -> bool:
    """Return True when a body is long enough for near-duplicate matching."""
    return len(normalize_text(text or "")) >= MIN_CHARS


def resemblance(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """Return (Jaccard, containment of the smaller set) of two shingle-hash arrays."""
    if not len(a) or not len(b):
        return 0.0, 0.0
    common = len(np.intersect1d(a, b, assume_unique=True))
    return common / (len(a) + len(b) - common), common / min(len(a), len(b))


def sentences(text: str) -> list[str]:
    """Return the normalised sentences of `text`, empty ones dropped."""
    return [s for s in (normalize_text(p) for p in SENTENCE_END.split(text or "")) if len(s) >= 4]


def slot_differences(text_a: str, text_b: str, similarity: float = DEFAULT.slot_similarity) -> list[tuple[str, str]]:
    """Return pairs of sentences that are alike but not equal: a template filled in differently.

    Reprint edits add, cut or move whole sentences; templated notices (通报, 公告)
    keep the sentences and change a name, date, place or amount inside them.
    """
    sents_a, sents_b = dict.fromkeys(sentences(text_a)), dict.fromkeys(sentences(text_b))
    only_a = [s for s in sents_a if s not in sents_b]
    only_b = [s for s in sents_b if s not in sents_a]
    pairs = []
    for sa in only_a:
        for sb in only_b:
            if abs(len(sa) - len(sb)) > max(len(sa), len(sb)) * 0.4:
                continue
            matcher = SequenceMatcher(None, sa, sb, autojunk=False)
            if matcher.real_quick_ratio() >= similarity and matcher.ratio() >= similarity:
                pairs.append((sa, sb))
                break
    return pairs


SAME, TEMPLATE, DIFFERENT = "same", "template", "different"


def compare(text_a: str, text_b: str, thresholds: Thresholds = DEFAULT) -> tuple[str, str]:
    """Return SAME, TEMPLATE (alike but other facts) or DIFFERENT, with the measured reason."""
    jac, cont = resemblance(shingles(text_a), shingles(text_b))
    if jac < thresholds.jaccard and cont < thresholds.containment:
        return DIFFERENT, f"different text (jaccard {jac:.2f}, containment {cont:.2f})"
    slots = slot_differences(text_a, text_b, thresholds.slot_similarity)
    if slots:
        return TEMPLATE, f"templated text with {len(slots)} changed slot(s) (jaccard {jac:.2f})"
    return SAME, f"near-duplicate (jaccard {jac:.2f}, containment {cont:.2f})"


def same_story(text_a: str, text_b: str, thresholds: Thresholds = DEFAULT) -> tuple[bool, str]:
    """Return whether two bodies tell the same story, and the measured reason."""
    verdict, reason = compare(text_a, text_b, thresholds)
    return verdict == SAME, reason
