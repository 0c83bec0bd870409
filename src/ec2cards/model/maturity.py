"""When a review card counts as mature: a module of its own, with no imports, so the
schema (which counts young and mature reviews) can use it without loading the model."""

# A review card is mature once its interval reaches this many days (Anki's line), young before.
MATURE_DAYS = 21
