"""Grading a typed answer as a person would: a pure function of the reply and the accepted
answers. The rules, in the order they are tried (the README has examples):

1. The same words, setting aside case, accents, punctuation, articles, hyphens and spacing,
   British spelling, thousands separators and number words: right, exactly.
2. A hedge (`gp2 or gp3` for gp3): right only if every alternative named is right.
3. The answer's words, lined up in order with the reply's (`align`), one typo allowed in a
   word of four or more letters, an acronym for the words it stands for. Right when:
   no number differs or is missing (a unit may be left out when the number is the answer);
   no negation differs; no added word is a look-alike of an answer word (gp2/gp3, EBS/EFS) or
   another name with digits (io2); the reply did not swap an answer word for another; and the
   reply names at least 60% of the answer's key words (extra words around it are fine:
   `EC2 Capacity Blocks for ML`; a short key answer is fine: `they conflict and crash`).
4. A list answer (commas, 'and', 'or', '/'): its items in any order; partial credit for some.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ec2cards.model.text import normalise
from ec2cards.quiz.alignment import Alignment, Match, align, match_unordered, word_match
from ec2cards.quiz.answer_text import (
    DISJUNCTIONS,
    GENERIC,
    NEGATIONS,
    OPPOSITES,
    PREFIXES,
    UNITS,
    forms_of,
    is_content,
    is_identifier,
    is_number,
    items,
    words,
)

KEY_SHARE = 0.6  # of an answer's key words a shorter reply must name


def answer_form(text: str) -> str:
    """The form answers are compared in (for distractors): words as the grader reads them."""
    return " ".join(w for w in words(text) if is_content(w)) or normalise(text)


def digits(text: str) -> list[str]:
    return [w for w in words(text) if is_number(w)]


@dataclass(frozen=True)
class TypedGrade:
    correct: bool
    exact: bool
    close: bool
    score: float = 0.0  # 0..1: partial credit for a list with some of its items
    note: str = ""  # the grader's word on it: a typo forgiven, 2 of 3 items, a hedge

    def rank(self) -> tuple[bool, bool, float, bool]:
        return (self.correct, self.exact, self.score, not self.close)


WRONG = TypedGrade(False, False, False)
EXACT = TypedGrade(True, True, False, 1.0)


def refused(why: str) -> TypedGrade:
    """Wrong, and why (shown after the answer): 'another number', 'names another answer'."""
    return TypedGrade(False, False, False, 0.0, why)


def grade_typed(given: str, accepted: Sequence[str]) -> TypedGrade:
    """The best grade the reply earns against any accepted answer."""
    if not words(given):
        return WRONG
    grades = [_grade(given, form) for answer in accepted for form in forms_of(answer)]
    return max(grades, key=TypedGrade.rank, default=WRONG)


def _grade(given: str, answer: str) -> TypedGrade:
    reply, expected = words(given), words(answer)
    if not expected:
        return WRONG
    same_content = _content(expected) and _content(reply) == _content(expected)
    if same_content or "".join(reply) == "".join(expected):
        return EXACT
    is_list = len(items(answer)) > 1
    hedged = _alternatives(reply)
    if len(hedged) > 1 and not is_list and not DISJUNCTIONS & set(expected):
        verdicts = [_grade_words(alternative, expected) for alternative in hedged]
        if all(v.correct for v in verdicts):
            return TypedGrade(True, False, False, 1.0, "every alternative named is right")
        return refused("also names a wrong answer")
    # In a list every word counts as a whole; an item left out is partial credit.
    whole = _grade_words([w for w in reply if w not in DISJUNCTIONS], expected, strict=is_list)
    if whole.correct or not is_list:
        return whole
    return max(whole, _grade_list(given, answer), key=TypedGrade.rank)


def _content(sequence: list[str]) -> list[str]:
    return [w for w in sequence if is_content(w)]


def _alternatives(reply: list[str]) -> list[list[str]]:
    """'gp2 or gp3' → [gp2], [gp3]: the answers a hedging reply names."""
    found: list[list[str]] = [[]]
    for word in reply:
        if word in DISJUNCTIONS:
            found.append([])
        else:
            found[-1].append(word)
    return [alternative for alternative in found if _content(alternative)]


def _lookalike(extra: str, expected: str) -> bool:
    """A word the reply added that is another answer of the same shape (EBS for EFS)."""
    if extra == expected or is_number(extra) or is_number(expected):
        return False
    if word_match(extra, expected) is not Match.NONE:
        return False  # the same word, near enough: not a rival
    from rapidfuzz.distance import OSA

    return OSA.distance(extra, expected) <= 1 and min(len(extra), len(expected)) >= 2


def _grade_words(reply: list[str], expected: list[str], strict: bool = False) -> TypedGrade:
    """The answer's words in order first; the same words in another order second."""
    if not reply:
        return WRONG
    in_order = _judge(reply, expected, align(reply, expected), strict)
    if in_order.correct:
        return in_order
    unordered = _judge(reply, expected, match_unordered(reply, expected), strict)
    return max(in_order, unordered, key=TypedGrade.rank)


