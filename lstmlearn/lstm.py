"""The LSTM: one step, a sequence, and backpropagation through time (notebooks 04 to 06).

This file is the page to read beside the notebooks: one equation a line, in their symbols.
One step, for a batch of inputs x (B, D) with state h_prev, c_prev (B, H):

    z_i = x @ W_xi + h_prev @ W_hi + b_i       the gates' pre-activations, (B, H) each
    z_f = x @ W_xf + h_prev @ W_hf + b_f
    z_g = x @ W_xg + h_prev @ W_hg + b_g
    z_o = x @ W_xo + h_prev @ W_ho + b_o
    i = sigmoid(z_i)                           input gate       in (0, 1)
    f = sigmoid(z_f)                           forget gate      in (0, 1)
    g = tanh(z_g)                              candidate values in (-1, 1)
    o = sigmoid(z_o)                           output gate      in (0, 1)
    c = f * c_prev + i * g                     new cell state (the additive update)
    h = o * tanh(c)                            new hidden state

(* is elementwise.) This is torch.nn.LSTM's step, in PyTorch's gate order i, f, g, o.
W_xi and the other per-gate weights are views into the fused arrays W_x (D, 4H),
W_h (H, 4H), b (4H,) of lstmlearn.params.LSTMParams. lstm_step_backward runs these lines
in reverse (notebook 06); lstm_forward and lstm_backward are loops over the two steps.
Everything the backward pass needs travels in the trace the forward pass returns: no
state is kept between calls.

The models of notebooks 07-09 train with lstmlearn.engine.lstm instead: the same numbers
(to 1e-12, tests/test_engine.py) from one fused matrix product per step, computed in place.
This page is slower. A forward and backward pass took 1.3 to 1.7 times as long as the
engine's at batch 64 (H = 128 and 256) and about 3 times as long at batch 1 (T = 120, H = 32,
notebook 06's size), where the page's per-step checks and per-gate products weigh most;
truncated BPTT here runs each window as its own backward pass. benchmarks/bench_lstm.py
prints the ratio on your machine.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._checks import as_float_array, check_backward_inputs, check_finite, check_sequence, check_shape, state_or_zeros
from .activations import sigmoid
from .bptt import truncated_backward
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

    def at(self, t: int) -> "LSTMStep":
        """The record of one step of a stacked trace: trace.at(t - 1) is step t."""
        return LSTMStep(*(a[t] for a in self))


class LSTMStepGrads(NamedTuple):
    """What lstm_step_backward returns for one step t (arrays (B, .) like the step's).

    dx : dL/dx_t
    dh_prev, dc_prev : what step t sends back to h_{t-1} and c_{t-1}: the notebook's
        delta h_{t-1}^next and delta c_{t-1}^next (step t - 1 adds its own loss to the first)
    dparams : step t's share of dL/dW_x, dL/dW_h, dL/db (an LSTMParams)
    dc : dL/dc_t through both paths, the total delta c_t
    dz : (B, 4H) dL/dz for the four blocks (gates i, f, o; candidate g) side by side, i | f | g | o
    """

    dx: np.ndarray
    dh_prev: np.ndarray
    dc_prev: np.ndarray
    dparams: LSTMParams
    dc: np.ndarray
    dz: np.ndarray


class LSTMGrads(NamedTuple):
    """Gradients of a scalar loss L with respect to everything lstm_forward used.

    dparams : LSTMParams of dL/dW_x, dL/dW_h, dL/db
    dX : (T, B, D) dL/dx_t        dh0, dc0 : (B, H) dL/dh_0, dL/dc_0
    dh, dc : (T, B, H) dL/dh_t and dL/dc_t for every step, through every path (the
        quantities whose norms show gradient flow in notebooks 02 and 06)
    """

    dparams: LSTMParams
    dX: np.ndarray
    dh0: np.ndarray
    dc0: np.ndarray
    dh: np.ndarray
    dc: np.ndarray


def lstm_step(x, h_prev, c_prev, p: LSTMParams) -> LSTMStep:
    """One LSTM step (equations in the module docstring).

    Parameters
    ----------
    x : (B, D) or (D,)    h_prev, c_prev : (B, H) or (H,), matching x
    p : LSTMParams

    Returns an LSTMStep with fields x, h_prev, c_prev, i, f, g, o, c, tanh_c, h.
    """
    x, h_prev, c_prev = _check_step_inputs(x, h_prev, c_prev, p)
    z_i = x @ p.W_xi + h_prev @ p.W_hi + p.b_i
    z_f = x @ p.W_xf + h_prev @ p.W_hf + p.b_f
    z_g = x @ p.W_xg + h_prev @ p.W_hg + p.b_g
    z_o = x @ p.W_xo + h_prev @ p.W_ho + p.b_o
    i = sigmoid(z_i)
    f = sigmoid(z_f)
    g = np.tanh(z_g)
    o = sigmoid(z_o)
    c = f * c_prev + i * g
    tanh_c = np.tanh(c)
    h = o * tanh_c
    return LSTMStep(x, h_prev, c_prev, i, f, g, o, c, tanh_c, h)


def lstm_forward(X, p: LSTMParams, h0=None, c0=None):
    """Run an LSTM over a sequence: lstm_step for t = 1 .. T, handing the state on.

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
    trace : LSTMStep whose fields are stacked over time ((T, B, H); x is (T, B, D)), so
        trace.f[t - 1] is the forget gate of step t and trace.h is Hs.
    """
    X, h, c = _check_sequence_inputs(X, h0, c0, p)
    steps = []
    for x in X:
        s = lstm_step(x, h, c, p)
        steps.append(s)
        h, c = s.h, s.c
    trace = LSTMStep(*(np.stack(values) for values in zip(*steps)))
    return trace.h, trace


def lstm_step_backward(dh, dc_next, s: LSTMStep, p: LSTMParams) -> LSTMStepGrads:
    """Backward through one step: lstm_step's lines in reverse, one equation a line (notebook 06).

    Parameters
    ----------
    dh : (B, H) dL/dh_t: the loss at step t plus what step t + 1 sent back through h_t
    dc_next : (B, H) what step t + 1 sent back to c_t along the cell path (delta c_t^next)
    s : the LSTMStep of step t, as lstm_step returned it
    p : the LSTMParams of the forward pass

    Returns an LSTMStepGrads (dx, dh_prev, dc_prev, dparams, dc, dz).
    """
    dh, dc_next = _check_step_grads(dh, dc_next, s, p)
    if s.x.ndim == 1:  # one example: run it as a batch of one, then drop the batch axis again
        g = lstm_step_backward(dh[None], dc_next[None], LSTMStep(*(a[None] for a in s)), p)
        return LSTMStepGrads(g.dx[0], g.dh_prev[0], g.dc_prev[0], g.dparams, g.dc[0], g.dz[0])
    # h = o * tanh(c)
    do = dh * s.tanh_c
    dc = dc_next + dh * s.o * (1 - s.tanh_c**2)
    # c = f * c_prev + i * g
    df = dc * s.c_prev
    di = dc * s.g
    dg = dc * s.i
    dc_prev = dc * s.f
    # i, f, o = sigmoid(z_i), sigmoid(z_f), sigmoid(z_o);  g = tanh(z_g)
    dz_i = di * s.i * (1 - s.i)
    dz_f = df * s.f * (1 - s.f)
    dz_g = dg * (1 - s.g**2)
    dz_o = do * s.o * (1 - s.o)
    # z = x @ W_x + h_prev @ W_h + b, the four gates side by side
    dz = np.concatenate([dz_i, dz_f, dz_g, dz_o], axis=-1)
    dW_x = s.x.T @ dz
    dW_h = s.h_prev.T @ dz
    db = dz.sum(axis=0)
    dx = dz @ p.W_x.T
    dh_prev = dz @ p.W_h.T
    return LSTMStepGrads(dx, dh_prev, dc_prev, LSTMParams(dW_x, dW_h, db), dc, dz)


def lstm_backward(dHs, trace: LSTMStep, p: LSTMParams, dh_T=None, dc_T=None, truncate=None) -> LSTMGrads:
    """Backpropagation through time for lstm_forward: lstm_step_backward for t = T .. 1.

    Parameters
    ----------
    dHs : (T, B, H) dL/dh_t for t = 1 .. T (zeros where the loss does not read h_t)
    trace : the trace returned by lstm_forward
    p : the LSTMParams used in the forward pass
    dh_T, dc_T : (B, H) gradient flowing into the final state from later on (e.g. from
        the next chunk of a long sequence); zeros if None
    truncate : int k or None. With k, the gradient of the loss at step t flows back
        through at most k steps (t, t-1, ..., t-k+1) and the state entering step t-k+1
        is treated as a constant: truncated BPTT, lstmlearn.bptt. None gives the exact gradient.

    Returns
    -------
    LSTMGrads(dparams, dX, dh0, dc0, dh, dc): dparams is an LSTMParams of dL/dW_x,
    dL/dW_h, dL/db; dX (T, B, D); dh0, dc0 (B, H); dh, dc (T, B, H) are dL/dh_t and dL/dc_t.
    """
    check_params(p, LSTMParams)
    T = len(trace.h)
    dHs, dh_next, dc_next = check_backward_inputs(dHs, trace.h.shape, p.dtype, truncate, dh_T=dh_T, dc_T=dc_T)
    if truncate is not None and truncate < T:
        return truncated_backward(lstm_backward, dHs, trace, truncate, (p,), dict(dh_T=dh_next, dc_T=dc_next))
    dh, steps = [None] * T, [None] * T
    for t in reversed(range(T)):
        dh[t] = dHs[t] + dh_next  # the loss at this step, and what the next step sent back
        steps[t] = lstm_step_backward(dh[t], dc_next, trace.at(t), p)
        dh_next, dc_next = steps[t].dh_prev, steps[t].dc_prev
    return LSTMGrads(
        dparams=LSTMParams(*(sum(d) for d in zip(*(s.dparams for s in steps)))),  # the same weights at every step
        dX=np.stack([s.dx for s in steps]),
        dh0=dh_next,
        dc0=dc_next,
        dh=np.stack(dh),
        dc=np.stack([s.dc for s in steps]),
    )


def _check_step_inputs(x, h_prev, c_prev, p):
    check_params(p, LSTMParams)
    D, H = p.input_size, p.hidden_size
    x = as_float_array("x", x, p.dtype)
    if x.ndim not in (1, 2):
        raise ValueError(
            f"x should have shape (B, D) or (D,) with D = {D}, but it has shape {x.shape}. "
            f"For a whole sequence (T, B, D) use lstm_forward."
        )
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


def _check_step_grads(dh, dc_next, s, p):
    check_params(p, LSTMParams)
    out = []
    for name, a in (("dh", dh), ("dc_next", dc_next)):
        a = as_float_array(name, a, p.dtype)
        check_shape(name, a, s.h.shape, "the shape of the step's h")
        check_finite(name, a)
        out.append(a)
    return out


def _check_sequence_inputs(X, h0, c0, p):
    check_params(p, LSTMParams)
    X = check_sequence("X", X, p)
    B, H = X.shape[1], p.hidden_size
    return X, state_or_zeros("h0", h0, (B, H), p.dtype), state_or_zeros("c0", c0, (B, H), p.dtype)
