"""Three ways to compute the linear recurrence h_t = a_t h_{t-1} + b_t, and its backward (notebook 10).

    h_t = a_t * h_{t-1} + b_t          t = 1..T, h_0 given (zeros if None), elementwise

This is the recurrence of every gated linear model of notebook 10: minGRU and minLSTM
(a = the forget gate, b = the input gate times the candidate), the RG-LRU and Mamba's S6.

1. scan_loop: the loop, T sequential steps (the baseline).
2. scan_doubling: a parallel associative scan. A step (a, b) is the map h -> a h + b, and
   doing (a, b) first and (a', b') second is again such a map:

       (a, b) o (a', b') = (a a', a' b + b')                                    combine

   combine is associative, so every prefix h_t can be built by doubling: after round k each
   position holds the composition of the 2^k steps ending there. log2 T rounds of O(T)
   work each, O(T log T) work in all, every round one vectorised numpy expression.
3. scan_log: the log-space scan of Heinsen (2023) for positive a and b. Unrolled,

       h_t = A_t (h_0 + sum_{s<=t} b_s / A_s)       A_t = a_1 a_2 ... a_t       direct product

   and A_t underflows to 0 after a few hundred steps of a = 0.1 (scan_direct shows it).
   In logs the same formula is two cumulative sums,

       a*_t = sum_{s<=t} log a_s
       log h_t = a*_t + logcumsumexp_{s<=t}(log b_s - a*_s)    (with log h_0 as the first term)

   and np.logaddexp.accumulate computes logcumsumexp without leaving log space.
   For a positive candidate the paper uses g(x) = x + 1/2 for x >= 0, sigmoid(x) for x < 0.

The backward pass is a scan too, run in reverse. With dy_t = dL/dh_t from outside the scan,
dh_t the full gradient into h_t (through every later step) is

    dh_T = dy_T
    dh_t = dy_t + a_{t+1} dh_{t+1}                   a scan of (a_{t+1}, dy_t) from t = T down to 1
    da_t = dh_t h_{t-1}        db_t = dh_t          dh_0 = a_1 dh_1

so dh_t / dh_T = a_{t+1} ... a_T: the gradient along the state is the product of the a's.

Arrays are time-major: a, b and h have shape (T, ...) (e.g. (T, B, H)); h_0 has shape (...).
Python's index 0 is step t = 1.
"""

from __future__ import annotations

from typing import Callable, NamedTuple

import numpy as np

from ._checks import as_float_array, check_finite, check_shape


def _check_pair(a, b, h0, names=("a", "b", "h0")) -> tuple:
    """a and b as float arrays of one shape (T, ...), T >= 1; h0 zeros of shape (...) if None."""
    na, nb, nh = names
    a = as_float_array(na, a)
    b = as_float_array(nb, b, a.dtype)
    if a.ndim == 0 or a.shape[0] == 0:
        raise ValueError(f"{na} should have shape (T, ...) with T >= 1 time steps, but it has shape {a.shape}.")
    check_shape(
        nb,
        b,
        a.shape,
        f"the shape of {na}, (T, ...) = {a.shape}",
        f"Broadcast them first: np.broadcast_arrays({na}, {nb}).",
    )
    check_finite(na, a)
    check_finite(nb, b)
    if h0 is None:
        return a, b, None
    h0 = as_float_array(nh, h0, a.dtype)
    check_shape(nh, h0, a.shape[1:], f"one step of {na}, that is {na}.shape[1:] = {a.shape[1:]}")
    check_finite(nh, h0)
    return a, b, h0


def combine(left: tuple, right: tuple) -> tuple:
    """(a, b) o (a', b') = (a a', a' b + b'): first h -> a h + b, then h -> a' h + b'."""
    a, b = left
    a2, b2 = right
    return a * a2, a2 * b + b2


def scan_loop(a, b, h0=None) -> np.ndarray:
    """h_t = a_t h_{t-1} + b_t by a loop over t. a, b (T, ...), h0 (...) or None -> h (T, ...)."""
    a, b, h0 = _check_pair(a, b, h0)
    h = np.empty_like(b)
    h_prev = np.zeros_like(b[0]) if h0 is None else h0
    for t in range(a.shape[0]):
        h[t] = h_prev = a[t] * h_prev + b[t]
    return h


def scan_doubling(a, b, h0=None) -> np.ndarray:
    """The same h (T, ...) by a doubling (Hillis-Steele) associative scan: ceil(log2 T) rounds."""
    a, b, h0 = _check_pair(a, b, h0)
    A, B = a.copy(), b.copy()
    if h0 is not None:
        B[0] = a[0] * h0 + b[0]  # fold h_0 into the first step: then h_t = B_t
    k = 1
    while k < A.shape[0]:
        # position t takes the composition of steps t-2k+1..t-k (left) then t-k+1..t (right)
        A[k:], B[k:] = combine((A[:-k], B[:-k]), (A[k:], B[k:]))
        k *= 2
    return B


