"""Lining up the words of a reply with the words of an answer: which match (exactly, or near
enough), which the reply added and which it left out. The grader then weighs those."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from functools import lru_cache

from ec2cards.quiz.answer_text import is_content, is_identifier, is_number
from ec2cards.quiz.units import NEAR_UNITS

_NEGATIONS = frozenset({"not", "never", "no"})  # 'never stores it' is 'does not keep it'
# Words that say the same: 'one' and 'single', 'each' and 'per', 'zero' and 'no'.
_SAME = ({"1", "single"}, {"each", "per"}, {"0", "no"}, {"0", "none"})
TYPO_MIN_LETTERS = 4  # a word this long may carry one typo (kernal); shorter ones may not (EBS)
ACRONYM_LETTERS = range(2, 7)


class Match(IntEnum):
    NONE = 0
    CLOSE = 1
    EXACT = 2


@lru_cache(maxsize=65536)
def word_match(given: str, expected: str) -> Match:
    """Two words: the same, the same up to a plural, or near (one typo in a long plain word,
    a decimal for a binary unit). Names with digits (gp2, c5n) and numbers match only exactly."""
    pair = {given, expected}
    if given == expected or pair in _SAME or pair <= _NEGATIONS:
        return Match.EXACT
    if is_number(given) or is_number(expected) or _atom(given) or _atom(expected):
        return Match.NONE  # numbers, paths and file names match only exactly
    shorter, longer = sorted((given, expected), key=len)
    if len(shorter) >= 3 and longer in (shorter + "s", shorter + "es"):
        return Match.EXACT
    if len(shorter) >= 4 and longer == shorter + "er":
        return Match.CLOSE  # 'higher' for high, 'faster' for fast
    if NEAR_UNITS.get(given, given) == NEAR_UNITS.get(expected, expected):
        return Match.CLOSE
    if is_identifier(given) or is_identifier(expected):
        return Match.NONE
    if min(len(given), len(expected)) < TYPO_MIN_LETTERS:
        return Match.NONE
    if _same_stem(given, expected) or _gerund(shorter, longer):
        return Match.CLOSE  # hibernation for hibernate, ordering for order
    from rapidfuzz.distance import OSA

    return Match.CLOSE if OSA.distance(given, expected) <= 1 else Match.NONE


def _gerund(shorter: str, longer: str) -> bool:
    """'ordering' for 'order', 'terminating' for 'terminate': a verb of five letters or more
    and its -ing form ('stopping' and 'stop' stay apart: an instance state is not an action)."""
    return len(shorter) >= 5 and longer in (shorter + "ing", shorter[:-1] + "ing")


def _atom(word: str) -> bool:
    return any(ch in "/._~" for ch in word)


def _stems(word: str) -> dict[str, str]:
    """A word's possible stems, each with the ending it had."""
    return {
        word[: -len(suffix)]: suffix
        for suffix in ("ation", "ion", "ure", "ing", "ed", "e")
        if word.endswith(suffix) and len(word) - len(suffix) >= TYPO_MIN_LETTERS
    }


def _same_stem(one: str, other: str) -> bool:
    """A verb and its noun share a stem (hibernate, hibernation; failing, failure; encrypted,
    encryption); -ed and -ing are kept apart, for instance states differ by them (stopping,
    stopped)."""
    first, second = _stems(one), _stems(other)
    return any(
        {first[stem], second[stem]} != {"ed", "ing"} for stem in first.keys() & second.keys()
    )


def _joined_match(parts: list[str], word: str) -> Match:
    match = word_match("".join(parts), word)
    if match is Match.CLOSE and min(len(part) for part in parts) < 3:
        return Match.NONE
    return match


def is_acronym_of(short: str, long: tuple[str, ...]) -> bool:
    """'eni' for elastic network interface: every long word a content word giving its first
    letter, or all of it when it is an acronym of two letters itself ('sriov' for single
    root io virtualization)."""
    if not (short.isalpha() and len(short) in ACRONYM_LETTERS and 2 <= len(long) <= len(short)):
        return False
    if not all(is_content(word) and word[0].isalpha() for word in long):
        return False
    return short in _initials(long)


