"""Solutions to the exercises of notebook 11 · xLSTM: exponential gates and a matrix memory.

Try each exercise in the notebook first. To see one solution at a time, run
ll.exercises.solution("name") in the notebook. Run this file to check them all:

    python solutions/11_xlstm.py          (from the notebooks/ folder)

Written by tools/build_notebooks.py from notebooks/src/11_xlstm.py: edit that file, not this one.
"""

import numpy as np

import lstmlearn as ll


# %% slstm_stabilised_step
def slstm_stabilised_step_solution(i_tilde, f_tilde, z_tilde, o_tilde, c_prev, n_prev, m_prev):
    log_f = -np.logaddexp(0, -f_tilde)  # log sigmoid(f~)
    m = np.maximum(log_f + m_prev, i_tilde)
    i = np.exp(i_tilde - m)
    f = np.exp(log_f + m_prev - m)
    c = f * c_prev + i * np.tanh(z_tilde)
    n = f * n_prev + i
    return ll.sigmoid(o_tilde) * c / n, c, n, m


ll.exercises.check("slstm_stabilised_step", slstm_stabilised_step_solution)


# %% mlstm_write_read
def mlstm_write_read_solution(C_prev, n_prev, q, k, v, i, f, m, eps):
    C = f * C_prev + i * np.outer(v, k)  # v k^T: store v under the key k
    n = f * n_prev + i * k
    return C, n, C @ q / (max(abs(n @ q), np.exp(-m)) + eps)


ll.exercises.check("mlstm_write_read", mlstm_write_read_solution)


# %% decay_mask
def decay_mask_solution(I_tilde, F_tilde):
    cum = np.cumsum(-np.logaddexp(0, -F_tilde))  # sum_{r <= t} log f_r
    T = len(cum)
    log_D = cum[:, None] - cum[None, :] + I_tilde[None, :]  # sum_{s < r <= t} log f_r + i~_s
    log_D = np.where(np.tril(np.ones((T, T), dtype=bool)), log_D, -np.inf)
    return np.exp(log_D - log_D.max(axis=1, keepdims=True))


ll.exercises.check("decay_mask", decay_mask_solution)
