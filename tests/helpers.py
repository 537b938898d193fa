"""Loss functions for gradient checks, written independently of the backward passes.

The truncated-BPTT loss is the function whose exact gradient truncated BPTT computes:
the loss at step t is recomputed from the state at step t - k, held fixed.
"""

import numpy as np

import lstmlearn as ll


def lstm_loss(W, truncate=None, trace=None):
    """sum_t W[t] . h_t as a function of the LSTM's arrays (optionally truncated)."""
    T = W.shape[0]

    def loss(W_x, W_h, b, X, h0, c0):
        p = ll.LSTMParams(W_x, W_h, b)
        if truncate is None:
            return np.sum(W * ll.lstm_forward(X, p, h0, c0)[0])
        total = 0.0
        for t in range(T):
            s = max(t - truncate + 1, 0)
            h, c = (h0, c0) if s == 0 else (trace.h[s - 1], trace.c[s - 1])
            total += np.sum(W[t] * ll.lstm_forward(X[s:t + 1], p, h, c)[0][-1])
        return total

    return loss


def rnn_loss(W, truncate=None, trace=None, activation="tanh"):
    """sum_t W[t] . h_t as a function of the RNN's arrays (optionally truncated)."""
    T = W.shape[0]

    def loss(W_x, W_h, b, X, h0):
        p = ll.RNNParams(W_x, W_h, b)
        if truncate is None:
            return np.sum(W * ll.rnn_forward(X, p, h0, activation)[0])
        total = 0.0
        for t in range(T):
            s = max(t - truncate + 1, 0)
            h = h0 if s == 0 else trace.h[s - 1]
            total += np.sum(W[t] * ll.rnn_forward(X[s:t + 1], p, h, activation)[0][-1])
        return total

    return loss


def lstm_problem(T, B, D, H, seed, dtype=np.float64):
    rng = np.random.default_rng(seed)
    p = ll.init_lstm(D, H, rng=rng, forget_bias=1.0, dtype=dtype)
    X = rng.normal(size=(T, B, D)).astype(dtype)
    h0 = rng.normal(size=(B, H)).astype(dtype) * 0.5
    c0 = rng.normal(size=(B, H)).astype(dtype) * 0.5
    W = rng.normal(size=(T, B, H)).astype(dtype)
    return p, X, h0, c0, W


def rnn_problem(T, B, D, H, seed, dtype=np.float64):
    rng = np.random.default_rng(seed)
    p = ll.init_rnn(D, H, rng=rng, dtype=dtype)
    X = rng.normal(size=(T, B, D)).astype(dtype)
    h0 = rng.normal(size=(B, H)).astype(dtype) * 0.5
    W = rng.normal(size=(T, B, H)).astype(dtype)
    return p, X, h0, W


def variant_problem(variant, T=6, B=2, D=3, H=4, seed=0):
    """Weights of an LSTM variant (peepholes large enough to matter), X, h0, c0 and loss weights W."""
    rng = np.random.default_rng(seed)
    p = ll.init_variant(variant, D, H, rng=rng)
    if variant == "peephole":
        p = p._replace(w_c=rng.normal(size=3 * H))
    X, h0, c0, W = rng.normal(size=(T, B, D)), rng.normal(size=(B, H)), rng.normal(size=(B, H)), rng.normal(size=(T, B, H))
    return p, X, h0, c0, W
