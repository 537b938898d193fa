"""The exercises of notebook 11: the stabilised sLSTM step, the mLSTM's write and read, the decay mask."""

import numpy as np

from ..activations import sigmoid
from ..mlstm import decay_mask
from ..slstm import log_sigmoid
from .exercise import Exercise

EXERCISES: dict[str, Exercise] = {}  # name -> exercise, the table this module exports


# --- the stabilised sLSTM step, from the pre-activations -------------------------------------


def _slstm_pointwise(i_tilde, f_tilde, z_tilde, o_tilde, c_prev, n_prev, m_prev, log_f=None, m_prev_in_max=True):
    log_f = log_sigmoid(f_tilde) if log_f is None else log_f
    m = np.maximum(log_f + m_prev, i_tilde) if m_prev_in_max else np.maximum(log_f, i_tilde)
    i = np.exp(i_tilde - m)
    f = np.exp(log_f + m_prev - m)
    c = f * c_prev + i * np.tanh(z_tilde)
    n = f * n_prev + i
    return sigmoid(o_tilde) * c / n, c, n, m


def _slstm_inputs(rng):
    cases = []
    for B, H, first, shift in [(1, 1, True, 0.0), (2, 3, False, 0.0), (3, 4, False, 2.0), (2, 2, False, 750.0)]:
        c = dict(
            i_tilde=rng.normal(size=(B, H)) * 2 + shift,  # shift 750: exp(i~) overflows, exp(i~ - m) does not
            f_tilde=rng.normal(size=(B, H)) * 2 + 1,
            z_tilde=rng.normal(size=(B, H)),
            o_tilde=rng.normal(size=(B, H)),
            c_prev=np.zeros((B, H)) if first else rng.normal(size=(B, H)),
            n_prev=np.zeros((B, H)) if first else rng.uniform(0.5, 2.0, (B, H)),
            m_prev=np.full((B, H), -np.inf) if first else rng.normal(size=(B, H)),
        )
        cases.append(c)
    return cases


def _slstm_unstabilised(i_tilde, f_tilde, z_tilde, o_tilde, c_prev, n_prev, m_prev):
    i, f = np.exp(i_tilde), sigmoid(f_tilde)
    c = f * c_prev + i * np.tanh(z_tilde)
    n = f * n_prev + i
    return sigmoid(o_tilde) * c / n, c, n, np.zeros_like(c)


EXERCISES["slstm_stabilised_step"] = Exercise(
    "11",
    "the stabilised sLSTM step from the pre-activations: m = max(log f + m_prev, i~), i = exp(i~ - m), "
    "f = exp(log f + m_prev - m), c, n, h = o c / n; return (h, c, n, m)",
    _slstm_pointwise,
    _slstm_inputs,
    mistakes={
        "compute the stabilised gates i = exp(i~ - m) and f = exp(log f + m_prev - m): exp(i~) alone overflows "
        "for a large i~, and c, n are the stabilised ones, exp(-m) times the unstabilised.": _slstm_unstabilised,
        "log f is log sigmoid(f~) (the forget gate is a sigmoid; lstmlearn.slstm.log_sigmoid computes it "
        "without overflow), not f~ itself.": lambda i_tilde, f_tilde, z_tilde, o_tilde, c_prev, n_prev, m_prev: (
            _slstm_pointwise(i_tilde, f_tilde, z_tilde, o_tilde, c_prev, n_prev, m_prev, log_f=f_tilde)
        ),
        "the stabiliser carries on from the last step: m = max(log f + m_prev, i~), with m_prev inside the "
        "max.": lambda i_tilde, f_tilde, z_tilde, o_tilde, c_prev, n_prev, m_prev: _slstm_pointwise(
            i_tilde, f_tilde, z_tilde, o_tilde, c_prev, n_prev, m_prev, m_prev_in_max=False
        ),
        "h = o * c / n: divide the cell state by the normaliser n.": lambda i_tilde, f_tilde, z_tilde, o_tilde, c_prev, n_prev, m_prev: (
            (lambda h, c, n, m: (sigmoid(o_tilde) * c, c, n, m))(
                *_slstm_pointwise(i_tilde, f_tilde, z_tilde, o_tilde, c_prev, n_prev, m_prev)
            )
        ),
    },
)


# --- the mLSTM's write and read, one example ------------------------------------------------


def _mlstm_write_read(C_prev, n_prev, q, k, v, i, f, m, eps, outer=None, normaliser_of=None, den_of=None):
    outer = np.outer(v, k) if outer is None else outer
    C = f * C_prev + i * outer
    n = f * n_prev + i * (k if normaliser_of is None else normaliser_of)
    s = n @ q
    den = max(abs(s), np.exp(-m)) + eps if den_of is None else den_of(s)
    return C, n, C @ q / den


