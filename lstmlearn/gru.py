"""The gated recurrent unit (GRU) of Cho et al. (2014), in torch.nn.GRU's form (notebook 09).

    a_r = x @ W_xr + b_xr + h_prev @ W_hr + b_hr      (the input part and the recurrent part)
    r = sigmoid(a_r)                                  reset gate
    z = sigmoid(a_z)                                  update gate (a_z built like a_r)
    n = tanh(x @ W_xn + b_xn + r * hn)                candidate state, hn = h_prev @ W_hn + b_hn
    h = (1 - z) * n + z * h_prev                      new state

A GRU has no separate cell state: h plays both roles, and z couples forgetting and
writing (keep z of the old state, write 1 - z of the candidate). The reset gate
multiplies the recurrent part of n *after* its bias b_hn (PyTorch's "reset after" form;
Cho et al. apply r to h_prev before the product), which is why, unlike for the LSTM, the
two PyTorch bias vectors cannot be folded into one: GRUParams keeps both.

Fused storage, gate order r | z | n (PyTorch's):
    W_x (D, 3H)   W_h (H, 3H)   b_x (3H,)   b_h (3H,)
PyTorch: weight_ih_l0 = W_x.T, weight_hh_l0 = W_h.T, bias_ih_l0 = b_x, bias_hh_l0 = b_h.

gru_forward and gru_backward are loops over gru_step and gru_step_backward. The models of
notebook 09 train with lstmlearn.engine.gru, which computes the same numbers faster.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._checks import as_float_array, check_array_fields, check_backward_inputs, check_finite, check_sequence, check_shape, state_or_zeros
from .activations import sigmoid
from .bptt import truncated_backward
from .params import uniform_init
from .pytorch_layout import read_state_dict, write_state_dict


class GRUParams(NamedTuple):
    """GRU weights in gate order r, z, n; see the module docstring."""

    W_x: np.ndarray  # (D, 3H)
    W_h: np.ndarray  # (H, 3H)
    b_x: np.ndarray  # (3H,)
    b_h: np.ndarray  # (3H,)

    input_size = property(lambda self: self.W_x.shape[0], doc="D, the size of one input vector x.")
    hidden_size = property(lambda self: self.W_h.shape[0], doc="H, the size of the hidden state h.")
    dtype = property(lambda self: self.W_x.dtype, doc="The arrays' dtype (float64 or float32).")

    @classmethod
    def from_pytorch(cls, state_dict, layer: int = 0, dtype=None, direction=None) -> "GRUParams":
        """Read a torch.nn.GRU (or GRUCell) state_dict without importing torch; arguments as
        for LSTMParams.from_pytorch. Both biases are kept."""
        a = read_state_dict(state_dict, 3, layer, dtype, direction)
        return cls(a.W_ih.T.copy(), a.W_hh.T.copy(), a.b_ih, a.b_hh)

    def to_pytorch(self, tensors: bool = False) -> dict:
        """Weights in torch.nn.GRU's layout (one layer); torch tensors if tensors=True."""
        return write_state_dict(self.W_x, self.W_h, self.b_x, self.b_h, tensors)


class GRUStep(NamedTuple):
    """Every value of one GRU step (stacked over time by gru_forward)."""

    x: np.ndarray
    h_prev: np.ndarray
    r: np.ndarray
    z: np.ndarray
    n: np.ndarray
    hn: np.ndarray  # h_prev @ W_hn + b_hn, the part the reset gate scales
    h: np.ndarray

    def at(self, t: int) -> "GRUStep":
        """The record of one step of a stacked trace: trace.at(t - 1) is step t."""
        return GRUStep(*(a[t] for a in self))


class GRUStepGrads(NamedTuple):
    """What gru_step_backward returns: dx (B, D), dh_prev (B, H) (what the step sends back to
    h_{t-1}) and dparams, the step's share of the weight gradients (a GRUParams)."""

    dx: np.ndarray
    dh_prev: np.ndarray
    dparams: GRUParams


