"""Noticing that training has blown up, before the numbers turn into NaN (notebooks 07-09).

A step diverges when its loss or gradient norm is NaN or inf, or when its loss grows past
DIVERGENCE_FACTOR times the median of the run's first DIVERGENCE_WINDOW losses: a run whose
loss is a hundred times where it started has left the region where its learning rate works,
and waiting for NaN only loses the steps in between. TrainingDiverged names the step and the
loss, and the fixes that fit the run: a lower learning rate, clipping if there is none, a
smaller clip or less momentum where those are the cause.
"""

from __future__ import annotations

import numpy as np

DIVERGENCE_FACTOR = 100.0  # a loss this many times the early losses' median is a blow-up
DIVERGENCE_WINDOW = 10  # the early losses: those of the first this many steps of the run


class TrainingDiverged(FloatingPointError):
    """The loss blew up or became NaN or inf. `.step` and `.loss` say where; `.result` is
    the TrainResult of the last step before it."""

    def __init__(self, message: str, step: int = 0, loss: float = float("nan"), result=None):
        super().__init__(message)
        self.step, self.loss, self.result = step, loss, result


class DivergenceWatch:
    """Notices a blow-up before NaN, and says what to change in this run.

    optimizer, clip : the run's optimiser and clip value (the advice is built from them)
    has_checkpoint : whether the run saves a checkpoint (then the advice says how to start afresh)
    """

    def __init__(self, optimizer, clip, has_checkpoint):
        self.optimizer, self.clip, self.has_checkpoint = optimizer, clip, has_checkpoint

    def check(self, step, loss, norm, log):
        """Raise TrainingDiverged if this step's loss or gradient norm is not finite, or the loss has
        grown past DIVERGENCE_FACTOR times the median of the run's first DIVERGENCE_WINDOW losses."""
        if not np.isfinite(loss):
            raise self.error(step, loss, f"the loss is {loss}")
        if not np.isfinite(norm):
            raise self.error(step, loss, f"the gradient norm is {norm}")
        early = log.lists["loss"][:DIVERGENCE_WINDOW]
        if early and loss > DIVERGENCE_FACTOR * float(np.median(early)):
            first = "the first loss" if len(early) == 1 else f"the median of the first {len(early)} losses"
            raise self.error(step, loss, f"the loss is {loss:.4g}, over {DIVERGENCE_FACTOR:g} times {first} "
                                         f"({float(np.median(early)):.4g})")

    def error(self, step, loss, what):
        """A TrainingDiverged naming the step, what happened and the fixes that fit this run."""
        opt, lr = self.optimizer, getattr(self.optimizer, "lr", None)
        fixes = []
        if lr is not None:
            fixes.append(f"a lower learning rate, for example {type(opt).__name__}(lr={lr / 3:.3g}) instead of lr={lr!r}")
        if self.clip is None:
            fixes.append("gradient clipping (clip=1.0)")
        elif self.clip > 1.0:
            fixes.append(f"a smaller clip (clip=1.0 instead of clip={self.clip!r})")
        if getattr(opt, "momentum", 0) >= 0.9:
            fixes.append(f"less momentum (momentum=0.5 instead of {opt.momentum!r})")
        clipped = (f" The gradient is already clipped (clip={self.clip!r}), so each step's size is set by "
                   f"the learning rate." if self.clip is not None and self.clip <= 1.0 else "")
        afresh = " Start afresh with resume=False (the checkpoint holds the old settings)." \
            if self.has_checkpoint else ""
        return TrainingDiverged(f"Training diverged at step {step}: {what}. Try " + ", or ".join(fixes)
                                + f".{clipped}{afresh}", step, float(loss))
