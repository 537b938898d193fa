"""The forget gate as a decay: Griffin's RG-LRU and Mamba's S6 with one state per channel (notebook 10).

Both are h_t = a_t h_{t-1} + b_t with a data-dependent decay a_t in (0, 1), computed from x_t alone.

RG-LRU (De et al. 2024), transcribed from recurrentgemma/jax/layers.py, RGLRU.__call__
(google-deepmind/recurrentgemma, commit 2efa84d), with one block (num_heads = 1) and real
numbers (only_real=True, its default); the input x has the width H of the state:
    i = sigmoid(x @ W_i + b_i)              input gate            (gate_x = sigmoid(input_gate(x)))
    r = sigmoid(x @ W_r + b_r)              recurrence gate       (gate_a = sigmoid(a_gate(x)))
    log a = -c * softplus(Lambda) * r       c = 8                 (log_a = -8.0 * gate_a * softplus(a_param))
    a = exp(log a)                          in (0, 1): r = 0 keeps h, r = 1 decays fastest
    h = a * h_prev + sqrt(1 - a^2) * (i * x)                     (normalized_x = gated_x * sqrt(1 - a_squared))
At a segment's first position (segment_pos == 0) the code sets a = 0 and the multiplier to 1,
so h_1 = i_1 * x_1 whatever came before: rglru_forward does this when h0 is None and continues
from h0 (the code's cache) otherwise. sqrt(1 - a^2) keeps the state's variance that of the input
when x is white noise: Var h = a^2 Var h + (1 - a^2) Var x has the fixed point Var h = Var x,
so a slow decay (a near 1) does not make h grow. (The code also clips the derivative of the square
root at 1000 in bfloat16 training; at float64 and a < 1 this changes nothing here.)

S6 with N = 1 (Gu & Dao 2023), as mambapy's selective_scan_seq computes it with d_state = 1:
    delta = softplus(x @ W_delta + b_delta)   (B, H) the step size, one per channel
    B = x @ w_B                               (B, 1) the input matrix, shared by the channels
    C = x @ w_C                               (B, 1) the output matrix
    A = -exp(A_log)                           (H,) negative
    a = exp(delta * A)                        the decay, in (0, 1)
    h = a * h_prev + delta * B * x
    y = C * h + D * x
mambapy and the official kernels discretise B by Euler (delta B); with zero-order hold,
A = -1 and B = 1, b becomes (1 - a) x and h = (1 - g) h_prev + g x with g = sigmoid(x @ W_delta
+ b_delta): Mamba's Theorem 1, the minGRU with a candidate x. (Mamba computes delta through a
low-rank projection; here W_delta is a full (H, H) matrix.)

The decays' half-lives follow as in notebook 04: a constant a halves h in log(1/2) / log(a) steps.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._checks import check_backward_inputs, check_sequence, state_or_zeros
from .activations import sigmoid

C_RGLRU = 8.0  # the constant c of the RG-LRU (De et al. 2024, eq. 4; -8.0 in RGLRU.__call__)


def softplus(z):
    """log(1 + exp(z)), without overflow."""
    return np.logaddexp(0.0, z)


class RGLRUParams(NamedTuple):
    """W_i, W_r (H, H), b_i, b_r (H,), Lambda (H,)."""

    W_i: np.ndarray
    b_i: np.ndarray
    W_r: np.ndarray
    b_r: np.ndarray
    Lambda: np.ndarray

    input_size = property(lambda self: self.W_i.shape[0], doc="D = H, the width of x and h.")
    dtype = property(lambda self: self.W_i.dtype, doc="The arrays' dtype.")


class RGLRUStep(NamedTuple):
    """One step's values, each (B, H); `m` is the input multiplier sqrt(1 - a^2) (1 at a reset)."""

    x: np.ndarray
    h_prev: np.ndarray
    i: np.ndarray
    r: np.ndarray
    a: np.ndarray
    m: np.ndarray
    h: np.ndarray

    def at(self, t: int) -> "RGLRUStep":
        """The record of one step of a stacked trace."""
        return RGLRUStep(*(v[t] for v in self))


