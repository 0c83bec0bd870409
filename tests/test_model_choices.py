"""Choice and order cards' pure logic (model/choices.py), shared by study and quiz: the reply
read as numbers or letters, graded, and the options' daily order."""

from __future__ import annotations

from ec2cards.model.cards import Card, CardKind
from ec2cards.model.choices import (
    grade_choice,
    grade_order,
    parse_numbers,
    showing_seed,
    shuffled,
)

CHOICE = Card(
    "d",
    "pick",
    CardKind.CHOICE,
    "Which are hypervisors?",
    options=("Nitro", "Xen", "S3"),
    correct=("Nitro", "Xen"),
)
ORDER = Card("d", "steps", CardKind.ORDER, "In order:", items=("one", "two", "three", "four"))


def test_a_reply_is_read_as_numbers_letters_or_digits_run_together() -> None:
    assert parse_numbers("2", 3) == [1]
    assert parse_numbers(" 1, 3 ", 3) == [0, 2]
    assert parse_numbers("231", 3) == [1, 2, 0]
    assert parse_numbers("B", 3) == [1]
    assert parse_numbers("a c", 3) == [0, 2]


def test_a_reply_that_is_no_selection_is_none() -> None:
    assert parse_numbers("", 3) is None
    assert parse_numbers("   ", 3) is None
    assert parse_numbers("4", 3) is None  # past the last option
    assert parse_numbers("0", 3) is None
    assert parse_numbers("d", 3) is None
    assert parse_numbers("1 x2", 3) is None


def test_a_choice_is_right_only_with_every_correct_option_and_no_other() -> None:
    shown = ["S3", "Xen", "Nitro"]
    right = grade_choice(CHOICE, shown, [2, 1])
    assert (right.correct, right.score) == (True, 1.0)
    assert right.expected == "Nitro, Xen" and right.given == "Nitro, Xen"
    half = grade_choice(CHOICE, shown, [1])
    assert (half.correct, half.score, half.given) == (False, 0.0, "Xen")
    extra = grade_choice(CHOICE, shown, [0, 1, 2])
    assert not extra.correct


def test_an_order_scores_the_share_of_items_in_place() -> None:
    shown = ["three", "one", "four", "two"]
    right = grade_order(ORDER, shown, [1, 3, 0, 2])
    assert (right.correct, right.score) == (True, 1.0)
    assert right.expected == "one → two → three → four"
    swapped = grade_order(ORDER, shown, [1, 3, 2, 0])  # one two four three
    assert (swapped.correct, swapped.score) == (False, 0.5)
    assert swapped.given == "one → two → four → three"


def test_the_options_order_is_the_same_all_day_and_new_the_next() -> None:
    values = tuple(f"item {n}" for n in range(8))
    today = showing_seed(ORDER, "2026-11-24")
    assert today == "d/steps:2026-11-24"
    assert shuffled(values, today) == shuffled(values, today)
    assert sorted(shuffled(values, today)) == sorted(values)
    days = {tuple(shuffled(values, showing_seed(ORDER, f"2026-11-{d:02}"))) for d in range(1, 8)}
    assert len(days) > 1


def test_items_to_order_are_never_shown_already_in_order() -> None:
    for day in range(1, 61):
        assert shuffled(ORDER.items, f"k:{day}", avoid_original=True) != list(ORDER.items)
    kept = [d for d in range(1, 61) if shuffled(ORDER.items, f"k:{d}") == list(ORDER.items)]
    assert kept  # without the rule, some days show them in order
    assert shuffled(("same", "same"), "k", avoid_original=True) == ["same", "same"]
