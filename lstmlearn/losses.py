"""Loss functions and their gradients, each with an optional per-step mask
(notebooks 07 long lags and 08 char model).

Each loss returns (L, dL/d prediction) so a model's backward pass can start from it.

Mean squared error, for predictions P and targets Y of shape (..., K):

    L = sum_n m_n * sum_k (P_nk - Y_nk)^2 / (K * sum_n m_n)      mean over counted entries
    dL/dP_nk = 2 m_n (P_nk - Y_nk) / (K * sum_n m_n)

Softmax cross-entropy, for logits Z (..., K) and integer targets y (...), in nats:

    log p_nk = Z_nk - log sum_j exp(Z_nj)                          (log-softmax)
    L = - sum_n m_n log p_{n, y_n} / sum_n m_n                     mean over counted positions
    dL/dZ_nk = m_n (p_nk - [k == y_n]) / sum_n m_n

n runs over every position (time step and example); the mask m (shape (...), 0 or 1,
or any non-negative weights) says which positions count. Without a mask every position
counts. The log-sum-exp subtracts max_j Z_nj first, so large logits do not overflow.
Divide a cross-entropy in nats by log(2) for bits (bits per character, notebook 08).
"""

from __future__ import annotations

import numpy as np

from ._checks import as_float_array, check_finite, check_shape


def mse(pred, target, mask=None):
    """Mean squared error over counted entries, and its gradient with respect to `pred`.

    Parameters
    ----------
    pred, target : (..., K) float arrays of the same shape
    mask : (...) weights per position (pred.shape[:-1]), or None to count every entry

    Returns (loss, dpred) with dpred the shape of pred.
    """
    pred = as_float_array("pred", pred)
    _check_not_empty("pred", pred, "(..., K) predictions")
    target = as_float_array("target", target, pred.dtype)
    check_shape("target", target, pred.shape, "the shape of pred")
    check_finite("pred", pred)
    check_finite("target", target)
    m = _mask(mask, pred.shape[:-1], pred.dtype)
    count = m.sum() * pred.shape[-1]
    diff = pred - target
    loss = float(np.sum(m[..., None] * diff * diff) / count)
    dpred = (2.0 / count) * m[..., None] * diff
    return loss, dpred


def log_softmax(logits):
    """log softmax over the last axis, computed stably: Z - max Z - log sum exp(Z - max Z)."""
    shifted = logits - logits.max(axis=-1, keepdims=True)
    with np.errstate(under="ignore"):  # exp of a very negative logit is 0: harmless, the max term is 1
        return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def softmax(logits):
    """softmax over the last axis, p_k = exp(Z_k) / sum_j exp(Z_j), without overflow."""
    with np.errstate(under="ignore"):  # a probability below the smallest float is 0
        return np.exp(log_softmax(logits))


def softmax_cross_entropy(logits, targets, mask=None):
    """Mean cross-entropy (nats) over counted positions, and its gradient with respect to `logits`.

    Parameters
    ----------
    logits : (..., K) float array of unnormalised log-probabilities
    targets : (...) integer class ids in [0, K)
    mask : (...) weights per position, or None to count every position

    Returns (loss, dlogits) with dlogits the shape of logits.
    """
    logits = as_float_array("logits", logits)
    _check_not_empty("logits", logits, "(..., K) logits")
    check_finite("logits", logits)
    K = logits.shape[-1]
    targets = check_class_ids("targets", targets, logits.shape[:-1], K)
    m = _mask(mask, logits.shape[:-1], logits.dtype)
    count = m.sum()
    logp = log_softmax(logits)
    picked = np.take_along_axis(logp, targets[..., None], axis=-1)[..., 0]  # log p_{n, y_n}
    loss = float(-np.sum(m * picked) / count)
    dlogits = np.exp(logp)
    np.put_along_axis(dlogits, targets[..., None],
                      np.take_along_axis(dlogits, targets[..., None], axis=-1) - 1.0, axis=-1)
    dlogits *= m[..., None] / count
    return loss, dlogits


def check_class_ids(name, ids, shape, K):
    """Check integer class ids of the given shape, each in [0, K); return them as an int array."""
    ids = np.asarray(ids)
    if not np.issubdtype(ids.dtype, np.integer):
        raise TypeError(f"{name} must hold integer class ids in [0, {K}), but it has dtype "
                        f"{ids.dtype}. Pass ids, not one-hot vectors: {name}.argmax(-1).")
    check_shape(name, ids, tuple(shape), "one class id per position")
    if ids.size and (ids.min() < 0 or ids.max() >= K):
        raise ValueError(f"{name} must lie in [0, {K}) (K = {K} classes), but it holds values "
                         f"from {ids.min()} to {ids.max()}.")
    return ids


def _check_not_empty(name, arr, meaning):
    if arr.ndim == 0:
        raise ValueError(f"{name} should have shape {meaning}, with classes or outputs on the last axis, "
                         f"but it is a single number.")
    if arr.size == 0:
        raise ValueError(f"{name} is empty (shape {arr.shape}): a mean over no {'entries' if arr.shape[-1] else 'outputs'} "
                         f"is undefined. Check the batch size, the sequence length and K, the last axis.")


def _mask(mask, shape, dtype):
    if mask is None:
        return np.ones(shape, dtype=dtype)
    m = np.asarray(mask)
    if m.dtype.kind not in "biuf":
        raise TypeError(f"mask must hold numbers (a weight per position, usually 0 or 1), but it has "
                        f"dtype {m.dtype}.")
    m = m.astype(dtype)
    check_shape("mask", m, tuple(shape), "one weight per position (the prediction's shape without its last axis)")
    if (m < 0).any() or not np.isfinite(m).all():
        raise ValueError("mask must hold finite, non-negative weights (usually 0 or 1).")
    if m.sum() <= 0:
        raise ValueError("mask counts no position (its sum is 0), so the mean loss is undefined.")
    return m