def scan_direct(a, b, h0=None) -> np.ndarray:
    """h_t = A_t (h_0 + sum_{s<=t} b_s / A_s), A_t = a_1 ... a_t: exact algebra, but A_t underflows.

    Kept to show why the log-space form exists: with a = 0.1 over 400 steps A_t = 1e-400 is 0
    in float64, b / A is inf, and h is NaN.
    """
    a, b, h0 = _check_pair(a, b, h0)
    A = np.cumprod(a, axis=0)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return A * ((0.0 if h0 is None else h0) + np.cumsum(b / A, axis=0))


def scan_log(log_a, log_b, log_h0=None) -> np.ndarray:
    """log h (T, ...) for positive a, b, h0 given in logs (Heinsen 2023); see the module docstring.

    log_a, log_b (T, ...); log_h0 (...) or None (h_0 = 0). Returns log h_t; h_t = np.exp(log_h).
    """
    log_a, log_b, log_h0 = _check_pair(log_a, log_b, log_h0, ("log_a", "log_b", "log_h0"))
    a_star = np.cumsum(log_a, axis=0)  # a*_t = log A_t
    acc = np.logaddexp.accumulate(log_b - a_star, axis=0)  # log sum_{s<=t} b_s / A_s
    if log_h0 is not None:
        acc = np.logaddexp(log_h0, acc)
    return a_star + acc


def g(x):
    """The positive candidate of Feng et al. (2024): x + 1/2 for x >= 0, sigmoid(x) for x < 0."""
    x = np.asarray(x, dtype=float)
    return np.where(x >= 0, x + 0.5, 1 / (1 + np.exp(-np.minimum(x, 0))))


def log_g(x):
    """log g(x), computed without taking the log of a small number: log(x + 1/2), or -softplus(-x)."""
    x = np.asarray(x, dtype=float)
    return np.where(x >= 0, np.log(np.maximum(x, 0) + 0.5), -np.logaddexp(0, -np.minimum(x, 0)))


class ScanGrads(NamedTuple):
    """Gradients of the loss through h_t = a_t h_{t-1} + b_t."""

    da: np.ndarray  # (T, ...)
    db: np.ndarray  # (T, ...), equal to dh: the full gradient into each h_t
    dh0: np.ndarray  # (...)


def scan_backward(dy, a, h, h0=None, scan: Callable[..., np.ndarray] = scan_loop) -> ScanGrads:
    """The backward of any of the scans, itself a scan run in reverse (module docstring).

    dy (T, ...) : dL/dh_t from outside the scan (for example from a loss on every h_t)
    a (T, ...) : the forward's a;  h (T, ...) : the forward's output;  h0 (...) or None
    scan : scan_loop or scan_doubling, to run the reverse scan with
    """
    dy, a, h0 = _check_pair(dy, a, h0, ("dy", "a", "h0"))
    h = as_float_array("h", h, a.dtype)
    check_shape("h", h, a.shape, f"the shape of a, (T, ...) = {a.shape}: pass the forward's output")
    a_next = np.concatenate([a[1:], np.zeros_like(a[:1])])  # a_{t+1}; the last multiplies nothing
    dh = scan(a_next[::-1], dy[::-1])[::-1]  # dh_t = dy_t + a_{t+1} dh_{t+1}
    h_prev = np.concatenate([(np.zeros_like(h[0]) if h0 is None else h0)[None], h[:-1]])
    return ScanGrads(da=dh * h_prev, db=dh, dh0=a[0] * dh[0])


def scan_log_backward(dy, log_a, log_b, log_h, log_h0=None) -> ScanGrads:
    """Gradients with respect to log_a, log_b and log_h0 of the log-space scan, given dy = dL/dh.

    The chain rule through a = exp(log a): dL/dlog a = a dL/da, and the same for b and h_0.
    Returns ScanGrads(da=dL/dlog_a, db=dL/dlog_b, dh0=dL/dlog_h0 (zeros if log_h0 is None)).
    """
    a, b = np.exp(log_a), np.exp(log_b)
    h0 = None if log_h0 is None else np.exp(log_h0)
    grads = scan_backward(dy, a, np.exp(log_h), h0)
    dh0 = np.zeros_like(a[0]) if h0 is None else grads.dh0 * h0
    return ScanGrads(da=grads.da * a, db=grads.db * b, dh0=dh0)
