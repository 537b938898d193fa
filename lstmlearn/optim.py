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

Adam refuses half-precision (float16) parameters with an eps they cannot hold: 1e-8 is 0
in float16. SGD works in any floating-point dtype.

Gradient clipping by global norm (Pascanu, Mikolov & Bengio 2013):

    ||g|| = sqrt(sum over every array and entry of g^2)
    if ||g|| > c:  g <- c g / ||g||
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._checks import as_float_array, check_finite, check_shape


def global_norm(grads: dict) -> float:
    """sqrt of the sum of squares of every entry of every array in `grads`.

    Gradients whose squares overflow (entries near 1e200) are rescaled by their largest
    entry first, so a finite gradient always has a finite norm. NaN or inf entries give
    a NaN or inf norm.
    """
    grads = _float_dict("grads", grads)
    with np.errstate(over="ignore"):  # handled below
        total = sum(float(np.sum(np.square(g))) for g in grads.values())
    if np.isfinite(total):
        return float(np.sqrt(total))
    biggest = max(float(np.max(np.abs(g), initial=0.0)) for g in grads.values())
    if not np.isfinite(biggest):
        return float("nan") if any(np.isnan(g).any() for g in grads.values()) else float("inf")
    return biggest * float(np.sqrt(sum(float(np.sum(np.square(g / biggest))) for g in grads.values())))


def clip_grad_norm(grads: dict, max_norm: float):
    """Scale all gradients together so that their global norm is at most `max_norm`.

    Returns (clipped_grads, norm_before). The direction of the gradient is kept; only
    its length changes, and only when it exceeds max_norm. A NaN or inf norm is
    returned unchanged with the gradients, for the caller to report.
    """
    if not (_is_number(max_norm) and max_norm > 0):
        raise ValueError(f"max_norm must be a positive number, but it is {max_norm!r}.")
    grads = _float_dict("grads", grads)
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

    def __post_init__(self):
        _check_lr(self.lr)
        _check_fraction("momentum", self.momentum, "the fraction of the velocity kept each step")

    def init(self, params: dict) -> dict:
        """State: a velocity 'v/<name>' of zeros for every parameter."""
        params = _float_dict("params", params)
        return {f"v/{k}": np.zeros_like(w) for k, w in params.items()}

    def step(self, params: dict, grads: dict, state: dict):
        """One update; returns (new_params, new_state). The inputs are not modified."""
        params, grads, state = _check_inputs(self, params, grads, state, ("v/",))
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

    def __post_init__(self):
        _check_lr(self.lr)
        _check_fraction("beta1", self.beta1, "the decay of the first moment; 1 would divide by 1 - beta1^t = 0")
        _check_fraction("beta2", self.beta2, "the decay of the second moment; 1 would divide by 1 - beta2^t = 0")
        if not (_is_number(self.eps) and np.isfinite(self.eps) and self.eps > 0):
            raise ValueError(
                f"eps must be a small positive number such as 1e-8 (it keeps the step finite "
                f"where the second moment is 0), but it is {self.eps!r}."
            )

    def init(self, params: dict) -> dict:
        """State: step count 't' (a 0-d int array) and moments 'm/<name>', 's/<name>'."""
        params = _float_dict("params", params)
        self._check_precision(params)
        state = {"t": np.array(0, dtype=np.int64)}
        for k, w in params.items():
            state[f"m/{k}"] = np.zeros_like(w)
            state[f"s/{k}"] = np.zeros_like(w)
        return state

    def step(self, params: dict, grads: dict, state: dict):
        """One update; returns (new_params, new_state). The inputs are not modified."""
        params, grads, state = _check_inputs(self, params, grads, state, ("m/", "s/"))
        self._check_precision(params)
        t = int(state["t"]) + 1
        new_state = {"t": np.array(t, dtype=np.int64)}
        new_params = {}
        for k, w in params.items():
            g = grads[k]
            m = self.beta1 * state[f"m/{k}"] + (1 - self.beta1) * g
            s = self.beta2 * state[f"s/{k}"] + (1 - self.beta2) * g * g
            m_hat = m / (1 - self.beta1**t)
            s_hat = s / (1 - self.beta2**t)
            new_params[k] = w - self.lr * m_hat / (np.sqrt(s_hat) + self.eps)
            new_state[f"m/{k}"], new_state[f"s/{k}"] = m, s
        return new_params, new_state

    def _check_precision(self, params: dict) -> None:
        """Refuse parameters whose dtype cannot hold eps (float16 and the default 1e-8): there
        eps is 0, and where the second moment s underflows to 0 too, the step divides by 0."""
        for k, w in params.items():
            tiny = np.finfo(w.dtype).tiny  # the smallest normal number of this dtype
            if self.eps < tiny:
                raise TypeError(
                    f"params[{k!r}] is {w.dtype}, where Adam cannot work with eps = {self.eps:g}: the smallest "
                    f"normal {w.dtype} is {tiny:.2g}, so eps rounds to {float(w.dtype.type(self.eps)):g} and, where "
                    f"the squared gradients underflow to 0 as well, the step divides by zero (the run diverges "
                    f"at step 1 whatever the learning rate). Use float32 parameters "
                    f"(ll.init_model(model, rng, dtype=np.float32)), or SGD, which works in {w.dtype}."
                )