class GRUGrads(NamedTuple):
    """Gradients: dparams (a GRUParams of gradients), dX (T, B, D), dh0 (B, H), dh (T, B, H)."""

    dparams: GRUParams
    dX: np.ndarray
    dh0: np.ndarray
    dh: np.ndarray


def init_gru(input_size: int, hidden_size: int, rng: np.random.Generator, update_bias: float = 0.0,
             dtype=np.float64) -> GRUParams:
    """GRU weights uniform(-1/sqrt(H), 1/sqrt(H)) as torch.nn.GRU draws them (both biases too).

    update_bias is added to the update gate's input bias b_xz. The update gate z keeps the
    fraction z of the old state, like the LSTM's forget gate, so a positive update_bias
    plays the role of the LSTM's forget bias (0, PyTorch's default, starts z near 0.5).
    """
    W_x, W_h, _ = uniform_init(input_size, hidden_size, 3, rng, dtype)
    k = 1.0 / np.sqrt(hidden_size)
    b_x, b_h = (rng.uniform(-k, k, size=3 * hidden_size).astype(dtype) for _ in range(2))
    b_x[hidden_size:2 * hidden_size] += update_bias
    return GRUParams(W_x, W_h, b_x, b_h)


def gru_step(x, h_prev, p: GRUParams) -> GRUStep:
    """One GRU step; x (B, D), h_prev (B, H). Equations in the module docstring."""
    check_gru_params(p)
    x = as_float_array("x", x, p.dtype)
    h_prev = as_float_array("h_prev", h_prev, p.dtype)
    check_shape("x", x, x.shape[:-1] + (p.input_size,), f"with D = p.input_size = {p.input_size}")
    check_shape("h_prev", h_prev, x.shape[:-1] + (p.hidden_size,), "that is (B, H) with B from x")
    check_finite("x", x)
    check_finite("h_prev", h_prev)
    xr, xz, xn = np.split(x @ p.W_x + p.b_x, 3, axis=-1)  # the input parts, (B, H) each
    hr, hz, hn = np.split(h_prev @ p.W_h + p.b_h, 3, axis=-1)  # the recurrent parts
    r = sigmoid(xr + hr)
    z = sigmoid(xz + hz)
    n = np.tanh(xn + r * hn)
    h = (1 - z) * n + z * h_prev
    return GRUStep(x, h_prev, r, z, n, hn, h)


def gru_forward(X, p: GRUParams, h0=None):
    """Run the GRU over X (T, B, D) from h0 (B, H) (zeros if None): gru_step for t = 1 .. T.

    Steps t = 1 .. T as for the LSTM: h_t = Hs[t - 1]. Returns Hs (T, B, H) and the trace,
    a GRUStep stacked over time.
    """
    check_gru_params(p)
    X = check_sequence("X", X, p)
    h = state_or_zeros("h0", h0, (X.shape[1], p.hidden_size), p.dtype)
    steps = []
    for x in X:
        s = gru_step(x, h, p)
        steps.append(s)
        h = s.h
    trace = GRUStep(*(np.stack(values) for values in zip(*steps)))
    return trace.h, trace


