"""Grading a typed answer as a person would: a pure function of the reply and the accepted
answers. The rules, in the order they are tried (the README has examples):

0. For the whole card: a quantity the reply gives ('64 GiB') must equal one of the card's of
   its kind, in any unit of the table (`units.py`); a rival of a distinguishing word the
   card's answers use ('customer managed' for AWS managed, 'false' for true) is wrong.
1. The same words, setting aside case, accents, punctuation, articles, hyphens and spacing,
   British spelling, thousands separators, number words and the domain's synonyms
   (`thesaurus.py`): right, exactly. Paths, URLs and file names are one word each.
2. A hedge (`gp2 or gp3` for gp3): right only if every alternative named is right.
3. The answer's words, lined up in order with the reply's (`align`), one typo allowed in a
   word of four or more letters, an acronym for the words it stands for. Right when:
   no number differs or is missing (a unit may be left out when the number is the answer);
   no negation differs; no added word is a look-alike of an answer word (gp2/gp3, EBS/EFS) or
   another name with digits (io2); no distinguishing word is left out for its rival
   ('one physical core' for one thread of a core); the reply did not swap an answer word for
   another; and the reply names at least 60% of the answer's key words (extra words around
   it are fine: `EC2 Capacity Blocks for ML`; a short key answer is fine: `they conflict
   and crash`).
4. A list answer (commas, 'and', 'or', '/', but not a sentence: 'By rule number, lowest
   first'): its items in any order; partial credit for some; any item it does not have
   makes the reply wrong.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from ec2cards.model.text import normalise
from ec2cards.quiz.alignment import Alignment, Match, align, match_unordered, word_match
from ec2cards.quiz.answer_text import (
    CARD_RIVALS,
    DISJUNCTIONS,
    GENERIC,
    NEGATIONS,
    OPPOSITES,
    PREFIXES,
    RIVALS,
    UNITS,
    forms_of,
    is_content,
    is_identifier,
    is_list,
    is_number,
    items,
    words,
)
from ec2cards.quiz.units import quantities, restated, unit_clash

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
    alternative: bool = False  # right by another accepted answer than the card's own

    def rank(self) -> tuple[bool, bool, float, bool, bool]:
        return (self.correct, self.exact, self.score, not self.close, not self.alternative)


WRONG = TypedGrade(False, False, False)
EXACT = TypedGrade(True, True, False, 1.0)


def refused(why: str) -> TypedGrade:
    """Wrong, and why (shown after the answer): 'another number', 'names another answer'."""
    return TypedGrade(False, False, False, 0.0, why)


def grade_typed(given: str, accepted: Sequence[str]) -> TypedGrade:
    """The best grade the reply earns against any accepted answer. A quantity the reply gives
    must equal one of the card's of its kind ('64 GiB' is wrong for 64 TiB though the card
    accepts a bare 64); one in other units is restated ('24 months' for 2 years)."""
    reply = words(given)
    if not reply:
        return _symbols(given, accepted)
    forms = _forms(accepted)
    own = set(forms_of(accepted[0])) if accepted else set()
    card_quantities = [q for form in forms for q in quantities(words(form))]
    clash = unit_clash(quantities(reply), card_quantities)
    if clash is not None:
        numbers = {q.number for q in card_quantities if q.dimension == clash.dimension}
        return refused("another unit" if clash.number in numbers else "another amount")
    exclusive = bool(accepted) and is_list(accepted[0]) and is_list(given)
    rival = _card_rival(reply, forms)
    if rival is not None:
        return refused(rival)
    grades = [
        replace(grade, alternative=form not in own) if grade.correct else grade
        for form in forms
        for grade in [_grade(given, form, exclusive)]
    ]
    return max(grades, key=TypedGrade.rank, default=WRONG)


def _forms(accepted: Sequence[str]) -> list[str]:
    """Every accepted answer and what it also means, without the ones that only repeat a list
    without its commas ('default dedicated host'): read as one answer, two of its three items
    would pass for the whole list."""
    forms = [form for answer in accepted for form in forms_of(answer)]
    lists = [sorted(_content(words(form))) for form in forms if is_list(form)]
    return [
        form
        for form in forms
        if is_list(form) or len(lists) == 0 or sorted(_content(words(form))) not in lists
    ]


def _symbols(given: str, accepted: Sequence[str]) -> TypedGrade:
    """A reply of signs only ('#!', '/'): right when an accepted answer is those signs."""
    signs = "".join(given.split()).strip("`")
    for answer in accepted:
        for form in forms_of(answer):
            if signs and not words(form) and "".join(form.split()).strip("`") == signs:
                return EXACT
    return WRONG


def _grade(given: str, answer: str, exclusive: bool = False) -> TypedGrade:
    """One accepted answer; `exclusive`: the reply lists items for a card whose answer is a
    list, so a word beyond this answer is an item too many ('network, EBS and storage')."""
    expected = words(answer)
    if not expected:
        return WRONG
    reply = restated(words(given), expected)
    same_content = _content(expected) and _content(reply) == _content(expected)
    if same_content or "".join(reply) == "".join(expected):
        return EXACT
    listed = is_list(answer)
    hedged = _alternatives(reply)
    if len(hedged) > 1 and not listed and not DISJUNCTIONS & set(expected):
        verdicts = [_grade_words(alternative, expected) for alternative in hedged]
        if all(v.correct for v in verdicts):
            return TypedGrade(True, False, False, 1.0, "every alternative named is right")
        return refused("also names a wrong answer")
    # In a list every word counts as a whole; an item left out is partial credit.
    named = [w for w in reply if w not in DISJUNCTIONS]
    whole = _grade_words(named, expected, strict=listed, exclusive=exclusive)
    if whole.correct or not listed:
        return whole
    return max(_grade_list(given, answer), whole, key=TypedGrade.rank)


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


def _grade_words(
    reply: list[str], expected: list[str], strict: bool = False, exclusive: bool = False
) -> TypedGrade:
    """The answer's words in order first; the same words in another order second."""
    if not reply:
        return WRONG
    reply = restated(reply, expected)
    in_order = _judge(reply, expected, align(reply, expected), strict, exclusive)
    if in_order.correct:
        return in_order
    unordered = _judge(reply, expected, match_unordered(reply, expected), strict, exclusive)
    return max(in_order, unordered, key=TypedGrade.rank)


