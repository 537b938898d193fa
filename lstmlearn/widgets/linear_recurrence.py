"""The LSTM against the minLSTM on one short sequence: states and gradient against distance (notebook 10).

Both models have one unit and read the same fixed input sequence x_1 .. x_T (a seeded draw),
every input weight 1 and the biases on the sliders:

    LSTM     i = sigmoid(x + b_i)   f = sigmoid(x + w_hf h_prev + b_f)   g = tanh(x)   o = sigmoid(x)
             c = f c_prev + i g     h = o tanh(c)                          (lstmlearn.lstm)
    minLSTM  i = sigmoid(x + b_i)   f = sigmoid(x + b_f)                   g = x
             h = f' h_prev + i' g   f' = f / (f + i), i' = i / (f + i)     (lstmlearn.minrnn)

w_hf lets the LSTM's forget gate react to its state; the minLSTM's gates cannot. The gradients
are the packages' own backward passes with a loss L = h_T: the LSTM's dL/dc_t (through every
path, as in notebooks 04 and 06) and the minLSTM's dL/dh_t = f'_{t+1} ... f'_T, the product of
its decays (lstmlearn.scan).
"""

from __future__ import annotations

import numpy as np

from ..lstm import lstm_backward, lstm_forward
from ..minrnn import MinRNNParams, min_rnn_backward, min_rnn_trace
from ..params import LSTMParams
from ..plots.gradflow import LOG_FLOOR
from ..plots.style import CELL_COLOR, LSTM_COLOR, OKABE_ITO, detached_figure, series_style
from ._base import Explorer, check_number, fmt, int_slider, slider, table

MIN_LSTM_COLOR = OKABE_ITO["vermillion"]
GRAD_YLIM = (1e-30, 10.0)


def linear_recurrence_values(b_f, b_i, w_hf, T, seed=0) -> dict:
    """The numbers the explorer shows, from lstmlearn's LSTM and minLSTM (see the module docstring).

    Returns t (T,) the steps 1 .. T, x (T,), lstm_c, lstm_h, lstm_f (T,), min_h, min_f (T,) the
    minLSTM's decay f', lstm_grad = |dh_T/dc_t| and min_grad = |dh_T/dh_t| (T,), and their first
    entries lstm_grad_1, min_grad_1, with the mean forget values lstm_mean_f, min_mean_f.
    """
    for name, value in (("b_f", b_f), ("b_i", b_i), ("w_hf", w_hf)):
        check_number(name, value, -20.0, 20.0)
    T = int(T)
    if T < 1:
        raise ValueError(f"T must be at least 1 step, but it is {T}.")
    x = np.random.default_rng(seed).normal(size=(T, 1, 1))  # (T, B = 1, D = 1)
    lstm = LSTMParams(
        W_x=np.ones((1, 4)),  # columns i | f | g | o
        W_h=np.array([[0.0, float(w_hf), 0.0, 0.0]]),
        b=np.array([float(b_i), float(b_f), 0.0, 0.0]),
    )
    minimal = MinRNNParams(W=np.ones((1, 3)), b=np.array([float(b_i), float(b_f), 0.0]))  # i | f | g
    dHs = np.zeros((T, 1, 1))
    dHs[-1] = 1.0  # L = h_T
    with np.errstate(under="ignore"):  # a product of many decays may fall below the smallest float: 0 is right
        _, trace = lstm_forward(x, lstm)
        lstm_grad = np.abs(lstm_backward(dHs, trace, lstm).dc[:, 0, 0])
        m = min_rnn_trace(x, minimal, kind="lstm")
        min_grad = np.abs(min_rnn_backward(dHs, m, minimal, kind="lstm", method="scan").dh[:, 0, 0])
    return {
        "t": np.arange(1, T + 1),
        "x": x[:, 0, 0],
        "lstm_c": trace.c[:, 0, 0],
        "lstm_h": trace.h[:, 0, 0],
        "lstm_f": trace.f[:, 0, 0],
        "min_h": m.h[:, 0, 0],
        "min_f": m.f_prime[:, 0, 0],
        "lstm_grad": lstm_grad,
        "min_grad": min_grad,
        "lstm_grad_1": float(lstm_grad[0]),
        "min_grad_1": float(min_grad[0]),
        "lstm_mean_f": float(trace.f.mean()),
        "min_mean_f": float(m.f_prime.mean()),
    }


