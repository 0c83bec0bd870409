"""Choice and order cards, in study and quiz alike: options shown shuffled, the reply read as
numbers, and graded (pure functions)."""

from __future__ import annotations

from typing import NamedTuple

from ec2cards.model.cards import Card


class Graded(NamedTuple):
    correct: bool
    score: float  # 0..1; partial credit for order cards
    expected: str
    given: str


def shuffled(values: tuple[str, ...], seed: str, avoid_original: bool = False) -> list[str]:
    """A reproducible shuffle. Items to put in order are never shown already in order (when
    they allow another); choice options may come in any order, the authored one included."""
    import random  # only once a choice or order card is shown

    order = list(values)
    generator = random.Random(seed)
    for _ in range(5):
        generator.shuffle(order)
        if not avoid_original or order != list(values) or len(set(values)) < 2:
            break
    return order


def showing_seed(card: Card, day: str) -> str:
    """Options come in a new order each day and the same order all that day (an undo or a
    replay shows what was shown), in study and quiz alike."""
    return f"{card.key}:{day}"


def parse_numbers(text: str, count: int) -> list[int] | None:
    """'2', '2 3', '2,3', '231' or 'b' to 0-based indexes; None when it isn't a valid selection."""
    cleaned = text.strip().lower().replace(",", " ")
    if not cleaned:
        return None
    tokens = cleaned.split() if " " in cleaned else list(cleaned)
    indexes: list[int] = []
    for token in tokens:
        if token.isdigit():
            index = int(token) - 1
        elif len(token) == 1 and "a" <= token <= "z":
            index = ord(token) - ord("a")
        else:
            return None
        if not 0 <= index < count:
            return None
        indexes.append(index)
    return indexes


def grade_choice(card: Card, shown: list[str], picked: list[int]) -> Graded:
    chosen = {shown[i] for i in picked}
    right = set(card.correct)
    return Graded(
        correct=chosen == right,
        score=1.0 if chosen == right else 0.0,
        expected=", ".join(card.correct),
        given=", ".join(shown[i] for i in picked),
    )


def grade_order(card: Card, shown: list[str], picked: list[int]) -> Graded:
    """Right when every item is in place; the score is the share of items in the right position."""
    given = [shown[i] for i in picked]
    in_place = sum(1 for a, b in zip(given, card.items, strict=False) if a == b)
    return Graded(
        correct=given == list(card.items),
        score=in_place / len(card.items),
        expected=" → ".join(card.items),
        given=" → ".join(given),
    )