def _judge(
    reply: list[str], expected: list[str], aligned: Alignment, strict: bool, exclusive: bool
) -> TypedGrade:
    """Weigh what the reply added and left out (the rules in the module's docstring): in a
    list (`strict`) nothing may be left out; in a list or a list given for a list card
    (`exclusive`) nothing may be added."""
    if not aligned.matched_expected:
        return WRONG
    unmatched = [k for k in range(len(reply)) if k not in aligned.matched_given]
    # A negation of a word the reply added ('not persistent', 'not EBS') negates no part of
    # the answer; 'not the kernel' does.
    extra = [
        reply[k]
        for k in unmatched
        if not (reply[k] in NEGATIONS and k + 1 in unmatched and is_content(reply[k + 1]))
    ]
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
    if (strict or exclusive) and [w for w in extra if is_content(w) and w not in GENERIC]:
        return refused("names more than the list")
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
    rival = _rival(reply, expected)
    if rival:
        return refused(rival)
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


def _rival(reply: list[str], expected: list[str]) -> str | None:
    """A distinguishing word of the answer missing and its rival named instead: 'instance
    status check' for the system one, 'customer managed' for AWS managed, 'one physical core'
    for one thread of a core (the rival named after it in the answer only says whose)."""
    given, wanted = _loose(reply), _loose(expected)
    for word in wanted:
        if word in given or word not in RIVALS:
            continue
        for rival in RIVALS[word] & set(given):
            if rival not in wanted or wanted.index(rival) > wanted.index(word):
                return f"{rival} in place of {word}"
    return None


def _loose(sequence: list[str]) -> list[str]:
    """Words for rivals: 'customer managed' and 'AWS managed' as one word each, as their
    hyphenated spellings already are."""
    out: list[str] = []
    for word in sequence:
        if word == "managed" and out and out[-1] + word in RIVALS:
            out[-1] += word
        else:
            out.append(word)
    return out


def _card_rival(reply: list[str], forms: list[str]) -> str | None:
    """A rival of a distinguishing word the card's answers use, named in its place, when no
    answer of the card names it: 'AWS managed key' on a card of customer managed keys."""
    # 'not persistent' is no rival of 'ephemeral': a negated word is left out.
    loose = _loose(reply)
    given = [w for k, w in enumerate(loose) if k == 0 or loose[k - 1] not in NEGATIONS]
    used = {word for form in forms for word in _loose(words(form))}
    for word in sorted(used & CARD_RIVALS.keys()):
        if word in given:
            continue
        for rival in sorted(CARD_RIVALS[word] & set(given) - used):
            return f"{rival} in place of {word}"
    return None


def _grade_list(given: str, answer: str) -> TypedGrade:
    """Items in any order; right when each answer item is named once and nothing else is;
    partial when some are left out, wrong when any item named is not the answer's."""
    wanted = [words(item) for item in items(answer)]
    named = items(given)
    unused = list(range(len(wanted)))
    matched = exact = 0
    readings: list[str] = []  # the items' own notes: typos read through
    extra: list[str] = []  # items named that the answer does not have
    for item in named:
        for index in unused:
            verdict = _grade_words(words(item), wanted[index])
            if verdict.correct:
                unused.remove(index)
                matched += 1
                exact += verdict.exact
                readings += [verdict.note] if verdict.note else []
                break
        else:
            extra.append(item)
    if extra:
        # An item the answer does not have, or a hedge between items: one false fact.
        return refused("not in the answer: " + ", ".join(extra))
    correct = matched == len(wanted)
    note = "; ".join(readings) if correct else f"{matched} of {len(wanted)} items"
    score = matched / len(wanted)
    return TypedGrade(correct, correct and exact == matched, bool(readings), score, note)
