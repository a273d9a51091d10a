"""Similar work: per kata, the pairs of submissions whose code is near-identical once names,
layout, comments and string contents are set aside and the stub's own text is left out.

copydetect does the work, as MOSS does it (winnowing, Schleimer, Wilkerson and Aiken, 2003): it
tokenizes each file (names become V, functions F, strings S; whitespace and comments go),
fingerprints its k-grams, drops the fingerprints of the stub (its boilerplate option), and for a
pair measures the share of each file's own code found in the other, and where it is. Two things
are ours: the k-grams are hashed with BLAKE2 rather than Python's hash(), which changes from run
to run, so a class gives the same pairs and the same report every time; and, like MOSS's `-m`,
a passage found in more than COMMON submissions of a kata counts as common (a natural way to
write it, or something handed out), not as anyone's own code, so a short kata that most of a
class writes alike flags nobody.

Tokenizing is the slow part (about 10 ms a file here), so a file's tokens are kept beside its
code in the batch's folder (see ``Kept``) and never computed twice.
"""

from __future__ import annotations

import hashlib
import itertools
from collections import defaultdict
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any

import numpy as np

from grader.class_model import COMMON_PASSAGE, SIMILAR_SHARE, SimilarPair
from grader.model import without_controls

K = 25  # copydetect's noise threshold: k-grams of 25 characters of tokenized code
THRESHOLD = SIMILAR_SHARE
MIN_OWN = 50  # characters of tokenized own code below which a file is not compared (a few lines)
COMMON = COMMON_PASSAGE
MAX_CODE = 200_000  # characters of a file compared; a kata file is a few thousand


@dataclass(frozen=True)
class Kept:
    """A kata file as the batch keeps it: its code, and once computed, copydetect's tokens (the
    filtered code and the offsets that map it back to the code)."""

    code: str
    filtered: str | None = None
    offsets: tuple[tuple[int, int], ...] = ()

    @classmethod
    def of(cls, code: str) -> Kept:
        """A file's code as kept: at most MAX_CODE characters, and none that acts on a page or a
        terminal when the evidence is shown (so the places found index what is shown)."""
        return cls(without_controls(code[:MAX_CODE]))

    def tokenized(self) -> Kept:
        if self.filtered is not None:
            return self
        filtered, offsets = tokenize(self.code)
        return Kept(self.code, filtered, offsets)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"code": self.code}
        if self.filtered is not None:
            data["filtered"] = self.filtered
            data["offsets"] = [list(pair) for pair in self.offsets]
            data["tokens_of"] = _digest(self.code)
        return data

    @classmethod
    def from_dict(cls, data: Any) -> Kept:
        """ValueError for anything but what to_dict writes (a shard folder may hold anything)."""
        if not isinstance(data, dict) or not isinstance(data.get("code"), str):
            raise ValueError("not a kept kata file")
        filtered = data.get("filtered")
        if (filtered is None or cls.of(data["code"]).code != data["code"]
                or data.get("tokens_of") != _digest(data["code"])):  # tokens of other code: redone
            return cls.of(data["code"])
        offsets = data.get("offsets")
        if (not isinstance(filtered, str) or not isinstance(offsets, list)
                or not all(isinstance(pair, list) and len(pair) == 2
                           and all(_is_offset(n, len(data["code"])) for n in pair) for pair in offsets)):
            raise ValueError("not a kept kata file")
        return cls(data["code"], filtered, tuple((a, b) for a, b in offsets))


def _is_offset(number: Any, length: int) -> bool:
    """A number copydetect's filter_code writes in its offsets: -1 to the code's length. It writes
    -1 as the filtered index of whatever comes before the first token (a file that opens with a
    comment, a blank line or indentation), so -1 is as much its own as 0."""
    return isinstance(number, int) and not isinstance(number, bool) and -1 <= number <= length


