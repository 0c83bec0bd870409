"""Quizzes: questions and distractors, all grading, the quiz session with its recorded answers,
and scorecards. No terminal code."""
