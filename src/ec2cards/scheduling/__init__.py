"""Scheduling: the FSRS adapter (intervals, fuzz, study days), recording an answer (the single
path for study and quizzes), replay of the log, the optimizer, the workload simulator and exam
planning."""