def _digest(code: str) -> str:
    return hashlib.sha256(code.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def tokenize(code: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """copydetect's tokenizing and filtering of Python code: (filtered code, offsets)."""
    from copydetect.utils import filter_code

    filtered, offsets = filter_code(code, "kata.py", language="python")
    return filtered, tuple((int(a), int(b)) for a, b in np.asarray(offsets).reshape(-1, 2))


def _kgram_hashes(filtered: str) -> np.ndarray:
    """Every k-gram's hash, stable across runs (copydetect's hashed_kgrams uses hash())."""
    data = filtered.encode("utf-8", "surrogatepass")
    text = filtered
    if len(data) != len(text):  # not ASCII: hash the characters' k-grams one by one
        grams = (text[i:i + K].encode("utf-8", "surrogatepass") for i in range(len(text) - K + 1))
    else:
        grams = (data[i:i + K] for i in range(len(data) - K + 1))
    return np.fromiter((int.from_bytes(hashlib.blake2b(gram, digest_size=8).digest(), "little", signed=True)
                        for gram in grams), dtype=np.int64)


@dataclass
class _Fingerprint:
    """What copydetect.compare_files reads of a CodeFingerprint."""

    k: int
    hashes: set[int]
    hash_idx: dict[int, list[int]]
    filtered_code: str
    offsets: np.ndarray
    token_coverage: float

    def without(self, dropped: set[int]) -> _Fingerprint:
        from copydetect.utils import get_token_coverage

        kept = {value: places for value, places in self.hash_idx.items() if value not in dropped}
        return _Fingerprint(self.k, set(kept), kept, self.filtered_code, self.offsets,
                            float(get_token_coverage(kept, self.k, len(self.filtered_code))))


def fingerprint(kept: Kept, boilerplate: AbstractSet[int] = frozenset()) -> _Fingerprint:
    """copydetect's CodeFingerprint of a tokenized file (every k-gram kept: its winnowing window
    is 1 at the default thresholds), less the boilerplate's fingerprints."""
    from copydetect.utils import get_token_coverage

    kept = kept.tokenized()
    filtered = kept.filtered or ""
    hash_idx: dict[int, list[int]] = {}
    for place, value in enumerate(_kgram_hashes(filtered).tolist()):
        if value not in boilerplate:
            hash_idx.setdefault(value, []).append(place)
    offsets = np.array(kept.offsets, dtype=np.int64).reshape(-1, 2) if kept.offsets else np.array([])
    return _Fingerprint(K, set(hash_idx), hash_idx, filtered, offsets,
                        float(get_token_coverage(hash_idx, K, len(filtered))))


def _spans(slices: Any) -> tuple[tuple[int, int], ...]:
    slices = np.asarray(slices)
    if slices.ndim != 2 or slices.shape[1] == 0:
        return ()
    return tuple((int(start), int(end)) for start, end in zip(slices[0], slices[1], strict=True))


def _without_stub_lines(code: str, spans: tuple[tuple[int, int], ...],
                        stub_lines: set[str]) -> tuple[tuple[int, int], ...]:
    """The spans less the lines that are the stub's own (its docstring, say): copydetect counts a
    string as one token, but its span covers the whole string, and the evidence shown should be
    the learner's own code."""
    if not stub_lines:
        return spans
    kept, start = [], 0
    for line in code.splitlines(keepends=True):
        end = start + len(line)
        if line.strip() and line.strip() not in stub_lines:
            for first, last in spans:
                low, high = max(first, start), min(last, end)
                if low < high:
                    kept.append((low, high))
        start = end
    merged: list[tuple[int, int]] = []
    for low, high in kept:
        if merged and low <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return tuple(merged)


def find_similar(work: dict[str, dict[str, Kept]], stubs: dict[str, str], kata_ids: list[str], *,
                 threshold: float = THRESHOLD, min_own: float = MIN_OWN,
                 common: int = COMMON) -> list[SimilarPair]:
    """Every pair of submissions whose files of one kata are near-identical: each one's own code
    (not the stub's, not common) at least ``threshold`` found in the other, and at least
    ``min_own`` characters of it. ``work`` maps a submission id to its kept files (Kept.of) by kata id;
    ``stubs`` holds each kata's stub. Sorted by kata (in kata_ids' order), most alike first."""
    from copydetect import compare_files

    pairs: list[SimilarPair] = []
    for kata_id in kata_ids:
        stub = stubs.get(kata_id)
        boilerplate = set(fingerprint(Kept.of(stub)).hashes) if stub else set()
        stub_lines = {line.strip() for line in Kept.of(stub).code.splitlines()} - {""} if stub else set()
        prints = {submission: fingerprint(files[kata_id], boilerplate)
                  for submission, files in sorted(work.items()) if kata_id in files}
        holders: dict[int, list[str]] = defaultdict(list)
        for submission, found in prints.items():
            for value in found.hashes:
                holders[value].append(submission)
        common_hashes = {value for value, who in holders.items() if len(who) > common}
        if common_hashes:
            prints = {submission: found.without(common_hashes) for submission, found in prints.items()}
        prints = {submission: found for submission, found in prints.items()
                  if found.token_coverage >= min_own}
        shared: dict[tuple[str, str], int] = defaultdict(int)
        for value, who in holders.items():
            if value in common_hashes:
                continue
            for first, second in itertools.combinations(sorted(w for w in who if w in prints), 2):
                shared[first, second] += 1
        for (first, second), count in sorted(shared.items()):
            smaller = min(len(prints[first].hashes), len(prints[second].hashes))
            if count < threshold * smaller / 2:  # far from alike: not worth comparing in full
                continue
            _, (share_first, share_second), (slices_first, slices_second) = compare_files(
                prints[first], prints[second])
            if min(share_first, share_second) < threshold:
                continue
            code_first, code_second = work[first][kata_id].code, work[second][kata_id].code
            pairs.append(SimilarPair(
                kata=kata_id, first=first, second=second,
                share_first=round(min(float(share_first), 1.0), 4),
                share_second=round(min(float(share_second), 1.0), 4),
                code_first=code_first, code_second=code_second,
                spans_first=_without_stub_lines(code_first, _spans(slices_first), stub_lines),
                spans_second=_without_stub_lines(code_second, _spans(slices_second), stub_lines)))
    order = {kata_id: number for number, kata_id in enumerate(kata_ids)}
    return sorted(pairs, key=lambda pair: (order[pair.kata], -pair.similarity, pair.first, pair.second))
