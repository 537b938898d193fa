"""How far back a gradient reaches: Jacobian products and gradient norms over time
(notebooks 02 and 06).

Steps are numbered t = 1 .. T as in the notebooks: h_0, c_0 are the initial state and
h_t = trace.h[t - 1] is the output of step t.

Vanilla RNN, row-vector convention (h_t = phi(a_t), a_t = x_t @ W_x + h_{t-1} @ W_h + b).
A gradient row vector moves back one step as

    dL/dh_{t-1} = dL/dh_t @ J_t        with   J_t = diag(phi'(a_t)) @ W_h.T     (H, H)

so the loss at the last step reaches step t through the product

    dL/dh_t = dL/dh_T @ J_T @ J_{T-1} @ ... @ J_{t+1}        (T - t Jacobians)

and ||dh_T/dh_t|| below is the spectral norm (largest singular value, numpy's
ord=2) of P_t = J_T @ ... @ J_{t+1}. P_t is the transpose of the Jacobian dh_T/dh_t
written in the column convention, and a matrix and its transpose have the same
spectral norm. If every J_t has norm below 1 the product shrinks geometrically in T - t
(vanishing); with norms above 1 it can grow geometrically (exploding).

LSTM, along the cell path only: dc_t/dc_{t-1} = diag(f_t), so the product is
diag(f_{t+1} * ... * f_T); see lstmlearn.memory.cell_path_gradient.
"""

from __future__ import annotations

from typing import NamedTuple, Optional

import numpy as np

from . import engine
from ._checks import check_choice, check_positive_int, check_rng
from .memory import cell_path_gradient
from .params import RNNParams, check_params, init_lstm, init_rnn
from .rnn import rnn_forward


class GradientFlow(NamedTuple):
    """Norms of the gradients a backward pass computed, one per step t = 1 .. T.

    h : (T,) ||dL/dh_t||, Frobenius norm over the batch and the units
    c : (T,) ||dL/dc_t|| for an LSTM, None for a vanilla RNN
    """

    h: np.ndarray
    c: Optional[np.ndarray]


@np.errstate(under="ignore")  # a gradient entry below 1e-154 squares to 0: its norm is at most 1e-150
def gradient_flow(grads) -> GradientFlow:
    """Per-step gradient norms from lstm_backward's LSTMGrads or rnn_backward's RNNGrads.

    Row t - 1 of the result is ||dL/dh_t|| = sqrt(sum over batch and units of (dL/dh_t)^2)
    (and the same for dL/dc_t). With a loss that reads only h_T, this shows how much of
    it reaches each earlier step.
    """
    if not hasattr(grads, "dh") or np.ndim(grads.dh) != 3:
        raise TypeError("grads must be what lstm_backward or rnn_backward returned "
                        "(an LSTMGrads or RNNGrads with .dh of shape (T, B, H)).")
    h = np.sqrt(np.sum(np.square(grads.dh), axis=(1, 2)))
    c = np.sqrt(np.sum(np.square(grads.dc), axis=(1, 2))) if hasattr(grads, "dc") else None
    return GradientFlow(h, c)


def scaled_recurrent_matrix(H: int, spectral_radius: float, rng: np.random.Generator) -> np.ndarray:
    """A random (H, H) matrix W_h with the given spectral radius (largest |eigenvalue|).

    Entries are drawn normal(0, 1/H) from `rng`, then the matrix is rescaled so that
    max |eigenvalue| = spectral_radius. Notebook 02 uses it to move an RNN between the
    vanishing (radius well below 1) and exploding (above 1) regimes.
    """
    check_positive_int("H", H)
    check_rng(rng)
    if not np.isfinite(spectral_radius) or spectral_radius < 0:
        raise ValueError(f"spectral_radius must be a finite number >= 0, but it is {spectral_radius!r}.")
    W = rng.normal(0.0, 1.0 / np.sqrt(H), size=(H, H))
    return W * (spectral_radius / np.max(np.abs(np.linalg.eigvals(W))))


def rnn_jacobian_norms(trace, p: RNNParams, example: int = 0) -> np.ndarray:
    """||dh_T/dh_t||_2 for t = 0 .. T from a vanilla RNN's forward trace (module docstring).

    trace : the RNNStep that rnn_forward returned, fields (T, B, .)
    p : the RNNParams of that forward pass
    example : which sequence of the batch

    Returns (T + 1,) spectral norms; entry T is 1 (the identity) and entry 0 is the
    norm reaching the initial state h_0. The product is kept rescaled to norm 1 while it
    is built and its size is tracked as a logarithm, so long sequences neither overflow
    nor lose precision; norms that are truly below about 1e-308 come out as 0.0.
    """
    check_params(p, RNNParams)
    check_choice("activation", trace.activation, ("tanh", "relu"))
    h = trace.h[:, example]  # (T, H), h[s - 1] = h_s
    T, H = h.shape
    dphi = 1.0 - h * h if trace.activation == "tanh" else (h > 0).astype(h.dtype)  # phi'(a_s)
    W_hT = p.W_h.T
    log_norm = np.full(T + 1, -np.inf)
    log_norm[T] = 0.0
    P = np.eye(H)  # P_T = I, kept scaled to norm 1
    for t in range(T - 1, -1, -1):
        P = P @ (dphi[t][:, None] * W_hT)  # P_t = P_{t+1} @ J_{t+1}, J_{t+1} = diag(phi'(a_{t+1})) W_h.T
        n = np.linalg.norm(P, 2)
        if n == 0.0:  # e.g. every ReLU unit switched off: no gradient reaches further back
            break
        log_norm[t] = log_norm[t + 1] + np.log(n)
        P = P / n
    with np.errstate(over="ignore", under="ignore"):
        return np.exp(log_norm)


