"""Gates and states over time, one panel per quantity, units x time (notebook 05).

Steps are numbered t = 1 .. T: column t of a panel is trace.<k>[t - 1].
Colour scales: i, f, o on 0..1 (viridis); g and h on -1..1 and c on -m..m with
m = max |c| (PuOr, centred at 0).
"""

from __future__ import annotations

from typing import NamedTuple

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from .style import DIVERGING, GATE_NAMES, SEQUENTIAL

QUANTITIES = ("i", "f", "g", "o", "c", "h")


class TraceHeatmaps(NamedTuple):
    """What plot_trace_heatmaps drew: the figure, one Axes, image and cursor line per quantity."""

    figure: Figure
    axes: tuple
    images: tuple
    cursors: tuple


def plot_trace_heatmaps(trace, quantities=QUANTITIES, example: int = 0, t=None, axes=None):
    """Heatmaps of trace.<k>[:, example, :].T for each k in `quantities`, with a cursor at t.

    trace : the LSTMStep trace from lstm_forward, fields (T, B, H)
    quantities : names among "i", "f", "g", "o", "c", "h" (one panel each, top to bottom)
    example : which sequence of the batch      t : step 1 .. T for the cursor, or None
    axes : a sequence of len(quantities) Axes, or None for a new figure

    Returns a TraceHeatmaps: .figure, and per panel .axes, .images and .cursors (vertical
    lines at t, hidden when t is None; set_heatmap_cursor moves them).
    """
    quantities = tuple(quantities)
    bad = [k for k in quantities if k not in QUANTITIES]
    if bad or not quantities:
        raise ValueError(f"quantities must be names among {list(QUANTITIES)}, but got {list(quantities)}.")
    T, B, H = trace.h.shape
    if not 0 <= example < B:
        raise ValueError(f"example must be in 0 .. {B - 1} (the batch has B = {B}), but it is {example}.")
    if axes is None:
        fig, axes = plt.subplots(len(quantities), 1, figsize=(7, 0.35 + 1.05 * len(quantities)),
                                 sharex=True, layout="constrained", squeeze=False)
        axes = axes[:, 0]
    else:
        axes = list(axes)
        if len(axes) != len(quantities):
            raise ValueError(f"axes should hold {len(quantities)} Axes, one per quantity, but it holds {len(axes)}.")
        fig = axes[0].figure
    images, cursors = [], []
    for ax, k in zip(axes, quantities):
        data = np.asarray(getattr(trace, k))[:, example, :].T  # (H, T): units x time
        if k in ("i", "f", "o"):
            cmap, vmin, vmax = SEQUENTIAL, 0.0, 1.0
        else:
            m = 1.0 if k in ("g", "h") else max(float(np.max(np.abs(data))), 1e-12)
            cmap, vmin, vmax = DIVERGING, -m, m
        im = ax.imshow(data, aspect="auto", origin="lower", cmap=cmap, vmin=vmin, vmax=vmax,
                       extent=(0.5, T + 0.5, -0.5, H - 0.5), interpolation="nearest")
        images.append(im)
        cbar = fig.colorbar(im, ax=ax, pad=0.01, fraction=0.04)
        cbar.ax.tick_params(labelsize=8)
        ax.set_ylabel("unit", fontsize=9)
        ax.set_title(f"${k}_t$  {GATE_NAMES[k]}", fontsize=10, loc="left", pad=3)
        ax.yaxis.set_major_locator(MaxNLocator(nbins=3, integer=True))
        ax.tick_params(labelsize=8)
        cursors.append(ax.axvline(t if t is not None else 1, color="red", lw=1.5, visible=t is not None))
    axes[-1].set_xlabel("step $t$")
    return TraceHeatmaps(fig, tuple(axes), tuple(images), tuple(cursors))


def set_heatmap_cursor(heatmaps: TraceHeatmaps, t) -> TraceHeatmaps:
    """Move the cursors of `heatmaps` (from plot_trace_heatmaps) to step t (None hides them);
    returns heatmaps."""
    if not isinstance(heatmaps, TraceHeatmaps):
        raise TypeError(f"heatmaps should be the TraceHeatmaps that plot_trace_heatmaps returned, "
                        f"but it is a {type(heatmaps).__name__}.")
    for line in heatmaps.cursors:
        if t is None:
            line.set_visible(False)
        else:
            line.set_xdata([t, t])
            line.set_visible(True)
    return heatmaps
