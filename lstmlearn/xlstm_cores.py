"""sLSTM and mLSTM layers as recurrent cores a Model can train (lstmlearn.cores.CORES, notebook 11).

    name      parameters (dict keys)     state        runs on
    "slstm"   W_x, R, b                  h            lstmlearn.slstm (one head)
    "mlstm"   W_x, b                     (C, n, m)    lstmlearn.mlstm_parallel_grad, the parallel form

The mLSTM layer is the cell of lstmlearn.mlstm with its projections and output gate, as in
the paper (one head, head size d = H; the xLSTM block's up-projection, convolution and
normalisation are left out):

    a = x @ W_x + b                      (B, 4H + 2): q | k | v | o~ | i~ | f~
    h~ = the mLSTM cell's readout of (q, k, v, i~, f~)
    o = sigmoid(o~)
    h = o * h~

It has no recurrent weights: its memory is the matrix C alone. Both layers start every
sequence from an empty memory (so they suit tasks whose batches do not carry state over),
and train with full backpropagation through time. The mLSTM trains in its parallel form,
which gives the recurrent form's numbers to rounding (tests/test_mlstm_parallel_grad.py) with
no (T, B, d, d) trace of memories: 100 training steps of MQAR (T = 64, batch 64, d = 32, one
thread) took 4 s of CPU this way against 14 s in the recurrent form.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .activations import sigmoid
from .mlstm_parallel_grad import ParallelTrace, mlstm_parallel_backward, mlstm_parallel_forward
from .slstm import SLSTMParams, init_slstm, slstm_backward, slstm_forward


class MLSTMLayerParams(NamedTuple):
    """The mLSTM layer's weights: W_x (D, 4H + 2) and b (4H + 2,), columns q | k | v | o~ | i~ | f~."""

    W_x: np.ndarray
    b: np.ndarray


class MLSTMLayerTrace(NamedTuple):
    """What the layer's backward pass needs: X (T, B, D), o and h~ (T, B, H), the cell's trace, h (T, B, H)."""

    X: np.ndarray
    o: np.ndarray
    h_tilde: np.ndarray
    cell: ParallelTrace
    h: np.ndarray


def init_mlstm_layer(D: int, H: int, rng: np.random.Generator, forget_bias: float = 3.0, dtype=np.float64):
    """Weights uniform in (-1/sqrt(D), 1/sqrt(D)); b = 0 except b_f = forget_bias (a long memory to start)."""
    k = 1.0 / np.sqrt(D)
    W_x = rng.uniform(-k, k, size=(D, 4 * H + 2)).astype(dtype)
    b = np.zeros(4 * H + 2, dtype=dtype)
    b[-1] = forget_bias
    return MLSTMLayerParams(W_x, b)


def mlstm_layer_forward(X, p: MLSTMLayerParams):
    """Run the layer over X (T, B, D). Returns Hs (T, B, H) and an MLSTMLayerTrace."""
    H = (p.W_x.shape[1] - 2) // 4
    a = X @ p.W_x + p.b  # (T, B, 4H + 2)
    Q, K, V, o_tilde = (a[..., g * H : (g + 1) * H] for g in range(4))
    h_tilde, cell = mlstm_parallel_forward(Q, K, V, a[..., 4 * H], a[..., 4 * H + 1])
    o = sigmoid(o_tilde)
    h = o * h_tilde
    return h, MLSTMLayerTrace(X, o, h_tilde, cell, h)


def mlstm_layer_backward(dHs, trace: MLSTMLayerTrace, p: MLSTMLayerParams) -> MLSTMLayerParams:
    """dL/dW_x and dL/db of the layer, from dHs (T, B, H)."""
    # h = o * h~,  o = sigmoid(o~)
    do_tilde = dHs * trace.h_tilde * trace.o * (1 - trace.o)
    g = mlstm_parallel_backward(dHs * trace.o, trace.cell)
    da = np.concatenate([g.dQ, g.dK, g.dV, do_tilde, g.dI_tilde[..., None], g.dF_tilde[..., None]], axis=-1)
    D = trace.X.shape[-1]
    return MLSTMLayerParams(trace.X.reshape(-1, D).T @ da.reshape(-1, da.shape[-1]), da.sum(axis=(0, 1)))


def _from_empty_memory(name, h0, c0, truncate):
    if truncate is not None:
        raise ValueError(f"the {name} core trains with full BPTT: truncate must be None, but it is {truncate!r}.")
    for state_name, s in (("h0", h0), ("c0", c0)):
        if s is not None and np.any(s):
            raise ValueError(
                f"the {name} core starts every sequence from an empty memory, but {state_name} is not zero. "
                f"Use it on tasks whose batches do not carry state (carry_state=False)."
            )


class _XLSTMCore:
    """What lstmlearn.cores.Core offers, for the two xLSTM layers."""

    has_cell = False
    record = None

    @property
    def names(self) -> tuple:
        """The parameter names, in the order of the core's record."""
        return self.record._fields

    def params(self, d: dict):
        """The core's record from a model's dict of arrays."""
        return self.record(*(d[k] for k in self.names))


class SLSTMCore(_XLSTMCore):
    """The sLSTM of slstm.py with one head; forget_bias goes to b_f."""

    record = SLSTMParams

    def init(self, D, H, rng, forget_bias, dtype):
        """init_slstm's weights (one head) as a dict, with b_f = forget_bias."""
        p = init_slstm(D, H, 1, rng)
        b = p.b.copy()
        b[H : 2 * H] = forget_bias
        return {k: v.astype(dtype) for k, v in p._replace(b=b)._asdict().items()}

    def forward(self, X, d, h0, c0):
        """slstm_forward from an empty memory."""
        _from_empty_memory("slstm", h0, c0, None)
        Hs, trace = slstm_forward(X, self.params(d))
        return Hs, trace, Hs[-1], None

    def backward(self, dHs, trace, d, truncate):
        """slstm_backward's weight gradients as a dict."""
        _from_empty_memory("slstm", None, None, truncate)
        return slstm_backward(dHs, trace, self.params(d)).dparams._asdict()


class MLSTMCore(_XLSTMCore):
    """The mLSTM layer above; forget_bias goes to b_f."""

    record = MLSTMLayerParams

    def init(self, D, H, rng, forget_bias, dtype):
        """init_mlstm_layer's weights as a dict."""
        return init_mlstm_layer(D, H, rng, forget_bias, dtype)._asdict()

    def forward(self, X, d, h0, c0):
        """mlstm_layer_forward from an empty memory."""
        _from_empty_memory("mlstm", h0, c0, None)
        Hs, trace = mlstm_layer_forward(X, self.params(d))
        return Hs, trace, Hs[-1], None

    def backward(self, dHs, trace, d, truncate):
        """mlstm_layer_backward as a dict."""
        _from_empty_memory("mlstm", None, None, truncate)
        return mlstm_layer_backward(dHs, trace, self.params(d))._asdict()
