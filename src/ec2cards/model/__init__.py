"""The domain model: cards, decks, card states and ratings. Plain data and pure functions,
no I/O."""
