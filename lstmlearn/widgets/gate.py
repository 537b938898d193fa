"""The gate explorer: one memory cell with a scalar input, every weight on a slider
(notebooks 03 and 05). The maths is lstmlearn.one_cell.one_cell_step, i.e. lstm_step.
"""

from __future__ import annotations

import ipywidgets as W
import numpy as np
from matplotlib.patches import Rectangle

from ..one_cell import one_cell_step
from ..params import GATES
from ..plots.style import GATE_COLORS, GATE_NAMES, detached_figure
from ..plots.diagram import draw_lstm_cell, update_lstm_cell
from ._base import Explorer, fmt, group_row, slider, table

DEFAULT_WEIGHTS = {
    "w_xi": 1.0,
    "w_hi": 0.5,
    "b_i": 0.0,
    "w_xf": 0.5,
    "w_hf": 0.5,
    "b_f": 1.0,
    "w_xg": 1.0,
    "w_hg": -0.5,
    "b_g": 0.0,
    "w_xo": 1.0,
    "w_ho": 0.5,
    "b_o": 0.0,
}
_RANGES = {"i": (0.0, 1.0), "f": (0.0, 1.0), "g": (-1.0, 1.0), "o": (0.0, 1.0)}
# the open ranges of the values shown: gates (0, 1), g and h = o tanh(c) in (-1, 1), c unbounded
WITHIN = _RANGES | {"c": None, "h": (-1.0, 1.0)}


def gate_values(x, h_prev, c_prev, **weights) -> dict:
    """The numbers the gate explorer shows: i, f, g, o, c, h of one step, as floats."""
    return step_numbers(one_cell_step(x, h_prev, c_prev, **weights))


def step_numbers(step) -> dict:
    """i, f, g, o, c, h of a one-unit LSTMStep (from one_cell_step), as floats."""
    return {k: float(getattr(step, k)[0]) for k in ("i", "f", "g", "o", "c", "h")}


def gate_explorer(x=1.0, h_prev=0.0, c_prev=0.5, weight_range=8.0, **weights) -> Explorer:
    """Sliders for the input x, the state h_prev, c_prev and every weight of a one-unit LSTM.

    Controls: x, h_prev, c_prev, and w_xk, w_hk, b_k for each gate k in i, f, g, o
    (weights in [-weight_range, weight_range]); any of them can be given a starting value
    as a keyword, e.g. gate_explorer(b_f=3.0).
    .values: i, f, g, o, c, h (floats), as gate_values computes them.
    Shows the numbers, each gate as a bar on its range, and the cell diagram.
    """
    start = DEFAULT_WEIGHTS | weights
    controls = {
        "x": slider("$x_t$", x, -3.0, 3.0, 0.05),
        "h_prev": slider("$h_{t-1}$", h_prev, -1.0, 1.0, 0.02),
        "c_prev": slider("$c_{t-1}$", c_prev, -5.0, 5.0, 0.05),
    }
    for k in GATES:
        controls[f"w_x{k}"] = slider(f"$w_{{x{k}}}$", start[f"w_x{k}"], -weight_range, weight_range, 0.1)
        controls[f"w_h{k}"] = slider(f"$w_{{h{k}}}$", start[f"w_h{k}"], -weight_range, weight_range, 0.1)
        controls[f"b_{k}"] = slider(f"$b_{k}$", start[f"b_{k}"], -weight_range, weight_range, 0.1)

    fig = detached_figure((9.5, 4.1), dpi=85)
    ax_bars, ax_cell = fig.subplots(1, 2, width_ratios=[1, 4.5])
    bars = _draw_gate_bars(ax_bars)
    cell = draw_lstm_cell(ax=ax_cell, step=one_cell_step(x, h_prev, c_prev, **start))

    def compute(params):
        # the LSTMStep: the diagram draws it, the readout shows its numbers. A slider may hold a
        # subnormal number (5e-324 typed from code); its products underflow to 0, which is right.
        with np.errstate(under="ignore"):
            return one_cell_step(**params)

    def draw(step):
        for k, bar in bars.items():
            bar.set_width(float(getattr(step, k)[0]))
        update_lstm_cell(cell, step)
        return False  # only the dynamic artists changed

    def describe(values):
        return table([(f"<i>{k}</i>", fmt(values[k], within=WITHIN[k])) for k in ("i", "f", "g", "o", "c", "h")])

    # one row per group, its heading first: the input and the state, then each gate with its
    # weights, in the order of the equation z_k = w_xk x_t + w_hk h_{t-1} + b_k. Five rows of
    # sliders leave the picture in view on a laptop screen; a narrow notebook wraps each row.
    groups = [group_row("input and state", [controls["x"], controls["h_prev"], controls["c_prev"]])]
    groups += [
        group_row(f"<i>{k}</i>: {GATE_NAMES[k]}", [controls[f"w_x{k}"], controls[f"w_h{k}"], controls[f"b_{k}"]])
        for k in GATES
    ]
    rows = W.VBox(groups, layout=W.Layout(width="100%"))
    dynamic = list(bars.values()) + cell.dynamic
    return Explorer(
        controls,
        compute,
        draw,
        describe,
        fig,
        dynamic=dynamic,
        numbers=step_numbers,
        title="One LSTM step: move x, the state or a weight and watch the gates",
        layout=rows,
        alt="Bars of the gates i, f, o in (0, 1) and the candidate g in (-1, 1), beside the LSTM cell diagram coloured by this step's values",
    )


def _draw_gate_bars(ax):
    """Four horizontal bars, each on its gate's range: (0, 1) for i, f, o and (-1, 1) for g."""
    bars = {}
    for row, k in enumerate(GATES):
        y = len(GATES) - 1 - row
        lo, hi = _RANGES[k]
        ax.add_patch(Rectangle((lo, y - 0.3), hi - lo, 0.6, fc="0.92", ec="0.7", lw=0.8))
        bar = ax.barh(y, 0.0, height=0.6, color=GATE_COLORS[k])[0]
        bars[k] = bar
    ax.axvline(0.0, color="0.3", lw=0.8)
    ax.set_yticks(range(len(GATES)), [f"${k}_t$" for k in reversed(GATES)], fontsize=12)
    ax.set_xlim(-1.05, 1.05)
    ax.set_xticks([-1, 0, 1])
    ax.set_ylim(-0.6, len(GATES) - 0.4)
    ax.set_title("gates on their ranges", fontsize=10)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return bars
