"""The gated recurrent unit (GRU) of Cho et al. (2014), in torch.nn.GRU's form (notebook 09).

    r = sigmoid(x @ W_xr + b_xr + h_prev @ W_hr + b_hr)          reset gate
    z = sigmoid(x @ W_xz + b_xz + h_prev @ W_hz + b_hz)          update gate
    n = tanh(x @ W_xn + b_xn + r * (h_prev @ W_hn + b_hn))       candidate state
    h = (1 - z) * n + z * h_prev                                 new state

A GRU has no separate cell state: h plays both roles, and z couples forgetting and
writing (keep z of the old state, write 1 - z of the candidate). The reset gate
multiplies the recurrent part of n *after* its bias b_hn, which is why, unlike for the
LSTM, the two PyTorch bias vectors cannot be folded into one: GRUParams keeps both.

Fused storage, gate order r | z | n (PyTorch's):
    W_x (D, 3H)   W_h (H, 3H)   b_x (3H,)   b_h (3H,)
PyTorch: weight_ih_l0 = W_x.T, weight_hh_l0 = W_h.T, bias_ih_l0 = b_x, bias_hh_l0 = b_h.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._checks import as_float_array, check_finite, check_shape
from .activations import sigmoid
from .lstm import _initial_grad, check_sequence
from .params import _read_pytorch_arrays, _to_numpy, _uniform_init


class GRUParams(NamedTuple):
    """GRU weights in gate order r, z, n; see the module docstring."""

    W_x: np.ndarray  # (D, 3H)
    W_h: np.ndarray  # (H, 3H)
    b_x: np.ndarray  # (3H,)
    b_h: np.ndarray  # (3H,)

    input_size = property(lambda self: self.W_x.shape[0])
    hidden_size = property(lambda self: self.W_h.shape[0])
    dtype = property(lambda self: self.W_x.dtype)

    @classmethod
    def from_pytorch(cls, state_dict, layer: int = 0, dtype=None) -> "GRUParams":
        """Read a torch.nn.GRU (or GRUCell) state_dict without importing torch."""
        W_ih, W_hh, suffix = _read_pytorch_arrays(state_dict, layer, dtype, gates=3)
        H = W_hh.shape[1]
        b = [_to_numpy(k, state_dict[k], W_ih.dtype) if k in state_dict else np.zeros(3 * H, W_ih.dtype)
             for k in (f"bias_ih{suffix}", f"bias_hh{suffix}")]
        for k, v in zip(("bias_ih", "bias_hh"), b):
            check_shape(k + suffix, v, (3 * H,), "that is (3H,)")
        return cls(W_ih.T.copy(), W_hh.T.copy(), b[0], b[1])

    def to_pytorch(self, tensors: bool = False) -> dict:
        """Weights in torch.nn.GRU's layout (one layer); torch tensors if tensors=True."""
        sd = {"weight_ih_l0": np.ascontiguousarray(self.W_x.T), "weight_hh_l0": np.ascontiguousarray(self.W_h.T),
              "bias_ih_l0": np.array(self.b_x), "bias_hh_l0": np.array(self.b_h)}
        if tensors:
            import torch

            sd = {k: torch.from_numpy(v) for k, v in sd.items()}
        return sd


class GRUStep(NamedTuple):
    """Every value of one GRU step (stacked over time by gru_forward)."""

    x: np.ndarray
    h_prev: np.ndarray
    r: np.ndarray
    z: np.ndarray
    n: np.ndarray
    hn: np.ndarray  # h_prev @ W_hn + b_hn, the part the reset gate scales
    h: np.ndarray


class GRUGrads(NamedTuple):
    """Gradients: params (a GRUParams of gradients), X (T, B, D), h0 (B, H), h (T, B, H)."""

    params: GRUParams
    X: np.ndarray
    h0: np.ndarray
    h: np.ndarray


def init_gru(input_size: int, hidden_size: int, rng: np.random.Generator, update_bias: float = 0.0,
             dtype=np.float64) -> GRUParams:
    """GRU weights uniform(-1/sqrt(H), 1/sqrt(H)) as torch.nn.GRU draws them (both biases too).

    update_bias is added to the update gate's input bias b_xz. The update gate z keeps the
    fraction z of the old state, like the LSTM's forget gate, so a positive update_bias
    plays the role of the LSTM's forget bias (0, PyTorch's default, starts z near 0.5).
    """
    W_x, W_h, _ = _uniform_init(input_size, hidden_size, 3, rng, dtype)
    k = 1.0 / np.sqrt(hidden_size)
    b_x, b_h = (rng.uniform(-k, k, size=3 * hidden_size).astype(dtype) for _ in range(2))
    b_x[hidden_size:2 * hidden_size] += update_bias
    return GRUParams(W_x, W_h, b_x, b_h)


def gru_step(x, h_prev, p: GRUParams) -> GRUStep:
    """One GRU step; x (B, D), h_prev (B, H). Equations in the module docstring."""
    _check_params(p)
    x = as_float_array("x", x, p.dtype)
    h_prev = as_float_array("h_prev", h_prev, p.dtype)
    check_shape("x", x, x.shape[:-1] + (p.input_size,), f"with D = p.input_size = {p.input_size}")
    check_shape("h_prev", h_prev, x.shape[:-1] + (p.hidden_size,), "that is (B, H) with B from x")
    check_finite("x", x)
    check_finite("h_prev", h_prev)
    H = p.hidden_size
    ax = x @ p.W_x + p.b_x  # (B, 3H): input parts of r | z | n
    ah = h_prev @ p.W_h + p.b_h  # (B, 3H): recurrent parts
    r = sigmoid(ax[..., :H] + ah[..., :H])
    z = sigmoid(ax[..., H:2 * H] + ah[..., H:2 * H])
    hn = ah[..., 2 * H:]
    n = np.tanh(ax[..., 2 * H:] + r * hn)
    h = (1.0 - z) * n + z * h_prev
    return GRUStep(x, h_prev, r, z, n, hn, h)


