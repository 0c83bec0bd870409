"""ec2cards' settings as Anki's: FSRS on, and its parameters, retention, steps and limits on the
"ec2cards" preset of its decks, so that Anki on the phone schedules as ec2cards in the terminal.
FSRS, load balancing and the hour a day starts are settings of the whole Anki collection."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from ec2cards.config.settings import Settings
from ec2cards.sync.shadow import Shadow

LOAD_BALANCER = "loadBalancerEnabled"  # Config.Bool.LOAD_BALANCER_ENABLED's key
LEECH_SUSPENDS = 0  # Anki's leech action "suspend card", as ec2cards does


def minutes(steps: Iterable[Any]) -> list[float]:
    return [step.total_seconds() / 60 for step in steps]


def configure(shadow: Shadow, settings: Settings) -> bool:
    """FSRS on, and ec2cards' parameters, retention, steps and limits on its preset, so
    that Anki schedules as ec2cards does. Only what differs is written (each write is a
    change to sync). True when the hour a day starts changed: Anki's timing of today is
    cached until the collection is opened again."""
    col = shadow.col
    if col.get_config("fsrs", False) is not True:
        col.set_config("fsrs", True)
    if bool(col.get_config(LOAD_BALANCER, True)) != settings.load_balance:
        col.set_config(LOAD_BALANCER, settings.load_balance)
    rolled = col.get_config("rollover", 4) != settings.day_cutoff_hour
    if rolled:
        col.set_config("rollover", settings.day_cutoff_hour)
    conf = col.decks.get_config(shadow.preset())
    params = list(settings.parameters)
    wanted: dict[tuple[str, ...], Any] = {
        ("desiredRetention",): settings.desired_retention,
        ("fsrsParams6",): params if len(params) == 21 else [],
        ("fsrsParams5",): params if len(params) == 19 else [],
        ("new", "delays"): minutes(settings.steps("learning_steps")),
        ("lapse", "delays"): minutes(settings.steps("relearning_steps")),
        ("rev", "maxIvl"): settings.maximum_interval,
        ("new", "perDay"): settings.new_per_day,
        ("rev", "perDay"): settings.reviews_per_day,
        ("lapse", "leechFails"): settings.leech_threshold,
        ("lapse", "leechAction"): LEECH_SUSPENDS,
        ("new", "bury"): settings.bury_siblings,
        ("rev", "bury"): settings.bury_siblings,
        ("easyDaysPercentages",): list(settings.easy_days),
    }
    differs = False
    for path, value in wanted.items():
        holder = conf
        for part in path[:-1]:
            holder = holder[part]
        if not _same(holder.get(path[-1]), value):
            holder[path[-1]] = value
            differs = True
    if differs:
        col.decks.update_config(conf)
    return bool(rolled)


def _same(have: Any, want: Any) -> bool:
    if isinstance(want, list):
        return isinstance(have, list) and len(have) == len(want) and all(map(_same, have, want))
    if isinstance(want, float) and isinstance(have, int | float) and not isinstance(have, bool):
        return math.isclose(have, want, rel_tol=1e-6)
    return bool(have == want)