def rglru_step(x, h_prev, p: RGLRUParams, reset: bool = False) -> RGLRUStep:
    """One RG-LRU step, x and h_prev (B, H); reset=True is the first position of a segment (a = 0, m = 1)."""
    i = sigmoid(x @ p.W_i + p.b_i)
    r = sigmoid(x @ p.W_r + p.b_r)
    a = np.exp(-C_RGLRU * softplus(p.Lambda) * r)
    m = np.sqrt(1 - a**2)
    if reset:
        a, m = np.zeros_like(a), np.ones_like(m)
    h = a * h_prev + m * (i * x)
    return RGLRUStep(x, h_prev, i, r, a, m, h)


def rglru_step_backward(dh, s: RGLRUStep, p: RGLRUParams, reset: bool = False):
    """Backward of one step: dh (B, H), the full gradient into s.h -> (dx, dh_prev, dparams).

    dh_prev = dh a            du = dh m  (u = i x)          da = dh (h_prev - u a / m)
    dlog a = da a             dr = -c softplus(Lambda) dlog a     dLambda = -c sigmoid(Lambda) sum(r dlog a)
    """
    u = s.i * s.x
    du = dh * s.m
    dlog_a = np.zeros_like(dh) if reset else dh * (s.h_prev - u * s.a / s.m) * s.a
    dz_i = du * s.x * s.i * (1 - s.i)
    dz_r = -C_RGLRU * softplus(p.Lambda) * dlog_a * s.r * (1 - s.r)
    dLambda = -C_RGLRU * sigmoid(p.Lambda) * np.sum(dlog_a * s.r, axis=0)
    dx = du * s.i + dz_i @ p.W_i.T + dz_r @ p.W_r.T
    grads = RGLRUParams(s.x.T @ dz_i, dz_i.sum(axis=0), s.x.T @ dz_r, dz_r.sum(axis=0), dLambda)
    return dx, dh * s.a, grads


def _forward_loop(step, X, p, h0, record):
    """The loop both models share: step(t, x_t, h_{t-1}) for t = 1 .. T, stacked into `record`."""
    X = check_sequence("X", X, p)
    h = state_or_zeros("h0", h0, X.shape[1:], p.dtype)
    steps = []
    for t, x in enumerate(X):
        steps.append(step(t, x, h))
        h = steps[-1].h
    return record(*(np.stack(v) for v in zip(*steps)))


def _backward_loop(step_backward, dOut, shape, p):
    """The loop back both models share: step_backward(t, dOut_t, dh_next) -> (dx_t, dh_prev, dparams)
    for t = T .. 1, the parameters' gradients summed over the steps. Returns (dX, dh0, dparams)."""
    (dOut,) = check_backward_inputs(dOut, shape, p.dtype)
    total = [np.zeros_like(v) for v in p]
    dX = np.empty_like(dOut)
    dh_next = np.zeros_like(dOut[0])
    for t in reversed(range(dOut.shape[0])):
        dX[t], dh_next, dp = step_backward(t, dOut[t], dh_next)
        total = [acc + d for acc, d in zip(total, dp)]
    return dX, dh_next, type(p)(*total)


def rglru_forward(X, p: RGLRUParams, h0=None):
    """X (T, B, H) -> (Hs (T, B, H), trace). h0 None: the first step resets (as at segment_pos == 0)."""
    trace = _forward_loop(lambda t, x, h: rglru_step(x, h, p, reset=(t == 0 and h0 is None)), X, p, h0, RGLRUStep)
    return trace.h, trace


