"""Scheduling: the FSRS adapter (intervals, fuzz, study days), the optimizer, the workload
simulator and exam planning."""
