"""Quiz questions from cards: which cards are drawn and how each is asked."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import Enum
from typing import TYPE_CHECKING

from ec2cards.errors import UsageError
from ec2cards.model import cloze
from ec2cards.model.card_lists import card_keys
from ec2cards.model.cards import Card, CardKind
from ec2cards.model.choices import showing_seed, shuffled
from ec2cards.quiz.distractors import distractors

if TYPE_CHECKING:
    import random
    from datetime import datetime

    from ec2cards.scheduling.scheduler import Scheduler
    from ec2cards.storage.store import Store


class Mode(str, Enum):
    MIXED = "mixed"
    CHOICE = "choice"
    TYPED = "typed"
    FLIP = "flip"


def parse_mode(text: str) -> Mode:
    """The quiz mode a user typed, or a UsageError naming the modes there are."""
    try:
        return Mode(text)
    except ValueError:
        raise UsageError(
            f"unknown mode '{text}' (use one of {', '.join(m.value for m in Mode)})"
        ) from None


class Ask(str, Enum):
    """How one question is asked."""

    CHOICE = "choice"
    TYPED = "typed"
    CLOZE = "cloze"
    ORDER = "order"
    FLIP = "flip"


@dataclass(frozen=True)
class Question:
    card: Card
    ask: Ask
    prompt: str
    options: tuple[str, ...] = ()  # choice options or order items, as shown
    expected: str = ""
    accepted: tuple[str, ...] = ()
    asked_topic: str = ""  # the topic the quiz was asked on, when the card has it

    @property
    def context(self) -> tuple[str, str]:
        """What the card says besides its answers, the question as asked and its note: the
        words a reply may add without claiming something the card can't check."""
        return self.prompt, self.card.note

    @property
    def topic(self) -> str:
        """The topic the question is scored under: the one asked for (`quiz --topic`), else
        the card's own."""
        return self.asked_topic or self.card.topic


def _question(
    card: Card,
    ask: Ask,
    pool: Sequence[Card],
    rng: random.Random,
    day: str,
    drawn: frozenset[str] = frozenset(),
) -> Question:
    if ask is Ask.FLIP and card.kind is not CardKind.SCENARIO:
        return Question(card, ask, _prompt(card), expected=_expected(card))
    if card.kind.chooses:
        # A scenario is always asked with its options: its answer is a choice among them,
        # not a sentence to type.
        if ask is Ask.TYPED and len(card.correct) == 1 and card.kind is CardKind.CHOICE:
            return Question(
                card, Ask.TYPED, card.question, expected=card.correct[0], accepted=card.correct
            )
        options = tuple(shuffled(card.options, showing_seed(card, day)))
        return Question(card, Ask.CHOICE, card.question, options, expected=", ".join(card.correct))
    if card.kind is CardKind.ORDER:
        items = tuple(shuffled(card.items, showing_seed(card, day), avoid_original=True))
        return Question(card, Ask.ORDER, card.question, items, expected=" → ".join(card.items))
    if card.kind is CardKind.CLOZE:
        words = cloze.answers(card.cloze_text, card.cloze_number)
        return Question(
            card,
            Ask.CLOZE,
            card.question,
            expected=", ".join(words),
            accepted=(", ".join(words), " ".join(words), *card.accept),
        )
    if ask is Ask.CHOICE:
        wrong = distractors(card, pool, rng, given_away=drawn)
        if len(wrong) == 3:
            shown = [card.answer, *wrong]
            rng.shuffle(shown)
            return Question(card, Ask.CHOICE, card.question, tuple(shown), expected=card.answer)
    return Question(
        card, Ask.TYPED, card.question, expected=card.answer, accepted=(card.answer, *card.accept)
    )


def _prompt(card: Card) -> str:
    return card.question


def _expected(card: Card) -> str:
    if card.kind is CardKind.CLOZE:
        return ", ".join(cloze.answers(card.cloze_text, card.cloze_number))
    return card.answer


