"""Solutions to the exercises of notebook 02 · Vanishing (and exploding) gradients.

Try each exercise in the notebook first. To see one solution at a time, run
ll.exercises.solution("name") in the notebook. Run this file to check them all:

    python solutions/02_vanishing_gradients.py          (from the notebooks/ folder)

Written by tools/build_notebooks.py from notebooks/src/02_vanishing_gradients.py: edit that file, not this one.
"""

import numpy as np

import lstmlearn as ll


# %% rnn_jacobian
def rnn_jacobian(h, W_h):
    return (1 - h**2)[:, None] * W_h.T


ll.exercises.check("rnn_jacobian", rnn_jacobian)


# %% clip_grad_norm
def clip_grad_norm(grads, max_norm):
    norm = np.sqrt(sum(np.sum(g**2) for g in grads.values()))
    scale = min(1.0, max_norm / norm) if norm > 0 else 1.0
    return {name: g * scale for name, g in grads.items()}, norm


ll.exercises.check("clip_grad_norm", clip_grad_norm)
