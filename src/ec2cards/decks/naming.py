"""Names in decks: slugs and card ids derived from content."""

from __future__ import annotations

import re

from ec2cards.model.cards import CardKind
from ec2cards.model.text import normalise

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def derived_card_id(kind: CardKind, text: str) -> str:
    """An id from normalised content, so case, spacing and punctuation edits keep history."""
    norm = normalise(text)
    import hashlib

    digest = hashlib.blake2b(f"{kind.value}:{norm}".encode(), digest_size=4).hexdigest()
    words = "-".join(norm.split()[:4])
    slug = re.sub(r"[^a-z0-9-]", "", words)
    return f"{slug}-{digest}" if slug else digest
