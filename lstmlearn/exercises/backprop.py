"""The exercises of notebook 06: the backward pass of one LSTM step.

The reference answers are lstmlearn.lstm.lstm_step_backward's own lines: what a learner
writes is compared with the page it can open.
"""

import numpy as np

from .. import engine
from ..lstm import lstm_backward, lstm_step, lstm_step_backward
from ..params import LSTMParams, init_lstm
from .exercise import Exercise

EXERCISES: dict[str, Exercise] = {}  # name -> exercise, the table this module exports


def _bwd_inputs(rng):
    out = []
    for B, D, H in [(1, 1, 1), (2, 3, 4), (3, 2, 5)]:
        p = init_lstm(D, H, rng=rng)
        s = lstm_step(rng.normal(size=(B, D)), rng.normal(size=(B, H)), rng.normal(size=(B, H)), p)
        out.append(dict(dh=rng.normal(size=(B, H)), dc_next=rng.normal(size=(B, H)), s=s))
    return out


def _step_backward(dh, dc_next, s):
    """lstm_step_backward for the step s. dc and the dz's do not depend on the weights, so any
    weights of the right shapes will do (zeros here); they only enter dx and dh_prev."""
    D, H = s.x.shape[-1], s.h.shape[-1]
    return lstm_step_backward(dh, dc_next, s, LSTMParams(np.zeros((D, 4 * H)), np.zeros((H, 4 * H)), np.zeros(4 * H)))


def cell_backward_reference(dh, dc_next, s):
    """(delta c_t, the total; delta c_{t-1}^next = delta c_t * f, what the cell path sends back)."""
    g = _step_backward(dh, dc_next, s)
    return g.dc, g.dc_prev


def cell_backward_without_h_path(dh, dc_next, s):
    """A known mistake: delta c_t taken as the cell-path part alone."""
    return dc_next, dc_next * s.f


def cell_backward_through_input_gate(dh, dc_next, s):
    """A known mistake: the cell path multiplied by i instead of f."""
    dc_t = dc_next + dh * s.o * (1 - s.tanh_c**2)
    return dc_t, dc_t * s.i


EXERCISES["cell_backward"] = Exercise(
    "06",
    "(delta c_t, the total, and delta c_{t-1}^next, the cell path) from dh, dc_next and an LSTMStep s",
    cell_backward_reference,
    _bwd_inputs,
    mistakes={
        "dc_t gets two contributions: dc_next coming back from c_{t+1}, and dh * o * (1 - tanh(c)^2) through h = o tanh(c).": cell_backward_without_h_path,
        "along the cell path dc_{t-1} = dc_t * f: the forget gate, not the input gate.": cell_backward_through_input_gate,
    },
    own=(lstm_step_backward, lstm_backward, engine.lstm_backward),
)


def gate_grads_reference(dh, dc_next, s):
    """(dz_i, dz_f, dz_g, dz_o): lstm_step_backward's dz split into its four gate blocks."""
    return tuple(np.split(_step_backward(dh, dc_next, s).dz, 4, axis=-1))


def gate_grads_without_derivatives(dh, dc_next, s):
    """A known mistake: the gate gradients do, di, df, dg without the squashing functions' derivatives."""
    dc_t = dc_next + dh * s.o * (1 - s.tanh_c**2)
    return dc_t * s.g, dc_t * s.c_prev, dc_t * s.i, dh * s.tanh_c


EXERCISES["gate_grads"] = Exercise(
    "06",
    "(dz_i, dz_f, dz_g, dz_o): gradients of the four pre-activations",
    gate_grads_reference,
    _bwd_inputs,
    mistakes={
        "the sigmoid's derivative is s (1 - s) and tanh's is 1 - t^2, written with the stored outputs.": gate_grads_without_derivatives
    },
    own=(lstm_step_backward, lstm_backward, engine.lstm_backward),
)
