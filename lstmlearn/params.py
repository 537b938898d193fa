"""Parameters of a vanilla RNN and of an LSTM, their initialisation, and PyTorch's layout.

Row-vector convention, as in every file of lstmlearn: an input row x (D,) or a batch
X (B, D) is multiplied on the left, x @ W_x + h @ W_h + b.

LSTM parameters are stored fused, so one step is one matrix product:

    W_x (D, 4H)   W_h (H, 4H)   b (4H,)      columns in gate order i | f | g | o

and read per gate through views: p.W_xf is W_x[:, H:2H], p.b_o is b[3H:4H], and so on.
The gate order is PyTorch's (i, f, g, o). CS231n's assignment 3 and Karpathy's numpy
LSTM stack i, f, o, g instead: their last two column blocks are swapped relative to ours.

PyTorch stores the transpose, two bias vectors and one layer per suffix:

    weight_ih_l0 (4H, D) = W_x.T    weight_hh_l0 (4H, H) = W_h.T
    bias_ih_l0 (4H,) + bias_hh_l0 (4H,) = b      (only the sum matters)

`from_pytorch` folds the two biases into b; `to_pytorch` puts b in bias_ih_l0 and zeros
in bias_hh_l0, which computes exactly the same thing.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._checks import as_float_array, check_finite, check_positive_int, check_shape

GATES = ("i", "f", "g", "o")


class GateParams(NamedTuple):
    """The weights of one LSTM gate k: z_k = x @ W_x + h @ W_h + b. Views, not copies."""

    W_x: np.ndarray  # (D, H)
    W_h: np.ndarray  # (H, H)
    b: np.ndarray  # (H,)


class LSTMParams(NamedTuple):
    """LSTM weights, fused over the four gates i, f, g, o (see the module docstring).

    Fields
    ------
    W_x : (D, 4H) input-to-gates weights
    W_h : (H, 4H) hidden-to-gates weights
    b   : (4H,)   gate biases

    Per-gate views: W_xi, W_xf, W_xg, W_xo, W_hi, ..., b_i, b_f, b_g, b_o,
    or p.gate("f") for all three at once. Writing into a view writes into the fused array.
    """

    W_x: np.ndarray
    W_h: np.ndarray
    b: np.ndarray

    @property
    def input_size(self) -> int:
        """D, the size of one input vector x."""
        return self.W_x.shape[0]

    @property
    def hidden_size(self) -> int:
        """H, the number of memory cells (the size of h and of c)."""
        return self.W_h.shape[0]

    @property
    def dtype(self) -> np.dtype:
        return self.W_x.dtype

    def gate(self, k: str) -> GateParams:
        """The weights of gate k in "i", "f", "g", "o", as views into the fused arrays."""
        if k not in GATES:
            raise ValueError(f"gate must be one of {list(GATES)}, but it is {k!r}.")
        H = self.hidden_size
        cols = slice(GATES.index(k) * H, (GATES.index(k) + 1) * H)
        return GateParams(self.W_x[:, cols], self.W_h[:, cols], self.b[cols])

    W_xi = property(lambda self: self.gate("i").W_x)
    W_xf = property(lambda self: self.gate("f").W_x)
    W_xg = property(lambda self: self.gate("g").W_x)
    W_xo = property(lambda self: self.gate("o").W_x)
    W_hi = property(lambda self: self.gate("i").W_h)
    W_hf = property(lambda self: self.gate("f").W_h)
    W_hg = property(lambda self: self.gate("g").W_h)
    W_ho = property(lambda self: self.gate("o").W_h)
    b_i = property(lambda self: self.gate("i").b)
    b_f = property(lambda self: self.gate("f").b)
    b_g = property(lambda self: self.gate("g").b)
    b_o = property(lambda self: self.gate("o").b)

    def astype(self, dtype) -> "LSTMParams":
        """A copy with every array converted to `dtype`."""
        return LSTMParams(*(np.array(a, dtype=dtype) for a in self))

    def copy(self) -> "LSTMParams":
        return LSTMParams(*(np.array(a) for a in self))

    @classmethod
    def from_pytorch(cls, state_dict, layer: int = 0, dtype=None) -> "LSTMParams":
        """Read the weights of a torch.nn.LSTM (or nn.LSTMCell) state_dict; no torch import.

        Values may be torch tensors, numpy arrays or nested lists. The two PyTorch
        biases are added into one effective bias b = bias_ih + bias_hh.
        """
        W_ih, W_hh, b = _read_pytorch(state_dict, layer, dtype, gates=4)
        return cls(W_ih.T.copy(), W_hh.T.copy(), b)

    def to_pytorch(self, tensors: bool = False) -> dict:
        """Weights in torch.nn.LSTM's layout (one layer): weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0.

        With tensors=False (the default) the values are numpy arrays and torch is not
        imported; with tensors=True they are torch tensors, ready for load_state_dict.
        """
        return _write_pytorch(self.W_x, self.W_h, self.b, tensors)


class RNNParams(NamedTuple):
    """Vanilla RNN weights: h_t = tanh(x_t @ W_x + h_{t-1} @ W_h + b).

    Fields
    ------
    W_x : (D, H)   W_h : (H, H)   b : (H,)

    PyTorch's torch.nn.RNN stores weight_ih_l0 = W_x.T (H, D), weight_hh_l0 = W_h.T (H, H)
    and two biases whose sum is b.
    """

    W_x: np.ndarray
    W_h: np.ndarray
    b: np.ndarray

    input_size = property(lambda self: self.W_x.shape[0])
    hidden_size = property(lambda self: self.W_h.shape[0])
    dtype = property(lambda self: self.W_x.dtype)

    def astype(self, dtype) -> "RNNParams":
        return RNNParams(*(np.array(a, dtype=dtype) for a in self))

    def copy(self) -> "RNNParams":
        return RNNParams(*(np.array(a) for a in self))

    @classmethod
    def from_pytorch(cls, state_dict, layer: int = 0, dtype=None) -> "RNNParams":
        """Read the weights of a torch.nn.RNN (or nn.RNNCell) state_dict; no torch import."""
        W_ih, W_hh, b = _read_pytorch(state_dict, layer, dtype, gates=1)
        return cls(W_ih.T.copy(), W_hh.T.copy(), b)

    def to_pytorch(self, tensors: bool = False) -> dict:
        """Weights in torch.nn.RNN's layout (see LSTMParams.to_pytorch)."""
        return _write_pytorch(self.W_x, self.W_h, self.b, tensors)


