"""The fsrs-rs workload simulator: daily reviews, minutes and cards remembered at each
desired retention, for the user's deck size and daily limits."""

from __future__ import annotations

import math
from dataclasses import dataclass

from ec2cards.config.settings import Settings

RETENTIONS = (0.70, 0.75, 0.80, 0.85, 0.90, 0.93, 0.95, 0.97)


@dataclass(frozen=True)
class SimulationRow:
    retention: float
    reviews_per_day: float
    minutes_per_day: float
    remembered: float
    current: bool


def simulate(cards: int, settings: Settings, days: int, seed: int = 2024) -> list[SimulationRow]:
    """Workload and cards remembered after `days` at each desired retention (fsrs-rs simulator).

    The simulator starts from a deck of `cards` new cards with the daily limits of the settings."""
    import fsrs_rs_python as fsrs_rs

    parameters = list(settings.parameters) or list(fsrs_rs.DEFAULT_PARAMETERS)
    retentions = sorted(set(RETENTIONS) | {round(settings.desired_retention, 2)})
    rows = []
    for retention in retentions:
        config = fsrs_rs.default_simulator_config()
        config.deck_size = max(cards, 1)
        config.learn_span = days
        config.learn_limit = settings.new_per_day
        config.review_limit = settings.reviews_per_day
        config.max_ivl = float(settings.maximum_interval)
        result = fsrs_rs.simulate(parameters, retention, config, seed)
        reviews = [
            r + n for r, n in zip(result.review_cnt_per_day, result.learn_cnt_per_day, strict=True)
        ]
        rows.append(
            SimulationRow(
                retention=retention,
                reviews_per_day=sum(reviews) / days,
                minutes_per_day=sum(result.cost_per_day) / days / 60,
                remembered=result.memorized_cnt_per_day[-1],
                current=math.isclose(retention, settings.desired_retention, abs_tol=0.001),
            )
        )
    return rows
