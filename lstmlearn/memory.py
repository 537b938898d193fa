"""How long a cell remembers: the cell state under constant gates (notebook 04).

With the same forget value f, input gate i and candidate g at every step, one memory
cell follows

    c_t = f * c_{t-1} + i * g                       t = 1 .. T, starting from c_0

Without new input (i = 0) this is c_t = f^t * c_0: the cell keeps the fraction f of its
content at each step, so it has lost half after

    half-life = ln(1/2) / ln(f)   steps            (f in (0, 1))

Along the cell path the gradient obeys dc_t/dc_{t-1} = f (the Jacobian diag(f) for a
vector of cells), so

    dc_T/dc_t = f_{t+1} * f_{t+2} * ... * f_T      (= f^(T-t) for a constant f)

which stays near 1 when f is near 1 (the constant error carousel) and dies out
geometrically otherwise. These functions are what the cell-state explorer shows.
"""

from __future__ import annotations

import numpy as np

from ._checks import as_float_array, check_positive_int


def half_life(f):
    """Memory half-life in steps of a cell with constant forget value f: ln(1/2) / ln(f).

    f : float or array of forget values in [0, 1]. Returns an array of the same shape
    (a float for a scalar): 0 where f = 0 (everything forgotten at once), inf where
    f = 1 (nothing is ever forgotten; a sigmoid gate reaches 1.0 only by rounding).
    """
    f = np.asarray(f, dtype=float)
    if not np.all(np.isfinite(f)) or np.any((f < 0) | (f > 1)):
        raise ValueError(f"f must be forget values in [0, 1] (a sigmoid's output), but it is {f!r}.")
    inside = (f > 0) & (f < 1)
    safe = np.where(inside, f, 0.5)  # a placeholder where the formula does not apply
    out = np.where(inside, np.log(0.5) / np.log(safe), np.where(f >= 1, np.inf, 0.0))
    return out[()] if out.ndim == 0 else out


def cell_trajectory(f, i, g, T: int, c0=0.0) -> np.ndarray:
    """The cell state c_0 .. c_T under constant f, i, g: c_t = f * c_{t-1} + i * g.

    f, i : floats (or arrays of one shape) in [0, 1]; g : in [-1, 1]; c0 : the start.
    Returns an array (T + 1, *shape) whose row t is c_t; row 0 is c0.
    The values stay between c0 and the fixed point i * g / (1 - f), so nothing overflows.
    """
    check_positive_int("T", T)
    f, i, g, c0 = (np.asarray(v, dtype=float) for v in (f, i, g, c0))
    shape = np.broadcast_shapes(f.shape, i.shape, g.shape, c0.shape)
    c = np.empty((T + 1,) + shape)
    c[0] = c0
    with np.errstate(under="ignore"):  # f^t c_0 may fall below the smallest float: 0 is the right value
        for t in range(1, T + 1):
            c[t] = f * c[t - 1] + i * g  # the LSTM's cell update
    return c


def cell_path_gradient(f) -> np.ndarray:
    """dc_T/dc_t along the cell path, for t = 0 .. T, from the forget values f_1 .. f_T.

    f : (T, ...) forget values of steps 1 .. T (e.g. np.full(T, 0.9), or trace.f of a
        forward pass, whose row s is the forget gate applied at step s).
    Returns (T + 1, ...): row t is the product f_{t+1} * ... * f_T (row T is 1, an empty
    product). This is the whole gradient dc_T/dc_t when nothing else in the step depends
    on c_{t-1}, and the part carried by the additive cell path in a full LSTM.
    Tiny products underflow to 0.0 without a warning.
    """
    f = as_float_array("f", f)
    if f.ndim == 0:
        raise ValueError("f should be a sequence of forget values (T, ...), e.g. np.full(T, 0.9).")
    ones = np.ones((1,) + f.shape[1:])
    with np.errstate(under="ignore"):
        # reverse cumulative product: out[t] = prod_{s > t} f_s
        tail = np.cumprod(f[::-1], axis=0)[::-1]  # tail[t] = f_{t+1} * ... * f_T (1-based f)
    return np.concatenate([tail, ones], axis=0)