def init_lstm(input_size: int, hidden_size: int, rng: np.random.Generator,
              forget_bias: float = 1.0, dtype=np.float64) -> LSTMParams:
    """New LSTM weights, drawn like PyTorch's default, plus a forget-gate bias.

    Every weight is uniform(-k, k) with k = 1/sqrt(H), as in torch.nn.LSTM. PyTorch draws
    its two bias vectors the same way, so its effective bias is the sum of two such
    draws; we draw b the same way. Then `forget_bias` is added to b_f.

    Why forget_bias = 1.0 by default: with b_f near 0 the forget gate starts near
    sigmoid(0) = 0.5, so the cell halves its memory at every step and gradients along
    the cell path shrink by half per step before training has even begun. Gers,
    Schmidhuber & Cummins (2000), who introduced the forget gate, started it open;
    Jozefowicz, Zaremba & Sutskever (2015) found a bias of 1 helps on most tasks.
    Use forget_bias=0.0 to get PyTorch's default exactly (notebook 09 compares them).

    Parameters
    ----------
    input_size : D     hidden_size : H
    rng : np.random.Generator, e.g. np.random.default_rng(0)
    """
    W_x, W_h, b = _uniform_init(input_size, hidden_size, 4, rng, dtype)
    b[hidden_size:2 * hidden_size] += forget_bias
    return LSTMParams(W_x, W_h, b)


def init_rnn(input_size: int, hidden_size: int, rng: np.random.Generator,
             dtype=np.float64) -> RNNParams:
    """New vanilla-RNN weights, uniform(-1/sqrt(H), 1/sqrt(H)) as torch.nn.RNN draws them."""
    return RNNParams(*_uniform_init(input_size, hidden_size, 1, rng, dtype))