def gru_forward(X, p: GRUParams, h0=None):
    """Run the GRU over X (T, B, D) from h0 (B, H) (zeros if None).

    Steps t = 1 .. T as for the LSTM: h_t = Hs[t - 1]. Returns Hs (T, B, H) and the trace,
    a GRUStep stacked over time.
    """
    _check_params(p)
    X = check_sequence("X", X, p)
    T, B, D = X.shape
    H = p.hidden_size
    h = _initial_grad("h0", h0, (B, H), p.dtype)
    AX = (X.reshape(T * B, D) @ p.W_x + p.b_x).reshape(T, B, 3 * H)  # all input parts at once
    steps = []
    for t in range(T):
        ah = h @ p.W_h + p.b_h
        r = sigmoid(AX[t, :, :H] + ah[:, :H])
        z = sigmoid(AX[t, :, H:2 * H] + ah[:, H:2 * H])
        n = np.tanh(AX[t, :, 2 * H:] + r * ah[:, 2 * H:])
        h_new = (1.0 - z) * n + z * h
        steps.append((h, r, z, n, ah[:, 2 * H:], h_new))
        h = h_new
    h_prev, r, z, n, hn, hs = (np.stack(a) for a in zip(*steps))
    return hs, GRUStep(X, h_prev, r, z, n, hn, hs)


def gru_backward(dHs, trace: GRUStep, p: GRUParams, dh_T=None) -> GRUGrads:
    """Backpropagation through time for gru_forward:

        dn = dh (1 - z)     dz = dh (h_prev - n)     dh_prev = dh z + ...
        da_n = dn (1 - n^2)                 (a_n: the argument of tanh)
        dr = da_n * hn      dhn = da_n * r
        da_r = dr r (1 - r)                 da_z = dz z (1 - z)
        input side  [da_r | da_z | da_n]:   dW_x = x.T @ it,  db_x = its sum,  dx = it @ W_x.T
        hidden side [da_r | da_z | dhn]:    dW_h = h_prev.T @ it,  db_h = its sum,
                                            dh_prev = dh z + it @ W_h.T
    """
    _check_params(p)
    T, B, H = trace.h.shape
    dHs = as_float_array("dHs", dHs, p.dtype)
    check_shape("dHs", dHs, (T, B, H), "the shape of Hs from gru_forward")
    check_finite("dHs", dHs)
    dh = _initial_grad("dh_T", dh_T, (B, H), p.dtype)
    dAX = np.empty((T, B, 3 * H), p.dtype)
    dAH = np.empty((T, B, 3 * H), p.dtype)
    dh_all = np.empty((T, B, H), p.dtype)
    W_hT = p.W_h.T
    for t in reversed(range(T)):
        dh = dh_all[t] = dh + dHs[t]
        r, z, n, hn, h_prev = trace.r[t], trace.z[t], trace.n[t], trace.hn[t], trace.h_prev[t]
        da_n = dh * (1.0 - z) * (1.0 - n * n)
        da_r = da_n * hn * r * (1.0 - r)
        da_z = dh * (h_prev - n) * z * (1.0 - z)
        dAX[t] = np.concatenate([da_r, da_z, da_n], axis=-1)
        dAH[t] = np.concatenate([da_r, da_z, da_n * r], axis=-1)
        dh = dh * z + dAH[t] @ W_hT  # dL/dh_{t-1}
    D = p.input_size
    dAX2, dAH2 = dAX.reshape(T * B, 3 * H), dAH.reshape(T * B, 3 * H)
    grads = GRUParams(
        W_x=trace.x.reshape(T * B, D).T @ dAX2,
        W_h=trace.h_prev.reshape(T * B, H).T @ dAH2,
        b_x=dAX2.sum(axis=0),
        b_h=dAH2.sum(axis=0),
    )
    return GRUGrads(grads, (dAX2 @ p.W_x.T).reshape(T, B, D), dh, dh_all)


def _check_params(p):
    if not isinstance(p, GRUParams):
        raise TypeError(f"p must be an lstmlearn.GRUParams, but it is a {type(p).__name__}. "
                        f"Make one with lstmlearn.init_gru(...).")
    H = p.W_h.shape[0] if np.ndim(p.W_h) == 2 else -1
    for name, a, shape, meaning in (("W_h", p.W_h, (H, 3 * H), "(H, 3H)"), ("W_x", p.W_x, (None, 3 * H), "(D, 3H)"),
                                    ("b_x", p.b_x, (3 * H,), "(3H,)"), ("b_h", p.b_h, (3 * H,), "(3H,)")):
        a = as_float_array(f"p.{name}", a)
        check_shape(f"p.{name}", a, shape, f"that is {meaning} with H = {H} from p.W_h")
        check_finite(f"p.{name}", a)
    if len({a.dtype for a in p}) > 1:
        raise TypeError("p's arrays have different dtypes; convert them all to one, e.g. np.float64.")