def _initials(long: tuple[str, ...]) -> set[str]:
    """Every way the words can be abbreviated: each by its first letter, a two-letter word
    by itself or its first letter."""
    found = {""}
    for word in long:
        parts = {word[0], word} if len(word) == 2 else {word[0]}
        found = {done + part for done in found for part in parts}
    return found


@dataclass
class Alignment:
    matched_given: set[int] = field(default_factory=set)
    matched_expected: set[int] = field(default_factory=set)
    near: list[tuple[str, str]] = field(default_factory=list)  # (given, expected) word pairs


def _weight(word: str) -> float:
    return 1.0 if is_content(word) else 0.1


def align(given: list[str], expected: list[str]) -> Alignment:
    """The best order-keeping pairing of the two word lists: one word with one, two run
    together with one ('para virtualization'), an acronym with the words it stands for."""
    n, m = len(given), len(expected)
    # best[i][j]: (value, move) for given[i:], expected[j:]; a move is (gi, ej, match).
    best: list[list[tuple[float, tuple[int, int, Match]]]] = [
        [(0.0, (0, 0, Match.NONE))] * (m + 1) for _ in range(n + 1)
    ]
    for i in range(n, -1, -1):
        for j in range(m, -1, -1):
            if i == n and j == m:
                continue
            options: list[tuple[float, tuple[int, int, Match]]] = []
            if i < n:
                options.append((best[i + 1][j][0], (1, 0, Match.NONE)))
            if j < m:
                options.append((best[i][j + 1][0], (0, 1, Match.NONE)))
            for step_given, step_expected, match in _pairings(given, expected, i, j):
                gained = sum(_weight(w) for w in expected[j : j + step_expected])
                value = gained - (0.01 if match is Match.CLOSE else 0.0)
                options.append(
                    (
                        value + best[i + step_given][j + step_expected][0],
                        (step_given, step_expected, match),
                    )
                )
            best[i][j] = max(options, key=lambda option: option[0])
    alignment = Alignment()
    i = j = 0
    while i < n or j < m:
        step_given, step_expected, match = best[i][j][1]
        if match is not Match.NONE:
            alignment.matched_given.update(range(i, i + step_given))
            alignment.matched_expected.update(range(j, j + step_expected))
            if match is Match.CLOSE:
                pair = (
                    " ".join(given[i : i + step_given]),
                    " ".join(expected[j : j + step_expected]),
                )
                alignment.near.append(pair)
        i, j = i + step_given, j + step_expected
    return alignment


def match_unordered(given: list[str], expected: list[str]) -> Alignment:
    """The same words in any order ('copy it and enable encryption' for 'copy it with
    encryption enabled'): each reply word with the first free answer word it matches."""
    alignment = Alignment()
    for i, word in enumerate(given):
        ranked = sorted(
            (
                (word_match(word, other), j)
                for j, other in enumerate(expected)
                if j not in alignment.matched_expected
            ),
            key=lambda pair: (-pair[0], pair[1]),
        )
        if ranked and ranked[0][0] is not Match.NONE:
            match, j = ranked[0]
            alignment.matched_given.add(i)
            alignment.matched_expected.add(j)
            if match is Match.CLOSE:
                alignment.near.append((word, expected[j]))
    return alignment


def _pairings(
    given: list[str], expected: list[str], i: int, j: int
) -> list[tuple[int, int, Match]]:
    found: list[tuple[int, int, Match]] = []
    if i < len(given) and j < len(expected):
        match = word_match(given[i], expected[j])
        if match:
            found.append((1, 1, match))
        # Words run together: 'para virtualization', 'dollar-per-hour' for 'dollar per hour'.
        # A typo is read through only when every word joined has three letters or more:
        # 'root' is not 'root i'.
        for size in (2, 3):
            if i + size <= len(given):
                joined = _joined_match(given[i : i + size], expected[j])
                if joined:
                    found.append((size, 1, joined))
            if j + size <= len(expected):
                joined = _joined_match(expected[j : j + size], given[i])
                if joined:
                    found.append((1, size, joined))
        for size in range(2, len(given[i]) + 1):
            if j + size <= len(expected) and is_acronym_of(given[i], tuple(expected[j : j + size])):
                found.append((1, size, Match.EXACT))
        for size in range(2, len(expected[j]) + 1):
            if i + size <= len(given) and is_acronym_of(expected[j], tuple(given[i : i + size])):
                found.append((size, 1, Match.EXACT))
    return found
