"""A one-layer minGRU / minLSTM classifier for the experiments of notebook 10.

    x_t = one_hot(token_t)                         (T, B, D)
    h = min_rnn(x, p)                              every gate at once, h by a scan (lstmlearn.minrnn)
    y = h_last @ W_y + b_y    readout 'last'       (B, K), h read at each sequence's own last step
    y = h @ W_y + b_y         readout 'all'        (T, B, K)
    loss = softmax cross-entropy (mask-weighted)

min_rnn_model_loss returns the loss, every gradient (the backward is the reverse scan) and the
logits, so any optimiser of lstmlearn.optim trains the parameter dict.
"""

from __future__ import annotations

import numpy as np

from ._checks import check_choice, check_rng
from .losses import softmax_cross_entropy
from .minrnn import MinRNNParams, init_min_rnn, min_rnn_backward, min_rnn_trace


def init_min_rnn_model(kind: str, D: int, H: int, K: int, rng: np.random.Generator) -> dict:
    """{'W' (D, nH), 'b' (nH,), 'W_y' (H, K), 'b_y' (K,)}: init_min_rnn's layer and a uniform readout."""
    check_rng(rng)
    p = init_min_rnn(D, H, kind, rng)
    k = 1.0 / np.sqrt(H)
    return {"W": p.W, "b": p.b, "W_y": rng.uniform(-k, k, size=(H, K)), "b_y": np.zeros(K)}


def min_rnn_model_loss(params: dict, batch, kind="gru", signed=False, readout="last"):
    """(loss, grads dict like params, logits) on a Batch of integer ids (T, B); see the module docstring."""
    check_choice("readout", readout, ("last", "all"))
    p = MinRNNParams(params["W"], params["b"])
    X = np.eye(p.input_size)[batch.X]  # (T, B, D)
    trace = min_rnn_trace(X, p, kind=kind, signed=signed)
    T, B, _ = trace.h.shape
    if readout == "last":
        last = np.full(B, T - 1) if batch.lengths is None else np.asarray(batch.lengths) - 1
        h_last = trace.h[last, np.arange(B)]  # (B, H)
        logits = h_last @ params["W_y"] + params["b_y"]
        loss, dlogits = softmax_cross_entropy(logits, batch.Y, batch.mask)
        dHs = np.zeros_like(trace.h)
        dHs[last, np.arange(B)] = dlogits @ params["W_y"].T
        dW_y = h_last.T @ dlogits
    else:
        logits = trace.h @ params["W_y"] + params["b_y"]  # (T, B, K)
        loss, dlogits = softmax_cross_entropy(logits, batch.Y, batch.mask)
        dHs = dlogits @ params["W_y"].T
        dW_y = trace.h.reshape(T * B, -1).T @ dlogits.reshape(T * B, -1)
    grads = min_rnn_backward(dHs, trace, p, kind, signed, method="scan")
    db_y = dlogits.reshape(-1, dlogits.shape[-1]).sum(axis=0)
    return loss, {"W": grads.dparams.W, "b": grads.dparams.b, "W_y": dW_y, "b_y": db_y}, logits
