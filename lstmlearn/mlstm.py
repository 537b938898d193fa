"""The mLSTM of xLSTM (Beck et al. 2024): a matrix memory, in its recurrent, parallel and chunkwise forms.

The cell reads a query q, a key k and a value v (B, d) and two gate pre-activations
i~, f~ (B,) at each step (one head; heads are separate cells, run them as extra batch
entries). Its memory C (B, d, d) is a key-value store, written with a covariance update:

    k = k / sqrt(d)                               keys enter scaled, as in the paper (some official
                                                  forms scale q instead: the same h, C and n sqrt(d) larger)
    m = max(log f + m_prev, log i)                the stabiliser, log i = i~, log f = log sigmoid(f~)
    i = exp(i~ - m)                               stabilised input gate
    f = exp(log sigmoid(f~) + m_prev - m)         stabilised forget gate
    C = f * C_prev + i * v k^T                    matrix memory: store v under key k
    n = f * n_prev + i * k                        normaliser: the keys written so far, weighted
    h = C q / (max(|n . q|, exp(-m)) + eps)       readout with the query q (the cell's h~)

(In the xLSTM block, q, k, v, i~, f~ are projections of the input and the block's output is
o * h with an output gate o; this page is the cell, from (q, k, v, i~, f~) to h, as the
official backends are. The official code stores C transposed, k v^T, and reads q^T C.)

Without the stabiliser, C_t = sum_s (prod_{s<r<=t} f_r) i_s v_s k_s^T: the parallel form
writes that sum as an attention-like (T, T) matrix with a decay mask D,

    log D[t, s] = sum_{s<r<=t} log f_r + i~_s   for s <= t, and -inf above the diagonal
    m_t = max_s log D[t, s]                     the parallel form's stabiliser (row maximum)
    H~ = (Q K^T / sqrt(d)) * exp(log D - m)     (T, T) per example
    h_t = H~[t] @ V / (max(|sum_s H~[t, s]|, exp(-m_t)) + eps)

which costs O(T^2 d) time and O(T^2) memory but no loop over time. The chunkwise form runs
the parallel form inside chunks of L steps and the recurrence from chunk to chunk.

The forms agree where their stabilisers agree. The recurrent form from an empty memory
(m_0 = -inf) has m_t = max_s log D[t, s], the parallel form's stabiliser, and the two agree
to rounding at any eps. The official recurrent code starts from m_0 = 0: then
m_t = max(sum_{r<=t} log f_r, max_s log D[t, s]) can be larger. In unstabilised terms
(C and n times exp(m)) the readout is h = C q / (max(|n . q|, 1) + eps exp(m_t)): eps enters
multiplied by exp(m_t), so forms whose m_t differ give h that differ, relatively, by about
eps (exp(m_t) - exp(m_t')) / max(|n . q|, 1), below eps when m_t <= 0. At eps = 0 every form
and every m_0 gives the same h.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._checks import as_float_array, check_finite, check_positive_int, check_shape
from .slstm import log_sigmoid

EPS = 1e-6  # the official code's default eps


class MLSTMState(NamedTuple):
    """The state an mLSTM carries: C (B, d, d), n (B, d), m (B,)."""

    C: np.ndarray
    n: np.ndarray
    m: np.ndarray


class MLSTMStep(NamedTuple):
    """Every value of one recurrent mLSTM step (stacked over time by mlstm_recurrent)."""

    q: np.ndarray  # (B, d)
    k: np.ndarray  # (B, d), scaled by 1 / sqrt(d)
    v: np.ndarray  # (B, d)
    f_tilde: np.ndarray  # (B,)
    C_prev: np.ndarray  # (B, d, d)
    n_prev: np.ndarray  # (B, d)
    m_prev: np.ndarray  # (B,)
    i: np.ndarray  # (B,) stabilised gates
    f: np.ndarray
    m: np.ndarray  # (B,) stabiliser
    m_from_f: np.ndarray  # (B,) bool: True where m = log f + m_prev, False where m = i~
    C: np.ndarray  # (B, d, d)
    n: np.ndarray  # (B, d)
    s: np.ndarray  # (B,) n . q
    den: np.ndarray  # (B,) max(|s|, exp(-m)) + eps
    h: np.ndarray  # (B, d)

    def at(self, t: int) -> "MLSTMStep":
        """The record of one step of a stacked trace: trace.at(t - 1) is step t."""
        return MLSTMStep(*(a[t] for a in self))


class MLSTMGrads(NamedTuple):
    """Gradients of a loss on the readouts: dQ, dK, dV (T, B, d), dI_tilde, dF_tilde (T, B) (for i~, f~), dC0, dn0."""

    dQ: np.ndarray
    dK: np.ndarray
    dV: np.ndarray
    dI_tilde: np.ndarray
    dF_tilde: np.ndarray
    dC0: np.ndarray
    dn0: np.ndarray


def empty_mlstm_state(batch_size: int, d: int, dtype=np.float64) -> MLSTMState:
    """C = 0, n = 0 and m = -inf: nothing stored."""
    return MLSTMState(
        np.zeros((batch_size, d, d), dtype), np.zeros((batch_size, d), dtype), np.full(batch_size, -np.inf, dtype)
    )


def zero_mlstm_state(batch_size: int, d: int, dtype=np.float64) -> MLSTMState:
    """C = 0, n = 0 and m = 0: the official code's initial state."""
    return MLSTMState(
        np.zeros((batch_size, d, d), dtype), np.zeros((batch_size, d), dtype), np.zeros(batch_size, dtype)
    )


