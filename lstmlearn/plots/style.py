"""Shared colours, numbers and helpers for lstmlearn's figures and explorers.

Gate identity colours come from the Okabe-Ito palette (colour-blind-safe); values are drawn
with "viridis" (sequential, for gates in (0, 1)) and "PuOr" (diverging, centred at 0, for
signed values such as g, c, h and gradients). number_text writes a number so that it never
reads as a value it is not: a gate of 0.9998 is shown as 0.9998, never as 1.000;
readout_text is that number as every readout shows it, with the minus sign (U+2212) that
the sliders' own readouts write.
"""

from __future__ import annotations

import math
from decimal import Decimal

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

OKABE_ITO = {
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
    "black": "#000000",
}
GATE_COLORS = {
    "i": OKABE_ITO["blue"],
    "f": OKABE_ITO["vermillion"],
    "g": OKABE_ITO["bluish green"],
    "o": OKABE_ITO["reddish purple"],
    "c": OKABE_ITO["orange"],
    "h": OKABE_ITO["black"],
}
GATE_NAMES = {
    "i": "input gate",
    "f": "forget gate",
    "g": "candidate",
    "o": "output gate",
    "c": "cell state",
    "h": "hidden state",
}
SEQUENTIAL = "viridis"  # values in (0, 1): the sigmoid gates
DIVERGING = "PuOr"  # signed values, centred at 0
RNN_COLOR = OKABE_ITO["vermillion"]
LSTM_COLOR = OKABE_ITO["blue"]
CELL_COLOR = OKABE_ITO["sky blue"]

# Curves of one kind told apart by more than colour: the n-th curve's line style and marker.
SERIES_STYLES = [("-", "o"), ("--", "s"), ("-.", "^"), (":", "D"), ((0, (5, 1, 1, 1)), "v"), ((0, (1, 1)), "P")]


def series_style(n: int, points: int, markers: int = 8) -> dict:
    """Keyword arguments of ax.plot for curve n of several of one kind: its line style and
    marker (SERIES_STYLES, cycled), about `markers` of them spread over `points` points, the
    n-th curve's shifted so markers of different curves do not sit on one another."""
    ls, marker = SERIES_STYLES[n % len(SERIES_STYLES)]
    every = max(points // markers, 1)
    return {"ls": ls, "marker": marker, "markersize": 5, "markevery": (n * every // len(SERIES_STYLES) % every, every)}


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


def number_text(v, digits: int = 3, *, sign: bool = False, within=None) -> str:
    """v as text with `digits` decimals, but never reading as a value it is not.

    v : a real number, or None (written "-")     digits : decimals shown normally
    sign : write "+" before positive numbers      within : (lo, hi), the open range a squashed
        value lies in, e.g. (0, 1) for a sigmoid gate and (-1, 1) for tanh

    Magnitudes below 1e-3 or from 1e4 on are written in scientific notation, infinity as the
    symbol. A value `within` an open range never reads as a bound: one that would round to a
    bound gets up to three more decimals (0.99982 -> "0.9998"), then is written as its
    distance to the bound (0.9999999 -> "1 - 1.0e-07"); one that sits on a bound, which
    happens when the true value is closer to it than the float can resolve (sigmoid(40) is
    1.0 in float64), is written "1 - <6e-17": below the bound by less than the float's
    resolution. NaN, or a value outside `within`, is a ValueError.
    """
    if v is None:
        return "-"
    value = float(v)
    if math.isnan(value):
        raise ValueError("v is NaN: a readout has no honest text for it; find where the NaN came from.")
    plus = "+" if sign else ""
    if math.isinf(value):
        return ("-" if value < 0 else plus) + "\u221e"
    if within is not None:
        lo, hi = within
        if not lo <= value <= hi:
            raise ValueError(f"v = {value} is outside its range within = ({lo}, {hi}).")
        if value in (lo, hi):  # the float rounded onto the bound: say how close the true value is
            dtype = np.asarray(v).dtype if np.asarray(v).dtype.kind == "f" else np.dtype(np.float64)
            inward = lo if value == hi else hi
            step = float(abs(value - np.nextafter(dtype.type(value), dtype.type(inward))))
            bound = f"{value:g}" if value != 0 else "0"
            return f"{bound} {'-' if value == hi else '+'} <{_half_rounded_up(step)}"
    if value != 0 and (abs(value) >= 1e4 or abs(value) < 1e-3):
        return f"{value:{plus}.{digits - 1}e}"
    if within is None:
        return f"{value:{plus}.{digits}f}"
    for d in range(digits, digits + 4):
        text = f"{value:{plus}.{d}f}"
        if float(text) not in within:
            return text  # does not read as a bound
    whole = round(value)
    gap = value - whole
    return f"{whole:{plus}d} {'+' if gap > 0 else '-'} {abs(gap):.1e}"


MINUS = "\u2212"  # the minus sign: what ipywidgets' sliders write, and every readout of the course


def readout_text(v, digits: int = 3, *, sign: bool = False, within=None) -> str:
    """number_text(v, ...) as a readout shows it: every "-" written as the minus sign U+2212,
    as the sliders write theirs ("−1.00"), so a readout never mixes the two. The one function
    through which every explorer's numbers pass (lstmlearn.widgets._base.fmt)."""
    return number_text(v, digits, sign=sign, within=within).replace("-", MINUS)


def _half_rounded_up(step: float) -> str:
    """step / 2 rounded up to one significant digit, e.g. 1.1e-16 -> "6e-17": a true value
    closer to a bound than half a float step rounds onto the bound. Exact decimal arithmetic,
    so that half the smallest subnormal does not underflow to 0."""
    half = Decimal(step) / 2
    exponent = half.adjusted()
    mantissa = math.ceil(half.scaleb(-exponent))
    if mantissa == 10:
        mantissa, exponent = 1, exponent + 1
    return f"{mantissa}e{exponent:+03d}"


def nice_ceiling(v: float, steps=(1, 2, 5)) -> float:
    """The smallest of `steps` (numbers in [1, 10)) times a power of 10 that is >= v, for v > 0:
    axis limits that move rarely and land on round numbers. The default 1, 2, 5 may leave up
    to 2.5 times v; finer steps leave less. v must be a finite positive number."""
    v = float(v)
    if not (math.isfinite(v) and v > 0):
        raise ValueError(f"v must be a finite positive number, but it is {v}.")
    exponent = math.floor(math.log10(v))
    for e in (exponent - 1, exponent, exponent + 1):  # log10 may round across a power of 10
        for n in steps:
            c = n * 10.0**e
            if c >= v:
                return c
    return 10.0 ** (exponent + 2)  # not reached: 10^(exponent + 1) >= v