def linear_recurrence_explorer(b_f=2.0, b_i=0.0, w_hf=0.0, T=40, T_max=200, seed=0) -> Explorer:
    """Move the forget and input biases and the LSTM's recurrent forget weight; watch both states
    and how much of the gradient of h_T reaches each step t.

    Controls: b_f, b_i, w_hf, T.   .values: see linear_recurrence_values.
    """
    controls = {
        "b_f": slider("$b_f$", b_f, -4.0, 8.0, 0.25),
        "b_i": slider("$b_i$", b_i, -4.0, 4.0, 0.25),
        "w_hf": slider("$w_{hf}$", w_hf, -5.0, 5.0, 0.25),
        "T": int_slider("$T$", T, 2, T_max, continuous=False),  # a new T redraws the axes
    }
    fig = detached_figure((10.5, 3.8))
    ax_s, ax_g = fig.subplots(1, 2)
    n = 64  # markers about every 8 steps, so the curves differ by more than colour at any T
    states = [
        ax_s.plot([], [], color=CELL_COLOR, lw=1.8, label="LSTM $c_t$", **series_style(1, n))[0],
        ax_s.plot([], [], color=LSTM_COLOR, lw=1.8, label="LSTM $h_t$", **series_style(0, n))[0],
        ax_s.plot([], [], color=MIN_LSTM_COLOR, lw=1.8, label="minLSTM $h_t$", **series_style(2, n))[0],
    ]
    ax_s.axhline(0.0, color="0.7", lw=0.6)
    ax_s.set(xlabel="step $t$", ylabel="state")
    ax_s.set_title("the states on one sequence", fontsize=11)
    grads = [
        # along the cell: drawn as the cell c_t is on the left, so each style is one state
        ax_g.plot([], [], color=CELL_COLOR, lw=1.8, label=r"LSTM $|\partial h_T/\partial c_t|$", **series_style(1, n))[
            0
        ],
        ax_g.plot(
            [], [], color=MIN_LSTM_COLOR, lw=1.8, label=r"minLSTM $|\partial h_T/\partial h_t|$", **series_style(2, n)
        )[0],
    ]
    ax_g.set_yscale("log")
    ax_g.set_ylim(*GRAD_YLIM)
    ax_g.set(xlabel="step $t$", ylabel="gradient reaching step $t$")
    ax_g.set_title("how much of the gradient at step $T$ reaches step $t$", fontsize=11)
    fig.legend(handles=states + grads, loc="outside lower center", ncols=5, fontsize=8.5, frameon=False)
    limits = {}

    def compute(p):
        return linear_recurrence_values(p["b_f"], p["b_i"], p["w_hf"], p["T"], seed)

    def draw(v):
        t = v["t"]
        for line, key in zip(states, ("lstm_c", "lstm_h", "min_h")):
            line.set_data(t, v[key])
        for line, key in zip(grads, ("lstm_grad", "min_grad")):
            line.set_data(t, np.maximum(v[key], LOG_FLOOR))
        top = max(1.0, float(np.max(np.abs(np.concatenate([v["lstm_c"], v["min_h"]])))))
        new = {"T": int(t[-1]), "y": float(2.0 ** np.ceil(np.log2(top)))}  # limits move in doublings only
        if new == limits:
            return False
        limits.update(new)
        for ax in (ax_s, ax_g):
            ax.set_xlim(1, max(new["T"], 2))
        ax_s.set_ylim(-1.05 * new["y"], 1.05 * new["y"])
        return True

    def describe(v):
        return table(
            [
                ("LSTM mean <i>f</i>", fmt(v["lstm_mean_f"], within=(0, 1))),
                ("minLSTM mean <i>f'</i>", fmt(v["min_mean_f"], within=(0, 1))),
                ("LSTM |&part;<i>h<sub>T</sub></i>/&part;<i>c</i><sub>1</sub>|", fmt(v["lstm_grad_1"])),
                ("minLSTM |&part;<i>h<sub>T</sub></i>/&part;<i>h</i><sub>1</sub>|", fmt(v["min_grad_1"])),
            ]
        )

    return Explorer(
        controls,
        compute,
        draw,
        describe,
        fig,
        dynamic=states + grads,
        title="The LSTM and the minLSTM on one sequence: states and gradients",
        alt=(
            "Left: the LSTM's cell and hidden state and the minLSTM's state against step t on one input "
            "sequence. Right, on a log scale: how much of the gradient of h_T reaches each step t, the LSTM's "
            "along its cell and the minLSTM's along its state"
        ),
    )