def mlstm_step(q, k, v, i_tilde, f_tilde, state: MLSTMState, eps: float = EPS) -> MLSTMStep:
    """One recurrent mLSTM step (equations in the module docstring). q, k, v (B, d); i~, f~ (B,)."""
    C_prev, n_prev, m_prev = state
    k = k / np.sqrt(q.shape[-1])
    log_f = log_sigmoid(f_tilde)
    m_from_f = log_f + m_prev >= i_tilde
    m = np.maximum(log_f + m_prev, i_tilde)
    i = np.exp(i_tilde - m)
    f = np.exp(log_f + m_prev - m)
    C = f[:, None, None] * C_prev + i[:, None, None] * (v[:, :, None] * k[:, None, :])
    n = f[:, None] * n_prev + i[:, None] * k
    s = np.einsum("bd,bd->b", n, q)
    den = np.maximum(np.abs(s), np.exp(-m)) + eps
    h = np.einsum("bij,bj->bi", C, q) / den[:, None]
    return MLSTMStep(q, k, v, f_tilde, C_prev, n_prev, m_prev, i, f, m, m_from_f, C, n, s, den, h)


def mlstm_recurrent(Q, K, V, I_tilde, F_tilde, state0: MLSTMState | None = None, eps: float = EPS):
    """The recurrent form: mlstm_step for t = 1 .. T. Q, K, V (T, B, d); I_tilde, F_tilde (T, B) hold i~, f~.

    state0 : MLSTMState; empty_mlstm_state (m_0 = -inf) if None.
    Returns Hs (T, B, d) and the trace (an MLSTMStep stacked over time).
    """
    Q, K, V, I_tilde, F_tilde = _check_sequences(Q, K, V, I_tilde, F_tilde)
    _check_eps(eps)
    state = empty_mlstm_state(Q.shape[1], Q.shape[2], Q.dtype) if state0 is None else _check_state(state0, Q.shape)
    steps = []
    for t in range(len(Q)):
        s = mlstm_step(Q[t], K[t], V[t], I_tilde[t], F_tilde[t], state, eps)
        steps.append(s)
        state = MLSTMState(s.C, s.n, s.m)
    trace = MLSTMStep(*(np.stack(v) for v in zip(*steps)))
    return trace.h, trace


def mlstm_step_backward(dh, dC_next, dn_next, dm_next, s: MLSTMStep):
    """Backward through one step, mlstm_step's lines in reverse (m included: with eps > 0, h depends on m).

    Returns (dq, dk, dv, di_tilde, df_tilde, dC_prev, dn_prev, dm_prev); dk is for the unscaled key.
    """
    sqrt_d = np.sqrt(s.q.shape[-1])
    # h = C q / den,  den = max(|s|, exp(-m)) + eps,  s = n . q
    dnum = dh / s.den[:, None]
    dden = -np.einsum("bd,bd->b", dh, s.h) / s.den
    s_wins = np.abs(s.s) >= np.exp(-s.m)
    ds = np.where(s_wins, dden * np.sign(s.s), 0.0)
    dm = dm_next + np.where(s_wins, 0.0, -dden * np.exp(-s.m))
    dC = dC_next + dnum[:, :, None] * s.q[:, None, :]
    dq = np.einsum("bij,bi->bj", s.C, dnum) + ds[:, None] * s.n
    dn = dn_next + ds[:, None] * s.q
    # C = f C_prev + i v k^T,  n = f n_prev + i k
    df = np.einsum("bij,bij->b", dC, s.C_prev) + np.einsum("bd,bd->b", dn, s.n_prev)
    di = np.einsum("bi,bij,bj->b", s.v, dC, s.k) + np.einsum("bd,bd->b", dn, s.k)
    dv = s.i[:, None] * np.einsum("bij,bj->bi", dC, s.k)
    dk = (s.i[:, None] * (np.einsum("bij,bi->bj", dC, s.v) + dn)) / sqrt_d
    dC_prev = s.f[:, None, None] * dC
    dn_prev = s.f[:, None] * dn
    # i = exp(i~ - m),  f = exp(log f + m_prev - m)
    di_tilde = di * s.i
    dlog_f = df * s.f
    dm_prev = df * s.f
    dm = dm - di * s.i - df * s.f
    # m = max(log f + m_prev, i~)
    dlog_f = dlog_f + np.where(s.m_from_f, dm, 0.0)
    dm_prev = dm_prev + np.where(s.m_from_f, dm, 0.0)
    di_tilde = di_tilde + np.where(s.m_from_f, 0.0, dm)
    df_tilde = dlog_f * np.exp(log_sigmoid(-s.f_tilde))  # d log sigmoid(a) / da = sigmoid(-a)
    dm_prev = np.where(np.isfinite(s.m_prev), dm_prev, 0.0)  # an empty memory's m_0 = -inf takes no gradient
    return dq, dk, dv, di_tilde, df_tilde, dC_prev, dn_prev, dm_prev