def gru_step_backward(dh, s: GRUStep, p: GRUParams) -> GRUStepGrads:
    """Backward through one GRU step, its lines in reverse:

        h = (1 - z) * n + z * h_prev:   dn = dh (1 - z)     dz = dh (h_prev - n)
        n = tanh(a_n):                  da_n = dn (1 - n^2)       a_n = x @ W_xn + b_xn + r * hn
        a_n = ... + r * hn:             dr = da_n * hn      dhn = da_n * r
        r, z = sigmoid(a_r), sigmoid(a_z):   da_r = dr r (1 - r)    da_z = dz z (1 - z)
        input side  [a_r | a_z | a_n] = x @ W_x + b_x:        dW_x, db_x, dx
        recurrent side [a_r | a_z | hn] = h_prev @ W_h + b_h:  dW_h, db_h
        dh_prev = dh z + [da_r | da_z | dhn] @ W_h.T           (the direct path, then the products)

    dh : (B, H) dL/dh_t (the loss at step t plus what step t + 1 sent back); s : the step's GRUStep.
    """
    check_gru_params(p)
    dh = as_float_array("dh", dh, p.dtype)
    check_shape("dh", dh, s.h.shape, "the shape of the step's h")
    if s.x.ndim == 1:  # one example: run it as a batch of one, then drop the batch axis again
        g = gru_step_backward(dh[None], GRUStep(*(a[None] for a in s)), p)
        return GRUStepGrads(g.dx[0], g.dh_prev[0], g.dparams)
    dn = dh * (1 - s.z)
    dz = dh * (s.h_prev - s.n)
    da_n = dn * (1 - s.n**2)
    dr = da_n * s.hn
    dhn = da_n * s.r
    da_r = dr * s.r * (1 - s.r)
    da_z = dz * s.z * (1 - s.z)
    dax = np.concatenate([da_r, da_z, da_n], axis=-1)  # (B, 3H), the input side r | z | n
    dah = np.concatenate([da_r, da_z, dhn], axis=-1)  # (B, 3H), the recurrent side
    dW_x = s.x.T @ dax
    db_x = dax.sum(axis=0)
    dW_h = s.h_prev.T @ dah
    db_h = dah.sum(axis=0)
    dx = dax @ p.W_x.T
    dh_prev = dh * s.z + dah @ p.W_h.T
    return GRUStepGrads(dx, dh_prev, GRUParams(dW_x, dW_h, db_x, db_h))


def gru_backward(dHs, trace: GRUStep, p: GRUParams, dh_T=None, truncate=None) -> GRUGrads:
    """Backpropagation through time for gru_forward: gru_step_backward for t = T .. 1.

    dHs : (T, B, H) dL/dh_t; dh_T : (B, H) gradient into the final state, or None;
    truncate : k or None, as in lstm_backward. Returns GRUGrads(dparams, dX, dh0, dh).
    """
    check_gru_params(p)
    T = len(trace.h)
    dHs, dh_next = check_backward_inputs(dHs, trace.h.shape, p.dtype, truncate, dh_T=dh_T)
    if truncate is not None and truncate < T:
        return truncated_backward(gru_backward, dHs, trace, truncate, (p,), dict(dh_T=dh_next))
    dh, steps = [None] * T, [None] * T
    for t in reversed(range(T)):
        dh[t] = dHs[t] + dh_next  # the loss at this step, and what the next step sent back
        steps[t] = gru_step_backward(dh[t], trace.at(t), p)
        dh_next = steps[t].dh_prev
    return GRUGrads(
        dparams=GRUParams(*(sum(d) for d in zip(*(s.dparams for s in steps)))),  # the same weights at every step
        dX=np.stack([s.dx for s in steps]),
        dh0=dh_next,
        dh=np.stack(dh),
    )


def check_gru_params(p) -> None:
    """Check that p is a GRUParams of finite float arrays with matching shapes (W_h fixes H)."""
    if not isinstance(p, GRUParams):
        raise TypeError(f"p must be an lstmlearn.GRUParams, but it is a {type(p).__name__}. "
                        f"Make one with lstmlearn.init_gru(...).")
    check_array_fields(p)
    H = p.W_h.shape[0] if np.ndim(p.W_h) == 2 else -1
    for name, a, shape, meaning in (("W_h", p.W_h, (H, 3 * H), "(H, 3H)"), ("W_x", p.W_x, (None, 3 * H), "(D, 3H)"),
                                    ("b_x", p.b_x, (3 * H,), "(3H,)"), ("b_h", p.b_h, (3 * H,), "(3H,)")):
        a = as_float_array(f"p.{name}", a)
        check_shape(f"p.{name}", a, shape, f"that is {meaning} with H = {H} from p.W_h")
        check_finite(f"p.{name}", a)
    if len({a.dtype for a in p}) > 1:
        raise TypeError("p's arrays have different dtypes; convert them all to one, e.g. np.float64.")
