"""Shared colours and helpers for lstmlearn's figures (colour-blind-safe throughout).

Gate identity colours come from the Okabe-Ito palette; values are drawn with
"viridis" (sequential, for gates in (0, 1)) and "PuOr" (diverging, centred at 0, for
signed values such as g, c, h and gradients).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

OKABE_ITO = {
    "orange": "#E69F00", "sky blue": "#56B4E9", "bluish green": "#009E73", "yellow": "#F0E442",
    "blue": "#0072B2", "vermillion": "#D55E00", "reddish purple": "#CC79A7", "black": "#000000",
}
GATE_COLORS = {
    "i": OKABE_ITO["blue"], "f": OKABE_ITO["vermillion"], "g": OKABE_ITO["bluish green"],
    "o": OKABE_ITO["reddish purple"], "c": OKABE_ITO["orange"], "h": OKABE_ITO["black"],
}
GATE_NAMES = {"i": "input gate", "f": "forget gate", "g": "candidate", "o": "output gate",
              "c": "cell state", "h": "hidden state"}
SEQUENTIAL = "viridis"  # values in (0, 1): the sigmoid gates
DIVERGING = "PuOr"  # signed values, centred at 0
RNN_COLOR = OKABE_ITO["vermillion"]
LSTM_COLOR = OKABE_ITO["blue"]
CELL_COLOR = OKABE_ITO["sky blue"]


def new_axes(ax=None, figsize=(6, 4)):
    """Return (fig, ax): the given axes and its figure, or a new pyplot figure with one axes."""
    if ax is not None:
        return ax.figure, ax
    fig, ax = plt.subplots(figsize=figsize, layout="constrained")
    return fig, ax


def detached_figure(figsize, dpi=80):
    """A Figure with an Agg canvas that pyplot does not track (for widgets: the inline
    backend will not show it a second time at the end of the cell)."""
    fig = Figure(figsize=figsize, dpi=dpi, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def text_color_on(rgba):
    """Black or white, whichever reads better on the colour `rgba` (relative luminance)."""
    r, g, b = rgba[:3]
    return "black" if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.45 else "white"