def mlstm_recurrent_backward(dHs, trace: MLSTMStep) -> MLSTMGrads:
    """Backpropagation through time for mlstm_recurrent. dHs : (T, B, d) dL/dh_t."""
    dHs = as_float_array("dHs", dHs)
    check_shape("dHs", dHs, trace.h.shape, "the shape of the readouts Hs mlstm_recurrent returned")
    check_finite("dHs", dHs)
    dQ, dK, dV = (np.zeros_like(trace.h) for _ in range(3))
    dI_tilde, dF_tilde = np.zeros_like(trace.m), np.zeros_like(trace.m)
    dC, dn, dm = np.zeros_like(trace.C[0]), np.zeros_like(trace.n[0]), np.zeros_like(trace.m[0])
    for t in range(len(dHs) - 1, -1, -1):
        dQ[t], dK[t], dV[t], dI_tilde[t], dF_tilde[t], dC, dn, dm = mlstm_step_backward(dHs[t], dC, dn, dm, trace.at(t))
    return MLSTMGrads(dQ, dK, dV, dI_tilde, dF_tilde, dC, dn)


def decay_mask(I_tilde, F_tilde) -> np.ndarray:
    """log D (B, T, T): log D[b, t, s] = sum_{s<r<=t} log sigmoid(f~_r) + i~_s for s <= t, else -inf.

    I_tilde, F_tilde : (T, B) the gate pre-activations i~ and f~.
    """
    cum = np.cumsum(log_sigmoid(F_tilde), axis=0).T  # (B, T): sum_{r<=t} log f_r
    T = cum.shape[1]
    causal = np.tril(np.ones((T, T), dtype=bool))
    log_D = cum[:, :, None] - cum[:, None, :] + I_tilde.T[:, None, :]  # (B, T, T)
    return np.where(causal, log_D, -np.inf)


def mlstm_parallel(Q, K, V, I_tilde, F_tilde, eps: float = EPS) -> np.ndarray:
    """The parallel form (module docstring), from an empty memory. Q, K, V (T, B, d); I_tilde, F_tilde (T, B).

    Returns Hs (T, B, d), equal to mlstm_recurrent's from empty_mlstm_state to rounding.
    """
    Q, K, V, I_tilde, F_tilde = _check_sequences(Q, K, V, I_tilde, F_tilde)
    _check_eps(eps)
    d = Q.shape[-1]
    log_D = decay_mask(I_tilde, F_tilde)  # (B, T, T)
    m = log_D.max(axis=-1)  # (B, T)
    scores = np.einsum("tbd,sbd->bts", Q, K) / np.sqrt(d)  # (B, T, T): q_t . k_s / sqrt(d)
    H_tilde = scores * np.exp(log_D - m[:, :, None])
    den = np.maximum(np.abs(H_tilde.sum(axis=-1)), np.exp(-m)) + eps  # (B, T)
    return np.einsum("bts,sbd->tbd", H_tilde / den[:, :, None], V)