def _is_number(x) -> bool:
    return not isinstance(x, bool) and isinstance(x, (int, float, np.integer, np.floating))


def _check_lr(lr):
    if not (_is_number(lr) and np.isfinite(lr) and lr > 0):
        raise ValueError(f"lr (the learning rate) must be a positive number, but it is {lr!r}.")


def _check_fraction(name, value, meaning):
    if not (_is_number(value) and 0 <= value < 1):
        raise ValueError(f"{name} must be a number in [0, 1) ({meaning}), but it is {value!r}.")


_STATE_OWNER = {"v/": "SGD", "m/": "Adam", "s/": "Adam", "t": "Adam"}


def _few(keys, n=6):
    keys = sorted(keys)
    return str(keys[:n])[:-1] + (", ...]" if len(keys) > n else "]")


def _float_dict(name, d) -> dict:
    """`d` as a dict of float arrays, or a TypeError naming `name` (or the entry) if it is not one."""
    if not isinstance(d, dict):
        raise TypeError(f"{name} must be a dict name -> array (like params), but it is a {type(d).__name__}.")
    return {k: as_float_array(f"{name}[{k!r}]", v) for k, v in d.items()}


def _check_inputs(opt, params, grads, state, prefixes):
    """Names, shapes and finiteness of params and grads; the state must be this optimiser's,
    made by opt.init for these params. Returns (params, grads, state) as float arrays."""
    name = type(opt).__name__
    params, grads = _float_dict("params", params), _float_dict("grads", grads)
    if set(params) != set(grads):
        raise KeyError(
            f"grads must have the same names as params; params has {sorted(params)}, grads has {sorted(grads)}."
        )
    if not isinstance(state, dict):
        raise TypeError(f"state must be the dict that {name}.init(params) returns, but it is a {type(state).__name__}.")
    expected = {p + k for p in prefixes for k in params} | ({"t"} if name == "Adam" else set())
    if set(state) != expected:
        owners = {owner for key in state for prefix, owner in _STATE_OWNER.items() if key.startswith(prefix)}
        other = sorted(owners - {name})
        whose = f" (the state of an {other[0]})" if other else ""
        raise ValueError(
            f"state does not fit this {name}: it has keys {_few(state)}{whose}, but {name}.step "
            f"needs {_few(expected)} for these params. Make the state with {name}(...).init(params) "
            f"for the optimiser you step with (an opt_state only fits the optimiser that made it)."
        )
    state = {key: np.asarray(v) if key == "t" else as_float_array(f"state[{key!r}]", v) for key, v in state.items()}
    if "t" in state and (state["t"].shape != () or state["t"].dtype.kind not in "iu" or state["t"] < 0):
        raise ValueError(f"state['t'] must be Adam's step count, a whole number >= 0, but it is {state['t']!r}.")
    for k, w in params.items():
        check_finite(f"params[{k!r}]", w)
        check_shape(f"grads[{k!r}]", grads[k], w.shape, f"the shape of params[{k!r}]")
        check_finite(f"grads[{k!r}]", grads[k])
        for p in prefixes:
            check_shape(
                f"state[{p + k!r}]", state[p + k], w.shape, f"the shape of params[{k!r}] (state from opt.init(params))"
            )
            check_finite(f"state[{p + k!r}]", state[p + k])
    return params, grads, state