def build(
    cards: Sequence[Card],
    pool: Sequence[Card],
    count: int,
    mode: Mode,
    seed: int,
    weakness: dict[str, float] | None = None,
    day: str = "",
    keep_order: bool = False,
    topics: Sequence[str] = (),
) -> list[Question]:
    """Draw `count` cards (at random, the weakest first, or as given with `keep_order`) and
    decide how each is asked. Options are shuffled per card and day (`showing_seed`). A card
    is scored under the first of `topics` (the ones asked for) that it has.

    Siblings (a cloze's deletions) show each other's answers, so a drawn quiz takes one card
    per note while there are notes enough, and never asks two siblings one after the other."""
    import random

    rng = random.Random(seed)
    if keep_order:
        drawn = list(cards)[:count]
    elif weakness is not None:
        ordered = sorted(cards, key=lambda c: (weakness.get(c.key, 0.0), rng.random()))
        drawn = _one_per_note(ordered, count)
        rng.shuffle(drawn)
        if len({card.siblings for card in drawn}) < len(drawn):
            drawn = _apart(drawn)
    else:
        every = list(cards)
        drawn = rng.sample(every, min(count, len(every)))
        if len({card.siblings for card in drawn}) < len(drawn):
            taken = {card.key for card in drawn}
            rest = [card for card in every if card.key not in taken]
            rng.shuffle(rest)
            drawn = _apart(_one_per_note(drawn + rest, len(drawn)))
    questions: list[Question] = []
    basic_turn = 0
    keys = frozenset(card.key for card in drawn)  # their answers would give each other away
    for card in drawn:
        if mode is Mode.FLIP:
            ask = Ask.FLIP
        elif mode is Mode.CHOICE:
            ask = Ask.CHOICE
        elif mode is Mode.TYPED:
            ask = Ask.TYPED
        elif card.kind is CardKind.BASIC:
            ask = Ask.CHOICE if basic_turn % 2 == 0 else Ask.TYPED
            basic_turn += 1
        else:
            ask = Ask.CHOICE
        question = _question(card, ask, pool, rng, day, keys)
        asked = next((topic for topic in card.topics if topic in topics), "")
        questions.append(replace(question, asked_topic=asked) if asked else question)
    return questions


def _one_per_note(cards: list[Card], count: int) -> list[Card]:
    """The first `count` cards of the list taking one card of each note (sibling group) before
    a second of any; in the list's order, so a sampled draw keeps its first cards."""
    firsts: list[Card] = []
    later: list[Card] = []
    notes: set[str] = set()
    for card in cards:
        (later if card.siblings in notes else firsts).append(card)
        notes.add(card.siblings)
        if len(firsts) == count:
            return firsts
    return firsts + later[: count - len(firsts)]


def _apart(cards: list[Card]) -> list[Card]:
    """The cards in their order but that a card following its sibling waits for the next card
    of another note; what is left goes where neither neighbour is a sibling (at the end only
    when one note holds more than half the cards, and no order keeps them apart)."""
    from collections import deque

    placed: list[Card] = []
    waiting: deque[Card] = deque()
    for card in cards:
        if placed and placed[-1].siblings == card.siblings:
            waiting.append(card)
            continue
        placed.append(card)
        while waiting and waiting[0].siblings != placed[-1].siblings:
            placed.append(waiting.popleft())
    for card in waiting:
        note = card.siblings
        gaps = range(len(placed) + 1)
        at = next(
            (
                i
                for i in gaps
                if (i == 0 or placed[i - 1].siblings != note)
                and (i == len(placed) or placed[i].siblings != note)
            ),
            len(placed),
        )
        placed.insert(at, card)
    return placed


def weakness(
    cards: Sequence[Card], store: Store, scheduler: Scheduler, now: datetime
) -> dict[str, float]:
    """Each reviewed card's predicted recall now, for `--weakest` (cards absent: new, weakest)."""
    states = store.cards.states(card_keys(cards))
    return {key: scheduler.retrievability(state, now) for key, state in states.items()}
