"""The LSTM: one step, a sequence, and backpropagation through time (notebooks 04 to 06).

One step, for a batch of inputs x (B, D) with state h_prev, c_prev (B, H):

    i = sigmoid(x @ W_xi + h_prev @ W_hi + b_i)     input gate       in (0, 1)
    f = sigmoid(x @ W_xf + h_prev @ W_hf + b_f)     forget gate      in (0, 1)
    g =    tanh(x @ W_xg + h_prev @ W_hg + b_g)     candidate values in (-1, 1)
    o = sigmoid(x @ W_xo + h_prev @ W_ho + b_o)     output gate      in (0, 1)
    c = f * c_prev + i * g                          new cell state (additive update)
    h = o * tanh(c)                                 new hidden state

(* is elementwise.) This is torch.nn.LSTM's step, in PyTorch's gate order i, f, g, o.
The four gate pre-activations are computed together as one product with the fused
weights, z = x @ W_x + h_prev @ W_h + b, z (B, 4H); see lstmlearn.params.

The backward pass reads everything it needs from the trace the forward pass returned:
no state is kept between calls. Gate derivatives come from the stored gate outputs
(sigmoid' = s(1 - s), tanh' = 1 - t^2), so nothing is recomputed.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._checks import as_float_array, check_finite, check_positive_int, check_shape
from .activations import sigmoid
from .params import LSTMParams, check_params


class LSTMStep(NamedTuple):
    """Every value of one LSTM step (or, from lstm_forward, of all steps stacked over time).

    For one step the arrays are (B, D) for x and (B, H) for the rest; stacked over time
    they gain a leading T axis, so trace.f[:, 0] is the forget gate of example 0 at every step.
    """

    x: np.ndarray  # input
    h_prev: np.ndarray  # hidden state coming in
    c_prev: np.ndarray  # cell state coming in
    i: np.ndarray  # input gate
    f: np.ndarray  # forget gate
    g: np.ndarray  # candidate values
    o: np.ndarray  # output gate
    c: np.ndarray  # new cell state
    tanh_c: np.ndarray  # tanh(c), kept for the backward pass
    h: np.ndarray  # new hidden state


class LSTMGrads(NamedTuple):
    """Gradients of a scalar loss L with respect to everything lstm_forward used.

    params : LSTMParams of dL/dW_x, dL/dW_h, dL/db
    X : (T, B, D) dL/dx_t        h0, c0 : (B, H) dL/dh0, dL/dc0
    h, c : (T, B, H) dL/dh_t and dL/dc_t for every step, through every path (the
        quantities whose norms show gradient flow in notebooks 02 and 06)
    """

    params: LSTMParams
    X: np.ndarray
    h0: np.ndarray
    c0: np.ndarray
    h: np.ndarray
    c: np.ndarray


def lstm_step(x, h_prev, c_prev, p: LSTMParams) -> LSTMStep:
    """One LSTM step (equations in the module docstring).

    Parameters
    ----------
    x : (B, D) or (D,)    h_prev, c_prev : (B, H) or (H,), matching x
    p : LSTMParams

    Returns an LSTMStep with fields x, h_prev, c_prev, i, f, g, o, c, tanh_c, h.
    """
    x, h_prev, c_prev = _check_step_inputs(x, h_prev, c_prev, p)
    H = p.hidden_size
    z = x @ p.W_x + h_prev @ p.W_h + p.b  # (B, 4H): pre-activations of i | f | g | o
    i = sigmoid(z[..., 0 * H:1 * H])
    f = sigmoid(z[..., 1 * H:2 * H])
    g = np.tanh(z[..., 2 * H:3 * H])
    o = sigmoid(z[..., 3 * H:4 * H])
    c = f * c_prev + i * g
    tanh_c = np.tanh(c)
    h = o * tanh_c
    return LSTMStep(x, h_prev, c_prev, i, f, g, o, c, tanh_c, h)


def lstm_forward(X, p: LSTMParams, h0=None, c0=None):
    """Run an LSTM over a sequence: the step of lstm_step, for t = 1 .. T.

    Steps are numbered from 1 as in the notebooks: (h_0, c_0) = (h0, c0) is the initial
    state, step t reads x_t = X[t - 1] and produces h_t = Hs[t - 1].

    Parameters
    ----------
    X : (T, B, D) inputs, time-major
    p : LSTMParams
    h0, c0 : (B, H) initial state; zeros if None

    Returns
    -------
    Hs : (T, B, H) hidden states h_1 .. h_T
    trace : LSTMStep whose fields are stacked over time ((T, B, H); x is X). trace.h is Hs,
        and trace.h_prev, trace.c_prev are views of the same memory shifted by one
        step, so the trace holds each value once. Do not write into Hs or the trace if
        you will call lstm_backward with it.
    """
    X, h0, c0 = _check_sequence_inputs(X, h0, c0, p)
    T, B, D = X.shape
    H = p.hidden_size
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
        sigmoid(z[:, 0 * H:1 * H], out=i)
        sigmoid(z[:, 1 * H:2 * H], out=f)
        np.tanh(z[:, 2 * H:3 * H], out=g)
        sigmoid(z[:, 3 * H:4 * H], out=o)
        np.multiply(f, cs[t], out=cs[t + 1])  # c = f * c_prev + i * g
        np.multiply(i, g, out=ig)
        cs[t + 1] += ig
        np.tanh(cs[t + 1], out=tanh_cs[t])
        np.multiply(o, tanh_cs[t], out=hs[t + 1])  # h = o * tanh(c)
    trace = LSTMStep(
        x=X, h_prev=hs[:-1], c_prev=cs[:-1], i=gates[0], f=gates[1], g=gates[2], o=gates[3],
        c=cs[1:], tanh_c=tanh_cs, h=hs[1:],
    )
    return hs[1:], trace


def lstm_step_backward(dh, dc, s: LSTMStep, p: LSTMParams):
    """Backward through one step: from dL/dh and dL/dc of the step's outputs to its inputs.

        do = dh * tanh(c)                  dz_o = do * o (1 - o)
        dc = dc + dh * o * (1 - tanh(c)^2)          (both paths into c)
        di = dc * g                        dz_i = di * i (1 - i)
        df = dc * c_prev                   dz_f = df * f (1 - f)
        dg = dc * i                        dz_g = dg * (1 - g^2)
        dc_prev = dc * f                   (the cell path: dc_t/dc_{t-1} = diag(f))
        dz = [dz_i | dz_f | dz_g | dz_o]   (B, 4H)
        dh_prev = dz @ W_h.T    dx = dz @ W_x.T
        dW_x = x.T @ dz         dW_h = h_prev.T @ dz        db = sum of dz over the batch

    Parameters
    ----------
    dh, dc : (B, H) gradients of the loss with respect to s.h and s.c
    s : the LSTMStep returned by lstm_step
    Returns (dx, dh_prev, dc_prev, grads) with grads an LSTMParams of gradients.
    """
    dz, dc = _cell_backward(dh, dc, s.i, s.f, s.g, s.o, s.c_prev, s.tanh_c)
    dc_prev = dc * s.f
    x2, h2, dz2 = np.atleast_2d(s.x), np.atleast_2d(s.h_prev), np.atleast_2d(dz)
    grads = LSTMParams(x2.T @ dz2, h2.T @ dz2, dz2.sum(axis=0))
    return dz @ p.W_x.T, dz @ p.W_h.T, dc_prev, grads


def lstm_backward(dHs, trace: LSTMStep, p: LSTMParams, dh_T=None, dc_T=None, truncate=None) -> LSTMGrads:
    """Backpropagation through time for lstm_forward.

    Parameters
    ----------
    dHs : (T, B, H) dL/dh_t for t = 1 .. T (zeros where the loss does not read h_t)
    trace : the trace returned by lstm_forward
    p : the LSTMParams used in the forward pass
    dh_T, dc_T : (B, H) gradient flowing into the final state from later on (e.g. from
        the next chunk of a long sequence); zeros if None
    truncate : int k or None. With k, the gradient of the loss at step t flows back
        through at most k steps (t, t-1, ..., t-k+1) and the state entering step t-k+1
        is treated as a constant: truncated BPTT. None gives the exact gradient.

    Returns
    -------
    LSTMGrads(params, X, h0, c0, h, c): params is an LSTMParams of dL/dW_x, dL/dW_h,
    dL/db; X (T, B, D); h0, c0 (B, H); h, c (T, B, H) are dL/dh_t and dL/dc_t.

    Per step this applies lstm_step_backward's equations; the products with x and
    h_prev are done once for the whole sequence after the loop.
    """
    check_params(p, LSTMParams)
    T, B, H = trace.h.shape
    dHs = as_float_array("dHs", dHs, p.dtype)
    check_shape("dHs", dHs, (T, B, H), "the shape of the hidden states Hs the forward pass returned")
    check_finite("dHs", dHs)
    dh = _initial_grad("dh_T", dh_T, (B, H), p.dtype)
    dc = _initial_grad("dc_T", dc_T, (B, H), p.dtype)
    check_positive_int("truncate", truncate, allow_none=True)

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
    grads = LSTMParams(
        W_x=trace.x.reshape(T * B, D).T @ dZ2,  # (D, 4H)
        W_h=trace.h_prev.reshape(T * B, H).T @ dZ2,  # (H, 4H)
        b=dZ2.sum(axis=0),  # (4H,)
    )
    dX = (dZ2 @ p.W_x.T).reshape(T, B, D)
    return LSTMGrads(grads, dX, dh, dc, dh_all, dc_all)


def _gates(trace, t):
    return trace.i[t], trace.f[t], trace.g[t], trace.o[t], trace.c_prev[t], trace.tanh_c[t]


def _cell_backward(dh, dc, i, f, g, o, c_prev, tanh_c):
    """dL/dz (..., 4H) and the total dL/dc from dL/dh and the cell-path dL/dc; see lstm_step_backward."""
    dc = dc + dh * o * (1.0 - tanh_c * tanh_c)
    dz = np.concatenate([
        dc * g * i * (1.0 - i),  # dz_i
        dc * c_prev * f * (1.0 - f),  # dz_f
        dc * i * (1.0 - g * g),  # dz_g
        dh * tanh_c * o * (1.0 - o),  # dz_o
    ], axis=-1)
    return dz, dc


def _initial_grad(name, value, shape, dtype):
    if value is None:
        return np.zeros(shape, dtype=dtype)
    value = as_float_array(name, value, dtype)
    check_shape(name, value, shape, "that is (B, H)")
    check_finite(name, value)
    return value


def _check_step_inputs(x, h_prev, c_prev, p):
    check_params(p, LSTMParams)
    D, H = p.input_size, p.hidden_size
    x = as_float_array("x", x, p.dtype)
    if x.ndim not in (1, 2):
        raise ValueError(f"x should have shape (B, D) or (D,) with D = {D}, but it has shape {x.shape}. "
                         f"For a whole sequence (T, B, D) use lstm_forward.")
    batch = x.shape[:-1]
    check_shape("x", x, batch + (D,), f"with D = p.input_size = {D}")
    h_prev = as_float_array("h_prev", h_prev, p.dtype)
    c_prev = as_float_array("c_prev", c_prev, p.dtype)
    meaning = "that is (B, H) with B from x" if batch else "that is (H,), like x which is 1-D"
    check_shape("h_prev", h_prev, batch + (H,), f"{meaning} and H = p.hidden_size")
    check_shape("c_prev", c_prev, batch + (H,), f"{meaning} and H = p.hidden_size")
    for name, a in (("x", x), ("h_prev", h_prev), ("c_prev", c_prev)):
        check_finite(name, a)
    return x, h_prev, c_prev


def _check_sequence_inputs(X, h0, c0, p):
    check_params(p, LSTMParams)
    X = check_sequence("X", X, p)
    B, H = X.shape[1], p.hidden_size
    h0 = _initial_grad("h0", h0, (B, H), p.dtype)
    c0 = _initial_grad("c0", c0, (B, H), p.dtype)
    return X, h0, c0


def check_sequence(name, X, p):
    """Check a time-major input sequence X (T, B, D) against params p; return it as p.dtype."""
    X = as_float_array(name, X, p.dtype)
    D = p.input_size
    hint = ""
    if X.ndim == 2:
        hint = (f"For one sequence of shape (T, D) add a batch axis: {name}[:, None, :]. "
                f"For a batch of single steps (B, D) add a time axis: {name}[None].")
    check_shape(name, X, (None, None, D),
                f"that is (T, B, D) = (time steps, batch, input size) with D = p.input_size = {D}", hint)
    if X.shape[0] == 0 or X.shape[1] == 0:
        raise ValueError(f"{name} has shape {X.shape}: it needs at least one time step and one example.")
    check_finite(name, X)
    return X
