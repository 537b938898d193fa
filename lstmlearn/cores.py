"""The recurrent cores a Model can use, behind one small interface (notebooks 07-09).

    name                        parameters (dict keys)     state      module
    "rnn"                       W_x, W_h, b                h          rnn.py
    "lstm"                      W_x, W_h, b                h, c       lstm.py
    "gru"                       W_x, W_h, b_x, b_h         h          gru.py
    "lstm-no_forget",           W_x, W_h, b, w_c           h, c       variants.py
    "lstm-coupled", "lstm-peephole", "lstm-no_output_activation"

Each core is a Core of four plain functions over a dict of named arrays, so the model,
the optimisers and the checkpoints treat every core alike. A model's forget_bias goes to
whatever gate keeps the old memory: b_f of an LSTM, -b_i of the coupled variant (f = 1 - i),
the update-gate bias of the GRU; the vanilla RNN has none.
"""

from __future__ import annotations

from typing import Callable, NamedTuple

from .gru import GRUParams, gru_backward, gru_forward, init_gru
from .lstm import lstm_backward, lstm_forward
from .params import LSTMParams, RNNParams, init_lstm, init_rnn
from .rnn import rnn_backward, rnn_forward
from .variants import VariantParams, init_variant, variant_backward, variant_forward


class Core(NamedTuple):
    names: tuple  # parameter names, in the order of the core's params record
    has_cell: bool  # does the state carry c as well as h?
    init: Callable  # (D, H, rng, forget_bias, dtype) -> dict of arrays
    forward: Callable  # (X, params dict, h0, c0) -> (Hs, trace, h_T, c_T or None)
    backward: Callable  # (dHs, trace, params dict, truncate) -> dict of gradients


def _no_truncation(name, truncate):
    if truncate is not None:
        raise ValueError(f"truncate is not supported for core {name!r}; use core 'lstm' or 'rnn', "
                         f"or pass truncate=None.")


def _lstm():
    names = LSTMParams._fields
    p = lambda d: LSTMParams(*(d[k] for k in names))

    def forward(X, d, h0, c0):
        Hs, tr = lstm_forward(X, p(d), h0, c0)
        return Hs, tr, tr.h[-1], tr.c[-1]

    return Core(names, True, lambda D, H, rng, fb, dt: init_lstm(D, H, rng, forget_bias=fb, dtype=dt)._asdict(),
                forward, lambda dHs, tr, d, k: lstm_backward(dHs, tr, p(d), truncate=k).params._asdict())


def _rnn():
    names = RNNParams._fields
    p = lambda d: RNNParams(*(d[k] for k in names))

    def forward(X, d, h0, c0):
        Hs, tr = rnn_forward(X, p(d), h0)
        return Hs, tr, Hs[-1], None

    return Core(names, False, lambda D, H, rng, fb, dt: init_rnn(D, H, rng, dtype=dt)._asdict(),
                forward, lambda dHs, tr, d, k: rnn_backward(dHs, tr, p(d), truncate=k).params._asdict())


def _gru():
    names = GRUParams._fields
    p = lambda d: GRUParams(*(d[k] for k in names))

    def forward(X, d, h0, c0):
        Hs, tr = gru_forward(X, p(d), h0)
        return Hs, tr, Hs[-1], None

    def backward(dHs, tr, d, k):
        _no_truncation("gru", k)
        return gru_backward(dHs, tr, p(d)).params._asdict()

    init = lambda D, H, rng, fb, dt: init_gru(D, H, rng, update_bias=fb, dtype=dt)._asdict()  # z plays f's role
    return Core(names, False, init, forward, backward)


def _variant(variant):
    names = VariantParams._fields
    p = lambda d: VariantParams(*(d[k] for k in names))

    def forward(X, d, h0, c0):
        Hs, tr = variant_forward(X, p(d), variant, h0, c0)
        return Hs, tr, tr.h[-1], tr.c[-1]

    def backward(dHs, tr, d, k):
        _no_truncation(f"lstm-{variant}", k)
        return variant_backward(dHs, tr, p(d), variant).params._asdict()

    init = lambda D, H, rng, fb, dt: init_variant(variant, D, H, rng, forget_bias=fb, dtype=dt)._asdict()
    return Core(names, True, init, forward, backward)


CORES = {"lstm": _lstm(), "rnn": _rnn(), "gru": _gru(),
         **{f"lstm-{v}": _variant(v) for v in ("no_forget", "coupled", "peephole", "no_output_activation")}}
