"""The vanishing-gradient explorer: a vanilla RNN's ||dh_T/dh_t|| against an LSTM cell
path's dc_T/dc_t = f^(T - t) (notebooks 02 and 06). The maths is lstmlearn.gradflow.
"""

from __future__ import annotations

import ipywidgets as W
import numpy as np

from ..gradflow import vanishing_curves
from ..plots.gradflow import LOG_FLOOR, plot_gradient_norms
from ..plots.style import detached_figure
from ._base import Explorer, check_number, fmt, int_slider, slider, table

YLIM = (1e-20, 1e20)


def vanishing_values(spectral_radius, activation, T, f, H=32, seed=0) -> dict:
    """The numbers the explorer shows: t, rnn, lstm (each (T + 1,)), and rnn_0 = ||dh_T/dh_0||_2,
    lstm_0 = dc_T/dc_0 = f^T. See lstmlearn.gradflow.vanishing_curves."""
    check_number("f", f, 0.0, 1.0)
    curves = vanishing_curves(spectral_radius, activation, T, f, H=H, seed=seed)
    return {
        "t": curves.t,
        "rnn": curves.rnn,
        "lstm": curves.lstm,
        "rnn_0": float(curves.rnn[0]),
        "lstm_0": float(curves.lstm[0]),
    }


def vanishing_gradient_explorer(
    spectral_radius=0.9, activation="tanh", T=100, f=0.95, T_max=300, H=32, seed=0
) -> Explorer:
    """Move a vanilla RNN's spectral radius, activation and sequence length against an LSTM's
    forget value; see how much gradient reaches step t from the last step T.

    Controls: spectral_radius, activation ("tanh" or "relu"), T, f.
    .values: t, rnn, lstm, rnn_0, lstm_0 (see vanishing_values).
    The RNN has H units and a fixed random draw (seed), so only the sliders change it.
    """
    controls = {
        "spectral_radius": slider(r"$\rho(W_h)$", spectral_radius, 0.1, 2.0, 0.05),
        "activation": W.ToggleButtons(
            options=["tanh", "relu"],
            value=activation,
            description="RNN $\\phi$",
            style={"description_width": "60px", "button_width": "60px"},
            layout=W.Layout(max_width="100%"),
        ),
        "T": int_slider("$T$", T, 5, T_max, continuous=False),  # a new T redraws the axes
        "f": slider("LSTM $f$", f, 0.0, 1.0, 0.005, readout_format=".3f"),
    }
    # ipywidgets 8 lays ToggleButtons out as a block, its buttons on a line below the label;
    # the sliders' class puts label and buttons on one row, the label in the sliders' column.
    controls["activation"].add_class("widget-inline-hbox")
    fig = detached_figure((9, 3.8))
    ax = fig.subplots()
    zero = np.zeros(2)
    plot_gradient_norms(
        {
            r"RNN $\|\partial h_T/\partial h_t\|_2$": zero + 1,
            r"LSTM cell path $\partial c_T/\partial c_t = f^{T-t}$": zero + 1,
        },
        ax=ax,
        ylim=YLIM,
        ylabel="norm of the gradient reaching step $t$",
    )
    line_rnn, line_lstm = ax.lines[:2]
    ax.set_title(r"how much of the gradient at step $T$ reaches step $t$", fontsize=11)
    state = {"T": None}

    def compute(p):
        return vanishing_values(p["spectral_radius"], p["activation"], p["T"], p["f"], H=H, seed=seed)

    def draw(v):
        line_rnn.set_data(v["t"], np.maximum(v["rnn"], LOG_FLOOR))
        line_lstm.set_data(v["t"], np.maximum(v["lstm"], LOG_FLOOR))
        T = int(v["t"][-1])
        if T == state["T"]:
            return False
        state["T"] = T
        ax.set_xlim(0, T)
        return True

    def describe(v):
        return table(
            [
                ("RNN ||&part;<i>h<sub>T</sub></i>/&part;<i>h</i><sub>0</sub>||", fmt(v["rnn_0"])),
                ("LSTM &part;<i>c<sub>T</sub></i>/&part;<i>c</i><sub>0</sub> = <i>f<sup>T</sup></i>", fmt(v["lstm_0"])),
            ]
        )

    return Explorer(
        controls,
        compute,
        draw,
        describe,
        fig,
        dynamic=[line_rnn, line_lstm],
        title="Vanishing and exploding gradients: RNN against the LSTM cell path",
        alt="Gradient norms against step t on a log scale: the RNN's, and the LSTM cell path's f to the power T - t",
    )
