"""Wrong options for a multiple-choice question on a basic card, drawn from related cards."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING, NamedTuple

from ec2cards.model.cards import Card, CardKind
from ec2cards.model.text import normalise
from ec2cards.quiz.typed import answer_form, digits

if TYPE_CHECKING:
    import random

# Words that open an answer phrased as a clause or sentence ("That it runs on a hypervisor", "To
# the hypervisor", "They conflict"): such an option stands out next to a name such as "PUT".
CLAUSE_OPENERS = frozenset(
    {"that", "to", "because", "it", "its", "when", "so", "by", "for", "with", "without"}
    | {"from", "in", "on", "at", "after", "before", "until", "if", "yes", "no"}
    | {"they", "you", "we", "there", "this", "these", "each", "every", "only", "not"}
)
TIER_COST = 0.4  # same topic, same deck, any other: a nudge, not a rule over likeness
GIVEN_AWAY_COST = 2.0  # the answer of another card in the same quiz: only when nothing else fits
# Above this, an option is one a learner rules out at a glance (a port number among names, a
# clause among terms, an answer to an unrelated question): the card is better asked typed.
MAX_COST = 1.0
# Questions that ask for another kind of answer: a yes or no, an amount, a reason never stand
# in for each other or for a thing; a place, a time, a manner, an event, an action and a
# thing may, at a cost.
STRICT_FORMS = frozenset({"yes-no", "amount", "why"})
FORM_COST = 0.2


def _split(text: str) -> frozenset[str]:
    return frozenset(text.split())


AUXILIARIES = _split("is are was were can could does do did will would should must may has have")
ASKING = _split("what which how why where when who whose")
AMOUNT = _split("many much long often large big fast")
DOING_HOW = re.compile(r"how (?:do|does|can|should|must|would) (?:you|i|we)\b")
DOING = re.compile(r"\bwhat (?:does|do|did|must|should|can|will) [\w\s'-]+? do\b")


def question_form(question: str) -> str:
    """What kind of answer a question asks for: yes or no, a reason, a place, a time, an
    amount, a manner, an event ('what happens'), an action ('how do you', 'what does EC2
    do') or a thing. An option answering another
    kind ('No; share it…' for 'What failure…?') gives itself away."""
    sentences = [part for part in re.split(r"(?<=[?.!])\s+", question.strip()) if part]
    asked = next((part for part in reversed(sentences) if part.endswith("?")), question)
    clauses: list[list[str]] = [re.findall(r"[\w'-]+", part) for part in asked.lower().split(",")]
    if clauses[0] and clauses[0][0] in AUXILIARIES:
        return "yes-no"
    # The asking word of the last clause that has one: 'When you start it, on which host…'
    # asks for a thing, not a time.
    said: list[str] = next((c for c in reversed(clauses) if ASKING & set(c)), [])
    if said and said[0] in AUXILIARIES:
        return "yes-no"
    start = next((k for k, word in enumerate(said) if word in ASKING), None)
    if start is None:
        return "thing"
    first, second = said[start], (said[start + 1 : start + 2] or [""])[0]
    if first in ("why", "where", "when"):
        return first
    text = " ".join(said[start:])
    if first == "how":
        if second in AMOUNT:
            return "amount"
        return "action" if DOING_HOW.match(text) else "how"
    if second == "happens":
        return "event"
    return "action" if DOING.search(text) else "thing"


class Shape(NamedTuple):
    """What makes an option look like an answer to this question, whatever it says."""

    numeric: bool
    clause: bool
    words: int


def shape(text: str) -> Shape:
    split = text.split()
    first = split[0].lower().strip("\"'(") if split else ""
    return Shape(bool(digits(text)), first in CLAUSE_OPENERS, len(split))


def unlike_shapes(a: Shape, b: Shape) -> float:
    """0 for answers of one kind; large when one is a number or a clause and the other is not,
    or one is several words longer."""
    cost = 1.0 * (a.numeric != b.numeric) + 0.6 * (a.clause != b.clause)
    return cost + 0.4 * max(0, abs(a.words - b.words) - 1) / max(a.words, b.words, 1)


def distractors(
    card: Card,
    pool: Sequence[Card],
    rng: random.Random,
    count: int = 3,
    given_away: Collection[str] = (),
) -> list[str]:
    """Wrong answers for a basic card, from cards asked the same kind of question (what, why,
    how many, yes or no…) and answered in the same form (a name for a name, a clause for a
    clause, a number for a number), the same topic first;
    never equal to, containing or contained in a right answer. `given_away` are the keys of the
    quiz's other cards: their answers are used only when nothing else fits. Fewer than `count`
    when the pool has no more that a learner could not rule out at a glance."""
    from rapidfuzz import fuzz

    rights = {f for f in (answer_form(a) for a in (card.answer, *card.accept)) if f}
    wanted = shape(card.answer)
    asked = normalise(card.question)
    asking = question_form(card.question)
    ranked: list[tuple[float, str, str]] = []
    for other in pool:
        if other.key == card.key or other.kind is not CardKind.BASIC:
            continue
        other_asking = question_form(other.question)
        if other_asking != asking and STRICT_FORMS & {asking, other_asking}:
            continue  # an answer to another kind of question
        text = other.answer.strip()
        form = answer_form(text)
        if not form or any(form == r or r in form or form in r for r in rights):
            continue
        if card.topic in other.topics:
            tier = 0
        elif other.deck_id == card.deck_id:
            tier = 1
        else:
            tier = 2
        # Cards asked alike ("Which EBS volume type ...") have answers of the same kind.
        unlike = 1.0 - fuzz.token_set_ratio(asked, normalise(other.question)) / 100.0
        length = abs(len(text) - len(card.answer)) / max(len(text), len(card.answer))
        cost = (
            unlike
            + 0.4 * length
            + unlike_shapes(wanted, shape(text))
            + TIER_COST * tier
            + (FORM_COST if other_asking != asking else 0.0)
            + (GIVEN_AWAY_COST if other.key in given_away else 0.0)
        )
        # A little chance, so that a card met often is not always shown the same options.
        cost += rng.random() * 0.1
        ranked.append((cost, text, form))
    ranked.sort()
    chosen: list[str] = []
    seen: set[str] = set()
    for cost, text, form in ranked:
        if cost > MAX_COST:
            break
        if form in seen:
            continue
        seen.add(form)
        chosen.append(text)
        if len(chosen) == count:
            break
    return chosen
