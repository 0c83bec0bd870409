"""Cloze deletions: `{{c1::words}}` and `{{c1::words::hint}}`, as Anki writes them."""

from __future__ import annotations

import re
from dataclasses import dataclass

CLOZE_PATTERN = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.DOTALL)
BLANK = "[...]"


@dataclass(frozen=True)
class Deletion:
    number: int
    words: str
    hint: str
    start: int
    end: int


def deletions(text: str) -> list[Deletion]:
    return [
        Deletion(int(m.group(1)), m.group(2), m.group(3) or "", m.start(), m.end())
        for m in CLOZE_PATTERN.finditer(text)
    ]


def numbers(text: str) -> list[int]:
    """The distinct cloze numbers of a text, in ascending order: one card each."""
    return sorted({d.number for d in deletions(text)})


def markup_problem(text: str) -> str | None:
    """What is wrong with a text's cloze markup, in words with the fix, or None when it is
    sound: a deletion left open (its words would run into the next one's, which vanishes), a
    number below 1, an empty hint, or braces that open or close no deletion."""
    write = "write {{c1::words}} or {{c1::words::hint}}"
    for match in CLOZE_PATTERN.finditer(text):
        number, words, hint = match.group(1), match.group(2), match.group(3)
        if "{{" in words or (hint and "{{" in hint):
            opened = "the next {{ opens"
            return f"cloze deletion c{number} is not closed before {opened}; close it with }}}}"
        if int(number) < 1:
            return f"cloze deletion c{number}: deletions are numbered from c1"
        if hint is not None and not hint.strip():
            return f"cloze deletion c{number} has an empty hint after '::'; remove it or {write}"
    rest = CLOZE_PATTERN.sub("", text)
    if "{{" in rest:
        return f"malformed cloze deletion; {write}"
    if "}}" in rest:
        return f"a '}}}}' closes no cloze deletion; {write}"
    return None


def _render(text: str, number: int, hidden: bool, mark: str) -> str:
    def replace(match: re.Match[str]) -> str:
        words, hint = match.group(2), match.group(3)
        if int(match.group(1)) != number:
            return words
        if hidden:
            return f"[{hint}]" if hint else BLANK
        return f"{mark}{words}{mark}"

    return CLOZE_PATTERN.sub(replace, text)


def front(text: str, number: int) -> str:
    """The question side: deletion `number` blanked (its hint shown), the others as plain words."""
    return _render(text, number, hidden=True, mark="")


def back(text: str, number: int, mark: str = "**") -> str:
    """The answer side: deletion `number` shown, wrapped in `mark` (Markdown bold by default)."""
    return _render(text, number, hidden=False, mark=mark)


def answers(text: str, number: int) -> list[str]:
    """The words deleted by cloze `number`, in order."""
    return [d.words for d in deletions(text) if d.number == number]