def rnn_with_spectral_radius(D: int, H: int, spectral_radius: float, rng: np.random.Generator) -> RNNParams:
    """RNNParams with W_h from scaled_recurrent_matrix, W_x normal(0, 1/D) and b = 0."""
    check_positive_int("D", D)
    W_h = scaled_recurrent_matrix(H, spectral_radius, rng)
    W_x = rng.normal(0.0, 1.0 / np.sqrt(D), size=(D, H))
    return RNNParams(W_x, W_h, np.zeros(H))


class VanishingCurves(NamedTuple):
    """What the vanishing-gradient explorer draws, for steps t = 0 .. T.

    t : (T + 1,) step numbers
    rnn : (T + 1,) ||dh_T/dh_t||_2 of a random vanilla RNN
    lstm : (T + 1,) dc_T/dc_t = f^(T - t) along an LSTM's cell path with constant f
    """

    t: np.ndarray
    rnn: np.ndarray
    lstm: np.ndarray


def vanishing_curves(spectral_radius: float, activation: str, T: int, f: float,
                     H: int = 32, seed: int = 0) -> VanishingCurves:
    """A vanilla RNN's ||dh_T/dh_t||_2 next to an LSTM cell path's f^(T - t).

    The RNN has H units, W_h = scaled_recurrent_matrix(H, spectral_radius, rng), and reads
    T random inputs x_t ~ normal(0, 1) (D = 1); all randomness comes from
    np.random.default_rng(seed), so the same settings always give the same curve.
    A ReLU RNN with spectral radius above 1 grows its state geometrically; keep T modest
    (radius 2 and T = 500 give states near 1e150, still finite).
    """
    check_positive_int("T", T)
    check_choice("activation", activation, ("tanh", "relu"))
    rng = np.random.default_rng(seed)
    p = rnn_with_spectral_radius(1, H, spectral_radius, rng)
    X = rng.normal(size=(T, 1, 1))
    _, trace = rnn_forward(X, p, activation=activation)
    rnn = rnn_jacobian_norms(trace, p)
    lstm = cell_path_gradient(np.full(T, float(f)))
    return VanishingCurves(np.arange(T + 1), rnn, lstm)


def input_influence(spectral_radius: float, T: int, H: int = 16, activation: str = "tanh",
                    delta: float = 1.0, seed: int = 0) -> np.ndarray:
    """How long an RNN remembers its first input: ||h_t - h'_t|| for t = 1 .. T, where the
    two runs differ only in x_1 (by delta in every input dimension). Notebook 01.

    The RNN is rnn_with_spectral_radius(1, H, spectral_radius, rng) reading T inputs
    x_t ~ normal(0, 1), all drawn from np.random.default_rng(seed). Returns (T,).
    """
    check_positive_int("T", T)
    rng = np.random.default_rng(seed)
    p = rnn_with_spectral_radius(1, H, spectral_radius, rng)
    X = rng.normal(size=(T, 1, 1))
    X_moved = X.copy()
    X_moved[0] += delta
    with np.errstate(over="ignore", invalid="ignore"):
        Hs, _ = rnn_forward(X, p, activation=activation)
        Hs_moved, _ = rnn_forward(X_moved, p, activation=activation)
        return np.linalg.norm(Hs - Hs_moved, axis=(1, 2))


class FlowCurves(NamedTuple):
    """Per-step gradient norms for a loss on the last state only, t = 1 .. T (each (T,))."""

    rnn_h: np.ndarray  # ||dL/dh_t|| of a vanilla tanh RNN
    lstm_h: np.ndarray  # ||dL/dh_t|| of an LSTM
    lstm_c: np.ndarray  # ||dL/dc_t|| of the same LSTM
    mean_f: float  # the LSTM's mean forget-gate value over the sequence


def flow_curves(forget_bias: float, T: int, truncate=None, H: int = 32, seed: int = 0) -> FlowCurves:
    """The gradient-flow experiment of notebook 06: a loss L = sum(h_T) on the last state of a
    random RNN and a random LSTM (init_rnn, init_lstm with `forget_bias`) of H units reading
    the same T inputs x_t ~ normal(0, 1), backpropagated with `truncate` (None: full BPTT).

    The weights of both networks are drawn from np.random.default_rng(seed), the inputs from
    np.random.default_rng(seed + 1). The passes run on lstmlearn.engine, so that the explorer
    answers at once even with long truncation windows; they agree with lstm_backward and
    rnn_backward to 1e-12.
    """
    check_positive_int("T", T)
    X = np.random.default_rng(seed + 1).normal(size=(T, 1, 1))
    dHs = np.zeros((T, 1, H))
    dHs[-1] = 1.0
    p_rnn = init_rnn(1, H, rng=np.random.default_rng(seed))
    _, tr = engine.rnn_forward(X, p_rnn)
    rnn = gradient_flow(engine.rnn_backward(dHs, tr, p_rnn, truncate=truncate))
    p_lstm = init_lstm(1, H, rng=np.random.default_rng(seed), forget_bias=forget_bias)
    _, tr_l = engine.lstm_forward(X, p_lstm)
    lstm = gradient_flow(engine.lstm_backward(dHs, tr_l, p_lstm, truncate=truncate))
    return FlowCurves(rnn.h, lstm.h, lstm.c, float(tr_l.f.mean()))
