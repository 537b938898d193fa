"""The GRU engine: lstmlearn.gru's equations with the input products of all steps in one
matrix product and the weight products of the backward pass done once, for training.
Same arguments, records and numbers as lstmlearn.gru.gru_forward and gru_backward."""

from __future__ import annotations

import numpy as np

from .._checks import check_backward_inputs, check_sequence, state_or_zeros
from ..activations import sigmoid
from ..bptt import truncated_backward
from ..gru import GRUGrads, GRUParams, GRUStep, check_gru_params


def gru_forward(X, p: GRUParams, h0=None):
    """Run the GRU over X (T, B, D) from h0 (B, H); see lstmlearn.gru.gru_forward."""
    check_gru_params(p)
    X = check_sequence("X", X, p)
    T, B, D = X.shape
    H = p.hidden_size
    h = state_or_zeros("h0", h0, (B, H), p.dtype)
    AX = (X.reshape(T * B, D) @ p.W_x + p.b_x).reshape(T, B, 3 * H)  # all input parts at once
    steps = []
    for t in range(T):
        ah = h @ p.W_h + p.b_h
        r = sigmoid(AX[t, :, :H] + ah[:, :H])
        z = sigmoid(AX[t, :, H:2 * H] + ah[:, H:2 * H])
        n = np.tanh(AX[t, :, 2 * H:] + r * ah[:, 2 * H:])
        h_new = (1.0 - z) * n + z * h
        steps.append((h, r, z, n, ah[:, 2 * H:], h_new))
        h = h_new
    h_prev, r, z, n, hn, hs = (np.stack(a) for a in zip(*steps))
    return hs, GRUStep(X, h_prev, r, z, n, hn, hs)


def gru_backward(dHs, trace: GRUStep, p: GRUParams, dh_T=None, truncate=None) -> GRUGrads:
    """Backpropagation through time for a GRU trace; see lstmlearn.gru.gru_backward.
    Truncation runs lstmlearn.bptt over this function's exact passes."""
    check_gru_params(p)
    T, B, H = trace.h.shape
    dHs, dh = check_backward_inputs(dHs, (T, B, H), p.dtype, truncate, dh_T=dh_T)
    if truncate is not None and truncate < T:
        return truncated_backward(gru_backward, dHs, trace, truncate, (p,), dict(dh_T=dh))
    dAX = np.empty((T, B, 3 * H), p.dtype)
    dAH = np.empty((T, B, 3 * H), p.dtype)
    dh_all = np.empty((T, B, H), p.dtype)
    W_hT = p.W_h.T
    for t in reversed(range(T)):
        dh = dh_all[t] = dh + dHs[t]
        r, z, n, hn, h_prev = trace.r[t], trace.z[t], trace.n[t], trace.hn[t], trace.h_prev[t]
        da_n = dh * (1.0 - z) * (1.0 - n * n)
        da_r = da_n * hn * r * (1.0 - r)
        da_z = dh * (h_prev - n) * z * (1.0 - z)
        dAX[t] = np.concatenate([da_r, da_z, da_n], axis=-1)
        dAH[t] = np.concatenate([da_r, da_z, da_n * r], axis=-1)
        dh = dh * z + dAH[t] @ W_hT  # dL/dh_{t-1}
    D = p.input_size
    dAX2, dAH2 = dAX.reshape(T * B, 3 * H), dAH.reshape(T * B, 3 * H)
    dparams = GRUParams(
        W_x=trace.x.reshape(T * B, D).T @ dAX2,
        W_h=trace.h_prev.reshape(T * B, H).T @ dAH2,
        b_x=dAX2.sum(axis=0),
        b_h=dAH2.sum(axis=0),
    )
    return GRUGrads(dparams, (dAX2 @ p.W_x.T).reshape(T, B, D), dh, dh_all)
