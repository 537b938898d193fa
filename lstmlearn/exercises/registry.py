"""Every exercise of the course, by name: the tables of the exercise modules, merged.

Each exercise module exports `EXERCISES`, a dict name -> Exercise, defined beside the
notebooks it belongs to: basics.py (notebooks 01-05), backprop.py (06), training.py
(07-09), linear_recurrences.py (10), xlstm.py (11). A new module is one more entry in TABLES. Importing a module defines its table
and changes nothing else.
"""

from __future__ import annotations

from . import backprop, basics, linear_recurrences, training, xlstm
from .exercise import Exercise

TABLES: tuple[dict[str, Exercise], ...] = (
    basics.EXERCISES,
    backprop.EXERCISES,
    training.EXERCISES,
    linear_recurrences.EXERCISES,
    xlstm.EXERCISES,
)


def merge(tables) -> dict[str, Exercise]:
    """One dict of all the tables' exercises; a name defined twice is refused."""
    merged: dict[str, Exercise] = {}
    for table in tables:
        for name, exercise in table.items():
            if name in merged:
                raise ValueError(
                    f"merge(tables): exercise {name!r} is defined twice (notebooks {merged[name].notebook} and "
                    f"{exercise.notebook}); give one of them another name."
                )
            merged[name] = exercise
    return merged


REGISTRY: dict[str, Exercise] = merge(TABLES)


def exercises() -> dict[str, str]:
    """name -> "notebook: task" for every exercise."""
    return {k: f"{e.notebook}: {e.task}" for k, e in sorted(REGISTRY.items(), key=lambda kv: kv[1].notebook)}