def check_params(p, kind, name: str = "p") -> None:
    """Check that `p` is a `kind` (LSTMParams or RNNParams) of float arrays with matching shapes."""
    if not isinstance(p, kind):
        maker = "init_lstm" if kind is LSTMParams else "init_rnn"
        raise TypeError(f"{name} must be an lstmlearn.{kind.__name__}, but it is a "
                        f"{type(p).__name__}. Make one with lstmlearn.{maker}(...).")
    W_x, W_h, b = (as_float_array(f"{name}.{f}", a) for f, a in zip(p._fields, p))
    n = "4H" if kind is LSTMParams else "H"
    width = 4 if kind is LSTMParams else 1
    check_shape(f"{name}.W_h", W_h, (None, None), f"that is (H, {n})")
    H = W_h.shape[0]
    check_shape(f"{name}.W_h", W_h, (H, width * H), f"that is (H, {n})")
    check_shape(f"{name}.W_x", W_x, (None, width * H), f"that is (D, {n}) with H = {H} from {name}.W_h")
    check_shape(f"{name}.b", b, (width * H,), f"that is ({n},) with H = {H}")
    if len({W_x.dtype, W_h.dtype, b.dtype}) > 1:
        raise TypeError(f"{name}'s arrays have different dtypes ({W_x.dtype}, {W_h.dtype}, "
                        f"{b.dtype}); use {name}.astype(np.float64) to give them one.")
    for field, a in zip(p._fields, (W_x, W_h, b)):
        check_finite(f"{name}.{field}", a)


def _uniform_init(D, H, n_gates, rng, dtype):
    check_positive_int("input_size", D)
    check_positive_int("hidden_size", H)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy Generator such as np.random.default_rng(0), "
                        f"but it is {type(rng).__name__}.")
    k = 1.0 / np.sqrt(H)
    W_x = rng.uniform(-k, k, size=(D, n_gates * H))
    W_h = rng.uniform(-k, k, size=(H, n_gates * H))
    b = rng.uniform(-k, k, size=n_gates * H) + rng.uniform(-k, k, size=n_gates * H)
    return W_x.astype(dtype), W_h.astype(dtype), b.astype(dtype)


def _to_numpy(name, value, dtype):
    if hasattr(value, "detach"):  # a torch tensor, recognised without importing torch
        value = value.detach().cpu().numpy()
    return as_float_array(name, value, dtype)


def _read_pytorch_arrays(state_dict, layer, dtype, gates):
    """The two weight matrices of a PyTorch recurrent layer, checked; and the key suffix."""
    suffix = f"_l{layer}" if f"weight_ih_l{layer}" in state_dict else ""
    needed = [f"weight_ih{suffix}", f"weight_hh{suffix}"]
    missing = [k for k in needed if k not in state_dict]
    if missing:
        raise KeyError(f"state_dict has no {missing}; it has keys {sorted(state_dict)}. "
                       f"Pass the state_dict() of a torch.nn.{ {4: 'LSTM', 3: 'GRU', 1: 'RNN'}[gates]} "
                       f"(layer {layer}) or of the matching Cell.")
    if any(k.startswith("weight_hr") for k in state_dict):
        raise ValueError("LSTMs with proj_size > 0 (weight_hr_l*) are not supported.")
    W_ih = _to_numpy(needed[0], state_dict[needed[0]], dtype)
    W_hh = _to_numpy(needed[1], state_dict[needed[1]], W_ih.dtype)
    H = W_hh.shape[1] if W_hh.ndim == 2 else -1
    check_shape(needed[1], W_hh, (gates * H, H), f"that is ({gates}H, H)")
    check_shape(needed[0], W_ih, (gates * H, None), f"that is ({gates}H, D)")
    return W_ih, W_hh, suffix


def _read_pytorch(state_dict, layer, dtype, gates):
    """Weights and the effective bias b = bias_ih + bias_hh (zeros where absent)."""
    W_ih, W_hh, suffix = _read_pytorch_arrays(state_dict, layer, dtype, gates)
    H = W_hh.shape[1]
    b = np.zeros(gates * H, dtype=W_ih.dtype)
    for k in (f"bias_ih{suffix}", f"bias_hh{suffix}"):
        if k in state_dict:
            bk = _to_numpy(k, state_dict[k], W_ih.dtype)
            check_shape(k, bk, (gates * H,), f"that is ({gates}H,)")
            b = b + bk
    return W_ih, W_hh, b


def _write_pytorch(W_x, W_h, b, tensors):
    sd = {
        "weight_ih_l0": np.ascontiguousarray(W_x.T),
        "weight_hh_l0": np.ascontiguousarray(W_h.T),
        "bias_ih_l0": np.array(b),
        "bias_hh_l0": np.zeros_like(b),
    }
    if tensors:
        import torch  # only on request: lstmlearn itself never needs torch

        sd = {k: torch.from_numpy(v) for k, v in sd.items()}
    return sd
