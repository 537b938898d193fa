"""The cliff in a recurrent network's loss, and gradient descent on it with and without
clipping (notebook 02; the surface and the runs come from lstmlearn.cliff).

    plot_cliff         the loss over (w, b) as shaded contours, the runs' paths drawn on it
    plot_cliff_losses  the runs' loss against the step, on a log scale
"""

from __future__ import annotations

import numpy as np

from ..cliff import cliff_loss
from .style import OKABE_ITO, new_axes, series_style

RUN_COLORS = (OKABE_ITO["vermillion"], OKABE_ITO["blue"], OKABE_ITO["bluish green"], OKABE_ITO["reddish purple"])
FLOOR = 1e-4  # losses below this are shaded as this (the valley's floor is 0)


def _style(n: int, points: int) -> dict:
    return {**series_style(n, points, markers=points), "color": RUN_COLORS[n % len(RUN_COLORS)], "lw": 1.4}


def plot_cliff(runs: dict, w_range=(3.5, 7.0), b_range=(-3.5, 0.0), ax=None, n: int = 281, wall=100.0, **surface):
    """Shaded contours of log10 of cliff_loss over w_range x b_range, the wall (a dotted line
    around the points where the gradient's norm exceeds `wall`), and the path of each run.

    runs : label -> Descent (lstmlearn.cliff.descend), drawn in order with line styles and
        markers that differ, not only colours
    n : grid points along each axis        surface : T, x0, target of cliff_loss
    Returns the axes.
    """
    fig, ax = new_axes(ax, figsize=(6, 4.4))
    w = np.linspace(*w_range, n)
    b = np.linspace(*b_range, n)
    W, B = np.meshgrid(w, b)
    here = cliff_loss(W, B, **surface)
    loss = np.maximum(here.loss, FLOOR)
    shades = ax.contourf(W, B, np.log10(loss), levels=np.arange(np.log10(FLOOR), 2.51, 0.5), cmap="Greys_r")
    bar = fig.colorbar(shades, ax=ax, shrink=0.9)
    bar.set_label(r"$\log_{10} L$ (darker: lower)")
    ax.contour(W, B, np.hypot(here.dw, here.db), levels=[wall], colors="black", linestyles=":", linewidths=1.2)
    ax.plot([], [], ":", color="black", label=rf"the wall: $\|\nabla L\| > {wall:g}$")
    for k, (label, run) in enumerate(runs.items()):
        ax.plot(*run.path.T, label=label, **_style(k, len(run.path)), zorder=3 + k)
    start = next(iter(runs.values())).path[0]
    ax.plot(*start, "*", ms=13, color="white", mec="black", zorder=9, label="start")
    ax.set(xlim=w_range, ylim=b_range, xlabel="$w$", ylabel="$b$")
    ax.legend(fontsize=8, loc="lower left")
    return ax


def plot_cliff_losses(runs: dict, ax=None):
    """The loss of each run (label -> Descent) against the step, log scale; returns the axes."""
    _, ax = new_axes(ax, figsize=(6, 3))
    for k, (label, run) in enumerate(runs.items()):
        ax.semilogy(np.arange(len(run.loss)), run.loss, label=label, **_style(k, len(run.loss)))
    ax.set(xlabel="step", ylabel="loss $L$")
    ax.legend(fontsize=8, loc="lower left")
    return ax