def _mlstm_inputs(rng):
    cases = []
    for d, m in [(1, 0.0), (3, 0.5), (4, -1.0), (6, 2.0)]:
        cases.append(
            dict(
                C_prev=rng.normal(size=(d, d)),
                n_prev=rng.normal(size=d),
                q=rng.normal(size=d),
                k=rng.normal(size=d) / np.sqrt(d),
                v=rng.normal(size=d),
                i=float(rng.uniform(0.1, 1.0)),
                f=float(rng.uniform(0.1, 1.0)),
                m=m,
                eps=1e-6,
            )
        )
    # the normaliser's dot product small and negative: the floor exp(-m) and the absolute value matter
    d = 3
    q = np.array([1.0, 0.0, 0.0])
    cases.append(
        dict(
            C_prev=rng.normal(size=(d, d)),
            n_prev=np.array([-0.05, 1.0, 0.0]),
            q=q,
            k=np.array([-0.02, 0.3, 0.1]),
            v=rng.normal(size=d),
            i=0.5,
            f=0.9,
            m=0.0,
            eps=1e-6,
        )
    )
    cases.append({**cases[-1], "n_prev": np.array([-3.0, 1.0, 0.0])})
    return cases


EXERCISES["mlstm_write_read"] = Exercise(
    "11",
    "one mLSTM step with the gates given: C = f C_prev + i v k^T, n = f n_prev + i k, "
    "h = C q / (max(|n . q|, exp(-m)) + eps); return (C, n, h)",
    lambda C_prev, n_prev, q, k, v, i, f, m, eps: _mlstm_write_read(C_prev, n_prev, q, k, v, i, f, m, eps),
    _mlstm_inputs,
    mistakes={
        "store the value under the key: the outer product v k^T is np.outer(v, k), so that C k gives back v "
        "(np.outer(k, v) is k v^T).": lambda C_prev, n_prev, q, k, v, i, f, m, eps: _mlstm_write_read(
            C_prev, n_prev, q, k, v, i, f, m, eps, outer=np.outer(k, v)
        ),
        "the normaliser n = f n_prev + i k adds up the keys written, not the values.": lambda C_prev, n_prev, q, k, v, i, f, m, eps: (
            _mlstm_write_read(C_prev, n_prev, q, k, v, i, f, m, eps, normaliser_of=v)
        ),
        "divide by max(|n . q|, exp(-m)) + eps: the absolute value of n . q, never below exp(-m), so that a "
        "query that matches no stored key does not divide by (almost) 0.": lambda C_prev, n_prev, q, k, v, i, f, m, eps: (
            _mlstm_write_read(C_prev, n_prev, q, k, v, i, f, m, eps, den_of=lambda s: s + eps)
        ),
    },
)


# --- the parallel form's stabilised decay mask ------------------------------------------------


def _decay(I_tilde, F_tilde, log_f=None, include_f_s=False, causal=True, i_of_row=False):
    log_f = log_sigmoid(F_tilde) if log_f is None else log_f
    cum = np.cumsum(log_f)  # sum_{r<=t} log f_r
    T = len(cum)
    i_part = I_tilde[:, None] if i_of_row else I_tilde[None, :]
    log_D = cum[:, None] - cum[None, :] + i_part + (log_f[None, :] if include_f_s else 0.0)
    if causal:
        log_D = np.where(np.tril(np.ones((T, T), dtype=bool)), log_D, -np.inf)
    m = log_D.max(axis=1, keepdims=True)
    return np.exp(log_D - m)


def _decay_inputs(rng):
    return [
        dict(I_tilde=np.array([0.3]), F_tilde=np.array([1.0])),
        dict(I_tilde=rng.normal(size=4), F_tilde=rng.normal(size=4) + 2),
        dict(I_tilde=rng.normal(size=7) * 2, F_tilde=rng.normal(size=7)),
        dict(I_tilde=np.array([800.0, -2.0, 5.0, 790.0, 0.0]), F_tilde=np.array([3.0, -1.0, 0.5, 2.0, 1.0])),
    ]


EXERCISES["decay_mask"] = Exercise(
    "11",
    "the parallel form's stabilised decay mask: log D[t, s] = sum_{s<r<=t} log sigmoid(f~_r) + i~_s for s <= t, "
    "then exp(log D - m_t) with m_t the row's maximum, 0 above the diagonal; return the (T, T) matrix",
    lambda I_tilde, F_tilde: np.exp(
        decay_mask(I_tilde[:, None], F_tilde[:, None])[0]
        - decay_mask(I_tilde[:, None], F_tilde[:, None])[0].max(axis=1, keepdims=True)
    ),
    _decay_inputs,
    mistakes={
        "subtract each row's largest log D[t, s], m_t, before np.exp: exp(i~) overflows for a large i~, and the "
        "parallel form's rows are scaled by exp(-m_t) like the recurrent form's state.": lambda I_tilde, F_tilde: (
            lambda log_D: np.exp(log_D)
        )(decay_mask(I_tilde[:, None], F_tilde[:, None])[0]),
        "the forget gates that act on a write at step s are those after it, s < r <= t: f_s itself is not among "
        "them (at s = t the weight is i_t alone).": lambda I_tilde, F_tilde: _decay(I_tilde, F_tilde, include_f_s=True),
        "log f is log sigmoid(f~), not f~ itself.": lambda I_tilde, F_tilde: _decay(I_tilde, F_tilde, log_f=F_tilde),
        "the input gate is the written step's, i~_s (the column), not the reading step's i~_t.": lambda I_tilde, F_tilde: (
            _decay(I_tilde, F_tilde, i_of_row=True)
        ),
        "the mask is causal: step t reads only the writes s <= t, so everything above the diagonal is 0 "
        "(log D = -inf there).": lambda I_tilde, F_tilde: _decay(I_tilde, F_tilde, causal=False),
    },
    own=(decay_mask,),
)
