"""The sequence stepper: walk through a recorded forward pass step by step (notebook 05).

A time slider picks step t (1 .. T); the cell diagram shows that step for one unit and
the heatmaps of the whole trace carry a cursor at t.
"""

from __future__ import annotations

import ipywidgets as W

from ..lstm import LSTMStep
from ..plots.style import detached_figure
from ..plots.diagram import cell_values, draw_lstm_cell, update_lstm_cell
from ..plots.heatmaps import QUANTITIES, plot_trace_heatmaps, set_heatmap_cursor
from ._base import Explorer, flow_row, fmt, int_slider, table
from .gate import WITHIN


def step_of(trace, t: int) -> LSTMStep:
    """Step t (1 .. T) of a trace from lstm_forward, as an LSTMStep of (B, .) arrays."""
    T = trace.h.shape[0]
    if not 1 <= t <= T:
        raise ValueError(f"t must be a step number in 1 .. T = {T}, but it is {t}.")
    return LSTMStep(*(a[t - 1] for a in trace))


def sequence_stepper(trace, unit: int = 0, example: int = 0, quantities=QUANTITIES) -> Explorer:
    """Step through `trace` (an LSTMStep from lstm_forward, fields (T, B, H)).

    Controls: t (1 .. T) and unit (0 .. H-1); a Play button drives t.
    .values: t, unit, and x, h_prev, c_prev, i, f, g, o, c, tanh_c, h, fc, ig of that unit
    at step t (see lstmlearn.plots.cell_values).
    """
    T, B, H = trace.h.shape
    controls = {"t": int_slider("step $t$", 1, 1, T), "unit": int_slider("unit", unit, 0, H - 1)}
    play = W.Play(value=1, min=1, max=T, interval=400, description="play", tooltip="Play through t, the time step")
    W.jslink((play, "value"), (controls["t"], "value"))

    fig = detached_figure((12, 5.4))
    left, right = fig.subfigures(1, 2, width_ratios=[1.25, 1])
    cell = draw_lstm_cell(step_of(trace, 1), unit=unit, example=example, ax=left.subplots())
    title = cell.ax.set_title("", fontsize=11)
    heatmaps = plot_trace_heatmaps(
        trace, quantities, example=example, t=1, axes=right.subplots(len(quantities), 1, sharex=True)
    )
    markers = [a.plot([0.5], [unit], marker=">", color="red", ms=7, clip_on=False)[0] for a in heatmaps.axes]

    def compute(p):
        return {"t": p["t"], "unit": p["unit"]} | cell_values(step_of(trace, p["t"]), p["unit"], example)

    def draw(v):
        update_lstm_cell(cell, step_of(trace, v["t"]), v["unit"], example)
        title.set_text(f"step t = {v['t']} of {T}, unit {v['unit']}")
        set_heatmap_cursor(heatmaps, v["t"])
        for m in markers:
            m.set_ydata([v["unit"]])
        return False

    def describe(v):
        return table([(f"<i>{k}</i>", fmt(v[k], within=WITHIN[k])) for k in ("i", "f", "g", "o", "c", "h")])

    dynamic = cell.dynamic + [title] + list(heatmaps.cursors) + markers
    layout = flow_row([play, controls["t"], controls["unit"]])
    return Explorer(
        controls,
        compute,
        draw,
        describe,
        fig,
        dynamic=dynamic,
        title="A forward pass, step by step",
        layout=layout,
        alt="The LSTM cell diagram at step t for this unit, beside heatmaps of the gates and states over all steps with a cursor at t",
    )
