"""The LSTM engine: lstmlearn.lstm's equations, fused and in place, for training.

Same arguments, same records (LSTMStep trace, LSTMGrads) and the same numbers as
lstmlearn.lstm.lstm_forward and lstm_backward (to 1e-12 in float64: tests/test_engine.py).
What makes it faster than the page:

* the input products x_t @ W_x of every step are one matrix product before the loop;
* the four blocks (three gates and the candidate g) come from one fused product z = x @ W_x + h_prev @ W_h + b (B, 4H),
  written in place into preallocated arrays, each gate a contiguous (T, B, H) block;
* the backward pass does the products with x and h_prev once for the whole sequence;
* truncated BPTT runs all windows in one backward sweep (one gradient per "age").
"""

from __future__ import annotations

import numpy as np

from .._checks import check_backward_inputs, check_sequence, state_or_zeros
from ..activations import sigmoid
from ..lstm import LSTMGrads, LSTMStep
from ..params import LSTMParams, check_params


def lstm_forward(X, p: LSTMParams, h0=None, c0=None):
    """Run an LSTM over X (T, B, D) from h0, c0 (B, H) (zeros if None); see lstmlearn.lstm.lstm_forward.

    Returns Hs (T, B, H) and the trace, an LSTMStep stacked over time. trace.h is Hs, and
    trace.h_prev, trace.c_prev are views of the same memory shifted by one step, so the
    trace holds each value once: do not write into Hs or the trace before lstm_backward.
    """
    check_params(p, LSTMParams)
    X = check_sequence("X", X, p)
    T, B, D = X.shape
    H = p.hidden_size
    h0 = state_or_zeros("h0", h0, (B, H), p.dtype)
    c0 = state_or_zeros("c0", c0, (B, H), p.dtype)
    # Input projections for every step in one matrix product; z_t still needs h_{t-1} @ W_h.
    XW = (X.reshape(T * B, D) @ p.W_x).reshape(T, B, 4 * H)  # (T, B, 4H)
    XW += p.b
    # Storage for the trace. Each gate gets its own contiguous (T, B, H) block, which
    # keeps the elementwise work of both passes on contiguous memory.
    gates = np.empty((4, T, B, H), dtype=p.dtype)  # i, f, g, o
    hs = np.empty((T + 1, B, H), dtype=p.dtype)  # hs[t] = h_{t-1}, hs[0] = h0
    cs = np.empty((T + 1, B, H), dtype=p.dtype)
    tanh_cs = np.empty((T, B, H), dtype=p.dtype)
    hs[0], cs[0] = h0, c0
    z = np.empty((B, 4 * H), dtype=p.dtype)  # this step's pre-activations, i | f | g | o
    ig = np.empty((B, H), dtype=p.dtype)
    for t in range(T):
        np.matmul(hs[t], p.W_h, out=z)
        z += XW[t]  # z = x_t @ W_x + h_{t-1} @ W_h + b
        i, f, g, o = gates[:, t]
        sigmoid(z[:, 0 * H : 1 * H], out=i)
        sigmoid(z[:, 1 * H : 2 * H], out=f)
        np.tanh(z[:, 2 * H : 3 * H], out=g)
        sigmoid(z[:, 3 * H : 4 * H], out=o)
        np.multiply(f, cs[t], out=cs[t + 1])  # c = f * c_prev + i * g
        np.multiply(i, g, out=ig)
        cs[t + 1] += ig
        np.tanh(cs[t + 1], out=tanh_cs[t])
        np.multiply(o, tanh_cs[t], out=hs[t + 1])  # h = o * tanh(c)
    trace = LSTMStep(
        x=X,
        h_prev=hs[:-1],
        c_prev=cs[:-1],
        i=gates[0],
        f=gates[1],
        g=gates[2],
        o=gates[3],
        c=cs[1:],
        tanh_c=tanh_cs,
        h=hs[1:],
    )
    return hs[1:], trace


