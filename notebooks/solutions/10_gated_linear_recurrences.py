"""Solutions to the exercises of notebook 10 · From the forget gate to gated linear recurrences.

Try each exercise in the notebook first. To see one solution at a time, run
ll.exercises.solution("name") in the notebook. Run this file to check them all:

    python solutions/10_gated_linear_recurrences.py          (from the notebooks/ folder)

Written by tools/build_notebooks.py from notebooks/src/10_gated_linear_recurrences.py: edit that file, not this one.
"""

import numpy as np

import lstmlearn as ll


# %% min_gru_step
def min_gru_step_solution(x, h_prev, p):
    H = p.W.shape[1] // 2
    z = x @ p.W + p.b  # (B, 2H): i | g
    i, g = ll.sigmoid(z[:, :H]), z[:, H:]
    return (1 - i) * h_prev + i * g


ll.exercises.check("min_gru_step", min_gru_step_solution)


# %% scan_combine
def scan_combine_solution(left, right):
    (a, b), (a2, b2) = left, right
    return a * a2, a2 * b + b2


ll.exercises.check("scan_combine", scan_combine_solution)


# %% scan_backward
def scan_backward_solution(dy, a, h):
    dh = np.zeros_like(dy)
    later = np.zeros_like(dy[0])  # a_{t+1} dh_{t+1}, nothing after the last step
    for t in reversed(range(len(dy))):
        dh[t] = dy[t] + later
        later = a[t] * dh[t]  # what step t sends back to h_{t-1}
    h_prev = np.concatenate([np.zeros_like(h[:1]), h[:-1]])
    return dh * h_prev, dh


ll.exercises.check("scan_backward", scan_backward_solution)
