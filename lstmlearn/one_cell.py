"""One memory cell with a scalar input: the LSTM of notebook 03, small enough to hold in
your head and to drive with sliders.

With D = H = 1 every weight is a single number. For each gate k in i, f, g, o:

    z_k = w_xk * x + w_hk * h_prev + b_k
    i = sigmoid(z_i)   f = sigmoid(z_f)   g = tanh(z_g)   o = sigmoid(z_o)
    c = f * c_prev + i * g        h = o * tanh(c)

one_cell_step builds the (1, 4), (1, 4), (4,) LSTMParams of these numbers and calls
lstm_step, so the gate explorer shows exactly what the package computes.
"""

from __future__ import annotations

import numpy as np

from .lstm import LSTMStep, lstm_step
from .params import GATES, LSTMParams

WEIGHT_NAMES = tuple(f"{kind}{k}" for k in GATES for kind in ("w_x", "w_h", "b_"))
"""w_xi, w_hi, b_i, w_xf, w_hf, b_f, w_xg, w_hg, b_g, w_xo, w_ho, b_o"""


def one_cell_params(**weights) -> LSTMParams:
    """LSTMParams of a one-unit LSTM with scalar input from the 12 numbers w_xk, w_hk, b_k.

    Every weight of WEIGHT_NAMES must be given, e.g. one_cell_params(w_xi=1.0, w_hi=0.5,
    b_i=0.0, ..., b_o=0.0). Returns W_x (1, 4), W_h (1, 4), b (4,) in gate order i, f, g, o.
    """
    missing = [n for n in WEIGHT_NAMES if n not in weights]
    extra = [n for n in weights if n not in WEIGHT_NAMES]
    if missing or extra:
        raise TypeError(
            f"one_cell_params needs exactly the weights {list(WEIGHT_NAMES)}; missing {missing}, unexpected {extra}."
        )
    W_x = np.array([[float(weights[f"w_x{k}"]) for k in GATES]])  # (1, 4)
    W_h = np.array([[float(weights[f"w_h{k}"]) for k in GATES]])  # (1, 4)
    b = np.array([float(weights[f"b_{k}"]) for k in GATES])  # (4,)
    return LSTMParams(W_x, W_h, b)


def one_cell_step(x: float, h_prev: float, c_prev: float, **weights) -> LSTMStep:
    """One step of the one-unit LSTM; every field of the returned LSTMStep has shape (1,)."""
    p = one_cell_params(**weights)
    return lstm_step(np.array([float(x)]), np.array([float(h_prev)]), np.array([float(c_prev)]), p)
