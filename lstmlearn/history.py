"""What happened during training: one record per step and one per evaluation (notebooks 07, 08).

History is the finished record a run returns (and a checkpoint stores); Log is the same
record while it grows, kept as lists so a step appends in constant time. train.py writes
the Log, checkpoint.py stores the History; this module needs neither of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class History:
    """What happened during training, one entry per step (step, loss, grad_norm, time) and
    one per evaluation (eval_step, score).

    step : training step numbers (1, 2, ...)    loss : training loss of that step's batch
    grad_norm : global gradient norm before clipping    time : wall seconds since the start
    eval_step : steps at which the model was scored     score : the score there
    score_name : what the score measures    baseline : chance values, e.g. {"loss": 1/24, "score": 0.154}
    """

    step: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    loss: np.ndarray = field(default_factory=lambda: np.zeros(0))
    grad_norm: np.ndarray = field(default_factory=lambda: np.zeros(0))
    time: np.ndarray = field(default_factory=lambda: np.zeros(0))
    eval_step: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    score: np.ndarray = field(default_factory=lambda: np.zeros(0))
    score_name: str = ""
    baseline: dict = field(default_factory=dict)

    ARRAYS = ("step", "loss", "grad_norm", "time", "eval_step", "score")
    PER_STEP = ("step", "loss", "grad_norm", "time")
    PER_EVAL = ("eval_step", "score")


class Log:
    """A History being written: lists that grow by one entry per step or evaluation."""

    def __init__(self, history: History | None = None):
        self.lists = {name: [] if history is None else list(getattr(history, name)) for name in History.ARRAYS}

    def add_step(self, step: int, loss: float, grad_norm: float, time: float) -> None:
        """Record one training step."""
        for name, value in zip(History.PER_STEP, (step, loss, grad_norm, time)):
            self.lists[name].append(value)

    def add_eval(self, step: int, score: float) -> None:
        """Record one evaluation."""
        self.lists["eval_step"].append(step)
        self.lists["score"].append(score)

    def keep_until(self, step: int) -> None:
        """Drop every record after `step`, and any half-written record (a step whose loss
        was appended but not its time, say, when Ctrl-C came between the two)."""
        for names, steps in ((History.PER_STEP, "step"), (History.PER_EVAL, "eval_step")):
            n = min(len(self.lists[name]) for name in names)
            n = sum(1 for s in self.lists[steps][:n] if s <= step)
            for name in names:
                del self.lists[name][n:]

    def drop_eval_at(self, step: int) -> None:
        """Remove the evaluation recorded at `step`, if the last one was there."""
        if self.lists["eval_step"] and self.lists["eval_step"][-1] == step:
            del self.lists["eval_step"][-1], self.lists["score"][-1]

    @property
    def last_time(self) -> float:
        return float(self.lists["time"][-1]) if self.lists["time"] else 0.0

    @property
    def last_eval_step(self):
        return self.lists["eval_step"][-1] if self.lists["eval_step"] else None

    def history(self, score_name: str = "", baseline: dict | None = None) -> History:
        """The record so far as a History of arrays."""
        dtypes = {"step": np.int64, "eval_step": np.int64}
        arrays = {k: np.array(v, dtype=dtypes.get(k, np.float64)) for k, v in self.lists.items()}
        return History(**arrays, score_name=score_name, baseline=dict(baseline or {}))
