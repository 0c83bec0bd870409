"""A practice exam: which scenarios it asks, in which order, their options shuffled, and how
it is scored. The exam's own rules: one point for exactly the right options, none for part of
them or for none; a scaled score from 100 to 1000, 720 to pass."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from ec2cards.errors import UsageError
from ec2cards.model.cards import Card, CardKind

EXAM_QUESTIONS = 65  # as SAA-C03 has
MINUTES_A_QUESTION = 2.0  # 130 minutes for 65 questions
LOWEST, HIGHEST, PASS_MARK = 100, 1000, 720


@dataclass(frozen=True)
class PracticeQuestion:
    """One scenario as asked: its options in the order shown (indices into the card's)."""

    card: Card
    order: tuple[int, ...]

    @property
    def options(self) -> list[str]:
        return [self.card.options[i] for i in self.order]

    @property
    def right(self) -> frozenset[int]:
        """The shown positions (from 0) of the right options."""
        correct = set(self.card.correct)
        return frozenset(n for n, option in enumerate(self.options) if option in correct)

    @property
    def choose(self) -> int:
        return len(self.card.correct)

    def explanation(self, shown: int) -> str:
        """Why the option shown at `shown` is right or wrong."""
        return self.card.explain[self.order[shown]] if self.card.explain else ""


@dataclass
class Sitting:
    """An exam as it is taken: the choices so far (None: unanswered) and the flags."""

    questions: list[PracticeQuestion]
    minutes: float  # the time limit
    chosen: list[frozenset[int] | None] = field(default_factory=list)
    flagged: list[bool] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.chosen = self.chosen or [None] * len(self.questions)
        self.flagged = self.flagged or [False] * len(self.questions)

    def correct(self, number: int) -> bool:
        """Exactly the right options: nothing for part of them, or for no answer."""
        return self.chosen[number] == self.questions[number].right


@dataclass(frozen=True)
class Score:
    correct: int
    total: int
    scaled: int
    passed: bool
    by_topic: dict[str, tuple[int, int]]  # topic -> (correct, total)

    @property
    def percent(self) -> float:
        return 100 * self.correct / self.total if self.total else 0.0


def scaled_score(correct: int, total: int) -> int:
    """100 for none right, 1000 for all, in a straight line between. (AWS scales by the
    difficulty of each exam form and does not publish how; a straight line puts the pass mark
    of 720 at 69% right, close to the share people who pass report.)"""
    if not total:
        return LOWEST
    return round(LOWEST + (HIGHEST - LOWEST) * correct / total)


def score(sitting: Sitting) -> Score:
    by_topic: dict[str, tuple[int, int]] = {}
    for number, question in enumerate(sitting.questions):
        right, asked = by_topic.get(question.card.topic, (0, 0))
        by_topic[question.card.topic] = (right + sitting.correct(number), asked + 1)
    correct = sum(right for right, _ in by_topic.values())
    total = len(sitting.questions)
    scaled = scaled_score(correct, total)
    return Score(correct, total, scaled, scaled >= PASS_MARK, dict(sorted(by_topic.items())))


def build_exam(
    cards: Sequence[Card], count: int | None, seed: int, described: str
) -> list[PracticeQuestion]:
    """`count` scenarios of the cards (all of them when fewer), in an order and with option
    orders drawn from `seed`: the same seed, the same exam."""
    scenarios = [card for card in cards if card.kind is CardKind.SCENARIO]
    if not scenarios:
        raise UsageError(
            f"no scenario in {described}; practice asks scenario cards (the bundled"
            " <topic>-exam decks): ec2cards practice --topic storage"
        )
    draws = random.Random(seed)
    picked = draws.sample(scenarios, min(count or EXAM_QUESTIONS, len(scenarios)))
    questions = []
    for card in picked:
        order = list(range(len(card.options)))
        draws.shuffle(order)
        questions.append(PracticeQuestion(card, tuple(order)))
    return questions


def parse_choice(text: str, question: PracticeQuestion) -> frozenset[int] | str | None:
    """A typed reply: option numbers ('2', '1 4', '1,4'), or '' for no answer (None); a
    string saying what is wrong when it is neither."""
    parts = text.replace(",", " ").split()
    if not parts:
        return None
    if not all(part.isdigit() and 1 <= int(part) <= len(question.order) for part in parts):
        return f"type option numbers from 1 to {len(question.order)}"
    chosen = frozenset(int(part) - 1 for part in parts)
    if len(chosen) != question.choose:
        return f"choose {question.choose}" if question.choose > 1 else "choose one option"
    return chosen
