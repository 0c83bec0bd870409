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
from ec2cards.quiz.alignment import Alignment, align, match_unordered, word_match
from ec2cards.quiz.answer_text import (
    DISJUNCTIONS,
    GENERIC,
    PREFIXES,
    UNITS,
    forms_of,
    is_content,
    is_identifier,
    is_list,
    is_number,
    items,
    words,
)
from ec2cards.quiz.claims import first_clause, unchecked_claim
from ec2cards.quiz.domain_terms import terms_in
from ec2cards.quiz.objections import (
    card_rival,
    lookalike,
    misread_acronym,
    negates_added,
    objection,
    opposite_said_of_it,
    other_thing,
    quantified_otherwise,
    reordered_name,
    swapped,
    values_swapped,
)
from ec2cards.quiz.units import quantities, restated, unit_clash

ONLY = frozenset({"only", "just", "alone", "solely"})
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


def grade_typed(
    given: str, accepted: Sequence[str], question: str = "", note: str = ""
) -> TypedGrade:
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
        numbers = {q.number for q in card_quantities if q.dimension == clash.dimension} or {
            q.number for q in card_quantities
        }
        return refused("another unit" if clash.number in numbers else "another amount")
    exclusive = bool(accepted) and is_list(accepted[0]) and is_list(given)
    answers = [words(form) for form in forms]
    answer_words = frozenset(word for answer in answers for word in answer)
    why = _card_objection(given, reply, forms, answers, answer_words)
    if why is not None:
        return refused(why)
    echo = _echo(given, f"{question} {note}", answer_words)
    grades = [
        replace(grade, alternative=form not in own) if grade.correct else grade
        for form in forms
        for grade in [_grade(given, form, exclusive, echo)]
    ]
    best = max(grades, key=TypedGrade.rank, default=WRONG)
    if best.correct and (question or note):
        claim = unchecked_claim(given, forms, question, note)
        if claim is not None:
            return refused("says more than the card can check: " + claim)
    return best


def _card_objection(
    given: str,
    reply: list[str],
    forms: list[str],
    answers: list[list[str]],
    answer_words: frozenset[str],
) -> str | None:
    """Why the reply is wrong whichever of the card's answers it is held to, if it is."""
    # A rival in a clause that explains ('so it moves to a new host') replaces no answer word.
    rival = card_rival(words(first_clause(given)), forms)
    if rival is not None:
        return rival
    # 'BIOS (legacy)' says a name with an aside, not the name's words in another order.
    if "(" not in given and any(reordered_name(form, reply) for form in forms):
        return "the name's words in another order"
    if any(opposite_said_of_it(reply, answer, answer_words) for answer in answers):
        return "says the opposite"
    if any(values_swapped(reply, answer) for answer in answers):
        return "gives the values each other's meaning"
    misread = misread_acronym(reply, answers)
    if misread:
        return f"not what {misread.upper()} stands for"
    widened = quantified_otherwise(reply, answers)
    return f"says {widened}" if widened else None


def _echo(given: str, context: str, answer_words: frozenset[str]) -> frozenset[str]:
    """Numbers and names the card's question or note says ('ring 0',
    'StatusCheckFailed_System'): they may come back in a reply without naming another answer.
    Not in a list, where each item counts; never a look-alike of an answer word ('IPv6' for
    IPv4 is another answer, whoever said it); and no number when the answer is one (the note's
    '2 per core' is no answer to 'One')."""
    if is_list(given):
        return frozenset()
    counts = any(is_number(word) for word in answer_words)
    return frozenset(
        word
        for word in words(context)
        if is_identifier(word) or (is_number(word) and not counts)
        if not any(lookalike(word, other) for other in answer_words)
    )


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


def _grade(
    given: str, answer: str, exclusive: bool = False, echo: frozenset[str] = frozenset()
) -> TypedGrade:
    """One accepted answer; `exclusive`: the reply lists items for a card whose answer is a
    list, so a word beyond this answer is an item too many ('network, EBS and storage')."""
    expected = words(answer)
    if not expected:
        return WRONG
    reply = restated(words(given), expected)
    same_content = _content(expected) and _content(reply) == _content(expected)
    if same_content or _squeezed(reply) == _squeezed(expected):
        return EXACT
    listed = is_list(answer)
    hedged = _alternatives(reply)
    if len(hedged) > 1 and not listed and not DISJUNCTIONS & set(expected):
        if all(_grade_words(a, expected, echo=echo).correct for a in hedged):
            return TypedGrade(True, False, False, 1.0, "every alternative named is right")
        return refused("also names a wrong answer")
    # In a list every word counts as a whole; an item left out is partial credit.
    named = [w for w in reply if w not in DISJUNCTIONS]
    # A list of values ('0 (passed) or 1 (failed)') pairs each value with its own words.
    paired = listed and any(is_number(w) for w in expected)
    whole = _grade_words(named, expected, listed, exclusive, paired, echo)
    if whole.correct and not listed:
        return _added_item(given, expected) or whole
    if whole.correct or not listed:
        return whole
    return max(_grade_list(given, answer), whole, key=TypedGrade.rank)


