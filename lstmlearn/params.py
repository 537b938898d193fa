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

from ._checks import as_float_array, check_array_fields, check_finite, check_positive_int, check_rng, check_shape
from .pytorch_layout import read_state_dict, write_state_dict

GATES = ("i", "f", "g", "o")


class GateParams(NamedTuple):
    """The weights of one LSTM gate k: z_k = x @ W_x + h @ W_h + b. Views, not copies."""

    W_x: np.ndarray  # (D, H)
    W_h: np.ndarray  # (H, H)
    b: np.ndarray  # (H,)


def _gate_view(k: str, field: str) -> property:
    """A read-only attribute for one gate's block of a fused array, e.g. W_xf = W_x[:, H:2H]."""
    symbol = {"W_x": f"W_x{k}", "W_h": f"W_h{k}", "b": f"b_{k}"}[field]
    n = GATES.index(k)

    def view(self):
        H = self.W_h.shape[0]
        return getattr(self, field)[..., n * H : (n + 1) * H]  # the gate's columns

    return property(view, doc=f"{symbol}: gate {k}'s block of {field}, a view (writing into it writes into {field}).")


class LSTMParams(NamedTuple):
    """LSTM weights, fused over the four blocks i, f, g, o: three gates and the candidate g (see the module docstring).

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
        """The arrays' dtype (float64 or float32)."""
        return self.W_x.dtype

    def gate(self, k: str) -> GateParams:
        """The weights of gate k in "i", "f", "g", "o", as views into the fused arrays."""
        if k not in GATES:
            raise ValueError(f"gate must be one of {list(GATES)}, but it is {k!r}.")
        H = self.hidden_size
        cols = slice(GATES.index(k) * H, (GATES.index(k) + 1) * H)
        return GateParams(self.W_x[:, cols], self.W_h[:, cols], self.b[cols])

    W_xi = _gate_view("i", "W_x")
    W_xf = _gate_view("f", "W_x")
    W_xg = _gate_view("g", "W_x")
    W_xo = _gate_view("o", "W_x")
    W_hi = _gate_view("i", "W_h")
    W_hf = _gate_view("f", "W_h")
    W_hg = _gate_view("g", "W_h")
    W_ho = _gate_view("o", "W_h")
    b_i = _gate_view("i", "b")
    b_f = _gate_view("f", "b")
    b_g = _gate_view("g", "b")
    b_o = _gate_view("o", "b")

    def astype(self, dtype) -> "LSTMParams":
        """A copy with every array converted to `dtype`."""
        return LSTMParams(*(np.array(a, dtype=dtype) for a in self))

    def copy(self) -> "LSTMParams":
        """A copy with new arrays (writing into it leaves self unchanged)."""
        return LSTMParams(*(np.array(a) for a in self))

    @classmethod
    def from_pytorch(cls, state_dict, layer: int = 0, dtype=None, direction=None) -> "LSTMParams":
        """Read the weights of a torch.nn.LSTM (or nn.LSTMCell) state_dict; no torch import.

        Values may be torch tensors, numpy arrays or nested lists. The two PyTorch
        biases are added into one effective bias b = bias_ih + bias_hh. For a
        bidirectional LSTM pass direction="forward" or "reverse"; layer picks one layer
        of a stacked LSTM. See lstmlearn.pytorch_layout.read_state_dict.
        """
        a = read_state_dict(state_dict, 4, layer, dtype, direction)
        return cls(a.W_ih.T.copy(), a.W_hh.T.copy(), a.b_ih + a.b_hh)

    def to_pytorch(self, tensors: bool = False) -> dict:
        """Weights in torch.nn.LSTM's layout (one layer): weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0.

        With tensors=False (the default) the values are numpy arrays and torch is not
        imported; with tensors=True they are torch tensors, ready for load_state_dict.
        """
        return write_state_dict(self.W_x, self.W_h, self.b, np.zeros_like(self.b), tensors)


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

    input_size = property(lambda self: self.W_x.shape[0], doc="D, the size of one input vector x.")
    hidden_size = property(lambda self: self.W_h.shape[0], doc="H, the size of the hidden state h.")
    dtype = property(lambda self: self.W_x.dtype, doc="The arrays' dtype (float64 or float32).")

    def astype(self, dtype) -> "RNNParams":
        """A copy with every array converted to `dtype`."""
        return RNNParams(*(np.array(a, dtype=dtype) for a in self))

    def copy(self) -> "RNNParams":
        """A copy with new arrays."""
        return RNNParams(*(np.array(a) for a in self))

    @classmethod
    def from_pytorch(cls, state_dict, layer: int = 0, dtype=None, direction=None) -> "RNNParams":
        """Read the weights of a torch.nn.RNN (or nn.RNNCell) state_dict; no torch import.
        Arguments as for LSTMParams.from_pytorch; b = bias_ih + bias_hh."""
        a = read_state_dict(state_dict, 1, layer, dtype, direction)
        return cls(a.W_ih.T.copy(), a.W_hh.T.copy(), a.b_ih + a.b_hh)

    def to_pytorch(self, tensors: bool = False) -> dict:
        """Weights in torch.nn.RNN's layout (see LSTMParams.to_pytorch)."""
        return write_state_dict(self.W_x, self.W_h, self.b, np.zeros_like(self.b), tensors)


