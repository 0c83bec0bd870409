"""Wrong options for a multiple-choice question on a basic card, drawn from related cards."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ec2cards.model.cards import Card, CardKind
from ec2cards.model.text import normalise
from ec2cards.quiz.typed import answer_form, digits

if TYPE_CHECKING:
    import random


def distractors(card: Card, pool: Sequence[Card], rng: random.Random, count: int = 3) -> list[str]:
    """Wrong answers for a basic card: from the same topic first, then the same deck, then any;
    similar in length and form; never equal to, containing or contained in a right answer."""
    from rapidfuzz import fuzz

    rights = {f for f in (answer_form(a) for a in (card.answer, *card.accept)) if f}
    numeric = bool(digits(card.answer))
    asked = normalise(card.question)
    ranked: list[tuple[int, float, str, str]] = []
    for other in pool:
        if other.key == card.key or other.kind is not CardKind.BASIC:
            continue
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
        form_penalty = 0.0 if bool(digits(text)) == numeric else 0.5
        cost = unlike + 0.6 * length + form_penalty + rng.random() * 0.2
        ranked.append((tier, cost, text, form))
    ranked.sort()
    chosen: list[str] = []
    seen: set[str] = set()
    for _, _, text, form in ranked:
        if form in seen:
            continue
        seen.add(form)
        chosen.append(text)
        if len(chosen) == count:
            break
    return chosen
