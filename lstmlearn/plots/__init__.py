"""Figures of the course: every function takes an optional `ax` and returns what it drew,
its axes or figure, or for the figures the explorers update in place a record of the
artists to change (draw_lstm_cell -> CellDrawing, plot_trace_heatmaps -> TraceHeatmaps).
None calls plt.show(), and nothing is attached to matplotlib's objects; a notebook shows a
figure with show(fig, alt=...), which gives it its text alternative.

    diagram.py    the LSTM cell, with or without the values of one step   (notebooks 03-05)
    cliff.py      the loss cliff of a one-unit RNN, descent with and without clipping (notebook 02)
    walkthrough.py  one diagram per equation, the parts it touches picked out (notebook 05)
    curves.py     sigmoid and tanh with an operating point                (notebook 03)
    heatmaps.py   gates and states over time, units x steps               (notebook 05)
    gradflow.py   gradient norms against t, RNN next to LSTM             (notebooks 02, 06)
    history.py    a training run: loss, gradient norm, score              (notebooks 07-09)
    seeds.py      an experiment over seeds: every seed and the median     (notebooks 07-09)
    output.py     show(fig, alt): a figure in a notebook with its text alternative
    style.py      colours, number_text (numbers that never read as what they are not),
                  figures for widgets
"""

from . import style
from .cliff import plot_cliff, plot_cliff_losses
from .curves import plot_activation
from .diagram import CellDrawing, cell_values, draw_lstm_cell, update_lstm_cell
from .gradflow import plot_gradient_flow, plot_gradient_norms
from .heatmaps import TraceHeatmaps, plot_trace_heatmaps, set_heatmap_cursor
from .history import plot_history
from .output import figure_bundle, show
from .seeds import median_curve, plot_seed_curves, plot_seed_scores
from .walkthrough import EQUATION_PARTS, highlight_parts, plot_walkthrough, walkthrough_alt

__all__ = [
    "EQUATION_PARTS",
    "CellDrawing",
    "TraceHeatmaps",
    "cell_values",
    "draw_lstm_cell",
    "highlight_parts",
    "figure_bundle",
    "plot_activation",
    "plot_cliff",
    "plot_cliff_losses",
    "plot_gradient_flow",
    "plot_gradient_norms",
    "median_curve",
    "plot_history",
    "plot_seed_curves",
    "plot_seed_scores",
    "plot_trace_heatmaps",
    "plot_walkthrough",
    "set_heatmap_cursor",
    "show",
    "style",
    "update_lstm_cell",
    "walkthrough_alt",
]
