"""`ec2cards edit`: a card's deck file opened at the card's line in the user's editor, and the
file checked when the editor closes. Bundled decks are read-only: the way to a copy is said."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

from ec2cards.decks.format import load_deck
from ec2cards.errors import UsageError
from ec2cards.model.cards import Card
from ec2cards.model.decks import Collection

COPY_HINT = (
    "deck '{deck}' comes with ec2cards and is read-only; to change its cards, make a copy of"
    " your own under another id: ec2cards export --deck {deck} -o my-{deck}.yaml, change"
    " 'deck: {deck}' to 'deck: my-{deck}' in it, then ec2cards import my-{deck}.yaml"
)


def edit_card(
    card: Card | None, collection: Collection, key: str, editor: Sequence[str]
) -> list[str]:
    """Open the editor at the card's line and wait for it; the lines to print after."""
    if card is None or card.path is None:
        raise UsageError(f"card '{key}' is in no deck any more: there is no text to edit")
    deck = collection.by_id.get(card.deck_id)
    if deck is not None and deck.bundled:
        raise UsageError(COPY_HINT.format(deck=card.deck_id))
    return edit_file(card.path, card.line, key, editor)


def deck_to_edit(
    collection: Collection, name: str, card_key: bool = False
) -> tuple[Path, int] | None:
    """The file and line to open for a deck named by its id (or file): a deck that does not
    load at its first problem, a sound one at its top; None when no deck has that name. For
    a card's key (`card_key`), only its deck when that deck does not load (the card can't be
    found in it until it is fixed)."""
    deck_name = name.partition("/")[0] if card_key else name
    for skipped in collection.skipped:
        if deck_name in (skipped.deck_id, skipped.path.stem, str(skipped.path)):
            return skipped.path, skipped.line
    if card_key:
        return None
    deck = collection.by_id.get(name)
    if deck is None or deck.path is None:
        return None
    if deck.bundled:
        raise UsageError(COPY_HINT.format(deck=name))
    return deck.path, 1


def edit_file(path: Path, line: int, name: str, editor: Sequence[str]) -> list[str]:
    """Open the editor at a line of a deck file, wait for it, and check the file after."""
    command = [*editor, f"+{line}", str(path)]
    try:
        finished = subprocess.run(command, check=False)
    except OSError as error:
        raise UsageError(
            f"cannot start the editor '{editor[0]}' ({error.strerror or error}); set $EDITOR"
            " (or $VISUAL) to one you have"
        ) from None
    lines = []
    if finished.returncode != 0:
        lines.append(f"the editor ended with status {finished.returncode}")
    loaded, problems = load_deck(path)
    if problems:
        lines += [str(problem) for problem in problems]
        lines.append(f"{path} has problems now; fix them: ec2cards edit {name}")
    elif loaded is not None:
        lines.append(f"ok: {path} checks ({len(loaded.cards)} cards)")
    return lines
