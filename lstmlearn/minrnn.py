"""minGRU and minLSTM (Feng et al. 2024, "Were RNNs All We Needed?"), in the course's symbols (notebook 10).

From the LSTM: the gates see x_t alone (no h_{t-1}), the candidate g has no tanh, there is
no output gate, and the state is h itself. The recurrence is then linear in h,
h_t = a_t h_{t-1} + b_t, and lstmlearn.scan computes it for all t at once.

minGRU (Feng et al. write z for i and h~ for g):
    i = sigmoid(x @ W_i + b_i)          input (update) gate, from x alone
    g = x @ W_g + b_g                   candidate, no tanh
    a = 1 - i                           the decay, in (0, 1);  signed=True: a = 1 - 2 i, in (-1, 1)
    h = a * h_prev + i * g

minLSTM:
    i = sigmoid(x @ W_i + b_i)
    f = sigmoid(x @ W_f + b_f)
    g = x @ W_g + b_g
    f' = f / (f + i)                    normalised so that f' + i' = 1
    i' = i / (f + i)
    h = f' * h_prev + i' * g

candidate="g" replaces g by the paper's positive g(x @ W_g + b_g) (lstmlearn.scan.g), the form
its log-space scan needs. The course's GRU (torch's form, notebook 09) uses z for the share
it *keeps*, the opposite of Feng et al.'s z: here the letter is i, the share written.
signed=True is the decay of Grazzi et al. (2024): with a in (-1, 1) the state can flip sign
each step, which parity needs; with a in (0, 1) it cannot.

Fused storage in the course's gate order: minGRU W (D, 2H), b (2H,) as i | g;
minLSTM W (D, 3H), b (3H,) as i | f | g.
*_forward and *_backward loop over *_step and *_step_backward; *_parallel computes the same
h with a scan, and *_backward(method="scan") gets every dh_t from the reverse scan first.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._checks import check_backward_inputs, check_choice, check_rng, check_sequence, state_or_zeros
from .activations import sigmoid
from .scan import g as positive_g
from .scan import scan_backward, scan_doubling


class MinRNNParams(NamedTuple):
    """W (D, nH) and b (nH,): n = 2 for minGRU (i | g), 3 for minLSTM (i | f | g)."""

    W: np.ndarray
    b: np.ndarray

    input_size = property(lambda self: self.W.shape[0], doc="D, the size of one input vector x.")
    dtype = property(lambda self: self.W.dtype, doc="The arrays' dtype.")


def init_min_rnn(D: int, H: int, kind: str, rng: np.random.Generator) -> MinRNNParams:
    """Uniform(-1/sqrt(D), 1/sqrt(D)) weights and zero biases, as torch.nn.Linear draws W; kind 'gru' or 'lstm'."""
    check_choice("kind", kind, ("gru", "lstm"))
    check_rng(rng)
    n = 2 if kind == "gru" else 3
    k = 1.0 / np.sqrt(D)
    return MinRNNParams(W=rng.uniform(-k, k, size=(D, n * H)), b=np.zeros(n * H))


class MinRNNStep(NamedTuple):
    """Every value of one step (stacked over time by the forward loops): (..., H) each but x.

    One record serves both models: for minGRU f = f' = a = 1 - i (or 1 - 2 i) and i' = i.
    """

    x: np.ndarray  # (..., D)
    h_prev: np.ndarray
    i: np.ndarray
    f: np.ndarray  # minLSTM's forget gate; minGRU: equal to the decay a
    a_g: np.ndarray  # x @ W_g + b_g, before the optional positive g()
    g: np.ndarray
    f_prime: np.ndarray  # the decay a of h = a h_prev + b
    i_prime: np.ndarray  # the share of g written
    h: np.ndarray

    def at(self, t: int) -> "MinRNNStep":
        """The record of one step of a stacked trace: trace.at(t - 1) is step t."""
        return MinRNNStep(*(v[t] for v in self))


class MinRNNGrads(NamedTuple):
    """dX (T, B, D), dh0 (B, H), dparams (MinRNNParams) and dh (T, B, H), the full dL/dh_t."""

    dX: np.ndarray
    dh0: np.ndarray
    dparams: MinRNNParams
    dh: np.ndarray


def _hidden_size(p: MinRNNParams, kind: str) -> int:
    n = 2 if kind == "gru" else 3
    if not (isinstance(p, MinRNNParams) and p.W.ndim == 2 and p.W.shape[1] % n == 0 and p.b.shape == p.W.shape[1:]):
        raise ValueError(
            f"p must be a MinRNNParams with W (D, {n}H) and b ({n}H,) for kind {kind!r}, "
            f"but it has W {getattr(p, 'W', np.empty(0)).shape} and b {getattr(p, 'b', np.empty(0)).shape}. "
            f"Make one with init_min_rnn(D, H, {kind!r}, rng)."
        )
    return p.W.shape[1] // n


def _gates(x, p: MinRNNParams, kind: str, signed: bool, candidate: str):
    """i, f, a_g, g, f', i' for x (..., D): everything but the recurrence, so any leading shape works."""
    check_choice("kind", kind, ("gru", "lstm"))
    check_choice("candidate", candidate, ("linear", "g"))
    H = _hidden_size(p, kind)
    z = x @ p.W + p.b  # (..., nH)
    i = sigmoid(z[..., :H])
    a_g = z[..., -H:]
    g = positive_g(a_g) if candidate == "g" else a_g
    if kind == "gru":
        f = 1 - 2 * i if signed else 1 - i
        return i, f, a_g, g, f, i
    f = sigmoid(z[..., H : 2 * H])
    return i, f, a_g, g, f / (f + i), i / (f + i)


def min_rnn_step(x, h_prev, p: MinRNNParams, kind: str = "gru", signed: bool = False, candidate: str = "linear"):
    """One step of minGRU (kind='gru') or minLSTM (kind='lstm'): x (B, D), h_prev (B, H) -> MinRNNStep."""
    if signed and kind != "gru":
        raise ValueError("signed=True is the signed-decay minGRU; it needs kind='gru', but kind is 'lstm'.")
    i, f, a_g, g, f_prime, i_prime = _gates(x, p, kind, signed, candidate)
    h = f_prime * h_prev + i_prime * g
    return MinRNNStep(x, h_prev, i, f, a_g, g, f_prime, i_prime, h)


def min_rnn_step_backward(dh, s: MinRNNStep, p: MinRNNParams, kind="gru", signed=False, candidate="linear"):
    """Backward of one step (or of all steps at once, for any leading shape): returns (dx, dh_prev, dparams).

    dh is the full gradient into s.h. With h = f' h_prev + i' g:
        dh_prev = dh * f'      df' = dh * h_prev      di' = dh * g      dg = dh * i'
    minGRU (f' = 1 - i or 1 - 2 i, i' = i):  di = di' - df'  (signed: di' - 2 df')
    minLSTM (f' = f / (f + i), i' = i / (f + i)):
        df = (df' - di') * i / (f + i)^2      di = (di' - df') * f / (f + i)^2
    then through the sigmoids (da = d * s (1 - s)) and g (g'(a) = 1 for a >= 0, sigmoid' below).
    """
    df_prime, di_prime, dg = dh * s.h_prev, dh * s.g, dh * s.i_prime
    dh_prev = dh * s.f_prime
    if kind == "gru":
        di = di_prime - (2 if signed else 1) * df_prime
        parts = [di * s.i * (1 - s.i)]
    else:
        total2 = (s.f + s.i) ** 2
        df = (df_prime - di_prime) * s.i / total2
        di = (di_prime - df_prime) * s.f / total2
        parts = [di * s.i * (1 - s.i), df * s.f * (1 - s.f)]
    if candidate == "g":
        sig = sigmoid(np.minimum(s.a_g, 0))
        dg = dg * np.where(s.a_g >= 0, 1.0, sig * (1 - sig))
    dz = np.concatenate(parts + [dg], axis=-1)  # (..., nH), the order of W's columns
    D = p.W.shape[0]
    dW = s.x.reshape(-1, D).T @ dz.reshape(-1, dz.shape[-1])  # sum over every leading axis
    db = dz.reshape(-1, dz.shape[-1]).sum(axis=0)
    return dz @ p.W.T, dh_prev, MinRNNParams(dW, db)


def min_rnn_forward(X, p: MinRNNParams, h0=None, kind="gru", signed=False, candidate="linear"):
    """The loop: X (T, B, D), h0 (B, H) or None -> (Hs (T, B, H), trace: stacked MinRNNStep)."""
    X = check_sequence("X", X, p)
    H = _hidden_size(p, kind)
    h = state_or_zeros("h0", h0, (X.shape[1], H), p.dtype)
    steps = []
    for x in X:
        steps.append(min_rnn_step(x, h, p, kind, signed, candidate))
        h = steps[-1].h
    trace = MinRNNStep(*(np.stack(v) for v in zip(*steps)))
    return trace.h, trace


def min_rnn_parallel(X, p: MinRNNParams, h0=None, kind="gru", signed=False, candidate="linear", scan=scan_doubling):
    """The same Hs (T, B, H) with every gate computed at once and h by a scan (doubling by default)."""
    X = check_sequence("X", X, p)
    H = _hidden_size(p, kind)
    h0 = state_or_zeros("h0", h0, (X.shape[1], H), p.dtype)
    if signed and kind != "gru":
        raise ValueError("signed=True is the signed-decay minGRU; it needs kind='gru', but kind is 'lstm'.")
    i, f, a_g, g, f_prime, i_prime = _gates(X, p, kind, signed, candidate)  # each (T, B, H)
    return scan(f_prime, i_prime * g, h0)


def min_rnn_backward(dHs, trace: MinRNNStep, p, kind="gru", signed=False, candidate="linear", method="loop"):
    """dL/d(X, h0, p) from dHs = dL/dh_t (T, B, H) and the forward's trace.

    method='loop' walks back step by step (dh_t = dHs_t + dh_prev of step t + 1);
    method='scan' gets every dh_t from the reverse scan (lstmlearn.scan.scan_backward), then
    runs one step backward over all t at once: the gates do not depend on h, so nothing else is sequential.
    """
    check_choice("method", method, ("loop", "scan"))
    (dHs,) = check_backward_inputs(dHs, trace.h.shape, p.dtype)
    if method == "scan":
        dh = scan_backward(dHs, trace.f_prime, trace.h, trace.h_prev[0]).db
        dX, dh_prev, dparams = min_rnn_step_backward(dh, trace, p, kind, signed, candidate)
        return MinRNNGrads(dX, dh_prev[0], dparams, dh)
    dW, db = np.zeros_like(p.W), np.zeros_like(p.b)
    dX, dh = np.empty_like(trace.x), np.empty_like(dHs)
    dh_next = np.zeros_like(dHs[0])
    for t in reversed(range(dHs.shape[0])):
        dh[t] = dHs[t] + dh_next
        dX[t], dh_next, dp = min_rnn_step_backward(dh[t], trace.at(t), p, kind, signed, candidate)
        dW += dp.W
        db += dp.b
    return MinRNNGrads(dX, dh_next, MinRNNParams(dW, db), dh)


def min_rnn_trace(X, p: MinRNNParams, h0=None, kind="gru", signed=False, candidate="linear", scan=scan_doubling):
    """The forward's trace (the same MinRNNStep record min_rnn_forward stacks) with no loop over steps:
    every gate at once, h by `scan`. With min_rnn_backward(method='scan') this is what training runs."""
    X = check_sequence("X", X, p)
    H = _hidden_size(p, kind)
    h0 = state_or_zeros("h0", h0, (X.shape[1], H), p.dtype)
    if signed and kind != "gru":
        raise ValueError("signed=True is the signed-decay minGRU; it needs kind='gru', but kind is 'lstm'.")
    i, f, a_g, g, f_prime, i_prime = _gates(X, p, kind, signed, candidate)  # each (T, B, H)
    h = scan(f_prime, i_prime * g, h0)
    h_prev = np.concatenate([h0[None], h[:-1]])
    return MinRNNStep(X, h_prev, i, f, a_g, g, f_prime, i_prime, h)
