"""The two squashing functions of an LSTM and their derivatives (notebook 03).

    sigmoid(z) = 1 / (1 + exp(-z))        values in (0, 1): a soft valve, keeps a fraction
    tanh(z)                                values in (-1, 1): a signed candidate value

A sigmoid gate is not a 0/1 switch. It is continuous and reaches exactly 0.0 or 1.0 only
when floating-point rounding makes it so (|z| beyond about 17 in float32 or 37 in float64).

The derivatives are written in terms of the function's *output*, which is what the
backward pass has stored:

    sigmoid'(z) = s (1 - s)      with s = sigmoid(z)
    tanh'(z)    = 1 - t^2        with t = tanh(z)
"""

from __future__ import annotations

import numpy as np


def sigmoid(z, out=None):
    """Logistic sigmoid 1 / (1 + exp(-z)), elementwise, without overflow warnings.

    For very negative z, exp(-z) overflows to inf and 1 / (1 + inf) is exactly 0.0,
    which is the correct limit; the warning numpy would print is silenced. For very
    positive z, exp(-z) underflows to 0 and the result is exactly 1.0. Relative
    precision is kept in both tails (sigmoid(-30) is 9.36e-14, not 0).

    Parameters
    ----------
    z : array_like of float
    out : ndarray, optional
        Where to write the result (may be `z` itself).
    """
    z = np.asarray(z)
    if out is None:
        out = np.empty_like(z, dtype=np.result_type(z, np.float32))
    with np.errstate(over="ignore", under="ignore"):
        np.negative(z, out=out)
        np.exp(out, out=out)
    out += 1.0
    np.reciprocal(out, out=out)
    return out


def tanh(z, out=None):
    """Hyperbolic tangent, elementwise (numpy's, named here so all activations live together)."""
    return np.tanh(z, out=out)


def relu(z, out=None):
    """Rectified linear unit max(z, 0), elementwise."""
    return np.maximum(z, 0.0, out=out)


def sigmoid_grad_from_output(s):
    """d sigmoid / dz written with the output s = sigmoid(z): s (1 - s)."""
    return s * (1.0 - s)


def tanh_grad_from_output(t):
    """d tanh / dz written with the output t = tanh(z): 1 - t^2."""
    return 1.0 - t * t


def relu_grad_from_output(r):
    """d relu / dz written with the output r = relu(z): 1 where r > 0, else 0."""
    return (r > 0).astype(r.dtype)


ACTIVATIONS = {
    "tanh": (tanh, tanh_grad_from_output),
    "relu": (relu, relu_grad_from_output),
    "sigmoid": (sigmoid, sigmoid_grad_from_output),
}
