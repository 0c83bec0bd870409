"""Progress: what the learner knows and what is coming (stats, due counts)."""