def mlstm_chunkwise(Q, K, V, I_tilde, F_tilde, chunk_size: int, state0: MLSTMState | None = None, eps: float = EPS):
    """The chunkwise form: the parallel form inside chunks of chunk_size steps, the recurrence between.

    Inside a chunk starting from state (C, n, m_prev), with F_t = sum of log f over the chunk up to t:
        m_t = max(F_t + m_prev, max_s log D[t, s])                the recurrent form's stabiliser
        num_t = exp(F_t + m_prev - m_t) C q_t + sum_s H~[t, s] v_s
        h_t = num_t / (max(|exp(F_t + m_prev - m_t) n . q_t + sum_s H~[t, s]|, exp(-m_t)) + eps)
    It agrees with mlstm_recurrent from the same state0 to rounding, at any eps.
    Returns Hs (T, B, d) and the final MLSTMState.
    """
    Q, K, V, I_tilde, F_tilde = _check_sequences(Q, K, V, I_tilde, F_tilde)
    _check_eps(eps)
    check_positive_int("chunk_size", chunk_size)
    T, B, d = Q.shape
    C, n, m_prev = empty_mlstm_state(B, d, Q.dtype) if state0 is None else _check_state(state0, Q.shape)
    Hs = np.empty_like(V)
    for start in range(0, T, chunk_size):
        sl = slice(start, min(start + chunk_size, T))
        q, k, v = Q[sl], K[sl] / np.sqrt(d), V[sl]  # (L, B, d)
        F_t = np.cumsum(log_sigmoid(F_tilde[sl]), axis=0).T  # (B, L)
        log_D = decay_mask(I_tilde[sl], F_tilde[sl])  # (B, L, L)
        log_inter = F_t + m_prev[:, None]  # (B, L): the weight of the memory carried in, in logs
        m = np.maximum(log_inter, log_D.max(axis=-1))  # (B, L)
        H_tilde = np.einsum("tbd,sbd->bts", q, k) * np.exp(log_D - m[:, :, None])
        w = np.exp(log_inter - m)  # (B, L)
        num = w[:, :, None] * np.einsum("bij,tbj->bti", C, q) + np.einsum("bts,sbd->btd", H_tilde, v)
        s = w * np.einsum("bd,tbd->bt", n, q) + H_tilde.sum(axis=-1)
        den = np.maximum(np.abs(s), np.exp(-m)) + eps
        Hs[sl] = (num / den[:, :, None]).transpose(1, 0, 2)
        # the state at the chunk's end: weights exp(F_L - F_s + i~_s - m_L) for each write
        m_end = m[:, -1]
        w_C = np.exp(log_inter[:, -1] - m_end)  # (B,)
        w_s = np.exp(log_D[:, -1, :] - m_end[:, None])  # (B, L)
        C = w_C[:, None, None] * C + np.einsum("bs,sbi,sbj->bij", w_s, v, k)
        n = w_C[:, None] * n + np.einsum("bs,sbj->bj", w_s, k)
        m_prev = m_end
    return Hs, MLSTMState(C, n, m_prev)


def _check_sequences(Q, K, V, I_tilde, F_tilde):
    Q, K, V = (as_float_array(name, a) for name, a in (("Q", Q), ("K", K), ("V", V)))
    check_shape("Q", Q, (None, None, None), "that is (T, B, d) = (time steps, batch, head size)")
    for name, a in (("K", K), ("V", V)):
        check_shape(name, a, Q.shape, "the shape of Q, (T, B, d)")
    I_tilde, F_tilde = as_float_array("I_tilde", I_tilde), as_float_array("F_tilde", F_tilde)
    for name, a in (("I_tilde", I_tilde), ("F_tilde", F_tilde)):
        check_shape(name, a, Q.shape[:2], "that is (T, B): one gate pre-activation per step and example")
    for name, a in zip("QKVIF", (Q, K, V, I_tilde, F_tilde)):
        check_finite(name, a)
    return Q, K, V, I_tilde, F_tilde


def _check_state(state0, shape) -> MLSTMState:
    if not isinstance(state0, MLSTMState):
        raise TypeError(
            f"state0 must be an MLSTMState(C, n, m), but it is a {type(state0).__name__}. "
            f"Start from empty_mlstm_state(B, d) or zero_mlstm_state(B, d)."
        )
    _, B, d = shape
    C, n, m = (as_float_array(f"state0.{name}", a) for name, a in zip(state0._fields, state0))
    check_shape("state0.C", C, (B, d, d), f"that is (B, d, d) = ({B}, {d}, {d})")
    check_shape("state0.n", n, (B, d), f"that is (B, d) = ({B}, {d})")
    check_shape("state0.m", m, (B,), f"that is (B,) = ({B},)")
    check_finite("state0.C", C)
    check_finite("state0.n", n)
    if np.isnan(m).any() or (m == np.inf).any():
        raise ValueError("state0.m must be finite or -inf (empty memory), but it holds NaN or +inf.")
    return MLSTMState(C, n, m)


def _check_eps(eps):
    if isinstance(eps, bool) or not isinstance(eps, (int, float, np.floating)) or not eps >= 0:
        raise ValueError(f"eps must be a number >= 0 (the official code uses {EPS}), but it is {eps!r}.")
