"""Quiz questions from cards: distractors, typed-answer grading, scorecards. No terminal code."""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum

from ec2cards import cloze
from ec2cards.deckformat import normalise
from ec2cards.grading import Graded, grade_choice, grade_order, parse_numbers, shuffled
from ec2cards.model import Card, CardKind

SIMILARITY_THRESHOLD = 85
ARTICLES = re.compile(r"^(the|a|an) ")


class Mode(str, Enum):
    MIXED = "mixed"
    CHOICE = "choice"
    TYPED = "typed"
    FLIP = "flip"


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


@dataclass(frozen=True)
class Result:
    question: Question
    given: str
    correct: bool
    score: float
    exact: bool = True
    close: bool = False
    seconds: float = 0.0


def answer_form(text: str) -> str:
    """The form answers are compared in: normalised, without a leading article."""
    return ARTICLES.sub("", normalise(text))


def _digits(text: str) -> list[str]:
    return re.findall(r"\d+", text)


@dataclass(frozen=True)
class TypedGrade:
    correct: bool
    exact: bool
    close: bool


def grade_typed(given: str, accepted: Sequence[str]) -> TypedGrade:
    """Right if it matches an accepted answer ignoring case, accents, punctuation and articles;
    close enough if only a small typo away (rapidfuzz ratio), but numbers must match exactly."""
    from rapidfuzz import fuzz

    typed = answer_form(given)
    if not typed:
        return TypedGrade(False, False, False)
    forms = [answer_form(a) for a in accepted if answer_form(a)]
    if typed in forms:
        return TypedGrade(True, True, False)
    for form in forms:
        if _digits(form) != _digits(typed):
            continue
        if fuzz.ratio(typed, form) >= SIMILARITY_THRESHOLD:
            return TypedGrade(True, False, True)
    return TypedGrade(False, False, False)


def distractors(card: Card, pool: Sequence[Card], rng: random.Random, count: int = 3) -> list[str]:
    """Wrong answers for a basic card: from the same topic first, then the same deck, then any;
    similar in length and form; never equal to, containing or contained in a right answer."""
    from rapidfuzz import fuzz

    rights = {f for f in (answer_form(a) for a in (card.answer, *card.accept)) if f}
    numeric = bool(_digits(card.answer))
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
        form_penalty = 0.0 if bool(_digits(text)) == numeric else 0.5
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


def _question(card: Card, ask: Ask, pool: Sequence[Card], rng: random.Random) -> Question:
    if ask is Ask.FLIP:
        return Question(card, ask, _prompt(card), expected=_expected(card))
    if card.kind is CardKind.CHOICE:
        if ask is Ask.TYPED and len(card.correct) == 1:
            return Question(
                card, Ask.TYPED, card.question, expected=card.correct[0], accepted=card.correct
            )
        options = tuple(shuffled(card.options, f"{card.key}:{rng.random()}"))
        return Question(card, Ask.CHOICE, card.question, options, expected=", ".join(card.correct))
    if card.kind is CardKind.ORDER:
        items = tuple(shuffled(card.items, f"{card.key}:{rng.random()}"))
        return Question(card, Ask.ORDER, card.question, items, expected=" → ".join(card.items))
    if card.kind is CardKind.CLOZE:
        words = cloze.answers(card.cloze_text, card.cloze_number)
        return Question(
            card,
            Ask.CLOZE,
            card.question,
            expected=", ".join(words),
            accepted=(", ".join(words), " ".join(words)),
        )
    if ask is Ask.CHOICE:
        wrong = distractors(card, pool, rng)
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
) -> list[Question]:
    """Draw `count` cards (at random, or the weakest first) and decide how each is asked."""
    rng = random.Random(seed)
    if weakness is not None:
        ordered = sorted(cards, key=lambda c: (weakness.get(c.key, 0.0), rng.random()))
        drawn = ordered[:count]
        rng.shuffle(drawn)
    else:
        drawn = rng.sample(list(cards), min(count, len(cards)))
    questions: list[Question] = []
    basic_turn = 0
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
        questions.append(_question(card, ask, pool, rng))
    return questions


def grade(question: Question, given: str, seconds: float = 0.0) -> Result | None:
    """Grade a reply; None when it can't be read as an answer (e.g. 'x' to a choice question)."""
    ask = question.ask
    if ask in (Ask.CHOICE, Ask.ORDER):
        picked = parse_numbers(given, len(question.options))
        if picked is None:
            return None
        if ask is Ask.CHOICE:
            if question.card.kind is CardKind.CHOICE:
                graded: Graded = grade_choice(question.card, list(question.options), picked)
            else:
                right = question.options[picked[0]] == question.expected and len(picked) == 1
                graded = Graded(right, float(right), question.expected, question.options[picked[0]])
        else:
            if len(picked) != len(question.options):
                return None
            graded = grade_order(question.card, list(question.options), picked)
        return Result(question, graded.given, graded.correct, graded.score, seconds=seconds)
    if ask is Ask.FLIP:
        answer = given.strip().lower()
        if answer not in ("y", "yes", "n", "no"):
            return None
        right = answer.startswith("y")
        return Result(question, given.strip(), right, float(right), seconds=seconds)
    typed = grade_typed(given, question.accepted or (question.expected,))
    return Result(
        question,
        given.strip(),
        typed.correct,
        float(typed.correct),
        typed.exact,
        typed.close,
        seconds,
    )


@dataclass
class Scorecard:
    results: list[Result] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def score(self) -> int:
        return sum(1 for r in self.results if r.correct)

    @property
    def total(self) -> int:
        return len(self.results)

    @property
    def percent(self) -> float:
        return round(100.0 * self.score / self.total, 1) if self.total else 0.0

    def by_topic(self) -> dict[str, dict[str, float]]:
        topics: dict[str, dict[str, float]] = {}
        for result in self.results:
            entry = topics.setdefault(result.question.card.topic, {"score": 0, "total": 0})
            entry["score"] += int(result.correct)
            entry["total"] += 1
        for entry in topics.values():
            entry["percent"] = round(100.0 * entry["score"] / entry["total"], 1)
        return dict(sorted(topics.items()))

    def missed(self) -> list[Result]:
        return [r for r in self.results if not r.correct]

    def to_json(self) -> dict[str, object]:
        return {
            "score": self.score,
            "total": self.total,
            "percent": self.percent,
            "seconds": round(self.seconds, 1),
            "by_topic": self.by_topic(),
            "questions": [
                {
                    "card": r.question.card.key,
                    "kind": r.question.ask.value,
                    "topic": r.question.card.topic,
                    "given": r.given,
                    "expected": r.question.expected,
                    "correct": r.correct,
                    "score": r.score,
                }
                for r in self.results
            ],
        }
