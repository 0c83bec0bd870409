"""Names in decks: slugs and card ids derived from content."""

from __future__ import annotations

import re

from ec2cards.model.cards import CardKind
from ec2cards.model.text import normalise

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
MAX_DERIVED_SLUG = 64  # four words of any text people write are shorter; the digest is unique


def derived_card_id(kind: CardKind, text: str) -> str:
    """An id from normalised content, so case, spacing and punctuation edits keep history.

    Its readable part is the first four words, cut to MAX_DERIVED_SLUG characters (a word of
    100,000 letters makes no key); the digest of the whole text keeps it unique."""
    norm = normalise(text)
    import hashlib

    digest = hashlib.blake2b(f"{kind.value}:{norm}".encode(), digest_size=4).hexdigest()
    words = "-".join(norm.split()[:4])
    slug = re.sub(r"[^a-z0-9-]", "", words)[:MAX_DERIVED_SLUG].strip("-")
    return f"{slug}-{digest}" if slug else digest