def _added_item(given: str, expected: list[str]) -> TypedGrade | None:
    """An item the reply adds to a one-part answer that names another thing of the domain
    ('EBS volumes and instance store' for its EBS volumes): a second fact, and a false one.
    Plain words added as an item ('kernels and drivers') only say more of the same."""
    if not is_list(given):
        return None
    known = terms_in(expected)
    for item in items(given):
        if terms_in(words(item)) - known and not _names_answer(words(item), expected):
            return refused("not in the answer: " + item)
    return None


def _names_answer(item: list[str], expected: list[str]) -> bool:
    """The item shares a word with the answer, typos and plurals read through."""
    known = [w for w in expected if is_content(w) and w not in GENERIC]
    return any(word_match(w, k) for w in item if is_content(w) for k in known)


def _squeezed(sequence: list[str]) -> str:
    """The words run together without slashes: 'aws ebs' and `aws/ebs` are one spelling."""
    return "".join(sequence).replace("/", "")


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


def _grade_words(
    reply: list[str],
    expected: list[str],
    strict: bool = False,
    exclusive: bool = False,
    ordered: bool = False,
    echo: frozenset[str] = frozenset(),
) -> TypedGrade:
    """The answer's words in order first; the same words in another order second, but not
    for a whole list (`ordered`), whose items are paired one by one: read as one bag of words,
    '0 (failed) or 1 (passed)' would pass for 0 (passed) or 1 (failed)."""
    if not reply:
        return WRONG
    reply = restated(reply, expected)
    in_order = _judge(reply, expected, align(reply, expected), strict, exclusive, echo)
    if in_order.correct or ordered:
        return in_order
    unordered = _judge(reply, expected, match_unordered(reply, expected), strict, exclusive, echo)
    return max(in_order, unordered, key=TypedGrade.rank)


def _judge(
    reply: list[str],
    expected: list[str],
    aligned: Alignment,
    strict: bool,
    exclusive: bool,
    echo: frozenset[str] = frozenset(),
) -> TypedGrade:
    """Weigh what the reply added and left out (the rules in the module's docstring): in a
    list (`strict`) nothing may be left out; in a list or a list given for a list card
    (`exclusive`) nothing may be added."""
    if not aligned.matched_expected:
        return WRONG
    unmatched = [k for k in range(len(reply)) if k not in aligned.matched_given]
    # A negation of a word the reply added ('not persistent', 'cannot be public') negates no
    # part of the answer; 'not the kernel' does.
    extra = [
        reply[k]
        for k in unmatched
        if not negates_added(reply, k, unmatched) and reply[k] not in echo
    ]
    missed = [w for k, w in enumerate(expected) if k not in aligned.matched_expected]
    why = objection(reply, expected, extra, missed) or other_thing(reply, expected, aligned)
    if why is not None:
        return refused(why)
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
        added, dropped = swapped(extra, missed)
        if named and added and dropped:
            return refused(f"{added[0]} in place of {dropped[0]}")
        return refused("too little of the answer") if named else WRONG
    added = [w for w in extra if is_content(w) and w not in GENERIC]
    exact = not aligned.near and not added and not set(left_out) - GENERIC
    note = ""
    if aligned.near:
        note = "read as: " + ", ".join(f"{g} → {e}" for g, e in aligned.near)
    return TypedGrade(True, exact, bool(aligned.near), 1.0, note)


def _grade_list(given: str, answer: str) -> TypedGrade:
    """Items in any order; right when each answer item is named once and nothing else is;
    partial when some are left out, wrong when any item named is not the answer's. Items are
    paired as a whole, not first come first served: in 'replaces it (terminate + launch)' the
    first item could pair with 'launches a replacement' and leave 'launch' no partner."""
    wanted = [words(item) for item in items(answer)]
    named = items(given)
    verdicts = [[_grade_words(words(item), want) for want in wanted] for item in named]
    fits = [[v.correct for v in row] for row in verdicts]
    partner = _pairing(fits)
    # An item said twice ('DNS hostnames (enableDnsHostnames)') is not one too many.
    extra = [item for index, item in enumerate(named) if not any(fits[index])]
    if extra:
        # An item the answer does not have, or a hedge between items: one false fact.
        return refused("not in the answer: " + ", ".join(extra))
    paired = [verdicts[index][partner[index]] for index in sorted(partner)]
    readings = [verdict.note for verdict in paired if verdict.note]  # typos read through
    matched = len(paired)
    correct = matched == len(wanted)
    if not correct and ONLY & set(words(given)):
        return refused("says only part of the list")  # 'enableDnsSupport only': a false 'only'
    exact = sum(verdict.exact for verdict in paired)
    note = "; ".join(readings) if correct else f"{matched} of {len(wanted)} items"
    score = matched / len(wanted)
    return TypedGrade(correct, correct and exact == matched, bool(readings), score, note)


def _pairing(fits: list[list[bool]]) -> dict[int, int]:
    """The most reply items paired each with an answer item it names (augmenting paths)."""
    owner: dict[int, int] = {}  # answer item → reply item

    def claim(item: int, seen: set[int]) -> bool:
        for want, fit in enumerate(fits[item]):
            if fit and want not in seen:
                seen.add(want)
                if want not in owner or claim(owner[want], seen):
                    owner[want] = item
                    return True
        return False

    for item in range(len(fits)):
        claim(item, set())
    return {item: want for want, item in owner.items()}
