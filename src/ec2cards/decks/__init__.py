"""Decks: the YAML format and its checking, finding and caching deck files, and writing decks
(`deck new`, `add`)."""
