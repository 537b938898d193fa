"""A loss surface with a cliff: the one-unit recurrent network of Pascanu, Mikolov and Bengio
(2013, section 3 and figure 6), and gradient descent on it with and without clipping (notebook 02).

The network has one unit, a weight w and a bias b, and no input:

    x_t = w * sigmoid(x_{t-1}) + b        t = 1 .. T, from x_0
    L   = (x_T - target)^2

For some (w, b) the map x -> w sigmoid(x) + b has two stable fixed points, and which one x_T
ends near depends on (w, b): where the answer changes, x_T jumps, and L has a wall. Its
gradient, carried forward with the state (forward-mode differentiation),

    dx_t/dw = sigmoid(x_{t-1}) + w sigmoid'(x_{t-1}) dx_{t-1}/dw,      dx_0/dw = 0
    dx_t/db = 1                + w sigmoid'(x_{t-1}) dx_{t-1}/db,      dx_0/db = 0
    dL/dw = 2 (x_T - target) dx_T/dw,      dL/db = 2 (x_T - target) dx_T/db,

is small on either side of the wall and huge on it (a product of T factors w sigmoid').
A gradient step taken on the wall is huge too and throws (w, b) far away; clipping the
gradient's norm to c keeps its direction and limits the step to lr * c.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._checks import check_positive_int
from .activations import sigmoid
from .optim import clip_grad_norm

T_STEPS, X0, TARGET = 10, 0.5, 0.7  # the defaults: Pascanu et al. use x_0 = 0.5, target 0.7 and T = 50


class CliffPoint(NamedTuple):
    """The loss and its gradient at (w, b); arrays of the broadcast shape of w and b."""

    loss: np.ndarray
    dw: np.ndarray  # dL/dw
    db: np.ndarray  # dL/db
    x_T: np.ndarray  # the last state


class Descent(NamedTuple):
    """A run of gradient descent on the cliff's loss, steps k = 0 .. K - 1.

    path : (K + 1, 2), (w, b) before each step and after the last
    loss : (K + 1,), the loss at each point of path
    grad_norm : (K,), the gradient's norm at each step, before clipping
    step_norm : (K,), the length of each step taken, |path[k + 1] - path[k]|
    """

    path: np.ndarray
    loss: np.ndarray
    grad_norm: np.ndarray
    step_norm: np.ndarray


def cliff_loss(w, b, T: int = T_STEPS, x0: float = X0, target: float = TARGET) -> CliffPoint:
    """L = (x_T - target)^2 of the one-unit network x_t = w sigmoid(x_{t-1}) + b, and its
    gradient (dL/dw, dL/db), at every (w, b): numbers or arrays that broadcast together
    (np.meshgrid's grids give the whole surface at once)."""
    check_positive_int("T", T)
    w, b = np.broadcast_arrays(np.asarray(w, dtype=np.float64), np.asarray(b, dtype=np.float64))
    x = np.full(w.shape, float(x0))
    dx_dw, dx_db = np.zeros(w.shape), np.zeros(w.shape)
    for _ in range(T):
        s = sigmoid(x)
        slope = w * s * (1 - s)  # d x_t / d x_{t-1}
        dx_dw, dx_db = s + slope * dx_dw, 1 + slope * dx_db
        x = w * s + b
    error = x - target
    return CliffPoint(error**2, 2 * error * dx_dw, 2 * error * dx_db, x)


def descend(w0: float, b0: float, lr: float, steps: int, max_norm: float | None = None, **surface) -> Descent:
    """Gradient descent (w, b) <- (w, b) - lr * g on cliff_loss from (w0, b0), `steps` steps;
    with max_norm, g is first clipped to that norm (lstmlearn.clip_grad_norm): same direction,
    length at most max_norm, so no step is longer than lr * max_norm.

    surface : T, x0, target of cliff_loss
    """
    check_positive_int("steps", steps)
    if not lr > 0:
        raise ValueError(f"lr must be a positive number, but it is {lr!r}.")
    point = np.array([w0, b0], dtype=np.float64)
    path, losses, grad_norms = [point], [], []
    for _ in range(steps):
        here = cliff_loss(*point, **surface)
        grads = {"w": here.dw, "b": here.db}
        if max_norm is not None:
            grads, norm = clip_grad_norm(grads, max_norm)
        else:
            norm = float(np.hypot(here.dw, here.db))
        losses.append(float(here.loss))
        grad_norms.append(float(norm))
        point = point - lr * np.array([grads["w"], grads["b"]], dtype=np.float64)
        path.append(point)
    losses.append(float(cliff_loss(*point, **surface).loss))
    path = np.array(path)
    return Descent(path, np.array(losses), np.array(grad_norms), np.linalg.norm(np.diff(path, axis=0), axis=1))
