"""Typed answers: the form answers are compared in, and whether a typed reply is right."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ec2cards.model.text import normalise

SIMILARITY_THRESHOLD = 85
ARTICLES = re.compile(r"^(the|a|an) ")


def answer_form(text: str) -> str:
    """The form answers are compared in: normalised, without a leading article."""
    return ARTICLES.sub("", normalise(text))


def digits(text: str) -> list[str]:
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
        if digits(form) != digits(typed):
            continue
        if fuzz.ratio(typed, form) >= SIMILARITY_THRESHOLD:
            return TypedGrade(True, False, True)
    return TypedGrade(False, False, False)
