"""ec2cards cards as Anki notes: what both the .apkg and the CSV exporters write, and sync.

One note per YAML card: a cloze card's c1, c2, ... siblings are one Cloze note again. Choice and
order cards have no Anki note type of their own, so they become Basic notes whose front lists
the options (or the items, alphabetically) and whose back gives the right option (the order).
The notes' shape (note types, GUIDs, the key field, tags) is `interop/anki_notes.py`'s; this
module fills it with a card's text as HTML.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from ec2cards.interop.anki_notes import (
    DECK_PREFIX,
    ExportNote,
    anki_tags,
    guid_for,
    note_key,
)
from ec2cards.interop.html_text import markdown_to_html
from ec2cards.model.cards import Card, CardKind


def _list(items: Sequence[str], ordered: bool) -> str:
    tag = "ol" if ordered else "ul"
    inner = "".join(f"<li>{markdown_to_html(item)}</li>" for item in items)
    return f"<{tag}>{inner}</{tag}>"


def build_notes(cards: Sequence[Card]) -> list[ExportNote]:
    """The notes for `cards`, in their order; cloze siblings folded into one note."""
    notes: list[ExportNote] = []
    cloze_notes: dict[str, int] = {}  # key -> index in notes
    for card in cards:
        note = markdown_to_html(card.note) if card.note else ""
        source = html.escape(card.source) if card.source else ""
        common = {
            "deck": DECK_PREFIX + card.topic,
            "note": note,
            "source": source,
            "tags": anki_tags(card),
        }
        if card.kind is CardKind.CLOZE:
            key = note_key(card)
            if key in cloze_notes:
                index = cloze_notes[key]
                earlier = notes[index]
                notes[index] = ExportNote(**{**earlier.__dict__, "cards": earlier.cards + 1})
                continue
            cloze_notes[key] = len(notes)
            notes.append(
                ExportNote(
                    key=key,
                    guid=guid_for(key),
                    cloze=True,
                    front=markdown_to_html(card.cloze_text),
                    back="",
                    accept="",
                    cards=1,
                    **common,  # type: ignore[arg-type]
                )
            )
            continue
        question = markdown_to_html(card.question)
        if card.kind.chooses:
            front = question + _list(card.options, ordered=True)
            back = "<br>".join(markdown_to_html(option) for option in card.correct)
        elif card.kind is CardKind.ORDER:
            front = question + _list(sorted(card.items, key=str.casefold), ordered=False)
            back = _list(card.items, ordered=True)
        else:
            front, back = question, markdown_to_html(card.answer)
        notes.append(
            ExportNote(
                key=card.key,
                guid=guid_for(card.key),
                cloze=False,
                front=front,
                back=back,
                accept=html.escape("; ".join(card.accept)),
                cards=1,
                **common,  # type: ignore[arg-type]
            )
        )
    return notes
