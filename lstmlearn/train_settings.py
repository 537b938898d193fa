"""What train() was asked to do (lstmlearn.train), in one record, and the check that it can.

train(model, params, task, optimizer, steps, *, batch_size=..., ...) gathers the arguments its
pieces share into a Settings record; check_settings refuses, before the first step and with
the fix, any of them that train cannot use (a steps count that is not a positive whole number,
a target_score with no eval_set to score on, a model that does not fit the task, ...).
"""

from __future__ import annotations

from typing import NamedTuple, Optional

import numpy as np

from ._checks import check_positive_int
from .models import Model


class Settings(NamedTuple):
    """What train() was asked to do: the arguments its pieces share, in one record (all of
    train's arguments but params, opt_state, progress and resume, which only train itself reads)."""

    model: Model
    task: object
    optimizer: object
    steps: int
    batch_size: int
    seed: int
    clip: Optional[float]
    truncate: Optional[int]
    eval_set: object
    eval_every: int
    target_score: Optional[float]
    max_seconds: Optional[float]
    checkpoint_path: object
    checkpoint_every: Optional[int]


def check_settings(settings: Settings) -> None:
    """Refuse, with the fix, the arguments train() cannot use."""
    model, task, optimizer, steps, batch_size, seed, clip, truncate = settings[:8]
    eval_set, eval_every, target_score, max_seconds, checkpoint_path, checkpoint_every = settings[8:]
    check_positive_int("steps", steps)
    check_positive_int("batch_size", batch_size)
    check_positive_int("eval_every", eval_every)
    check_positive_int("checkpoint_every", checkpoint_every, allow_none=True)
    check_positive_int("truncate", truncate, allow_none=True)
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(
            f"seed must be a whole number >= 0 (the batch of step k is drawn with "
            f"default_rng([seed, k])), but it is {seed!r}."
        )
    for name, value, low in (
        ("clip", clip, "a positive number such as 1.0"),
        ("max_seconds", max_seconds, "a number of seconds >= 0"),
    ):
        ok = value is None or (
            not isinstance(value, bool)
            and isinstance(value, (int, float, np.integer, np.floating))
            and np.isfinite(value)
            and (value > 0 if name == "clip" else value >= 0)
        )
        if not ok:
            raise ValueError(f"{name} must be {low}, or None, but it is {value!r}.")
    if target_score is not None and not (
        isinstance(target_score, (int, float, np.integer, np.floating)) and np.isfinite(target_score)
    ):
        raise ValueError(f"target_score must be a finite number or None, but it is {target_score!r}.")
    if target_score is not None and eval_set is None:
        raise ValueError(
            "target_score needs an eval_set to score the model on; without one the target "
            "is never checked. Pass eval_set=task.sample(rng, 500), or target_score=None."
        )
    if checkpoint_every is not None and checkpoint_path is None:
        raise ValueError(
            "checkpoint_every needs a checkpoint_path to save to; without one nothing is "
            "saved. Pass checkpoint_path='run.npz', or checkpoint_every=None."
        )
    if not (hasattr(optimizer, "init") and hasattr(optimizer, "step")):
        raise TypeError(
            f"optimizer must be an optimiser such as ll.Adam(lr=3e-3) or ll.SGD(lr=0.1), but it is {optimizer!r}."
        )
    if eval_set is not None and not (hasattr(eval_set, "X") and hasattr(eval_set, "Y")):
        raise TypeError(
            f"eval_set must be a Batch (e.g. task.sample(rng, 500)) or None, but it is a {type(eval_set).__name__}."
        )
    if (
        model.input_size != task.input_size
        or model.output_size != task.output_size
        or model.readout != task.readout
        or model.loss != task.loss
    ):
        raise ValueError(
            f"model does not fit task {task.name!r}: it needs input_size="
            f"{task.input_size}, output_size={task.output_size}, readout={task.readout!r}, "
            f"loss={task.loss!r}. Make the model with task.model(core, hidden_size)."
        )
