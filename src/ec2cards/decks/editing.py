"""`ec2cards edit`: a card's deck file opened at the card's line in the user's editor, and the
file checked when the editor closes. Bundled decks are read-only: the way to a copy is said."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence

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
    command = [*editor, f"+{card.line}", str(card.path)]
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
    loaded, problems = load_deck(card.path)
    if problems:
        lines += [str(problem) for problem in problems]
        lines.append(f"{card.path} has problems now; fix them: ec2cards edit {key}")
    elif loaded is not None:
        lines.append(f"ok: {card.path} checks ({len(loaded.cards)} cards)")
    return lines
