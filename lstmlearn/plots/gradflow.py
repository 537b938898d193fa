"""Gradient norms against the step t on a log scale, RNN next to LSTM (notebooks 02, 06).

The maths is in lstmlearn.gradflow (and lstmlearn.memory); these functions only draw.
"""

from __future__ import annotations

import numpy as np

from ..gradflow import gradient_flow
from .style import CELL_COLOR, LSTM_COLOR, OKABE_ITO, RNN_COLOR, new_axes, series_style

LOG_FLOOR = 1e-300  # exact zeros (underflow) are drawn at this floor instead of vanishing from a log axis


def plot_gradient_norms(curves: dict, t=None, ax=None, regimes: bool = True, ylim=None, ylabel=r"gradient norm"):
    """Draw each curve label -> (n,) array of norms against t on a log y axis.

    curves : dict label -> 1-D array (all the same length n). With one curve per kind, a
        label that names "RNN" is drawn in vermillion and one that names "c_" dashed in
        sky blue; several curves of one kind get distinct colours from the Okabe-Ito palette,
        never a colour that another curve already has (nor orange beside vermillion), and
        distinct line styles and markers (style.series_style), so no curve is told apart by
        colour alone.
    t : (n,) step numbers, or None for 0 .. n-1
    regimes : shade and label norms above 1 ("exploding") and below 1 ("vanishing")
    ylim : (low, high) of the log axis, or None to fit the data
    Returns the Axes (one line per curve, plus the y = 1 line when regimes is True).
    """
    fig, ax = new_axes(ax, figsize=(6.5, 3.6))
    kinds = ["RNN" if "RNN" in k else ("c_" if "c_" in k else "LSTM") for k in curves]
    single = {"RNN": RNN_COLOR, "c_": CELL_COLOR, "LSTM": LSTM_COLOR}
    taken = {single[k] for k in kinds if kinds.count(k) == 1}
    if RNN_COLOR in taken:  # orange and vermillion are hard to tell apart
        taken.add(OKABE_ITO["orange"])
    order = ["blue", "bluish green", "reddish purple", "orange", "sky blue", "vermillion"]
    palette = [OKABE_ITO[k] for k in order if OKABE_ITO[k] not in taken] or [OKABE_ITO[k] for k in order]
    shared = 0  # how many curves have taken a palette colour so far
    lows, highs = [], []
    for n, (label, y) in enumerate(curves.items()):
        y = np.maximum(np.asarray(y, dtype=float), LOG_FLOOR)
        x = np.arange(len(y)) if t is None else np.asarray(t)
        if kinds.count(kinds[n]) == 1:
            color = single[kinds[n]]
            look = {"ls": "--" if kinds[n] == "c_" else "-"}
        else:
            color, shared = palette[shared % len(palette)], shared + 1
            look = series_style(kinds[:n].count(kinds[n]) + (kinds[n] == "c_"), len(y))  # c_ curves: dashes first
        ax.plot(x, y, lw=2, color=color, label=label, **look)
        shown = y[np.isfinite(y) & (y > LOG_FLOOR)]  # exact zeros sit on the floor; fit the rest
        lows.append(shown.min() if shown.size else 1.0)
        highs.append(shown.max() if shown.size else 1.0)
    ax.set_yscale("log")
    if ylim is None:  # fit the data, with a little room, and always show the line at 1
        low, high = min(lows + [1.0]), max(highs + [1.0])
        ylim = (low / 3.0, high * 3.0)
    ax.set_ylim(*ylim)
    if regimes:
        ax.axhline(1.0, color="0.3", lw=0.9, ls="--")
        ax.axhspan(1.0, ylim[1], color=OKABE_ITO["vermillion"], alpha=0.06, lw=0)
        ax.axhspan(ylim[0], 1.0, color=OKABE_ITO["sky blue"], alpha=0.08, lw=0)
        ax.text(0.01, 0.97, "exploding (norm > 1)", transform=ax.transAxes, va="top", fontsize=9, color="0.25")
        ax.text(0.01, 0.03, "vanishing (norm < 1)", transform=ax.transAxes, va="bottom", fontsize=9, color="0.25")
        ax.set_ylim(*ylim)
    ax.set_xlabel("step $t$")
    ax.set_ylabel(ylabel)
    ax.legend(loc="lower right", fontsize=9, framealpha=0.9)
    return ax


def plot_gradient_flow(rnn_grads=None, lstm_grads=None, ax=None):
    """Per-step gradient norms ||dL/dh_t|| (and ||dL/dc_t|| for the LSTM) from backward passes.

    rnn_grads : RNNGrads from rnn_backward, or None;  lstm_grads : LSTMGrads, or None.
    Steps are numbered t = 1 .. T. Returns the Axes (one line per norm).
    """
    if rnn_grads is None and lstm_grads is None:
        raise ValueError("Pass rnn_grads, lstm_grads or both (what rnn_backward / lstm_backward returned).")
    curves, T = {}, None
    if rnn_grads is not None:
        flow = gradient_flow(rnn_grads)
        curves[r"RNN $\|\partial L/\partial h_t\|$"] = flow.h
        T = len(flow.h)
    if lstm_grads is not None:
        flow = gradient_flow(lstm_grads)
        curves[r"LSTM $\|\partial L/\partial h_t\|$"] = flow.h
        curves[r"LSTM $\|\partial L/\partial c_t\|$"] = flow.c
        if T is not None and T != len(flow.h):
            raise ValueError(f"rnn_grads has T = {T} steps but lstm_grads has {len(flow.h)}; use one sequence length.")
        T = len(flow.h)
    ax = plot_gradient_norms(
        curves,
        t=np.arange(1, T + 1),
        ax=ax,
        regimes=False,
        ylabel=r"$\|\partial L/\partial h_t\|$, $\|\partial L/\partial c_t\|$",
    )
    ax.set_title("gradient flow back through time")
    return ax
