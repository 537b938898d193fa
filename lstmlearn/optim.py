"""Optimisers and gradient clipping over named parameter arrays (notebooks 07 and 08).

Parameters and gradients are dicts name -> array with the same names. An optimiser is a
frozen dataclass of hyperparameters; its state is a plain dict of arrays, so it can be
saved with np.savez and restored exactly. Nothing is updated in place:

    state = opt.init(params)
    params, state = opt.step(params, grads, state)

SGD with momentum (velocity v, learning rate lr, momentum mu):

    v <- mu v + g
    w <- w - lr v

Adam (Kingma & Ba 2015), step count t = 1, 2, ...:

    m <- beta1 m + (1 - beta1) g            first moment
    s <- beta2 s + (1 - beta2) g^2          second moment
    m_hat = m / (1 - beta1^t)     s_hat = s / (1 - beta2^t)     (bias corrections)
    w <- w - lr m_hat / (sqrt(s_hat) + eps)

Gradient clipping by global norm (Pascanu, Mikolov & Bengio 2013):

    ||g|| = sqrt(sum over every array and entry of g^2)
    if ||g|| > c:  g <- c g / ||g||
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def global_norm(grads: dict) -> float:
    """sqrt of the sum of squares of every entry of every array in `grads`."""
    return float(np.sqrt(sum(float(np.sum(np.square(g))) for g in grads.values())))


def clip_grad_norm(grads: dict, max_norm: float):
    """Scale all gradients together so that their global norm is at most `max_norm`.

    Returns (clipped_grads, norm_before). The direction of the gradient is kept; only
    its length changes, and only when it exceeds max_norm. A NaN or inf norm is
    returned unchanged with the gradients, for the caller to report.
    """
    if not (isinstance(max_norm, (int, float, np.floating)) and max_norm > 0):
        raise ValueError(f"max_norm must be a positive number, but it is {max_norm!r}.")
    norm = global_norm(grads)
    if not np.isfinite(norm) or norm <= max_norm:
        return dict(grads), norm
    scale = max_norm / norm
    return {k: g * scale for k, g in grads.items()}, norm


@dataclass(frozen=True)
class SGD:
    """Stochastic gradient descent with (heavy-ball) momentum; momentum=0 is plain SGD."""

    lr: float = 0.1
    momentum: float = 0.9

    def init(self, params: dict) -> dict:
        """State: a velocity 'v/<name>' of zeros for every parameter."""
        _check_lr(self.lr)
        return {f"v/{k}": np.zeros_like(w) for k, w in params.items()}

    def step(self, params: dict, grads: dict, state: dict):
        """One update; returns (new_params, new_state). The inputs are not modified."""
        _check_names(params, grads)
        new_params, new_state = {}, {}
        for k, w in params.items():
            v = self.momentum * state[f"v/{k}"] + grads[k]
            new_state[f"v/{k}"] = v
            new_params[k] = w - self.lr * v
        return new_params, new_state


@dataclass(frozen=True)
class Adam:
    """Adam with bias-corrected moments (equations in the module docstring)."""

    lr: float = 3e-3
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8

    def init(self, params: dict) -> dict:
        """State: step count 't' (a 0-d int array) and moments 'm/<name>', 's/<name>'."""
        _check_lr(self.lr)
        state = {"t": np.array(0, dtype=np.int64)}
        for k, w in params.items():
            state[f"m/{k}"] = np.zeros_like(w)
            state[f"s/{k}"] = np.zeros_like(w)
        return state

    def step(self, params: dict, grads: dict, state: dict):
        """One update; returns (new_params, new_state). The inputs are not modified."""
        _check_names(params, grads)
        t = int(state["t"]) + 1
        new_state = {"t": np.array(t, dtype=np.int64)}
        new_params = {}
        for k, w in params.items():
            g = grads[k]
            m = self.beta1 * state[f"m/{k}"] + (1 - self.beta1) * g
            s = self.beta2 * state[f"s/{k}"] + (1 - self.beta2) * g * g
            m_hat = m / (1 - self.beta1 ** t)
            s_hat = s / (1 - self.beta2 ** t)
            new_params[k] = w - self.lr * m_hat / (np.sqrt(s_hat) + self.eps)
            new_state[f"m/{k}"], new_state[f"s/{k}"] = m, s
        return new_params, new_state


def _check_lr(lr):
    if not (isinstance(lr, (int, float, np.floating)) and lr > 0 and np.isfinite(lr)):
        raise ValueError(f"lr (the learning rate) must be a positive number, but it is {lr!r}.")


def _check_names(params, grads):
    if set(params) != set(grads):
        raise KeyError(f"grads must have the same names as params; params has {sorted(params)}, "
                       f"grads has {sorted(grads)}.")