def _judge(reply: list[str], expected: list[str], aligned: Alignment, strict: bool) -> TypedGrade:
    """Weigh what the reply added and left out (the rules in the module's docstring)."""
    if not aligned.matched_expected:
        return WRONG
    extra = [w for k, w in enumerate(reply) if k not in aligned.matched_given]
    missed = [w for k, w in enumerate(expected) if k not in aligned.matched_expected]
    refusal = _refusal(reply, expected, extra, missed)
    if refusal is not None:
        return refusal
    numbers_only = _content(reply) and all(is_number(w) for w in _content(reply))
    if numbers_only and not extra:
        return TypedGrade(True, False, False, 1.0)  # the number is the answer: '16' for '16 hosts'
    left_out = [w for w in missed if is_content(w) and w not in PREFIXES | UNITS]
    if strict and left_out:
        return refused("leaves out part of the list")
    keys = [k for k, w in enumerate(expected) if is_content(w) and w not in GENERIC | UNITS]
    keys = (
        keys
        or [k for k, w in enumerate(expected) if is_content(w) and w not in {"amazon", "aws"}]
        or [k for k, w in enumerate(expected) if is_content(w)]
        or list(range(len(expected)))
    )
    named = sum(1 for k in keys if k in aligned.matched_expected)
    if named == 0 or named / len(keys) < KEY_SHARE:
        return refused("too little of the answer") if named else WRONG
    added = [w for w in extra if is_content(w) and w not in GENERIC]
    exact = not aligned.near and not added and not set(left_out) - GENERIC
    note = ""
    if aligned.near:
        note = "read as: " + ", ".join(f"{g} → {e}" for g, e in aligned.near)
    return TypedGrade(True, exact, bool(aligned.near), 1.0, note)


def _refusal(
    reply: list[str], expected: list[str], extra: list[str], missed: list[str]
) -> TypedGrade | None:
    """Why a reply that names the answer's words is still wrong, if it is."""
    if any(is_number(w) for w in extra):
        return refused("another number")
    if any(is_number(w) for w in missed):
        return refused("a number is missing")
    if NEGATIONS & set(extra + missed):
        return refused("says the opposite")
    if any(OPPOSITES.get(w) in expected and w not in expected for w in reply):
        return refused("says the opposite")
    if UNITS & set(extra) and UNITS & set(missed):
        return refused("another unit")
    rivals = [w for w in extra if is_content(w) and w not in GENERIC]
    if any(is_identifier(w) for w in rivals) or any(
        _lookalike(w, e) for w in rivals for e in expected
    ):
        return refused("names another answer")
    # A word swapped for another: 'Compute Savings Plans' for 'EC2 Instance Savings Plans'.
    # Only for a clean swap, or when the rest of the answer is there: a reply that shares none
    # of its words is plainly wrong, and 'virtualsed in place of runs' would read as a riddle.
    added = [w for w in extra if is_content(w) and w not in PREFIXES]
    dropped = [w for w in missed if is_content(w) and w not in PREFIXES | UNITS]
    kept = [w for w in expected if is_content(w) and w not in PREFIXES | UNITS and w not in missed]
    swap = len(added) == len(dropped) == 1
    if added and dropped and (kept or swap) and (set(added) - GENERIC or set(dropped) - GENERIC):
        return refused(f"{added[0]} in place of {dropped[0]}")
    return None


def _grade_list(given: str, answer: str) -> TypedGrade:
    """Items in any order; right when each answer item is named once and nothing else is."""
    wanted = [words(item) for item in items(answer)]
    named = [words(item) for item in items(given)]
    unused = list(range(len(wanted)))
    matched = exact = 0
    readings: list[str] = []  # the items' own notes: typos read through
    for item in named:
        for index in unused:
            verdict = _grade_words(item, wanted[index])
            if verdict.correct:
                unused.remove(index)
                matched += 1
                exact += verdict.exact
                readings += [verdict.note] if verdict.note else []
                break
    correct = matched == len(wanted) == len(named)
    score = matched / max(len(wanted), len(named))
    note = "; ".join(readings) if correct else f"{matched} of {len(wanted)} items"
    if not correct and len(named) > matched and matched:
        note += f", {len(named) - matched} not in the answer"
    return TypedGrade(correct, correct and exact == matched, bool(readings), score, note)