def rglru_backward(dHs, trace: RGLRUStep, p: RGLRUParams, h0_given: bool = True):
    """(dX (T, B, H), dh0 (B, H), dparams) from dHs = dL/dh_t; h0_given=False if the forward reset at t = 1."""

    def step_backward(t, dh, dh_next):
        return rglru_step_backward(dh + dh_next, trace.at(t), p, reset=(t == 0 and not h0_given))

    return _backward_loop(step_backward, dHs, trace.h.shape, p)


class S6Params(NamedTuple):
    """W_delta (H, H), b_delta (H,), w_B, w_C (H, 1), A_log (H,), D (H,): Mamba's S6 with N = 1."""

    W_delta: np.ndarray
    b_delta: np.ndarray
    w_B: np.ndarray
    w_C: np.ndarray
    A_log: np.ndarray
    D: np.ndarray

    input_size = property(lambda self: self.W_delta.shape[0], doc="H, the number of channels of x.")
    dtype = property(lambda self: self.W_delta.dtype, doc="The arrays' dtype.")


class S6Step(NamedTuple):
    """One step's values: x, h_prev, delta, a, h, y (B, H); B, C (B, 1)."""

    x: np.ndarray
    h_prev: np.ndarray
    delta: np.ndarray
    B: np.ndarray
    C: np.ndarray
    a: np.ndarray
    h: np.ndarray
    y: np.ndarray

    def at(self, t: int) -> "S6Step":
        """The record of one step of a stacked trace."""
        return S6Step(*(v[t] for v in self))


def s6_step(x, h_prev, p: S6Params) -> S6Step:
    """One step of S6 with N = 1: x, h_prev (B, H) -> S6Step (its y is the output)."""
    z = x @ p.W_delta + p.b_delta
    delta = softplus(z)
    B = x @ p.w_B  # (B, 1)
    C = x @ p.w_C  # (B, 1)
    A = -np.exp(p.A_log)
    a = np.exp(delta * A)
    h = a * h_prev + delta * B * x
    y = C * h + p.D * x
    return S6Step(x, h_prev, delta, B, C, a, h, y)


def s6_step_backward(dy, dh, s: S6Step, p: S6Params):
    """Backward of one step: dy = dL/dy (outside), dh = dL/dh from the next step -> (dx, dh_prev, dparams).

    dh_total = dh + C dy      dC = sum_H(dy h)      da = dh_total h_prev      ddelta = da a A + dh_total B x
    """
    A = -np.exp(p.A_log)
    dh_total = dh + s.C * dy
    dC = np.sum(dy * s.h, axis=-1, keepdims=True)  # (B, 1)
    da = dh_total * s.h_prev
    ddelta = da * s.a * A + dh_total * s.B * s.x
    dB = np.sum(dh_total * s.delta * s.x, axis=-1, keepdims=True)
    dA_log = np.sum(da * s.a * s.delta * A, axis=0)  # dA/dA_log = A
    dz = ddelta * sigmoid(s.x @ p.W_delta + p.b_delta)
    dx = dy * p.D + dh_total * s.delta * s.B + dz @ p.W_delta.T + dB @ p.w_B.T + dC @ p.w_C.T
    grads = S6Params(s.x.T @ dz, dz.sum(axis=0), s.x.T @ dB, s.x.T @ dC, dA_log, np.sum(dy * s.x, axis=0))
    return dx, dh_total * s.a, grads


def s6_forward(X, p: S6Params, h0=None):
    """X (T, B, H), h0 (B, H) or None -> (Ys (T, B, H), trace)."""
    trace = _forward_loop(lambda t, x, h: s6_step(x, h, p), X, p, h0, S6Step)
    return trace.y, trace


def s6_backward(dYs, trace: S6Step, p: S6Params):
    """(dX (T, B, H), dh0 (B, H), dparams) from dYs = dL/dy_t."""
    return _backward_loop(lambda t, dy, dh_next: s6_step_backward(dy, dh_next, trace.at(t), p), dYs, trace.y.shape, p)
