"""The RNN engine: lstmlearn.rnn's equations with the input products done once and the
state written in place, for training. Same arguments, records and numbers as
lstmlearn.rnn.rnn_forward and rnn_backward (tests/test_engine.py)."""

from __future__ import annotations

import numpy as np

from .._checks import check_backward_inputs, check_choice, check_sequence, state_or_zeros
from ..activations import ACTIVATIONS
from ..params import RNNParams, check_params
from ..rnn import RNNGrads, RNNStep


def rnn_forward(X, p: RNNParams, h0=None, activation: str = "tanh"):
    """Run the RNN over X (T, B, D) from h0 (B, H); see lstmlearn.rnn.rnn_forward.

    Returns Hs (T, B, H) and the trace; trace.h_prev is a view of the same memory as Hs
    shifted by one step.
    """
    check_params(p, RNNParams)
    check_choice("activation", activation, ("tanh", "relu"))
    X = check_sequence("X", X, p)
    T, B, D = X.shape
    H = p.hidden_size
    h0 = state_or_zeros("h0", h0, (B, H), p.dtype)
    phi = ACTIVATIONS[activation][0]
    hs = np.empty((T + 1, B, H), dtype=p.dtype)  # hs[t] = h_{t-1}
    hs[0] = h0
    hs[1:] = (X.reshape(T * B, D) @ p.W_x).reshape(T, B, H) + p.b  # input part of a_t
    for t in range(T):
        a = hs[t + 1]
        a += hs[t] @ p.W_h
        phi(a, out=a)
    return hs[1:], RNNStep(X, hs[:-1], hs[1:], activation)


def rnn_backward(dHs, trace: RNNStep, p: RNNParams, dh_T=None, truncate=None) -> RNNGrads:
    """Backpropagation through time for an RNN trace; see lstmlearn.rnn.rnn_backward.
    Returns RNNGrads(dparams, dX, dh0, dh)."""
    check_params(p, RNNParams)
    T, B, H = trace.h.shape
    dHs, dh = check_backward_inputs(dHs, (T, B, H), p.dtype, truncate, dh_T=dh_T)
    dphi = ACTIVATIONS[trace.activation][1]

    dA = np.empty((T, B, H), dtype=p.dtype)  # dL/da_t
    dh_all = np.empty((T, B, H), dtype=p.dtype)  # dL/dh_t
    W_hT = p.W_h.T
    if truncate is None or truncate >= T:
        for t in reversed(range(T)):
            dh_all[t] = dh + dHs[t]
            dA[t] = dh_all[t] * dphi(trace.h[t])
            dh = dA[t] @ W_hT
    else:
        k = truncate
        dh = np.concatenate([dh[None], np.zeros((k - 1, B, H), p.dtype)])  # one per age
        for t in reversed(range(T)):
            dh[0] += dHs[t]
            dh_all[t] = dh.sum(axis=0)
            da = dh * dphi(trace.h[t])  # (k, B, H)
            dA[t] = da.sum(axis=0)
            if t == 0:
                dh = dA[0] @ W_hT
                break
            dh = np.concatenate([np.zeros((1, B, H), p.dtype), da[:-1] @ W_hT])

    D = p.input_size
    dA2 = dA.reshape(T * B, H)
    dparams = RNNParams(
        W_x=trace.x.reshape(T * B, D).T @ dA2,
        W_h=trace.h_prev.reshape(T * B, H).T @ dA2,
        b=dA2.sum(axis=0),
    )
    return RNNGrads(dparams, (dA2 @ p.W_x.T).reshape(T, B, D), dh, dh_all)
