"""Two explorers about memory in time (notebooks 01 and 06); the maths is lstmlearn.gradflow.

rnn_memory_explorer()      how long a vanilla RNN's state remembers its first input
gradient_flow_explorer()   how much gradient of a loss at step T reaches step t, for an
                           RNN and an LSTM, with the forget bias and truncation on sliders
"""

from __future__ import annotations

import ipywidgets as W
import numpy as np

from ..gradflow import flow_curves, input_influence
from ..plots.style import CELL_COLOR, LSTM_COLOR, RNN_COLOR, detached_figure
from ._base import Explorer, check_number, fmt, int_slider, slider, table

_FLOOR = 1e-40  # exact zeros (cut by truncation, or underflow) are drawn on this floor


def rnn_memory_values(spectral_radius, T, activation="tanh", H=16, seed=0) -> dict:
    """t (T,), gap (T,) = ||h_t - h'_t|| for runs differing only in x_1, and gap_T = gap[-1]."""
    gap = input_influence(spectral_radius, T, H=H, activation=activation, seed=seed)
    return {"t": np.arange(1, T + 1), "gap": gap, "gap_T": float(gap[-1])}


def rnn_memory_explorer(spectral_radius=0.9, T=50, activation="tanh", T_max=200, H=16, seed=0) -> Explorer:
    """Controls: spectral_radius, T, activation. .values: t, gap, gap_T (see rnn_memory_values)."""
    controls = {
        "spectral_radius": slider(r"$\rho(W_h)$", spectral_radius, 0.1, 2.0, 0.05),
        "T": int_slider("$T$", T, 5, T_max, continuous=False),
        "activation": W.ToggleButtons(
            options=["tanh", "relu"],
            value=activation,
            description="$\\phi$",
            style={"description_width": "60px", "button_width": "60px"},
        ),
    }
    controls["activation"].add_class("widget-inline-hbox")  # label and buttons on one row, as a slider's
    fig = detached_figure((7.5, 3.4))
    ax = fig.subplots()
    (line,) = ax.plot([], [], color=RNN_COLOR, lw=2)
    ax.set_yscale("log")
    ax.set_ylim(1e-16, 1e4)
    ax.axhline(1.0, color="0.5", lw=0.8, ls="--")
    ax.set_xlabel("step $t$")
    ax.set_ylabel(r"$\|h_t - h'_t\|$")
    ax.set_title(r"two runs that differ only in $x_1$: how long does the difference last?", fontsize=10)
    state = {"T": None}

    def draw(v):
        line.set_data(v["t"], np.maximum(v["gap"], _FLOOR))
        if state["T"] == len(v["t"]):
            return False
        state["T"] = len(v["t"])
        ax.set_xlim(1, max(len(v["t"]), 2))
        return True

    return Explorer(
        controls,
        lambda p: rnn_memory_values(p["spectral_radius"], p["T"], p["activation"], H, seed),
        draw,
        lambda v: table([("||<i>h<sub>T</sub></i> &minus; <i>h'<sub>T</sub></i>||", fmt(v["gap_T"]))]),
        fig,
        dynamic=[line],
        title="Short-term memory of a vanilla RNN",
        alt="Norm of the RNN's gradient against step t on a log scale, for this spectral radius and activation",
    )


def gradient_flow_values(forget_bias, T, truncate=0, H=32, seed=0) -> dict:
    """t (T,), rnn_h, lstm_h, lstm_c (each (T,)) from lstmlearn.gradflow.flow_curves, the mean
    forget value mean_f, and the norms at t = 1. truncate = 0 means full BPTT."""
    check_number("forget_bias", forget_bias)
    c = flow_curves(forget_bias, T, truncate=truncate or None, H=H, seed=seed)
    return {
        "t": np.arange(1, T + 1),
        "rnn_h": c.rnn_h,
        "lstm_h": c.lstm_h,
        "lstm_c": c.lstm_c,
        "mean_f": c.mean_f,
        "rnn_h_1": float(c.rnn_h[0]),
        "lstm_c_1": float(c.lstm_c[0]),
    }


def gradient_flow_explorer(forget_bias=1.0, T=120, truncate=0, T_max=300, H=32, seed=0) -> Explorer:
    """Controls: forget_bias, T, truncate (0 = full BPTT).
    .values: t, rnn_h, lstm_h, lstm_c, mean_f, rnn_h_1, lstm_c_1 (see gradient_flow_values)."""
    controls = {
        "forget_bias": slider("$b_f$", forget_bias, -3.0, 8.0, 0.25),
        "T": int_slider("$T$", T, 5, T_max, continuous=False),
        "truncate": int_slider("truncate", truncate, 0, T_max, continuous=False),
    }
    fig = detached_figure((8.5, 3.6))
    ax = fig.subplots()
    lines = [
        ax.plot([], [], color=RNN_COLOR, lw=2, label=r"RNN $\|\partial L/\partial h_t\|$")[0],
        ax.plot([], [], color=LSTM_COLOR, lw=2, label=r"LSTM $\|\partial L/\partial h_t\|$")[0],
        ax.plot([], [], color=CELL_COLOR, lw=2, ls="--", label=r"LSTM $\|\partial L/\partial c_t\|$")[0],
    ]
    ax.set_yscale("log")
    ax.set_ylim(1e-30, 1e2)
    ax.set_xlabel("step $t$")
    ax.set_ylabel("gradient norm at step $t$")
    ax.set_title("a loss at the last step $T$: the gradient reaching each step $t$", fontsize=10)
    ax.legend(loc="lower right", fontsize=8)
    state = {"T": None, "bottom": None}

    def draw(v):
        for line, key in zip(lines, ("rnn_h", "lstm_h", "lstm_c")):
            line.set_data(v["t"], np.maximum(v[key], _FLOOR))
        drawn = np.concatenate([np.maximum(v[key], _FLOOR) for key in ("rnn_h", "lstm_h", "lstm_c")])
        bottom = min(1e-30, 10.0 ** np.floor(np.log10(drawn.min())))  # every value drawn is on the axes
        if state["T"] == len(v["t"]) and state["bottom"] == bottom:
            return False
        state["T"], state["bottom"] = len(v["t"]), bottom
        ax.set_xlim(1, max(len(v["t"]), 2))
        ax.set_ylim(bottom, 1e2)
        return True

    def describe(v):
        return table(
            [
                ("mean <i>f</i>", fmt(v["mean_f"], within=(0, 1))),
                ("RNN ||&part;L/&part;<i>h</i><sub>1</sub>||", fmt(v["rnn_h_1"])),
                ("LSTM ||&part;L/&part;<i>c</i><sub>1</sub>||", fmt(v["lstm_c_1"])),
            ]
        )

    return Explorer(
        controls,
        lambda p: gradient_flow_values(p["forget_bias"], p["T"], p["truncate"], H, seed),
        draw,
        describe,
        fig,
        dynamic=lines,
        title="Gradient flow through time: RNN and LSTM",
        alt="Gradient norms against step t on a log scale: the RNN's and the LSTM's hidden state and the LSTM's cell state, at this forget-gate bias",
    )
