"""The vanilla (Elman) RNN: one step, a sequence, and backpropagation through time
(notebooks 01 and 02).

    a = x @ W_x + h_prev @ W_h + b        pre-activation (B, H)
    h = phi(a)                            new hidden state, the network's short-term memory

with phi = tanh (torch.nn.RNN's default; "relu" is also available). Backward through one
step, with phi' written through the stored output h (tanh' = 1 - h^2):

    da = dh * phi'(h)                     dh: the loss at step t plus what step t + 1 sent back
    dW_x = x.T @ da    dW_h = h_prev.T @ da    db = sum of da over the batch
    dx = da @ W_x.T
    dh_prev = da @ W_h.T                  so dh_T/dh_t is a product of T - t Jacobians

rnn_forward and rnn_backward are loops over rnn_step and rnn_step_backward. Training
(lstmlearn.cores) uses lstmlearn.engine.rnn, which computes the same numbers with the input
products of all steps in one matrix product and the state written in place.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._checks import as_float_array, check_backward_inputs, check_choice, check_finite, check_sequence, check_shape
from ._checks import state_or_zeros
from .activations import ACTIVATIONS
from .bptt import truncated_backward
from .params import RNNParams, check_params


class RNNStep(NamedTuple):
    """Every value of one RNN step (from rnn_forward: stacked over time, (T, B, .))."""

    x: np.ndarray  # input
    h_prev: np.ndarray  # hidden state coming in
    h: np.ndarray  # new hidden state
    activation: str = "tanh"  # the nonlinearity phi, so the backward pass uses the same one

    def at(self, t: int) -> "RNNStep":
        """The record of one step of a stacked trace: trace.at(t - 1) is step t."""
        return RNNStep(self.x[t], self.h_prev[t], self.h[t], self.activation)


class RNNStepGrads(NamedTuple):
    """What rnn_step_backward returns: dx (B, D); dh_prev (B, H), what the step sends back to
    h_{t-1}; dparams, the step's share of the weight gradients (an RNNParams); da (B, H)."""

    dx: np.ndarray
    dh_prev: np.ndarray
    dparams: RNNParams
    da: np.ndarray


class RNNGrads(NamedTuple):
    """Gradients of a scalar loss: dparams (an RNNParams of gradients), dX (T, B, D), dh0 (B, H),
    and dh (T, B, H), dL/dh_t for every step through every path."""

    dparams: RNNParams
    dX: np.ndarray
    dh0: np.ndarray
    dh: np.ndarray


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
    a = x @ p.W_x + h_prev @ p.W_h + p.b
    h = phi(a)
    return RNNStep(x, h_prev, h, activation)


def rnn_forward(X, p: RNNParams, h0=None, activation: str = "tanh"):
    """Run the RNN over a sequence X (T, B, D) from h0 (B, H) (zeros if None): rnn_step for t = 1 .. T.

    Steps are numbered t = 1 .. T: h_0 = h0 is the initial state, x_t = X[t - 1] and
    h_t = Hs[t - 1].

    Returns Hs (T, B, H) and the trace, an RNNStep stacked over time.
    """
    check_params(p, RNNParams)
    X = check_sequence("X", X, p)
    h = state_or_zeros("h0", h0, (X.shape[1], p.hidden_size), p.dtype)
    steps = []
    for x in X:
        s = rnn_step(x, h, p, activation)
        steps.append(s)
        h = s.h
    trace = RNNStep(*(np.stack(values) for values in zip(*(s[:3] for s in steps))), activation)
    return trace.h, trace


def rnn_step_backward(dh, s: RNNStep, p: RNNParams) -> RNNStepGrads:
    """Backward through one step (equations in the module docstring).

    dh : (B, H) dL/dh_t: the loss at step t plus what step t + 1 sent back
    s : the RNNStep of step t;  p : the RNNParams of the forward pass
    """
    check_params(p, RNNParams)
    dh = as_float_array("dh", dh, p.dtype)
    check_shape("dh", dh, s.h.shape, "the shape of the step's h")
    if s.x.ndim == 1:  # one example: run it as a batch of one, then drop the batch axis again
        g = rnn_step_backward(dh[None], RNNStep(s.x[None], s.h_prev[None], s.h[None], s.activation), p)
        return RNNStepGrads(g.dx[0], g.dh_prev[0], g.dparams, g.da[0])
    dphi = ACTIVATIONS[s.activation][1]
    da = dh * dphi(s.h)
    dW_x = s.x.T @ da
    dW_h = s.h_prev.T @ da
    db = da.sum(axis=0)
    dx = da @ p.W_x.T
    dh_prev = da @ p.W_h.T
    return RNNStepGrads(dx, dh_prev, RNNParams(dW_x, dW_h, db), da)


def rnn_backward(dHs, trace: RNNStep, p: RNNParams, dh_T=None, truncate=None) -> RNNGrads:
    """Backpropagation through time for rnn_forward: rnn_step_backward for t = T .. 1.

    dHs : (T, B, H) dL/dh_t; dh_T : (B, H) gradient into the final state, or None;
    truncate : k or None, as in lstm_backward (the loss at step t reaches back k steps).
    Returns RNNGrads(dparams, dX, dh0, dh).
    """
    check_params(p, RNNParams)
    T = len(trace.h)
    dHs, dh_next = check_backward_inputs(dHs, trace.h.shape, p.dtype, truncate, dh_T=dh_T)
    if truncate is not None and truncate < T:
        return truncated_backward(rnn_backward, dHs, trace, truncate, (p,), dict(dh_T=dh_next))
    dh, steps = [None] * T, [None] * T
    for t in reversed(range(T)):
        dh[t] = dHs[t] + dh_next  # the loss at this step, and what the next step sent back
        steps[t] = rnn_step_backward(dh[t], trace.at(t), p)
        dh_next = steps[t].dh_prev
    return RNNGrads(
        dparams=RNNParams(*(sum(d) for d in zip(*(s.dparams for s in steps)))),  # the same weights at every step
        dX=np.stack([s.dx for s in steps]),
        dh0=dh_next,
        dh=np.stack(dh),
    )
