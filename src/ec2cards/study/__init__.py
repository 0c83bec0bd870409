"""Studying: the session (queue, answer, undo, suspend) and the loop that drives a frontend.
No terminal code."""
