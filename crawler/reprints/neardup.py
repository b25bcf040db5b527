"""Near-duplicate detection for Chinese text: MinHash of character shingles, LSH bands,
and the checks that tell an edited reprint from a templated text about something else.

Pure functions; the persistent index lives in the archive (crawler/reprints/nearindex.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import NamedTuple

import numpy as np

from crawler.reprints.fingerprints import normalize_text

SHINGLE = 5  # characters per shingle: long enough that common words do not match alone
NUM_PERM = 126
BANDS = (
    42  # 42 bands of 3 rows: pairs with Jaccard 0.4 become candidates 94% of the time, 0.5 99.6%
)
ROWS = NUM_PERM // BANDS
MIN_CHARS = 40  # bodies shorter than this are matched by exact fingerprint only
_RNG = np.random.default_rng(20220621)
# Multiply-add hashing modulo 2**32, one odd multiplier and one offset per permutation
# (read-only constants). 32-bit lanes are 15 times faster than 64-bit ones in numpy, and the
# Jaccard estimate stays unbiased with the binomial spread (checked on 200 edited pairs).
_MULT = _RNG.integers(0, 2**31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
_ADD = _RNG.integers(0, 2**32, NUM_PERM, dtype=np.uint32)
_BASE = np.uint64(1_000_003)
# Band keys: the rows of a band folded with fixed odd multipliers, the band number mixed in.
_ROW_MULT = (_RNG.integers(0, 2**62, ROWS, dtype=np.uint64) << np.uint64(1)) | np.uint64(1)
_BAND_SALT = _RNG.integers(0, 2**62, BANDS, dtype=np.uint64)

SENTENCE_END = re.compile(r"(?<=[。！？；!?;])|\n")


@dataclass(frozen=True)
class Thresholds:
    """When two bodies are the same story."""

    jaccard: float = 0.5  # shingle-set resemblance of the whole bodies
    containment: float = 0.8  # share of the shorter body found in the longer one
    slot_similarity: float = 0.6  # sentences this alike but not equal are a filled-in template slot


DEFAULT = Thresholds()


class BodyPrint(NamedTuple):
    """A body's shingle hashes, MinHash signature (None when too short) and LSH band keys."""

    hashes: np.ndarray
    sig: np.ndarray | None
    keys: list[int] | None = None  # None: computed from `sig` where needed


def shingles(text: str, normalized: bool = False) -> np.ndarray:
    """Return the sorted unique 64-bit hashes of the character shingles of normalised `text`."""
    norm = text if normalized else normalize_text(text)
    codes = np.frombuffer(norm.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    if len(codes) < SHINGLE:
        return np.unique(codes.sum(keepdims=True)) if len(codes) else np.zeros(0, np.uint64)
    count = len(codes) - SHINGLE + 1
    hashes = np.zeros(count, dtype=np.uint64)
    for offset in range(SHINGLE):
        hashes = hashes * _BASE + codes[offset : offset + count]
    return sorted_unique(hashes)


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """Return the sorted distinct values: np.unique, but a sort and a mask (np.unique hashes first
    on NumPy 2: five to ten times slower)."""
    values = np.sort(values)
    return values[np.concatenate(([True], values[1:] != values[:-1]))]


def signature(hashes: np.ndarray) -> np.ndarray:
    """Return the MinHash signature (NUM_PERM uint32 values) of a shingle-hash array."""
    if not len(hashes):
        return np.full(NUM_PERM, 2**32 - 1, dtype=np.uint32)
    folded = (hashes ^ (hashes >> np.uint64(32))).astype(np.uint32)
    lanes = _MULT[:, None] * folded[None, :]
    lanes += _ADD[:, None]  # in place: one temporary array of NUM_PERM x shingles, not two
    return lanes.min(axis=1)


def body_fingerprint(body: str | None) -> tuple[np.ndarray, np.ndarray | None]:
    """Return a body's shingle hashes and MinHash signature (None when too short to index)."""
    return normalized_fingerprint(normalize_text(body or ""))


def normalized_fingerprint(norm: str) -> tuple[np.ndarray, np.ndarray | None]:
    """Return `body_fingerprint` of a body already passed through `normalize_text`."""
    hashes = shingles(norm, normalized=True)
    return hashes, (signature(hashes) if len(norm) >= MIN_CHARS else None)


def band_keys(sig: np.ndarray) -> list[int]:
    """Return one signed 32-bit key per LSH band of a signature (band number mixed in).

    32 bits keep the `lsh` table small (4 bytes a key); among a million articles' keys a
    lookup meets about 0.4 unrelated ones by chance, and the signature estimate drops them.
    """
    return band_key_array(sig).tolist()


def band_key_array(sigs: np.ndarray) -> np.ndarray:
    """Return `band_keys` as int32, of one signature or of a stack of them (shape (n, NUM_PERM) ->
    (n, BANDS))."""
    rows = sigs.reshape(*sigs.shape[:-1], BANDS, ROWS).astype(np.uint64)
    keys = (rows * _ROW_MULT).sum(axis=-1, dtype=np.uint64) ^ _BAND_SALT
    keys = keys * np.uint64(0x9E3779B97F4A7C15)  # spread the bits; the high half is the best mixed
    return (keys >> np.uint64(32)).astype(np.uint32).view(np.int32)


def resemblance(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """Return (Jaccard, containment of the smaller set) of two shingle-hash arrays."""
    if not len(a) or not len(b):
        return 0.0, 0.0
    common = len(np.intersect1d(a, b, assume_unique=True))
    return common / (len(a) + len(b) - common), common / min(len(a), len(b))


def sentences(text: str) -> list[str]:
    """Return the normalised sentences of `text`, empty ones dropped."""
    return [s for s in (normalize_text(p) for p in SENTENCE_END.split(text or "")) if len(s) >= 4]


def slot_differences(
    text_a: str, text_b: str, similarity: float = DEFAULT.slot_similarity
) -> list[tuple[str, str]]:
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


def compare(
    text_a: str, text_b: str, thresholds: Thresholds = DEFAULT, shingles_a: np.ndarray | None = None
) -> tuple[str, str]:
    """Return SAME, TEMPLATE (alike but other facts) or DIFFERENT, with the measured reason.

    Pass `shingles_a` when comparing one body with many, to hash it once.
    """
    jac, cont = resemblance(
        shingles(text_a) if shingles_a is None else shingles_a, shingles(text_b)
    )
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
