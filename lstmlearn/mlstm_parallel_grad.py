"""Gradients of the mLSTM's parallel form, without autograd (notebook 11).

The forward pass is mlstm.mlstm_parallel's, per example, with the values the backward pass needs kept:

    log D[t, s] = sum_{s<r<=t} log sigmoid(f~_r) + i~_s  (s <= t; -inf above the diagonal)
    m_t = max_s log D[t, s]
    D~ = exp(log D - m)                    the stabilised decay mask, (T, T)
    S = Q K^T / sqrt(d)                    (T, T)
    H~ = S * D~
    b_t = sum_s H~[t, s]
    den_t = max(|b_t|, exp(-m_t)) + eps
    h_t = sum_s H~[t, s] v_s / den_t

and mlstm_parallel_backward runs these lines in reverse, m included (with eps > 0, h depends
on m). The cumulative sum of log f comes back as a reversed cumulative sum: each log f_r is in
every log D[t, s] with s < r <= t. The result equals mlstm_recurrent_backward's from an empty
memory to rounding (tests/test_mlstm_parallel_grad.py), at O(T^2) memory instead of O(T d^2).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .mlstm import EPS, MLSTMGrads, _check_eps, _check_sequences, decay_mask
from .slstm import log_sigmoid


class ParallelTrace(NamedTuple):
    """What the parallel form's backward pass needs (batch first): Q, K, V (B, T, d), F_tilde (B, T),
    S, D_tilde (B, T, T), m, m_at (the s where log D[t, s] is largest), b, den (B, T), h (B, T, d)."""

    Q: np.ndarray
    K: np.ndarray
    V: np.ndarray
    F_tilde: np.ndarray
    S: np.ndarray
    D_tilde: np.ndarray
    m: np.ndarray
    m_at: np.ndarray
    b: np.ndarray
    den: np.ndarray
    h: np.ndarray


def mlstm_parallel_forward(Q, K, V, I_tilde, F_tilde, eps: float = EPS):
    """mlstm_parallel, keeping its trace. Q, K, V (T, B, d); I_tilde, F_tilde (T, B).

    Returns Hs (T, B, d) and a ParallelTrace.
    """
    Q, K, V, I_tilde, F_tilde = _check_sequences(Q, K, V, I_tilde, F_tilde)
    _check_eps(eps)
    Qb, Kb, Vb = (a.transpose(1, 0, 2) for a in (Q, K, V))  # (B, T, d)
    log_D = decay_mask(I_tilde, F_tilde)  # (B, T, T)
    m_at = log_D.argmax(axis=-1)  # (B, T)
    m = np.take_along_axis(log_D, m_at[:, :, None], axis=-1)[:, :, 0]
    D_tilde = np.exp(log_D - m[:, :, None])
    S = Qb @ Kb.transpose(0, 2, 1) / np.sqrt(Q.shape[-1])
    H_tilde = S * D_tilde
    b = H_tilde.sum(axis=-1)
    den = np.maximum(np.abs(b), np.exp(-m)) + eps
    h = H_tilde @ Vb / den[:, :, None]  # (B, T, d)
    return h.transpose(1, 0, 2), ParallelTrace(Qb, Kb, Vb, F_tilde.T, S, D_tilde, m, m_at, b, den, h)


def mlstm_parallel_backward(dHs, trace: ParallelTrace) -> MLSTMGrads:
    """Gradients of a loss on the parallel form's readouts, from dHs (T, B, d). dC0 and dn0 are None."""
    tr = trace
    dh = np.asarray(dHs, dtype=np.float64).transpose(1, 0, 2)  # (B, T, d)
    sqrt_d = np.sqrt(tr.Q.shape[-1])
    H_tilde = tr.S * tr.D_tilde
    # h_t = sum_s H~[t, s] v_s / den_t
    dV = (H_tilde / tr.den[:, :, None]).transpose(0, 2, 1) @ dh
    dH_tilde = dh @ tr.V.transpose(0, 2, 1) / tr.den[:, :, None]
    dden = -np.einsum("btd,btd->bt", dh, tr.h) / tr.den
    # den_t = max(|b_t|, exp(-m_t)) + eps,  b_t = sum_s H~[t, s]
    b_wins = np.abs(tr.b) >= np.exp(-tr.m)
    dH_tilde = dH_tilde + np.where(b_wins, dden * np.sign(tr.b), 0.0)[:, :, None]
    dm = np.where(b_wins, 0.0, -dden * np.exp(-tr.m))
    # H~ = S * D~,  D~ = exp(log D - m)
    dS = dH_tilde * tr.D_tilde
    dlog_D = dH_tilde * tr.S * tr.D_tilde
    dm = dm - dlog_D.sum(axis=-1)
    # m_t = max_s log D[t, s]: its gradient goes to the entry that is the maximum
    T = tr.m.shape[1]
    np.add.at(dlog_D, (np.arange(len(dm))[:, None], np.arange(T)[None, :], tr.m_at), dm)
    # log D[t, s] = cum_t - cum_s + i~_s,  cum_t = sum_{r<=t} log sigmoid(f~_r)
    dI_tilde = dlog_D.sum(axis=1)  # (B, T): over t, for each s
    dcum = dlog_D.sum(axis=2) - dlog_D.sum(axis=1)
    dlog_f = np.cumsum(dcum[:, ::-1], axis=1)[:, ::-1]  # each log f_r is in cum_t for every t >= r
    dF_tilde = dlog_f * np.exp(log_sigmoid(-tr.F_tilde))
    # S = Q K^T / sqrt(d)
    dQ = dS @ tr.K / sqrt_d
    dK = dS.transpose(0, 2, 1) @ tr.Q / sqrt_d
    dQ, dK, dV = (a.transpose(1, 0, 2) for a in (dQ, dK, dV))  # back to time-major (T, B, d)
    return MLSTMGrads(dQ, dK, dV, dI_tilde.T, dF_tilde.T, None, None)
