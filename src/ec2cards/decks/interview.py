"""Asking for a card's fields one prompt at a time, each answer checked before the next
question, so a person hears about a problem right away."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from ec2cards.decks.adding import Draft, Prompter, clash
from ec2cards.decks.fields import (
    FieldError,
    clean_answer,
    clean_cloze,
    clean_items,
    clean_options,
    clean_text,
    clean_topics,
    split_list,
)
from ec2cards.model.cards import CardKind
from ec2cards.model.decks import Deck


def _until_valid(prompter: Prompter, label: str, check: Callable[[str], Any]) -> Any:
    while True:
        raw = prompter.ask(label)
        try:
            return check(raw)
        except FieldError as error:
            prompter.say(f"  ✗ {error}")


def _list_until_blank(
    prompter: Prompter, label: str, check: Callable[[list[str]], list[str]]
) -> list[str]:
    """One value per prompt until an empty line; the list as a whole is checked at the end."""
    while True:
        values: list[str] = []
        while True:
            raw = prompter.ask(f"{label} {len(values) + 1} (Enter to finish)").strip()
            if not raw:
                break
            if raw in values:
                prompter.say(f"  ✗ '{raw}' is already in the list")
                continue
            values.append(raw)
        try:
            return check(values)
        except FieldError as error:
            prompter.say(f"  ✗ {error}; start the list again")


def interview(deck: Deck, draft: Draft, prompter: Prompter) -> Draft:
    """Ask for every field the draft lacks, checking each answer before the next question."""
    result = replace(draft)

    def unique(kind_text: str) -> Callable[[str], str]:
        def check(raw: str) -> str:
            value = clean_cloze(raw) if kind_text == "text" else clean_text(raw, "question")
            probe = replace(result, text=value) if kind_text == "text" else replace(result, q=value)
            problem = clash(deck, probe)
            if problem:
                raise FieldError(problem)
            return value

        return check

    kind = result.kind
    if kind is CardKind.CLOZE:
        if not result.text:
            prompter.say("Mark each hidden part as {{c1::words}} or {{c1::words::hint}}.")
            result.text = _until_valid(prompter, "Text", unique("text"))
    elif not result.q:
        result.q = _until_valid(prompter, "Question", unique("q"))
    if kind is CardKind.BASIC:
        if not result.a:
            result.a = _until_valid(prompter, "Answer", lambda raw: clean_text(raw, "answer"))
        if not result.accept:
            raw = prompter.ask("Other answers accepted when typed, separated by ';' (Enter: none)")
            result.accept = split_list(raw, ";")
    if kind.chooses:
        if not result.options:
            result.options = _list_until_blank(prompter, "Option", clean_options)
        if not result.answer:
            for number, option in enumerate(result.options, 1):
                prompter.say(f"  {number}. {option}")
            result.answer = _until_valid(
                prompter,
                "Right option(s): number(s), e.g. 2 or 1,3",
                lambda raw: clean_answer(split_list(raw.replace(";", ","), ","), result.options),
            )
    if kind is CardKind.SCENARIO and not result.explain:
        result.explain = [
            _until_valid(
                prompter,
                f"Why is option {number} ({option}) right or wrong",
                lambda raw: clean_text(raw, "reason"),
            )
            for number, option in enumerate(result.options, 1)
        ]
    if kind is CardKind.ORDER and not result.items:
        result.items = _list_until_blank(prompter, "Item, in the right order,", clean_items)
    if not result.topics:
        result.topics = _until_valid(
            prompter,
            f"Topics besides '{deck.topic}', separated by ',' (Enter: none)",
            lambda raw: clean_topics(split_list(raw.replace(";", ","), ",")),
        )
    if not result.source:
        default = f" (Enter: the deck's, {deck.source})" if deck.source else " (Enter: none)"
        result.source = prompter.ask(f"Source{default}").strip()
    if not result.note:
        result.note = prompter.ask("Note shown after the answer (Enter: none)").strip()
    return result