def init_lstm(
    input_size: int, hidden_size: int, rng: np.random.Generator, forget_bias: float = 1.0, dtype=np.float64
) -> LSTMParams:
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
    W_x, W_h, b = uniform_init(input_size, hidden_size, 4, rng, dtype)
    b[hidden_size : 2 * hidden_size] += forget_bias
    return LSTMParams(W_x, W_h, b)


def init_rnn(input_size: int, hidden_size: int, rng: np.random.Generator, dtype=np.float64) -> RNNParams:
    """New vanilla-RNN weights, uniform(-1/sqrt(H), 1/sqrt(H)) as torch.nn.RNN draws them."""
    return RNNParams(*uniform_init(input_size, hidden_size, 1, rng, dtype))


def check_params(p, kind, name: str = "p") -> None:
    """Check that `p` is a `kind` (LSTMParams or RNNParams) of float arrays with matching shapes."""
    if not isinstance(p, kind):
        maker = "init_lstm" if kind is LSTMParams else "init_rnn"
        raise TypeError(
            f"{name} must be an lstmlearn.{kind.__name__}, but it is a "
            f"{type(p).__name__}. Make one with lstmlearn.{maker}(...)."
        )
    check_array_fields(p, name)
    W_x, W_h, b = (as_float_array(f"{name}.{f}", a) for f, a in zip(p._fields, p))
    n = "4H" if kind is LSTMParams else "H"
    width = 4 if kind is LSTMParams else 1
    check_shape(f"{name}.W_h", W_h, (None, None), f"that is (H, {n})")
    H = W_h.shape[0]
    check_shape(f"{name}.W_h", W_h, (H, width * H), f"that is (H, {n})")
    check_shape(f"{name}.W_x", W_x, (None, width * H), f"that is (D, {n}) with H = {H} from {name}.W_h")
    check_shape(f"{name}.b", b, (width * H,), f"that is ({n},) with H = {H}")
    if len({W_x.dtype, W_h.dtype, b.dtype}) > 1:
        raise TypeError(
            f"{name}'s arrays have different dtypes ({W_x.dtype}, {W_h.dtype}, "
            f"{b.dtype}); use {name}.astype(np.float64) to give them one."
        )
    for field, a in zip(p._fields, (W_x, W_h, b)):
        check_finite(f"{name}.{field}", a)


def uniform_init(D: int, H: int, n_blocks: int, rng: np.random.Generator, dtype=np.float64):
    """W_x (D, n_blocks*H), W_h (H, n_blocks*H) and b (n_blocks*H,), drawn as torch draws them.

    Every weight is uniform(-k, k) with k = 1/sqrt(H); b is the sum of two such draws, like
    PyTorch's effective bias bias_ih + bias_hh. init_lstm, init_rnn, init_gru and
    init_variant all start here.
    """
    check_positive_int("input_size", D)
    check_positive_int("hidden_size", H)
    check_rng(rng)
    k = 1.0 / np.sqrt(H)
    W_x = rng.uniform(-k, k, size=(D, n_blocks * H))
    W_h = rng.uniform(-k, k, size=(H, n_blocks * H))
    b = rng.uniform(-k, k, size=n_blocks * H) + rng.uniform(-k, k, size=n_blocks * H)
    return W_x.astype(dtype), W_h.astype(dtype), b.astype(dtype)
