"""The vanilla (Elman) RNN: one step, a sequence, and backpropagation through time
(notebooks 01 and 02).

    a = x @ W_x + h_prev @ W_h + b        pre-activation (B, H)
    h = tanh(a)                           new hidden state, the network's short-term memory

This is torch.nn.RNN's step (nonlinearity="tanh"; "relu" is also available).

Backward, with phi' written through the stored output h (tanh' = 1 - h^2):

    da = (dh_t + dh_next) * phi'(h)
    dh_prev = da @ W_h.T                  so dh_T/dh_t is a product of T - t Jacobians
    dx = da @ W_x.T    dW_x = x.T @ da    dW_h = h_prev.T @ da    db = sum of da over the batch
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._checks import as_float_array, check_choice, check_finite, check_positive_int, check_shape
from .activations import ACTIVATIONS
from .lstm import _initial_grad, check_sequence
from .params import RNNParams, check_params


class RNNStep(NamedTuple):
    """Every value of one RNN step (from rnn_forward: stacked over time, (T, B, .))."""

    x: np.ndarray  # input
    h_prev: np.ndarray  # hidden state coming in
    h: np.ndarray  # new hidden state
    activation: str = "tanh"  # the nonlinearity phi, so the backward pass uses the same one


class RNNGrads(NamedTuple):
    """Gradients of a scalar loss: params (an RNNParams of gradients), X (T, B, D), h0 (B, H),
    and h (T, B, H), dL/dh_t for every step through every path."""

    params: RNNParams
    X: np.ndarray
    h0: np.ndarray
    h: np.ndarray


def rnn_step(x, h_prev, p: RNNParams, activation: str = "tanh") -> RNNStep:
    """One RNN step h = phi(x @ W_x + h_prev @ W_h + b).

    x : (B, D) or (D,)    h_prev : (B, H) or (H,)    activation : "tanh" or "relu"
    """
    check_params(p, RNNParams)
    check_choice("activation", activation, ("tanh", "relu"))
    x = as_float_array("x", x, p.dtype)
    h_prev = as_float_array("h_prev", h_prev, p.dtype)
    if x.ndim not in (1, 2):
        raise ValueError(f"x should have shape (B, D) or (D,), but it has shape {x.shape}. "
                         f"For a whole sequence (T, B, D) use rnn_forward.")
    check_shape("x", x, x.shape[:-1] + (p.input_size,), f"with D = p.input_size = {p.input_size}")
    check_shape("h_prev", h_prev, x.shape[:-1] + (p.hidden_size,),
                "that is (B, H) with B from x and H = p.hidden_size")
    check_finite("x", x)
    check_finite("h_prev", h_prev)
    phi = ACTIVATIONS[activation][0]
    h = phi(x @ p.W_x + h_prev @ p.W_h + p.b)
    return RNNStep(x, h_prev, h, activation)


def rnn_forward(X, p: RNNParams, h0=None, activation: str = "tanh"):
    """Run the RNN over a sequence X (T, B, D) from h0 (B, H) (zeros if None).

    Steps are numbered t = 1 .. T: h_0 = h0 is the initial state, x_t = X[t - 1] and
    h_t = Hs[t - 1].

    Returns Hs (T, B, H) and the trace, an RNNStep stacked over time; trace.h_prev is a
    view of the same memory as Hs shifted by one step.
    """
    check_params(p, RNNParams)
    check_choice("activation", activation, ("tanh", "relu"))
    X = check_sequence("X", X, p)
    T, B, D = X.shape
    H = p.hidden_size
    h0 = _initial_grad("h0", h0, (B, H), p.dtype)
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
    """Backpropagation through time for rnn_forward (equations in the module docstring).

    dHs : (T, B, H) dL/dh_t; dh_T : (B, H) gradient into the final state, or None;
    truncate : k or None, as in lstm_backward (the loss at step t reaches back k steps).
    Returns RNNGrads(params, X, h0, h).
    """
    check_params(p, RNNParams)
    T, B, H = trace.h.shape
    dHs = as_float_array("dHs", dHs, p.dtype)
    check_shape("dHs", dHs, (T, B, H), "the shape of the hidden states Hs the forward pass returned")
    check_finite("dHs", dHs)
    dh = _initial_grad("dh_T", dh_T, (B, H), p.dtype)
    check_positive_int("truncate", truncate, allow_none=True)
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
    grads = RNNParams(
        W_x=trace.x.reshape(T * B, D).T @ dA2,
        W_h=trace.h_prev.reshape(T * B, H).T @ dA2,
        b=dA2.sum(axis=0),
    )
    return RNNGrads(grads, (dA2 @ p.W_x.T).reshape(T, B, D), dh, dh_all)
