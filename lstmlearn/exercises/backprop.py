"""The exercises of notebook 06: the backward pass of one LSTM step."""

import numpy as np

from ..lstm import _cell_backward, lstm_step
from ..params import init_lstm
from . import Exercise, register


def _bwd_inputs(rng):
    out = []
    for B, D, H in [(1, 1, 1), (2, 3, 4), (3, 2, 5)]:
        p = init_lstm(D, H, rng=rng)
        s = lstm_step(rng.normal(size=(B, D)), rng.normal(size=(B, H)), rng.normal(size=(B, H)), p)
        out.append(dict(dh=rng.normal(size=(B, H)), dc=rng.normal(size=(B, H)), s=s))
    return out


def _bwd_ref(dh, dc, s):
    _, dc_total = _cell_backward(dh, dc, s.i, s.f, s.g, s.o, s.c_prev, s.tanh_c)
    return dc_total, dc_total * s.f


register("cell_backward", Exercise(
    "06", "(dL/dc_t total, dL/dc_{t-1}) from dh, dc and an LSTMStep s", _bwd_ref, _bwd_inputs,
    mistakes={"dc_t gets two contributions: the dc coming back from c_{t+1}, and dh * o * (1 - tanh(c)^2) through h = o tanh(c).":
              lambda dh, dc, s: (dc, dc * s.f),
              "along the cell path dc_{t-1} = dc_t * f: the forget gate, not the input gate.":
              lambda dh, dc, s: (lambda d: (d, d * s.i))(dc + dh * s.o * (1 - s.tanh_c ** 2))}))


def _dz_ref(dh, dc, s):
    dz, _ = _cell_backward(dh, dc, s.i, s.f, s.g, s.o, s.c_prev, s.tanh_c)
    return tuple(np.split(dz, 4, axis=-1))  # dz_i, dz_f, dz_g, dz_o


register("gate_grads", Exercise(
    "06", "(dz_i, dz_f, dz_g, dz_o): gradients of the four pre-activations", _dz_ref, _bwd_inputs,
    mistakes={"the sigmoid's derivative is s (1 - s) and tanh's is 1 - t^2, written with the stored outputs.":
              lambda dh, dc, s: (lambda d: (d * s.g, d * s.c_prev, d * s.i, dh * s.tanh_c))(dc + dh * s.o * (1 - s.tanh_c ** 2))}))
