"""Checks of the fields of a card written by hand (at a prompt, as options, or imported): each
returns the cleaned value or raises FieldError saying what to do."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from ec2cards.decks.naming import SLUG
from ec2cards.model import cloze
from ec2cards.model.text import normalise
from ec2cards.model.wording import did_you_mean, plural


class FieldError(ValueError):
    """A value typed at a prompt or given as an option that cannot go into a card."""


def slug_error(value: str, what: str) -> str | None:
    if SLUG.match(value):
        return None
    suggestion = re.sub(r"[^a-z0-9]+", "-", normalise(value)).strip("-")
    hint = f", e.g. '{suggestion}'" if suggestion else ""
    return f"{what} must be a slug (lower-case letters, digits and '-'){hint}, not '{value}'"


def clean_text(value: str, what: str) -> str:
    value = value.strip()
    if not value:
        raise FieldError(f"the {what} is empty")
    return value


def clean_cloze(value: str) -> str:
    value = clean_text(value, "text")
    if not cloze.deletions(value):
        raise FieldError("no deletion: mark hidden words as {{c1::words}} or {{c1::words::hint}}")
    wrong = cloze.markup_problem(value)
    if wrong is not None:
        raise FieldError(wrong)
    empty = [d for d in cloze.deletions(value) if not d.words.strip()]
    if empty:
        raise FieldError(f"deletion c{empty[0].number} is empty")
    return value


def split_list(value: str, separator: str) -> list[str]:
    """Several values typed on one line (alternatives by ';', topics and numbers by ',')."""
    return [part.strip() for part in value.split(separator) if part.strip()]


def clean_topics(values: Iterable[str]) -> list[str]:
    topics = [v.strip() for v in values if v.strip()]
    for topic in topics:
        problem = slug_error(topic, "a topic")
        if problem:
            raise FieldError(problem)
    return list(dict.fromkeys(topics))


def clean_options(options: Sequence[str]) -> list[str]:
    options = [o.strip() for o in options if o.strip()]
    if len(options) < 2:
        raise FieldError("a choice card needs at least two options")
    if len({normalise(o) for o in options}) != len(options):
        raise FieldError("the options must all differ")
    return options


def clean_answer(values: Sequence[str], options: Sequence[str]) -> list[str]:
    """Right options given by number (1-based) or by their text."""
    picked: list[str] = []
    for value in (v.strip() for v in values):
        if not value:
            continue
        if value.isdigit():
            number = int(value)
            if not 1 <= number <= len(options):
                raise FieldError(f"there is no option {number} (1-{len(options)})")
            picked.append(options[number - 1])
        elif value in options:
            picked.append(value)
        else:
            hint = did_you_mean(value, options)
            hint = f" ({hint})" if hint else ""
            raise FieldError(f"'{value}' is not one of the options{hint}")
    if not picked:
        raise FieldError("give the right option (its number or its text)")
    return list(dict.fromkeys(picked))


def clean_items(items: Sequence[str]) -> list[str]:
    items = [i.strip() for i in items if i.strip()]
    if len(items) < 2:
        raise FieldError("an order card needs at least two items")
    if len(set(items)) != len(items):
        raise FieldError("the items must all differ")
    return items


def clean_explanations(values: list[str], options: list[str]) -> list[str]:
    """A scenario's reasons, one per option in the options' order."""
    reasons = [value.strip() for value in values]
    if len(reasons) != len(options) or not all(reasons):
        given = plural(len([reason for reason in reasons if reason]), "reason")
        raise FieldError(
            f"give one --explain per option, in their order: why it is right or wrong"
            f" ({plural(len(options), 'option')}, {given})"
        )
    return reasons
