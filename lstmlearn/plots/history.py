"""A training run at a glance: loss, gradient norm before clipping, and score (notebooks 07-09).

`history` is any object with the attributes of lstmlearn's History record:
step, loss, grad_norm, time (one entry per training step; time is seconds since the
start), eval_step, score (one entry per evaluation), score_name (str) and baseline (dict with optional keys "loss", "score":
what a model that has learned nothing gets, e.g. 1/24 for the adding problem's MSE).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from .style import OKABE_ITO

_CHANCE = dict(color="0.35", ls="--", lw=1.3)


def plot_history(history, ax=None):
    """Three panels: loss, gradient norm before clipping (both log scale) and score.

    history : see the module docstring
    ax : None (a new 11 x 3.2 inch figure) or a sequence of three Axes
    Returns the Figure. The chance baselines are dashed lines labelled in each legend.
    """
    for name in ("step", "loss", "grad_norm", "time", "eval_step", "score", "score_name"):
        if not hasattr(history, name):
            raise TypeError(f"history has no attribute {name!r}; pass the History a training run returned.")
    if ax is None:
        fig, axes = plt.subplots(1, 3, figsize=(11, 3.2), layout="constrained")
    else:
        axes = list(ax) if np.iterable(ax) else [ax]
        if len(axes) != 3:
            raise ValueError(f"ax should be three Axes (loss, gradient norm, score), but it holds {len(axes)}.")
        fig = axes[0].figure
    baseline = getattr(history, "baseline", None) or {}
    step, loss, gnorm = (np.asarray(getattr(history, k), dtype=float) for k in ("step", "loss", "grad_norm"))

    a = axes[0]
    a.plot(step, loss, color=OKABE_ITO["blue"], lw=1.4, label="training loss")
    if "loss" in baseline:
        a.axhline(baseline["loss"], **_CHANCE, label=f"chance ({baseline['loss']:.3g})")
    if np.all(loss > 0):
        a.set_yscale("log")
    a.set_title("loss")
    a.set_xlabel("training step")
    a.set_ylabel("loss")
    a.legend(fontsize=9)

    a = axes[1]
    a.plot(step, gnorm, color=OKABE_ITO["vermillion"], lw=1.0)
    if np.all(gnorm > 0):
        a.set_yscale("log")
    a.set_title("gradient norm (before clipping)")
    a.set_xlabel("training step")
    a.set_ylabel(r"$\|\nabla L\|$")

    a = axes[2]
    a.plot(history.eval_step, history.score, "o-", color=OKABE_ITO["bluish green"], ms=4, lw=1.4,
           label=history.score_name)
    if "score" in baseline:
        a.axhline(baseline["score"], **_CHANCE, label=f"chance ({baseline['score']:.3g})")
    a.set_title(history.score_name)
    a.set_xlabel("training step")
    a.set_ylabel(history.score_name)
    a.legend(fontsize=9)

    time = np.asarray(history.time, dtype=float)
    if time.size:
        fig.suptitle(f"{len(step)} steps in {time[-1]:.1f} s", fontsize=10)
    return fig