def lstm_backward(dHs, trace: LSTMStep, p: LSTMParams, dh_T=None, dc_T=None, truncate=None) -> LSTMGrads:
    """Backpropagation through time for an LSTM trace; see lstmlearn.lstm.lstm_backward.

    dHs (T, B, H); dh_T, dc_T (B, H) or None; truncate k or None. Returns
    LSTMGrads(dparams, dX, dh0, dc0, dh, dc). Per step this applies lstm_step_backward's
    equations; the products with x and h_prev are done once for the whole sequence.
    """
    check_params(p, LSTMParams)
    T, B, H = trace.h.shape
    dHs, dh, dc = check_backward_inputs(dHs, (T, B, H), p.dtype, truncate, dh_T=dh_T, dc_T=dc_T)
    dZ = np.empty((T, B, 4 * H), dtype=p.dtype)  # dL/dz_t for every step
    dh_all = np.empty((T, B, H), dtype=p.dtype)  # dL/dh_t
    dc_all = np.empty((T, B, H), dtype=p.dtype)  # dL/dc_t
    W_hT = p.W_h.T
    if truncate is None or truncate >= T:
        for t in reversed(range(T)):
            dh = dh_all[t] = dh + dHs[t]
            dZ[t], dc_all[t] = _cell_backward(dh, dc, *_gates(trace, t))
            dc = dc_all[t] * trace.f[t]  # dL/dc_{t-1}: the cell path
            dh = dZ[t] @ W_hT  # dL/dh_{t-1}
    else:
        # One gradient per age: dh[a] carries the loss of step t + a, a = 0 .. k-1.
        k = truncate
        dh = np.concatenate([dh[None], np.zeros((k - 1, B, H), p.dtype)])  # (k, B, H)
        dc = np.concatenate([dc[None], np.zeros((k - 1, B, H), p.dtype)])
        for t in reversed(range(T)):
            dh[0] += dHs[t]
            dz, dc = _cell_backward(dh, dc, *_gates(trace, t))  # (k, B, 4H), (k, B, H)
            dc_prev = dc * trace.f[t]
            dZ[t], dh_all[t], dc_all[t] = dz.sum(axis=0), dh.sum(axis=0), dc.sum(axis=0)
            if t == 0:  # the window of every age reaches h0, c0
                dh, dc = dz.sum(axis=0) @ W_hT, dc_prev.sum(axis=0)
                break
            dh = np.concatenate([np.zeros((1, B, H), p.dtype), dz[:-1] @ W_hT])  # age a -> a+1
            dc = np.concatenate([np.zeros((1, B, H), p.dtype), dc_prev[:-1]])  # age k-1 is cut

    D = p.input_size
    dZ2 = dZ.reshape(T * B, 4 * H)
    dparams = LSTMParams(
        W_x=trace.x.reshape(T * B, D).T @ dZ2,  # (D, 4H)
        W_h=trace.h_prev.reshape(T * B, H).T @ dZ2,  # (H, 4H)
        b=dZ2.sum(axis=0),  # (4H,)
    )
    dX = (dZ2 @ p.W_x.T).reshape(T, B, D)
    return LSTMGrads(dparams, dX, dh, dc, dh_all, dc_all)


def _gates(trace, t):
    return trace.i[t], trace.f[t], trace.g[t], trace.o[t], trace.c_prev[t], trace.tanh_c[t]


def _cell_backward(dh, dc, i, f, g, o, c_prev, tanh_c):
    """dL/dz (..., 4H) and the total dL/dc from dL/dh and the cell-path dL/dc (lstm_step_backward's lines, fused)."""
    dc = dc + dh * o * (1.0 - tanh_c * tanh_c)
    dz = np.concatenate(
        [
            dc * g * i * (1.0 - i),  # dz_i
            dc * c_prev * f * (1.0 - f),  # dz_f
            dc * i * (1.0 - g * g),  # dz_g
            dh * tanh_c * o * (1.0 - o),  # dz_o
        ],
        axis=-1,
    )
    return dz, dc
